//! `Params<T>`: the query string merged with a JSON, urlencoded or multipart body (the body wins),
//! Rails bracket keys understood, then read into `T` with the lenient rules of
//! [`super::lenient`]. `ParamsWithFiles<T>` also hands over the file parts of a multipart body.
//! A body that cannot be read is a 400, parameters that do not fit `T` a 422, both as JSON.

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::AppError;
use crate::http::extract::{brackets, lenient};

/// A file part of a multipart body.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    /// The form field, such as `file`, `thumbnail`, `avatar`.
    pub field: String,
    /// As the client named it; never used for storage.
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

/// Parameters of any encoding, read into `T`.
#[derive(Debug, Clone)]
pub struct Params<T>(pub T);

/// Parameters and the uploaded files of a multipart body.
#[derive(Debug, Clone)]
pub struct ParamsWithFiles<T> {
    pub params: T,
    pub files: Vec<UploadedFile>,
}

impl<T> ParamsWithFiles<T> {
    /// The file sent in `field`, if any (an empty part counts as none).
    pub fn take_file(&mut self, field: &str) -> Option<UploadedFile> {
        let index = self
            .files
            .iter()
            .position(|f| f.field == field && !f.bytes.is_empty())?;
        Some(self.files.remove(index))
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Params<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, AppError> {
        let (value, _) = collect(request).await?;
        Ok(Params(deserialize(value)?))
    }
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ParamsWithFiles<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, AppError> {
        let (value, files) = collect(request).await?;
        Ok(ParamsWithFiles {
            params: deserialize(value)?,
            files,
        })
    }
}

fn deserialize<T: DeserializeOwned>(value: Value) -> Result<T, AppError> {
    lenient::from_value(value)
        .map_err(|e| AppError::Unprocessable(format!("Invalid parameters: {e}")))
}

/// The merged parameters and the files, for callers that want the raw JSON.
pub async fn collect(request: Request) -> Result<(Value, Vec<UploadedFile>), AppError> {
    let (parts, body) = request.into_parts();
    let mut params = parts
        .uri
        .query()
        .map(|q| brackets::parse_urlencoded(q.as_bytes()))
        .unwrap_or_default();
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let mut files = Vec::new();
    let from_body = match mime.as_str() {
        "application/json" => json_body(body).await?,
        m if m.ends_with("+json") => json_body(body).await?,
        "application/x-www-form-urlencoded" => brackets::parse_urlencoded(&read_all(body).await?),
        "multipart/form-data" => multipart_body(body, &content_type, &mut files).await?,
        // No or another content type: Rails ignores the body, so do we (some POSTs have none).
        _ => Map::new(),
    };
    brackets::merge(&mut params, from_body);
    Ok((Value::Object(params), files))
}

/// Reads the whole body. The size limit is the body limit layer's (`http::middleware`).
async fn read_all(body: Body) -> Result<Bytes, AppError> {
    axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|_| AppError::PayloadTooLarge("The request body is too large".to_owned()))
}

async fn json_body(body: Body) -> Result<Map<String, Value>, AppError> {
    let bytes = read_all(body).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(AppError::BadRequest(
            "The JSON body must be an object".to_owned(),
        )),
        Err(e) => Err(AppError::BadRequest(format!(
            "The JSON body is not valid: {e}"
        ))),
    }
}

async fn multipart_body(
    body: Body,
    content_type: &str,
    files: &mut Vec<UploadedFile>,
) -> Result<Map<String, Value>, AppError> {
    let bad = |e: multer::Error| match e {
        multer::Error::StreamReadFailed(_) | multer::Error::StreamSizeExceeded { .. } => {
            AppError::PayloadTooLarge("The request body is too large".to_owned())
        }
        other => AppError::BadRequest(format!("The multipart body is not valid: {other}")),
    };
    let boundary = multer::parse_boundary(content_type).map_err(bad)?;
    let mut multipart = multer::Multipart::new(body.into_data_stream(), boundary);
    let mut params = Map::new();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        let filename = field.file_name().map(str::to_owned);
        let part_type = field.content_type().map(|m| m.essence_str().to_owned());
        if filename.is_some() {
            let bytes = field.bytes().await.map_err(bad)?;
            files.push(UploadedFile {
                field: name,
                filename,
                content_type: part_type,
                bytes,
            });
        } else {
            let text = field.text().await.map_err(bad)?;
            brackets::insert(&mut params, &name, Value::String(text));
        }
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Method;
    use serde::Deserialize;
    use serde_json::json;

    async fn collect_from(
        method: Method,
        uri: &str,
        content_type: Option<&str>,
        body: &'static [u8],
    ) -> (Value, Vec<UploadedFile>) {
        let mut builder = Request::builder().method(method).uri(uri);
        if let Some(ct) = content_type {
            builder = builder.header(header::CONTENT_TYPE, ct);
        }
        collect(builder.body(Body::from(body)).expect("request"))
            .await
            .expect("collect")
    }

    #[tokio::test]
    async fn query_and_urlencoded_body_merge() {
        let (value, _) = collect_from(
            Method::POST,
            "/x?limit=5&id[]=1&id[]=2",
            Some("application/x-www-form-urlencoded"),
            b"limit=10&source[privacy]=unlisted",
        )
        .await;
        assert_eq!(
            value,
            json!({"limit": "10", "id": ["1", "2"], "source": {"privacy": "unlisted"}})
        );
    }

    #[tokio::test]
    async fn json_bodies_keep_their_types() {
        let (value, _) = collect_from(
            Method::POST,
            "/x?a=1",
            Some("application/json; charset=utf-8"),
            br#"{"media_ids": ["1"], "poll": {"options": ["a", "b"], "expires_in": 300}, "sensitive": true}"#,
        )
        .await;
        assert_eq!(
            value,
            json!({"a": "1", "media_ids": ["1"], "poll": {"options": ["a", "b"], "expires_in": 300}, "sensitive": true})
        );
    }

    #[tokio::test]
    async fn bodies_without_a_content_type_are_ignored() {
        let (value, _) = collect_from(Method::POST, "/x", None, b"garbage").await;
        assert_eq!(value, json!({}));
        let (value, _) = collect_from(Method::POST, "/x", Some("application/json"), b"").await;
        assert_eq!(value, json!({}));
    }

    #[tokio::test]
    async fn multipart_fields_and_files() {
        let body: &'static [u8] = b"--XYZ\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nA cat\r\n--XYZ\r\nContent-Disposition: form-data; name=\"fields_attributes[0][name]\"\r\n\r\nWeb\r\n--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../etc/cat.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG-bytes\r\n--XYZ--\r\n";
        let (value, files) = collect_from(
            Method::POST,
            "/x",
            Some("multipart/form-data; boundary=XYZ"),
            body,
        )
        .await;
        assert_eq!(
            value,
            json!({"description": "A cat", "fields_attributes": {"0": {"name": "Web"}}})
        );
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].field, "file");
        assert_eq!(files[0].filename.as_deref(), Some("../../etc/cat.png"));
        assert_eq!(files[0].content_type.as_deref(), Some("image/png"));
        assert_eq!(&files[0].bytes[..], b"\x89PNG-bytes");
    }

    #[derive(Debug, Deserialize)]
    struct Typed {
        limit: Option<u32>,
        #[serde(default)]
        sensitive: bool,
    }

    #[tokio::test]
    async fn errors_are_400_for_bodies_and_422_for_values() {
        let request = Request::post("/x")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{not json"))
            .expect("request");
        let error = Params::<Typed>::from_request(request, &())
            .await
            .expect_err("bad json");
        assert_eq!(error.status(), axum::http::StatusCode::BAD_REQUEST);

        let request = Request::get("/x?limit=lots")
            .body(Body::empty())
            .expect("request");
        let error = Params::<Typed>::from_request(request, &())
            .await
            .expect_err("bad limit");
        assert_eq!(error.status(), axum::http::StatusCode::UNPROCESSABLE_ENTITY);

        let request = Request::get("/x?limit=3&sensitive=1")
            .body(Body::empty())
            .expect("request");
        let Params(typed) = Params::<Typed>::from_request(request, &())
            .await
            .expect("ok");
        assert_eq!(typed.limit, Some(3));
        assert!(typed.sensitive);
    }
}
