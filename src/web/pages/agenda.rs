//! The agenda's pages: a community's events (upcoming, past, a month), a new
//! event, answering and cancelling on the event's page, who answered (for the
//! organiser and moderators), and one's own agenda with its calendar link.
//! Through the same `service::agenda` and `service::statuses` as the API.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::posting::post_id;
use crate::{
    api::extract::Query,
    error::AppResult,
    model::{format::Format, visibility::Visibility},
    service::{
        agenda::{self, NewEvent, answers::Choice, calendar, listing::EventView},
        community_view, now,
        statuses::{self, NewStatus},
    },
    state::AppState,
    web::{
        cards::{ActorRef, when},
        event_card::{EventLine, Participation},
        form::{NoFields, Posted, PostedFiles},
        i18n::Tr,
        page::{Chrome, back_to, html},
        visitor::Visitor,
    },
};

/// An event in a list.
pub struct Item {
    pub id: i64,
    pub title: String,
    pub line: EventLine,
    pub community: Option<ActorRef>,
    pub p: Participation,
    /// `YYYY-MM-DD` of its start, in its zone (for the month view).
    pub day: String,
}

pub fn item(state: &AppState, v: &EventView) -> Item {
    Item {
        id: v.status.id,
        title: v.status.title.clone().unwrap_or_default(),
        line: EventLine::of(&v.event),
        community: v.community.as_ref().map(|c| ActorRef::of(state, c)),
        p: Participation::of(v),
        day: agenda::local_times(&v.event)
            .0
            .format("%Y-%m-%d")
            .to_string(),
    }
}

#[derive(Template)]
#[template(path = "agenda.html")]
struct AgendaPage {
    t: Tr,
    c: Chrome,
    community: ActorRef,
    handle: String,
    /// upcoming, past or month.
    view: &'static str,
    items: Vec<Item>,
    /// The month view: weeks of (day of month or 0 for padding, `YYYY-MM-DD`).
    weeks: Vec<Vec<(u32, String)>>,
    month: String,
    prev_month: String,
    next_month: String,
    may_post: bool,
    time_zone: String,
    days: [&'static str; 7],
    personal: bool,
    /// Where the new event form posts.
    action: String,
}

#[derive(Deserialize, Default)]
pub struct AgendaQuery {
    past: Option<String>,
    month: Option<String>,
}

/// The weeks of a month, Monday first, padded with zeros.
fn weeks_of(first: NaiveDate) -> Vec<Vec<(u32, String)>> {
    let mut weeks = vec![];
    let mut week: Vec<(u32, String)> = (0..first.weekday().num_days_from_monday())
        .map(|_| (0, String::new()))
        .collect();
    let mut day = first;
    while day.month() == first.month() {
        week.push((day.day(), day.format("%Y-%m-%d").to_string()));
        if week.len() == 7 {
            weeks.push(std::mem::take(&mut week));
        }
        day = day.succ_opt().unwrap_or(day);
        if day.day() == 1 || day == first {
            break;
        }
    }
    if !week.is_empty() {
        week.resize(7, (0, String::new()));
        weeks.push(week);
    }
    weeks
}

fn month_of(q: &Option<String>) -> NaiveDate {
    let today = now().date();
    q.as_deref()
        .and_then(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
        .unwrap_or_else(|| today.with_day(1).unwrap_or(today))
}

pub async fn get_agenda(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    Query(q): Query<AgendaQuery>,
    v: Visitor,
) -> AppResult<Response> {
    let me = v.actor();
    let community = community_view::by_handle(&state, &handle, me).await?;
    let overview = community_view::overview(&state, &community, me).await?;
    let first = month_of(&q.month);
    let (view, events) = if q.month.is_some() {
        let ym = (first.year(), first.month());
        (
            "month",
            agenda::listing::month(&state, &community, me, ym).await?,
        )
    } else if q.past.is_some() {
        (
            "past",
            agenda::listing::of_community(&state, &community, me, false).await?,
        )
    } else {
        (
            "upcoming",
            agenda::listing::of_community(&state, &community, me, true).await?,
        )
    };
    let shift = |months: i32| {
        let m = first.month0() as i32 + months;
        let (y, m) = (first.year() + m.div_euclid(12), m.rem_euclid(12) as u32 + 1);
        format!("{y:04}-{m:02}")
    };
    let page = AgendaPage {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.v("agenda-of", "name", &community.name)),
        community: ActorRef::of(&state, &community),
        handle: handle.clone(),
        view,
        items: events.iter().map(|e| item(&state, e)).collect(),
        weeks: weeks_of(first),
        month: first.format("%Y-%m").to_string(),
        prev_month: shift(-1),
        next_month: shift(1),
        may_post: community.local && (overview.is_member() || overview.moderates()),
        time_zone: state.config.instance.time_zone.clone(),
        days: crate::web::event_card::DAYS,
        personal: false,
        action: format!("/communities/{handle}/events"),
    };
    Ok(html(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct EventForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    time_zone: String,
    all_day: Option<String>,
    #[serde(default)]
    location: String,
    #[serde(default)]
    online_url: String,
    #[serde(default)]
    capacity: String,
    /// A personal event's audience (public, unlisted, private).
    #[serde(default)]
    visibility: String,
    /// The image's description (its `alt`).
    #[serde(default)]
    image_alt: String,
}

/// The event's image, if one was chosen: an upload given to the event.
async fn image(
    state: &AppState,
    me: &crate::db::actors::Actor,
    alt: &str,
    files: Vec<(String, Vec<u8>)>,
) -> AppResult<Vec<i64>> {
    let Some((_, bytes)) = files.into_iter().find(|(field, _)| field == "image") else {
        return Ok(vec![]);
    };
    let upload = crate::service::media::Upload {
        bytes,
        content_type: None,
        file_name: None,
        description: Some(alt.trim().to_string()).filter(|a| !a.is_empty()),
        focus: None,
    };
    Ok(vec![
        crate::service::media::upload(state, me, upload).await?.id,
    ])
}

impl EventForm {
    /// The status of the event, in `community` or the author's own.
    fn into_status(self, community_id: Option<i64>) -> AppResult<NewStatus> {
        let f = self;
        let capacity = match f.capacity.trim() {
            "" => None,
            n => Some(
                n.parse()
                    .map_err(|_| crate::error::invalid_field("capacity", "must be a number"))?,
            ),
        };
        let visibility = match (community_id, f.visibility.as_str()) {
            (None, "unlisted") => Some(Visibility::Unlisted),
            (None, "private") => Some(Visibility::Private),
            (None, _) => Some(Visibility::Public),
            (Some(_), _) => None,
        };
        Ok(NewStatus {
            community_id,
            in_reply_to_id: None,
            title: Some(f.title),
            text: f.text,
            format: Format::Markdown,
            spoiler_text: String::new(),
            sensitive: false,
            language: None,
            visibility,
            idempotency_key: None,
            poll: None,
            event: Some(NewEvent {
                starts_at: f.starts_at,
                ends_at: Some(f.ends_at),
                time_zone: Some(f.time_zone),
                all_day: f.all_day.is_some(),
                location: f.location,
                online_url: Some(f.online_url),
                capacity,
            }),
            media_ids: vec![],
            survey: None,
            document: None,
        })
    }
}

pub async fn post_event(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    posted: PostedFiles<EventForm>,
) -> AppResult<Response> {
    let PostedFiles {
        visitor,
        form: f,
        files,
    } = posted;
    let (_, me) = visitor.require()?;
    let community = community_view::by_handle(&state, &handle, Some(me)).await?;
    let media_ids = image(&state, me, &f.image_alt, files).await?;
    let mut new = f.into_status(Some(community.id))?;
    new.media_ids = media_ids;
    let row = statuses::create(&state, me, new).await?;
    state.wake_delivery();
    Ok(back_to(&format!("/posts/{}", row.id)))
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
}

pub async fn post_answer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<AnswerForm>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (_, me) = visitor.require()?;
    let id = post_id(&id)?;
    let choice = match form.answer.as_str() {
        "" | "none" => None,
        a => Some(Choice::parse(a)?),
    };
    agenda::answer(&state, me, id, choice).await?;
    state.wake_delivery();
    Ok(back_to(&format!("/posts/{id}#event")))
}

#[derive(Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    cancelled: String,
}

pub async fn post_cancel(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<CancelForm>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (_, me) = visitor.require()?;
    let id = post_id(&id)?;
    agenda::cancel(&state, me, id, form.cancelled != "0").await?;
    Ok(back_to(&format!("/posts/{id}#event")))
}

/// Who answered what, for the organiser and moderators.
#[derive(Template)]
#[template(path = "event_answers.html")]
struct AnswersPage {
    t: Tr,
    c: Chrome,
    id: i64,
    title: String,
    rows: Vec<(ActorRef, String, bool, String)>,
}

pub async fn get_answers(
    State(state): State<AppState>,
    Path(id): Path<String>,
    v: Visitor,
) -> AppResult<Response> {
    let (_, me) = v.require()?;
    let id = post_id(&id)?;
    let event = agenda::listing::one(&state, Some(me), id).await?;
    let answers = agenda::listing::answers(&state, me, id).await?;
    let title = event.status.title.clone().unwrap_or_default();
    let page = AnswersPage {
        t: v.t,
        c: Chrome::new(&state, &v, title.clone()),
        id,
        title,
        rows: answers
            .iter()
            .map(|(a, who)| {
                let answer = format!("event-answer-{}", a.answer);
                (
                    ActorRef::of(&state, who),
                    answer,
                    a.waitlisted,
                    when(a.updated_at),
                )
            })
            .collect(),
    };
    Ok(html(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "my_agenda.html")]
struct MyAgendaPage {
    t: Tr,
    c: Chrome,
    items: Vec<Item>,
    feed: String,
    time_zone: String,
    personal: bool,
    action: String,
}

pub async fn get_my_agenda(State(state): State<AppState>, v: Visitor) -> AppResult<Response> {
    let (user, me) = v.require()?;
    let events = agenda::listing::mine(&state, me).await?;
    let token = calendar::feed_token(&state, user.id).await?;
    let page = MyAgendaPage {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.s("agenda-mine")),
        items: events.iter().map(|e| item(&state, e)).collect(),
        feed: format!("{}/calendar/{token}.ics", state.urls.base()),
        time_zone: state.config.instance.time_zone.clone(),
        personal: true,
        action: "/agenda/events".into(),
    };
    Ok(html(StatusCode::OK, &page))
}

/// One's own event, outside communities.
pub async fn post_personal_event(
    State(state): State<AppState>,
    posted: PostedFiles<EventForm>,
) -> AppResult<Response> {
    let PostedFiles {
        visitor,
        form,
        files,
    } = posted;
    let (_, me) = visitor.require()?;
    let media_ids = image(&state, me, &form.image_alt, files).await?;
    let mut new = form.into_status(None)?;
    new.media_ids = media_ids;
    let row = statuses::create(&state, me, new).await?;
    state.wake_delivery();
    Ok(back_to(&format!("/posts/{}", row.id)))
}

/// A new calendar link: the old one stops working.
pub async fn post_new_feed(
    State(state): State<AppState>,
    posted: Posted<NoFields>,
) -> AppResult<Response> {
    let (user, _) = posted.visitor.require()?;
    calendar::new_feed_token(&state, user.id).await?;
    Ok(back_to("/agenda?saved=feed"))
}
