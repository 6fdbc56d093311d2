//! Reports for moderators: administrators see them all, a community's
//! moderators those about statuses in their community; both close them.

use axum::{
    Json,
    extract::{Path, State},
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::communities::community;
use crate::{
    api::{
        auth::Auth,
        extract::{Query, lenient_bool},
        mastodon::entities::report::for_moderators,
    },
    db,
    error::{AppError, AppResult},
    service::reports,
    state::AppState,
};

#[derive(Deserialize, Default)]
pub struct ReportsQuery {
    #[serde(default, deserialize_with = "lenient_bool")]
    resolved: Option<bool>,
}

async fn listing(
    state: &AppState,
    community_id: Option<i64>,
    resolved: bool,
) -> AppResult<Json<Value>> {
    let rows = reports::list(state, community_id, resolved).await?;
    Ok(entities(state, &rows))
}

fn entities(
    state: &AppState,
    rows: &[(db::reports::Report, db::actors::Actor, db::actors::Actor)],
) -> Json<Value> {
    Json(json!(
        rows.iter()
            .map(|(r, reporter, target)| for_moderators(state, r, reporter, target))
            .collect::<Vec<_>>()
    ))
}

/// `GET /admin/reports?resolved=`: every report, newest first (100).
pub async fn admin_reports(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<ReportsQuery>,
) -> AppResult<Json<Value>> {
    auth.admin_with("admin:read")?;
    listing(&state, None, q.resolved.unwrap_or(false)).await
}

/// `GET /communities/:id/reports?resolved=`: the community's moderators.
pub async fn community_reports(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<ReportsQuery>,
) -> AppResult<Json<Value>> {
    let (user, me) = auth.user_with("read:accounts")?.clone();
    let c = community(&state, &id, Some(&me)).await?;
    let rows =
        reports::for_community(&state, &me, user.admin, &c, q.resolved.unwrap_or(false)).await?;
    Ok(entities(&state, &rows))
}

/// `POST /reports/:id/resolve`: closed by an administrator or a moderator of
/// the report's community (404 for anyone else).
pub async fn resolve_report(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let (user, me) = auth.user_with("write:accounts")?.clone();
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    let r = reports::resolve(&state, &me, user.admin, id).await?;
    let (rid, tid) = (r.reporter_id, r.target_id);
    let (reporter, target) = state
        .db
        .run(move |c| Ok((db::actors::by_id(c, rid)?, db::actors::by_id(c, tid)?)))
        .await?;
    Ok(Json(for_moderators(&state, &r, &reporter, &target)))
}
