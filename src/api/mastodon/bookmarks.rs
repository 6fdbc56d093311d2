//! Bookmarks, and the lists of one's bookmarks and favourites.

use axum::{Json, extract::State, response::Response};
use serde_json::Value;

use super::{
    pagination::{PageQuery, paged},
    statuses::{render, render_one},
};
use crate::{
    api::id_path::IdPath,
    api::{auth::Auth, extract::Query},
    db::bookmarks::Marked,
    error::AppResult,
    service::bookmarks,
    state::AppState,
};

pub async fn bookmark_status(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:bookmarks")?.clone();
    let row = bookmarks::bookmark(&state, &me, id).await?;
    render_one(&state, row, Some(&me)).await
}

pub async fn unbookmark_status(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:bookmarks")?.clone();
    let row = bookmarks::unbookmark(&state, &me, id).await?;
    render_one(&state, row, Some(&me)).await
}

async fn list(state: AppState, auth: Auth, q: PageQuery, which: Marked) -> AppResult<Response> {
    let (scope, path) = match which {
        Marked::Bookmarks => ("read:bookmarks", "/api/v1/bookmarks"),
        Marked::Favourites => ("read:favourites", "/api/v1/favourites"),
    };
    let (_, me) = auth.user_with(scope)?.clone();
    let rows = bookmarks::marked(&state, &me, which, q.page(20, 40)).await?;
    let marks: Vec<i64> = rows.iter().map(|(m, _)| *m).collect();
    let items = render(
        &state,
        rows.into_iter().map(|(_, s)| s).collect(),
        Some(&me),
    )
    .await?;
    Ok(paged(state.urls.base(), path, items, &marks))
}

pub async fn list_bookmarks(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    list(state, auth, q, Marked::Bookmarks).await
}

pub async fn list_favourites(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    list(state, auth, q, Marked::Favourites).await
}
