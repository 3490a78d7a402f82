//! Japanese first, English too: the language of a page and its message catalogue.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A language the web pages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The other language, for the switch link on every page.
    pub fn other(self) -> Lang {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().get(..2) {
            Some("ja") => Some(Lang::Ja),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    /// The best match for an `Accept-Language` header, by quality and then order; Japanese when
    /// nothing matches. Regional tags count for their language: browsers often send only
    /// `en-US` or `ja-JP`, without the bare `en` or `ja`.
    pub fn negotiate(accept_language: &str) -> Lang {
        accept_language::parse_with_quality(accept_language)
            .iter()
            .filter(|(_, quality)| *quality > 0.0)
            .find_map(|(tag, _)| {
                match tag
                    .split('-')
                    .next()
                    .map(str::to_ascii_lowercase)
                    .as_deref()
                {
                    Some("ja") => Some(Lang::Ja),
                    Some("en") => Some(Lang::En),
                    _ => None,
                }
            })
            .unwrap_or_default()
    }

    /// The message for `key` in this language. A missing key shows as itself, which the
    /// catalogue test catches.
    pub fn t(self, key: &str) -> &'static str {
        catalogue(self)
            .get(key)
            .map(String::as_str)
            .unwrap_or_else(|| {
                tracing::warn!(key, lang = self.code(), "missing translation");
                "?"
            })
    }
}

fn catalogue(lang: Lang) -> &'static HashMap<String, String> {
    static JA: OnceLock<HashMap<String, String>> = OnceLock::new();
    static EN: OnceLock<HashMap<String, String>> = OnceLock::new();
    match lang {
        Lang::Ja => JA.get_or_init(|| parse(include_str!("../locales/ja.toml"))),
        Lang::En => EN.get_or_init(|| parse(include_str!("../locales/en.toml"))),
    }
}

fn parse(source: &str) -> HashMap<String, String> {
    let table: toml::Table = toml::from_str(source).unwrap_or_default();
    let mut out = HashMap::new();
    flatten("", &table, &mut out);
    out
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut HashMap<String, String>) {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(inner) => flatten(&full, inner, out),
            toml::Value::String(text) => {
                out.insert(full, text.clone());
            }
            other => {
                out.insert(full, other.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let ja = catalogue(Lang::Ja);
        let en = catalogue(Lang::En);
        assert!(!ja.is_empty(), "the Japanese catalogue parses");
        let mut missing: Vec<_> = ja
            .keys()
            .filter(|k| !en.contains_key(*k))
            .chain(en.keys().filter(|k| !ja.contains_key(*k)))
            .collect();
        missing.sort();
        assert!(
            missing.is_empty(),
            "keys in one catalogue only: {missing:?}"
        );
    }

    #[test]
    fn negotiates_languages() {
        assert_eq!(Lang::negotiate("en-US,en;q=0.9"), Lang::En);
        assert_eq!(Lang::negotiate("ja,en;q=0.5"), Lang::Ja);
        assert_eq!(Lang::negotiate("fr"), Lang::Ja);
        // What Safari and Chromium send for an English or Japanese system: regional tags only.
        assert_eq!(Lang::negotiate("en-US"), Lang::En);
        assert_eq!(Lang::negotiate("en-GB"), Lang::En);
        assert_eq!(Lang::negotiate("ja-JP"), Lang::Ja);
        assert_eq!(Lang::negotiate("fr-FR,en-US;q=0.8,ja;q=0.5"), Lang::En);
        assert_eq!(Lang::negotiate("ja;q=0.4,en-US;q=0.9"), Lang::En);
        assert_eq!(Lang::negotiate("EN-us"), Lang::En);
        assert_eq!(Lang::negotiate("en;q=0,ja-JP;q=0.1"), Lang::Ja);
        // Not a prefix match: "enm" (Middle English) is not English here.
        assert_eq!(Lang::negotiate("enm"), Lang::Ja);
        assert_eq!(Lang::negotiate(""), Lang::Ja);
    }
}
