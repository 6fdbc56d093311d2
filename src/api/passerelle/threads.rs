//! Threads (title + markdown body), comments and the comment tree, likes.

use axum::{Json, extract::State, response::Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    api::id_path::IdPath,
    api::{
        auth::Auth,
        extract::{Body, Query},
        mastodon::{
            entities::status::status as status_entity,
            pagination::{PageQuery, paged},
        },
    },
    db::{self, actors::Actor},
    error::{AppError, AppResult},
    model::format::Format,
    service::{
        community_view, reading,
        statuses::{self, NewStatus},
    },
    state::AppState,
};

async fn one(
    state: &AppState,
    row: db::statuses::Status,
    me: Option<&Actor>,
) -> AppResult<Json<Value>> {
    crate::api::mastodon::statuses::render_one(state, row, me).await
}

pub async fn list_threads(
    State(state): State<AppState>,
    auth: Option<Auth>,
    IdPath(id): IdPath,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let me = Auth::viewer(&auth);
    let community = community_view::by_id(&state, id, me.as_ref()).await?;
    let views = reading::community_threads(&state, &community, me.as_ref(), q.page(20, 40)).await?;
    let ids: Vec<i64> = views.iter().map(|v| v.status.id).collect();
    let items = views.iter().map(|v| status_entity(&state, v)).collect();
    Ok(paged(
        state.urls.base(),
        &format!("/api/passerelle/v1/communities/{id}/threads"),
        items,
        &ids,
    ))
}

#[derive(Deserialize)]
pub struct ThreadForm {
    title: Option<String>,
    body: Option<String>,
    #[serde(default)]
    spoiler_text: String,
    #[serde(default, deserialize_with = "crate::api::extract::lenient_bool")]
    sensitive: Option<bool>,
}

pub async fn create_thread(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    Body(form): Body<ThreadForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let cid = id;
    if form.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
        return Err(AppError::unprocessable(
            "Validation failed: title can't be blank",
        ));
    }
    let row = statuses::create(
        &state,
        &me,
        NewStatus {
            community_id: Some(cid),
            in_reply_to_id: None,
            title: form.title,
            text: form.body.unwrap_or_default(),
            format: Format::Markdown,
            spoiler_text: form.spoiler_text,
            sensitive: form.sensitive.unwrap_or(false),
            language: None,
            visibility: None,
            idempotency_key: None,
            poll: None,
            event: None,
            survey: None,
            document: None,
            media_ids: vec![],
        },
    )
    .await?;
    one(&state, row, Some(&me)).await
}

pub async fn create_comment(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    Body(form): Body<ThreadForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let row = statuses::create(
        &state,
        &me,
        NewStatus {
            community_id: None,
            in_reply_to_id: Some(id),
            title: None,
            text: form.body.unwrap_or_default(),
            format: Format::Markdown,
            spoiler_text: form.spoiler_text,
            sensitive: form.sensitive.unwrap_or(false),
            language: None,
            visibility: None,
            idempotency_key: None,
            poll: None,
            event: None,
            survey: None,
            document: None,
            media_ids: vec![],
        },
    )
    .await?;
    one(&state, row, Some(&me)).await
}

/// The thread and its comments as a tree: each node is a status with `replies`.
pub async fn get_thread(
    State(state): State<AppState>,
    auth: Option<Auth>,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let me = Auth::viewer(&auth);
    let thread = reading::thread(&state, id, me.as_ref()).await?;
    fn node(
        state: &AppState,
        t: &reading::Thread,
        v: &db::views::StatusView,
        depth: usize,
    ) -> Value {
        let mut e = status_entity(state, v);
        if v.status.is_gone() {
            e["content"] = json!("");
            e["passerelle"]["deleted"] = json!(true);
        }
        let replies: Vec<Value> = if depth > 100 {
            vec![]
        } else {
            t.children(v.status.id)
                .map(|c| node(state, t, c, depth + 1))
                .collect()
        };
        e["replies"] = json!(replies);
        e
    }
    let root = thread.get(thread.root_id).ok_or_else(AppError::not_found)?;
    Ok(Json(node(&state, &thread, root, 0)))
}

pub async fn edit_status(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    Body(form): Body<ThreadForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let extras = statuses::EditExtras {
        title: form.title,
        spoiler_text: form.spoiler_text,
        sensitive: form.sensitive.unwrap_or(false),
        media_ids: None,
        poll: None,
        event: None,
    };
    let row = statuses::edit(&state, &me, id, form.body.unwrap_or_default(), extras).await?;
    one(&state, row, Some(&me)).await
}

pub async fn delete_status(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    statuses::delete(&state, &me, id).await?;
    Ok(Json(json!({})))
}

/// A moderator pins the thread first in its community (`POST`) or unpins it
/// (`DELETE`): the same rule as the community page's buttons.
pub async fn pin_thread(
    State(state): State<AppState>,
    auth: Auth,
    method: axum::http::Method,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let on = method != axum::http::Method::DELETE;
    let row = crate::service::featured::feature(&state, &me, id, on).await?;
    one(&state, row, Some(&me)).await
}

/// A moderator restores a post removed from their community (404 when it is not
/// removed); federated as an `Undo` of the removal.
pub async fn restore_status(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    statuses::restore(&state, &me, id).await?;
    let row = statuses::visible(&state, id, Some(&me)).await?;
    one(&state, row, Some(&me)).await
}
