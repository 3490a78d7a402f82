//! Typed configuration: defaults, then `kakehashi.toml`, then `KAKEHASHI_SECTION__KEY` variables.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::domain::prefectures::Prefecture;

/// The file read when no `--config` is given and it exists in the working directory.
pub const DEFAULT_CONFIG_FILE: &str = "kakehashi.toml";

/// Everything an instance is configured with. See `kakehashi.example.toml` for each setting.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub server: ServerConfig,
    pub instance: InstanceConfig,
    pub organisation: OrganisationConfig,
    pub database: DatabaseConfig,
    pub federation: FederationConfig,
    pub api: ApiConfig,
    pub events: EventsConfig,
}

/// Events: reminders before they start.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EventsConfig {
    /// How long before an event starts its participants get a reminder, in minutes.
    pub reminder_lead_minutes: u64,
    /// How often the reminder job looks for events about to start, in seconds (0 turns it off).
    pub reminder_poll_seconds: u64,
}

impl Default for EventsConfig {
    fn default() -> Self {
        EventsConfig {
            reminder_lead_minutes: 24 * 60,
            reminder_poll_seconds: 60,
        }
    }
}

/// How this instance talks to others.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FederationConfig {
    /// Require a valid HTTP signature on GETs of our actors, objects and collections
    /// ("authorized fetch", "secure mode").
    pub authorized_fetch: bool,
    /// Allow `http://` URLs and explicit ports for remote instances. Only for tests and local
    /// experiments; never in production.
    pub allow_http: bool,
    /// Host names whose addresses may be private or loopback (tests, an intranet peer). Every
    /// other host that resolves to such an address is refused.
    pub allow_private_hosts: Vec<String>,
    /// Fixed name resolution, `host = "ip:port"`, used before DNS (how tests give `alpha.test`
    /// an address without touching /etc/hosts).
    pub resolve: std::collections::BTreeMap<String, String>,
    /// Total deadline of one outgoing request, in seconds.
    pub request_timeout_seconds: u64,
    /// Largest remote document we read, in bytes.
    pub max_response_bytes: usize,
    /// Largest incoming activity we accept, in bytes.
    pub max_inbox_bytes: usize,
    /// Concurrent delivery workers in this process (0 turns delivery off in this process).
    pub delivery_workers: usize,
    /// How often idle workers look for due deliveries, in milliseconds.
    pub delivery_poll_ms: u64,
    /// Multiplies every retry delay (Mastodon's schedule: 16 tries over about three days).
    /// Only tests shorten it.
    pub retry_scale: f64,
}

impl Default for FederationConfig {
    fn default() -> Self {
        FederationConfig {
            authorized_fetch: false,
            allow_http: false,
            allow_private_hosts: Vec::new(),
            resolve: std::collections::BTreeMap::new(),
            request_timeout_seconds: 10,
            max_response_bytes: 1024 * 1024,
            max_inbox_bytes: 256 * 1024,
            delivery_workers: 4,
            delivery_poll_ms: 1000,
            retry_scale: 1.0,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Address and port the HTTP server binds to.
    pub listen: SocketAddr,
    /// Directory for the SQLite database, uploaded media and other local state.
    pub data_dir: PathBuf,
    /// Largest request body accepted, in bytes (media uploads have their own limit).
    pub body_limit_bytes: usize,
    /// Seconds to let in-flight requests finish after SIGTERM/SIGINT before exiting.
    pub shutdown_grace_seconds: u64,
    /// `text` for people, `json` for log collectors.
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InstanceConfig {
    /// Public host name (with `:port` when not the scheme's default). Part of every ActivityPub id:
    /// it cannot change once other instances know us.
    pub domain: String,
    /// `https` in production; `http` only for local use and tests.
    pub scheme: Scheme,
    pub name: LocalisedText,
    pub description: LocalisedText,
    /// Where people and other operators reach the people running this instance.
    pub contact_email: String,
    pub registration: RegistrationMode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
}

/// Who may create an account on this instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegistrationMode {
    /// Only administrators create accounts.
    Closed,
    /// Anyone holding an invitation link.
    Invite,
    /// Anyone may apply; a moderator approves each account.
    Approval,
    /// Anyone may sign up.
    Open,
}

/// A text in Japanese and English; Japanese is shown first.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LocalisedText {
    pub ja: String,
    pub en: String,
}

impl LocalisedText {
    /// The text in the requested language, falling back to the other one when it is empty.
    pub fn get(&self, lang: &str) -> &str {
        let (first, second) = if lang.starts_with("en") {
            (&self.en, &self.ja)
        } else {
            (&self.ja, &self.en)
        };
        if first.is_empty() { second } else { first }
    }
}

/// The organisation that operates this instance.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OrganisationConfig {
    pub name: LocalisedText,
    /// 全国地方公共団体コード: six digits with the check digit, when the operator is a local government.
    #[serde(deserialize_with = "code_string")]
    pub local_government_code: Option<String>,
    /// Prefecture as its JIS code ("13"), Japanese name ("東京都") or English name ("Tokyo").
    #[serde(deserialize_with = "number_as_text")]
    pub prefecture: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    /// `sqlite://path/to/file.sqlite3` or `postgres://user:password@host/database`. Empty means a
    /// SQLite file in the data directory.
    pub url: String,
    /// Largest number of open connections per process.
    pub pool_size: u32,
}

/// The Mastodon client API: OAuth grants, rate limits and upload sizes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiConfig {
    /// Allow the OAuth `password` grant. Mastodon removed it in 4.4; only test tooling (masto.js's
    /// end-to-end suite, FediTest) still uses it. Never switch it on for real members.
    pub allow_password_grant: bool,
    /// Requests per client (access token, else IP address) in each window; 0 switches limits off.
    pub rate_limit_requests: u32,
    pub rate_limit_window_seconds: u64,
    /// Media uploads per member in each media window.
    pub media_rate_limit_requests: u32,
    pub media_rate_limit_window_seconds: u64,
    /// Password attempts on the OAuth login page per IP address in each window.
    pub login_rate_limit_requests: u32,
    pub login_rate_limit_window_seconds: u64,
    /// Use the last address of `X-Forwarded-For` as the client's address (behind a reverse proxy
    /// that sets it); otherwise the peer address of the connection.
    pub trust_forwarded_for: bool,
    /// Largest media file (an upload, an avatar or a header), in bytes; the request carrying it may
    /// be 1 MiB larger for the form around it.
    pub media_size_limit_bytes: usize,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            allow_password_grant: false,
            rate_limit_requests: 300,
            rate_limit_window_seconds: 300,
            media_rate_limit_requests: 30,
            media_rate_limit_window_seconds: 1800,
            login_rate_limit_requests: 25,
            login_rate_limit_window_seconds: 300,
            trust_forwarded_for: false,
            media_size_limit_bytes: 40 * 1024 * 1024,
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("data"),
            body_limit_bytes: 1024 * 1024,
            shutdown_grace_seconds: 20,
            log_format: LogFormat::Text,
        }
    }
}

impl Default for InstanceConfig {
    fn default() -> Self {
        InstanceConfig {
            domain: "localhost:8080".to_owned(),
            scheme: Scheme::Http,
            name: LocalisedText {
                ja: "架け橋".to_owned(),
                en: "Kakehashi".to_owned(),
            },
            description: LocalisedText {
                ja: "自治体職員と、ともに働く人々のためのコミュニティ".to_owned(),
                en: "A community for local-government staff and the people who work with them"
                    .to_owned(),
            },
            contact_email: String::new(),
            registration: RegistrationMode::Closed,
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            url: String::new(),
            pool_size: 10,
        }
    }
}

/// Why a configuration could not be used; each message is one plain sentence.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration: {0}")]
    Load(String),
    #[error("{}", .0.join(" "))]
    Invalid(Vec<String>),
}

impl Config {
    /// Reads defaults, then the TOML file (if given, or `kakehashi.toml` when present), then the
    /// environment, and checks the result.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) => {
                if !path.is_file() {
                    return Err(ConfigError::Load(format!(
                        "the configuration file {} does not exist",
                        path.display()
                    )));
                }
                figment = figment.merge(Toml::file_exact(path));
            }
            None if Path::new(DEFAULT_CONFIG_FILE).is_file() => {
                figment = figment.merge(Toml::file_exact(DEFAULT_CONFIG_FILE));
            }
            None => {}
        }
        let config: Config = figment
            .merge(environment())
            .extract()
            .map_err(|e| ConfigError::Load(describe_figment_error(e)))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks the values that serde cannot: formats, check digits, cross-field rules.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let mut problems = Vec::new();
        if let Err(e) = self.base_url() {
            problems.push(e);
        }
        let email = self.instance.contact_email.trim();
        if !email.is_empty() && !email_address::EmailAddress::is_valid(email) {
            problems.push(format!(
                "instance.contact_email \"{email}\" is not an e-mail address."
            ));
        }
        let prefecture = match self.organisation.prefecture.as_deref() {
            Some(p) if !p.trim().is_empty() => match Prefecture::parse(p) {
                Some(pref) => Some(pref),
                None => {
                    problems.push(format!(
                        "organisation.prefecture \"{p}\" is not one of Japan's 47 prefectures."
                    ));
                    None
                }
            },
            _ => None,
        };
        if let Some(code) = self.organisation.local_government_code.as_deref()
            && let Err(e) = check_local_government_code(code, prefecture)
        {
            problems.push(e);
        }
        if let Err(e) = crate::db::DatabaseUrl::parse(&self.database_url()) {
            problems.push(format!("database.url: {e}."));
        }
        if self.database.pool_size == 0 {
            problems.push("database.pool_size must be at least 1.".to_owned());
        }
        for (host, address) in &self.federation.resolve {
            if address.parse::<std::net::SocketAddr>().is_err() {
                problems.push(format!(
                    "federation.resolve.{host} = \"{address}\" must be an address with a port, such as 127.0.0.1:8081."
                ));
            }
        }
        if !(self.federation.retry_scale > 0.0 && self.federation.retry_scale <= 1.0) {
            problems.push("federation.retry_scale must be above 0 and at most 1.".to_owned());
        }
        if self.server.body_limit_bytes < 1024 {
            problems.push("server.body_limit_bytes must be at least 1024.".to_owned());
        }
        if self.api.media_size_limit_bytes < self.server.body_limit_bytes {
            problems.push(
                "api.media_size_limit_bytes must be at least server.body_limit_bytes.".to_owned(),
            );
        }
        for (name, seconds) in [
            (
                "rate_limit_window_seconds",
                self.api.rate_limit_window_seconds,
            ),
            (
                "media_rate_limit_window_seconds",
                self.api.media_rate_limit_window_seconds,
            ),
            (
                "login_rate_limit_window_seconds",
                self.api.login_rate_limit_window_seconds,
            ),
        ] {
            if seconds == 0 {
                problems.push(format!("api.{name} must be at least 1."));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::Invalid(problems))
        }
    }

    /// The public base URL, such as `https://social.city.example`, without a trailing slash.
    pub fn base_url(&self) -> Result<Url, String> {
        let domain = self.instance.domain.trim();
        let invalid = || {
            format!(
                "instance.domain \"{domain}\" must be a host name, optionally with a port, such as social.city.example."
            )
        };
        if domain.is_empty() || domain.contains(['/', '@', '?', '#', ' ']) {
            return Err(invalid());
        }
        let url = Url::parse(&format!("{}://{domain}", self.instance.scheme.as_str()))
            .map_err(|_| invalid())?;
        if url.host_str().is_none_or(str::is_empty) {
            return Err(invalid());
        }
        Ok(url)
    }

    /// The configured database URL, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        if self.database.url.trim().is_empty() {
            format!(
                "sqlite://{}",
                self.server.data_dir.join("kakehashi.sqlite3").display()
            )
        } else {
            self.database.url.trim().to_owned()
        }
    }

    /// The organisation's prefecture, when it is configured (validated at load time).
    pub fn prefecture(&self) -> Option<Prefecture> {
        self.organisation
            .prefecture
            .as_deref()
            .and_then(Prefecture::parse)
    }
}

/// `KAKEHASHI_SECTION__KEY=value` → `section.key`. Variables without a section separator (such as
/// `KAKEHASHI_CONFIG` or the test suite's `KAKEHASHI_TEST_DATABASE_URL`) are not settings.
fn environment() -> Env {
    Env::prefixed("KAKEHASHI_")
        .filter(|key| key.as_str().contains("__"))
        .split("__")
}

/// A setting that is text but may look like a number.
#[derive(Deserialize)]
#[serde(untagged)]
enum TextOrNumber {
    Text(String),
    Number(u64),
}

/// Environment variables arrive as numbers when they look like one (`131016`), and a leading zero
/// (`011002`) is lost on the way: accept both forms and pad back to six digits.
fn code_string<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(match Option::<TextOrNumber>::deserialize(deserializer)? {
        Some(TextOrNumber::Text(text)) if !text.trim().is_empty() => Some(text.trim().to_owned()),
        Some(TextOrNumber::Number(n)) => Some(format!("{n:06}")),
        _ => None,
    })
}

/// A prefecture code given as `13` in the environment.
fn number_as_text<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Ok(match Option::<TextOrNumber>::deserialize(deserializer)? {
        Some(TextOrNumber::Text(text)) if !text.trim().is_empty() => Some(text.trim().to_owned()),
        Some(TextOrNumber::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

fn describe_figment_error(error: figment::Error) -> String {
    error
        .into_iter()
        .map(|e| {
            let path = e.path.join(".");
            let source = e
                .metadata
                .as_ref()
                .map(|m| format!(" (from {})", m.name))
                .unwrap_or_default();
            if path.is_empty() {
                format!("{}{source}", e.kind)
            } else {
                format!("{path}: {}{source}", e.kind)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Checks a 全国地方公共団体コード: six digits whose last is the check digit (weights 6,5,4,3,2,
/// modulus 11) and whose first two are the prefecture's JIS code.
pub fn check_local_government_code(
    code: &str,
    prefecture: Option<Prefecture>,
) -> Result<(), String> {
    let digits: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
    if code.len() != 6 || digits.len() != 6 {
        return Err(format!(
            "organisation.local_government_code \"{code}\" must be six digits, such as 131016."
        ));
    }
    let sum: u32 = digits[..5]
        .iter()
        .zip([6, 5, 4, 3, 2])
        .map(|(d, w)| d * w)
        .sum();
    let check = (11 - sum % 11) % 10;
    if digits[5] != check {
        return Err(format!(
            "organisation.local_government_code \"{code}\" has a wrong check digit (expected {check})."
        ));
    }
    let pref_code = digits[0] * 10 + digits[1];
    match Prefecture::from_code(pref_code) {
        None => Err(format!(
            "organisation.local_government_code \"{code}\" does not start with a prefecture code (01 to 47)."
        )),
        Some(p) if prefecture.is_some_and(|q| q != p) => Err(format!(
            "organisation.local_government_code \"{code}\" belongs to {}, not to the configured prefecture.",
            p.name_en()
        )),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_government_codes_are_checked() {
        assert!(check_local_government_code("131016", None).is_ok()); // 千代田区
        assert!(check_local_government_code("011002", None).is_ok()); // 札幌市
        assert!(check_local_government_code("131016", Prefecture::parse("東京都")).is_ok());
        assert!(check_local_government_code("131017", None).is_err());
        assert!(check_local_government_code("13101", None).is_err());
        assert!(check_local_government_code("131016", Prefecture::parse("Osaka")).is_err());
        assert!(check_local_government_code("991003", None).is_err());
    }

    #[test]
    fn defaults_are_valid() {
        Config::default().validate().expect("defaults validate");
    }

    #[test]
    fn domain_must_be_a_host() {
        let mut config = Config::default();
        config.instance.domain = "https://example.org/".to_owned();
        assert!(config.validate().is_err());
        config.instance.domain = "social.city.example".to_owned();
        assert!(config.validate().is_ok());
    }
}
