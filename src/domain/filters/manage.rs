//! Creating, changing and deleting filters, their keywords and statuses; v1 filters.

use chrono::{Duration, NaiveDateTime, Utc};

use super::{ACTIONS, CONTEXTS, FilterView};
use crate::db::models::{FilterKeywordRow, FilterRow, FilterStatusRow};
use crate::db::{Db, DbConnection, ids, store};
use crate::domain::visibility;
use crate::error::AppError;

/// Mastodon's limit on a filter's title and keywords.
const TEXT_MAX: usize = 256;

/// What a client sends to create or change a v2 filter; `None` leaves a value as it is.
#[derive(Debug, Clone, Default)]
pub struct FilterInput {
    pub title: Option<String>,
    pub context: Option<Vec<String>>,
    pub action: Option<String>,
    /// `Some(None)`: never expires; `Some(Some(seconds))`: expires that long from now.
    pub expires_in: Option<Option<i64>>,
    pub keywords: Vec<KeywordInput>,
}

/// A keyword change inside a filter change (`keywords_attributes[]`).
#[derive(Debug, Clone, Default)]
pub struct KeywordInput {
    /// An existing keyword to change or remove; `None` adds one.
    pub id: Option<i64>,
    pub keyword: Option<String>,
    pub whole_word: Option<bool>,
    pub destroy: bool,
}

fn invalid(message: &str) -> AppError {
    AppError::Unprocessable(format!("Validation failed: {message}"))
}

pub(super) fn check_text(what: &str, text: &str) -> Result<String, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid(&format!("{what} can't be blank")));
    }
    if text.chars().count() > TEXT_MAX {
        return Err(invalid(&format!(
            "{what} is too long (maximum is {TEXT_MAX} characters)"
        )));
    }
    Ok(text.to_owned())
}

fn check_context(context: &[String]) -> Result<String, AppError> {
    let mut kept: Vec<&str> = Vec::new();
    for c in context {
        let c = c.trim();
        if !CONTEXTS.contains(&c) {
            return Err(invalid(&format!(
                "Context \"{c}\" is not one of {}",
                CONTEXTS.join(", ")
            )));
        }
        if !kept.contains(&c) {
            kept.push(c);
        }
    }
    if kept.is_empty() {
        return Err(invalid("Context can't be blank"));
    }
    Ok(kept.join(" "))
}

fn check_action(action: &str) -> Result<String, AppError> {
    if ACTIONS.contains(&action) {
        Ok(action.to_owned())
    } else {
        Err(invalid(&format!(
            "Filter action \"{action}\" is not one of {}",
            ACTIONS.join(", ")
        )))
    }
}

fn expiry(seconds: Option<i64>, now: NaiveDateTime) -> Option<NaiveDateTime> {
    seconds
        .filter(|s| *s > 0)
        .map(|s| now + Duration::seconds(s))
}

fn view(conn: &mut DbConnection, filter: FilterRow) -> Result<FilterView, AppError> {
    Ok(FilterView {
        keywords: store::filters::keywords_of(conn, &[filter.id])?,
        statuses: store::filters::statuses_of(conn, &[filter.id])?,
        filter,
    })
}

fn own(conn: &mut DbConnection, account_id: i64, id: i64) -> Result<FilterRow, AppError> {
    store::filters::find(conn, account_id, id)?.ok_or(AppError::NotFound)
}

/// A member's filters with their keywords and statuses, oldest first.
pub async fn list(db: &Db, account_id: i64) -> Result<Vec<FilterView>, AppError> {
    db.run(move |conn| {
        let filters = store::filters::of_account(conn, account_id)?;
        let ids: Vec<i64> = filters.iter().map(|f| f.id).collect();
        let keywords = store::filters::keywords_of(conn, &ids)?;
        let statuses = store::filters::statuses_of(conn, &ids)?;
        Ok(filters
            .into_iter()
            .map(|filter| FilterView {
                keywords: keywords
                    .iter()
                    .filter(|k| k.filter_id == filter.id)
                    .cloned()
                    .collect(),
                statuses: statuses
                    .iter()
                    .filter(|s| s.filter_id == filter.id)
                    .cloned()
                    .collect(),
                filter,
            })
            .collect())
    })
    .await
}

pub async fn get(db: &Db, account_id: i64, id: i64) -> Result<FilterView, AppError> {
    db.run(move |conn| {
        let filter = own(conn, account_id, id)?;
        view(conn, filter)
    })
    .await
}

/// Creates a v2 filter (`title` and `context` are required; the action defaults to `warn`).
pub async fn create(db: &Db, account_id: i64, input: FilterInput) -> Result<FilterView, AppError> {
    let title = check_text("Title", input.title.as_deref().unwrap_or_default())?;
    let context = check_context(&input.context.clone().unwrap_or_default())?;
    let action = check_action(input.action.as_deref().unwrap_or("warn"))?;
    db.transaction(move |conn| {
        let now = Utc::now().naive_utc();
        let filter = FilterRow {
            id: ids::next_id(),
            account_id,
            title,
            context,
            action,
            expires_at: expiry(input.expires_in.flatten(), now),
            created_at: now,
            updated_at: now,
        };
        store::filters::insert(conn, &filter)?;
        apply_keywords(conn, &filter, input.keywords, now)?;
        view(conn, filter)
    })
    .await
}

/// Changes a v2 filter and, through `keywords`, adds, changes or removes its keywords.
pub async fn update(
    db: &Db,
    account_id: i64,
    id: i64,
    input: FilterInput,
) -> Result<FilterView, AppError> {
    db.transaction(move |conn| {
        let mut filter = own(conn, account_id, id)?;
        let now = Utc::now().naive_utc();
        if let Some(title) = &input.title {
            filter.title = check_text("Title", title)?;
        }
        if let Some(context) = &input.context {
            filter.context = check_context(context)?;
        }
        if let Some(action) = &input.action {
            filter.action = check_action(action)?;
        }
        if let Some(expires_in) = input.expires_in {
            filter.expires_at = expiry(expires_in, now);
        }
        filter.updated_at = now;
        store::filters::update(conn, &filter)?;
        apply_keywords(conn, &filter, input.keywords, now)?;
        view(conn, filter)
    })
    .await
}

fn apply_keywords(
    conn: &mut DbConnection,
    filter: &FilterRow,
    changes: Vec<KeywordInput>,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let existing = store::filters::keywords_of(conn, &[filter.id])?;
    for change in changes {
        match change.id {
            Some(id) => {
                let mut row = existing
                    .iter()
                    .find(|k| k.id == id)
                    .cloned()
                    .ok_or(AppError::NotFound)?;
                if change.destroy {
                    store::filters::delete_keyword(conn, id)?;
                    continue;
                }
                if let Some(keyword) = &change.keyword {
                    row.keyword = check_text("Keyword", keyword)?;
                }
                if let Some(whole_word) = change.whole_word {
                    row.whole_word = whole_word;
                }
                row.updated_at = now;
                store::filters::update_keyword(conn, &row)?;
            }
            None if change.destroy => {}
            None => {
                store::filters::insert_keyword(
                    conn,
                    &FilterKeywordRow {
                        id: ids::next_id(),
                        filter_id: filter.id,
                        keyword: check_text(
                            "Keyword",
                            change.keyword.as_deref().unwrap_or_default(),
                        )?,
                        whole_word: change.whole_word.unwrap_or(true),
                        created_at: now,
                        updated_at: now,
                    },
                )?;
            }
        }
    }
    Ok(())
}

pub async fn delete(db: &Db, account_id: i64, id: i64) -> Result<(), AppError> {
    db.transaction(move |conn| {
        own(conn, account_id, id)?;
        store::filters::delete(conn, id)?;
        Ok(())
    })
    .await
}

/// Adds a keyword to one of the member's filters.
pub async fn add_keyword(
    db: &Db,
    account_id: i64,
    filter_id: i64,
    keyword: String,
    whole_word: Option<bool>,
) -> Result<FilterKeywordRow, AppError> {
    let keyword = check_text("Keyword", &keyword)?;
    db.transaction(move |conn| {
        own(conn, account_id, filter_id)?;
        let now = Utc::now().naive_utc();
        let row = FilterKeywordRow {
            id: ids::next_id(),
            filter_id,
            keyword,
            whole_word: whole_word.unwrap_or(true),
            created_at: now,
            updated_at: now,
        };
        store::filters::insert_keyword(conn, &row)?;
        Ok(row)
    })
    .await
}

pub async fn keyword(db: &Db, account_id: i64, id: i64) -> Result<FilterKeywordRow, AppError> {
    db.run(move |conn| {
        store::filters::find_keyword(conn, account_id, id)?
            .map(|(k, _)| k)
            .ok_or(AppError::NotFound)
    })
    .await
}

pub async fn update_keyword(
    db: &Db,
    account_id: i64,
    id: i64,
    keyword: Option<String>,
    whole_word: Option<bool>,
) -> Result<FilterKeywordRow, AppError> {
    db.transaction(move |conn| {
        let (mut row, _) =
            store::filters::find_keyword(conn, account_id, id)?.ok_or(AppError::NotFound)?;
        if let Some(keyword) = keyword {
            row.keyword = check_text("Keyword", &keyword)?;
        }
        if let Some(whole_word) = whole_word {
            row.whole_word = whole_word;
        }
        row.updated_at = Utc::now().naive_utc();
        store::filters::update_keyword(conn, &row)?;
        Ok(row)
    })
    .await
}

pub async fn delete_keyword(db: &Db, account_id: i64, id: i64) -> Result<(), AppError> {
    db.transaction(move |conn| {
        store::filters::find_keyword(conn, account_id, id)?.ok_or(AppError::NotFound)?;
        store::filters::delete_keyword(conn, id)?;
        Ok(())
    })
    .await
}

/// Filters one status the member may see (`status_matches`).
pub async fn add_status(
    db: &Db,
    account_id: i64,
    filter_id: i64,
    status_id: i64,
) -> Result<FilterStatusRow, AppError> {
    db.transaction(move |conn| {
        own(conn, account_id, filter_id)?;
        let status = visibility::visible_status(conn, Some(account_id), status_id)?;
        if let Some(existing) = store::filters::statuses_of(conn, &[filter_id])?
            .into_iter()
            .find(|s| s.status_id == status.id)
        {
            return Ok(existing);
        }
        let row = FilterStatusRow {
            id: ids::next_id(),
            filter_id,
            status_id: status.id,
            created_at: Utc::now().naive_utc(),
        };
        store::filters::insert_status(conn, &row)?;
        Ok(row)
    })
    .await
}

pub async fn status(db: &Db, account_id: i64, id: i64) -> Result<FilterStatusRow, AppError> {
    db.run(move |conn| {
        store::filters::find_status(conn, account_id, id)?
            .map(|(s, _)| s)
            .ok_or(AppError::NotFound)
    })
    .await
}

pub async fn delete_status(db: &Db, account_id: i64, id: i64) -> Result<(), AppError> {
    db.transaction(move |conn| {
        store::filters::find_status(conn, account_id, id)?.ok_or(AppError::NotFound)?;
        store::filters::delete_status(conn, id)?;
        Ok(())
    })
    .await
}
