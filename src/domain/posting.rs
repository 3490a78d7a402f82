//! Posting from a client app: the member's posting defaults, the application that posted, and
//! `Idempotency-Key` (a retried request answers the status the first one created).

use chrono::{Duration, Utc};

use crate::db::models::{IdempotencyKeyRow, StatusApplicationRow, StatusRow, UserSettingsRow};
use crate::db::store;
use crate::domain::change;
use crate::domain::statuses::{self, NewPost};
use crate::domain::visibility::Visibility;
use crate::error::AppError;
use crate::state::AppState;

/// How long an idempotency key names the status it created (Mastodon keeps them an hour).
pub const IDEMPOTENCY_WINDOW: Duration = Duration::hours(1);

/// A new status as a client sends it.
#[derive(Debug, Clone, Default)]
pub struct ClientPost {
    /// `visibility` and `language` left `None` take the member's defaults.
    pub post: NewPost,
    /// `None` takes the member's default.
    pub sensitive: Option<bool>,
    /// The application whose token posted.
    pub application_id: Option<i64>,
    /// The `Idempotency-Key` header.
    pub idempotency_key: Option<String>,
}

/// Posts for local member `author_id`, or answers the status an earlier request with the same
/// idempotency key created within the hour.
pub async fn publish(
    state: &AppState,
    author_id: i64,
    request: ClientPost,
) -> Result<StatusRow, AppError> {
    let key = request
        .idempotency_key
        .clone()
        .filter(|k| !k.trim().is_empty());
    if let Some(key) = key.clone()
        && let Some(existing) = earlier(state, author_id, key).await?
    {
        return Ok(existing);
    }
    let urls = state.urls.clone();
    let stored_key = key.clone();
    let result = change(state, move |conn, fx| {
        let settings = store::settings::find(conn, author_id)?
            .unwrap_or_else(|| UserSettingsRow::defaults(author_id, Utc::now().naive_utc()));
        let mut post = request.post;
        if post.visibility.is_none() {
            post.visibility = Some(Visibility::parse(&settings.default_privacy)?);
        }
        post.sensitive = request.sensitive.unwrap_or(settings.default_sensitive);
        if post.language.as_deref().is_none_or(str::is_empty) {
            post.language = settings.default_language.clone();
        }
        let status = statuses::create_local(conn, fx, &urls, author_id, post)?;
        if let Some(application_id) = request.application_id {
            store::posting::set_application(
                conn,
                &StatusApplicationRow {
                    status_id: status.id,
                    application_id,
                },
            )?;
        }
        if let Some(key) = stored_key {
            let now = Utc::now().naive_utc();
            store::posting::insert_key(
                conn,
                &IdempotencyKeyRow {
                    account_id: author_id,
                    key,
                    status_id: status.id,
                    created_at: now,
                },
                now - IDEMPOTENCY_WINDOW,
            )?;
        }
        Ok(status)
    })
    .await;
    match (result, key) {
        // The same key in a request that ran at the same time: that one's status.
        (Err(AppError::Conflict(_)), Some(key)) => earlier(state, author_id, key)
            .await?
            .ok_or_else(|| AppError::Conflict("The request is being processed".to_owned())),
        (result, _) => result,
    }
}

/// The status created with `key` within the window, if it still exists.
async fn earlier(
    state: &AppState,
    author_id: i64,
    key: String,
) -> Result<Option<StatusRow>, AppError> {
    state
        .db
        .run(move |conn| {
            let since = Utc::now().naive_utc() - IDEMPOTENCY_WINDOW;
            match store::posting::find_key(conn, author_id, &key, since)? {
                Some(id) => Ok(store::statuses::find(conn, id)?),
                None => Ok(None),
            }
        })
        .await
}
