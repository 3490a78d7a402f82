//! ActivityPub wire types: what other servers send us and what we send, as serde structs.
//!
//! Reading is lenient the way real servers need (one-or-many, id-or-object, unknown fields
//! ignored, unreadable optional fields dropped); required fields (`id`, `actor`, an actor's
//! `inbox`) and fields whose misreading would change meaning (`inReplyTo`, `startTime`) fail.
//! Ids are plain `Url`s: the server crate maps them to its rows.

pub mod activities;
pub mod actor;
pub mod attachment;
pub mod collection;
pub mod document;
pub mod event;
pub mod helpers;
pub mod note;
pub mod object;
pub mod place;
pub mod tag;
pub mod tombstone;
pub mod values;

#[cfg(test)]
mod round_trip_tests;
