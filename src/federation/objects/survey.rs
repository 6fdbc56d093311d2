//! Surveys on the wire, both ways (Passerelle's extension, `protocol::survey`).
//! Software that ignores the extension still gets the survey's title and
//! description, with a first line linking to the survey's page on its origin,
//! where it can be read (answering takes an account there or on a partner).

use chrono::NaiveDateTime;

use crate::{
    db::surveys::{Question, Survey},
    federation::protocol::{
        post::ApPost,
        survey::{self as wire, SurveyFields},
    },
    service::surveys::{
        Kind, NewQuestion, Reply, kind_of, options_of,
        remote::{RemoteAnswer, RemoteSurvey},
        results::Tally,
    },
};

/// The first paragraph of a survey's content: its closing time and the link
/// to its page (as the Mastodon API writes it for apps).
fn link_line(page: &str, closes_at: NaiveDateTime) -> String {
    format!(
        "<p>📋 Survey, open until {}: <a href=\"{page}\">{page}</a></p>",
        closes_at.format("%Y-%m-%d %H:%M UTC")
    )
}

/// The content without the link line `to_ap` put first (for a partner that
/// shows the survey itself, with its own link).
pub fn without_link_line(content: &str) -> &str {
    if content.starts_with("<p>📋 ")
        && let Some(end) = content.find("</p>")
    {
        return &content[end + "</p>".len()..];
    }
    content
}

fn tally_to_ap(t: &Tally) -> wire::Tally {
    match t {
        Tally::Choices(counts) => wire::Tally {
            counts: Some(counts.clone()),
            ..Default::default()
        },
        Tally::Scale { counts, .. } => wire::Tally {
            distribution: Some(*counts),
            ..Default::default()
        },
        Tally::Texts(texts) => wire::Tally {
            texts: texts.clone(),
            withheld: texts.is_none(),
            ..Default::default()
        },
    }
}

/// Makes `post` carry a survey: the link line first in its content, and the
/// extension with the results shared (`service::surveys::results::shared`).
pub fn to_ap(
    post: &mut ApPost,
    page: &str,
    (survey, questions): (&Survey, &[Question]),
    results: Option<&(i64, Vec<Tally>)>,
) {
    post.content = format!("{}{}", link_line(page, survey.closes_at), post.content);
    post.survey.survey = Some(wire::Survey {
        closes_at: survey.closes_at.and_utc(),
        results_visible_to: if survey.results_to_respondents {
            "respondents"
        } else {
            "author"
        }
        .into(),
        questions: questions
            .iter()
            .map(|q| wire::Question {
                kind: kind_of(q).as_str().into(),
                prompt: q.prompt.clone(),
                options: options_of(q),
            })
            .collect(),
        results: results.map(|(respondents, tallies)| wire::Results {
            respondents: *respondents,
            questions: tallies.iter().map(tally_to_ap).collect(),
        }),
    });
}

/// One wire tally read as the question `kind` expects (None if it does not fit).
fn tally_from_ap(kind: Option<Kind>, t: &wire::Tally) -> Option<Tally> {
    match kind? {
        Kind::Single | Kind::Multiple => t.counts.clone().map(Tally::Choices),
        Kind::Scale => t.distribution.map(Tally::scale),
        Kind::Text => Some(Tally::Texts(if t.withheld {
            None
        } else {
            Some(t.texts.clone()?)
        })),
    }
}

/// A partner Passerelle's survey, as the rules take it (checked when stored).
pub fn from_ap(post: &ApPost) -> Option<RemoteSurvey> {
    let s = post.survey.survey.as_ref()?;
    let kinds: Vec<Option<Kind>> = s.questions.iter().map(|q| Kind::parse(&q.kind)).collect();
    let results = s.results.as_ref().and_then(|r| {
        let tallies = r
            .questions
            .iter()
            .zip(&kinds)
            .map(|(t, k)| tally_from_ap(*k, t))
            .collect::<Option<Vec<_>>>()?;
        Some((r.respondents, tallies))
    });
    Some(RemoteSurvey {
        closes_at: s.closes_at.naive_utc(),
        results_to_respondents: s.results_visible_to == "respondents",
        questions: s
            .questions
            .iter()
            .map(|q| NewQuestion {
                kind: q.kind.clone(),
                prompt: q.prompt.clone(),
                options: q.options.clone(),
            })
            .collect(),
        results,
    })
}

/// A local person's answers to another server's survey: a `Note` replying to
/// it, to its author only, with nothing but `surveyAnswer` (no name, so no
/// server reads it as a poll vote; no content, so none shows it as a reply).
pub fn answer_to_ap(
    id: url::Url,
    respondent: url::Url,
    (survey, author): (url::Url, url::Url),
    replies: &[Reply],
) -> ApPost {
    let mut note = ApPost::vote(id, respondent, String::new(), survey, author);
    note.name = None;
    note.survey = SurveyFields {
        survey: None,
        survey_answer: Some(
            replies
                .iter()
                .map(|r| wire::Reply {
                    question: r.question,
                    choices: r.choices.clone(),
                    score: r.score,
                    text: r.text.clone(),
                })
                .collect(),
        ),
    };
    note
}

/// A partner's answers to one of our surveys (see `ApPost::is_survey_answer`).
pub fn answer_from_ap(post: &ApPost) -> RemoteAnswer {
    RemoteAnswer {
        respondent: post.attributed_to.to_string(),
        survey: post.in_reply_to.as_ref().map(url::Url::to_string),
        replies: post
            .survey
            .survey_answer
            .iter()
            .flatten()
            .map(|r| Reply {
                question: r.question,
                choices: r.choices.clone(),
                score: r.score,
                text: r.text.clone(),
            })
            .collect(),
    }
}

#[cfg(test)]
#[path = "survey_tests.rs"]
mod tests;
