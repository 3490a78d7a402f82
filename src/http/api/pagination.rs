//! `PageParams` (`max_id`, `since_id`, `min_id`, `limit` as clients send them) and the `Link`
//! header that lets clients page on: absolute URLs keeping the request's other parameters, with
//! `max_id` for `rel="next"` and `min_id` for `rel="prev"` (the names Tusky and Mastodon.py read).
//! What the ids mean is in [`crate::domain::paging`].

use axum::http::{HeaderValue, Uri};
use serde::Deserialize;

use crate::domain::paging::Page;
use crate::domain::urls::Urls;
use crate::http::extract::lenient;

/// The paging parameters of a list endpoint. Read it with `Params<PageParams>` or
/// `#[serde(flatten)]` it into the endpoint's own parameter type (its fields read numbers given
/// as text either way).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PageParams {
    #[serde(default, deserialize_with = "lenient::option_i64")]
    pub max_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::option_i64")]
    pub since_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::option_i64")]
    pub min_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::option_i64")]
    pub limit: Option<i64>,
}

impl PageParams {
    /// The page, with `limit` clamped (default 20, at most 40).
    pub fn page(&self) -> Page {
        Page::new(self.max_id, self.since_id, self.min_id, self.limit)
    }
}

/// Builds the `Link` header of a page of results.
pub struct LinkHeader {
    base: url::Url,
    next_max_id: Option<i64>,
    prev_min_id: Option<i64>,
}

impl LinkHeader {
    /// For the request `uri` on this instance.
    pub fn new(urls: &Urls, uri: &Uri) -> LinkHeader {
        let mut base = urls.join(uri.path());
        base.set_query(uri.query());
        LinkHeader {
            base,
            next_max_id: None,
            prev_min_id: None,
        }
    }

    /// For a page whose items have these ids, newest first: next is older than the last, prev
    /// newer than the first. An empty page gets no links.
    pub fn for_ids(urls: &Urls, uri: &Uri, ids: &[i64]) -> LinkHeader {
        let mut link = LinkHeader::new(urls, uri);
        link.next_max_id = ids.last().copied();
        link.prev_min_id = ids.first().copied();
        link
    }

    pub fn next(mut self, max_id: i64) -> LinkHeader {
        self.next_max_id = Some(max_id);
        self
    }

    pub fn prev(mut self, min_id: i64) -> LinkHeader {
        self.prev_min_id = Some(min_id);
        self
    }

    fn url_with(&self, key: &str, id: i64) -> String {
        let mut url = self.base.clone();
        let kept: Vec<(String, String)> = self
            .base
            .query_pairs()
            .filter(|(k, _)| !matches!(k.as_ref(), "max_id" | "min_id" | "since_id"))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        {
            let mut query = url.query_pairs_mut();
            query.clear();
            for (k, v) in &kept {
                query.append_pair(k, v);
            }
            query.append_pair(key, &id.to_string());
        }
        url.to_string()
    }

    /// The header value, or `None` when there is nothing to link.
    pub fn to_header(&self) -> Option<HeaderValue> {
        let mut links = Vec::new();
        if let Some(id) = self.next_max_id {
            links.push(format!("<{}>; rel=\"next\"", self.url_with("max_id", id)));
        }
        if let Some(id) = self.prev_min_id {
            links.push(format!("<{}>; rel=\"prev\"", self.url_with("min_id", id)));
        }
        if links.is_empty() {
            return None;
        }
        HeaderValue::from_str(&links.join(", ")).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Timeline {
        #[serde(default, deserialize_with = "lenient::option_bool")]
        local: Option<bool>,
        #[serde(flatten)]
        page: PageParams,
    }

    #[test]
    fn page_params_read_text_even_when_flattened() {
        let parsed: Timeline = lenient::from_value(serde_json::json!({
            "local": "true", "max_id": "110", "min_id": "", "limit": "80"
        }))
        .expect("parse");
        assert_eq!(parsed.local, Some(true));
        let page = parsed.page.page();
        assert_eq!(page.max_id, Some(110));
        assert_eq!(page.min_id, None);
        assert_eq!(page.limit, 40);
    }

    #[test]
    fn links_keep_other_parameters_and_replace_cursors() {
        let urls = Urls::new(url::Url::parse("https://social.city.example").expect("url"));
        let uri: Uri = "/api/v1/timelines/public?local=true&max_id=99&limit=2&only_media=1"
            .parse()
            .expect("uri");
        let header = LinkHeader::for_ids(&urls, &uri, &[50, 40])
            .to_header()
            .expect("header");
        assert_eq!(
            header.to_str().expect("text"),
            "<https://social.city.example/api/v1/timelines/public?local=true&limit=2&only_media=1&max_id=40>; rel=\"next\", \
             <https://social.city.example/api/v1/timelines/public?local=true&limit=2&only_media=1&min_id=50>; rel=\"prev\""
        );
        assert!(LinkHeader::for_ids(&urls, &uri, &[]).to_header().is_none());
        let tags: Uri = "/api/v1/accounts/1/followers?id[]=1".parse().expect("uri");
        let header = LinkHeader::new(&urls, &tags)
            .next(7)
            .to_header()
            .expect("header");
        assert_eq!(
            header.to_str().expect("text"),
            "<https://social.city.example/api/v1/accounts/1/followers?id%5B%5D=1&max_id=7>; rel=\"next\""
        );
    }
}
