//! Events: the client API in one process, and RSVP, cancellation and time zones across
//! instances.

mod api;
mod federation;
mod friendica;
mod ics_check;
mod mobilizon;
