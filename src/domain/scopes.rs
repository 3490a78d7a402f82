//! OAuth scopes and Mastodon's rules for them: `read` covers every `read:*`, `write` every
//! `write:*`, the deprecated `follow` covers the follow, block and mute scopes, and `profile` only
//! allows reading one's own account.

use std::fmt;

use crate::error::AppError;

/// Every scope a client may ask for.
pub const KNOWN: &[&str] = &[
    "read",
    "write",
    "follow",
    "push",
    "profile",
    "read:accounts",
    "read:blocks",
    "read:bookmarks",
    "read:favourites",
    "read:filters",
    "read:follows",
    "read:groups",
    "read:lists",
    "read:mutes",
    "read:notifications",
    "read:search",
    "read:statuses",
    "write:accounts",
    "write:blocks",
    "write:bookmarks",
    "write:conversations",
    "write:favourites",
    "write:filters",
    "write:follows",
    "write:groups",
    "write:lists",
    "write:media",
    "write:mutes",
    "write:notifications",
    "write:reports",
    "write:statuses",
];

/// What the deprecated `follow` scope stands for.
const FOLLOW_COVERS: &[&str] = &[
    "read:follows",
    "write:follows",
    "read:blocks",
    "write:blocks",
    "read:mutes",
    "write:mutes",
];

/// A set of granted or requested scopes, kept in the order given and without repeats.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scopes(Vec<String>);

impl Scopes {
    /// Parses a space- (or `+`-, or comma-) separated list; unknown scopes are a 422 naming them.
    /// An empty list means `read`, as on Mastodon.
    pub fn parse(text: &str) -> Result<Scopes, AppError> {
        let mut scopes: Vec<String> = Vec::new();
        let mut unknown = Vec::new();
        for scope in text
            .split(|c: char| c.is_whitespace() || c == '+' || c == ',')
            .filter(|s| !s.is_empty())
        {
            if !KNOWN.contains(&scope) {
                unknown.push(scope.to_owned());
            } else if !scopes.iter().any(|s| s == scope) {
                scopes.push(scope.to_owned());
            }
        }
        if !unknown.is_empty() {
            return Err(AppError::Unprocessable(format!(
                "Unknown scope: {}",
                unknown.join(" ")
            )));
        }
        if scopes.is_empty() {
            scopes.push("read".to_owned());
        }
        Ok(Scopes(scopes))
    }

    /// Scopes as stored; the database only ever holds lists `parse` accepted.
    pub fn from_stored(text: &str) -> Scopes {
        Scopes(text.split_whitespace().map(str::to_owned).collect())
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// Whether these granted scopes allow an action that needs `required`.
    pub fn allows(&self, required: &str) -> bool {
        self.iter().any(|granted| covers(granted, required))
    }

    /// Whether these granted scopes allow an action that needs any one of `required`.
    pub fn allows_any(&self, required: &[&str]) -> bool {
        required.iter().any(|r| self.allows(r))
    }

    /// Whether every scope of `requested` is covered by these (an app's) scopes.
    pub fn contains_all(&self, requested: &Scopes) -> bool {
        requested.iter().all(|r| self.allows(r))
    }
}

/// Whether one granted scope covers a required one.
fn covers(granted: &str, required: &str) -> bool {
    if granted == required {
        return true;
    }
    match granted {
        "read" => required.starts_with("read:"),
        "write" => required.starts_with("write:"),
        "follow" => FOLLOW_COVERS.contains(&required),
        _ => false,
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_defaults_to_read() {
        assert_eq!(
            Scopes::parse("").map(|s| s.to_string()).ok(),
            Some("read".into())
        );
        assert_eq!(
            Scopes::parse("read write  follow push read")
                .map(|s| s.to_string())
                .ok(),
            Some("read write follow push".into())
        );
        assert_eq!(
            Scopes::parse("read+write:statuses")
                .map(|s| s.to_string())
                .ok(),
            Some("read write:statuses".into())
        );
        assert!(Scopes::parse("read admin:read").is_err());
        assert!(Scopes::parse("everything").is_err());
    }

    #[test]
    fn broad_scopes_cover_granular_ones() {
        let read = Scopes::from_stored("read");
        assert!(read.allows("read:accounts"));
        assert!(read.allows("read:statuses"));
        assert!(!read.allows("write:statuses"));
        assert!(!read.allows("profile"));

        let follow = Scopes::from_stored("follow");
        assert!(follow.allows("read:follows"));
        assert!(follow.allows("write:blocks"));
        assert!(follow.allows("write:mutes"));
        assert!(!follow.allows("read:statuses"));

        let granular = Scopes::from_stored("read:accounts write:media");
        assert!(granular.allows("read:accounts"));
        assert!(granular.allows("write:media"));
        assert!(!granular.allows("read:statuses"));
        assert!(!granular.allows("read"));

        let profile = Scopes::from_stored("profile");
        assert!(profile.allows_any(&["read:accounts", "profile"]));
        assert!(!profile.allows("read:accounts"));
    }

    #[test]
    fn requested_scopes_must_be_within_the_apps() {
        let app = Scopes::from_stored("read write follow");
        assert!(app.contains_all(&Scopes::from_stored("read:accounts write")));
        assert!(app.contains_all(&Scopes::from_stored("write:follows")));
        assert!(!app.contains_all(&Scopes::from_stored("push")));
        let narrow = Scopes::from_stored("read:accounts");
        assert!(!narrow.contains_all(&Scopes::from_stored("read")));
    }
}
