//! `GET /api/v1/accounts/verify_credentials` and `PATCH /api/v1/accounts/update_credentials`.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::routing::{get, patch};
use serde::Deserialize;

use crate::domain::profiles::{self, Field, ProfileUpdate};
use crate::error::AppResult;
use crate::http::api::entities::CredentialAccount;
use crate::http::extract::{CurrentUser, ParamsWithFiles, scope};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/accounts/verify_credentials",
            get(verify_credentials),
        )
        .route(
            "/api/v1/accounts/update_credentials",
            patch(update_credentials).put(update_credentials),
        )
}

async fn verify_credentials(
    State(state): State<AppState>,
    me: CurrentUser<scope::Profile>,
) -> AppResult<Json<CredentialAccount>> {
    let view = profiles::credential_view(&state.db, &me.user).await?;
    Ok(Json(CredentialAccount::from_view(&state.urls, &view)))
}

#[derive(Debug, Default, Deserialize)]
pub struct FieldParams {
    #[serde(default)]
    name: String,
    #[serde(default)]
    value: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct SourceParams {
    privacy: Option<String>,
    sensitive: Option<bool>,
    language: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct UpdateParams {
    display_name: Option<String>,
    note: Option<String>,
    locked: Option<bool>,
    bot: Option<bool>,
    discoverable: Option<bool>,
    indexable: Option<bool>,
    hide_collections: Option<bool>,
    /// `fields_attributes[0][name]=...` or a JSON list of objects.
    fields_attributes: Option<Vec<FieldParams>>,
    #[serde(default)]
    source: SourceParams,
}

async fn update_credentials(
    State(state): State<AppState>,
    me: CurrentUser<scope::WriteAccounts>,
    mut form: ParamsWithFiles<UpdateParams>,
) -> AppResult<Json<CredentialAccount>> {
    let avatar = form.take_file("avatar").map(|f| f.bytes.to_vec());
    let header = form.take_file("header").map(|f| f.bytes.to_vec());
    let params = form.params;
    let update = ProfileUpdate {
        display_name: params.display_name,
        note: params.note,
        locked: params.locked,
        bot: params.bot,
        discoverable: params.discoverable,
        indexable: params.indexable,
        hide_collections: params.hide_collections,
        fields: params.fields_attributes.map(|fields| {
            fields
                .into_iter()
                .map(|f| Field {
                    name: f.name,
                    value: f.value,
                })
                .collect()
        }),
        privacy: params.source.privacy,
        sensitive: params.source.sensitive,
        language: params.source.language,
        avatar,
        header,
    };
    profiles::update_profile(&state, &me.user, update).await?;
    let view = profiles::credential_view(&state.db, &me.user).await?;
    Ok(Json(CredentialAccount::from_view(&state.urls, &view)))
}
