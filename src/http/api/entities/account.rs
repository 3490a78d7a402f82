//! The Account and CredentialAccount entities.

use serde::Serialize;

use crate::domain::accounts::Role;
use crate::domain::profiles::{self, AccountView, CredentialView};
use crate::domain::urls::Urls;
use crate::http::api::entities::time;

/// A profile field; `verified_at` stays null until we verify rel="me" links.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub verified_at: Option<String>,
}

/// A role shown on a profile (`roles`): only highlighted ones.
#[derive(Debug, Clone, Serialize)]
pub struct AccountRole {
    pub id: String,
    pub name: String,
    pub color: String,
}

/// Mastodon's Account entity, in its field order.
#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub id: String,
    pub username: String,
    /// `name` for local accounts, `name@domain` for remote ones.
    pub acct: String,
    pub display_name: String,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub indexable: bool,
    /// Communities (`Group` actors).
    pub group: bool,
    pub created_at: String,
    pub note: String,
    pub url: String,
    pub uri: String,
    pub avatar: String,
    pub avatar_static: String,
    pub header: String,
    pub header_static: String,
    pub followers_count: i64,
    pub following_count: i64,
    pub statuses_count: i64,
    pub last_status_at: Option<String>,
    pub hide_collections: bool,
    pub noindex: bool,
    pub emojis: Vec<serde_json::Value>,
    pub roles: Vec<AccountRole>,
    pub fields: Vec<Field>,
}

impl Account {
    pub fn from_view(urls: &Urls, view: &AccountView) -> Account {
        let a = &view.account;
        let acct = match &a.domain {
            None => a.username.clone(),
            Some(domain) => format!("{}@{domain}", a.username),
        };
        let avatar = view.avatar_url(urls).to_string();
        let header = view.header_url(urls).to_string();
        let settings = view.settings.as_ref();
        Account {
            id: a.id.to_string(),
            username: a.username.clone(),
            acct,
            display_name: a.display_name.clone(),
            locked: a.locked,
            bot: a.bot || a.actor_type == "Service" || a.actor_type == "Application",
            discoverable: a.discoverable,
            indexable: settings.is_some_and(|s| s.indexable),
            group: view.is_group(),
            created_at: time::day_start(a.created_at),
            note: a.note.clone(),
            url: a.url.clone().unwrap_or_else(|| a.ap_id.clone()),
            uri: a.ap_id.clone(),
            avatar_static: avatar.clone(),
            avatar,
            header_static: header.clone(),
            header,
            followers_count: view.counts.followers,
            following_count: view.counts.following,
            statuses_count: view.counts.statuses,
            last_status_at: view.counts.last_status_at.map(time::date),
            hide_collections: settings.is_some_and(|s| s.hide_collections),
            noindex: !a.discoverable,
            emojis: Vec::new(),
            roles: view
                .role
                .map(role)
                .filter(|r| r.highlighted)
                .map(|r| AccountRole {
                    id: r.id,
                    name: r.name,
                    color: r.color,
                })
                .into_iter()
                .collect(),
            fields: profiles::fields_of(&a.fields)
                .into_iter()
                .map(|f| Field {
                    name: f.name,
                    value: f.value,
                    verified_at: None,
                })
                .collect(),
        }
    }
}

/// The Role entity of `CredentialAccount.role`.
#[derive(Debug, Clone, Serialize)]
pub struct RoleEntity {
    pub id: String,
    pub name: String,
    pub color: String,
    /// Mastodon's permission bit field, as a string.
    pub permissions: String,
    pub highlighted: bool,
}

/// Our roles as Mastodon's: members are its "everyone" role (-99); administrators have the
/// administrator bit; moderators the reports, users, appeals, dashboard and audit-log bits.
fn role(role: Role) -> RoleEntity {
    let (id, name, permissions, highlighted) = match role {
        Role::User => ("-99", "", 0u32, false),
        Role::Moderator => ("1", "Moderator", 4 | 8 | 16 | 512 | 1024, true),
        Role::Admin => ("2", "Admin", 1, true),
    };
    RoleEntity {
        id: id.to_owned(),
        name: name.to_owned(),
        color: String::new(),
        permissions: permissions.to_string(),
        highlighted,
    }
}

/// `CredentialAccount.source`: what the member wrote, and their posting defaults.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub privacy: String,
    pub sensitive: bool,
    pub language: Option<String>,
    /// The note in plain text.
    pub note: String,
    pub fields: Vec<Field>,
    pub follow_requests_count: i64,
    pub hide_collections: bool,
    pub discoverable: bool,
    pub indexable: bool,
}

/// The signed-in member's own account.
#[derive(Debug, Clone, Serialize)]
pub struct CredentialAccount {
    #[serde(flatten)]
    pub account: Account,
    pub source: Source,
    pub role: RoleEntity,
}

impl CredentialAccount {
    pub fn from_view(urls: &Urls, view: &CredentialView) -> CredentialAccount {
        let settings = &view.settings;
        let member_role = Role::parse(&view.user.role).unwrap_or(Role::User);
        CredentialAccount {
            account: Account::from_view(urls, &view.view),
            source: Source {
                privacy: settings.default_privacy.clone(),
                sensitive: settings.default_sensitive,
                language: settings.default_language.clone(),
                note: settings.note_source.clone(),
                fields: profiles::fields_of(&settings.fields_source)
                    .into_iter()
                    .map(|f| Field {
                        name: f.name,
                        value: f.value,
                        verified_at: None,
                    })
                    .collect(),
                follow_requests_count: view.follow_requests,
                hide_collections: settings.hide_collections,
                discoverable: view.view.account.discoverable,
                indexable: settings.indexable,
            },
            role: role(member_role),
        }
    }
}
