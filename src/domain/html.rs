//! HTML in and out: remote HTML cut down to what Mastodon allows, members' plain text made into
//! HTML with links, mentions and hashtags, and HTML back to plain text.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;

/// Elements remote content may keep: Mastodon's strict set plus `ruby` for Japanese readings.
const TAGS: &[&str] = &[
    "p",
    "br",
    "span",
    "a",
    "del",
    "s",
    "pre",
    "blockquote",
    "code",
    "b",
    "strong",
    "u",
    "i",
    "em",
    "ul",
    "ol",
    "li",
    "ruby",
    "rt",
    "rp",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "sup",
    "sub",
];

/// Link schemes remote content may keep; anything else (`javascript:`, `data:`) loses its href.
const SCHEMES: &[&str] = &[
    "http", "https", "mailto", "xmpp", "gemini", "gopher", "magnet", "dat", "dweb", "ipfs", "ipns",
    "ssb",
];

/// Classes with a meaning to Mastodon clients; all others are dropped.
const SPAN_CLASSES: &[&str] = &["h-card", "invisible", "ellipsis", "mention", "hashtag"];
const A_CLASSES: &[&str] = &["u-url", "mention", "hashtag", "h-card", "status-link"];

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut builder = ammonia::Builder::empty();
        builder
            .add_tags(TAGS.iter().copied())
            .add_tag_attributes("a", ["href", "translate"])
            .add_tag_attributes("span", ["translate"])
            .add_tag_attributes("ol", ["start", "reversed"])
            .add_tag_attributes("li", ["value"])
            .add_allowed_classes("span", SPAN_CLASSES.iter().copied())
            .add_allowed_classes("a", A_CLASSES.iter().copied())
            .url_schemes(SCHEMES.iter().copied().collect::<HashSet<_>>())
            .link_rel(Some("nofollow noopener noreferrer"))
            .set_tag_attribute_value("a", "target", "_blank")
            .strip_comments(true);
        builder
    })
}

/// Remote or otherwise untrusted HTML, made safe to store and show: no scripts, no event
/// handlers, no styles, no `javascript:` links.
pub fn sanitize(html: &str) -> String {
    cleaner().clean(html).to_string()
}

/// Plain text of an HTML fragment: tags removed, entities decoded, paragraphs and line breaks
/// kept as newlines.
pub fn to_plain_text(html: &str) -> String {
    static BREAKS: OnceLock<Regex> = OnceLock::new();
    let breaks =
        BREAKS.get_or_init(|| constant_regex(r"(?i)<br\s*/?>|</p>\s*<p[^>]*>|</li>\s*<li[^>]*>"));
    let with_newlines = breaks.replace_all(html, "\n");
    let stripped = ammonia::Builder::empty().clean(&with_newlines).to_string();
    html_escape::decode_html_entities(&stripped)
        .trim()
        .to_owned()
}

/// A regex from a pattern written in this file; the tests exercise every one of them.
#[expect(
    clippy::expect_used,
    reason = "constant patterns, compiled by the unit tests"
)]
fn constant_regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("constant regex")
}

/// A mention found in a member's text, before it is resolved to an account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MentionRef {
    pub username: String,
    /// `None` when written without a domain (`@hanako`): someone on this instance.
    pub domain: Option<String>,
}

impl MentionRef {
    /// `hanako` or `hanako@city.example`.
    pub fn acct(&self) -> String {
        match &self.domain {
            Some(domain) => format!("{}@{domain}", self.username),
            None => self.username.clone(),
        }
    }
}

/// Where a resolved mention points.
#[derive(Debug, Clone)]
pub struct MentionTarget {
    pub account_id: i64,
    /// The profile URL the link points at.
    pub url: String,
    pub username: String,
}

/// A member's post, made into HTML.
#[derive(Debug, Clone, Default)]
pub struct Formatted {
    pub html: String,
    /// Accounts mentioned, in order of first appearance.
    pub mentions: Vec<MentionTarget>,
    /// Hashtags used, without `#`, in order of first appearance.
    pub tags: Vec<String>,
}

fn mention_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        constant_regex(r"(?P<pre>^|[^A-Za-z0-9_/@.])@(?P<user>[A-Za-z0-9_]+(?:[.-][A-Za-z0-9_]+)*)(?:@(?P<domain>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?::[0-9]+)?))?")
    })
}

fn hashtag_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // As Mastodon: `#` after the start or a character that is not an ASCII word character
        // (so `今日は#勉強会` is a hashtag, `abc#def` and URLs' fragments are not), then word
        // characters in any script with at least one letter.
        constant_regex(
            r"(?P<pre>^|[^A-Za-z0-9_/&#])[#＃](?P<tag>[\p{L}\p{N}_\p{M}]*\p{L}[\p{L}\p{N}_\p{M}]*)",
        )
    })
}

/// The mentions in `text` (outside links), for resolving before formatting.
pub fn find_mentions(text: &str) -> Vec<MentionRef> {
    let mut seen = Vec::new();
    for segment in segments(text) {
        if let Segment::Text(part) = segment {
            for cap in mention_regex().captures_iter(part) {
                let mention = MentionRef {
                    username: cap["user"].to_owned(),
                    domain: cap.name("domain").map(|d| d.as_str().to_lowercase()),
                };
                if !seen.contains(&mention) {
                    seen.push(mention);
                }
            }
        }
    }
    seen
}

enum Segment<'a> {
    Text(&'a str),
    Link(&'a str),
}

fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut finder = linkify::LinkFinder::new();
    finder
        .kinds(&[linkify::LinkKind::Url])
        .url_must_have_scheme(true);
    finder
        .spans(text)
        .map(|span| match span.kind() {
            Some(linkify::LinkKind::Url) => Segment::Link(span.as_str()),
            _ => Segment::Text(span.as_str()),
        })
        .collect()
}

/// Turns a member's plain text into Mastodon-style HTML: paragraphs, line breaks, links,
/// mentions (`resolved` maps each [`MentionRef`] to its account; unknown ones stay text) and
/// hashtags (linked with `tag_url`).
pub fn format_plain_text(
    text: &str,
    resolved: &HashMap<MentionRef, MentionTarget>,
    tag_url: impl Fn(&str) -> String,
) -> Formatted {
    let mut out = Formatted::default();
    let text = text.replace("\r\n", "\n");
    let paragraphs: Vec<&str> = text
        .split("\n\n")
        .map(|p| p.trim_matches('\n'))
        .filter(|p| !p.trim().is_empty())
        .collect();
    let mut html = String::new();
    for paragraph in paragraphs {
        html.push_str("<p>");
        let lines: Vec<String> = paragraph
            .split('\n')
            .map(|line| format_line(line, resolved, &tag_url, &mut out))
            .collect();
        html.push_str(&lines.join("<br>"));
        html.push_str("</p>");
    }
    out.html = html;
    out
}

fn format_line(
    line: &str,
    resolved: &HashMap<MentionRef, MentionTarget>,
    tag_url: &impl Fn(&str) -> String,
    out: &mut Formatted,
) -> String {
    let mut html = String::new();
    for segment in segments(line) {
        match segment {
            Segment::Link(url) => {
                let escaped = html_escape::encode_double_quoted_attribute(url);
                html.push_str(&format!(
                    "<a href=\"{escaped}\" target=\"_blank\" rel=\"nofollow noopener noreferrer\" translate=\"no\">{}</a>",
                    html_escape::encode_text(url)
                ));
            }
            Segment::Text(part) => html.push_str(&format_text_part(part, resolved, tag_url, out)),
        }
    }
    html
}

/// Mentions and hashtags inside a piece of text that holds no URL.
fn format_text_part(
    part: &str,
    resolved: &HashMap<MentionRef, MentionTarget>,
    tag_url: &impl Fn(&str) -> String,
    out: &mut Formatted,
) -> String {
    // Collect (start, end, replacement html) for mentions and hashtags, then stitch.
    let mut pieces: Vec<(usize, usize, String)> = Vec::new();
    for cap in mention_regex().captures_iter(part) {
        let (Some(whole), Some(pre)) = (cap.get(0), cap.name("pre")) else {
            continue;
        };
        let mention = MentionRef {
            username: cap["user"].to_owned(),
            domain: cap.name("domain").map(|d| d.as_str().to_lowercase()),
        };
        let Some(target) = resolved.get(&mention) else {
            continue;
        };
        if !out
            .mentions
            .iter()
            .any(|m| m.account_id == target.account_id)
        {
            out.mentions.push(target.clone());
        }
        let replacement = format!(
            "<span class=\"h-card\" translate=\"no\"><a href=\"{}\" class=\"u-url mention\">@<span>{}</span></a></span>",
            html_escape::encode_double_quoted_attribute(&target.url),
            html_escape::encode_text(&target.username)
        );
        pieces.push((pre.end(), whole.end(), replacement));
    }
    for cap in hashtag_regex().captures_iter(part) {
        let (Some(whole), Some(pre)) = (cap.get(0), cap.name("pre")) else {
            continue;
        };
        if pieces
            .iter()
            .any(|(s, e, _)| pre.end() < *e && whole.end() > *s)
        {
            continue;
        }
        let tag = cap["tag"].to_owned();
        if !out
            .tags
            .iter()
            .any(|t| t.to_lowercase() == tag.to_lowercase())
        {
            out.tags.push(tag.clone());
        }
        let replacement = format!(
            "<a href=\"{}\" class=\"mention hashtag\" rel=\"tag\">#<span>{}</span></a>",
            html_escape::encode_double_quoted_attribute(&tag_url(&tag)),
            html_escape::encode_text(&tag)
        );
        pieces.push((pre.end(), whole.end(), replacement));
    }
    pieces.sort_by_key(|(start, _, _)| *start);
    let mut html = String::new();
    let mut at = 0;
    for (start, end, replacement) in pieces {
        if start < at {
            continue;
        }
        html.push_str(&html_escape::encode_text(&part[at..start]));
        html.push_str(&replacement);
        at = end;
    }
    html.push_str(&html_escape::encode_text(&part[at..]));
    html
}

/// Hashtags (`#name`, with `name` starting with a letter) in a text, without the `#`.
pub fn find_hashtags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for segment in segments(text) {
        if let Segment::Text(part) = segment {
            for cap in hashtag_regex().captures_iter(part) {
                let tag = cap["tag"].to_owned();
                if !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
                    tags.push(tag);
                }
            }
        }
    }
    tags
}

/// Normalises a hashtag for storage and lookup: without `#`, NFKC-folded by lowercasing ASCII
/// and full-width forms as Mastodon does for search.
pub fn normalise_tag(tag: &str) -> String {
    tag.trim_start_matches(['#', '＃']).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_html_is_defused() {
        let dirty = r#"<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">x</a> <a href="https://ok.example/" class="mention evil">ok</a><img src=x onerror=y><style>p{}</style></p>"#;
        let clean = sanitize(dirty);
        assert!(!clean.contains("script"), "{clean}");
        assert!(!clean.contains("onclick"), "{clean}");
        assert!(!clean.contains("javascript"), "{clean}");
        assert!(!clean.contains("<img"), "{clean}");
        assert!(!clean.contains("evil"), "{clean}");
        assert!(!clean.contains("style"), "{clean}");
        assert!(clean.contains(r#"href="https://ok.example/""#), "{clean}");
        assert!(clean.contains("nofollow"), "{clean}");
        assert!(sanitize("<ruby>漢<rt>かん</rt></ruby>").contains("<rt>"));
    }

    #[test]
    fn html_becomes_plain_text() {
        assert_eq!(
            to_plain_text("<p>a &amp; b<br>c</p><p>d</p>"),
            "a & b\nc\nd"
        );
    }

    #[test]
    fn text_becomes_html_with_links_mentions_and_tags() {
        let mut resolved = HashMap::new();
        resolved.insert(
            MentionRef {
                username: "hanako".into(),
                domain: None,
            },
            MentionTarget {
                account_id: 1,
                url: "https://a.example/@hanako".into(),
                username: "hanako".into(),
            },
        );
        resolved.insert(
            MentionRef {
                username: "taro".into(),
                domain: Some("b.example".into()),
            },
            MentionTarget {
                account_id: 2,
                url: "https://b.example/@taro".into(),
                username: "taro".into(),
            },
        );
        let text = "@hanako @taro@b.example 今日は#勉強会 です <b>\n\nsee https://example.org/x#y and @nobody";
        let out = format_plain_text(text, &resolved, |t| format!("https://a.example/tags/{t}"));
        assert_eq!(
            out.mentions
                .iter()
                .map(|m| m.account_id)
                .collect::<Vec<_>>(),
            vec![1, 2]
        );
        assert_eq!(out.tags, vec!["勉強会".to_owned()]);
        assert!(
            out.html.starts_with("<p><span class=\"h-card\""),
            "{}",
            out.html
        );
        assert!(out.html.contains("&lt;b&gt;"), "escaped: {}", out.html);
        assert!(
            out.html
                .contains("</p><p>see <a href=\"https://example.org/x#y\""),
            "{}",
            out.html
        );
        assert!(
            out.html.contains("@nobody"),
            "unknown mention stays text: {}",
            out.html
        );
        assert!(
            !out.html.contains("tags/y"),
            "a URL fragment is no hashtag: {}",
            out.html
        );
        assert_eq!(find_mentions(text).len(), 3);
        assert_eq!(find_mentions("mail me at a@b.example"), vec![]);
        assert_eq!(
            find_hashtags("abc#def #DX推進 ＃防災"),
            vec!["DX推進".to_owned(), "防災".to_owned()]
        );
    }
}
