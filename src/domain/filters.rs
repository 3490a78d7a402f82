//! Content filters: a member's v2 filters (title, contexts, action, keywords, statuses), the v1
//! view of them (one filter per keyword), and matching statuses against them.

use chrono::{Duration, NaiveDateTime, Utc};
use regex::Regex;

use crate::db::models::{FilterKeywordRow, FilterRow, FilterStatusRow, MediaRow, StatusRow};
use crate::db::{Db, DbConnection, ids, store};
use crate::domain::html;
use crate::domain::visibility;
use crate::error::AppError;

/// Where a filter applies, as Mastodon names the places.
pub const CONTEXTS: &[&str] = &["home", "notifications", "public", "thread", "account"];
/// What a filter does to a match: show a warning, drop it, or blur it.
pub const ACTIONS: &[&str] = &["warn", "hide", "blur"];
/// Mastodon's limit on a filter's title and keywords.
const TEXT_MAX: usize = 256;

/// The place statuses are shown in, which decides the filters that apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterContext {
    Home,
    Notifications,
    Public,
    Thread,
    Account,
}

impl FilterContext {
    pub fn as_str(self) -> &'static str {
        match self {
            FilterContext::Home => "home",
            FilterContext::Notifications => "notifications",
            FilterContext::Public => "public",
            FilterContext::Thread => "thread",
            FilterContext::Account => "account",
        }
    }
}

/// A filter with its keywords and statuses.
#[derive(Debug, Clone)]
pub struct FilterView {
    pub filter: FilterRow,
    pub keywords: Vec<FilterKeywordRow>,
    pub statuses: Vec<FilterStatusRow>,
}

/// One filter that matched a status (Mastodon's FilterResult).
#[derive(Debug, Clone)]
pub struct FilterMatch {
    pub filter: FilterRow,
    pub keyword_matches: Vec<String>,
    pub status_matches: Vec<i64>,
}

impl FilterMatch {
    /// Whether the status is dropped rather than shown with a warning.
    pub fn hides(&self) -> bool {
        self.filter.action == "hide"
    }
}

struct Compiled {
    filter: FilterRow,
    keywords: Vec<(String, Regex)>,
    statuses: Vec<i64>,
}

/// A member's active filters for one context, ready to match.
#[derive(Default)]
pub struct Matcher {
    filters: Vec<Compiled>,
}

impl Matcher {
    /// The member's unexpired filters that apply in `context`.
    pub fn load(
        conn: &mut DbConnection,
        account_id: i64,
        context: FilterContext,
    ) -> Result<Matcher, AppError> {
        let active: Vec<FilterRow> =
            store::filters::active_of(conn, account_id, Utc::now().naive_utc())?
                .into_iter()
                .filter(|f| f.contexts().iter().any(|c| c == context.as_str()))
                .collect();
        let ids: Vec<i64> = active.iter().map(|f| f.id).collect();
        let keywords = store::filters::keywords_of(conn, &ids)?;
        let statuses = store::filters::statuses_of(conn, &ids)?;
        let filters = active
            .into_iter()
            .map(|filter| Compiled {
                keywords: keywords
                    .iter()
                    .filter(|k| k.filter_id == filter.id)
                    .filter_map(|k| {
                        keyword_regex(&k.keyword, k.whole_word).map(|r| (k.keyword.clone(), r))
                    })
                    .collect(),
                statuses: statuses
                    .iter()
                    .filter(|s| s.filter_id == filter.id)
                    .map(|s| s.status_id)
                    .collect(),
                filter,
            })
            .collect();
        Ok(Matcher { filters })
    }

    pub fn is_empty(&self) -> bool {
        self.filters.is_empty()
    }

    /// The filters `status` (an original, not a boost) matches, given its attachments.
    pub fn matches(&self, status: &StatusRow, media: &[MediaRow]) -> Vec<FilterMatch> {
        if self.filters.is_empty() {
            return Vec::new();
        }
        let text = searchable_text(status, media);
        self.filters
            .iter()
            .filter_map(|f| {
                let keyword_matches: Vec<String> = f
                    .keywords
                    .iter()
                    .filter(|(_, regex)| regex.is_match(&text))
                    .map(|(keyword, _)| keyword.clone())
                    .collect();
                let status_matches: Vec<i64> = f
                    .statuses
                    .iter()
                    .copied()
                    .filter(|id| *id == status.id)
                    .collect();
                (!keyword_matches.is_empty() || !status_matches.is_empty()).then(|| FilterMatch {
                    filter: f.filter.clone(),
                    keyword_matches,
                    status_matches,
                })
            })
            .collect()
    }
}

/// What keywords are matched against: content warning, title, text and image descriptions.
fn searchable_text(status: &StatusRow, media: &[MediaRow]) -> String {
    let mut parts: Vec<String> = vec![status.spoiler_text.clone()];
    parts.extend(status.title.clone());
    parts.push(html::to_plain_text(&status.content));
    parts.extend(media.iter().filter_map(|m| m.description.clone()));
    parts.join("\n\n")
}

/// Mastodon's rule: case-insensitive; a whole-word keyword needs a word boundary on each side
/// that starts or ends with a word character (so Japanese keywords inside longer words match
/// only when `whole_word` is off).
fn keyword_regex(keyword: &str, whole_word: bool) -> Option<Regex> {
    let escaped = regex::escape(keyword);
    let pattern = if whole_word {
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let start = if word(keyword.chars().next()) {
            r"\b"
        } else {
            ""
        };
        let end = if word(keyword.chars().last()) {
            r"\b"
        } else {
            ""
        };
        format!("(?i){start}{escaped}{end}")
    } else {
        format!("(?i){escaped}")
    };
    Regex::new(&pattern).ok()
}

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

fn check_text(what: &str, text: &str) -> Result<String, AppError> {
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

/// A v1 filter: one keyword of a v2 filter, with the filter's context, expiry and action
/// (`irreversible` is the `hide` action).
#[derive(Debug, Clone)]
pub struct V1Filter {
    pub keyword: FilterKeywordRow,
    pub filter: FilterRow,
}

/// What a v1 client sends.
#[derive(Debug, Clone, Default)]
pub struct V1Input {
    pub phrase: Option<String>,
    pub context: Option<Vec<String>>,
    pub irreversible: Option<bool>,
    pub whole_word: Option<bool>,
    pub expires_in: Option<Option<i64>>,
}

pub async fn v1_list(db: &Db, account_id: i64) -> Result<Vec<V1Filter>, AppError> {
    Ok(list(db, account_id)
        .await?
        .into_iter()
        .flat_map(|v| {
            let filter = v.filter;
            v.keywords.into_iter().map(move |keyword| V1Filter {
                keyword,
                filter: filter.clone(),
            })
        })
        .collect())
}

pub async fn v1_get(db: &Db, account_id: i64, id: i64) -> Result<V1Filter, AppError> {
    db.run(move |conn| {
        let (keyword, filter) =
            store::filters::find_keyword(conn, account_id, id)?.ok_or(AppError::NotFound)?;
        Ok(V1Filter { keyword, filter })
    })
    .await
}

/// Creates a filter titled by its phrase, with that one keyword.
pub async fn v1_create(db: &Db, account_id: i64, input: V1Input) -> Result<V1Filter, AppError> {
    let phrase = check_text("Phrase", input.phrase.as_deref().unwrap_or_default())?;
    let created = create(
        db,
        account_id,
        FilterInput {
            title: Some(phrase.clone()),
            context: input.context,
            action: Some(
                if input.irreversible.unwrap_or(false) {
                    "hide"
                } else {
                    "warn"
                }
                .to_owned(),
            ),
            expires_in: input.expires_in,
            keywords: vec![KeywordInput {
                id: None,
                keyword: Some(phrase),
                whole_word: Some(input.whole_word.unwrap_or(true)),
                destroy: false,
            }],
        },
    )
    .await?;
    let keyword = created
        .keywords
        .into_iter()
        .next()
        .ok_or_else(|| AppError::internal("a new v1 filter has no keyword"))?;
    Ok(V1Filter {
        keyword,
        filter: created.filter,
    })
}

/// Changes the keyword and its filter's context, action and expiry.
pub async fn v1_update(
    db: &Db,
    account_id: i64,
    id: i64,
    input: V1Input,
) -> Result<V1Filter, AppError> {
    let V1Filter { keyword, filter } = v1_get(db, account_id, id).await?;
    update(
        db,
        account_id,
        filter.id,
        FilterInput {
            title: None,
            context: input.context,
            action: input
                .irreversible
                .map(|hide| if hide { "hide" } else { "warn" }.to_owned()),
            expires_in: input.expires_in,
            keywords: vec![KeywordInput {
                id: Some(keyword.id),
                keyword: input.phrase,
                whole_word: input.whole_word,
                destroy: false,
            }],
        },
    )
    .await?;
    v1_get(db, account_id, id).await
}

/// Removes the keyword, and its filter when nothing is left in it.
pub async fn v1_delete(db: &Db, account_id: i64, id: i64) -> Result<(), AppError> {
    db.transaction(move |conn| {
        let (keyword, filter) =
            store::filters::find_keyword(conn, account_id, id)?.ok_or(AppError::NotFound)?;
        store::filters::delete_keyword(conn, keyword.id)?;
        if store::filters::keywords_of(conn, &[filter.id])?.is_empty()
            && store::filters::statuses_of(conn, &[filter.id])?.is_empty()
        {
            store::filters::delete(conn, filter.id)?;
        }
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_need_boundaries_only_at_word_characters() {
        let whole = keyword_regex("cat", true).expect("regex");
        assert!(whole.is_match("A CAT sat"));
        assert!(!whole.is_match("concatenate"));
        let part = keyword_regex("cat", false).expect("regex");
        assert!(part.is_match("concatenate"));
        let symbol = keyword_regex("#tag", true).expect("regex");
        assert!(symbol.is_match("see #tag now"));
        let japanese = keyword_regex("防災", false).expect("regex");
        assert!(japanese.is_match("防災訓練のお知らせ"));
        let japanese_whole = keyword_regex("防災", true).expect("regex");
        assert!(!japanese_whole.is_match("防災訓練のお知らせ"));
        assert!(japanese_whole.is_match("防災 訓練"));
    }
}
