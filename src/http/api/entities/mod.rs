//! Mastodon entities as JSON, one file per entity. Every field Mastodon always sends is sent, and
//! never null where Mastodon never sends null; ids are strings; times are `.mmmZ`.

pub mod account;
pub mod application;
pub mod event;
pub mod filter;
pub mod instance;
pub mod list;
pub mod media;
pub mod notification;
pub mod preferences;
pub mod relationship;
pub mod status;
pub mod tag;
pub mod time;
pub mod token;

pub use account::{Account, CredentialAccount};
pub use application::Application;
pub use filter::{Filter, V1FilterEntity};
pub use list::{List, Marker};
pub use media::MediaAttachment;
pub use notification::Notification;
pub use relationship::Relationship;
pub use status::{Status, StatusEdit, StatusSource};
pub use tag::Tag;
pub use token::Token;
