//! Follow requests to a locked account: listed, accepted, rejected.

use axum::{
    Json,
    extract::{Path, State},
};
use serde_json::{Value, json};

use super::entities::account::{self};
use crate::{
    api::auth::Auth,
    db,
    error::{AppError, AppResult},
    service::follows,
    state::AppState,
};

/// `GET /api/v1/follow_requests`: who asks to follow me (oldest first).
pub async fn follow_requests(State(state): State<AppState>, auth: Auth) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("read:follows")?.clone();
    let me_id = me.id;
    let (rows, counts) = state
        .db
        .run(move |c| {
            let rows = db::follows::pending_for(c, me_id)?;
            let ids: Vec<i64> = rows.iter().map(|(_, a)| a.id).collect();
            Ok((rows, db::actors::counts_of(c, &ids)?))
        })
        .await?;
    Ok(Json(json!(
        rows.iter()
            .map(|(_, a)| account::from_actor(
                &state,
                a,
                counts.get(&a.id).copied().unwrap_or_default()
            ))
            .collect::<Vec<_>>()
    )))
}

async fn decide(state: AppState, auth: Auth, id: String, approve: bool) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:follows")?.clone();
    let follower: i64 = id.parse().map_err(|_| AppError::not_found())?;
    follows::decide_request(&state, &me, follower, approve).await?;
    Ok(Json(
        super::accounts::relationship_of(&state, me.id, follower).await?,
    ))
}

pub async fn authorize_follow_request(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    decide(state, auth, id, true).await
}

pub async fn reject_follow_request(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    decide(state, auth, id, false).await
}
