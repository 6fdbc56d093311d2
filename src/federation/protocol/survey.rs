//! Passerelle's survey extension on the wire: a survey status's questions,
//! closing time and (when respondents may see them) aggregate results, as the
//! `survey` property of its `Page`; a partner's answer as the `surveyAnswer`
//! property of a `Note` replying to it. Both are JSON literals (`@json`) in our
//! namespace: software that does not know them ignores them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::post::lenient;

/// Flattened into every post object; empty but for surveys and answers.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SurveyFields {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub survey: Option<Survey>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub survey_answer: Option<Vec<Reply>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Survey {
    pub closes_at: DateTime<Utc>,
    /// `respondents` or `author`.
    pub results_visible_to: String,
    pub questions: Vec<Question>,
    /// Sent only when respondents may see them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<Results>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Question {
    /// `single`, `multiple`, `scale` (1 to 5) or `text`.
    pub kind: String,
    pub prompt: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Results {
    pub respondents: i64,
    /// One per question, in order.
    pub questions: Vec<Tally>,
}

/// One question's aggregate: `counts` per option, a scale's `distribution`
/// (scores 1 to 5), or free `texts` (absent and `withheld` below five respondents).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Tally {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts: Option<Vec<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<[i64; 5]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub texts: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub withheld: bool,
}

/// One question answered: the options ticked, the score given or the text written.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Reply {
    pub question: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}
