//! What the instance says about itself to clients: limits, languages, and the feature list in
//! `pleroma.metadata.features` that pl-fe reads to switch screens on.

/// Longest post, in characters.
pub const MAX_STATUS_CHARACTERS: u32 = 5000;
pub const MAX_MEDIA_ATTACHMENTS: u32 = 4;
/// Each URL in a post counts as this many characters, as on Mastodon.
pub const CHARACTERS_RESERVED_PER_URL: u32 = 23;
pub const MAX_POLL_OPTIONS: u32 = 4;
pub const MAX_POLL_OPTION_CHARACTERS: u32 = 50;
pub const MIN_POLL_EXPIRATION_SECONDS: u32 = 300;
pub const MAX_POLL_EXPIRATION_SECONDS: u32 = 2_629_746;
pub const MAX_FEATURED_TAGS: u32 = 10;
pub const MAX_PINNED_STATUSES: u32 = 5;
/// The languages the instance and its staff use.
pub const LANGUAGES: &[&str] = &["ja", "en"];

/// The version clients parse: Mastodon 4.2's API level (no grouped notifications yet, so no
/// `api_versions`), then our name and version.
pub fn version() -> String {
    format!(
        "4.2.0 (compatible; Kakehashi {})",
        env!("CARGO_PKG_VERSION")
    )
}

/// Features announced in `pleroma.metadata.features`. Add one only when its endpoints work: pl-fe
/// shows screens for whatever is listed (`pleroma:groups` and `events` come with those APIs).
pub fn features() -> Vec<&'static str> {
    vec!["mastodon_api", "events"]
}
