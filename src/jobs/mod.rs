//! Background work: the durable delivery queue and periodic clean-ups. Everything here survives a
//! restart because its state is in the database.

pub mod delivery;
pub mod retry;
