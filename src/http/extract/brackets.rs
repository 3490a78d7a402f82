//! Rails-style bracket keys turned into nested JSON: `id[]=1&id[]=2` → `{"id": ["1", "2"]}`,
//! `source[privacy]=public` → `{"source": {"privacy": "public"}}`, `fields_attributes[0][name]=x`
//! → `{"fields_attributes": {"0": {"name": "x"}}}` (an object with index keys, which
//! [`super::lenient`] reads as a list), `poll[options][]=a` → `{"poll": {"options": ["a"]}}`.

use serde_json::{Map, Value};

/// The most levels of nesting we follow; deeper keys are kept whole as plain names.
const MAX_DEPTH: usize = 8;

#[derive(Debug, PartialEq, Eq)]
enum Segment<'a> {
    Key(&'a str),
    /// `[]`: append to a list.
    Push,
}

/// `a[b][]` → `[Key(a), Key(b), Push]`; a key that does not parse is one plain name.
fn segments(key: &str) -> Vec<Segment<'_>> {
    let Some(open) = key.find('[') else {
        return vec![Segment::Key(key)];
    };
    if open == 0 || !key.ends_with(']') {
        return vec![Segment::Key(key)];
    }
    let mut out = vec![Segment::Key(&key[..open])];
    let mut rest = &key[open..];
    while !rest.is_empty() {
        let Some(inner) = rest.strip_prefix('[') else {
            return vec![Segment::Key(key)];
        };
        let Some(close) = inner.find(']') else {
            return vec![Segment::Key(key)];
        };
        let name = &inner[..close];
        out.push(if name.is_empty() {
            Segment::Push
        } else {
            Segment::Key(name)
        });
        rest = &inner[close + 1..];
        if out.len() > MAX_DEPTH {
            return vec![Segment::Key(key)];
        }
    }
    out
}

/// Sets `value` at the path of a bracket key in `root`. A later plain value for the same key
/// replaces an earlier one, as in Rails.
pub fn insert(root: &mut Map<String, Value>, key: &str, value: Value) {
    let path = segments(key);
    insert_path(root, &path, value);
}

fn insert_path(map: &mut Map<String, Value>, path: &[Segment<'_>], value: Value) {
    let Some((Segment::Key(first), rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        map.insert((*first).to_owned(), value);
        return;
    }
    let slot = map.entry((*first).to_owned()).or_insert(Value::Null);
    insert_into(slot, rest, value);
}

fn insert_into(slot: &mut Value, path: &[Segment<'_>], value: Value) {
    match path.split_first() {
        None => *slot = value,
        Some((Segment::Push, rest)) => {
            if !slot.is_array() {
                *slot = Value::Array(Vec::new());
            }
            let Value::Array(items) = slot else { return };
            if rest.is_empty() {
                items.push(value);
                return;
            }
            // `a[][name]=x&a[][value]=y`: fill the last object until a key repeats.
            let starts_new = match (items.last(), rest.first()) {
                (Some(Value::Object(last)), Some(Segment::Key(k))) => last.contains_key(*k),
                _ => true,
            };
            if starts_new {
                items.push(Value::Object(Map::new()));
            }
            if let Some(last) = items.last_mut() {
                insert_into(last, rest, value);
            }
        }
        Some((Segment::Key(_), _)) => {
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Value::Object(map) = slot {
                insert_path(map, path, value);
            }
        }
    }
}

/// Parses `application/x-www-form-urlencoded` text (or a query string) into nested JSON.
pub fn parse_urlencoded(text: &[u8]) -> Map<String, Value> {
    let mut root = Map::new();
    for (key, value) in form_urlencoded::parse(text) {
        insert(&mut root, &key, Value::String(value.into_owned()));
    }
    root
}

/// Lays `overlay` over `base`: objects merge key by key, anything else is replaced.
pub fn merge(base: &mut Map<String, Value>, overlay: Map<String, Value>) {
    for (key, value) in overlay {
        match (base.get_mut(&key), value) {
            (Some(Value::Object(existing)), Value::Object(more)) => merge(existing, more),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(text: &str) -> Value {
        Value::Object(parse_urlencoded(text.as_bytes()))
    }

    #[test]
    fn plain_keys_and_repeats() {
        assert_eq!(parse("a=1&b=two&a=3"), json!({"a": "3", "b": "two"}));
        assert_eq!(
            parse("q=%E6%9D%B1%E4%BA%AC+%E9%83%BD"),
            json!({"q": "東京 都"})
        );
    }

    #[test]
    fn arrays_and_nested_objects() {
        assert_eq!(parse("id[]=1&id[]=2"), json!({"id": ["1", "2"]}));
        assert_eq!(
            parse("source[privacy]=public&source[sensitive]=1"),
            json!({"source": {"privacy": "public", "sensitive": "1"}})
        );
        assert_eq!(
            parse("poll[options][]=a&poll[options][]=b&poll[expires_in]=300"),
            json!({"poll": {"options": ["a", "b"], "expires_in": "300"}})
        );
        assert_eq!(
            parse(
                "fields_attributes[0][name]=Web&fields_attributes[0][value]=x&fields_attributes[1][name]=Org"
            ),
            json!({"fields_attributes": {"0": {"name": "Web", "value": "x"}, "1": {"name": "Org"}}})
        );
        assert_eq!(
            parse("a[][name]=x&a[][value]=1&a[][name]=y"),
            json!({"a": [{"name": "x", "value": "1"}, {"name": "y"}]})
        );
        assert_eq!(
            parse("home%5Blast_read_id%5D=5"),
            json!({"home": {"last_read_id": "5"}})
        );
    }

    #[test]
    fn odd_keys_stay_whole() {
        assert_eq!(
            parse("[x]=1&a[b=2&c]=3"),
            json!({"[x]": "1", "a[b": "2", "c]": "3"})
        );
    }

    #[test]
    fn bodies_override_queries() {
        let mut base = parse_urlencoded(b"a=1&s[x]=1&s[y]=2");
        merge(&mut base, parse_urlencoded(b"a=2&s[y]=3"));
        assert_eq!(
            Value::Object(base),
            json!({"a": "2", "s": {"x": "1", "y": "3"}})
        );
    }
}
