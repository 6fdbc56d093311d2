//! Polls (`/api/v1/polls`): read one, vote.

use axum::{
    Json,
    extract::{Path, State},
};
use serde::Deserialize;
use serde_json::Value;

use super::statuses::{render, viewer};
use crate::{
    api::{
        auth::Auth,
        extract::{Body, lenient_i64_list},
    },
    error::{AppError, AppResult},
    service::{polls, statuses},
    state::AppState,
};

fn parse_id(id: &str) -> AppResult<i64> {
    id.parse().map_err(|_| AppError::not_found())
}

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
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let me = viewer(&auth);
    poll_entity(&state, parse_id(&id)?, me.as_ref()).await
}

#[derive(Deserialize, Default)]
pub struct VoteForm {
    #[serde(default, deserialize_with = "lenient_i64_list")]
    choices: Vec<i64>,
}

pub async fn vote(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(form): Body<VoteForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let id = parse_id(&id)?;
    polls::vote(&state, &me, id, form.choices).await?;
    poll_entity(&state, id, Some(&me)).await
}
