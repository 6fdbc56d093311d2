//! Accounts: the signed-in user, lookups by id or handle, preferences.

use axum::{
    Json,
    extract::{Path, State},
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::entities::account::{self, Account};
use crate::{
    api::{auth::Auth, extract::Query},
    db,
    error::{AppError, AppResult},
    model::name::Handle,
    state::AppState,
};

pub async fn verify_credentials(
    State(state): State<AppState>,
    auth: Auth,
) -> AppResult<Json<Account>> {
    let (_, actor) = auth.user_with("read:accounts")?.clone();
    let id = actor.id;
    let counts = state
        .db
        .run(move |c| Ok(db::actors::counts(c, id)?))
        .await?;
    Ok(Json(account::credential(&state, &actor, counts)))
}

/// Whether an anonymous or signed-in client may see this actor through the API.
fn visible(actor: &db::actors::Actor, auth: Option<&Auth>) -> bool {
    // The instance actor is plumbing, not an account.
    actor.kind() != crate::model::actor::ActorKind::Application
        && (actor.visibility != "internal" || auth.is_some_and(|a| a.0.user.is_some()))
}

pub async fn get_account(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Path(id): Path<String>,
) -> AppResult<Json<Account>> {
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    let (actor, counts) = state
        .db
        .run(move |c| {
            let actor = db::actors::by_id(c, id)?;
            let counts = db::actors::counts(c, id)?;
            Ok((actor, counts))
        })
        .await?;
    if !visible(&actor, auth.as_ref()) {
        return Err(AppError::not_found());
    }
    Ok(Json(account::from_actor(&state, &actor, counts)))
}

#[derive(Deserialize)]
pub struct LookupQuery {
    acct: Option<String>,
}

pub async fn lookup_account(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Query(q): Query<LookupQuery>,
) -> AppResult<Json<Account>> {
    let acct = q
        .acct
        .ok_or_else(|| AppError::bad_request("Missing parameter: acct"))?;
    let handle = Handle::parse(&acct).ok_or_else(AppError::not_found)?;
    let local = handle
        .domain
        .as_deref()
        .is_none_or(|d| state.config.domain().matches(d));
    if !local {
        // Remote accounts arrive with federation; until known here they are not found.
        return Err(AppError::not_found());
    }
    let name = handle.name;
    let (actor, counts) = state
        .db
        .run(move |c| {
            let actor = db::actors::local_by_name(c, &name)?.ok_or_else(AppError::not_found)?;
            let counts = db::actors::counts(c, actor.id)?;
            Ok((actor, counts))
        })
        .await?;
    if !visible(&actor, auth.as_ref()) {
        return Err(AppError::not_found());
    }
    Ok(Json(account::from_actor(&state, &actor, counts)))
}

pub async fn preferences(auth: Auth) -> AppResult<Json<Value>> {
    auth.user_with("read:accounts")?;
    Ok(Json(json!({
        "posting:default:visibility": "public",
        "posting:default:sensitive": false,
        "posting:default:language": Value::Null,
        "reading:expand:media": "default",
        "reading:expand:spoilers": false,
    })))
}
