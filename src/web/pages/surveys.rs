//! Surveys' pages: a community's surveys with the form to make one, answering
//! on the survey's post page (plain HTML, no script needed), and the results
//! as CSV for the author. Through the same `service::surveys` and
//! `service::statuses` as the API.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};

use super::posting::post_id;
use crate::{
    error::{AppError, AppResult},
    model::format::Format,
    service::{
        community_view,
        statuses::{self, NewStatus},
        surveys::{self, NewQuestion, NewSurvey, Reply},
    },
    state::AppState,
    web::{
        cards::ActorRef,
        form::Posted,
        i18n::Tr,
        page::{Chrome, back_to, html},
        survey_card::SurveyBox,
        visitor::Visitor,
    },
};

/// Question slots offered by the creation form.
const SLOTS: usize = 8;

/// The kinds offered: (value, words' key).
const KINDS: [(&str, &str); 4] = [
    ("single", "survey-kind-single"),
    ("multiple", "survey-kind-multiple"),
    ("scale", "survey-kind-scale"),
    ("text", "survey-kind-text"),
];

#[derive(Template)]
#[template(path = "surveys.html")]
struct SurveysPage {
    t: Tr,
    c: Chrome,
    community: ActorRef,
    handle: String,
    items: Vec<SurveyBox>,
    may_post: bool,
    time_zone: String,
    slots: Vec<usize>,
    kinds: [(&'static str, &'static str); 4],
}

pub async fn get_surveys(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    v: Visitor,
) -> AppResult<Response> {
    let me = v.actor();
    let community = community_view::by_handle(&state, &handle, me).await?;
    let overview = community_view::overview(&state, &community, me).await?;
    let items = surveys::results::of_community(&state, &community, me).await?;
    let page = SurveysPage {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.v("surveys-of", "name", &community.name)),
        community: ActorRef::of(&state, &community),
        handle,
        items: items.iter().map(SurveyBox::of).collect(),
        may_post: community.local && (overview.is_member() || overview.moderates()),
        time_zone: state.config.instance.time_zone.clone(),
        slots: (0..SLOTS).collect(),
        kinds: KINDS,
    };
    Ok(html(StatusCode::OK, &page))
}

/// The value of field `name` (the first one), or "".
fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// The survey a creation form describes (blank question slots left out).
fn new_status(form: &[(String, String)], community_id: i64) -> NewStatus {
    let questions = (0..SLOTS)
        .filter(|n| !field(form, &format!("q{n}_prompt")).trim().is_empty())
        .map(|n| NewQuestion {
            kind: field(form, &format!("q{n}_kind")).to_string(),
            prompt: field(form, &format!("q{n}_prompt")).to_string(),
            options: field(form, &format!("q{n}_options"))
                .lines()
                .map(String::from)
                .collect(),
        })
        .collect();
    NewStatus {
        community_id: Some(community_id),
        in_reply_to_id: None,
        title: Some(field(form, "title").to_string()),
        text: field(form, "text").to_string(),
        format: Format::Markdown,
        spoiler_text: String::new(),
        sensitive: false,
        language: None,
        visibility: None,
        idempotency_key: None,
        poll: None,
        event: None,
        survey: Some(NewSurvey {
            closes_at: field(form, "closes_at").to_string(),
            results_to_respondents: field(form, "results") != "author",
            questions,
        }),
        document: None,
        media_ids: vec![],
    }
}

pub async fn post_survey(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (_, me) = visitor.require()?;
    let community = community_view::by_handle(&state, &handle, Some(me)).await?;
    let row = statuses::create(&state, me, new_status(&form, community.id)).await?;
    state.wake_delivery();
    Ok(back_to(&format!("/posts/{}", row.id)))
}

/// A person's replies as the answer form sends them: `qN` once per choice
/// ticked, or with the score or the text.
fn replies(form: &[(String, String)]) -> Vec<Reply> {
    let mut out: Vec<Reply> = vec![];
    for (k, v) in form {
        let Some(n) = k.strip_prefix('q').and_then(|n| n.parse::<usize>().ok()) else {
            continue;
        };
        let i = match out.iter().position(|r| r.question == n) {
            Some(i) => i,
            None => {
                out.push(Reply {
                    question: n,
                    ..Default::default()
                });
                out.len() - 1
            }
        };
        let r = &mut out[i];
        if let Ok(c) = v.trim().parse::<usize>() {
            r.choices.push(c);
            r.score = r.score.or(i32::try_from(c).ok());
        }
        r.text.get_or_insert_with(|| v.clone());
    }
    out
}

pub async fn post_answers(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (_, me) = visitor.require()?;
    let id = post_id(&id)?;
    surveys::answer(&state, me, id, replies(&form)).await?;
    Ok(back_to(&format!("/posts/{id}#survey")))
}

/// The aggregate results as CSV, for the author.
pub async fn get_results_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
    v: Visitor,
) -> AppResult<Response> {
    let (_, me) = v.require()?;
    let id = post_id(&id)?;
    let view = surveys::results::one(&state, Some(me), id).await?;
    if !view.is_author {
        return Err(AppError::forbidden(
            "Only the survey's author can export its results",
        ));
    }
    let body = surveys::csv::results(&view).ok_or_else(AppError::not_found)?;
    let disposition = format!("attachment; filename=\"survey-{id}.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}
