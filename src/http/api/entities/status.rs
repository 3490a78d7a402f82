//! The Status entity and what hangs off it: mentions, tags, the posting application, filter
//! results; StatusEdit and StatusSource.

use serde::Serialize;
use serde_json::Value;

use crate::db::models::{AccountRow, StatusEditRow, StatusRow, TagRow};
use crate::domain::filters::FilterMatch;
use crate::domain::html;
use crate::domain::status_views::StatusView;
use crate::domain::urls::Urls;
use crate::http::api::entities::event::{Event, StatusPleroma};
use crate::http::api::entities::filter::Filter;
use crate::http::api::entities::{Account, MediaAttachment, time};

/// `Status.mentions[]`.
#[derive(Debug, Clone, Serialize)]
pub struct Mention {
    pub id: String,
    pub username: String,
    pub url: String,
    pub acct: String,
}

impl Mention {
    pub fn from_account(account: &AccountRow) -> Mention {
        Mention {
            id: account.id.to_string(),
            username: account.username.clone(),
            url: account.url.clone().unwrap_or_else(|| account.ap_id.clone()),
            acct: acct(account),
        }
    }
}

/// `name` for local accounts, `name@domain` for remote ones.
pub fn acct(account: &AccountRow) -> String {
    match &account.domain {
        None => account.username.clone(),
        Some(domain) => format!("{}@{domain}", account.username),
    }
}

/// `Status.tags[]`.
#[derive(Debug, Clone, Serialize)]
pub struct StatusTag {
    pub name: String,
    pub url: String,
}

impl StatusTag {
    pub fn from_row(urls: &Urls, tag: &TagRow) -> StatusTag {
        StatusTag {
            name: tag.name.clone(),
            url: urls.tag(&html::normalise_tag(&tag.name)).to_string(),
        }
    }
}

/// `Status.application`.
#[derive(Debug, Clone, Serialize)]
pub struct StatusApplication {
    pub name: String,
    pub website: Option<String>,
}

/// `Status.filtered[]` (Mastodon's FilterResult).
#[derive(Debug, Clone, Serialize)]
pub struct FilterResult {
    pub filter: Filter,
    pub keyword_matches: Option<Vec<String>>,
    pub status_matches: Option<Vec<String>>,
}

impl FilterResult {
    pub fn from_match(m: &FilterMatch) -> FilterResult {
        FilterResult {
            filter: Filter::without_rules(&m.filter),
            keyword_matches: (!m.keyword_matches.is_empty()).then(|| m.keyword_matches.clone()),
            status_matches: (!m.status_matches.is_empty())
                .then(|| m.status_matches.iter().map(i64::to_string).collect()),
        }
    }
}

/// Mastodon's Status entity, in its field order.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub id: String,
    pub created_at: String,
    pub in_reply_to_id: Option<String>,
    pub in_reply_to_account_id: Option<String>,
    pub sensitive: bool,
    pub spoiler_text: String,
    pub visibility: String,
    pub language: Option<String>,
    pub uri: String,
    pub url: Option<String>,
    pub replies_count: i32,
    pub reblogs_count: i32,
    pub favourites_count: i32,
    pub edited_at: Option<String>,
    /// The viewer's own state; left out for anonymous requests, as Mastodon does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub favourited: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reblogged: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub muted: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bookmarked: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pinned: Option<bool>,
    pub content: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filtered: Option<Vec<FilterResult>>,
    pub reblog: Option<Box<Status>>,
    pub application: Option<StatusApplication>,
    pub account: Account,
    pub media_attachments: Vec<MediaAttachment>,
    pub mentions: Vec<Mention>,
    pub tags: Vec<StatusTag>,
    pub emojis: Vec<Value>,
    pub card: Option<Value>,
    pub poll: Option<Value>,
    /// The source text, only in the answer to a deletion (for "delete and redraft").
    pub text: Option<String>,
    /// Pleroma's extensions: `event` for an event's status (what pl-fe shows events from).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pleroma: Option<StatusPleroma>,
}

impl Status {
    pub fn from_view(urls: &Urls, view: &StatusView) -> Status {
        let s = &view.status;
        let state = view.viewer;
        Status {
            id: s.id.to_string(),
            created_at: time::timestamp(s.created_at),
            in_reply_to_id: s.in_reply_to_id.map(|id| id.to_string()),
            in_reply_to_account_id: s.in_reply_to_account_id.map(|id| id.to_string()),
            sensitive: s.sensitive,
            spoiler_text: s.spoiler_text.clone(),
            visibility: s.visibility.clone(),
            language: s.language.clone(),
            uri: s.ap_id.clone(),
            url: s.url.clone(),
            replies_count: s.replies_count,
            reblogs_count: s.reblogs_count,
            favourites_count: s.favourites_count,
            edited_at: s.edited_at.map(time::timestamp),
            favourited: state.map(|v| v.favourited),
            reblogged: state.map(|v| v.reblogged),
            muted: state.map(|v| v.muted),
            bookmarked: state.map(|v| v.bookmarked),
            pinned: state.map(|v| v.pinned),
            content: content(s),
            filtered: state.map(|_| view.filtered.iter().map(FilterResult::from_match).collect()),
            reblog: view
                .reblog
                .as_ref()
                .map(|original| Box::new(Status::from_view(urls, original))),
            application: view.application.as_ref().map(|a| StatusApplication {
                name: a.name.clone(),
                website: a.website.clone(),
            }),
            account: Account::from_view(urls, &view.account),
            media_attachments: view
                .media
                .iter()
                .map(|m| MediaAttachment::from_row(urls, m))
                .collect(),
            mentions: view.mentions.iter().map(Mention::from_account).collect(),
            tags: view
                .tags
                .iter()
                .map(|t| StatusTag::from_row(urls, t))
                .collect(),
            emojis: Vec::new(),
            card: None,
            poll: None,
            text: None,
            pleroma: view.event.as_ref().map(|event| StatusPleroma {
                event: Event::from_view(event),
            }),
        }
    }

    /// The answer to a deletion: the status with its source text.
    pub fn deleted(urls: &Urls, view: &StatusView) -> Status {
        let mut status = Status::from_view(urls, view);
        status.text = Some(source_text(&view.status));
        status
    }
}

/// The HTML clients show; a titled object (a remote Article or Event) gets its title first, as
/// Mastodon shows converted objects.
fn content(status: &StatusRow) -> String {
    match status.title.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(title) if !status.content.contains(title) => format!(
            "<p><strong>{}</strong></p>{}",
            crate::domain::text::escape_html(title),
            status.content
        ),
        _ => status.content.clone(),
    }
}

/// What the author wrote (local statuses), else the text of the HTML.
pub fn source_text(status: &StatusRow) -> String {
    status
        .source_text
        .clone()
        .unwrap_or_else(|| html::to_plain_text(&status.content))
}

/// `GET /api/v1/statuses/{id}/source`.
#[derive(Debug, Clone, Serialize)]
pub struct StatusSource {
    pub id: String,
    pub text: String,
    pub spoiler_text: String,
}

impl StatusSource {
    pub fn from_row(status: &StatusRow) -> StatusSource {
        StatusSource {
            id: status.id.to_string(),
            text: source_text(status),
            spoiler_text: status.spoiler_text.clone(),
        }
    }
}

/// One version of a status in `GET /api/v1/statuses/{id}/history`.
#[derive(Debug, Clone, Serialize)]
pub struct StatusEdit {
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub created_at: String,
    pub account: Account,
    pub poll: Option<Value>,
    pub media_attachments: Vec<MediaAttachment>,
    pub emojis: Vec<Value>,
}

impl StatusEdit {
    /// A version, shown with the status's author and its current attachments (edits cannot
    /// change attachments yet).
    pub fn from_row(urls: &Urls, edit: &StatusEditRow, view: &StatusView) -> StatusEdit {
        StatusEdit {
            content: edit.content.clone(),
            spoiler_text: edit.spoiler_text.clone(),
            sensitive: edit.sensitive,
            created_at: time::timestamp(edit.created_at),
            account: Account::from_view(urls, &view.account),
            poll: None,
            media_attachments: view
                .media
                .iter()
                .map(|m| MediaAttachment::from_row(urls, m))
                .collect(),
            emojis: Vec::new(),
        }
    }
}
