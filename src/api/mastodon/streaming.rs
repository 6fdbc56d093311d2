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
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;

use super::{notifications::render_all, statuses::render};
use crate::{
    api::extract::Query,
    db::{self, actors::Actor, live::Live, schema::statuses, views::Page},
    error::{AppError, AppResult},
    service::oauth::{self, Authenticated},
    state::AppState,
};

/// A listener that does not take a message within this long is let go: its
/// socket's buffers are full, and the events would pile up for it.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

/// One stream a listener follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stream {
    /// Home timeline and notifications.
    User,
    Notifications,
    Public {
        local: Option<bool>,
    },
    Hashtag {
        tag: String,
        local: bool,
    },
    /// Direct conversations.
    Direct,
    /// One of the listener's lists (someone else's list sends nothing).
    List {
        id: i64,
    },
}

impl Stream {
    /// A stream by its Mastodon name; `tag` for hashtag streams, `list` for lists.
    pub fn parse(
        name: &str,
        tag: Option<&str>,
        list: Option<&str>,
    ) -> Result<Stream, &'static str> {
        let tag = || {
            tag.map(|t| t.trim_start_matches('#').to_lowercase())
                .filter(|t| !t.is_empty())
                .ok_or("The hashtag stream needs a tag")
        };
        Ok(match name {
            "user" => Stream::User,
            "user:notification" => Stream::Notifications,
            "public" | "public:media" => Stream::Public { local: None },
            "public:local" | "public:local:media" => Stream::Public { local: Some(true) },
            "public:remote" | "public:remote:media" => Stream::Public { local: Some(false) },
            "hashtag" => Stream::Hashtag {
                tag: tag()?,
                local: false,
            },
            "hashtag:local" => Stream::Hashtag {
                tag: tag()?,
                local: true,
            },
            "direct" => Stream::Direct,
            "list" => Stream::List {
                id: list
                    .and_then(|l| l.trim().parse().ok())
                    .ok_or("The list stream needs a list id")?,
            },
            _ => return Err("Unknown stream type"),
        })
    }

    /// The `stream` array of a message.
    fn names(&self) -> Vec<String> {
        let name = match self {
            Stream::User => "user",
            Stream::Notifications => "user:notification",
            Stream::Public { local: None } => "public",
            Stream::Public { local: Some(true) } => "public:local",
            Stream::Public { local: Some(false) } => "public:remote",
            Stream::Hashtag { local: false, .. } => "hashtag",
            Stream::Hashtag { local: true, .. } => "hashtag:local",
            Stream::Direct => "direct",
            Stream::List { .. } => "list",
        };
        match self {
            Stream::Hashtag { tag, .. } => vec![name.into(), tag.clone()],
            Stream::List { id } => vec![name.into(), id.to_string()],
            _ => vec![name.into()],
        }
    }

    /// The scope a token needs for it; `None`: anyone, signed in or not.
    fn scope(&self) -> Option<&'static str> {
        match self {
            Stream::User | Stream::Direct => Some("read:statuses"),
            Stream::List { .. } => Some("read:lists"),
            Stream::Notifications => Some("read:notifications"),
            _ => None,
        }
    }
}

/// Someone listening, and what to.
struct Listener {
    viewer: Option<Actor>,
    auth: Option<Authenticated>,
    streams: Vec<Stream>,
    /// Held while an anonymous listener listens (see `stream_shared`).
    _slot: Option<super::stream_shared::Slot>,
}

impl Listener {
    fn add(&mut self, stream: Stream) -> Result<(), AppError> {
        if let Some(scope) = stream.scope() {
            let Some(auth) = &self.auth else {
                return Err(AppError::unauthorized("Missing access token"));
            };
            if !auth.scopes.grants(scope) {
                return Err(AppError::forbidden(
                    "This action is outside the authorized scopes",
                ));
            }
            if auth.user.is_none() {
                return Err(AppError::unprocessable(
                    "This method requires an authenticated user",
                ));
            }
        }
        if !self.streams.contains(&stream) {
            self.streams.push(stream);
        }
        Ok(())
    }
}

/// One message for one stream.
#[derive(Clone)]
pub struct Outgoing {
    stream: Vec<String>,
    event: &'static str,
    payload: String,
}

/// What `event` shows this listener, stream by stream.
async fn outgoing(state: &AppState, l: &Listener, event: &Live) -> AppResult<Vec<Outgoing>> {
    match *event {
        // Listeners without an account all see the same: rendered once for all.
        Live::Status { id, edited } if l.viewer.is_none() => {
            let key = format!("{id}:{edited}:{:?}", l.streams);
            let shared = state
                .anonymous_streams
                .rendered(key, || status_messages(state, l, id, edited))
                .await?;
            Ok(shared.as_ref().clone())
        }
        Live::Status { id, edited } => status_messages(state, l, id, edited).await,
        Live::Deleted { id } => Ok(l
            .streams
            .iter()
            .filter(|s| !matches!(s, Stream::Notifications | Stream::Direct))
            .map(|s| Outgoing {
                stream: s.names(),
                event: "delete",
                payload: id.to_string(),
            })
            .collect()),
        Live::Access { .. } => Ok(vec![]),
        Live::Conversation { id, recipient } => {
            let Some(me) = l.viewer.as_ref().filter(|v| v.id == recipient) else {
                return Ok(vec![]);
            };
            if !l.streams.contains(&Stream::Direct) {
                return Ok(vec![]);
            }
            let row = state
                .db
                .run(move |c| Ok(db::conversations::by_id(c, recipient, id)?))
                .await?;
            let Some(row) = row else { return Ok(vec![]) };
            let Some(entity) = super::conversations::render(state, me, vec![row])
                .await?
                .pop()
            else {
                return Ok(vec![]);
            };
            Ok(vec![Outgoing {
                stream: Stream::Direct.names(),
                event: "conversation",
                payload: entity.to_string(),
            }])
        }
        Live::Notification { id, recipient } => {
            let Some(me) = l.viewer.as_ref().filter(|v| v.id == recipient) else {
                return Ok(vec![]);
            };
            let wanted: Vec<&Stream> = l
                .streams
                .iter()
                .filter(|s| matches!(s, Stream::User | Stream::Notifications))
                .collect();
            if wanted.is_empty() {
                return Ok(vec![]);
            }
            let row = state
                .db
                .run(move |c| Ok(db::notifications::by_id(c, recipient, id)?))
                .await?;
            let Some(row) = row else { return Ok(vec![]) };
            let Some(entity) = render_all(state, me, vec![row]).await?.pop() else {
                return Ok(vec![]);
            };
            let payload = entity.to_string();
            Ok(wanted
                .into_iter()
                .map(|s| Outgoing {
                    stream: s.names(),
                    event: "notification",
                    payload: payload.clone(),
                })
                .collect())
        }
    }
}

/// Whether `event` ended the listener's session (its token revoked, its account
/// suspended or erased): the token is checked again, so one event serves all.
async fn signed_out(state: &AppState, l: &Listener, event: &Live) -> bool {
    let Live::Access { user } = *event else {
        return false;
    };
    let Some(auth) = l.auth.as_ref().filter(|a| a.token.user_id == Some(user)) else {
        return false;
    };
    match oauth::authenticate_hash(state, auth.token.token_hash.clone()).await {
        Ok(_) => false,
        Err(e) if e.status == axum::http::StatusCode::UNAUTHORIZED => true,
        Err(e) => {
            tracing::warn!(error = %e, "a stream's session could not be checked");
            false
        }
    }
}

/// The streams of `l` a status belongs in, by the same queries as the timelines.
async fn status_messages(
    state: &AppState,
    l: &Listener,
    id: i64,
    edited: bool,
) -> AppResult<Vec<Outgoing>> {
    let viewer = l.viewer.as_ref().map(|v| v.id);
    let streams = l.streams.clone();
    let found = state
        .db
        .run(move |c| {
            let one = Page {
                limit: 1,
                ..Page::default()
            };
            let mut hits = Vec::new();
            let mut tags: Option<Vec<String>> = None;
            let hidden = match viewer {
                Some(v) => db::blocks::hidden_authors(c, v, crate::service::now())?,
                None => vec![],
            };
            for s in &streams {
                let q = match s {
                    Stream::User => match viewer {
                        Some(v) => {
                            let tags = db::tags::followed_ids(c, v)?;
                            db::views::home_query(v, &tags, one)
                        }
                        None => continue,
                    },
                    Stream::Public { local } => db::views::public_query(*local, one),
                    Stream::Hashtag { tag, local } => {
                        if tags.is_none() {
                            tags = Some(
                                db::statuses::tag_names(c, &[id])?
                                    .into_iter()
                                    .map(|(_, t)| t.to_lowercase())
                                    .collect(),
                            );
                        }
                        if !tags.as_ref().is_some_and(|t| t.contains(tag)) {
                            continue;
                        }
                        db::views::public_query(local.then_some(true), one)
                    }
                    Stream::List { id: list } => match viewer {
                        Some(v) if db::lists::owned(c, v, *list)?.is_some() => {
                            db::views::list_query(*list, one)
                        }
                        _ => continue,
                    },
                    Stream::Notifications | Stream::Direct => continue,
                };
                let row = db::views::without_authors(q, &hidden)
                    .filter(statuses::id.eq(id))
                    .first::<db::statuses::Status>(c)
                    .optional()?;
                if let Some(row) = row {
                    hits.push((s.clone(), row));
                }
            }
            Ok(hits)
        })
        .await?;
    let Some((_, row)) = found.first() else {
        return Ok(vec![]);
    };
    let Some(entity) = render(state, vec![row.clone()], l.viewer.as_ref())
        .await?
        .pop()
    else {
        return Ok(vec![]);
    };
    let payload = entity.to_string();
    let event = if edited { "status.update" } else { "update" };
    Ok(found
        .into_iter()
        .map(|(s, _)| Outgoing {
            stream: s.names(),
            event,
            payload: payload.clone(),
        })
        .collect())
}

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

#[cfg(test)]
mod tests {
    use super::Stream;

    #[test]
    fn streams_parse_by_their_mastodon_names() {
        assert_eq!(Stream::parse("user", None, None), Ok(Stream::User));
        assert_eq!(
            Stream::parse("public:local", None, None),
            Ok(Stream::Public { local: Some(true) })
        );
        assert_eq!(
            Stream::parse("hashtag", Some("#Rust"), None),
            Ok(Stream::Hashtag {
                tag: "rust".into(),
                local: false
            })
        );
        assert!(Stream::parse("hashtag", None, None).is_err());
        assert!(Stream::parse("list", None, None).is_err());
        assert_eq!(
            Stream::parse("list", None, Some("12")),
            Ok(Stream::List { id: 12 })
        );
        assert!(Stream::parse("nonsense", None, None).is_err());
        assert_eq!(
            Stream::parse("hashtag", Some("x"), None).unwrap().names(),
            ["hashtag", "x"]
        );
    }
}
