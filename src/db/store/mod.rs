//! The only place with diesel query DSL: one module per table group.

pub mod accounts;
pub mod conversations;
pub mod counts;
pub mod directory;
pub mod event_index;
pub mod events;
pub mod federation;
pub mod filters;
pub mod groups;
pub mod lists;
pub mod markers;
pub mod media;
pub mod oauth;
pub mod partners;
pub mod posting;
pub mod profiles;
pub mod relations;
pub mod relationships;
pub mod search;
pub mod settings;
pub mod statuses;
pub mod timelines;

use crate::db::DbConnection;

/// The diesel backend of [`DbConnection`], for boxed queries.
pub type Backend = <DbConnection as diesel::Connection>::Backend;

/// Which slice of a newest-first list to read (Mastodon's `max_id`/`since_id`/`min_id`/`limit`).
pub use crate::domain::paging::Page;

diesel::define_sql_function! {
    /// SQL `lower(text)`, the same in SQLite and PostgreSQL (diesel's own `lower` is PostgreSQL's
    /// range function).
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}
