//! The only place with diesel query DSL: one module per table group.

pub mod accounts;
pub mod counts;
pub mod media;
pub mod oauth;
pub mod profiles;
pub mod settings;

diesel::define_sql_function! {
    /// SQL `lower(text)`, the same in SQLite and PostgreSQL (diesel's own `lower` is PostgreSQL's
    /// range function).
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}
