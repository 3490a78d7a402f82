//! Group pages: the directory, a group's public view with join and leave, its members, and the
//! moderators' queue (requests, reports, the log).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::db::models::{AccountRow, GroupReportRow, GroupRow};
use crate::db::store::{self, Page};
use crate::domain::follows::{self, FollowOptions};
use crate::domain::groups::{self, Standing};
use crate::domain::visibility;
use crate::error::{AppError, AppResult};
use crate::http::web::page::{PageLang, render};
use crate::http::web::profiles::StatusView;
use crate::http::web::session::WebSession;
use crate::i18n::Lang;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/groups", get(directory))
        .route("/groups/{slug}", get(group_page))
        .route("/groups/{slug}/members", get(members_page))
        .route("/groups/{slug}/moderation", get(moderation_page))
        .route("/groups/{slug}/join", post(join))
        .route("/groups/{slug}/leave", post(leave))
        .route(
            "/groups/{slug}/requests/{account_id}/{decision}",
            post(decide),
        )
        .route("/groups/{slug}/reports/{id}/resolve", post(resolve))
        .route("/groups/{slug}/posts/{id}/delete", post(delete_post))
}

/// A group as the pages show it.
pub struct GroupView {
    pub slug: String,
    pub name: String,
    pub note: String,
    pub rules: Vec<String>,
    pub topics: Vec<String>,
    pub members: i64,
    pub members_only: bool,
    pub join_policy: String,
    pub handle: String,
}

fn view(account: &AccountRow, group: &GroupRow, members: i64, domain: &str) -> GroupView {
    GroupView {
        slug: account.username.clone(),
        name: if account.display_name.is_empty() {
            account.username.clone()
        } else {
            account.display_name.clone()
        },
        note: account.note.clone(),
        rules: group
            .rules
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        topics: serde_json::from_str(&group.topics).unwrap_or_default(),
        members,
        members_only: group.members_only,
        join_policy: group.join_policy.clone(),
        handle: format!("@{}@{domain}", account.username),
    }
}

async fn load(state: &AppState, slug: String) -> AppResult<(AccountRow, GroupRow, i64)> {
    state
        .db
        .run(move |conn| {
            let account = store::accounts::find_by_acct(conn, &slug, None)?
                .filter(|a| a.actor_type == "Group" && a.suspended_at.is_none())
                .ok_or(AppError::NotFound)?;
            let group = groups::local_group(conn, account.id)?;
            let members = store::groups::count_members(conn, account.id)?;
            Ok((account, group, members))
        })
        .await
}

async fn standing_of(state: &AppState, group_id: i64, session: &WebSession) -> AppResult<Standing> {
    match &session.user {
        Some(user) => {
            let id = user.account.id;
            state
                .db
                .run(move |conn| groups::standing(conn, group_id, id))
                .await
        }
        None => Ok(Standing::default()),
    }
}

#[derive(Template)]
#[template(path = "groups.html")]
struct DirectoryPage<'a> {
    lang: Lang,
    site_name: &'a str,
    groups: Vec<GroupView>,
}

async fn directory(State(state): State<AppState>, PageLang(lang): PageLang) -> AppResult<Response> {
    let domain = state.urls.domain();
    let groups = state
        .db
        .run(move |conn| {
            let mut out = Vec::new();
            for account in store::groups::local_groups(conn, &Page::first(100))? {
                if let Some(group) = store::groups::find(conn, account.id)? {
                    let members = store::groups::count_members(conn, account.id)?;
                    out.push(view(&account, &group, members, &domain));
                }
            }
            Ok(out)
        })
        .await?;
    Ok(render(&DirectoryPage {
        lang,
        site_name: state.config.instance.name.get(lang.code()),
        groups,
    }))
}

#[derive(Template)]
#[template(path = "group.html")]
struct GroupPage<'a> {
    lang: Lang,
    site_name: &'a str,
    group: GroupView,
    standing: Standing,
    signed_in: bool,
    csrf: String,
    statuses: Vec<(i64, StatusView)>,
    hidden: bool,
}

async fn group_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    session: WebSession,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let (account, group, members) = load(&state, slug).await?;
    let standing = standing_of(&state, account.id, &session).await?;
    let viewer = session.user.as_ref().map(|u| u.account.id);
    let hidden = group.members_only && !standing.member && !standing.moderator;
    let domain = state.urls.domain();
    let group_id = account.id;
    let statuses = if hidden {
        Vec::new()
    } else {
        state
            .db
            .run(move |conn| {
                let rows = store::statuses::by_group(conn, group_id, &Page::first(20))?;
                let mut out = Vec::new();
                for status in visibility::filter_visible(conn, viewer, rows)? {
                    let author = store::accounts::find_by_id(conn, status.account_id)?
                        .ok_or(AppError::NotFound)?;
                    out.push((status.id, StatusView::new(&status, &author, &domain)));
                }
                Ok(out)
            })
            .await?
    };
    Ok(render(&GroupPage {
        lang,
        site_name: state.config.instance.name.get(lang.code()),
        group: view(&account, &group, members, &state.urls.domain()),
        standing,
        signed_in: session.user.is_some(),
        csrf: session.csrf.clone(),
        statuses,
        hidden,
    }))
}

#[derive(Template)]
#[template(path = "group_members.html")]
struct MembersPage<'a> {
    lang: Lang,
    site_name: &'a str,
    group: GroupView,
    members: Vec<(String, String, String)>,
}

async fn members_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    session: WebSession,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let (account, group, count) = load(&state, slug).await?;
    let standing = standing_of(&state, account.id, &session).await?;
    if group.members_only && !standing.member && !standing.moderator {
        return Err(AppError::NotFound);
    }
    let group_id = account.id;
    let domain = state.urls.domain();
    let members = state
        .db
        .run(move |conn| {
            let staff = store::groups::staff(conn, group_id)?;
            let rows =
                store::relations::followers_page(conn, group_id, "accepted", &Page::first(200))?;
            Ok(rows
                .into_iter()
                .map(|(_, a)| {
                    let role = staff
                        .iter()
                        .find(|(r, _)| r.account_id == a.id)
                        .map(|(r, _)| r.role.clone())
                        .unwrap_or_default();
                    let acct = format!(
                        "@{}@{}",
                        a.username,
                        a.domain.clone().unwrap_or_else(|| domain.clone())
                    );
                    let name = if a.display_name.is_empty() {
                        a.username.clone()
                    } else {
                        a.display_name.clone()
                    };
                    (name, acct, role)
                })
                .collect())
        })
        .await?;
    Ok(render(&MembersPage {
        lang,
        site_name: state.config.instance.name.get(lang.code()),
        group: view(&account, &group, count, &state.urls.domain()),
        members,
    }))
}

/// A line of the moderation log as the queue shows it: when (Japan time, as posts are shown),
/// who, what in the page's language, to whom, why.
pub struct LogView {
    pub when: String,
    pub who: String,
    pub action: String,
    pub target: String,
    pub reason: String,
}

/// The words for a logged action; an action this version does not know shows as recorded.
fn action_label(lang: Lang, action: &str) -> String {
    let key = match action {
        "create" => "group_log.create",
        "update" => "group_log.update",
        "approve" => "group_log.approve",
        "reject" => "group_log.reject",
        "kick" => "group_log.kick",
        "ban" => "group_log.ban",
        "unban" => "group_log.unban",
        "invite" => "group_log.invite",
        "promote" => "group_log.promote",
        "demote" => "group_log.demote",
        "delete" => "group_log.delete",
        "lock" => "group_log.lock",
        "unlock" => "group_log.unlock",
        "pin" => "group_log.pin",
        "unpin" => "group_log.unpin",
        "resolve_report" => "group_log.resolve_report",
        other => return other.to_owned(),
    };
    lang.t(key).to_owned()
}

/// A pending request as the queue shows it.
pub struct RequestView {
    pub account_id: i64,
    pub name: String,
    pub acct: String,
}

#[derive(Template)]
#[template(path = "group_moderation.html")]
struct ModerationPage<'a> {
    lang: Lang,
    site_name: &'a str,
    group: GroupView,
    csrf: String,
    requests: Vec<RequestView>,
    reports: Vec<(GroupReportRow, String)>,
    log: Vec<LogView>,
}

async fn moderation_page(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    session: WebSession,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let user = match session.require(&format!("/groups/{slug}/moderation")) {
        Ok(user) => user.clone(),
        Err(redirect) => return Ok(redirect.into_response()),
    };
    let (account, group, count) = load(&state, slug).await?;
    let standing = standing_of(&state, account.id, &session).await?;
    if !standing.moderator {
        return Err(AppError::Forbidden(
            "Only the group's moderators may see this".to_owned(),
        ));
    }
    let _ = user;
    let group_id = account.id;
    let domain = state.urls.domain();
    let (requests, reports, log) = state
        .db
        .run(move |conn| {
            let acct = |a: &AccountRow| {
                format!(
                    "@{}@{}",
                    a.username,
                    a.domain.clone().unwrap_or_else(|| domain.clone())
                )
            };
            let requests =
                store::relations::followers_page(conn, group_id, "pending", &Page::first(100))?
                    .into_iter()
                    .map(|(_, a)| RequestView {
                        account_id: a.id,
                        name: a.display_name.clone(),
                        acct: acct(&a),
                    })
                    .collect();
            let mut reports = Vec::new();
            for report in store::groups::open_reports(conn, group_id)? {
                let reporter = match report.reporter_id {
                    Some(id) => store::accounts::find_by_id(conn, id)?
                        .map(|a| acct(&a))
                        .unwrap_or_default(),
                    None => String::new(),
                };
                reports.push((report, reporter));
            }
            let mut log = Vec::new();
            for entry in store::groups::log_of(conn, group_id, 50)? {
                let mut name = |id: Option<i64>| -> AppResult<String> {
                    Ok(match id {
                        Some(id) => store::accounts::find_by_id(conn, id)?
                            .map(|a| acct(&a))
                            .unwrap_or_default(),
                        None => String::new(),
                    })
                };
                let who = name(entry.actor_id)?;
                let target = name(entry.target_account_id)?;
                log.push(LogView {
                    when: entry
                        .created_at
                        .and_utc()
                        .with_timezone(&chrono_tz::Asia::Tokyo)
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                    who,
                    action: action_label(lang, &entry.action),
                    target,
                    reason: entry.reason,
                });
            }
            Ok((requests, reports, log))
        })
        .await?;
    Ok(render(&ModerationPage {
        lang,
        site_name: state.config.instance.name.get(lang.code()),
        group: view(&account, &group, count, &state.urls.domain()),
        csrf: session.csrf.clone(),
        requests,
        reports,
        log,
    }))
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
    #[serde(default)]
    reason: String,
}

fn back(slug: &str, page: &str) -> Response {
    Redirect::to(&format!("/groups/{slug}{page}")).into_response()
}

async fn join(
    State(state): State<AppState>,
    session: WebSession,
    Path(slug): Path<String>,
    Form(form): Form<CsrfForm>,
) -> AppResult<Response> {
    let user = match session.require(&format!("/groups/{slug}")) {
        Ok(user) => user,
        Err(redirect) => return Ok(redirect.into_response()),
    };
    session.check(&form.csrf)?;
    let (account, _, _) = load(&state, slug.clone()).await?;
    follows::follow(
        &state,
        user.account.id,
        account.id,
        FollowOptions::default(),
    )
    .await?;
    Ok(back(&slug, ""))
}

async fn leave(
    State(state): State<AppState>,
    session: WebSession,
    Path(slug): Path<String>,
    Form(form): Form<CsrfForm>,
) -> AppResult<Response> {
    let user = match session.require(&format!("/groups/{slug}")) {
        Ok(user) => user,
        Err(redirect) => return Ok(redirect.into_response()),
    };
    session.check(&form.csrf)?;
    let (account, _, _) = load(&state, slug.clone()).await?;
    follows::unfollow(&state, user.account.id, account.id).await?;
    Ok(back(&slug, ""))
}

async fn decide(
    State(state): State<AppState>,
    session: WebSession,
    Path((slug, account_id, decision)): Path<(String, i64, String)>,
    Form(form): Form<CsrfForm>,
) -> AppResult<Response> {
    let user = match session.require(&format!("/groups/{slug}/moderation")) {
        Ok(user) => user,
        Err(redirect) => return Ok(redirect.into_response()),
    };
    session.check(&form.csrf)?;
    let (account, _, _) = load(&state, slug.clone()).await?;
    match decision.as_str() {
        "approve" => groups::approve(&state, user.account.id, account.id, account_id).await?,
        "reject" => {
            groups::remove_member(
                &state,
                user.account.id,
                account.id,
                account_id,
                &form.reason,
            )
            .await?
        }
        "ban" => {
            groups::ban(
                &state,
                user.account.id,
                account.id,
                account_id,
                &form.reason,
            )
            .await?
        }
        _ => return Err(AppError::NotFound),
    }
    Ok(back(&slug, "/moderation"))
}

async fn resolve(
    State(state): State<AppState>,
    session: WebSession,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<CsrfForm>,
) -> AppResult<Response> {
    let user = match session.require(&format!("/groups/{slug}/moderation")) {
        Ok(user) => user,
        Err(redirect) => return Ok(redirect.into_response()),
    };
    session.check(&form.csrf)?;
    let (account, _, _) = load(&state, slug.clone()).await?;
    groups::resolve_report(&state, user.account.id, account.id, id, &form.reason).await?;
    Ok(back(&slug, "/moderation"))
}

async fn delete_post(
    State(state): State<AppState>,
    session: WebSession,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<CsrfForm>,
) -> AppResult<Response> {
    let user = match session.require(&format!("/groups/{slug}")) {
        Ok(user) => user,
        Err(redirect) => return Ok(redirect.into_response()),
    };
    session.check(&form.csrf)?;
    let (account, _, _) = load(&state, slug.clone()).await?;
    groups::delete_post(&state, user.account.id, account.id, id, &form.reason).await?;
    Ok(back(&slug, ""))
}
