//! `GET /api/v1/statuses/:id/history`: every version of a status.

use axum::{Json, extract::State};
use serde_json::{Value, json};

use super::entities::{
    status::{content, status as status_entity},
    timestamp,
};
use crate::{
    api::{auth::Auth, id_path::IdPath},
    db,
    error::{AppError, AppResult},
    service::{reading, statuses},
    state::AppState,
};

/// Every version, oldest first, the current one last (one version when never
/// edited). A thread root's versions show their own titles, as its `content` does.
pub async fn status_history(
    State(state): State<AppState>,
    auth: Option<Auth>,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let me = Auth::viewer(&auth);
    let row = statuses::visible(&state, id, me.as_ref()).await?;
    let sid = row.id;
    let versions = state
        .db
        .run(move |c| Ok(db::statuses::versions(c, sid)?))
        .await?;
    let view = reading::views(&state, vec![row], me.as_ref())
        .await?
        .pop()
        .ok_or_else(AppError::not_found)?;
    let current = status_entity(&state, &view);
    let s = &view.status;
    let community = view.community.as_ref();
    let version =
        |html: String, spoiler: &str, sensitive: bool, at, media: &Value, poll: &Value| {
            json!({
                "content": html,
                "spoiler_text": spoiler,
                "sensitive": sensitive,
                "created_at": timestamp(at),
                "account": current["account"],
                "poll": poll,
                "media_attachments": media,
                "emojis": [],
            })
        };
    let mut out: Vec<Value> = versions
        .iter()
        .map(|v| {
            version(
                content(s, v.title.as_deref(), community, &v.content),
                &v.spoiler_text,
                v.sensitive,
                v.created_at,
                &json!([]),
                &Value::Null,
            )
        })
        .collect();
    out.push(version(
        current["content"].as_str().unwrap_or_default().to_string(),
        &s.spoiler_text,
        s.sensitive,
        s.edited_at.unwrap_or(s.created_at),
        &current["media_attachments"],
        &current["poll"],
    ));
    Ok(Json(Value::Array(out)))
}
