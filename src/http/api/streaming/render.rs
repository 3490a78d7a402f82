//! Turning a committed change into the messages of one connection: routed by
//! `domain::streams`, rendered as the connected member sees it.

use crate::db::store;
use crate::domain::conversations;
use crate::domain::effects::StreamEvent;
use crate::domain::filters::FilterContext;
use crate::domain::status_views;
use crate::domain::streams::{self, EventKind, Routed, Stream};
use crate::error::{AppError, AppResult};
use crate::http::api::conversations as api_conversations;
use crate::http::api::entities::Status;
use crate::http::api::notifications;
use crate::state::AppState;

/// One message to send: the stream's names, the event and its payload.
pub struct Outgoing {
    pub stream: Vec<String>,
    pub event: &'static str,
    pub payload: String,
}

/// What `event` becomes on the viewer's subscribed streams.
pub async fn deliver(
    state: &AppState,
    viewer: i64,
    subscribed: &[Stream],
    event: StreamEvent,
) -> Vec<Outgoing> {
    match render(state, viewer, subscribed.to_vec(), event).await {
        Ok(out) => out,
        Err(error) => {
            tracing::warn!(%error, "a stream event could not be rendered");
            Vec::new()
        }
    }
}

async fn render(
    state: &AppState,
    viewer: i64,
    subscribed: Vec<Stream>,
    event: StreamEvent,
) -> AppResult<Vec<Outgoing>> {
    let worker = state.clone();
    state
        .db
        .run(move |conn| {
            let Some(Routed {
                kind,
                status_id,
                notification_id,
                streams,
            }) = streams::route(conn, viewer, &subscribed, &event)?
            else {
                return Ok(Vec::new());
            };
            let mut out = Vec::new();
            match kind {
                EventKind::Delete => {
                    let id = status_id.map(|id| id.to_string()).unwrap_or_default();
                    for stream in &streams {
                        out.push(Outgoing {
                            stream: stream.names(),
                            event: kind.as_str(),
                            payload: id.clone(),
                        });
                    }
                }
                EventKind::Notification => {
                    let Some(id) = notification_id else {
                        return Ok(out);
                    };
                    let row = crate::domain::notifications::find(conn, viewer, id)?;
                    let Some(rendered) =
                        notifications::render(conn, &worker, viewer, vec![row])?.pop()
                    else {
                        return Ok(out);
                    };
                    let payload = serde_json::to_string(&rendered).map_err(AppError::internal)?;
                    for stream in &streams {
                        out.push(Outgoing {
                            stream: stream.names(),
                            event: kind.as_str(),
                            payload: payload.clone(),
                        });
                    }
                }
                EventKind::Conversation => {
                    let Some(id) = status_id else {
                        return Ok(out);
                    };
                    let Some(view) = conversations::ending_with(conn, viewer, id)? else {
                        return Ok(out);
                    };
                    let Some(rendered) =
                        api_conversations::render(conn, &worker, viewer, vec![view])?.pop()
                    else {
                        return Ok(out);
                    };
                    let payload = serde_json::to_string(&rendered).map_err(AppError::internal)?;
                    for stream in &streams {
                        out.push(Outgoing {
                            stream: stream.names(),
                            event: kind.as_str(),
                            payload: payload.clone(),
                        });
                    }
                }
                EventKind::Update | EventKind::StatusUpdate => {
                    let Some(id) = status_id else {
                        return Ok(out);
                    };
                    let Some(row) = store::statuses::find(conn, id)? else {
                        return Ok(out);
                    };
                    // One rendering per filter context among the streams.
                    let mut rendered: Vec<(FilterContext, Option<String>)> = Vec::new();
                    for stream in &streams {
                        let context = stream.filter_context();
                        let payload = match rendered.iter().find(|(c, _)| *c == context) {
                            Some((_, payload)) => payload.clone(),
                            None => {
                                let view = status_views::load(
                                    conn,
                                    Some(viewer),
                                    vec![row.clone()],
                                    Some(context),
                                )?
                                .pop();
                                let payload = match view {
                                    Some(v) if !v.hidden_by_filter() => Some(
                                        serde_json::to_string(&Status::from_view(&worker.urls, &v))
                                            .map_err(AppError::internal)?,
                                    ),
                                    _ => None,
                                };
                                rendered.push((context, payload.clone()));
                                payload
                            }
                        };
                        if let Some(payload) = payload {
                            out.push(Outgoing {
                                stream: stream.names(),
                                event: kind.as_str(),
                                payload,
                            });
                        }
                    }
                }
            }
            Ok(out)
        })
        .await
}
