//! Media and attachments: `Document`/`Image` (also used for `icon` and `image`), `Link`, and
//! Mastodon's profile fields (`PropertyValue`).

use super::helpers::{deserialize_link, type_of};
use serde::{Deserialize, Deserializer, Serialize, de::Error};
use serde_json::Value;
use url::Url;

/// The kinds of media object we read; all share [`Document`]'s fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentKind {
    /// A generic file (Mastodon sends media attachments as `Document`).
    Document,
    /// A picture (avatars, headers, Lemmy post images).
    Image,
    /// A video file.
    Video,
    /// An audio file.
    Audio,
}

/// A media file: an attachment, an avatar (`icon`) or a header (`image`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Document {
    /// `Document`, `Image`, `Video` or `Audio`.
    #[serde(rename = "type")]
    pub kind: DocumentKind,
    /// Where the file is. Accepts a string, a `Link` or a list (the first usable entry).
    #[serde(deserialize_with = "deserialize_required_link")]
    pub url: Url,
    /// The file's media type, e.g. `image/png`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// Alternative text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Mastodon's blurhash placeholder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blurhash: Option<String>,
    /// Mastodon's focal point, x and y in -1.0..=1.0.
    #[serde(
        default,
        deserialize_with = "activitypub_federation::protocol::helpers::deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub focal_point: Option<[f64; 2]>,
    /// Width in pixels.
    #[serde(
        default,
        deserialize_with = "activitypub_federation::protocol::helpers::deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub width: Option<u32>,
    /// Height in pixels.
    #[serde(
        default,
        deserialize_with = "activitypub_federation::protocol::helpers::deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub height: Option<u32>,
}

impl Document {
    /// An `Image` at `url`, the usual shape of an avatar or header.
    pub fn image(url: Url, media_type: Option<String>) -> Self {
        Document {
            kind: DocumentKind::Image,
            url,
            media_type,
            name: None,
            blurhash: None,
            focal_point: None,
            width: None,
            height: None,
        }
    }
}

fn deserialize_required_link<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Url, D::Error> {
    deserialize_link(deserializer)?.ok_or_else(|| D::Error::custom("media without a usable url"))
}

/// A link attachment (Lemmy's link posts, Mobilizon's "Website").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    /// Always `Link`.
    #[serde(rename = "type")]
    pub kind: activitypub_federation::kinds::link::LinkType,
    /// The target.
    pub href: Url,
    /// The target's media type, if stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_type: Option<String>,
    /// A label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A profile field as Mastodon sends it: `{"type": "PropertyValue", "name": ..., "value": ...}`;
/// `value` is HTML.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyValue {
    /// Always `PropertyValue`.
    #[serde(rename = "type")]
    pub kind: PropertyValueKind,
    /// The label.
    pub name: String,
    /// The value, as HTML.
    pub value: String,
}

/// The one-value `type` of [`PropertyValue`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PropertyValueKind {
    /// `PropertyValue` (schema.org, as Mastodon uses it).
    #[default]
    PropertyValue,
}

/// One entry of an object's `attachment`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Attachment {
    /// A media file.
    Document(Document),
    /// A link.
    Link(Link),
    /// A name/value pair (events carry these too).
    PropertyValue(PropertyValue),
}

impl<'de> Deserialize<'de> for Attachment {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let parsed = match type_of(&value) {
            Some("Document" | "Image" | "Video" | "Audio") => {
                serde_json::from_value(value).map(Attachment::Document)
            }
            Some("Link") => serde_json::from_value(value).map(Attachment::Link),
            Some("PropertyValue") => serde_json::from_value(value).map(Attachment::PropertyValue),
            other => {
                return Err(D::Error::custom(format!(
                    "unknown attachment type {other:?}"
                )));
            }
        };
        parsed.map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn attachments_dispatch_on_type() {
        let doc: Attachment = serde_json::from_value(json!({
            "type": "Document", "mediaType": "image/png", "url": "https://a.example/m.png",
            "name": "alt", "blurhash": "UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH", "focalPoint": [0.0, 0.5],
            "width": 10, "height": 20
        }))
        .unwrap();
        let Attachment::Document(doc) = doc else {
            panic!("expected a document")
        };
        assert_eq!(doc.focal_point, Some([0.0, 0.5]));
        assert!(matches!(
            serde_json::from_value::<Attachment>(
                json!({"type": "Link", "href": "https://a.example/"})
            ),
            Ok(Attachment::Link(_))
        ));
        assert!(matches!(
            serde_json::from_value::<Attachment>(
                json!({"type": "PropertyValue", "name": "a", "value": "b"})
            ),
            Ok(Attachment::PropertyValue(_))
        ));
        assert!(serde_json::from_value::<Attachment>(json!({"type": "Hologram"})).is_err());
        assert!(
            serde_json::from_value::<Attachment>(json!({"type": "Image"})).is_err(),
            "an image without a url is useless"
        );
    }

    #[test]
    fn image_url_may_be_a_list_of_links() {
        let doc: Document = serde_json::from_value(json!({
            "type": "Image",
            "url": [{"mediaType": "image/jpeg", "href": "https://a.example/i.jpg"}]
        }))
        .unwrap();
        assert_eq!(doc.url.as_str(), "https://a.example/i.jpg");
    }
}
