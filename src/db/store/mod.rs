//! The only place with diesel query DSL: one module per table group.

pub mod accounts;
pub mod federation;
pub mod relations;
pub mod statuses;

use crate::db::DbConnection;

/// The diesel backend of [`DbConnection`], for boxed queries.
pub type Backend = <DbConnection as diesel::Connection>::Backend;

/// Which slice of a newest-first list to read, by id: Mastodon's `max_id`, `since_id`, `min_id`
/// and `limit`.
///
/// - `max_id`: only ids below it (the next, older page);
/// - `since_id`: only ids above it, newest first (what is new, possibly with a gap);
/// - `min_id`: the ids immediately above it (the previous page, without a gap), still returned
///   newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    pub max_id: Option<i64>,
    pub since_id: Option<i64>,
    pub min_id: Option<i64>,
    pub limit: i64,
}

impl Page {
    /// The first page of `limit` items.
    pub fn first(limit: i64) -> Page {
        Page {
            limit,
            ..Page::default()
        }
    }
}

diesel::define_sql_function! {
    /// SQL `lower(text)`, the same in SQLite and PostgreSQL (diesel's own `lower` is PostgreSQL's
    /// range function).
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}
