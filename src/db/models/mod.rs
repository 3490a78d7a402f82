//! Rows as read from the database (`*Row`) and as written (`New*`, `*Changes`).

pub mod account;

pub use account::{AccountRow, NewAccount, NewUser, UserRow};
