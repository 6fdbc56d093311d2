//! Direct conversations (`/api/v1/conversations`): list, mark read, remove.
//! What a conversation holds is `service::conversations`'s, shared with the pages.

use axum::{Json, extract::State, response::Response};
use serde_json::{Value, json};

use super::{
    entities::{account, status::status as status_entity},
    pagination::{PageQuery, paged},
};
use crate::{
    api::id_path::IdPath,
    api::{auth::Auth, extract::Query},
    db::{actors::Actor, conversations::Conversation},
    error::AppResult,
    service::conversations::{self, ConversationView},
    state::AppState,
};

/// The `Conversation` entity: the other people in it and its newest status.
fn entity(state: &AppState, v: &ConversationView) -> Value {
    let accounts: Vec<Value> = v
        .others
        .iter()
        .map(|(a, n)| json!(account::from_actor(state, a, *n)))
        .collect();
    json!({
        "id": v.conversation.id.to_string(),
        "unread": v.conversation.unread,
        "accounts": accounts,
        "last_status": status_entity(state, &v.last),
    })
}

/// `Conversation` entities of `me`'s `rows` (the streaming API sends them too).
pub(crate) async fn render(
    state: &AppState,
    me: &Actor,
    rows: Vec<Conversation>,
) -> AppResult<Vec<Value>> {
    let views = conversations::views(state, me, rows).await?;
    Ok(views.iter().map(|v| entity(state, v)).collect())
}

pub async fn list_conversations(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let (_, me) = auth.user_with("read:statuses")?.clone();
    let views = conversations::page(&state, &me, q.page(20, 40)).await?;
    let marks: Vec<i64> = views
        .iter()
        .map(|v| v.conversation.last_status_id)
        .collect();
    let items = views.iter().map(|v| entity(&state, v)).collect();
    Ok(paged(
        state.urls.base(),
        "/api/v1/conversations",
        items,
        &marks,
    ))
}

pub async fn read_conversation(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:conversations")?.clone();
    let view = conversations::mark_read(&state, &me, id).await?;
    Ok(Json(entity(&state, &view)))
}

pub async fn remove_conversation(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:conversations")?.clone();
    conversations::remove(&state, &me, id).await?;
    Ok(Json(json!({})))
}
