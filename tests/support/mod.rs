//! Test harness: an in-process `TestApp`, a database per test, and a live `kakehashi` process.

#![allow(
    dead_code,
    reason = "each test module uses a different part of the harness"
)]

pub mod app;
pub mod database;
pub mod network;
pub mod process;
pub mod proxy;

pub use app::TestApp;
pub use database::TestDatabase;
