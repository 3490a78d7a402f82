//! Federation: discovery documents, actors, the inbox, delivery, and several instances together.

mod discovery;
mod security;
mod social;
