//! The instance actor (`Application` at `/actor`): signs our fetches, follows partner instances
//! and relays, and announces public events.

use chrono::Utc;

use crate::db::models::{AccountRow, NewAccount};
use crate::db::{Db, ids, store};
use crate::domain::keys;
use crate::domain::urls::Urls;
use crate::error::AppError;
use crate::state::AppState;

/// The instance actor, created with its key pair the first time it is needed; its key then signs
/// this process's fetches.
pub async fn ensure(state: &AppState) -> Result<AccountRow, AppError> {
    let actor = find_or_create(&state.db, &state.urls).await?;
    state.federation.set_instance_actor(&actor)?;
    Ok(actor)
}

async fn find_or_create(db: &Db, urls: &Urls) -> Result<AccountRow, AppError> {
    let ap_id = urls.instance_actor().to_string();
    let lookup = ap_id.clone();
    if let Some(actor) = db
        .run(move |conn| Ok(store::accounts::find_by_ap_id(conn, &lookup)?))
        .await?
    {
        return Ok(actor);
    }
    let keys = tokio::task::spawn_blocking(keys::generate)
        .await
        .map_err(AppError::internal)??;
    let now = Utc::now().naive_utc();
    let domain = urls.domain();
    let new = NewAccount {
        id: ids::next_id(),
        // As Mastodon: the instance actor's name is the domain (acct:domain@domain).
        username: domain.clone(),
        domain: None,
        actor_type: "Application".to_owned(),
        display_name: domain,
        note: String::new(),
        ap_id: ap_id.clone(),
        url: Some(urls.join("/about").to_string()),
        inbox_url: urls.join("/actor/inbox").to_string(),
        shared_inbox_url: Some(urls.shared_inbox().to_string()),
        outbox_url: Some(urls.join("/actor/outbox").to_string()),
        followers_url: Some(urls.join("/actor/followers").to_string()),
        following_url: Some(urls.join("/actor/following").to_string()),
        featured_url: None,
        public_key_pem: keys.public_pem,
        private_key_pem: Some(keys.private_pem),
        locked: true,
        discoverable: false,
        bot: true,
        fields: "[]".to_owned(),
        created_at: now,
        updated_at: now,
    };
    db.transaction(move |conn| {
        // Another process may have created it meanwhile.
        if let Some(actor) = store::accounts::find_by_ap_id(conn, &ap_id)? {
            return Ok(actor);
        }
        store::accounts::insert(conn, &new)?;
        store::accounts::find_by_ap_id(conn, &ap_id)?.ok_or(AppError::NotFound)
    })
    .await
}
