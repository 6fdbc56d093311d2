//! Answering a survey: once per person, before it closes, by who may see it.
//! The answers are stored without the person; their response is recorded
//! apart, so that nobody answers twice.

use crate::{
    db::{
        self,
        actors::Actor,
        statuses::Status,
        surveys::{AnswerRow, Question, Survey},
    },
    error::{AppError, AppResult, invalid_field},
    model::id::new_id,
    service::{
        events::{self, Event},
        now,
        statuses::visible,
    },
    state::AppState,
};

use super::{Kind, MAX_TEXT, kind_of, options_of};

/// Where a local person's answers to another server's survey live on the wire
/// (`{base}/survey-answers/{id}`): the delivery workers forget what such an
/// activity said once it is delivered.
pub const ANSWER_PATH: &str = "/survey-answers/";

/// A person's answer to one question (by position): the choices ticked, the
/// score given or the text written, as the question asks.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Reply {
    pub question: usize,
    pub choices: Vec<usize>,
    pub score: Option<i32>,
    pub text: Option<String>,
}

/// A random id: answer ids say nothing of when, or in what order, people answered.
fn anonymous_id() -> i64 {
    (rand::random::<u64>() >> 1) as i64
}

/// The rows of one person's replies, checked against the questions. Choice
/// and scale questions must be answered; free text may be left blank.
pub fn rows(
    status_id: i64,
    questions: &[Question],
    replies: &[Reply],
) -> AppResult<Vec<AnswerRow>> {
    let mut out = vec![];
    for (i, q) in questions.iter().enumerate() {
        let field = format!("answers[{i}]");
        let mut mine = replies.iter().filter(|r| r.question == i);
        let reply = mine.next().cloned().unwrap_or_default();
        if mine.next().is_some() {
            return Err(invalid_field(&field, "is given twice"));
        }
        let row = |choice, score, text| AnswerRow {
            id: anonymous_id(),
            status_id,
            question: i as i32,
            choice,
            score,
            text,
        };
        match kind_of(q) {
            Kind::Single | Kind::Multiple => {
                let single = kind_of(q) == Kind::Single;
                let mut choices = reply.choices.clone();
                choices.sort_unstable();
                choices.dedup();
                let count = options_of(q).len();
                if choices.iter().any(|c| *c >= count) {
                    return Err(invalid_field(&field, "names an option that does not exist"));
                }
                if choices.is_empty() || (single && choices.len() > 1) {
                    let why = if single {
                        "must pick one option"
                    } else {
                        "must pick at least one option"
                    };
                    return Err(invalid_field(&field, why));
                }
                out.extend(choices.into_iter().map(|c| row(Some(c as i32), None, None)));
            }
            Kind::Scale => match reply.score {
                Some(s) if (1..=5).contains(&s) => out.push(row(None, Some(s), None)),
                _ => return Err(invalid_field(&field, "must be a score from 1 to 5")),
            },
            Kind::Text => {
                let text = reply.text.as_deref().unwrap_or("").trim();
                if text.chars().count() > MAX_TEXT {
                    return Err(invalid_field(
                        &field,
                        format!("is too long (maximum is {MAX_TEXT} characters)"),
                    ));
                }
                if !text.is_empty() {
                    out.push(row(None, None, Some(text.to_string())));
                }
            }
        }
    }
    if let Some(r) = replies.iter().find(|r| r.question >= questions.len()) {
        return Err(invalid_field(
            &format!("answers[{}]", r.question),
            "names a question that does not exist",
        ));
    }
    Ok(out)
}

/// A local person answers a survey they may see, once, while it is open. Ours
/// is recorded here; another server's answers go to its author's server
/// (`Event::SurveyAnswered`), and only the fact that the person answered stays
/// here, so the form is not shown twice.
pub async fn answer(
    state: &AppState,
    person: &Actor,
    status_id: i64,
    replies: Vec<Reply>,
) -> AppResult<()> {
    let status = visible(state, status_id, Some(person)).await?;
    let person_id = person.id;
    let base = state.urls.base().to_string();
    state
        .db
        .write(move |c| {
            let (survey, rows) = check(c, &status, person_id, &replies)?;
            if status.local {
                return record(c, &survey, person_id, &rows);
            }
            db::surveys::respond(c, status.id, person_id, &[])?;
            let answered = Event::SurveyAnswered {
                status_id: status.id,
                actor_id: person_id,
                activity_id: format!("{base}{ANSWER_PATH}{}", new_id()),
                answers: replies,
            };
            events::store(c, &[answered])
        })
        .await?;
    state.wake_delivery();
    Ok(())
}

/// The one rule of answering, for local and remote respondents alike: the
/// status is a survey, still open, the replies fit its questions, and the
/// respondent has not answered yet. The survey and the rows to store.
pub(super) fn check(
    c: &mut db::DbConn,
    status: &Status,
    respondent_id: i64,
    replies: &[Reply],
) -> AppResult<(Survey, Vec<AnswerRow>)> {
    let survey = db::surveys::by_status(c, status.id)?
        .ok_or_else(|| AppError::unprocessable("This is not a survey"))?;
    if now() >= survey.closes_at {
        return Err(AppError::unprocessable("This survey is closed"));
    }
    let questions = db::surveys::questions(c, status.id)?;
    let rows = rows(status.id, &questions, replies)?;
    if db::surveys::has_responded(c, status.id, respondent_id)? {
        return Err(AppError::unprocessable(
            "You have already answered this survey",
        ));
    }
    Ok((survey, rows))
}

/// Records an answer to one of our surveys (checked by `check`): who responded
/// and what was answered, apart. When respondents see the results, partners
/// holding the survey hear the new totals (an `Update`; queued updates of one
/// status are sent once, so a burst of answers makes one).
pub(super) fn record(
    c: &mut db::DbConn,
    survey: &Survey,
    respondent_id: i64,
    rows: &[AnswerRow],
) -> AppResult<()> {
    db::surveys::respond(c, survey.status_id, respondent_id, rows)?;
    if survey.results_to_respondents {
        events::store(
            c,
            &[Event::StatusUpdated {
                status_id: survey.status_id,
            }],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(kind: &str, options: &str) -> Question {
        Question {
            status_id: 1,
            position: 0,
            kind: kind.into(),
            prompt: "?".into(),
            options: options.into(),
        }
    }

    fn reply(question: usize, choices: &[usize], score: Option<i32>) -> Reply {
        Reply {
            question,
            choices: choices.to_vec(),
            score,
            text: None,
        }
    }

    #[test]
    fn each_kind_is_checked() {
        let qs = [
            q("single", r#"["a","b"]"#),
            q("multiple", r#"["a","b","c"]"#),
            q("scale", "[]"),
        ];
        let ok = rows(
            1,
            &qs,
            &[
                reply(0, &[1], None),
                reply(1, &[0, 2], None),
                reply(2, &[], Some(4)),
            ],
        )
        .unwrap();
        assert_eq!(ok.len(), 4);
        let err = rows(
            1,
            &qs,
            &[
                reply(0, &[0, 1], None),
                reply(1, &[0], None),
                reply(2, &[], Some(4)),
            ],
        )
        .unwrap_err();
        assert!(err.to_string().contains("answers[0]"), "{err}");
        let err = rows(
            1,
            &qs,
            &[
                reply(0, &[0], None),
                reply(1, &[3], None),
                reply(2, &[], Some(4)),
            ],
        )
        .unwrap_err();
        assert!(err.to_string().contains("answers[1]"), "{err}");
        let err = rows(
            1,
            &qs,
            &[
                reply(0, &[0], None),
                reply(1, &[0], None),
                reply(2, &[], Some(6)),
            ],
        )
        .unwrap_err();
        assert!(err.to_string().contains("answers[2]"), "{err}");
        let err = rows(
            1,
            &qs,
            &[
                reply(0, &[0], None),
                reply(1, &[0], None),
                reply(2, &[], Some(3)),
                reply(9, &[], None),
            ],
        )
        .unwrap_err();
        assert!(err.to_string().contains("answers[9]"), "{err}");
    }
}
