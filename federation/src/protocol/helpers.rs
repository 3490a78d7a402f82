//! Lenient serde helpers for the shapes real servers send, beside the crate's own
//! (`activitypub_federation::protocol::helpers`).
//!
//! The rule: a field we need (an `id`, an `inbox`) fails loudly when it is unusable; a field we
//! only display or may ignore (an icon, a tag list) drops what it cannot read instead of
//! rejecting the whole document.

use activitypub_federation::kinds::public;
use serde::{Deserialize, Deserializer, Serialize, Serializer, de::DeserializeOwned, de::Error};
use serde_json::Value;
use url::Url;

/// Reads an id given either as a string or as an embedded object with an `id`.
///
/// Several servers embed the actor (`"actor": {"type": "Person", "id": ...}`) where most send
/// its id; PeerTube does the same in `attributedTo`.
pub fn deserialize_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Url, D::Error> {
    let value = Value::deserialize(deserializer)?;
    id_from_value(&value).map_err(D::Error::custom)
}

/// Like [`deserialize_id`] for an optional field: `null` and a missing field are `None`.
/// Use with `#[serde(default)]`.
pub fn deserialize_opt_id<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Url>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    if value.is_null() {
        return Ok(None);
    }
    id_from_value(&value).map(Some).map_err(D::Error::custom)
}

/// Reads one id or a list of ids (each a string or an object with an `id`), deduplicated, with
/// the `Public`/`as:Public` aliases mapped to the canonical public collection. Use with
/// `#[serde(default)]`; `null` is an empty list.
pub fn deserialize_ids<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Url>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    let values = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Array(values) => values,
        one => vec![one],
    };
    let mut ids: Vec<Url> = Vec::with_capacity(values.len());
    for value in &values {
        let id = id_from_value(value).map_err(D::Error::custom)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Like [`deserialize_ids`] for addressing (`to`, `cc`, `audience`): an entry that is not an
/// id is dropped rather than failing the document, since nothing can be delivered to it and
/// servers put odd things there. Use with `#[serde(default)]`.
pub fn deserialize_recipients<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Url>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    let values = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Array(values) => values,
        one => vec![one],
    };
    let mut ids: Vec<Url> = Vec::with_capacity(values.len());
    for id in values.iter().filter_map(|v| id_from_value(v).ok()) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Reads one value or a list, keeping the elements that parse as `T` and dropping the others
/// (unknown tag types, attachments of kinds we do not show). Use with `#[serde(default)]`.
pub fn deserialize_vec_lenient<'de, T, D>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    T: DeserializeOwned,
    D: Deserializer<'de>,
{
    let value = Value::deserialize(deserializer)?;
    let values = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Array(values) => values,
        one => vec![one],
    };
    Ok(values
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect())
}

/// Reads one value or a list into the first element that parses as `T`, or `None`
/// (PeerTube sends several avatar sizes where Mastodon sends one `icon`).
/// Use with `#[serde(default)]`.
pub fn deserialize_first_lenient<'de, T, D>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T: DeserializeOwned,
    D: Deserializer<'de>,
{
    Ok(deserialize_vec_lenient::<T, D>(deserializer)?
        .into_iter()
        .next())
}

/// Reads a link the ways servers write `url`: a string, a `Link` object with `href`, an object
/// with a `url`, or a list of those, preferring a `text/html` link (PeerTube lists the watch
/// page first among its streams). Anything unreadable is `None`: a `url` is only for display.
/// Use with `#[serde(default)]`.
pub fn deserialize_link<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Url>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    Ok(link_from_value(&value))
}

/// Serialises a list with one element as that element, as most servers expect for
/// `attributedTo` or `publicKey`, and a longer list as an array.
pub fn serialize_one_or_many<T: Serialize, S: Serializer>(
    values: &[T],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match values {
        [one] => one.serialize(serializer),
        many => many.serialize(serializer),
    }
}

/// The id in a value that is either an id string or an object carrying one.
pub(crate) fn id_from_value(value: &Value) -> Result<Url, String> {
    match value {
        Value::String(s) if matches!(s.as_str(), "Public" | "as:Public") => Ok(public()),
        Value::String(s) => Url::parse(s).map_err(|e| format!("invalid id {s:?}: {e}")),
        Value::Object(map) => match map.get("id") {
            Some(Value::String(s)) => Url::parse(s).map_err(|e| format!("invalid id {s:?}: {e}")),
            _ => Err("embedded object without a string id".to_owned()),
        },
        other => Err(format!("expected an id, found {other}")),
    }
}

fn link_from_value(value: &Value) -> Option<Url> {
    match value {
        Value::String(s) => Url::parse(s).ok(),
        Value::Object(map) => ["href", "url"]
            .iter()
            .find_map(|key| map.get(*key).and_then(link_from_value)),
        Value::Array(values) => values
            .iter()
            .find(|v| v.get("mediaType").and_then(Value::as_str) == Some("text/html"))
            .and_then(link_from_value)
            .or_else(|| values.iter().find_map(link_from_value)),
        _ => None,
    }
}

/// The `type` of a JSON-LD node: its string, or the first string of a list.
pub fn type_of(value: &Value) -> Option<&str> {
    match value.get("type")? {
        Value::String(s) => Some(s),
        Value::Array(types) => types.iter().find_map(Value::as_str),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Deserialize)]
    struct Ids {
        #[serde(default, deserialize_with = "deserialize_ids")]
        to: Vec<Url>,
        #[serde(default, deserialize_with = "deserialize_link")]
        url: Option<Url>,
    }

    #[test]
    fn ids_accept_strings_objects_lists_and_public_aliases() {
        let parsed: Ids = serde_json::from_value(json!({
            "to": ["https://a.example/u/1", {"type": "Person", "id": "https://a.example/u/2"},
                   "as:Public", "https://a.example/u/1"]
        }))
        .unwrap();
        assert_eq!(parsed.to.len(), 3, "duplicates are dropped");
        assert_eq!(parsed.to[2], public());
        let one: Ids = serde_json::from_value(json!({"to": "https://a.example/u/1"})).unwrap();
        assert_eq!(one.to.len(), 1);
        let none: Ids = serde_json::from_value(json!({"to": null})).unwrap();
        assert!(none.to.is_empty());
        assert!(serde_json::from_value::<Ids>(json!({"to": ["not a url"]})).is_err());
        assert!(serde_json::from_value::<Ids>(json!({"to": [{"type": "Person"}]})).is_err());
    }

    #[test]
    fn recipients_drop_what_is_not_an_id() {
        #[derive(Deserialize)]
        struct Addressed {
            #[serde(default, deserialize_with = "deserialize_recipients")]
            to: Vec<Url>,
        }
        let parsed: Addressed = serde_json::from_value(json!({
            "to": ["https://a.example/u/1", "", 7, {"type": "Person"}, "Public"]
        }))
        .unwrap();
        assert_eq!(
            parsed.to,
            vec![Url::parse("https://a.example/u/1").unwrap(), public()]
        );
    }

    #[test]
    fn links_prefer_html_and_tolerate_garbage() {
        let parsed: Ids = serde_json::from_value(json!({"url": [
            {"type": "Link", "mediaType": "application/x-mpegURL", "href": "https://v.example/x.m3u8"},
            {"type": "Link", "mediaType": "text/html", "href": "https://v.example/watch/1"}
        ]}))
        .unwrap();
        assert_eq!(parsed.url.unwrap().as_str(), "https://v.example/watch/1");
        let garbage: Ids = serde_json::from_value(json!({"url": 42})).unwrap();
        assert_eq!(garbage.url, None);
    }

    #[test]
    fn type_of_reads_strings_and_lists() {
        assert_eq!(type_of(&json!({"type": "Note"})), Some("Note"));
        assert_eq!(type_of(&json!({"type": ["Note", "x:Y"]})), Some("Note"));
        assert_eq!(type_of(&json!({"id": "x"})), None);
    }
}
