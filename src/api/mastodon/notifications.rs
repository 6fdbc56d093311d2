//! Notifications (`/api/v1/notifications`) and read markers (`/api/v1/markers`).

use axum::{Json, extract::State, response::Response};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{
    entities::account,
    entities::status::status as status_entity,
    pagination::{PageQuery, paged},
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
    service::{notifications, now},
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
        .filter(|k| !excluded.contains(k) && crate::db::notifications::for_apps(k))
        .collect()
}

/// Notification entities, with their accounts and statuses, in order.
pub(crate) async fn render_all(
    state: &AppState,
    me: &Actor,
    rows: Vec<Notification>,
) -> AppResult<Vec<Value>> {
    let views = notifications::views(state, me, rows).await?;
    Ok(views.iter().map(|v| entity(state, v)).collect())
}

fn entity(state: &AppState, v: &notifications::NotificationView) -> Value {
    let n = &v.notification;
    let mut e = json!({
        "id": n.id.to_string(),
        "type": n.kind,
        "created_at": crate::api::mastodon::entities::timestamp(n.created_at),
        "account": account::from_actor(state, &v.from, v.from_counts),
    });
    if let Some(s) = &v.status {
        e["status"] = status_entity(state, s);
    }
    e
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
    let views = notifications::page(&state, &me, kinds, from, page).await?;
    let ids: Vec<i64> = views.iter().map(|v| v.notification.id).collect();
    let items = views.iter().map(|v| entity(&state, v)).collect();
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
