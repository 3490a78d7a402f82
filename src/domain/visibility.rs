//! Who may see a status: Mastodon's four visibilities, plus blocks.

use crate::db::DbConnection;
use crate::db::models::StatusRow;
use crate::db::store;
use crate::error::AppError;

/// A status's audience, as Mastodon names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Everyone, in public timelines too.
    Public,
    /// Everyone, but not in public timelines.
    Unlisted,
    /// Followers and mentioned accounts ("followers only").
    Private,
    /// Mentioned accounts only.
    Direct,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
            Visibility::Private => "private",
            Visibility::Direct => "direct",
        }
    }

    pub fn parse(value: &str) -> Result<Visibility, AppError> {
        match value {
            "public" => Ok(Visibility::Public),
            "unlisted" => Ok(Visibility::Unlisted),
            "private" => Ok(Visibility::Private),
            "direct" => Ok(Visibility::Direct),
            other => Err(AppError::Unprocessable(format!(
                "Validation failed: \"{other}\" is not a visibility; use public, unlisted, private or direct"
            ))),
        }
    }

    /// Visibility stored on a row (rows are checked on insert).
    pub fn of(status: &StatusRow) -> Visibility {
        Visibility::parse(&status.visibility).unwrap_or(Visibility::Direct)
    }

    /// Whether others may boost a status with this visibility.
    pub fn boostable(self) -> bool {
        matches!(self, Visibility::Public | Visibility::Unlisted)
    }
}

/// Whether `viewer` (`None` for an anonymous request) may see `status`.
pub fn can_view(
    conn: &mut DbConnection,
    viewer: Option<i64>,
    status: &StatusRow,
) -> Result<bool, AppError> {
    if viewer == Some(status.account_id) {
        return Ok(true);
    }
    if let Some(viewer) = viewer
        && store::relations::blocked_either_way(conn, viewer, status.account_id)?
    {
        return Ok(false);
    }
    // Posts of members-only groups: the group's members and moderators only.
    if let Some(group_id) = status.group_id
        && let Some(group) = store::groups::find(conn, group_id)?
        && group.members_only
    {
        return Ok(match viewer {
            None => false,
            Some(viewer) if viewer == group_id => true,
            Some(viewer) => {
                store::relations::find_follow(conn, viewer, group_id)?.is_some_and(|f| f.accepted())
                    || store::groups::role(conn, group_id, viewer)?.is_some()
            }
        });
    }
    Ok(match Visibility::of(status) {
        Visibility::Public | Visibility::Unlisted => true,
        Visibility::Private => match viewer {
            None => false,
            Some(viewer) => {
                store::relations::find_follow(conn, viewer, status.account_id)?
                    .is_some_and(|f| f.accepted())
                    || store::statuses::is_mentioned(conn, status.id, viewer)?
                    // A followers-only post in a group (a group's members-only event) is the
                    // group members' too, whether or not they follow its author.
                    || match status.group_id {
                        Some(group_id) => {
                            viewer == group_id
                                || store::relations::find_follow(conn, viewer, group_id)?
                                    .is_some_and(|f| f.accepted())
                                || store::groups::role(conn, group_id, viewer)?.is_some()
                        }
                        None => false,
                    }
            }
        },
        Visibility::Direct => match viewer {
            None => false,
            Some(viewer) => store::statuses::is_mentioned(conn, status.id, viewer)?,
        },
    })
}

/// The status with this id if the viewer may see it; `NotFound` otherwise (Mastodon does not
/// reveal that a hidden status exists).
pub fn visible_status(
    conn: &mut DbConnection,
    viewer: Option<i64>,
    id: i64,
) -> Result<StatusRow, AppError> {
    let status = store::statuses::find(conn, id)?.ok_or(AppError::NotFound)?;
    if can_view(conn, viewer, &status)? {
        Ok(status)
    } else {
        Err(AppError::NotFound)
    }
}

/// Keeps the statuses the viewer may see, in order.
pub fn filter_visible(
    conn: &mut DbConnection,
    viewer: Option<i64>,
    statuses: Vec<StatusRow>,
) -> Result<Vec<StatusRow>, AppError> {
    let mut visible = Vec::with_capacity(statuses.len());
    for status in statuses {
        if can_view(conn, viewer, &status)? {
            visible.push(status);
        }
    }
    Ok(visible)
}
