//! `GET /api/v1/directory`: Mastodon's profile directory (discoverable people).
//!
//! `order=active` sorts by the last status (`actor_stats.last_status_at`, what
//! Mastodon itself shows as `last_status_at`); no other measure of what people
//! do is used. `order=new` sorts by account creation.

use axum::{Json, extract::State};
use serde::Deserialize;
use serde_json::Value;

use super::entities::account;
use crate::{
    api::{
        auth::Auth,
        extract::{Query, lenient_bool, lenient_i64},
    },
    db,
    error::{AppError, AppResult},
    state::AppState,
};

#[derive(Deserialize, Default)]
pub struct DirectoryQuery {
    #[serde(default, deserialize_with = "lenient_i64")]
    offset: Option<i64>,
    #[serde(default, deserialize_with = "lenient_i64")]
    limit: Option<i64>,
    order: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    local: Option<bool>,
}

pub async fn get_directory(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Query(q): Query<DirectoryQuery>,
) -> AppResult<Json<Vec<Value>>> {
    if let Some(a) = &auth {
        a.require("read:accounts")?;
    }
    let active = match q.order.as_deref() {
        None | Some("") | Some("active") => true,
        Some("new") => false,
        Some(_) => {
            return Err(AppError::unprocessable(
                "Validation failed: order must be active or new",
            ));
        }
    };
    let (limit, offset) = (
        q.limit.unwrap_or(40).clamp(1, 80),
        q.offset.unwrap_or(0).clamp(0, 100_000),
    );
    let local = q.local.unwrap_or(false);
    let (actors, counts) = state
        .db
        .run(move |c| {
            let actors = db::directory::mastodon_directory(c, local, active, limit, offset)?;
            let ids: Vec<i64> = actors.iter().map(|a| a.id).collect();
            Ok((actors, db::actors::counts_of(c, &ids)?))
        })
        .await?;
    Ok(Json(
        actors
            .iter()
            .map(|a| {
                serde_json::json!(account::from_actor(
                    &state,
                    a,
                    counts.get(&a.id).copied().unwrap_or_default()
                ))
            })
            .collect(),
    ))
}
