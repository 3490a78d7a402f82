//! Content filters: a member's v2 filters (title, contexts, action, keywords, statuses) and
//! matching statuses against them. Creating and changing them is in `manage`, their v1 view (one
//! filter per keyword) in `v1`.

mod manage;
mod v1;

pub use manage::*;
pub use v1::*;

use chrono::Utc;
use regex::Regex;

use crate::db::models::{FilterKeywordRow, FilterRow, FilterStatusRow, MediaRow, StatusRow};
use crate::db::{DbConnection, store};
use crate::domain::html;
use crate::error::AppError;

/// Where a filter applies, as Mastodon names the places.
pub const CONTEXTS: &[&str] = &["home", "notifications", "public", "thread", "account"];
/// What a filter does to a match: show a warning, drop it, or blur it.
pub const ACTIONS: &[&str] = &["warn", "hide", "blur"];

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
