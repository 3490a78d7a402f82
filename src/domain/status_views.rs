//! Statuses as the client API shows them to one viewer, loaded for a whole page at once: a fixed
//! number of queries whatever the page size (authors, boosted originals, media, mentions, tags,
//! applications, the viewer's favourites/boosts/bookmarks/pins, filters).

use std::collections::HashMap;

use crate::db::models::{AccountRow, ApplicationRow, EventRow, MediaRow, StatusRow, TagRow};
use crate::db::{DbConnection, store};
use crate::domain::filters::{FilterContext, FilterMatch, Matcher};
use crate::domain::profiles::{self, AccountView};
use crate::error::AppError;

/// What the viewer has done to a status.
#[derive(Debug, Clone, Copy, Default)]
pub struct ViewerState {
    pub favourited: bool,
    pub reblogged: bool,
    pub bookmarked: bool,
    pub pinned: bool,
    /// Whether the viewer muted the conversation (not supported yet: always false).
    pub muted: bool,
}

/// Everything the Status entity is made of.
#[derive(Debug, Clone)]
pub struct StatusView {
    pub status: StatusRow,
    pub account: AccountView,
    pub media: Vec<MediaRow>,
    pub mentions: Vec<AccountRow>,
    pub tags: Vec<TagRow>,
    /// The app that posted it, shown to its author only (as Mastodon does by default).
    pub application: Option<ApplicationRow>,
    /// On a boost: the boosted status.
    pub reblog: Option<Box<StatusView>>,
    /// `None` for anonymous viewers.
    pub viewer: Option<ViewerState>,
    /// The viewer's filters that match (a boost carries its original's).
    pub filtered: Vec<FilterMatch>,
    /// When the status is an event's.
    pub event: Option<EventView>,
}

/// An event as one viewer sees it.
#[derive(Debug, Clone)]
pub struct EventView {
    pub event: EventRow,
    /// The viewer's participation state (`accepted`, `pending`, `waitlisted`...), if any.
    pub participation: Option<String>,
    /// Requests waiting for the organiser, shown to those who decide on them.
    pub pending_requests: Option<i64>,
}

impl StatusView {
    /// Whether one of the viewer's filters drops this status.
    pub fn hidden_by_filter(&self) -> bool {
        self.filtered.iter().any(FilterMatch::hides)
    }
}

/// Loads the views of `rows` (in their order) as `viewer` sees them, with the viewer's filters of
/// `context` applied (`None`: no filters, as for bookmarks). Rows whose author (or boosted
/// original) is gone or suspended are left out; visibility is the caller's business.
pub fn load(
    conn: &mut DbConnection,
    viewer: Option<i64>,
    rows: Vec<StatusRow>,
    context: Option<FilterContext>,
) -> Result<Vec<StatusView>, AppError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut originals: HashMap<i64, StatusRow> = HashMap::new();
    let boosted: Vec<i64> = rows.iter().filter_map(|s| s.reblog_of_id).collect();
    for original in store::statuses::find_many(conn, &boosted)? {
        originals.insert(original.id, original);
    }
    let all: Vec<&StatusRow> = rows.iter().chain(originals.values()).collect();
    let ids: Vec<i64> = all.iter().map(|s| s.id).collect();

    let mut media: HashMap<i64, Vec<MediaRow>> = HashMap::new();
    for row in store::media::for_statuses(conn, &ids)? {
        if let Some(status_id) = row.status_id {
            media.entry(status_id).or_default().push(row);
        }
    }
    let mut mentioned: HashMap<i64, Vec<i64>> = HashMap::new();
    for mention in store::statuses::mentions_of(conn, &ids)? {
        mentioned
            .entry(mention.status_id)
            .or_default()
            .push(mention.account_id);
    }
    let mut tags: HashMap<i64, Vec<TagRow>> = HashMap::new();
    for (status_id, tag) in store::statuses::tags_of(conn, &ids)? {
        tags.entry(status_id).or_default().push(tag);
    }
    let mut account_ids: Vec<i64> = all.iter().map(|s| s.account_id).collect();
    account_ids.extend(mentioned.values().flatten().copied());
    account_ids.sort_unstable();
    account_ids.dedup();
    let accounts: HashMap<i64, AccountView> = profiles::account_views_in(conn, &account_ids)?
        .into_iter()
        .map(|v| (v.account.id, v))
        .collect();
    let own: Vec<i64> = all
        .iter()
        .filter(|s| Some(s.account_id) == viewer)
        .map(|s| s.id)
        .collect();
    let applications: HashMap<i64, ApplicationRow> = store::posting::applications_of(conn, &own)?
        .into_iter()
        .collect();
    let flags = match viewer {
        Some(viewer) => Some(store::relations::viewer_flags(conn, viewer, &ids)?),
        None => None,
    };
    let mut events: HashMap<i64, EventView> = HashMap::new();
    let event_rows = store::events::find_many(conn, &ids)?;
    if !event_rows.is_empty() {
        let event_ids: Vec<i64> = event_rows.iter().map(|e| e.id).collect();
        let mine: HashMap<i64, String> = match viewer {
            Some(viewer) => store::events::participations_of(conn, viewer, &event_ids)?
                .into_iter()
                .map(|p| (p.event_id, p.state))
                .collect(),
            None => HashMap::new(),
        };
        let pending: HashMap<i64, i64> = store::events::pending_counts(conn, &event_ids)?
            .into_iter()
            .collect();
        for event in event_rows {
            let manages = match viewer {
                Some(viewer) => crate::domain::events::can_manage(conn, &event, viewer)?,
                None => false,
            };
            events.insert(
                event.id,
                EventView {
                    participation: mine.get(&event.id).cloned(),
                    pending_requests: manages.then(|| pending.get(&event.id).copied().unwrap_or(0)),
                    event,
                },
            );
        }
    }
    let matcher = match (viewer, context) {
        (Some(viewer), Some(context)) => Matcher::load(conn, viewer, context)?,
        _ => Matcher::default(),
    };

    let build = |status: &StatusRow| -> Option<StatusView> {
        let account = accounts.get(&status.account_id)?.clone();
        let status_media = media.get(&status.id).cloned().unwrap_or_default();
        let filtered = if status.reblog_of_id.is_none() {
            matcher.matches(status, &status_media)
        } else {
            Vec::new()
        };
        Some(StatusView {
            account,
            media: status_media,
            mentions: mentioned
                .get(&status.id)
                .map(|ids| {
                    ids.iter()
                        .filter_map(|id| accounts.get(id).map(|v| v.account.clone()))
                        .collect()
                })
                .unwrap_or_default(),
            tags: tags.get(&status.id).cloned().unwrap_or_default(),
            application: applications.get(&status.id).cloned(),
            reblog: None,
            viewer: flags.as_ref().map(|f| ViewerState {
                favourited: f.favourited.contains(&status.id),
                reblogged: f.reblogged.contains(&status.id),
                bookmarked: f.bookmarked.contains(&status.id),
                pinned: f.pinned.contains(&status.id),
                muted: false,
            }),
            filtered,
            event: events.get(&status.id).cloned(),
            status: status.clone(),
        })
    };

    let mut views = Vec::with_capacity(rows.len());
    for row in &rows {
        let Some(mut view) = build(row) else {
            continue;
        };
        if let Some(original_id) = row.reblog_of_id {
            let Some(original) = originals.get(&original_id).and_then(&build) else {
                continue;
            };
            // What the viewer did is shown on the boost too (as Mastodon answers a reblog).
            view.filtered = original.filtered.clone();
            view.viewer = original.viewer.map(|state| ViewerState {
                pinned: false,
                ..state
            });
            view.reblog = Some(Box::new(original));
        }
        views.push(view);
    }
    Ok(views)
}
