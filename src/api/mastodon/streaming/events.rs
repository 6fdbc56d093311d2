//! What each live event shows a listener, stream by stream.

use crate::api::mastodon::{notifications::render_all, statuses::render};
use crate::{
    db::{
        self, DbConn,
        live::Live,
        statuses::Status,
        views::{Page, StatusQuery},
    },
    error::AppResult,
    service::oauth::{self},
    state::AppState,
};

use super::stream::{Listener, Stream};

/// One message for one stream.
#[derive(Clone)]
pub struct Outgoing {
    pub(super) stream: Vec<String>,
    pub(super) event: &'static str,
    pub(super) payload: String,
}

/// What `event` shows this listener, stream by stream.
pub(super) async fn outgoing(
    state: &AppState,
    l: &Listener,
    event: &Live,
) -> AppResult<Vec<Outgoing>> {
    match *event {
        // Listeners without an account all see the same: rendered once for all.
        Live::Status { id, edited, .. } if l.viewer.is_none() => {
            let key = format!("{id}:{edited}:{:?}", l.streams);
            let shared = state
                .anonymous_streams
                .rendered(key, || status_messages(state, l, id, edited))
                .await?;
            Ok(shared.as_ref().clone())
        }
        Live::Status { id, edited, .. } => status_messages(state, l, id, edited).await,
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
            conversation_messages(state, l, id, recipient).await
        }
        Live::Notification { id, recipient } => {
            notification_messages(state, l, id, recipient).await
        }
    }
}

/// A conversation's update, for its recipient's direct stream.
async fn conversation_messages(
    state: &AppState,
    l: &Listener,
    id: i64,
    recipient: i64,
) -> AppResult<Vec<Outgoing>> {
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
    let Some(entity) = crate::api::mastodon::conversations::render(state, me, vec![row])
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

/// A notification, for its recipient's user and notifications streams.
async fn notification_messages(
    state: &AppState,
    l: &Listener,
    id: i64,
    recipient: i64,
) -> AppResult<Vec<Outgoing>> {
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
    let Some(row) = row.filter(|r| db::notifications::for_apps(&r.kind)) else {
        return Ok(vec![]);
    };
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

/// Whether `event` ended the listener's session (its token revoked, its account
/// suspended or erased): the token is checked again, so one event serves all.
pub(super) async fn signed_out(state: &AppState, l: &Listener, event: &Live) -> bool {
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
        .run(move |c| streams_showing(c, &streams, viewer, id))
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

/// Which of `streams` show status `id` to `viewer`, each with the status.
fn streams_showing(
    c: &mut DbConn,
    streams: &[Stream],
    viewer: Option<i64>,
    id: i64,
) -> AppResult<Vec<(Stream, Status)>> {
    let mut hits = Vec::new();
    let mut tags: Option<Vec<String>> = None;
    let hidden = match viewer {
        Some(v) => db::blocks::hidden_authors(c, v, crate::service::now())?,
        None => vec![],
    };
    for s in streams {
        let Some(q) = timeline_query(c, s, viewer, id, &mut tags)? else {
            continue;
        };
        if let Some(row) = db::statuses::shown_in(c, q, &hidden, id)? {
            hits.push((s.clone(), row));
        }
    }
    Ok(hits)
}

/// The timeline query behind stream `s`, unless it cannot show status `id`
/// to `viewer`. `tags`, the status's tags, are loaded once, when needed.
fn timeline_query(
    c: &mut DbConn,
    s: &Stream,
    viewer: Option<i64>,
    id: i64,
    tags: &mut Option<Vec<String>>,
) -> AppResult<Option<StatusQuery>> {
    let one = Page {
        limit: 1,
        ..Page::default()
    };
    let q = match s {
        Stream::User => match viewer {
            Some(v) => {
                let tags = db::tags::followed_ids(c, v)?;
                db::views::home_query(v, &tags, one)
            }
            None => return Ok(None),
        },
        Stream::Public { local } => db::views::public_query(*local, one),
        Stream::Hashtag { tag, local } => {
            if tags.is_none() {
                *tags = Some(
                    db::statuses::tag_names(c, &[id])?
                        .into_iter()
                        .map(|(_, t)| t.to_lowercase())
                        .collect(),
                );
            }
            if !tags.as_ref().is_some_and(|t| t.contains(tag)) {
                return Ok(None);
            }
            db::views::public_query(local.then_some(true), one)
        }
        Stream::List { id: list } => match viewer {
            Some(v) if db::lists::owned(c, v, *list)?.is_some() => {
                db::views::list_query(*list, one)
            }
            _ => return Ok(None),
        },
        Stream::Notifications | Stream::Direct => return Ok(None),
    };
    Ok(Some(q))
}
