//! Kakehashi (架け橋): a federated ActivityPub community server for local-government staff and the
//! people who work with them. The binary is a thin CLI over this library.

pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod federation_glue;
pub mod http;
pub mod i18n;
pub mod jobs;
pub mod server;
pub mod state;
