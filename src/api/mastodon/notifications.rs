//! Notifications (`/api/v1/notifications`) and read markers (`/api/v1/markers`).

use std::collections::HashMap;

use axum::{Json, extract::State, response::Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{
    entities::account,
    pagination::{PageQuery, paged},
    statuses::render,
};
use crate::{
    api::id_path::IdPath,
    api::{
        auth::Auth,
        extract::{Body, Query, string_or_list},
    },
    db::{
        self,
        actors::Actor,
        notifications::{KINDS, Notification},
        views::Page,
    },
    error::{AppError, AppResult},
    service::now,
    state::AppState,
};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    max_id: Option<String>,
    since_id: Option<String>,
    min_id: Option<String>,
    limit: Option<String>,
    #[serde(default, deserialize_with = "string_or_list")]
    types: Option<Vec<String>>,
    #[serde(default, deserialize_with = "string_or_list")]
    exclude_types: Option<Vec<String>>,
    account_id: Option<String>,
}

/// The kinds asked for: `types` if given, all otherwise, less `exclude_types`.
/// Kinds we never write (reblog, poll, …) simply match nothing.
fn kinds(q: &ListQuery) -> Vec<String> {
    let all: Vec<String> = KINDS.iter().map(|k| k.to_string()).collect();
    let wanted = q.types.clone().filter(|t| !t.is_empty()).unwrap_or(all);
    let excluded = q.exclude_types.clone().unwrap_or_default();
    wanted
        .into_iter()
        .filter(|k| !excluded.contains(k))
        .collect()
}

/// Notification entities, with their accounts and statuses, in order.
pub(crate) async fn render_all(
    state: &AppState,
    me: &Actor,
    rows: Vec<Notification>,
) -> AppResult<Vec<Value>> {
    let from: Vec<i64> = rows.iter().map(|n| n.from_id).collect();
    let status_ids: Vec<i64> = rows.iter().filter_map(|n| n.status_id).collect();
    let reader = me.clone();
    let (actors, counts, statuses) = state
        .db
        .run(move |c| {
            let actors = db::actors::by_ids(c, &from)?;
            let counts = db::actors::counts_of(c, &from)?;
            // Checked at read time too: a member who left no longer sees the
            // community's statuses, so their notifications drop out (as Mastodon
            // drops notifications whose status is gone).
            let mut statuses = Vec::new();
            for s in db::statuses::by_ids(c, &status_ids)? {
                if db::visibility::can_see(c, &s, Some(&reader))? {
                    statuses.push(s);
                }
            }
            Ok((actors, counts, statuses))
        })
        .await?;
    let status_json: HashMap<String, Value> = render(state, statuses, Some(me))
        .await?
        .into_iter()
        .filter_map(|s| Some((s["id"].as_str()?.to_string(), s)))
        .collect();
    let actors: HashMap<i64, Actor> = actors.into_iter().map(|a| (a.id, a)).collect();
    Ok(rows
        .iter()
        .filter_map(|n| {
            let from = actors.get(&n.from_id)?;
            let counts = counts.get(&n.from_id).copied().unwrap_or_default();
            let mut v = json!({
                "id": n.id.to_string(),
                "type": n.kind,
                "created_at": crate::api::mastodon::entities::timestamp(n.created_at),
                "account": account::from_actor(state, from, counts),
            });
            if let Some(sid) = n.status_id {
                // A status that cannot be shown (its author gone, or no longer readable
                // by me) leaves it out.
                v["status"] = status_json.get(&sid.to_string())?.clone();
            }
            Some(v)
        })
        .collect())
}

pub async fn list_notifications(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let (_, me) = auth.user_with("read:notifications")?.clone();
    let page: Page = PageQuery {
        max_id: q.max_id.clone(),
        since_id: q.since_id.clone(),
        min_id: q.min_id.clone(),
        limit: q.limit.clone(),
    }
    .page(15, 30);
    let kinds = kinds(&q);
    let from = match &q.account_id {
        Some(a) => Some(a.parse::<i64>().map_err(|_| AppError::not_found())?),
        None => None,
    };
    let id = me.id;
    let rows = state
        .db
        .run(move |c| Ok(db::notifications::page(c, id, &kinds, from, page)?))
        .await?;
    let ids: Vec<i64> = rows.iter().map(|n| n.id).collect();
    let items = render_all(&state, &me, rows).await?;
    Ok(paged(
        state.urls.base(),
        "/api/v1/notifications",
        items,
        &ids,
    ))
}

pub async fn get_notification(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("read:notifications")?.clone();
    let (id, mine) = (id, me.id);
    let row = state
        .db
        .run(move |c| Ok(db::notifications::by_id(c, mine, id)?))
        .await?
        .ok_or_else(AppError::not_found)?;
    render_all(&state, &me, vec![row])
        .await?
        .pop()
        .map(Json)
        .ok_or_else(AppError::not_found)
}

pub async fn dismiss_notification(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:notifications")?.clone();
    let (id, mine) = (id, me.id);
    let gone = state
        .db
        .write(move |c| Ok(db::notifications::dismiss(c, mine, Some(id))?))
        .await?;
    if gone == 0 {
        return Err(AppError::not_found());
    }
    Ok(Json(json!({})))
}

pub async fn clear_notifications(
    State(state): State<AppState>,
    auth: Auth,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:notifications")?.clone();
    let mine = me.id;
    state
        .db
        .write(move |c| Ok(db::notifications::dismiss(c, mine, None)?))
        .await?;
    Ok(Json(json!({})))
}

const TIMELINES: [&str; 2] = ["home", "notifications"];

#[derive(Deserialize, Default)]
pub struct MarkersQuery {
    #[serde(default, deserialize_with = "string_or_list")]
    timeline: Option<Vec<String>>,
}

fn markers_json(markers: Vec<db::notifications::Marker>) -> Value {
    let mut out = Map::new();
    for m in markers {
        out.insert(
            m.timeline.clone(),
            json!({
                "last_read_id": m.last_read_id.to_string(),
                "version": m.version,
                "updated_at": crate::api::mastodon::entities::timestamp(m.updated_at),
            }),
        );
    }
    Value::Object(out)
}

pub async fn get_markers(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<MarkersQuery>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("read:statuses")?.clone();
    let asked: Vec<String> = q
        .timeline
        .unwrap_or_default()
        .into_iter()
        .filter(|t| TIMELINES.contains(&t.as_str()))
        .collect();
    let id = me.id;
    let markers = state
        .db
        .run(move |c| Ok(db::notifications::markers(c, id, &asked)?))
        .await?;
    Ok(Json(markers_json(markers)))
}

#[derive(Deserialize)]
pub struct MarkerIn {
    last_read_id: String,
}

#[derive(Deserialize, Default)]
pub struct SetMarkers {
    home: Option<MarkerIn>,
    notifications: Option<MarkerIn>,
}

pub async fn set_markers(
    State(state): State<AppState>,
    auth: Auth,
    Body(body): Body<SetMarkers>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let mut moves = Vec::new();
    for (timeline, m) in [("home", body.home), ("notifications", body.notifications)] {
        if let Some(m) = m {
            let id = m.last_read_id.parse::<i64>().map_err(|_| {
                AppError::unprocessable(format!(
                    "Validation failed: {timeline}[last_read_id] is not an id"
                ))
            })?;
            moves.push((timeline.to_string(), id));
        }
    }
    if moves.is_empty() {
        return Err(AppError::bad_request(
            "Missing parameter: home[last_read_id] or notifications[last_read_id]",
        ));
    }
    let (actor, at) = (me.id, now());
    let markers = state
        .db
        .write(move |c| {
            let mut timelines = Vec::new();
            for (timeline, id) in &moves {
                db::notifications::set_marker(c, actor, timeline, *id, at)?;
                timelines.push(timeline.clone());
            }
            Ok(db::notifications::markers(c, actor, &timelines)?)
        })
        .await?;
    Ok(Json(markers_json(markers)))
}
