//! Rules and permission checks, shared by client requests, federation and the CLI. No axum types,
//! no diesel DSL: storage goes through `db::store`.

pub mod accounts;
pub mod keys;
pub mod prefectures;
pub mod urls;
