//! Surveys' API: create one in a community or of one's own, read it (with the
//! reader's `answered` flag and, when allowed, the aggregate results), answer
//! it once, and the results as CSV for its author. No route says who answered what.

use axum::{
    Json,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    api::{
        auth::Auth,
        extract::Body,
        id_path::IdPath,
        mastodon::entities::{account, timestamp},
    },
    db::actors::Actor,
    error::{AppError, AppResult, invalid_field},
    model::{format::Format, visibility::Visibility},
    service::{
        statuses::{self, NewStatus},
        surveys::{
            self, NewQuestion, NewSurvey, Reply,
            results::{SurveyView, Tally},
        },
    },
    state::AppState,
};

#[derive(Deserialize, Default)]
pub struct QuestionForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    prompt: String,
    #[serde(default)]
    options: Vec<String>,
}

#[derive(Deserialize, Default)]
pub struct SurveyForm {
    title: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    closes_at: String,
    /// `respondents` (the default) or `author`.
    results_visible_to: Option<String>,
    #[serde(default)]
    questions: Vec<QuestionForm>,
    /// A person's own survey (outside communities): public, unlisted or private.
    visibility: Option<String>,
}

impl SurveyForm {
    fn status(self, community_id: Option<i64>) -> AppResult<NewStatus> {
        let visibility = match self.visibility.as_deref() {
            None | Some("") => None,
            Some(v) => Some(
                Visibility::from_mastodon(v)
                    .ok_or_else(|| invalid_field("visibility", "is not valid"))?,
            ),
        };
        let results_to_respondents = match self.results_visible_to.as_deref() {
            None | Some("" | "respondents") => true,
            Some("author") => false,
            Some(_) => {
                return Err(invalid_field(
                    "results_visible_to",
                    "must be respondents or author",
                ));
            }
        };
        let survey = NewSurvey {
            closes_at: self.closes_at,
            results_to_respondents,
            questions: self
                .questions
                .into_iter()
                .map(|q| NewQuestion {
                    kind: q.kind,
                    prompt: q.prompt,
                    options: q.options,
                })
                .collect(),
        };
        Ok(NewStatus {
            community_id,
            in_reply_to_id: None,
            title: self.title,
            text: self.description,
            format: Format::Markdown,
            spoiler_text: String::new(),
            sensitive: false,
            language: None,
            visibility,
            idempotency_key: None,
            poll: None,
            event: None,
            survey: Some(survey),
            document: None,
            media_ids: vec![],
        })
    }
}

fn tally_json(t: &Tally) -> Value {
    match t {
        Tally::Choices(counts) => json!({ "counts": counts }),
        Tally::Scale { counts, mean } => json!({ "distribution": counts, "mean": mean }),
        Tally::Texts(texts) => json!({ "texts": texts, "withheld": texts.is_none() }),
    }
}

/// A survey as this reader sees it.
pub fn entity(state: &AppState, v: &SurveyView) -> Value {
    let questions: Vec<Value> = v
        .questions
        .iter()
        .map(|q| {
            json!({
                "position": q.position,
                "kind": q.kind.as_str(),
                "prompt": q.prompt,
                "options": q.options,
            })
        })
        .collect();
    let results = v.results.as_ref().map(|(respondents, tallies)| {
        json!({
            "respondents_count": respondents,
            "questions": tallies.iter().map(tally_json).collect::<Vec<_>>(),
        })
    });
    json!({
        "id": v.status.id.to_string(),
        "title": v.status.title,
        "description": v.status.content,
        "url": format!("{}/posts/{}", state.urls.base(), v.status.id),
        "author": account::from_actor(state, &v.author, Default::default()),
        "community_id": v.status.community_id.map(|c| c.to_string()),
        "closes_at": timestamp(v.survey.closes_at),
        "closed": v.closed,
        "results_visible_to": if v.survey.results_to_respondents { "respondents" } else { "author" },
        "anonymous": true,
        "questions": questions,
        "answered": v.answered,
        "results": results,
    })
}

async fn one(state: &AppState, me: Option<&Actor>, id: i64) -> AppResult<Json<Value>> {
    let v = surveys::results::one(state, me, id).await?;
    Ok(Json(entity(state, &v)))
}

pub async fn create_in_community(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    Body(form): Body<SurveyForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let row = statuses::create(&state, &me, form.status(Some(id))?).await?;
    state.wake_delivery();
    one(&state, Some(&me), row.id).await
}

pub async fn create_own(
    State(state): State<AppState>,
    auth: Auth,
    Body(form): Body<SurveyForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let row = statuses::create(&state, &me, form.status(None)?).await?;
    state.wake_delivery();
    one(&state, Some(&me), row.id).await
}

pub async fn get_survey(
    State(state): State<AppState>,
    auth: Option<Auth>,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    one(&state, Auth::viewer(&auth).as_ref(), id).await
}

#[derive(Deserialize)]
pub struct ReplyForm {
    question: usize,
    #[serde(default)]
    choices: Vec<usize>,
    score: Option<i32>,
    text: Option<String>,
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answers: Vec<ReplyForm>,
}

pub async fn answer_survey(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    Body(form): Body<AnswerForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let replies = form
        .answers
        .into_iter()
        .map(|r| Reply {
            question: r.question,
            choices: r.choices,
            score: r.score,
            text: r.text,
        })
        .collect();
    surveys::answer(&state, &me, id, replies).await?;
    one(&state, Some(&me), id).await
}

/// The aggregate results as CSV: the author's only.
pub async fn results_csv(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Response> {
    let (_, me) = auth.user_with("read:statuses")?.clone();
    let v = surveys::results::one(&state, Some(&me), id).await?;
    if !v.is_author {
        return Err(AppError::forbidden(
            "Only the survey's author can export its results",
        ));
    }
    let body = surveys::csv::results(&v).ok_or_else(AppError::not_found)?;
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
