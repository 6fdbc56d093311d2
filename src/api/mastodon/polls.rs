//! Polls (`/api/v1/polls`): read one, vote.

use axum::{Json, extract::State};
use serde::Deserialize;
use serde_json::Value;

use super::statuses::render;
use crate::{
    api::id_path::IdPath,
    api::{
        auth::Auth,
        extract::{Body, lenient_i64_list},
    },
    error::{AppError, AppResult},
    service::{polls, statuses},
    state::AppState,
};

/// The poll of a status the requester may see (its id is the status's).
async fn poll_entity(
    state: &AppState,
    id: i64,
    me: Option<&crate::db::actors::Actor>,
) -> AppResult<Json<Value>> {
    let row = statuses::visible(state, id, me).await?;
    render(state, vec![row], me)
        .await?
        .pop()
        .and_then(|s| s.get("poll").filter(|p| !p.is_null()).cloned())
        .map(Json)
        .ok_or_else(AppError::not_found)
}

pub async fn get_poll(
    State(state): State<AppState>,
    auth: Option<Auth>,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let me = Auth::viewer(&auth);
    poll_entity(&state, id, me.as_ref()).await
}

#[derive(Deserialize, Default)]
pub struct VoteForm {
    #[serde(default, deserialize_with = "lenient_i64_list")]
    choices: Vec<i64>,
}

pub async fn vote(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    Body(form): Body<VoteForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    polls::vote(&state, &me, id, form.choices).await?;
    poll_entity(&state, id, Some(&me)).await
}
