//! Reading a survey: its questions, whether the reader answered, and (for the
//! author, or respondents when the author allows it) aggregate results only:
//! counts per option, the spread and mean of scales, and free texts once at
//! least five people responded. Never who answered what.

use crate::{
    db::{
        self,
        actors::Actor,
        statuses::Status,
        surveys::{AnswerRow, Question, Survey},
    },
    error::{AppError, AppResult},
    service::{now, statuses::visible},
    state::AppState,
};

use super::{Kind, SMALLEST_SHOWN, kind_of, options_of};

/// A question as readers see it.
#[derive(Debug, Clone)]
pub struct QuestionView {
    pub position: usize,
    pub kind: Kind,
    pub prompt: String,
    pub options: Vec<String>,
}

/// The aggregate answers to one question (stored as JSON for another server's
/// survey, see `remote`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Tally {
    /// How many ticked each option, in the options' order.
    Choices(Vec<i64>),
    /// How many gave each score from 1 to 5, and their mean.
    Scale { counts: [i64; 5], mean: Option<f64> },
    /// The texts written (sorted), or `None` when withheld (fewer than five respondents).
    Texts(Option<Vec<String>>),
}

impl Tally {
    /// A scale's tally from how many gave each score from 1 to 5.
    pub fn scale(counts: [i64; 5]) -> Tally {
        let n: i64 = counts.iter().sum();
        let sum: i64 = counts.iter().zip(1..).map(|(c, s)| c * s).sum();
        let mean = (n > 0).then(|| sum as f64 / n as f64);
        Tally::Scale { counts, mean }
    }
}

/// A survey as one reader sees it.
#[derive(Debug, Clone)]
pub struct SurveyView {
    pub status: Status,
    pub survey: Survey,
    pub questions: Vec<QuestionView>,
    /// The reader responded.
    pub answered: bool,
    /// Who wrote it.
    pub author: Actor,
    /// The reader wrote it.
    pub is_author: bool,
    pub closed: bool,
    /// Respondents so far, with the results, when the reader may see them.
    pub results: Option<(i64, Vec<Tally>)>,
}

impl SurveyView {
    /// The reader may answer now.
    pub fn may_answer(&self) -> bool {
        !self.closed && !self.answered
    }
}

/// Whether `reader` may see the results.
fn may_see_results(survey: &Survey, author: bool, answered: bool) -> bool {
    author || (answered && survey.results_to_respondents)
}

/// The tallies of `answers` for `questions`, `respondents` having responded.
pub fn tally(questions: &[QuestionView], answers: &[AnswerRow], respondents: i64) -> Vec<Tally> {
    questions
        .iter()
        .map(|q| {
            let mine = answers.iter().filter(|a| a.question as usize == q.position);
            match q.kind {
                Kind::Single | Kind::Multiple => {
                    let mut counts = vec![0; q.options.len()];
                    for c in mine.filter_map(|a| a.choice) {
                        if let Some(n) = counts.get_mut(c as usize) {
                            *n += 1;
                        }
                    }
                    Tally::Choices(counts)
                }
                Kind::Scale => {
                    let mut counts = [0i64; 5];
                    for s in mine.filter_map(|a| a.score) {
                        if let Some(n) = counts.get_mut((s - 1) as usize) {
                            *n += 1;
                        }
                    }
                    Tally::scale(counts)
                }
                Kind::Text => Tally::Texts((respondents >= SMALLEST_SHOWN).then(|| {
                    let mut texts: Vec<String> = mine.filter_map(|a| a.text.clone()).collect();
                    texts.sort();
                    texts
                })),
            }
        })
        .collect()
}

/// The results of one of our surveys, counted now.
fn counted(
    c: &mut db::DbConn,
    status_id: i64,
    questions: &[QuestionView],
) -> AppResult<(i64, Vec<Tally>)> {
    let respondents = db::surveys::respondent_count(c, status_id)?;
    let answers = db::surveys::answers(c, status_id)?;
    Ok((respondents, tally(questions, &answers, respondents)))
}

/// The results a survey's object carries to other servers: only when
/// respondents may see them (an author-only survey's never leave), counted
/// here for ours, as shared by its origin for another server's.
pub fn shared(
    c: &mut db::DbConn,
    status: &Status,
    survey: &Survey,
) -> AppResult<Option<(i64, Vec<Tally>)>> {
    if !survey.results_to_respondents {
        return Ok(None);
    }
    if !status.local {
        return Ok(super::remote::stored_results(survey));
    }
    let questions: Vec<QuestionView> = db::surveys::questions(c, status.id)?
        .iter()
        .map(question_view)
        .collect();
    counted(c, status.id, &questions).map(Some)
}

pub(crate) fn question_view(q: &Question) -> QuestionView {
    QuestionView {
        position: q.position as usize,
        kind: kind_of(q),
        prompt: q.prompt.clone(),
        options: options_of(q),
    }
}

/// The survey of status `id` as `me` sees it (404 if they may not see it).
pub async fn one(state: &AppState, me: Option<&Actor>, id: i64) -> AppResult<SurveyView> {
    let status = visible(state, id, me).await?;
    let me = me.map(|m| m.id);
    state
        .db
        .run(move |c| {
            let survey = db::surveys::by_status(c, status.id)?.ok_or_else(AppError::not_found)?;
            view(c, status, survey, me)
        })
        .await
}

/// The view of a survey the reader may see.
pub fn view(
    c: &mut db::DbConn,
    status: Status,
    survey: Survey,
    me: Option<i64>,
) -> AppResult<SurveyView> {
    let questions: Vec<QuestionView> = db::surveys::questions(c, status.id)?
        .iter()
        .map(question_view)
        .collect();
    let is_author = me == Some(status.actor_id);
    let answered = match me {
        Some(m) => db::surveys::has_responded(c, status.id, m)?,
        None => false,
    };
    let results = if !may_see_results(&survey, is_author, answered) {
        None
    } else if status.local {
        Some(counted(c, status.id, &questions)?)
    } else {
        // Answers to another server's survey are counted there; it shares the totals.
        super::remote::stored_results(&survey)
    };
    Ok(SurveyView {
        closed: now() >= survey.closes_at,
        author: db::actors::by_id(c, status.actor_id)?,
        status,
        survey,
        questions,
        answered,
        is_author,
        results,
    })
}

/// A community's surveys the reader may see, newest first. The caller has
/// checked that the reader may see the community.
pub async fn of_community(
    state: &AppState,
    community: &Actor,
    me: Option<&Actor>,
) -> AppResult<Vec<SurveyView>> {
    let (id, me) = (community.id, me.cloned());
    state
        .db
        .run(move |c| {
            let mut out = vec![];
            for (survey, status) in db::surveys::in_community(c, id, 100)? {
                if db::visibility::can_see(c, &status, me.as_ref())? {
                    out.push(view(c, status, survey, me.as_ref().map(|m| m.id))?);
                }
            }
            Ok(out)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(
        question: i32,
        choice: Option<i32>,
        score: Option<i32>,
        text: Option<&str>,
    ) -> AnswerRow {
        AnswerRow {
            id: 0,
            status_id: 1,
            question,
            choice,
            score,
            text: text.map(String::from),
        }
    }

    #[test]
    fn tallies_count_and_withhold() {
        let qs = vec![
            QuestionView {
                position: 0,
                kind: Kind::Multiple,
                prompt: "?".into(),
                options: vec!["a".into(), "b".into()],
            },
            QuestionView {
                position: 1,
                kind: Kind::Scale,
                prompt: "?".into(),
                options: vec![],
            },
            QuestionView {
                position: 2,
                kind: Kind::Text,
                prompt: "?".into(),
                options: vec![],
            },
        ];
        let answers = vec![
            answer(0, Some(0), None, None),
            answer(0, Some(1), None, None),
            answer(0, Some(1), None, None),
            answer(1, None, Some(2), None),
            answer(1, None, Some(5), None),
            answer(2, None, None, Some("zed")),
            answer(2, None, None, Some("alpha")),
        ];
        let t = tally(&qs, &answers, 4);
        assert_eq!(t[0], Tally::Choices(vec![1, 2]));
        assert_eq!(
            t[1],
            Tally::Scale {
                counts: [0, 1, 0, 0, 1],
                mean: Some(3.5)
            }
        );
        assert_eq!(t[2], Tally::Texts(None));
        let t = tally(&qs, &answers, 5);
        assert_eq!(t[2], Tally::Texts(Some(vec!["alpha".into(), "zed".into()])));
    }
}
