//! The one integration test binary: `support/` (TestApp, test databases, processes) and one module
//! per capability.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    reason = "a test that cannot go on should stop with the reason"
)]

mod api;
mod discovery;
mod events;
mod federation;
mod foundation;
mod groups;
mod social;
mod support;
mod web;
