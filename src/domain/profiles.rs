//! Accounts as the client API shows them (with counts, settings and role), finding them by id or
//! `acct`, and the profile changes a member makes through `update_credentials`.

use std::collections::HashMap;

use chrono::Utc;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::db::models::{AccountRow, UserRow, UserSettingsRow};
use crate::db::store::counts::AccountCounts;
use crate::db::store::profiles::ProfileChanges;
use crate::db::{Db, DbConnection, store};
use crate::domain::accounts::{LocalUser, Role};
use crate::domain::media::ProfileImage;
use crate::domain::text;
use crate::domain::urls::Urls;
use crate::error::AppError;

/// Mastodon's limits on profiles.
pub const DISPLAY_NAME_MAX: usize = 30;
pub const NOTE_MAX: usize = 500;
pub const FIELDS_MAX: usize = 4;
pub const FIELD_NAME_MAX: usize = 255;
pub const FIELD_VALUE_MAX: usize = 255;
/// The post visibilities a member may choose as their default.
pub const PRIVACIES: &[&str] = &["public", "unlisted", "private", "direct"];

/// Everything the Account entity is made of.
#[derive(Debug, Clone)]
pub struct AccountView {
    pub account: AccountRow,
    /// Local members only (and only once they changed a setting).
    pub settings: Option<UserSettingsRow>,
    /// Local members only.
    pub role: Option<Role>,
    pub counts: AccountCounts,
}

impl AccountView {
    pub fn is_group(&self) -> bool {
        self.account.actor_type == "Group"
    }

    /// The avatar: the member's upload, the remote actor's icon, or our default image.
    pub fn avatar_url(&self, urls: &Urls) -> Url {
        self.image_url(
            urls,
            self.settings
                .as_ref()
                .and_then(|s| s.avatar_file.as_deref()),
            self.account.avatar_remote_url.as_deref(),
            "/static/avatar.png",
        )
    }

    /// The header image, like the avatar.
    pub fn header_url(&self, urls: &Urls) -> Url {
        self.image_url(
            urls,
            self.settings
                .as_ref()
                .and_then(|s| s.header_file.as_deref()),
            self.account.header_remote_url.as_deref(),
            "/static/header.png",
        )
    }

    fn image_url(
        &self,
        urls: &Urls,
        file: Option<&str>,
        remote: Option<&str>,
        default: &str,
    ) -> Url {
        if let Some(file) = file {
            return urls.media_file(file);
        }
        if let Some(remote) = remote.and_then(|r| Url::parse(r).ok()) {
            return remote;
        }
        urls.join(default)
    }
}

/// A member's own account with what only they see.
#[derive(Debug, Clone)]
pub struct CredentialView {
    pub view: AccountView,
    pub user: UserRow,
    /// The stored settings or the defaults.
    pub settings: UserSettingsRow,
    pub follow_requests: i64,
}

/// A profile field as written (`fields_source`) or as shown (`accounts.fields`, HTML values).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    pub value: String,
}

/// The profile fields stored on an account; a malformed column reads as none.
pub fn fields_of(json: &str) -> Vec<Field> {
    serde_json::from_str(json).unwrap_or_default()
}

/// Accounts by id, in the order asked, skipping unknown and suspended ones.
pub async fn account_views(db: &Db, ids: Vec<i64>) -> Result<Vec<AccountView>, AppError> {
    db.run(move |conn| account_views_in(conn, &ids)).await
}

/// [`account_views`] inside a caller's connection: four queries whatever the number of ids.
pub fn account_views_in(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<Vec<AccountView>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let accounts = store::profiles::find_accounts(conn, ids)?;
    let settings: HashMap<i64, UserSettingsRow> = store::settings::find_many(conn, ids)?
        .into_iter()
        .map(|s| (s.account_id, s))
        .collect();
    let roles: HashMap<i64, Role> = store::profiles::roles_of(conn, ids)?
        .into_iter()
        .map(|(id, role)| (id, Role::parse(&role).unwrap_or(Role::User)))
        .collect();
    let mut counts = store::counts::account_counts(conn, ids)?;
    let mut by_id: HashMap<i64, AccountRow> = accounts.into_iter().map(|a| (a.id, a)).collect();
    let mut views = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(account) = by_id.remove(id) else {
            continue;
        };
        if account.suspended_at.is_some() {
            continue;
        }
        views.push(AccountView {
            role: roles.get(id).copied(),
            settings: settings.get(id).cloned(),
            counts: counts.remove(id).unwrap_or_default(),
            account,
        });
    }
    Ok(views)
}

/// One account by id; `NotFound` for unknown or suspended ones.
pub async fn account_view(db: &Db, id: i64) -> Result<AccountView, AppError> {
    account_views(db, vec![id])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// An account by `name`, `@name`, `name@domain` or `@name@domain`; our own domain means local.
pub async fn lookup(db: &Db, urls: &Urls, acct: &str) -> Result<AccountView, AppError> {
    let acct = acct.trim().trim_start_matches('@');
    let (username, domain) = match acct.split_once('@') {
        Some((name, domain)) if domain.eq_ignore_ascii_case(&urls.domain()) => (name, None),
        Some((name, domain)) => (name, Some(domain.to_owned())),
        None => (acct, None),
    };
    if username.is_empty() {
        return Err(AppError::NotFound);
    }
    let username = username.to_owned();
    let id = db
        .run(move |conn| {
            Ok(store::profiles::find_by_acct(
                conn,
                &username,
                domain.as_deref(),
            )?)
        })
        .await?
        .ok_or(AppError::NotFound)?
        .id;
    account_view(db, id).await
}

/// The signed-in member's own account.
pub async fn credential_view(db: &Db, member: &LocalUser) -> Result<CredentialView, AppError> {
    let view = account_view(db, member.account.id).await?;
    let id = member.account.id;
    let follow_requests = db
        .run(move |conn| Ok(store::counts::follow_requests(conn, id)?))
        .await?;
    let settings = view
        .settings
        .clone()
        .unwrap_or_else(|| UserSettingsRow::defaults(id, member.user.created_at));
    Ok(CredentialView {
        view,
        user: member.user.clone(),
        settings,
        follow_requests,
    })
}

/// What `update_credentials` may change; `None` leaves a setting as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfileUpdate {
    pub display_name: Option<String>,
    pub note: Option<String>,
    pub locked: Option<bool>,
    pub bot: Option<bool>,
    pub discoverable: Option<bool>,
    pub indexable: Option<bool>,
    pub hide_collections: Option<bool>,
    pub fields: Option<Vec<Field>>,
    pub privacy: Option<String>,
    pub sensitive: Option<bool>,
    /// `Some("")` clears the default language.
    pub language: Option<String>,
    pub avatar: Option<Vec<u8>>,
    pub header: Option<Vec<u8>>,
}

fn too_long(what: &str, max: usize) -> AppError {
    AppError::Unprocessable(format!(
        "Validation failed: {what} is too long (maximum is {max} characters)"
    ))
}

/// Checks and applies a member's profile changes; images go through the media pipeline.
pub async fn update_profile(
    state: &crate::state::AppState,
    member: &LocalUser,
    update: ProfileUpdate,
) -> Result<(), AppError> {
    let store_root = &state.media;
    if let Some(name) = &update.display_name
        && name.trim().chars().count() > DISPLAY_NAME_MAX
    {
        return Err(too_long("Display name", DISPLAY_NAME_MAX));
    }
    if let Some(note) = &update.note
        && note.trim().chars().count() > NOTE_MAX
    {
        return Err(too_long("Note", NOTE_MAX));
    }
    if let Some(fields) = &update.fields {
        if fields.len() > FIELDS_MAX {
            return Err(AppError::Unprocessable(format!(
                "Validation failed: Fields is too long (maximum is {FIELDS_MAX} fields)"
            )));
        }
        for field in fields {
            if field.name.chars().count() > FIELD_NAME_MAX {
                return Err(too_long("Field name", FIELD_NAME_MAX));
            }
            if field.value.chars().count() > FIELD_VALUE_MAX {
                return Err(too_long("Field value", FIELD_VALUE_MAX));
            }
        }
    }
    if let Some(privacy) = &update.privacy
        && !PRIVACIES.contains(&privacy.as_str())
    {
        return Err(AppError::Unprocessable(format!(
            "Validation failed: Default privacy \"{privacy}\" is not one of public, unlisted, private, direct"
        )));
    }
    let language = match update.language.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(code) if valid_language(code) => Some(Some(code.to_ascii_lowercase())),
        Some(code) => {
            return Err(AppError::Unprocessable(format!(
                "Validation failed: \"{code}\" is not an ISO 639 language code"
            )));
        }
    };

    // Images first: a refused image must leave the profile untouched.
    let avatar = match update.avatar {
        Some(bytes) => Some(
            store_root
                .save_profile_image(bytes, ProfileImage::Avatar)
                .await?,
        ),
        None => None,
    };
    let header = match update.header {
        Some(bytes) => Some(
            store_root
                .save_profile_image(bytes, ProfileImage::Header)
                .await?,
        ),
        None => None,
    };

    let id = member.account.id;
    let created = member.user.created_at;
    // Followers' servers get the new profile (`Update` of the actor) with the change.
    let replaced = crate::domain::change(state, move |conn, fx| {
        let account = store::profiles::find_account(conn, id)?.ok_or(AppError::NotFound)?;
        let mut settings = store::settings::find(conn, id)?
            .unwrap_or_else(|| UserSettingsRow::defaults(id, created));
        let now = Utc::now().naive_utc();
        let mut changes = ProfileChanges {
            display_name: account.display_name,
            note: account.note,
            locked: update.locked.unwrap_or(account.locked),
            bot: update.bot.unwrap_or(account.bot),
            discoverable: update.discoverable.unwrap_or(account.discoverable),
            fields: account.fields,
            updated_at: now,
        };
        if let Some(name) = update.display_name {
            changes.display_name = name.trim().to_owned();
        }
        if let Some(note) = update.note {
            settings.note_source = note.trim().to_owned();
            changes.note = text::plain_to_html(&note);
        }
        if let Some(fields) = update.fields {
            let fields: Vec<Field> = fields
                .into_iter()
                .map(|f| Field {
                    name: f.name.trim().to_owned(),
                    value: f.value.trim().to_owned(),
                })
                .filter(|f| !f.name.is_empty() || !f.value.is_empty())
                .collect();
            let shown: Vec<Field> = fields
                .iter()
                .map(|f| Field {
                    name: text::escape_html(&f.name),
                    value: text::linkify(&f.value),
                })
                .collect();
            settings.fields_source = serde_json::to_string(&fields).map_err(AppError::internal)?;
            changes.fields = serde_json::to_string(&shown).map_err(AppError::internal)?;
        }
        if let Some(value) = update.indexable {
            settings.indexable = value;
        }
        if let Some(value) = update.hide_collections {
            settings.hide_collections = value;
        }
        if let Some(privacy) = update.privacy {
            settings.default_privacy = privacy;
        }
        if let Some(value) = update.sensitive {
            settings.default_sensitive = value;
        }
        if let Some(language) = language {
            settings.default_language = language;
        }
        let mut replaced = Vec::new();
        if let Some(file) = avatar {
            replaced.extend(settings.avatar_file.replace(file));
        }
        if let Some(file) = header {
            replaced.extend(settings.header_file.replace(file));
        }
        settings.updated_at = now;
        store::profiles::update_profile(conn, id, &changes)?;
        store::settings::save(conn, &settings)?;
        fx.send(crate::domain::effects::Outgoing::UpdateActor { account_id: id });
        Ok(replaced)
    })
    .await?;
    for old in replaced {
        store_root.remove(&old).await;
    }
    Ok(())
}

/// Two or three lowercase letters (ISO 639-1 or -3).
fn valid_language(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphabetic())
}
