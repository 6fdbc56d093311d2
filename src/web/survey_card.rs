//! A survey as the pages show it: its questions as a plain HTML form for who
//! may still answer, and the aggregate results for who may see them.

use crate::service::surveys::{
    Kind,
    results::{SurveyView, Tally},
};

/// One question: its choices (value, label) for the form, and its results as
/// (label, figure) lines.
pub struct QuestionBox {
    pub position: usize,
    pub kind: &'static str,
    pub prompt: String,
    pub choices: Vec<(String, String)>,
    pub lines: Vec<(String, String)>,
    pub mean: Option<String>,
    /// Free texts withheld: fewer than five respondents.
    pub withheld: bool,
}

pub struct SurveyBox {
    pub id: i64,
    pub title: String,
    pub closes_at: String,
    pub closed: bool,
    pub answered: bool,
    pub may_answer: bool,
    pub is_author: bool,
    pub author_only: bool,
    pub respondents: Option<i64>,
    pub questions: Vec<QuestionBox>,
}

fn question(q: &crate::service::surveys::results::QuestionView, t: Option<&Tally>) -> QuestionBox {
    let choices = match q.kind {
        Kind::Single | Kind::Multiple => q
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| (i.to_string(), o.clone()))
            .collect(),
        Kind::Scale => (1..=5).map(|n| (n.to_string(), n.to_string())).collect(),
        Kind::Text => vec![],
    };
    let (mut lines, mut mean, mut withheld) = (vec![], None, false);
    match t {
        Some(Tally::Choices(counts)) => {
            lines = q
                .options
                .iter()
                .zip(counts)
                .map(|(o, c)| (o.clone(), c.to_string()))
                .collect();
        }
        Some(Tally::Scale { counts, mean: m }) => {
            lines = (1..=5)
                .zip(counts)
                .map(|(s, c)| (s.to_string(), c.to_string()))
                .collect();
            mean = m.map(|m| format!("{m:.2}"));
        }
        Some(Tally::Texts(Some(texts))) => {
            lines = texts.iter().map(|t| (t.clone(), String::new())).collect();
        }
        Some(Tally::Texts(None)) => withheld = true,
        None => {}
    }
    QuestionBox {
        position: q.position,
        kind: q.kind.as_str(),
        prompt: q.prompt.clone(),
        choices,
        lines,
        mean,
        withheld,
    }
}

impl SurveyBox {
    pub fn of(v: &SurveyView) -> Self {
        let tallies = v.results.as_ref().map(|(_, t)| t);
        Self {
            id: v.status.id,
            title: v.status.title.clone().unwrap_or_default(),
            closes_at: v.survey.closes_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            closed: v.closed,
            answered: v.answered,
            may_answer: v.may_answer(),
            is_author: v.is_author,
            author_only: !v.survey.results_to_respondents,
            respondents: v.results.as_ref().map(|(n, _)| *n),
            questions: v
                .questions
                .iter()
                .enumerate()
                .map(|(i, q)| question(q, tallies.and_then(|t| t.get(i))))
                .collect(),
        }
    }
}
