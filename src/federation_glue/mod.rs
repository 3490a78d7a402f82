//! Between the server and the federation crate: who receives what we send, the outbox, and (later)
//! the federation crate's `Store` trait implemented by calling `domain`.

pub mod audience;
pub mod outbox;
