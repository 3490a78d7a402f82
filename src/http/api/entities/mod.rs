//! Mastodon entities as JSON, one file per entity. Every field Mastodon always sends is sent, and
//! never null where Mastodon never sends null; ids are strings; times are `.mmmZ`.

pub mod account;
pub mod application;
pub mod instance;
pub mod media;
pub mod preferences;
pub mod time;
pub mod token;

pub use account::{Account, CredentialAccount};
pub use application::Application;
pub use media::MediaAttachment;
pub use token::Token;
