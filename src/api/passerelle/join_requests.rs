//! Join requests of communities that approve their members: moderators list,
//! approve and reject them. Approving the first member from another server comes
//! with a warning: that server's administrators can then read everything.

use axum::{
    Json,
    extract::{Path, State},
};
use serde_json::{Value, json};

use super::communities::community;
use crate::{
    api::{
        auth::Auth,
        mastodon::entities::{account, timestamp},
    },
    db,
    error::{AppError, AppResult},
    service::join_requests::{self, JoinRequest},
    state::AppState,
};

async fn entity(state: &AppState, r: &JoinRequest) -> AppResult<Value> {
    let id = r.account.id;
    let counts = state
        .db
        .run(move |c| Ok(db::actors::counts(c, id)?))
        .await?;
    let mut v = json!({
        "account": serde_json::to_value(account::from_actor(state, &r.account, counts))
            .map_err(AppError::internal)?,
        "requested_at": timestamp(r.requested_at),
        "first_from_server": r.first_from_server,
    });
    if r.first_from_server {
        v["warning"] = json!(format!(
            "No one from {} is a member yet: once approved, that server's administrators \
             can read everything this community publishes.",
            r.account.domain
        ));
    }
    Ok(v)
}

pub async fn list_requests(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<Value>>> {
    let (_, me) = auth.user_with("read:follows")?.clone();
    let c = community(&state, &id, Some(&me)).await?;
    let mut out = Vec::new();
    for r in join_requests::list(&state, &me, &c).await? {
        out.push(entity(&state, &r).await?);
    }
    Ok(Json(out))
}

async fn decide(
    state: AppState,
    auth: Auth,
    id: String,
    account: String,
    approve: bool,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:follows")?.clone();
    let c = community(&state, &id, Some(&me)).await?;
    let account_id: i64 = account.parse().map_err(|_| AppError::not_found())?;
    let request = join_requests::decide(&state, &me, &c, account_id, approve).await?;
    let mut v = entity(&state, &request).await?;
    v[if approve { "approved" } else { "rejected" }] = json!(true);
    Ok(Json(v))
}

pub async fn approve_request(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, account)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    decide(state, auth, id, account, true).await
}

pub async fn reject_request(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, account)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    decide(state, auth, id, account, false).await
}
