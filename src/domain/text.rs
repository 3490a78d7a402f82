//! Plain text as members write it, turned into the HTML the client API and ActivityPub carry:
//! everything escaped, URLs linked, line breaks kept.

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// One line of text, escaped, with `http(s)://` URLs turned into links.
pub fn linkify(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(start) = find_url_start(rest) {
        out.push_str(&escape_html(&rest[..start]));
        let candidate = &rest[start..];
        let end = candidate
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '<' | '>' | '"' | '「' | '」' | '、' | '。')
            })
            .unwrap_or(candidate.len());
        // Trailing punctuation belongs to the sentence, not the URL.
        let url = candidate[..end].trim_end_matches(['.', ',', ':', ';', '!', '?', ')', '\'']);
        if url::Url::parse(url).is_ok() && url.len() > "https://".len() {
            let shown = url
                .trim_start_matches("https://")
                .trim_start_matches("http://");
            out.push_str(&format!(
                "<a href=\"{}\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">{}</a>",
                escape_html(url),
                escape_html(shown)
            ));
        } else {
            out.push_str(&escape_html(url));
        }
        rest = &candidate[url.len()..];
    }
    out.push_str(&escape_html(rest));
    out
}

fn find_url_start(text: &str) -> Option<usize> {
    let http = text.find("http://");
    let https = text.find("https://");
    match (http, https) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A multi-line text as Mastodon renders a note: paragraphs at blank lines, `<br />` at single
/// line breaks. Empty text stays empty.
pub fn plain_to_html(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let text = text.trim();
    if text.is_empty() {
        return String::new();
    }
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|paragraph| {
            let lines: Vec<String> = paragraph.lines().map(linkify).collect();
            format!("<p>{}</p>", lines.join("<br />"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_links() {
        assert_eq!(
            plain_to_html("<b>DX</b> & 行政\n次の行\n\n二段落目 https://city.example/a?b=1&c=2."),
            "<p>&lt;b&gt;DX&lt;/b&gt; &amp; 行政<br />次の行</p><p>二段落目 <a href=\"https://city.example/a?b=1&amp;c=2\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">city.example/a?b=1&amp;c=2</a>.</p>"
        );
        assert_eq!(plain_to_html("  \n "), "");
        assert_eq!(linkify("\"><script>"), "&quot;&gt;&lt;script&gt;");
        assert_eq!(
            linkify("see https://x.example/\"onmouseover=\"alert(1)"),
            "see <a href=\"https://x.example/\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">x.example/</a>&quot;onmouseover=&quot;alert(1)"
        );
        assert_eq!(linkify("just http:// here"), "just http:// here");
    }
}
