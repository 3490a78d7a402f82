//! ActivityPub wire types and protocol rules for Kakehashi; talks to the server only through traits.

pub mod client;
pub mod context;
pub mod fetch;
pub mod media_types;
pub mod protocol;
pub mod signatures;
