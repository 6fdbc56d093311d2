//! `/posts/:id/live`: a thread's new comments as they are written (server-sent
//! events from the same live events as the streaming API), each rendered as the
//! thread page renders it and only if the reader may see it. The page's script
//! puts them in place; without the script, a reload shows them.

use std::{convert::Infallible, time::Duration};

use askama::Template;
use axum::{
    extract::{Path, State},
    response::{
        IntoResponse, Response,
        sse::{Event, KeepAlive, Sse},
    },
};
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;

use crate::{
    db::{actors::Actor, live::Live},
    error::{AppError, AppResult},
    service::{oauth, reading, statuses},
    state::AppState,
    web::{cards::PostCard, i18n::Tr, page::Chrome, visitor::Visitor},
};

#[derive(Template)]
#[template(path = "comment.html")]
struct Comment {
    t: Tr,
    c: Chrome,
    p: PostCard,
}

/// What a listener needs to render for its reader.
struct Reader {
    state: AppState,
    root: i64,
    me: Option<Actor>,
    t: Tr,
    c: Chrome,
    secret: Option<String>,
}

impl Reader {
    /// The new comment `id` of this thread as an event, if the reader may see it.
    async fn comment(&self, id: i64) -> AppResult<Option<Event>> {
        let Ok(row) = statuses::visible(&self.state, id, self.me.as_ref()).await else {
            return Ok(None);
        };
        let parent = row.in_reply_to_id;
        let views = reading::views(&self.state, vec![row], self.me.as_ref()).await?;
        let Some(view) = views.first() else {
            return Ok(None);
        };
        let page = Comment {
            t: self.t,
            c: self.c.clone(),
            p: PostCard::of(&self.state, view, self.me.as_ref()),
        };
        let html = page.render().map_err(AppError::internal)?;
        let data =
            json!({ "id": id.to_string(), "parent": parent.map(|p| p.to_string()), "html": html });
        Ok(Some(
            Event::default().event("comment").data(data.to_string()),
        ))
    }

    /// Whether the reader's session has ended (signed out elsewhere, suspended).
    async fn ended(&self, event: &Live) -> bool {
        let (Live::Access { .. }, Some(secret)) = (event, &self.secret) else {
            return false;
        };
        matches!(oauth::authenticate(&self.state, secret).await, Err(e) if e.status == axum::http::StatusCode::UNAUTHORIZED)
    }
}

pub async fn get_live(
    State(state): State<AppState>,
    Path(id): Path<String>,
    v: Visitor,
) -> AppResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    let thread = reading::thread(&state, id, v.actor()).await?;
    let reader = Reader {
        c: Chrome::new(&state, &v, ""),
        root: thread.root_id,
        me: v.actor().cloned(),
        t: v.t,
        secret: v.secret().map(str::to_string),
        state: state.clone(),
    };
    let events = state.db.live().subscribe().await;
    let shutdown = state.shutdown.clone();
    let body = futures_util::stream::unfold((reader, events), move |(reader, mut events)| {
        let shutdown = shutdown.clone();
        async move {
            loop {
                let event = tokio::select! {
                    e = events.recv() => e,
                    () = shutdown.cancelled() => return None,
                };
                match event {
                    Ok(e) if reader.ended(&e).await => return None,
                    Ok(Live::Status {
                        id,
                        edited: false,
                        thread: Some(root),
                    }) if root == reader.root => match reader.comment(id).await {
                        Ok(Some(out)) => return Some((Ok::<_, Infallible>(out), (reader, events))),
                        Ok(None) => {}
                        Err(e) => {
                            tracing::warn!(error = %e, "a live comment could not be rendered")
                        }
                    },
                    Ok(_) => {}
                    // Too slow to keep up: let go; the browser reconnects by itself.
                    Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => return None,
                }
            }
        }
    });
    let mut r = Sse::new(body)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    // Reverse proxies that buffer responses (nginx by default) would hold events back.
    r.headers_mut().insert(
        "x-accel-buffering",
        axum::http::HeaderValue::from_static("no"),
    );
    Ok(r)
}
