//! Direct conversations (`/api/v1/conversations`): list, mark read, remove.

use std::collections::HashMap;

use axum::{Json, extract::State, response::Response};
use serde_json::{Value, json};

use super::{
    entities::{account, status::status as status_entity},
    pagination::{PageQuery, paged},
};
use crate::{
    api::id_path::IdPath,
    api::{auth::Auth, extract::Query},
    db::{self, actors::Actor, conversations::Conversation},
    error::{AppError, AppResult},
    state::AppState,
};

/// `Conversation` entities: the other people in it (the newest status's author
/// and those it mentions) and that status.
pub(crate) async fn render(
    state: &AppState,
    me: &Actor,
    rows: Vec<Conversation>,
) -> AppResult<Vec<Value>> {
    let me_id = me.id;
    let (views, counts) = state
        .db
        .run(move |c| {
            let ids: Vec<i64> = rows.iter().map(|r| r.last_status_id).collect();
            let statuses = db::statuses::by_ids(c, &ids)?;
            let views: HashMap<i64, db::views::StatusView> =
                db::views::load(c, statuses, Some(me_id))?
                    .into_iter()
                    .map(|v| (v.status.id, v))
                    .collect();
            let people: Vec<i64> = views
                .values()
                .flat_map(|v| v.mentions.iter().map(|a| a.id))
                .collect();
            let counts = db::actors::counts_of(c, &people)?;
            let ordered: Vec<(Conversation, db::views::StatusView)> = rows
                .into_iter()
                .filter_map(|r| {
                    let v = views.get(&r.last_status_id)?.clone();
                    Some((r, v))
                })
                .collect();
            Ok((ordered, counts))
        })
        .await?;
    Ok(views
        .iter()
        .map(|(conversation, v)| {
            let mut people: Vec<(&Actor, db::actors::Counts)> = vec![(&v.author, v.author_counts)];
            people.extend(
                v.mentions
                    .iter()
                    .map(|a| (a, counts.get(&a.id).copied().unwrap_or_default())),
            );
            let mut seen = vec![me_id];
            let accounts: Vec<Value> = people
                .into_iter()
                .filter(|(a, _)| {
                    let new = !seen.contains(&a.id);
                    seen.push(a.id);
                    new
                })
                .map(|(a, n)| json!(account::from_actor(state, a, n)))
                .collect();
            json!({
                "id": conversation.id.to_string(),
                "unread": conversation.unread,
                "accounts": accounts,
                "last_status": status_entity(state, v),
            })
        })
        .collect())
}

pub async fn list_conversations(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let (_, me) = auth.user_with("read:statuses")?.clone();
    let (page, me_id) = (q.page(20, 40), me.id);
    let rows = state
        .db
        .run(move |c| Ok(db::conversations::page(c, me_id, page)?))
        .await?;
    let marks: Vec<i64> = rows.iter().map(|r| r.last_status_id).collect();
    let items = render(&state, &me, rows).await?;
    Ok(paged(
        state.urls.base(),
        "/api/v1/conversations",
        items,
        &marks,
    ))
}

pub async fn read_conversation(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:conversations")?.clone();
    let (id, me_id) = (id, me.id);
    let row = state
        .db
        .write(move |c| {
            db::conversations::mark_read(c, me_id, id)?;
            db::conversations::by_id(c, me_id, id)?.ok_or_else(AppError::not_found)
        })
        .await?;
    render(&state, &me, vec![row])
        .await?
        .pop()
        .map(Json)
        .ok_or_else(AppError::not_found)
}

pub async fn remove_conversation(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:conversations")?.clone();
    let (id, me_id) = (id, me.id);
    let removed = state
        .db
        .write(move |c| Ok(db::conversations::remove(c, me_id, id)?))
        .await?;
    if removed == 0 {
        return Err(AppError::not_found());
    }
    Ok(Json(json!({})))
}
