//! Public web pages of members and their posts: `/@name` and `/@name/{id}`.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;

use crate::db::models::{AccountRow, StatusRow};
use crate::db::store::statuses::AccountStatusesFilter;
use crate::db::store::{self, Page};
use crate::domain::{statuses, timelines, visibility};
use crate::error::{AppError, AppResult};
use crate::http::web::page::{PageLang, render};
use crate::i18n::Lang;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/@{username}", get(profile))
        .route("/@{username}/{id}", get(status_page))
}

/// A status as the pages show it.
pub struct StatusView {
    pub content: String,
    pub spoiler_text: String,
    pub url: String,
    pub published: String,
    pub published_display: String,
    pub author_name: String,
    pub author_acct: String,
    pub author_url: String,
}

impl StatusView {
    pub fn new(status: &StatusRow, author: &AccountRow, domain: &str) -> StatusView {
        let published = status.created_at.and_utc();
        StatusView {
            content: status.content.clone(),
            spoiler_text: status.spoiler_text.clone(),
            url: status.url.clone().unwrap_or_else(|| status.ap_id.clone()),
            published: published.to_rfc3339(),
            published_display: published
                .with_timezone(&chrono_tz::Asia::Tokyo)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            author_name: display_name(author),
            author_acct: acct(author, domain),
            author_url: author.url.clone().unwrap_or_else(|| author.ap_id.clone()),
        }
    }
}

fn display_name(account: &AccountRow) -> String {
    if account.display_name.trim().is_empty() {
        account.username.clone()
    } else {
        account.display_name.clone()
    }
}

fn acct(account: &AccountRow, local_domain: &str) -> String {
    format!(
        "{}@{}",
        account.username,
        account.domain.as_deref().unwrap_or(local_domain)
    )
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    lang: Lang,
    site_name: &'a str,
    display_name: String,
    acct: String,
    ap_id: String,
    note: String,
    fields: Vec<(String, String)>,
    statuses_count: i64,
    following_count: i64,
    followers_count: i64,
    statuses: Vec<StatusView>,
}

async fn local_account(state: &AppState, username: &str) -> AppResult<AccountRow> {
    let name = username.trim_start_matches('@').to_owned();
    state
        .db
        .run(move |conn| {
            store::accounts::find_by_acct(conn, &name, None)?
                .filter(|a| a.suspended_at.is_none() && a.actor_type != "Application")
                .ok_or(AppError::NotFound)
        })
        .await
}

pub async fn profile(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path(username): Path<String>,
) -> AppResult<Response> {
    let account = local_account(&state, &username).await?;
    let id = account.id;
    let (rows, counts) = state
        .db
        .run(move |conn| {
            let filter = AccountStatusesFilter {
                exclude_replies: true,
                exclude_reblogs: true,
                visibilities: vec![],
                tagged: None,
                only_media: false,
            };
            let rows = timelines::account_statuses(conn, None, id, filter, &Page::first(20))?;
            let counts = (
                store::statuses::count_by_account(conn, id)?,
                store::relations::count_following(conn, id)?,
                store::relations::count_followers(conn, id)?,
            );
            Ok((rows, counts))
        })
        .await?;
    let domain = state.urls.domain();
    let fields: Vec<(String, String)> =
        serde_json::from_str::<Vec<serde_json::Value>>(&account.fields)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|f| {
                Some((
                    f.get("name")?.as_str()?.to_owned(),
                    crate::domain::html::sanitize(f.get("value")?.as_str()?),
                ))
            })
            .collect();
    Ok(render(&ProfilePage {
        lang,
        site_name: state.config.instance.name.get(lang.code()),
        display_name: display_name(&account),
        acct: acct(&account, &domain),
        ap_id: account.ap_id.clone(),
        note: account.note.clone(),
        fields,
        statuses_count: counts.0,
        following_count: counts.1,
        followers_count: counts.2,
        statuses: rows
            .iter()
            .map(|s| StatusView::new(s, &account, &domain))
            .collect(),
    }))
}

#[derive(Template)]
#[template(path = "status.html")]
struct StatusPage<'a> {
    lang: Lang,
    site_name: &'a str,
    author_name: String,
    excerpt: String,
    ap_id: String,
    main: StatusView,
    replies_count: i32,
    reblogs_count: i32,
    favourites_count: i32,
    ancestors: Vec<StatusView>,
    descendants: Vec<StatusView>,
}

pub async fn status_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((username, id)): Path<(String, String)>,
) -> AppResult<Response> {
    let account = local_account(&state, &username).await?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let domain = state.urls.domain();
    let (status, ancestors, descendants) = state
        .db
        .run(move |conn| {
            let status = visibility::visible_status(conn, None, id)?;
            if status.account_id != account.id || status.reblog_of_id.is_some() {
                return Err(AppError::NotFound);
            }
            let (ancestors, descendants) = statuses::context(conn, None, &status)?;
            let mut views = Vec::new();
            for list in [&ancestors, &descendants] {
                let mut out = Vec::new();
                for s in list {
                    let author = statuses::author(conn, s)?;
                    out.push(StatusView::new(s, &author, &domain));
                }
                views.push(out);
            }
            let descendants = views.pop().unwrap_or_default();
            let ancestors = views.pop().unwrap_or_default();
            Ok((status, ancestors, descendants))
        })
        .await?;
    let author = local_account(&state, &username).await?;
    let domain = state.urls.domain();
    let main = StatusView::new(&status, &author, &domain);
    let excerpt: String = crate::domain::html::to_plain_text(&status.content)
        .chars()
        .take(40)
        .collect();
    Ok(render(&StatusPage {
        lang,
        site_name: state.config.instance.name.get(lang.code()),
        author_name: main.author_name.clone(),
        excerpt,
        ap_id: status.ap_id.clone(),
        main,
        replies_count: status.replies_count,
        reblogs_count: status.reblogs_count,
        favourites_count: status.favourites_count,
        ancestors,
        descendants,
    }))
}
