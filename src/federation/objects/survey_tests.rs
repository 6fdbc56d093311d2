//! The survey extension written and read back, as a partner would.

use serde_json::{Value, json};
use url::Url;

use super::*;
use crate::db::surveys::{Question, Survey};

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn question(position: i32, kind: &str, options: &str) -> Question {
    Question {
        status_id: 1,
        position,
        kind: kind.into(),
        prompt: format!("Question {position}?"),
        options: options.into(),
    }
}

fn page() -> ApPost {
    serde_json::from_value(json!({
        "type": "Page",
        "id": "https://a.example/statuses/1",
        "attributedTo": "https://a.example/users/alice",
        "name": "Canteen",
        "content": "<p>Tell us</p>"
    }))
    .unwrap()
}

#[test]
fn a_survey_travels_with_its_results() {
    let closes_at = chrono::DateTime::parse_from_rfc3339("2030-01-01T10:00:00Z")
        .unwrap()
        .naive_utc();
    let survey = Survey {
        status_id: 1,
        closes_at,
        results_to_respondents: true,
        remote_results: None,
    };
    let questions = [
        question(0, "single", r#"["Yes","No"]"#),
        question(1, "scale", "[]"),
        question(2, "text", "[]"),
    ];
    let results = (
        2,
        vec![
            Tally::Choices(vec![2, 0]),
            Tally::scale([0, 0, 1, 1, 0]),
            Tally::Texts(None),
        ],
    );
    let mut post = page();
    to_ap(
        &mut post,
        "https://a.example/posts/1",
        (&survey, &questions),
        Some(&results),
    );
    let sent = serde_json::to_value(&post).unwrap();
    assert_eq!(
        sent["content"],
        "<p>📋 Survey, open until 2030-01-01 10:00 UTC: <a href=\"https://a.example/posts/1\">\
         https://a.example/posts/1</a></p><p>Tell us</p>"
    );
    assert_eq!(
        sent["survey"],
        json!({
            "closesAt": "2030-01-01T10:00:00Z",
            "resultsVisibleTo": "respondents",
            "questions": [
                {"kind": "single", "prompt": "Question 0?", "options": ["Yes", "No"]},
                {"kind": "scale", "prompt": "Question 1?"},
                {"kind": "text", "prompt": "Question 2?"}
            ],
            "results": {"respondents": 2, "questions": [
                {"counts": [2, 0]}, {"distribution": [0, 0, 1, 1, 0]}, {"withheld": true}
            ]}
        })
    );
    assert!(sent.get("surveyAnswer").is_none());

    let read: ApPost = serde_json::from_value(sent).unwrap();
    assert_eq!(without_link_line(&read.content), "<p>Tell us</p>");
    let remote = from_ap(&read).unwrap();
    assert_eq!(remote.closes_at, closes_at);
    assert!(remote.results_to_respondents);
    assert_eq!(remote.questions[0].options, vec!["Yes", "No"]);
    assert_eq!(remote.results, Some(results));
    let rows = remote.rows(5).unwrap();
    assert_eq!(rows.questions.len(), 3);
    assert!(rows.survey.remote_results.is_some());
}

#[test]
fn other_objects_carry_no_survey() {
    let plain = page();
    assert!(from_ap(&plain).is_none());
    let sent = serde_json::to_value(&plain).unwrap();
    assert!(sent.get("survey").is_none());
    assert_eq!(without_link_line("<p>📝 hi</p>"), "<p>📝 hi</p>");
    // A malformed extension is ignored, not a reason to refuse the post.
    let odd: ApPost = serde_json::from_value(json!({
        "type": "Page", "id": "https://a.example/statuses/2",
        "attributedTo": "https://a.example/users/alice", "survey": {"questions": 3}
    }))
    .unwrap();
    assert!(from_ap(&odd).is_none());
}

#[test]
fn an_answer_is_a_note_for_the_author_only() {
    let replies = vec![
        Reply {
            question: 0,
            choices: vec![1],
            ..Default::default()
        },
        Reply {
            question: 1,
            score: Some(4),
            ..Default::default()
        },
        Reply {
            question: 2,
            text: Some("More soup".into()),
            ..Default::default()
        },
    ];
    let note = answer_to_ap(
        url("https://b.example/survey-answers/9"),
        url("https://b.example/users/bob"),
        (
            url("https://a.example/statuses/1"),
            url("https://a.example/users/alice"),
        ),
        &replies,
    );
    let sent = serde_json::to_value(&note).unwrap();
    assert_eq!(sent["to"], json!(["https://a.example/users/alice"]));
    assert_eq!(sent.get("cc"), None);
    assert_eq!(sent.get("name"), None);
    assert_eq!(sent["inReplyTo"], "https://a.example/statuses/1");
    assert_eq!(
        sent["surveyAnswer"],
        json!([{"question": 0, "choices": [1]}, {"question": 1, "score": 4},
               {"question": 2, "text": "More soup"}])
    );
    let read: ApPost = serde_json::from_value(sent).unwrap();
    assert!(read.is_survey_answer());
    assert!(!read.is_vote());
    let answer = answer_from_ap(&read);
    assert_eq!(answer.respondent, "https://b.example/users/bob");
    assert_eq!(
        answer.survey.as_deref(),
        Some("https://a.example/statuses/1")
    );
    assert_eq!(answer.replies.len(), 3);
    assert_eq!(answer.replies[1].score, Some(4));
    assert_eq!(answer.replies[2].text.as_deref(), Some("More soup"));
    // A reply without the extension is an ordinary comment.
    let mut comment: Value = serde_json::to_value(&note).unwrap();
    comment.as_object_mut().unwrap().remove("surveyAnswer");
    let comment: ApPost = serde_json::from_value(comment).unwrap();
    assert!(!comment.is_survey_answer());
}
