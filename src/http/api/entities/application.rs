//! The Application entity, with the client credentials when just registered.

use serde::Serialize;

use crate::db::models::ApplicationRow;
use crate::domain::oauth;
use crate::domain::scopes::Scopes;

#[derive(Debug, Clone, Serialize)]
pub struct Application {
    pub id: String,
    pub name: String,
    pub website: Option<String>,
    pub scopes: Vec<String>,
    /// The registered URIs, one per line (older clients read this).
    pub redirect_uri: String,
    pub redirect_uris: Vec<String>,
    /// Web Push is not offered yet.
    pub vapid_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    /// Secrets do not expire.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret_expires_at: Option<i64>,
}

impl Application {
    /// As `GET /api/v1/apps/verify_credentials` shows it: no credentials.
    pub fn public(app: &ApplicationRow) -> Application {
        let uris = oauth::redirect_uris(app);
        Application {
            id: app.id.to_string(),
            name: app.name.clone(),
            website: app.website.clone(),
            scopes: Scopes::from_stored(&app.scopes)
                .iter()
                .map(str::to_owned)
                .collect(),
            redirect_uri: uris.join("\n"),
            redirect_uris: uris,
            vapid_key: String::new(),
            client_id: None,
            client_secret: None,
            client_secret_expires_at: None,
        }
    }

    /// As `POST /api/v1/apps` answers: with the client id and the secret, shown only this once.
    pub fn registered(app: &ApplicationRow, client_secret: &str) -> Application {
        Application {
            client_id: Some(app.client_id.clone()),
            client_secret: Some(client_secret.to_owned()),
            client_secret_expires_at: Some(0),
            ..Application::public(app)
        }
    }
}
