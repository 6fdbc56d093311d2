//! Home and public timelines.

use axum::{
    extract::{Path, State},
    response::Response,
};
use serde::Deserialize;

use super::{
    pagination::{PageQuery, paged},
    statuses::render,
};
use crate::{
    api::{
        auth::Auth,
        extract::{Query, lenient_bool},
    },
    db,
    error::AppResult,
    service::blocks,
    state::AppState,
};

pub async fn home_timeline(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let (_, me) = auth.user_with("read:statuses")?.clone();
    let page = q.page(20, 40);
    let views = crate::service::reading::home(&state, &me, page).await?;
    let ids: Vec<i64> = views.iter().map(|v| v.status.id).collect();
    let items = super::statuses::entities(&state, &views);
    Ok(paged(
        state.urls.base(),
        "/api/v1/timelines/home",
        items,
        &ids,
    ))
}

#[derive(Deserialize, Default)]
pub struct PublicQuery {
    #[serde(flatten)]
    page: PageQuery,
    #[serde(default, deserialize_with = "lenient_bool")]
    local: Option<bool>,
    #[serde(default, deserialize_with = "lenient_bool")]
    remote: Option<bool>,
    #[serde(default, deserialize_with = "lenient_bool")]
    only_media: Option<bool>,
}

impl PublicQuery {
    fn narrow(&self) -> db::views::Narrow {
        db::views::Narrow {
            only_media: self.only_media.unwrap_or(false),
            tagged: None,
        }
    }
}

pub async fn public_timeline(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Query(q): Query<PublicQuery>,
) -> AppResult<Response> {
    let me = Auth::viewer(&auth);
    let page = q.page.page(20, 40);
    let local = match (q.local.unwrap_or(false), q.remote.unwrap_or(false)) {
        (true, _) => Some(true),
        (false, true) => Some(false),
        _ => None,
    };
    let (viewer, narrow) = (me.clone(), q.narrow());
    let rows = state
        .db
        .run(move |c| {
            let hidden = blocks::hidden(c, viewer.as_ref())?;
            Ok(db::views::public(c, local, &hidden, &narrow, page)?)
        })
        .await?;
    let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
    let items = render(&state, rows, me.as_ref()).await?;
    Ok(paged(
        state.urls.base(),
        "/api/v1/timelines/public",
        items,
        &ids,
    ))
}

/// `GET /api/v1/timelines/tag/:hashtag`: public statuses with that hashtag.
pub async fn tag_timeline(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Path(tag): Path<String>,
    Query(q): Query<PublicQuery>,
) -> AppResult<Response> {
    let me = Auth::viewer(&auth);
    let tag = tag.trim_start_matches('#').to_lowercase();
    let page = q.page.page(20, 40);
    let local = q.local.unwrap_or(false).then_some(true);
    let (name, viewer, narrow) = (tag.clone(), me.clone(), q.narrow());
    let rows = state
        .db
        .run(move |c| {
            let hidden = blocks::hidden(c, viewer.as_ref())?;
            Ok(db::views::tag(c, &name, local, &hidden, &narrow, page)?)
        })
        .await?;
    let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
    let items = render(&state, rows, me.as_ref()).await?;
    let encoded: String = url::form_urlencoded::byte_serialize(tag.as_bytes()).collect();
    let path = format!("/api/v1/timelines/tag/{encoded}");
    Ok(paged(state.urls.base(), &path, items, &ids))
}
