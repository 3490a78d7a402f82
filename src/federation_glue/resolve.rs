//! Finding remote accounts by `name@domain` (WebFinger, RFC 7033) or by URL, as search with
//! `resolve=true` and mentions of unknown accounts need.

use serde_json::Value;
use url::Url;

use crate::db::models::AccountRow;
use crate::db::store;
use crate::error::AppError;
use crate::federation_glue::actors;
use crate::state::AppState;

/// The account `name@domain` (with or without `@`/`acct:`): stored, or looked up through the
/// domain's WebFinger and fetched. `Ok(None)` when nobody has that name there.
pub async fn resolve_acct(state: &AppState, acct: &str) -> Result<Option<AccountRow>, AppError> {
    let acct = acct
        .trim()
        .trim_start_matches("acct:")
        .trim_start_matches('@');
    let Some((name, domain)) = acct.rsplit_once('@') else {
        return Ok(None);
    };
    let (name, domain) = (name.to_owned(), domain.to_lowercase());
    if name.is_empty() || domain.is_empty() {
        return Ok(None);
    }
    let own = state.urls.domain().to_lowercase();
    let lookup_domain = (domain != own).then(|| domain.clone());
    let lookup_name = name.clone();
    let stored = state
        .db
        .run(move |conn| {
            Ok(store::accounts::find_by_acct(
                conn,
                &lookup_name,
                lookup_domain.as_deref(),
            )?)
        })
        .await?;
    if stored.is_some() || domain == own {
        return Ok(stored);
    }
    let scheme = if state.federation.allow_http {
        "http"
    } else {
        "https"
    };
    let mut webfinger = Url::parse(&format!("{scheme}://{domain}/.well-known/webfinger"))
        .map_err(|_| AppError::Unprocessable(format!("\"{domain}\" is not a domain")))?;
    webfinger
        .query_pairs_mut()
        .append_pair("resource", &format!("acct:{name}@{domain}"));
    let response = state
        .federation
        .client
        .get(&webfinger, "application/jrd+json, application/json", None)
        .await
        .map_err(|e| AppError::Unavailable(format!("WebFinger of {domain} failed: {e}")))?;
    if response.status.as_u16() == 404 {
        return Ok(None);
    }
    if !response.status.is_success() {
        return Err(AppError::Unavailable(format!(
            "WebFinger of {domain} answered {}",
            response.status
        )));
    }
    let jrd: Value = serde_json::from_slice(&response.body)
        .map_err(|_| AppError::Unprocessable(format!("WebFinger of {domain} is not JSON")))?;
    let Some(actor_url) = self_link(&jrd) else {
        return Ok(None);
    };
    actors::fetch_actor(state, &actor_url, false)
        .await
        .map(Some)
}

/// The `self` link with an ActivityStreams type.
fn self_link(jrd: &Value) -> Option<Url> {
    jrd.get("links")?.as_array()?.iter().find_map(|link| {
        let rel = link.get("rel")?.as_str()?;
        let kind = link.get("type").and_then(Value::as_str).unwrap_or_default();
        let is_as = kind.starts_with("application/activity+json")
            || kind.starts_with("application/ld+json");
        (rel == "self" && is_as)
            .then(|| link.get("href")?.as_str().and_then(|h| Url::parse(h).ok()))
            .flatten()
    })
}

/// An account or status by URL, for search: stored, or fetched.
pub async fn resolve_url(state: &AppState, url: &Url) -> Result<Resolved, AppError> {
    let text = url.to_string();
    let lookup = text.clone();
    let stored = state
        .db
        .run(move |conn| {
            Ok((
                store::accounts::find_by_ap_id(conn, &lookup)?
                    .or(store::accounts::find_by_url(conn, &lookup)?),
                store::statuses::find_by_ap_id(conn, &lookup)?,
            ))
        })
        .await?;
    if let Some(account) = stored.0 {
        return Ok(Resolved::Account(account));
    }
    if let Some(status) = stored.1 {
        return Ok(Resolved::Status(status));
    }
    let (_, json) = actors::fetch_json(state, url).await?;
    if actors::parse_actor(&json).is_ok() {
        return actors::fetch_actor(state, url, false)
            .await
            .map(Resolved::Account);
    }
    crate::federation_glue::objects::fetch_status(state, url, 0)
        .await
        .map(Resolved::Status)
}

/// What a URL turned out to be.
pub enum Resolved {
    Account(AccountRow),
    Status(crate::db::models::StatusRow),
}
