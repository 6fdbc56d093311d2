//! Surveys across Passerelle servers. Another server's survey is held here
//! with its questions and the aggregate results its origin shares; answers to
//! ours from a partner's members pass the very rule local answers do
//! (`answers::check`), and are stored as anonymously.

use chrono::NaiveDateTime;

use super::{
    MAX_QUESTIONS, MAX_TEXT, NewQuestion, Reply, SurveyRows,
    answers::{check, record},
    kind_of, options_of, question,
    results::Tally,
};
use crate::{
    db::{
        self,
        actors::Actor,
        statuses::Status,
        surveys::{Question, Survey},
    },
    error::{AppError, AppResult, invalid_field},
    state::AppState,
};

/// Free texts kept per question of another server's results.
const MAX_TEXTS: usize = 1_000;

/// Another server's survey, read from the wire by `federation::objects::survey`.
#[derive(Debug, Clone)]
pub struct RemoteSurvey {
    pub closes_at: NaiveDateTime,
    pub results_to_respondents: bool,
    pub questions: Vec<NewQuestion>,
    /// Respondents and one tally per question, when its origin shares them.
    pub results: Option<(i64, Vec<Tally>)>,
}

impl RemoteSurvey {
    /// The rows of the survey of status `status_id`: its questions checked as
    /// ours are (it may have closed: an update can say so). Results that do
    /// not fit the questions are dropped.
    pub fn rows(&self, status_id: i64) -> AppResult<SurveyRows> {
        if self.questions.is_empty() || self.questions.len() > MAX_QUESTIONS {
            return Err(invalid_field(
                "questions",
                format!("must number between 1 and {MAX_QUESTIONS}"),
            ));
        }
        let questions = self
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| question(status_id, i, q))
            .collect::<AppResult<Vec<_>>>()?;
        let results = self
            .results
            .as_ref()
            .filter(|r| self.results_to_respondents && fits(&questions, r))
            .and_then(|r| serde_json::to_string(r).ok());
        Ok(SurveyRows {
            survey: Survey {
                status_id,
                closes_at: self.closes_at,
                results_to_respondents: self.results_to_respondents,
                remote_results: results,
            },
            questions,
        })
    }
}

/// Whether results have one tally per question, of its kind and size.
fn fits(questions: &[Question], (respondents, tallies): &(i64, Vec<Tally>)) -> bool {
    use super::Kind::*;
    *respondents >= 0
        && tallies.len() == questions.len()
        && questions
            .iter()
            .zip(tallies)
            .all(|(q, t)| match (kind_of(q), t) {
                (Single | Multiple, Tally::Choices(c)) => {
                    c.len() == options_of(q).len() && c.iter().all(|n| *n >= 0)
                }
                (Scale, Tally::Scale { counts, .. }) => counts.iter().all(|n| *n >= 0),
                (Text, Tally::Texts(texts)) => texts.as_ref().is_none_or(|t| {
                    t.len() <= MAX_TEXTS && t.iter().all(|s| s.chars().count() <= MAX_TEXT)
                }),
                _ => false,
            })
}

/// The results another server shared for its survey, as stored.
pub fn stored_results(survey: &Survey) -> Option<(i64, Vec<Tally>)> {
    survey
        .remote_results
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
}

/// A partner's member's answers to one of our surveys, read from the wire.
#[derive(Debug, Clone)]
pub struct RemoteAnswer {
    /// Who answered (their actor id).
    pub respondent: String,
    /// The survey's status (None: not a reply, refused).
    pub survey: Option<String>,
    pub replies: Vec<Reply>,
}

/// Our survey and the respondent, if they may take part (as in a poll: a
/// member of its community, or one who may see a post outside communities).
fn target(c: &mut db::DbConn, a: &RemoteAnswer) -> AppResult<(Status, Actor)> {
    let url = a
        .survey
        .as_deref()
        .ok_or_else(|| AppError::bad_request("An answer replies to a survey"))?;
    let status = db::statuses::by_ap_id(c, url)?
        .filter(|s| s.local && !s.is_gone())
        .ok_or_else(AppError::not_found)?;
    let respondent = db::actors::by_ap_id(c, &a.respondent)?;
    if !crate::service::polls::may_take_part(c, &status, respondent.as_ref())? {
        return Err(AppError::not_found());
    }
    let respondent = respondent.ok_or_else(AppError::not_found)?;
    Ok((status, respondent))
}

/// Checks a remote answer before it is queued, so its sender hears a refusal
/// (closed, invalid, already answered) at once.
pub async fn check_remote_answer(state: &AppState, a: &RemoteAnswer) -> AppResult<()> {
    let a = a.clone();
    state
        .db
        .run(move |c| {
            let (status, respondent) = target(c, &a)?;
            check(c, &status, respondent.id, &a.replies).map(|_| ())
        })
        .await
}

/// Records a remote answer (checked again: another may have come meanwhile).
/// A refusal now is dropped with a log line, not retried: retrying would only
/// keep the answers, with the person's name, in the inbound queue.
pub async fn accept_remote_answer(state: &AppState, a: RemoteAnswer) -> AppResult<()> {
    let done = state
        .db
        .write(move |c| {
            let (status, respondent) = target(c, &a)?;
            let (survey, rows) = check(c, &status, respondent.id, &a.replies)?;
            record(c, &survey, respondent.id, &rows)
        })
        .await;
    match done {
        Ok(()) => {
            state.wake_delivery();
            Ok(())
        }
        Err(e) if e.status.is_client_error() => {
            tracing::info!(error = %e, "a remote survey answer was refused");
            Ok(())
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey(results: Option<(i64, Vec<Tally>)>) -> RemoteSurvey {
        let q = |kind: &str, options: &[&str]| NewQuestion {
            kind: kind.into(),
            prompt: "?".into(),
            options: options.iter().map(|o| o.to_string()).collect(),
        };
        RemoteSurvey {
            closes_at: crate::service::now(),
            results_to_respondents: true,
            questions: vec![q("single", &["a", "b"]), q("scale", &[]), q("text", &[])],
            results,
        }
    }

    #[test]
    fn remote_results_must_fit_the_questions() {
        let good = vec![
            Tally::Choices(vec![1, 2]),
            Tally::Scale {
                counts: [0, 0, 1, 2, 0],
                mean: Some(3.67),
            },
            Tally::Texts(None),
        ];
        let rows = survey(Some((3, good.clone()))).rows(9).unwrap();
        assert_eq!(stored_results(&rows.survey), Some((3, good.clone())));
        let mut wrong = good.clone();
        wrong[0] = Tally::Choices(vec![1, 2, 3]);
        let rows = survey(Some((3, wrong))).rows(9).unwrap();
        assert_eq!(rows.survey.remote_results, None);
        let mut swapped = good;
        swapped.swap(1, 2);
        assert!(
            survey(Some((3, swapped)))
                .rows(9)
                .unwrap()
                .survey
                .remote_results
                .is_none()
        );
        // Closed already, and questions checked as ours are.
        assert!(survey(None).rows(9).is_ok());
        let mut bad = survey(None);
        bad.questions[0].options.pop();
        assert!(bad.rows(9).is_err());
    }
}
