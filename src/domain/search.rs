//! Text search that works for Japanese: text is normalised (NFKC, lower case) and indexed as
//! character bigrams, so a query matches anywhere in a word without word boundaries.

use unicode_normalization::UnicodeNormalization;

/// NFKC (full-width letters and half-width kana folded), lower case, whitespace collapsed.
pub fn normalise(text: &str) -> String {
    let folded: String = text.nfkc().flat_map(char::to_lowercase).collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The distinct bigrams of a normalised text; a one-character text is its own gram. Bigrams
/// do not cross whitespace, so "dx 推進" gives "dx" and "推進" but not "x推".
pub fn grams(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in normalise(text).split(' ') {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() == 1 {
            out.push(chars[0].to_string());
        }
        for pair in chars.windows(2) {
            out.push(pair.iter().collect());
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The words of a query, normalised; each must appear (as a substring) in a match.
pub fn query_terms(query: &str) -> Vec<String> {
    normalise(query)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether a normalised document contains every term (the exact check after the gram index
/// narrowed the candidates).
pub fn matches(normalised_document: &str, terms: &[String]) -> bool {
    terms
        .iter()
        .all(|t| normalised_document.contains(t.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_width_and_case() {
        assert_eq!(normalise("ＤＸ推進　セミナー"), "dx推進 セミナー");
        assert_eq!(normalise("ｶﾝﾌｧﾚﾝｽ"), "カンファレンス");
    }

    #[test]
    fn makes_bigrams_within_words() {
        assert_eq!(grams("防災訓練"), vec!["災訓", "訓練", "防災"]);
        assert_eq!(grams("DX 推"), vec!["dx", "推"]);
        let doc = normalise("令和8年度 防災訓練のお知らせ");
        assert!(matches(&doc, &query_terms("防災訓練")));
        assert!(matches(&doc, &query_terms("訓練 令和")));
        assert!(!matches(&doc, &query_terms("防災セミナー")));
    }
}
