//! The foundation: configuration, both databases, accounts, the HTTP skeleton, the CLI and the
//! process.

mod accounts;
mod cli;
mod http;
mod readiness;
mod schema;
mod serve;
mod setup;
