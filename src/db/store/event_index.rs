//! The directory's search index: character bigrams of each event's `search_text`.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{event_search_grams, events};
use crate::domain::search;

/// Stores `text` as the event's searchable text and replaces its grams. Call it whenever the
/// title, description, place or tags of an event change (local or remote).
pub fn reindex(conn: &mut DbConnection, event_id: i64, text: &str) -> QueryResult<()> {
    let normalised = search::normalise(text);
    diesel::update(events::table.find(event_id))
        .set(events::search_text.eq(&normalised))
        .execute(conn)?;
    diesel::delete(event_search_grams::table.filter(event_search_grams::event_id.eq(event_id)))
        .execute(conn)?;
    // One row at a time: batch inserts do not work through the MultiConnection.
    for gram in search::grams(&normalised) {
        diesel::insert_into(event_search_grams::table)
            .values((
                event_search_grams::gram.eq(gram),
                event_search_grams::event_id.eq(event_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}
