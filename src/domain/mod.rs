//! Rules and permission checks, shared by client requests, federation and the CLI. No axum types,
//! no diesel DSL: storage goes through `db::store`.

pub mod accounts;
pub mod instance;
pub mod keys;
pub mod media;
pub mod oauth;
pub mod paging;
pub mod prefectures;
pub mod profiles;
pub mod scopes;
pub mod secrets;
pub mod text;
pub mod urls;
