//! Statuses: create, read, edit, delete, context, favourites.

use axum::{
    Json,
    extract::{Path, State},
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::entities::status::status as status_entity;
use crate::{
    api::id_path::{IdPath, parse_id},
    api::{
        auth::Auth,
        extract::{Body, lenient_bool, lenient_i64},
    },
    db::{self, actors::Actor, statuses::Status},
    error::{AppError, AppResult, invalid_field},
    model::format::Format,
    model::visibility::Visibility,
    service::{
        polls::NewPoll,
        statuses::{self, NewStatus},
    },
    state::AppState,
};

/// Status entities for `rows`, as `viewer` sees them.
pub async fn render(
    state: &AppState,
    rows: Vec<Status>,
    viewer: Option<&Actor>,
) -> AppResult<Vec<Value>> {
    let views = crate::service::reading::views(state, rows, viewer).await?;
    Ok(entities(state, &views))
}

/// The client entities of `views`, in order.
pub fn entities(state: &AppState, views: &[db::views::StatusView]) -> Vec<Value> {
    views.iter().map(|v| status_entity(state, v)).collect()
}

pub async fn render_one(
    state: &AppState,
    row: Status,
    viewer: Option<&Actor>,
) -> AppResult<Json<Value>> {
    render(state, vec![row], viewer)
        .await?
        .pop()
        .map(Json)
        .ok_or_else(AppError::not_found)
}

#[derive(Deserialize, Default)]
pub struct CreateStatus {
    status: Option<String>,
    in_reply_to_id: Option<String>,
    #[serde(default)]
    spoiler_text: String,
    #[serde(default, deserialize_with = "lenient_bool")]
    sensitive: Option<bool>,
    visibility: Option<String>,
    language: Option<String>,
    content_type: Option<String>,
    #[serde(default)]
    media_ids: Vec<String>,
    poll: Option<PollForm>,
    scheduled_at: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct PollForm {
    #[serde(default)]
    options: Vec<String>,
    #[serde(default, deserialize_with = "lenient_i64")]
    expires_in: Option<i64>,
    #[serde(default, deserialize_with = "lenient_bool")]
    multiple: Option<bool>,
    #[serde(default, deserialize_with = "lenient_bool")]
    hide_totals: Option<bool>,
}

impl PollForm {
    fn into_new(self) -> NewPoll {
        NewPoll {
            options: self.options,
            // Mastodon's default when a client leaves it out: a day.
            expires_in: self.expires_in.unwrap_or(86_400),
            multiple: self.multiple.unwrap_or(false),
            hide_totals: self.hide_totals.unwrap_or(false),
        }
    }
}

pub async fn create_status(
    State(state): State<AppState>,
    auth: Auth,
    headers: axum::http::HeaderMap,
    Body(form): Body<CreateStatus>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let idempotency_key = match headers.get("idempotency-key").map(|v| v.to_str()) {
        None => None,
        Some(Ok(k)) if !k.is_empty() && k.len() <= 256 => Some(k.to_string()),
        Some(_) => {
            return Err(invalid_field(
                "Idempotency-Key",
                "must be 1 to 256 characters",
            ));
        }
    };
    if form.scheduled_at.is_some() {
        return Err(AppError::unprocessable(
            "Scheduled statuses are not supported",
        ));
    }
    let media_ids = media_id_list(&form.media_ids)?;
    let poll = form.poll.map(PollForm::into_new);
    let visibility = match form.visibility.as_deref().filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => Some(Visibility::from_mastodon(v).ok_or_else(|| {
            invalid_field(
                "visibility",
                "is not one of public, unlisted, private, direct",
            )
        })?),
    };
    let format = match form.content_type.as_deref().filter(|t| !t.is_empty()) {
        None => Format::Plain,
        Some(t) => Format::from_mime(t)
            .ok_or_else(|| invalid_field("content_type", "must be text/plain or text/markdown"))?,
    };
    let in_reply_to_id = form
        .in_reply_to_id
        .filter(|s| !s.is_empty())
        .map(|s| parse_id(&s))
        .transpose()?;
    let row = statuses::create(
        &state,
        &me,
        NewStatus {
            community_id: None,
            in_reply_to_id,
            title: None,
            text: form.status.unwrap_or_default(),
            format,
            spoiler_text: form.spoiler_text,
            sensitive: form.sensitive.unwrap_or(false),
            language: form.language,
            visibility,
            idempotency_key,
            poll,
            event: None,
            survey: None,
            document: None,
            media_ids,
        },
    )
    .await?;
    render_one(&state, row, Some(&me)).await
}

pub async fn get_status(
    State(state): State<AppState>,
    auth: Option<Auth>,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let me = Auth::viewer(&auth);
    let row = statuses::visible(&state, id, me.as_ref()).await?;
    render_one(&state, row, me.as_ref()).await
}

pub async fn delete_status(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    // Mastodon answers with the deleted status, its source text and its media
    // (given back to the author: "delete and redraft"), as it was before.
    let before = statuses::visible(&state, id, Some(&me)).await?;
    if let Some(original) = before.reblog_of_id.filter(|_| before.actor_id == me.id) {
        // Deleting one's boost is taking it back.
        let v = render_one(&state, before, Some(&me)).await?;
        crate::service::reblogs::unreblog(&state, &me, original).await?;
        return Ok(v);
    }
    let mut v = render_one(&state, before, Some(&me)).await?.0;
    let row = statuses::delete(&state, &me, id).await?;
    let source = row.source.clone();
    if let Some(o) = v.as_object_mut() {
        o.insert("text".into(), json!(source));
    }
    Ok(Json(v))
}

#[derive(Deserialize)]
pub struct EditStatus {
    status: Option<String>,
    #[serde(default)]
    spoiler_text: String,
    #[serde(default, deserialize_with = "lenient_bool")]
    sensitive: Option<bool>,
    title: Option<String>,
    /// The attachments after the edit; absent: unchanged.
    media_ids: Option<Vec<String>>,
    /// The poll after the edit; absent: unchanged.
    poll: Option<PollForm>,
}

/// Upload ids as a client sends them; one that is not a number is unknown.
pub(crate) fn media_id_list(ids: &[String]) -> AppResult<Vec<i64>> {
    ids.iter()
        .map(|id| {
            id.parse::<i64>()
                .map_err(|_| invalid_field("media_ids", "unknown, or already attached to a status"))
        })
        .collect()
}

pub async fn edit_status(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    Body(form): Body<EditStatus>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let extras = statuses::EditExtras {
        title: form.title,
        spoiler_text: form.spoiler_text,
        sensitive: form.sensitive.unwrap_or(false),
        media_ids: form.media_ids.as_deref().map(media_id_list).transpose()?,
        poll: form.poll.map(PollForm::into_new),
        event: None,
    };
    let row = statuses::edit(&state, &me, id, form.status.unwrap_or_default(), extras).await?;
    render_one(&state, row, Some(&me)).await
}

pub async fn status_source(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("read:statuses")?.clone();
    let row = statuses::visible(&state, id, Some(&me)).await?;
    if row.actor_id != me.id {
        return Err(AppError::not_found());
    }
    Ok(Json(
        json!({ "id": row.id.to_string(), "text": row.source, "spoiler_text": row.spoiler_text }),
    ))
}

/// Ancestors up the reply chain, and every visible descendant in the thread.
pub async fn status_context(
    State(state): State<AppState>,
    auth: Option<Auth>,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let me = Auth::viewer(&auth);
    let target = statuses::visible(&state, id, me.as_ref()).await?;
    let root = target.thread_root_id.unwrap_or(target.id);
    let who = me.clone();
    let (ancestors, descendants) = state
        .db
        .run(move |c| {
            let all = db::views::thread(c, root, 2_000)?;
            let by_id: std::collections::HashMap<i64, &Status> =
                all.iter().map(|s| (s.id, s)).collect();
            let mut ancestors = Vec::new();
            let mut cursor = target.in_reply_to_id;
            while let Some(pid) = cursor {
                let Some(p) = by_id.get(&pid) else { break };
                ancestors.push((*p).clone());
                cursor = p.in_reply_to_id;
                if ancestors.len() > 200 {
                    break;
                }
            }
            ancestors.reverse();
            // Descendants: statuses whose reply chain reaches the target.
            let mut inside = std::collections::HashSet::from([target.id]);
            let mut descendants = Vec::new();
            for s in &all {
                if s.in_reply_to_id.is_some_and(|p| inside.contains(&p)) {
                    inside.insert(s.id);
                    descendants.push(s.clone());
                }
            }
            let hidden = crate::service::blocks::hidden(c, who.as_ref())?;
            let mut visible = |v: Vec<Status>| -> AppResult<Vec<Status>> {
                let mut out = Vec::new();
                for s in v {
                    if !hidden.contains(&s.actor_id) && statuses::can_see(c, &s, who.as_ref())? {
                        out.push(s);
                    }
                }
                Ok(out)
            };
            Ok((visible(ancestors)?, visible(descendants)?))
        })
        .await?;
    Ok(Json(json!({
        "ancestors": render(&state, ancestors, me.as_ref()).await?,
        "descendants": render(&state, descendants, me.as_ref()).await?,
    })))
}

pub async fn favourite_status(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:favourites")?.clone();
    let row = statuses::favourite(&state, &me, id).await?;
    render_one(&state, row, Some(&me)).await
}

pub async fn unfavourite_status(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:favourites")?.clone();
    let row = statuses::unfavourite(&state, &me, id).await?;
    render_one(&state, row, Some(&me)).await
}

/// Who favourited or boosted a status.
#[derive(Clone, Copy)]
enum Marked {
    Favourited,
    Reblogged,
}

/// The accounts who marked a status one may see, newest first, paged.
async fn marked_by(
    state: AppState,
    auth: Option<Auth>,
    id: String,
    q: super::pagination::PageQuery,
    which: Marked,
) -> AppResult<axum::response::Response> {
    let me = Auth::viewer(&auth);
    let status = statuses::visible(&state, parse_id(&id)?, me.as_ref()).await?;
    let (sid, page) = (status.id, q.page(40, 80));
    let rows = state
        .db
        .run(move |c| {
            Ok(match which {
                Marked::Favourited => db::bookmarks::favourited_by(c, sid, page)?,
                Marked::Reblogged => db::statuses::reblogged_by(c, sid, page)?,
            })
        })
        .await?;
    let name = match which {
        Marked::Favourited => "favourited_by",
        Marked::Reblogged => "reblogged_by",
    };
    let path = format!("/api/v1/statuses/{sid}/{name}");
    super::accounts::account_page(&state, &path, rows, auth.as_ref()).await
}

pub async fn favourited_by(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Path(id): Path<String>,
    crate::api::extract::Query(q): crate::api::extract::Query<super::pagination::PageQuery>,
) -> AppResult<axum::response::Response> {
    marked_by(state, auth, id, q, Marked::Favourited).await
}

pub async fn reblogged_by(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Path(id): Path<String>,
    crate::api::extract::Query(q): crate::api::extract::Query<super::pagination::PageQuery>,
) -> AppResult<axum::response::Response> {
    marked_by(state, auth, id, q, Marked::Reblogged).await
}

#[derive(Deserialize, Default)]
pub struct ReblogForm {
    visibility: Option<String>,
}

/// `POST /api/v1/statuses/:id/reblog`: the boost, with the status inside.
pub async fn reblog_status(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    Body(form): Body<ReblogForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let row = crate::service::reblogs::reblog(&state, &me, id, form.visibility).await?;
    render_one(&state, row, Some(&me)).await
}

/// `POST /api/v1/statuses/:id/unreblog`: the status, no longer boosted.
pub async fn unreblog_status(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let row = crate::service::reblogs::unreblog(&state, &me, id).await?;
    render_one(&state, row, Some(&me)).await
}

/// `POST /api/v1/statuses/:id/pin`: one's own status on one's profile.
pub async fn pin_status(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:accounts")?.clone();
    let row = crate::service::pins::pin(&state, &me, id).await?;
    render_one(&state, row, Some(&me)).await
}

pub async fn unpin_status(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:accounts")?.clone();
    let row = crate::service::pins::unpin(&state, &me, id).await?;
    render_one(&state, row, Some(&me)).await
}
