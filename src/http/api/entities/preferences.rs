//! The Preferences entity of `GET /api/v1/preferences`.

use serde_json::{Value, json};

use crate::db::models::UserSettingsRow;

/// The member's posting defaults; reading preferences are Mastodon's defaults (we store none).
pub fn preferences(settings: &UserSettingsRow) -> Value {
    json!({
        "posting:default:visibility": settings.default_privacy,
        "posting:default:sensitive": settings.default_sensitive,
        "posting:default:language": settings.default_language,
        "reading:expand:media": "default",
        "reading:expand:spoilers": false,
    })
}
