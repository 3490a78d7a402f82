//! Federation: discovery documents, actors, the inbox, delivery, and several instances together.

mod actors;
mod discovery;
mod queue;
mod security;
mod social;
