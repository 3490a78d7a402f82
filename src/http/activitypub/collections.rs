//! Paged collections of local actors: outbox, followers, following, featured (pinned posts).

use activitypub_federation::kinds::collection::{OrderedCollectionPageType, OrderedCollectionType};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::get;
use kakehashi_federation::protocol::collection::{OrderedCollection, OrderedCollectionPage};
use kakehashi_federation::protocol::values::IdOrObject;
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use super::objects::local_actor;
use super::{document, signed_fetcher, wants_json};
use crate::db::models::AccountRow;
use crate::db::store::{self, Page};
use crate::domain::visibility::Visibility;
use crate::error::{AppError, AppResult};
use crate::federation_glue::render;
use crate::state::AppState;

/// Items per collection page.
const PAGE_SIZE: i64 = 20;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users/{username}/outbox", get(outbox))
        .route("/users/{username}/followers", get(followers))
        .route("/users/{username}/following", get(following))
        .route("/users/{username}/collections/featured", get(featured))
        .route("/users/{username}/moderators", get(moderators))
        .route("/actor/{collection}", get(instance_collection))
}

#[derive(Deserialize, Default)]
struct PageQuery {
    page: Option<String>,
    max_id: Option<i64>,
}

async fn actor_for(
    state: &AppState,
    username: String,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> AppResult<AccountRow> {
    let account = local_actor(state, username).await?;
    let path = uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_default();
    signed_fetcher(state, method, &path, headers).await?;
    Ok(account)
}

fn collection_url(base: &str, query: &str) -> AppResult<Url> {
    render::url(&format!("{base}?{query}"))
}

/// The collection itself (`totalItems`, `first`), or one page of it.
fn respond(
    id: &str,
    total: i64,
    query: &PageQuery,
    items: Vec<Value>,
    next_max_id: Option<i64>,
) -> AppResult<Response> {
    if query.page.is_none() {
        return Ok(document(OrderedCollection::<Value> {
            kind: OrderedCollectionType::OrderedCollection,
            id: render::url(id)?,
            total_items: Some(u64::try_from(total).unwrap_or_default()),
            first: Some(IdOrObject::Id(collection_url(id, "page=true")?)),
            last: None,
            ordered_items: Vec::new(),
        }));
    }
    let this = match query.max_id {
        Some(max) => collection_url(id, &format!("page=true&max_id={max}"))?,
        None => collection_url(id, "page=true")?,
    };
    Ok(document(OrderedCollectionPage::<Value> {
        kind: OrderedCollectionPageType::OrderedCollectionPage,
        id: this,
        part_of: Some(render::url(id)?),
        next: next_max_id
            .map(|max| collection_url(id, &format!("page=true&max_id={max}")))
            .transpose()?,
        prev: None,
        ordered_items: items,
    }))
}

async fn outbox(
    State(state): State<AppState>,
    Path(username): Path<String>,
    Query(query): Query<PageQuery>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let account = actor_for(&state, username, &method, &uri, &headers).await?;
    let id = account.outbox_url.clone().ok_or(AppError::NotFound)?;
    let max_id = query.max_id;
    let wants_page = query.page.is_some();
    let (total, rows) = state
        .db
        .run(move |conn| {
            let total = store::federation::count_public_activities(conn, account.id)?;
            let rows = if wants_page {
                store::federation::public_activities(conn, account.id, max_id, PAGE_SIZE)?
            } else {
                Vec::new()
            };
            Ok((total, rows))
        })
        .await?;
    let next = (rows.len() as i64 == PAGE_SIZE)
        .then(|| rows.last().map(|r| r.id))
        .flatten();
    let items = rows
        .iter()
        .filter_map(|r| serde_json::from_str::<Value>(&r.body).ok())
        .map(|mut v| {
            if let Some(map) = v.as_object_mut() {
                map.remove("@context");
            }
            v
        })
        .collect();
    respond(&id, total, &query, items, next)
}

async fn follow_collection(
    state: &AppState,
    account: AccountRow,
    id: String,
    query: PageQuery,
    followers: bool,
) -> AppResult<Response> {
    let page = Page {
        max_id: query.max_id,
        limit: PAGE_SIZE,
        ..Page::default()
    };
    let wants_page = query.page.is_some();
    let (total, rows) = state
        .db
        .run(move |conn| {
            let total = if followers {
                store::relations::count_followers(conn, account.id)?
            } else {
                store::relations::count_following(conn, account.id)?
            };
            let rows = match (wants_page, followers) {
                (false, _) => Vec::new(),
                (true, true) => {
                    store::relations::followers_page(conn, account.id, "accepted", &page)?
                }
                (true, false) => store::relations::following_page(conn, account.id, &page)?,
            };
            Ok((total, rows))
        })
        .await?;
    let next = (rows.len() as i64 == PAGE_SIZE)
        .then(|| rows.last().map(|(f, _)| f.id))
        .flatten();
    let items = rows
        .into_iter()
        .map(|(_, a)| Value::String(a.ap_id))
        .collect();
    respond(&id, total, &query, items, next)
}

async fn followers(
    State(state): State<AppState>,
    Path(username): Path<String>,
    Query(query): Query<PageQuery>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let account = actor_for(&state, username, &method, &uri, &headers).await?;
    let id = account.followers_url.clone().ok_or(AppError::NotFound)?;
    if account.actor_type == "Group" {
        // A group's members are not listed to the world (as Lemmy): only how many there are.
        let group_id = account.id;
        let total = state
            .db
            .run(move |conn| Ok(store::relations::count_followers(conn, group_id)?))
            .await?;
        return respond(&id, total, &PageQuery::default(), Vec::new(), None);
    }
    follow_collection(&state, account, id, query, true).await
}

async fn following(
    State(state): State<AppState>,
    Path(username): Path<String>,
    Query(query): Query<PageQuery>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let account = actor_for(&state, username, &method, &uri, &headers).await?;
    let id = account.following_url.clone().ok_or(AppError::NotFound)?;
    follow_collection(&state, account, id, query, false).await
}

async fn featured(
    State(state): State<AppState>,
    Path(username): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let account = actor_for(&state, username, &method, &uri, &headers).await?;
    let id = account.featured_url.clone().ok_or(AppError::NotFound)?;
    let urls = state.urls.clone();
    let notes = state
        .db
        .run(move |conn| {
            let mut notes = Vec::new();
            for status in store::relations::pinned_of(conn, account.id)? {
                if Visibility::of(&status).boostable() {
                    let parts = render::load_note_parts(conn, &status)?;
                    notes.push(
                        serde_json::to_value(render::note(&urls, &parts)?)
                            .map_err(AppError::internal)?,
                    );
                }
            }
            Ok(notes)
        })
        .await?;
    Ok(document(OrderedCollection::<Value> {
        kind: OrderedCollectionType::OrderedCollection,
        id: render::url(&id)?,
        total_items: Some(notes.len() as u64),
        first: None,
        last: None,
        ordered_items: notes,
    }))
}

/// The instance actor's collections: it publishes nothing and its follows are partnerships.
async fn instance_collection(
    State(state): State<AppState>,
    Path(collection): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    if !["outbox", "followers", "following"].contains(&collection.as_str()) || !wants_json(&headers)
    {
        return Err(AppError::NotFound);
    }
    let id = state.urls.join(&format!("/actor/{collection}"));
    Ok(document(OrderedCollection::<Value> {
        kind: OrderedCollectionType::OrderedCollection,
        id,
        total_items: Some(0),
        first: None,
        last: None,
        ordered_items: Vec::new(),
    }))
}

/// A group's owner and moderators (Lemmy reads this to check moderation actions).
async fn moderators(
    State(state): State<AppState>,
    Path(username): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let account = actor_for(&state, username, &method, &uri, &headers).await?;
    if account.actor_type != "Group" {
        return Err(AppError::NotFound);
    }
    let group_id = account.id;
    let staff = state
        .db
        .run(move |conn| Ok(store::groups::staff(conn, group_id)?))
        .await?;
    let items: Vec<Value> = staff
        .into_iter()
        .map(|(_, a)| Value::String(a.ap_id))
        .collect();
    Ok(document(OrderedCollection::<Value> {
        kind: OrderedCollectionType::OrderedCollection,
        id: render::url(&format!("{}/moderators", account.ap_id))?,
        total_items: Some(items.len() as u64),
        first: None,
        last: None,
        ordered_items: items,
    }))
}
