//! `AppError`, the one error type of the server, and its JSON form `{"error": "..."}`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error a request, a CLI command or a job can end with. The message of every variant but
/// `Internal` is shown to the user as is, so it must be one plain sentence.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the request cannot be understood.
    #[error("{0}")]
    BadRequest(String),
    /// 401: no credentials, or credentials that are not valid.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: valid credentials that do not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// 404: nothing here, or nothing the caller may see.
    #[error("Record not found")]
    NotFound,
    /// 404 with a message saying what is missing.
    #[error("{0}")]
    Missing(String),
    /// 409: the request conflicts with what is stored (a taken name, say).
    #[error("{0}")]
    Conflict(String),
    /// 410: it existed and was deleted.
    #[error("{0}")]
    Gone(String),
    /// 413: the body is larger than we accept.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 422: well-formed but fails a rule (Mastodon's "Validation failed").
    #[error("{0}")]
    Unprocessable(String),
    /// 429: slow down.
    #[error("Too many requests")]
    TooManyRequests,
    /// 503: a dependency (the database) is not reachable; the caller should retry.
    #[error("{0}")]
    Unavailable(String),
    /// 500: a bug or an unexpected failure. Logged in full, shown to the client as a generic line.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// An unexpected failure; the detail goes to the log, never to the client.
    pub fn internal(error: impl std::fmt::Display) -> AppError {
        AppError::Internal(error.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound | AppError::Missing(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message a client may see.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Internal(_) => "Something went wrong on our side".to_owned(),
            other => other.to_string(),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> AppError {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => AppError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                AppError::Conflict(format!("Already exists ({})", info.message()))
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => {
                AppError::Unavailable("The database is not reachable".to_owned())
            }
            Error::DatabaseError(DatabaseErrorKind::Unknown, ref info)
                if is_connection_failure(info.message()) =>
            {
                AppError::Unavailable("The database is not reachable".to_owned())
            }
            other => AppError::internal(other),
        }
    }
}

/// libpq reports a lost server as an unknown error whose text says so.
fn is_connection_failure(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    [
        "server closed the connection",
        "connection refused",
        "no connection to the server",
        "terminating connection",
        "could not connect",
        "the database system is shutting down",
        "the database system is starting up",
    ]
    .iter()
    .any(|needle| message.contains(needle))
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(error: diesel::r2d2::PoolError) -> AppError {
        tracing::warn!(%error, "no database connection available");
        AppError::Unavailable("The database is not reachable".to_owned())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        match &self {
            AppError::Internal(detail) => tracing::error!(%detail, "request failed"),
            AppError::Unavailable(detail) => tracing::warn!(%detail, "request failed"),
            _ => {}
        }
        let mut response =
            (status, Json(json!({ "error": self.public_message() }))).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("10"));
        }
        response
    }
}

/// What a handler returns.
pub type AppResult<T> = Result<T, AppError>;
