//! Surveys: a status (title, description, community) with several questions,
//! answered once per person and anonymously: who responded is kept apart from
//! what was answered. Creating one goes through `service::statuses` with a
//! `NewSurvey`, so visibility, deletion and federation are those of every post.

use chrono::NaiveDateTime;
use chrono_tz::Tz;

use crate::{
    db::surveys::{Question, Survey},
    error::{AppResult, invalid_field},
};

pub mod answers;
pub mod csv;
pub mod remote;
pub mod results;

pub use answers::{Reply, answer};

/// Questions a survey has at most.
pub const MAX_QUESTIONS: usize = 20;
/// Choices a choice question offers, at least and at most.
pub const MIN_OPTIONS: usize = 2;
pub const MAX_OPTIONS: usize = 20;
/// Longest question, option and free-text answer.
pub const MAX_PROMPT: usize = 500;
pub const MAX_OPTION: usize = 200;
pub const MAX_TEXT: usize = 2_000;
/// Free-text answers are shown only from this many respondents on.
pub const SMALLEST_SHOWN: i64 = 5;

/// What a question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Single,
    Multiple,
    /// A score from 1 to 5.
    Scale,
    Text,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "single" => Some(Kind::Single),
            "multiple" => Some(Kind::Multiple),
            "scale" => Some(Kind::Scale),
            "text" => Some(Kind::Text),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Single => "single",
            Kind::Multiple => "multiple",
            Kind::Scale => "scale",
            Kind::Text => "text",
        }
    }

    pub fn has_options(self) -> bool {
        matches!(self, Kind::Single | Kind::Multiple)
    }
}

/// A question as its author writes it.
#[derive(Debug, Clone, Default)]
pub struct NewQuestion {
    pub kind: String,
    pub prompt: String,
    pub options: Vec<String>,
}

/// A survey's questions and settings, as a person (or an app) gives them.
#[derive(Debug, Clone, Default)]
pub struct NewSurvey {
    /// RFC 3339, or a local date and time read in the instance's time zone.
    pub closes_at: String,
    /// Respondents see the aggregate results once they have answered.
    pub results_to_respondents: bool,
    pub questions: Vec<NewQuestion>,
}

/// A checked survey, ready to be written with its status.
#[derive(Debug, Clone)]
pub struct SurveyRows {
    pub survey: Survey,
    pub questions: Vec<Question>,
}

impl NewSurvey {
    /// The rows of the survey of status `status_id`, checked at `now`.
    pub fn rows(&self, status_id: i64, now: NaiveDateTime, zone: &str) -> AppResult<SurveyRows> {
        let zone: Tz = zone.parse().unwrap_or(Tz::UTC);
        let closes_at = crate::service::agenda::parse_time(&self.closes_at, zone, "closes_at")?;
        if closes_at <= now {
            return Err(invalid_field("closes_at", "must be in the future"));
        }
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
        Ok(SurveyRows {
            survey: Survey {
                status_id,
                closes_at,
                results_to_respondents: self.results_to_respondents,
                remote_results: None,
            },
            questions,
        })
    }
}

fn too_long(field: &str, max: usize) -> crate::error::AppError {
    invalid_field(field, format!("is too long (maximum is {max} characters)"))
}

/// Question `i`, checked.
pub(crate) fn question(status_id: i64, i: usize, q: &NewQuestion) -> AppResult<Question> {
    let field = |name: &str| format!("questions[{i}].{name}");
    let kind = Kind::parse(q.kind.trim())
        .ok_or_else(|| invalid_field(&field("kind"), "must be single, multiple, scale or text"))?;
    let prompt = q.prompt.trim();
    if prompt.is_empty() {
        return Err(invalid_field(&field("prompt"), "can't be blank"));
    }
    if prompt.chars().count() > MAX_PROMPT {
        return Err(too_long(&field("prompt"), MAX_PROMPT));
    }
    let options: Vec<String> = q
        .options
        .iter()
        .map(|o| o.trim().to_string())
        .filter(|o| !o.is_empty())
        .collect();
    if kind.has_options() {
        if !(MIN_OPTIONS..=MAX_OPTIONS).contains(&options.len()) {
            return Err(invalid_field(
                &field("options"),
                format!("must number between {MIN_OPTIONS} and {MAX_OPTIONS}"),
            ));
        }
        if options.iter().any(|o| o.chars().count() > MAX_OPTION) {
            return Err(too_long(&field("options"), MAX_OPTION));
        }
    } else if !options.is_empty() {
        return Err(invalid_field(
            &field("options"),
            "are only for choice questions",
        ));
    }
    Ok(Question {
        status_id,
        position: i as i32,
        kind: kind.as_str().to_string(),
        prompt: prompt.to_string(),
        options: serde_json::to_string(&options).unwrap_or_else(|_| "[]".into()),
    })
}

/// A stored question's choices.
pub fn options_of(q: &Question) -> Vec<String> {
    serde_json::from_str(&q.options).unwrap_or_default()
}

/// A stored question's kind (text if unknown).
pub fn kind_of(q: &Question) -> Kind {
    Kind::parse(&q.kind).unwrap_or(Kind::Text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(kind: &str, options: &[&str]) -> NewQuestion {
        NewQuestion {
            kind: kind.into(),
            prompt: "Why?".into(),
            options: options.iter().map(|o| o.to_string()).collect(),
        }
    }

    fn survey(questions: Vec<NewQuestion>) -> NewSurvey {
        NewSurvey {
            closes_at: "2030-01-01T10:00:00Z".into(),
            results_to_respondents: true,
            questions,
        }
    }

    fn now() -> NaiveDateTime {
        crate::service::now()
    }

    #[test]
    fn bad_input_names_its_field() {
        let err = survey(vec![]).rows(1, now(), "UTC").unwrap_err();
        assert!(err.to_string().contains("questions"), "{err}");
        let err = survey(vec![q("single", &["a"])])
            .rows(1, now(), "UTC")
            .unwrap_err();
        assert!(err.to_string().contains("questions[0].options"), "{err}");
        let err = survey(vec![q("scale", &[]), q("colour", &[])])
            .rows(1, now(), "UTC")
            .unwrap_err();
        assert!(err.to_string().contains("questions[1].kind"), "{err}");
        let mut s = survey(vec![q("text", &[])]);
        s.closes_at = "2001-01-01T00:00:00Z".into();
        let err = s.rows(1, now(), "UTC").unwrap_err();
        assert!(err.to_string().contains("closes_at"), "{err}");
        let many = (0..21).map(|_| q("text", &[])).collect();
        assert!(survey(many).rows(1, now(), "UTC").is_err());
    }

    #[test]
    fn good_input_makes_rows() {
        let rows = survey(vec![q("multiple", &["a", " b ", ""]), q("scale", &[])])
            .rows(7, now(), "UTC")
            .unwrap();
        assert_eq!(rows.questions.len(), 2);
        assert_eq!(options_of(&rows.questions[0]), vec!["a", "b"]);
        assert_eq!(kind_of(&rows.questions[1]), Kind::Scale);
    }
}
