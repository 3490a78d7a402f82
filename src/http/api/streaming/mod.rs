//! Streaming: the multiplexed WebSocket `GET /api/v1/streaming` and the server-sent event
//! endpoints `GET /api/v1/streaming/{user,user/notification,public,public/local,...}` with
//! `/api/v1/streaming/health`.
//!
//! Each connection reads the instance's committed changes (`AppState::events`), asks
//! `domain::streams::route` which of its streams each goes to, and renders it as the connected
//! member sees it. Messages are Mastodon's: `{"stream": [...], "event": "update", "payload":
//! "<JSON as a string>"}` on the WebSocket (text frames, a ping every 30 s); `event: update` and
//! `data: <JSON>` over SSE (a `:thump` comment every 30 s). A `delete` payload is the bare id.

use std::convert::Infallible;
use std::time::Duration;

mod render;

use axum::Router;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream as FuturesStream;
use serde::Deserialize;
use serde_json::json;
use tokio::sync::broadcast::{self, error::RecvError};

use crate::domain::effects::StreamEvent;
use crate::domain::oauth::{self, TokenOwner};
use crate::domain::streams::{self, Stream};
use crate::error::AppError;
use crate::http::extract::auth::{INVALID_TOKEN, OUTSIDE_SCOPES};
use crate::http::extract::{MaybeAuth, Params};
use crate::state::AppState;
use render::{Outgoing, deliver};

/// How often a WebSocket is pinged and an SSE stream gets a comment, so proxies keep them.
pub const KEEPALIVE: Duration = Duration::from_secs(30);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/streaming", get(websocket))
        .route("/api/v1/streaming/health", get(health))
        .route("/api/v1/streaming/{*stream}", get(server_sent_events))
}

async fn health() -> &'static str {
    "OK"
}

/// `stream`, `tag` and `list`, on connect or in a subscribe message.
#[derive(Debug, Default, Deserialize)]
pub struct StreamParams {
    stream: Option<String>,
    tag: Option<String>,
    list: Option<String>,
}

/// A connected member.
#[derive(Clone)]
struct Viewer {
    account_id: i64,
    owner: std::sync::Arc<TokenOwner>,
}

impl Viewer {
    /// Streams of statuses need `read:statuses`, of notifications `read:notifications`.
    fn may(&self, stream: &Stream) -> Result<(), AppError> {
        let needed: &[&str] = match stream {
            Stream::UserNotification => &["read:notifications"],
            Stream::User => &["read:statuses", "read:notifications"],
            _ => &["read:statuses"],
        };
        if self.owner.scopes.allows_any(needed) {
            Ok(())
        } else {
            Err(AppError::Forbidden(OUTSIDE_SCOPES.to_owned()))
        }
    }
}

fn member(owner: TokenOwner) -> Result<Viewer, AppError> {
    let account_id = owner
        .user
        .as_ref()
        .map(|u| u.account.id)
        .ok_or_else(|| AppError::Unauthorized(INVALID_TOKEN.to_owned()))?;
    Ok(Viewer {
        account_id,
        owner: std::sync::Arc::new(owner),
    })
}

/// Checks and adds a subscription.
async fn subscribe(
    state: &AppState,
    viewer: &Viewer,
    streams: &mut Vec<Stream>,
    params: &StreamParams,
) -> Result<Stream, AppError> {
    let name = params.stream.as_deref().unwrap_or_default();
    let stream = Stream::parse(name, params.tag.as_deref(), params.list.as_deref())
        .map_err(AppError::BadRequest)?;
    viewer.may(&stream)?;
    let (id, checked) = (viewer.account_id, stream.clone());
    state
        .db
        .run(move |conn| streams::check(conn, id, &checked))
        .await?;
    if !streams.contains(&stream) {
        streams.push(stream.clone());
    }
    Ok(stream)
}

/// The token of a WebSocket request: `Sec-WebSocket-Protocol` (browsers cannot set headers on
/// a WebSocket), else `?access_token=` or `Authorization` as the gate read them.
async fn websocket(
    State(state): State<AppState>,
    auth: MaybeAuth,
    upgrade: WebSocketUpgrade,
    Params(params): Params<StreamParams>,
) -> Response {
    let protocol = upgrade
        .requested_protocols()
        .next()
        .and_then(|p| p.to_str().ok())
        .map(str::to_owned);
    let owner = match (&auth.0, &protocol) {
        (Some(auth), _) => Some((*auth.0).clone()),
        (None, Some(token)) => match oauth::resolve_token(&state.db, token).await {
            Ok(owner) => owner,
            Err(error) => return error.into_response(),
        },
        (None, None) => None,
    };
    let viewer = match owner.map(member) {
        Some(Ok(viewer)) => viewer,
        Some(Err(error)) => return error.into_response(),
        None => return AppError::Unauthorized(INVALID_TOKEN.to_owned()).into_response(),
    };
    let mut subscribed = Vec::new();
    if params.stream.is_some()
        && let Err(error) = subscribe(&state, &viewer, &mut subscribed, &params).await
    {
        return error.into_response();
    }
    // Subscribed before the handshake answers, so nothing committed after it is missed.
    let events = state.events.subscribe();
    let upgrade = match protocol {
        Some(protocol) => upgrade.protocols([protocol]),
        None => upgrade,
    };
    upgrade.on_upgrade(move |socket| run_socket(state, viewer, subscribed, events, socket))
}

/// A client message: `{"type": "subscribe" | "unsubscribe", "stream": ..., "tag": ..,
/// "list": ..}`.
#[derive(Debug, Deserialize)]
struct ClientMessage {
    #[serde(rename = "type")]
    kind: String,
    stream: Option<String>,
    tag: Option<String>,
    list: Option<serde_json::Value>,
}

async fn run_socket(
    state: AppState,
    viewer: Viewer,
    mut subscribed: Vec<Stream>,
    mut events: broadcast::Receiver<StreamEvent>,
    mut socket: WebSocket,
) {
    let mut ping = tokio::time::interval(KEEPALIVE);
    ping.tick().await;
    loop {
        tokio::select! {
            // Client messages first: a subscription sent before a change is in place for it.
            biased;
            incoming = socket.recv() => {
                let text = match incoming {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => continue,
                };
                if let Some(reply) = handle_message(&state, &viewer, &mut subscribed, &text).await
                    && socket.send(Message::Text(reply.into())).await.is_err()
                {
                    break;
                }
            }
            event = events.recv() => {
                let event = match event {
                    Ok(event) => event,
                    Err(RecvError::Lagged(missed)) => {
                        tracing::warn!(missed, "a stream fell behind and missed events");
                        continue;
                    }
                    Err(RecvError::Closed) => break,
                };
                for out in deliver(&state, viewer.account_id, &subscribed, event).await {
                    let message = json!({
                        "stream": out.stream,
                        "event": out.event,
                        "payload": out.payload,
                    });
                    if socket.send(Message::Text(message.to_string().into())).await.is_err() {
                        return;
                    }
                }
            }
            _ = ping.tick() => {
                if socket.send(Message::Ping(Default::default())).await.is_err() {
                    break;
                }
            }
        }
    }
}

/// Applies a subscribe or unsubscribe message; answers an error message when it is refused.
async fn handle_message(
    state: &AppState,
    viewer: &Viewer,
    subscribed: &mut Vec<Stream>,
    text: &str,
) -> Option<String> {
    let message: ClientMessage = match serde_json::from_str(text) {
        Ok(message) => message,
        Err(_) => return Some(error_message("The message is not valid JSON", 400)),
    };
    let params = StreamParams {
        stream: message.stream,
        tag: message.tag,
        list: message.list.map(|l| match l {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        }),
    };
    match message.kind.as_str() {
        "subscribe" => match subscribe(state, viewer, subscribed, &params).await {
            Ok(_) => None,
            Err(error) => Some(error_message(
                &error.public_message(),
                error.status().as_u16(),
            )),
        },
        "unsubscribe" => {
            let name = params.stream.as_deref().unwrap_or_default();
            match Stream::parse(name, params.tag.as_deref(), params.list.as_deref()) {
                Ok(stream) => {
                    subscribed.retain(|s| *s != stream);
                    None
                }
                Err(error) => Some(error_message(&error, 400)),
            }
        }
        other => Some(error_message(
            &format!("Unknown message type: {other}"),
            400,
        )),
    }
}

fn error_message(error: &str, status: u16) -> String {
    json!({ "error": error, "status": status }).to_string()
}

/// `GET /api/v1/streaming/<stream>` as server-sent events; the stream's path is its name with
/// `/` for `:` (`public/local`, `user/notification`, `hashtag/local?tag=`).
async fn server_sent_events(
    State(state): State<AppState>,
    auth: MaybeAuth,
    Path(path): Path<String>,
    Params(params): Params<StreamParams>,
) -> Response {
    let Some(owner) = auth.0.map(|a| (*a.0).clone()) else {
        return AppError::Unauthorized(INVALID_TOKEN.to_owned()).into_response();
    };
    let viewer = match member(owner) {
        Ok(viewer) => viewer,
        Err(error) => return error.into_response(),
    };
    let mut subscribed = Vec::new();
    let wanted = StreamParams {
        stream: Some(path.trim_matches('/').replace('/', ":")),
        tag: params.tag,
        list: params.list,
    };
    if let Err(error) = subscribe(&state, &viewer, &mut subscribed, &wanted).await {
        if error.status() == StatusCode::BAD_REQUEST {
            return AppError::NotFound.into_response();
        }
        return error.into_response();
    }
    let events = state.events.subscribe();
    Sse::new(sse_stream(state, viewer, subscribed, events))
        .keep_alive(KeepAlive::new().interval(KEEPALIVE).text("thump"))
        .into_response()
}

fn sse_stream(
    state: AppState,
    viewer: Viewer,
    subscribed: Vec<Stream>,
    events: broadcast::Receiver<StreamEvent>,
) -> impl FuturesStream<Item = Result<Event, Infallible>> {
    let pending: std::collections::VecDeque<Outgoing> = std::collections::VecDeque::new();
    futures_util::stream::unfold(
        (state, viewer, subscribed, events, pending),
        |(state, viewer, subscribed, mut events, mut pending)| async move {
            loop {
                if let Some(out) = pending.pop_front() {
                    let event = Event::default().event(out.event).data(out.payload);
                    return Some((Ok(event), (state, viewer, subscribed, events, pending)));
                }
                match events.recv().await {
                    Ok(event) => {
                        pending
                            .extend(deliver(&state, viewer.account_id, &subscribed, event).await);
                    }
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return None,
                }
            }
        },
    )
}
