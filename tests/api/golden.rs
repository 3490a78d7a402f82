//! Golden JSON: a whole entity compared with `tests/api/golden/<name>.json`, volatile values
//! masked. `UPDATE_GOLDEN=1 cargo test --test main api::` rewrites the files for review.

use serde_json::Value;

/// Keys whose values change from run to run.
const VOLATILE_KEYS: &[&str] = &[
    "id",
    "created_at",
    "updated_at",
    "client_id",
    "client_secret",
    "access_token",
    "blurhash",
    "edited_at",
    "expires_at",
    "last_status_at",
];

/// Snowflake ids inside text (URLs, `group_key`, ids as values): runs of 12 or more digits.
fn mask_ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut digits = String::new();
    for c in text.chars().chain(std::iter::once('\0')) {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if digits.len() >= 12 {
            out.push_str("<n>");
        } else {
            out.push_str(&digits);
        }
        digits.clear();
        if c != '\0' {
            out.push(c);
        }
    }
    out
}

/// Replaces volatile values and the random part of media file names.
pub fn mask(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let masked = if VOLATILE_KEYS.contains(&k.as_str()) && !v.is_null() {
                        Value::String(format!("<{k}>"))
                    } else {
                        mask(v)
                    };
                    (k.clone(), masked)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(mask).collect()),
        Value::String(text) if text.contains("/media/") => {
            // http://kakehashi.test/media/attachments/0123abcd.jpg → .../attachments/<file>.jpg
            let (dir, file) = text.rsplit_once('/').unwrap_or(("", text));
            let extension = file.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
            Value::String(format!("{dir}/<file>.{extension}"))
        }
        Value::String(text) => Value::String(mask_ids(text)),
        other => other.clone(),
    }
}

/// Compares `value` (masked, pretty-printed) with the golden file `name`.
#[track_caller]
pub fn assert_golden(name: &str, value: &Value) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/api/golden")
        .join(format!("{name}.json"));
    let actual = serde_json::to_string_pretty(&mask(value)).expect("json") + "\n";
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing; run with UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    assert_eq!(
        actual,
        expected,
        "{name} differs from {} (UPDATE_GOLDEN=1 rewrites it)",
        path.display()
    );
}
