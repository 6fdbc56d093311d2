//! Streaming: the WebSocket at `/api/v1/streaming` (several streams on one socket,
//! `subscribe`/`unsubscribe` messages) and the server-sent-events endpoints, fed
//! by the live events of `db::live` and rendered for each listener with its own
//! permissions (what a timeline would show it, nothing more).

use std::{convert::Infallible, time::Duration};

use axum::{
    extract::{
        State,
        ws::{
            CloseFrame, Message, WebSocket, WebSocketUpgrade, close_code,
            rejection::WebSocketUpgradeRejection,
        },
    },
    http::{HeaderMap, header},
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;

use crate::{
    api::extract::Query,
    db::live::Live,
    error::{AppError, AppResult},
    service::oauth::{self},
    state::AppState,
};

/// A listener that does not take a message within this long is let go: its
/// socket's buffers are full, and the events would pile up for it.
mod events;
mod stream;

pub use events::Outgoing;
use events::{outgoing, signed_out};
use stream::Listener;
pub use stream::Stream;

const SEND_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Deserialize, Default)]
pub struct StreamQuery {
    stream: Option<String>,
    tag: Option<String>,
    list: Option<String>,
    access_token: Option<String>,
}

/// The token from the `Authorization` header, the query, or (browsers cannot set
/// headers on a WebSocket) `Sec-WebSocket-Protocol`.
fn token(headers: &HeaderMap, q: &StreamQuery) -> Option<String> {
    crate::api::auth::bearer(headers)
        .or_else(|| q.access_token.clone())
        .or_else(|| protocol(headers))
        .filter(|t| !t.is_empty())
}

fn protocol(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::SEC_WEBSOCKET_PROTOCOL)?
        .to_str()
        .ok()
        .map(|p| p.trim().to_string())
}

async fn listener(state: &AppState, headers: &HeaderMap, q: &StreamQuery) -> AppResult<Listener> {
    let auth = match token(headers, q) {
        Some(t) => Some(oauth::authenticate(state, &t).await?),
        None => None,
    };
    let slot = match auth {
        Some(_) => None,
        None => Some(
            state
                .anonymous_streams
                .admit(state.config.limits.anonymous_streams)?,
        ),
    };
    Ok(Listener {
        viewer: auth
            .as_ref()
            .and_then(|a| a.user.as_ref())
            .map(|(_, a)| a.clone()),
        auth,
        streams: vec![],
        _slot: slot,
    })
}

/// `GET /api/v1/streaming/health`
pub async fn health() -> &'static str {
    "OK"
}

/// `GET /api/v1/streaming`: the WebSocket.
pub async fn websocket(
    State(state): State<AppState>,
    Query(q): Query<StreamQuery>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> AppResult<Response> {
    let Ok(upgrade) = upgrade else {
        return Err(AppError::bad_request(
            "This endpoint is a WebSocket; server-sent events are at /api/v1/streaming/<stream>",
        ));
    };
    let mut l = listener(&state, &headers, &q).await?;
    if let Some(name) = &q.stream {
        let stream = Stream::parse(name, q.tag.as_deref(), q.list.as_deref())
            .map_err(AppError::bad_request)?;
        l.add(stream)?;
    }
    // A token sent as the subprotocol must be echoed, or browsers drop the socket.
    let upgrade = match protocol(&headers) {
        Some(p) => upgrade.protocols([p]),
        None => upgrade,
    };
    // Subscribed before the handshake completes: nothing written after is missed.
    let events = state.db.live().subscribe().await;
    Ok(upgrade.on_upgrade(move |socket| serve_socket(state, l, events, socket)))
}

#[derive(Deserialize)]
struct Command {
    #[serde(rename = "type")]
    kind: String,
    stream: String,
    tag: Option<String>,
    list: Option<String>,
}

async fn serve_socket(
    state: AppState,
    mut l: Listener,
    mut events: tokio::sync::broadcast::Receiver<Live>,
    mut socket: WebSocket,
) {
    let mut ping = tokio::time::interval(Duration::from_secs(30));
    ping.tick().await;
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let text = match incoming {
                    Some(Ok(Message::Text(t))) => t,
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                    Some(Ok(_)) => continue,
                };
                if let Some(error) = command(&mut l, &text)
                    && socket.send(Message::Text(error.into())).await.is_err()
                {
                    return;
                }
            }
            event = events.recv() => {
                let event = match event {
                    Ok(e) => e,
                    // Too slow to keep up: let go (the app reconnects and reads
                    // what it missed in the timelines) rather than hold events.
                    Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => return,
                };
                if signed_out(&state, &l, &event).await {
                    let frame = CloseFrame {
                        code: close_code::POLICY,
                        reason: "The access token is invalid".into(),
                    };
                    let _ = socket.send(Message::Close(Some(frame))).await;
                    return;
                }
                let messages = match outgoing(&state, &l, &event).await {
                    Ok(m) => m,
                    Err(e) => {
                        tracing::warn!(error = %e, "a live event could not be rendered");
                        continue;
                    }
                };
                for m in messages {
                    let text = json!({"stream": m.stream, "event": m.event, "payload": m.payload});
                    let sent = tokio::time::timeout(
                        SEND_TIMEOUT,
                        socket.send(Message::Text(text.to_string().into())),
                    );
                    if !matches!(sent.await, Ok(Ok(()))) {
                        return;
                    }
                }
            }
            _ = ping.tick() => {
                if socket.send(Message::Ping(Default::default())).await.is_err() {
                    return;
                }
            }
            () = state.shutdown.cancelled() => {
                let _ = socket.send(Message::Close(None)).await;
                return;
            }
        }
    }
}

/// Applies a `subscribe`/`unsubscribe` message; the error to send back, if any.
fn command(l: &mut Listener, text: &str) -> Option<String> {
    let error = |m: &str, status: u16| Some(json!({"error": m, "status": status}).to_string());
    let Ok(c) = serde_json::from_str::<Command>(text) else {
        return error("Could not parse the message", 400);
    };
    let stream = match Stream::parse(&c.stream, c.tag.as_deref(), c.list.as_deref()) {
        Ok(s) => s,
        Err(m) => return error(m, 400),
    };
    match c.kind.as_str() {
        "subscribe" => match l.add(stream) {
            Ok(()) => None,
            Err(e) => error(&e.to_string(), e.status.as_u16()),
        },
        "unsubscribe" => {
            l.streams.retain(|s| *s != stream);
            None
        }
        _ => error("Unknown message type", 400),
    }
}

/// The server-sent-events endpoints: `/api/v1/streaming/user`, `/public/local`, …
pub async fn server_sent(
    State(state): State<AppState>,
    axum::extract::Path(path): axum::extract::Path<String>,
    Query(q): Query<StreamQuery>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let name = path.trim_matches('/').replace('/', ":");
    let stream = Stream::parse(&name, q.tag.as_deref(), q.list.as_deref()).map_err(|m| {
        if m == "Unknown stream type" {
            AppError::not_found()
        } else {
            AppError::bad_request(m)
        }
    })?;
    let mut l = listener(&state, &headers, &q).await?;
    l.add(stream)?;
    let events = state.db.live().subscribe().await;
    let shutdown = state.shutdown.clone();
    let body = futures_util::stream::unfold(
        (state, l, events, Vec::<Outgoing>::new()),
        move |(state, l, mut events, mut ready)| {
            let shutdown = shutdown.clone();
            async move {
                loop {
                    if let Some(m) = ready.pop() {
                        let e = Event::default().event(m.event).data(m.payload);
                        return Some((Ok::<_, Infallible>(e), (state, l, events, ready)));
                    }
                    let event = tokio::select! {
                        e = events.recv() => e,
                        () = shutdown.cancelled() => return None,
                    };
                    match event {
                        Ok(e) if signed_out(&state, &l, &e).await => return None,
                        Ok(e) => match outgoing(&state, &l, &e).await {
                            Ok(mut m) => {
                                m.reverse();
                                ready = m;
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "a live event could not be rendered")
                            }
                        },
                        // Too slow to keep up: let go, as the WebSocket does.
                        Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => return None,
                    }
                }
            }
        },
    );
    Ok(Sse::new(body)
        .keep_alive(
            KeepAlive::new()
                .interval(Duration::from_secs(15))
                .text("thump"),
        )
        .into_response())
}
