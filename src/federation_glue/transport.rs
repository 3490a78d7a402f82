//! Sending one activity to one inbox: signed with the sender's key, over the guarded client.

use std::time::SystemTime;

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use bytes::Bytes;
use kakehashi_federation::client::{FetchError, HttpClient};
use kakehashi_federation::media_types::ACTIVITY_JSON;
use kakehashi_federation::signatures::{OutgoingRequest, sign_request};
use url::Url;

use crate::db::models::{AccountRow, ActivityRow};
use crate::jobs::delivery::{SendError, Transport};

/// Delivers over HTTP, as every remote server expects: `Content-Type: application/activity+json`,
/// `Date`, `Digest` and a `Signature` over them, freshly signed at each attempt.
pub struct HttpTransport {
    client: HttpClient,
}

impl HttpTransport {
    pub fn new(client: HttpClient) -> HttpTransport {
        HttpTransport { client }
    }
}

#[async_trait::async_trait]
impl Transport for HttpTransport {
    async fn send(
        &self,
        actor: &AccountRow,
        inbox: &Url,
        activity: &ActivityRow,
    ) -> Result<(), SendError> {
        let key = super::signing_key(actor).map_err(|e| SendError {
            permanent: true,
            message: e.to_string(),
        })?;
        let body = activity.body.as_bytes();
        let request = OutgoingRequest {
            method: &Method::POST,
            url: inbox,
            body: Some(body),
            content_type: Some(ACTIVITY_JSON),
        };
        let mut headers: HeaderMap =
            sign_request(&request, &key, SystemTime::now()).map_err(|e| SendError {
                permanent: true,
                message: e.to_string(),
            })?;
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(ACTIVITY_JSON),
        );
        headers.insert(header::ACCEPT, HeaderValue::from_static(ACTIVITY_JSON));
        match self
            .client
            .post(inbox, headers, Bytes::copy_from_slice(body))
            .await
        {
            Ok(response) if response.status.is_success() => Ok(()),
            Ok(response) => Err(classify_status(response.status)),
            Err(FetchError::Refused(refused)) => Err(SendError {
                permanent: true,
                message: format!("refused by policy: {refused}"),
            }),
            Err(error) => Err(SendError {
                permanent: false,
                message: error.to_string(),
            }),
        }
    }
}

/// Mastodon's rule: most 4xx mean the receiver will never take it; 401, 408 and 429 (and every
/// 5xx) may pass later.
fn classify_status(status: StatusCode) -> SendError {
    let retry = status.is_server_error()
        || matches!(
            status,
            StatusCode::UNAUTHORIZED | StatusCode::REQUEST_TIMEOUT | StatusCode::TOO_MANY_REQUESTS
        );
    SendError {
        permanent: !retry,
        message: format!("HTTP {status}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_classified_as_mastodon_does() {
        assert!(classify_status(StatusCode::NOT_FOUND).permanent);
        assert!(classify_status(StatusCode::FORBIDDEN).permanent);
        assert!(!classify_status(StatusCode::UNAUTHORIZED).permanent);
        assert!(!classify_status(StatusCode::TOO_MANY_REQUESTS).permanent);
        assert!(!classify_status(StatusCode::BAD_GATEWAY).permanent);
    }
}
