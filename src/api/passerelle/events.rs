//! The agenda's API: events in communities or of a person, answers, the list of
//! who answered (organiser and moderators), calendar feed links.

use axum::{Json, extract::State};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    api::{
        auth::Auth,
        extract::{Body, Query, lenient_bool, lenient_i64},
        id_path::IdPath,
        mastodon::entities::{account, status::event as event_fields, timestamp},
    },
    db::actors::Actor,
    error::AppResult,
    model::{format::Format, visibility::Visibility},
    service::{
        agenda::{self, NewEvent, answers::Choice, calendar, listing::EventView},
        community_view,
        statuses::{self, EditExtras, NewStatus},
    },
    state::AppState,
};

#[derive(Deserialize, Default)]
pub struct EventForm {
    title: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    starts_at: String,
    ends_at: Option<String>,
    time_zone: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    all_day: Option<bool>,
    #[serde(default)]
    location: String,
    online_url: Option<String>,
    #[serde(default, deserialize_with = "lenient_i64")]
    capacity: Option<i64>,
    /// A person's own event (outside communities): public, unlisted or private.
    visibility: Option<String>,
    /// An image (an upload of `POST /api/v2/media`), shown with the event.
    #[serde(default)]
    media_ids: Vec<String>,
}

impl EventForm {
    fn event(&self) -> NewEvent {
        NewEvent {
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            time_zone: self.time_zone.clone(),
            all_day: self.all_day.unwrap_or(false),
            location: self.location.clone(),
            online_url: self.online_url.clone(),
            capacity: self.capacity,
        }
    }

    fn status(self, community_id: Option<i64>) -> AppResult<NewStatus> {
        let visibility = match self.visibility.as_deref() {
            None | Some("") => None,
            Some(v) => Some(
                Visibility::from_mastodon(v)
                    .ok_or_else(|| crate::error::invalid_field("visibility", "is not valid"))?,
            ),
        };
        Ok(NewStatus {
            community_id,
            in_reply_to_id: None,
            event: Some(self.event()),
            title: self.title,
            text: self.description,
            format: Format::Markdown,
            spoiler_text: String::new(),
            sensitive: false,
            language: None,
            visibility,
            idempotency_key: None,
            poll: None,
            media_ids: crate::api::mastodon::statuses::media_id_list(&self.media_ids)?,
            survey: None,
            document: None,
        })
    }
}

/// An event as this reader sees it.
pub fn entity(state: &AppState, v: &EventView) -> Value {
    let (going, maybe, waitlisted) = v.shown();
    let who = |a: &Actor| json!(account::from_actor(state, a, Default::default()));
    let mut e = event_fields(state, &v.event);
    e["id"] = json!(v.status.id.to_string());
    e["title"] = json!(v.status.title);
    e["description"] = json!(v.status.content);
    e["url"] = json!(format!("{}/posts/{}", state.urls.base(), v.status.id));
    e["uri"] = json!(v.status.ap_id);
    e["organiser"] = who(&v.organiser);
    e["community_id"] = json!(v.community.as_ref().map(|c| c.id.to_string()));
    e["going_count"] = json!(going);
    e["maybe_count"] = json!(maybe);
    e["waitlisted_count"] = json!(waitlisted);
    e["full"] = json!(v.full());
    e["my_answer"] = json!(v.own.as_ref().map(|a| a.answer.clone()));
    e["my_waitlisted"] = json!(v.own.as_ref().is_some_and(|a| a.waitlisted));
    e["manages"] = json!(v.manages);
    e
}

async fn one(state: &AppState, me: Option<&Actor>, id: i64) -> AppResult<Json<Value>> {
    let v = agenda::listing::one(state, me, id).await?;
    Ok(Json(entity(state, &v)))
}

pub async fn create_in_community(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    Body(form): Body<EventForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let row = statuses::create(&state, &me, form.status(Some(id))?).await?;
    state.wake_delivery();
    one(&state, Some(&me), row.id).await
}

pub async fn create_own(
    State(state): State<AppState>,
    auth: Auth,
    Body(form): Body<EventForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let row = statuses::create(&state, &me, form.status(None)?).await?;
    state.wake_delivery();
    one(&state, Some(&me), row.id).await
}

pub async fn get_event(
    State(state): State<AppState>,
    auth: Option<Auth>,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    one(&state, Auth::viewer(&auth).as_ref(), id).await
}

pub async fn edit_event(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    Body(form): Body<EventForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let extras = EditExtras {
        title: form.title.clone(),
        event: Some(form.event()),
        ..Default::default()
    };
    statuses::edit(&state, &me, id, form.description, extras).await?;
    state.wake_delivery();
    one(&state, Some(&me), id).await
}

#[derive(Deserialize)]
pub struct CancelForm {
    #[serde(default, deserialize_with = "lenient_bool")]
    cancelled: Option<bool>,
}

/// `POST …/cancel` (or with `cancelled=false`, reinstates).
pub async fn cancel_event(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    Body(form): Body<CancelForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    agenda::cancel(&state, &me, id, form.cancelled.unwrap_or(true)).await?;
    one(&state, Some(&me), id).await
}

#[derive(Deserialize)]
pub struct AnswerForm {
    /// going, maybe, declined; none (or absent) takes the answer back.
    answer: Option<String>,
}

pub async fn answer_event(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    Body(form): Body<AnswerForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let choice = match form.answer.as_deref() {
        None | Some("" | "none") => None,
        Some(a) => Some(Choice::parse(a)?),
    };
    agenda::answer(&state, &me, id, choice).await?;
    state.wake_delivery();
    one(&state, Some(&me), id).await
}

/// Who answered what: the organiser's and moderators' list.
pub async fn list_answers(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("read:statuses")?.clone();
    let answers = agenda::listing::answers(&state, &me, id).await?;
    let items: Vec<Value> = answers
        .iter()
        .map(|(a, who)| {
            json!({
                "account": account::from_actor(&state, who, Default::default()),
                "answer": a.answer,
                "waitlisted": a.waitlisted,
                "answered_at": timestamp(a.updated_at),
            })
        })
        .collect();
    Ok(Json(json!(items)))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default, deserialize_with = "lenient_bool")]
    past: Option<bool>,
}

pub async fn community_events(
    State(state): State<AppState>,
    auth: Option<Auth>,
    IdPath(id): IdPath,
    Query(q): Query<ListQuery>,
) -> AppResult<Json<Value>> {
    let me = Auth::viewer(&auth);
    let community = community_view::by_id(&state, id, me.as_ref()).await?;
    let upcoming = !q.past.unwrap_or(false);
    let views = agenda::listing::of_community(&state, &community, me.as_ref(), upcoming).await?;
    Ok(Json(json!(
        views.iter().map(|v| entity(&state, v)).collect::<Vec<_>>()
    )))
}

/// The reader's agenda: what they organise or go (or may go) to.
pub async fn my_events(State(state): State<AppState>, auth: Auth) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("read:statuses")?.clone();
    let views = agenda::listing::mine(&state, &me).await?;
    Ok(Json(json!(
        views.iter().map(|v| entity(&state, v)).collect::<Vec<_>>()
    )))
}

/// The reader's calendar feed link (`POST`: a new one; the old stops working).
pub async fn calendar_feed(
    State(state): State<AppState>,
    auth: Auth,
    method: axum::http::Method,
) -> AppResult<Json<Value>> {
    let (user, _) = auth.user_with("read:statuses")?.clone();
    let token = if method == axum::http::Method::POST {
        calendar::new_feed_token(&state, user.id).await?
    } else {
        calendar::feed_token(&state, user.id).await?
    };
    Ok(Json(json!({
        "token": token,
        "url": format!("{}/calendar/{token}.ics", state.urls.base()),
    })))
}
