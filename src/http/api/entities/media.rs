//! The MediaAttachment entity.

use serde::Serialize;
use serde_json::{Value, json};

use crate::db::models::MediaRow;
use crate::domain::urls::Urls;

#[derive(Debug, Clone, Serialize)]
pub struct MediaAttachment {
    pub id: String,
    /// image, gifv, video, audio or unknown.
    #[serde(rename = "type")]
    pub kind: String,
    /// Null while processing (masto.js waits for it).
    pub url: Option<String>,
    pub preview_url: Option<String>,
    pub remote_url: Option<String>,
    pub preview_remote_url: Option<String>,
    pub text_url: Option<String>,
    pub meta: Option<Value>,
    pub description: Option<String>,
    pub blurhash: Option<String>,
}

fn size(width: i32, height: i32) -> Value {
    let aspect = if height > 0 {
        f64::from(width) / f64::from(height)
    } else {
        1.0
    };
    json!({
        "width": width,
        "height": height,
        "size": format!("{width}x{height}"),
        "aspect": aspect,
    })
}

impl MediaAttachment {
    pub fn from_row(urls: &Urls, row: &MediaRow) -> MediaAttachment {
        let ready = row.state == "ready";
        let file_url = |name: &Option<String>| {
            name.as_deref()
                .filter(|_| ready)
                .map(|n| urls.media_file(n).to_string())
        };
        let meta = match (row.width, row.height) {
            (Some(w), Some(h)) if ready => {
                let mut meta = json!({ "original": size(w, h) });
                if let (Some(tw), Some(th)) = (row.thumbnail_width, row.thumbnail_height) {
                    meta["small"] = size(tw, th);
                }
                if let (Some(x), Some(y)) = (row.focus_x, row.focus_y) {
                    meta["focus"] = json!({ "x": x, "y": y });
                }
                Some(meta)
            }
            _ => None,
        };
        MediaAttachment {
            id: row.id.to_string(),
            kind: row.kind.clone(),
            url: file_url(&row.file_name),
            preview_url: file_url(&row.thumbnail_file_name),
            remote_url: row.remote_url.clone(),
            preview_remote_url: None,
            text_url: None,
            meta,
            description: row.description.clone(),
            blurhash: row.blurhash.clone().filter(|_| ready),
        }
    }
}
