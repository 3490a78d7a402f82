//! The Instance entity (v2) and its older form (v1).

use serde_json::{Value, json};

use crate::config::{Config, RegistrationMode};
use crate::db::store::counts::InstanceStats;
use crate::domain::urls::Urls;
use crate::domain::{instance, media};
use crate::http::api::entities::Account;
use crate::i18n::Lang;

/// What both forms are built from.
pub struct InstanceFacts<'a> {
    pub config: &'a Config,
    pub urls: &'a Urls,
    pub lang: Lang,
    pub stats: InstanceStats,
    /// The first administrator, shown as the contact.
    pub contact: Option<Account>,
}

impl InstanceFacts<'_> {
    fn title(&self) -> &str {
        self.config.instance.name.get(self.lang.code())
    }

    fn description(&self) -> &str {
        self.config.instance.description.get(self.lang.code())
    }

    fn thumbnail(&self) -> String {
        self.urls.join("/static/thumbnail.png").to_string()
    }

    fn registrations_open(&self) -> bool {
        matches!(
            self.config.instance.registration,
            RegistrationMode::Open | RegistrationMode::Approval
        )
    }

    fn approval_required(&self) -> bool {
        self.config.instance.registration == RegistrationMode::Approval
    }

    fn statuses(&self) -> Value {
        json!({
            "max_characters": instance::MAX_STATUS_CHARACTERS,
            "max_media_attachments": instance::MAX_MEDIA_ATTACHMENTS,
            "characters_reserved_per_url": instance::CHARACTERS_RESERVED_PER_URL,
        })
    }

    /// Images only: the video limits are 0 because we take no video yet.
    fn media_attachments(&self) -> Value {
        json!({
            "supported_mime_types": media::SUPPORTED_TYPES,
            "description_limit": media::DESCRIPTION_MAX,
            "image_size_limit": self.config.api.media_size_limit_bytes,
            "image_matrix_limit": media::MAX_PIXELS,
            "video_size_limit": 0,
            "video_frame_rate_limit": 0,
            "video_matrix_limit": 0,
        })
    }

    fn polls(&self) -> Value {
        json!({
            "max_options": instance::MAX_POLL_OPTIONS,
            "max_characters_per_option": instance::MAX_POLL_OPTION_CHARACTERS,
            "min_expiration": instance::MIN_POLL_EXPIRATION_SECONDS,
            "max_expiration": instance::MAX_POLL_EXPIRATION_SECONDS,
        })
    }

    /// pl-fe's switches (see `domain::instance::features`).
    fn pleroma(&self) -> Value {
        json!({
            "metadata": {
                "features": instance::features(),
                "federation": { "enabled": true },
            }
        })
    }

    /// Our own additions: the texts in both languages and the operating organisation.
    fn kakehashi(&self) -> Value {
        let config = self.config;
        json!({
            "title": { "ja": config.instance.name.ja, "en": config.instance.name.en },
            "description": { "ja": config.instance.description.ja, "en": config.instance.description.en },
            "organisation": {
                "name": { "ja": config.organisation.name.ja, "en": config.organisation.name.en },
                "local_government_code": config.organisation.local_government_code,
                "prefecture": config.prefecture().map(|p| p.name_en()),
            },
        })
    }
}

/// `GET /api/v2/instance`.
pub fn v2(facts: &InstanceFacts<'_>) -> Value {
    let thumbnail = facts.thumbnail();
    let icon = facts.urls.join("/static/icon.png").to_string();
    json!({
        "domain": facts.urls.domain(),
        "title": facts.title(),
        "version": instance::version(),
        "source_url": env!("CARGO_PKG_REPOSITORY"),
        "description": facts.description(),
        "usage": { "users": { "active_month": facts.stats.users } },
        "thumbnail": {
            "url": thumbnail,
            "blurhash": null,
            "versions": { "@1x": thumbnail },
        },
        "icon": [ { "src": icon, "size": "192x192" } ],
        "languages": instance::LANGUAGES,
        "configuration": {
            "urls": { "streaming": facts.urls.streaming(), "status": null },
            "vapid": { "public_key": "" },
            "accounts": {
                "max_featured_tags": instance::MAX_FEATURED_TAGS,
                "max_pinned_statuses": instance::MAX_PINNED_STATUSES,
            },
            "statuses": facts.statuses(),
            "media_attachments": facts.media_attachments(),
            "polls": facts.polls(),
            "translation": { "enabled": false },
        },
        "registrations": {
            "enabled": facts.registrations_open(),
            "approval_required": facts.approval_required(),
            "message": null,
            "url": null,
        },
        "contact": {
            "email": facts.config.instance.contact_email,
            "account": facts.contact,
        },
        "rules": [],
        "pleroma": facts.pleroma(),
        "kakehashi": facts.kakehashi(),
    })
}

/// `GET /api/v1/instance`.
pub fn v1(facts: &InstanceFacts<'_>) -> Value {
    json!({
        "uri": facts.urls.domain(),
        "title": facts.title(),
        "short_description": facts.description(),
        "description": facts.description(),
        "email": facts.config.instance.contact_email,
        "version": instance::version(),
        "urls": { "streaming_api": facts.urls.streaming() },
        "stats": {
            "user_count": facts.stats.users,
            "status_count": facts.stats.local_statuses,
            "domain_count": facts.stats.domains,
        },
        "thumbnail": facts.thumbnail(),
        "languages": instance::LANGUAGES,
        "registrations": facts.registrations_open(),
        "approval_required": facts.approval_required(),
        "invites_enabled": facts.config.instance.registration == RegistrationMode::Invite,
        "configuration": {
            "accounts": { "max_featured_tags": instance::MAX_FEATURED_TAGS },
            "statuses": facts.statuses(),
            "media_attachments": facts.media_attachments(),
            "polls": facts.polls(),
        },
        "contact_account": facts.contact,
        "rules": [],
        "pleroma": facts.pleroma(),
        "kakehashi": facts.kakehashi(),
    })
}
