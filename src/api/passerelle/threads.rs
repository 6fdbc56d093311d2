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
    model::actor::ActorKind,
    model::format::Format,
    service::statuses::{self, NewStatus},
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
    let cid = id;
    let page = q.page(20, 40);
    let viewer = me.clone();
    let rows = state
        .db
        .run(move |c| {
            let community = db::actors::by_id(c, cid)?;
            if community.kind() != ActorKind::Group
                || (community.visibility == "internal" && !viewer.as_ref().is_some_and(|v| v.local))
            {
                return Err(AppError::not_found());
            }
            let hidden = crate::service::blocks::hidden(c, viewer.as_ref())?;
            let mut out = Vec::new();
            for s in db::views::community_threads(c, cid, &hidden, page)? {
                if statuses::can_see(c, &s, viewer.as_ref())? {
                    out.push(s);
                }
            }
            Ok(out)
        })
        .await?;
    let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
    let items = crate::api::mastodon::statuses::render(&state, rows, me.as_ref()).await?;
    Ok(paged(
        state.urls.base(),
        &format!("/api/passerelle/v1/communities/{cid}/threads"),
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
    let root = statuses::visible(&state, id, me.as_ref()).await?;
    let root_id = root.thread_root_id.unwrap_or(root.id);
    let viewer = me.clone();
    let (all, views) = state
        .db
        .run(move |c| {
            let mut all = Vec::new();
            for s in db::views::thread(c, root_id, 2_000)? {
                // Deleted comments keep their place (their replies hang under them).
                if s.is_gone() || statuses::can_see(c, &s, viewer.as_ref())? {
                    all.push(s);
                }
            }
            let views = db::views::load(c, all.clone(), viewer.as_ref().map(|v| v.id))?;
            Ok((all, views))
        })
        .await?;
    let rendered: std::collections::HashMap<i64, Value> = views
        .iter()
        .map(|v| {
            let mut e = status_entity(&state, v);
            if v.status.is_gone() {
                e["content"] = json!("");
                e["passerelle"]["deleted"] = json!(true);
            }
            (v.status.id, e)
        })
        .collect();
    fn node(
        id: i64,
        all: &[db::statuses::Status],
        rendered: &std::collections::HashMap<i64, Value>,
        depth: usize,
    ) -> Value {
        let mut v = rendered.get(&id).cloned().unwrap_or(Value::Null);
        let replies: Vec<Value> = if depth > 100 {
            vec![]
        } else {
            all.iter()
                .filter(|s| s.in_reply_to_id == Some(id))
                .map(|s| node(s.id, all, rendered, depth + 1))
                .collect()
        };
        v["replies"] = json!(replies);
        v
    }
    if !rendered.contains_key(&root_id) {
        return Err(AppError::not_found());
    }
    Ok(Json(node(root_id, &all, &rendered, 0)))
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
