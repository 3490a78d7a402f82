//! Reads parameters the way Rails hands them to Mastodon: text where a number or a boolean is
//! expected (`"20"`, `"1"`, `"true"`, `"on"`), index-keyed objects where a list is expected
//! (`fields_attributes[0][name]`), numbers where text is expected (`"media_ids": [12]` in JSON).
//! Handler parameter types stay plain (`bool`, `Option<i64>`, `Vec<String>`).
//!
//! One exception: `#[serde(flatten)]` buffers the flattened fields through serde's own content
//! type, which bypasses these rules. Fields of a flattened struct that are not text take the
//! helpers below (`#[serde(deserialize_with = "lenient::option_bool")]`), as `PageParams` does.

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// Deserialises `T` from merged parameters with the lenient rules above.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    T::deserialize(Lenient(value))
}

/// `1`, `true`, `t`, `on`, `yes` → true; `0`, `false`, `f`, `off`, `no`, `""` → false.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "t" | "on" | "yes" | "y" => Some(true),
        "0" | "false" | "f" | "off" | "no" | "n" | "" => Some(false),
        _ => None,
    }
}

/// For `#[serde(deserialize_with = "lenient::bool")]` where another deserialiser (plain JSON) is
/// used: a boolean given as a boolean, a number or text.
pub fn bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::Bool(b) => Ok(b),
        Value::Number(n) => Ok(n.as_f64().is_some_and(|f| f != 0.0)),
        Value::String(s) => {
            parse_bool(&s).ok_or_else(|| de::Error::custom(format!("\"{s}\" is not a boolean")))
        }
        Value::Null => Ok(false),
        other => Err(de::Error::custom(format!("{other} is not a boolean"))),
    }
}

/// The optional form of [`bool`].
pub fn option_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(value) => bool(value.into_deserializer())
            .map(Some)
            .map_err(de::Error::custom),
    }
}

/// For `#[serde(default, deserialize_with = "lenient::option_i64")]`: a number given as a number
/// or as text; empty text is none.
pub fn option_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("{n} is not an integer"))),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| de::Error::custom(format!("\"{s}\" is not an integer"))),
        Some(other) => Err(de::Error::custom(format!("{other} is not an integer"))),
    }
}

struct Lenient(Value);

fn invalid(value: &Value, expected: &str) -> serde_json::Error {
    de::Error::custom(format!("invalid value {value}, expected {expected}"))
}

/// An object whose keys are all indexes (`{"0": .., "1": ..}`), as a list in index order.
fn indexed_list(map: &Map<String, Value>) -> Option<Vec<Value>> {
    let mut items: Vec<(u64, &Value)> = Vec::with_capacity(map.len());
    for (key, value) in map {
        items.push((key.parse().ok()?, value));
    }
    items.sort_by_key(|(i, _)| *i);
    Some(items.into_iter().map(|(_, v)| v.clone()).collect())
}

macro_rules! lenient_number {
    ($method:ident, $visit:ident, $ty:ty) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            match &self.0 {
                Value::String(s) => match s.trim().parse::<$ty>() {
                    Ok(n) => visitor.$visit(n),
                    Err(_) => Err(invalid(&self.0, stringify!($ty))),
                },
                _ => self.0.$method(visitor),
            }
        }
    };
}

impl<'de> Deserializer<'de> for Lenient {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Seq(items.into_iter())),
            Value::Object(map) => visitor.visit_map(Entries {
                iter: map.into_iter(),
                value: None,
            }),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match &self.0 {
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::String(s) => parse_bool(s)
                .map(|b| visitor.visit_bool(b))
                .unwrap_or_else(|| Err(invalid(&self.0, "a boolean"))),
            Value::Number(n) => visitor.visit_bool(n.as_f64().is_some_and(|f| f != 0.0)),
            _ => Err(invalid(&self.0, "a boolean")),
        }
    }

    lenient_number!(deserialize_i8, visit_i8, i8);
    lenient_number!(deserialize_i16, visit_i16, i16);
    lenient_number!(deserialize_i32, visit_i32, i32);
    lenient_number!(deserialize_i64, visit_i64, i64);
    lenient_number!(deserialize_u8, visit_u8, u8);
    lenient_number!(deserialize_u16, visit_u16, u16);
    lenient_number!(deserialize_u32, visit_u32, u32);
    lenient_number!(deserialize_u64, visit_u64, u64);
    lenient_number!(deserialize_f32, visit_f32, f32);
    lenient_number!(deserialize_f64, visit_f64, f64);

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::String(s) => visitor.visit_string(s),
            Value::Number(n) => visitor.visit_string(n.to_string()),
            Value::Bool(b) => visitor.visit_string(b.to_string()),
            other => Err(invalid(&other, "a string")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(Lenient(other)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Seq(items.into_iter())),
            Value::Object(map) => match indexed_list(&map) {
                Some(items) => visitor.visit_seq(Seq(items.into_iter())),
                None => Err(invalid(&Value::Object(map), "a list")),
            },
            Value::Null => visitor.visit_seq(Seq(Vec::new().into_iter())),
            // `id=1` where a list is expected: a list of one.
            other => visitor.visit_seq(Seq(vec![other].into_iter())),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Entries {
                iter: map.into_iter(),
                value: None,
            }),
            other => Err(invalid(&other, "an object")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        char bytes byte_buf unit unit_struct identifier ignored_any
    }
}

struct Seq(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Seq {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        self.0
            .next()
            .map(|v| seed.deserialize(Lenient(v)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries {
    iter: serde_json::map::IntoIter,
    value: Option<Value>,
}

impl<'de> MapAccess<'de> for Entries {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.iter.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(Value::String(key)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let value = self
            .value
            .take()
            .ok_or_else(|| <serde_json::Error as de::Error>::custom("value without a key"))?;
        seed.deserialize(Lenient(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Field {
        name: String,
        value: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Example {
        #[serde(default)]
        flag: bool,
        other: Option<bool>,
        limit: Option<u32>,
        max_id: Option<i64>,
        #[serde(default)]
        ids: Vec<String>,
        #[serde(default)]
        fields: Vec<Field>,
        ratio: Option<f64>,
    }

    #[test]
    fn text_becomes_numbers_and_booleans() {
        let parsed: Example = from_value(json!({
            "flag": "on", "other": "0", "limit": "40", "max_id": "109876543210", "ratio": "0.5"
        }))
        .expect("parse");
        assert!(parsed.flag);
        assert_eq!(parsed.other, Some(false));
        assert_eq!(parsed.limit, Some(40));
        assert_eq!(parsed.max_id, Some(109876543210));
        assert_eq!(parsed.ratio, Some(0.5));
        for (text, expected) in [
            ("1", true),
            ("true", true),
            ("off", false),
            ("false", false),
        ] {
            let parsed: Example = from_value(json!({ "flag": text })).expect("parse");
            assert_eq!(parsed.flag, expected, "{text}");
        }
        assert!(from_value::<Example>(json!({"flag": "maybe"})).is_err());
        assert!(from_value::<Example>(json!({"limit": "many"})).is_err());
    }

    #[test]
    fn json_values_pass_through_and_numbers_become_text() {
        let parsed: Example =
            from_value(json!({"flag": true, "limit": 5, "ids": [1, "2"]})).expect("parse");
        assert!(parsed.flag);
        assert_eq!(parsed.limit, Some(5));
        assert_eq!(parsed.ids, vec!["1", "2"]);
    }

    #[test]
    fn index_keyed_objects_are_lists() {
        let parsed: Example = from_value(json!({
            "fields": {"1": {"name": "b"}, "0": {"name": "a", "value": "x"}},
            "ids": "7"
        }))
        .expect("parse");
        assert_eq!(
            parsed.fields,
            vec![
                Field {
                    name: "a".into(),
                    value: Some("x".into())
                },
                Field {
                    name: "b".into(),
                    value: None
                }
            ]
        );
        assert_eq!(parsed.ids, vec!["7"]);
        let array: Example = from_value(json!({"fields": [{"name": "a"}]})).expect("parse");
        assert_eq!(array.fields.len(), 1);
    }

    #[derive(Debug, Deserialize)]
    struct Flattened {
        #[serde(flatten)]
        inner: Helpers,
        #[serde(default, deserialize_with = "option_i64")]
        id: Option<i64>,
    }

    #[test]
    fn helpers_survive_flattening() {
        let parsed: Flattened =
            from_value(json!({"a": "true", "b": "0", "id": "12"})).expect("parse");
        assert!(parsed.inner.a);
        assert_eq!(parsed.inner.b, Some(false));
        assert_eq!(parsed.id, Some(12));
        let empty: Flattened = from_value(json!({"a": "1", "id": ""})).expect("parse");
        assert_eq!(empty.id, None);
    }

    #[derive(Debug, Deserialize)]
    struct Helpers {
        #[serde(deserialize_with = "bool")]
        a: bool,
        #[serde(default, deserialize_with = "option_bool")]
        b: Option<bool>,
    }

    #[test]
    fn helper_functions_work_with_plain_json() {
        let parsed: Helpers = serde_json::from_value(json!({"a": "1", "b": "off"})).expect("parse");
        assert!(parsed.a);
        assert_eq!(parsed.b, Some(false));
        let parsed: Helpers = serde_json::from_value(json!({"a": false})).expect("parse");
        assert_eq!(parsed.b, None);
    }
}
