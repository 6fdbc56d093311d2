//! Blocks and mutes: `/api/v1/accounts/:id/block|unblock|mute|unmute`,
//! `/api/v1/blocks`, `/api/v1/mutes`.

use axum::{
    Json,
    extract::{Path, State},
    response::Response,
};
use serde::Deserialize;
use serde_json::Value;

use super::{
    accounts::{account_page, account_row, relationship_of},
    pagination::PageQuery,
};
use crate::{
    api::{
        auth::Auth,
        extract::{Body, Query, lenient_bool, lenient_i64},
    },
    db,
    error::AppResult,
    service::{blocks, now},
    state::AppState,
};

pub async fn block(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:blocks")?.clone();
    let target = account_row(&state, &id, Some(&auth)).await?;
    blocks::block(&state, &me, &target).await?;
    Ok(Json(relationship_of(&state, me.id, target.id).await?))
}

pub async fn unblock(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:blocks")?.clone();
    let target = account_row(&state, &id, Some(&auth)).await?;
    blocks::unblock(&state, &me, &target).await?;
    Ok(Json(relationship_of(&state, me.id, target.id).await?))
}

#[derive(Deserialize, Default)]
pub struct MuteForm {
    /// Mute their notifications too (Mastodon's default: yes).
    #[serde(default, deserialize_with = "lenient_bool")]
    notifications: Option<bool>,
    /// Seconds; 0 or absent: until unmuted.
    #[serde(default, deserialize_with = "lenient_i64")]
    duration: Option<i64>,
}

pub async fn mute(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(form): Body<MuteForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:mutes")?.clone();
    let target = account_row(&state, &id, Some(&auth)).await?;
    let notifications = form.notifications.unwrap_or(true);
    blocks::mute(&state, &me, &target, notifications, form.duration).await?;
    Ok(Json(relationship_of(&state, me.id, target.id).await?))
}

pub async fn unmute(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:mutes")?.clone();
    let target = account_row(&state, &id, Some(&auth)).await?;
    blocks::unmute(&state, &me, &target).await?;
    Ok(Json(relationship_of(&state, me.id, target.id).await?))
}

/// `GET /api/v1/blocks`: the accounts one blocks, newest first, paged (`Link`).
pub async fn blocked(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let (_, me) = auth.user_with("read:blocks")?.clone();
    let (id, page) = (me.id, q.page(40, 80));
    let rows = state
        .db
        .run(move |c| Ok(db::blocks::blocked_page(c, id, page)?))
        .await?;
    account_page(&state, "/api/v1/blocks", rows, Some(&auth)).await
}

/// `GET /api/v1/mutes`: the accounts one mutes (running mutes), newest first.
pub async fn muted(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let (_, me) = auth.user_with("read:mutes")?.clone();
    let (id, page) = (me.id, q.page(40, 80));
    let rows = state
        .db
        .run(move |c| Ok(db::blocks::muted_page(c, id, page, now())?))
        .await?;
    account_page(&state, "/api/v1/mutes", rows, Some(&auth)).await
}
