//! Where events happen: a `Place` with a schema.org `PostalAddress` (or a line of text), or an
//! FEP-8a8e `VirtualLocation`.

use super::helpers::type_of;
use activitypub_federation::{kinds::object::PlaceType, protocol::helpers::deserialize_skip_error};
use serde::{Deserialize, Deserializer, Serialize, de::Error};
use serde_json::Value;
use url::Url;

/// One entry of an event's `location`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Location {
    /// A physical place.
    Place(Place),
    /// An online meeting (FEP-8a8e).
    Virtual(VirtualLocation),
}

impl<'de> Deserialize<'de> for Location {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let parsed = match type_of(&value) {
            Some("Place") => serde_json::from_value(value).map(Location::Place),
            Some("VirtualLocation") => serde_json::from_value(value).map(Location::Virtual),
            other => return Err(D::Error::custom(format!("unknown location type {other:?}"))),
        };
        parsed.map_err(D::Error::custom)
    }
}

/// A physical place.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Always `Place`.
    #[serde(rename = "type")]
    pub kind: PlaceType,
    /// Mobilizon gives addresses their own ids.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<Url>,
    /// The venue's name.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// The address, structured or as one line.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub address: Option<Address>,
    /// Degrees north.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub latitude: Option<f64>,
    /// Degrees east.
    #[serde(
        default,
        deserialize_with = "deserialize_skip_error",
        skip_serializing_if = "Option::is_none"
    )]
    pub longitude: Option<f64>,
}

/// A place's address: schema.org `PostalAddress`, or a line of text (FEP-8a8e allows both).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Address {
    /// Structured.
    Postal(PostalAddress),
    /// One line.
    Text(String),
}

/// schema.org `PostalAddress`, as Mobilizon sends it; every part may be `null`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostalAddress {
    /// Always `PostalAddress`.
    #[serde(rename = "type")]
    pub kind: PostalAddressKind,
    /// Street and number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// City or municipality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_locality: Option<String>,
    /// Prefecture, state or region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_region: Option<String>,
    /// Country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_country: Option<String>,
}

/// The one-value `type` of [`PostalAddress`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PostalAddressKind {
    /// `PostalAddress` (`sc:PostalAddress` in our context).
    #[default]
    PostalAddress,
}

/// An online location (FEP-8a8e).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VirtualLocation {
    /// Always `VirtualLocation`.
    #[serde(rename = "type")]
    pub kind: VirtualLocationKind,
    /// A label, e.g. "Video call".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The meeting link.
    pub url: Url,
}

/// The one-value `type` of [`VirtualLocation`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum VirtualLocationKind {
    /// `VirtualLocation` (`sc:VirtualLocation` in our context).
    #[default]
    VirtualLocation,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_address_may_be_one_line() {
        let place: Place = serde_json::from_value(json!({
            "type": "Place", "address": "1-1 Chiyoda, Tokyo"
        }))
        .unwrap();
        assert_eq!(
            place.address,
            Some(Address::Text("1-1 Chiyoda, Tokyo".into()))
        );
    }
}
