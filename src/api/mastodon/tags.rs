//! Hashtags: `GET /api/v1/tags/:name`, follow/unfollow, `/api/v1/followed_tags`.

use axum::{
    Json,
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use serde_json::Value;

use super::{
    entities::tag::tag,
    pagination::{PageQuery, paged},
};
use crate::{
    api::{auth::Auth, extract::Query},
    db,
    error::{AppError, AppResult},
    model::content,
    service::now,
    state::AppState,
};

/// A hashtag name as typed (`#Rust`, `rust`), lower-cased; 404 if it cannot be one.
fn name_of(raw: &str) -> AppResult<String> {
    let wanted = raw.trim_start_matches('#').to_lowercase();
    match content::extract_hashtags(&format!("#{wanted}")).as_slice() {
        [found] if *found == wanted => Ok(wanted),
        _ => Err(AppError::not_found()),
    }
}

async fn entity(state: &AppState, me: Option<i64>, name: String) -> AppResult<Json<Value>> {
    let following = match me {
        Some(id) => {
            let n = name.clone();
            let found = state
                .db
                .run(move |c| Ok(db::tags::following(c, id, &[n])?))
                .await?;
            Some(!found.is_empty())
        }
        None => None,
    };
    Ok(Json(tag(state.urls.base(), &name, following)))
}

pub async fn show(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Path(raw): Path<String>,
) -> AppResult<Json<Value>> {
    let me = Auth::viewer(&auth).map(|a| a.id);
    entity(&state, me, name_of(&raw)?).await
}

pub async fn follow(
    State(state): State<AppState>,
    auth: Auth,
    Path(raw): Path<String>,
) -> AppResult<Json<Value>> {
    set_following(&state, &auth, &raw, true).await
}

pub async fn unfollow(
    State(state): State<AppState>,
    auth: Auth,
    Path(raw): Path<String>,
) -> AppResult<Json<Value>> {
    set_following(&state, &auth, &raw, false).await
}

async fn set_following(
    state: &AppState,
    auth: &Auth,
    raw: &str,
    follow: bool,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:follows")?.clone();
    let name = name_of(raw)?;
    let (id, n) = (me.id, name.clone());
    state
        .db
        .write(move |c| {
            if follow {
                db::tags::follow(c, id, &n, now())?;
            } else {
                db::tags::unfollow(c, id, &n)?;
            }
            Ok(())
        })
        .await?;
    entity(state, Some(me.id), name).await
}

/// `GET /api/v1/followed_tags`: newest first, paged (`Link`).
pub async fn followed(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let (_, me) = auth.user_with("read:follows")?.clone();
    let (id, page) = (me.id, q.page(100, 200));
    let rows = state
        .db
        .run(move |c| Ok(db::tags::followed_page(c, id, page)?))
        .await?;
    let marks: Vec<i64> = rows.iter().map(|(m, _)| *m).collect();
    let items = rows
        .iter()
        .map(|(_, n)| tag(state.urls.base(), n, Some(true)))
        .collect();
    Ok(paged(state.urls.base(), "/api/v1/followed_tags", items, &marks).into_response())
}
