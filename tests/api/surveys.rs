//! Surveys through the API and the pages: creating (with errors naming their
//! field), answering once, anonymity (no answer tied to a person in any
//! output), free texts withheld below 5 respondents, who sees the results,
//! closing, a members-only community's survey kept from outsiders.

use serde_json::{Value, json};

use crate::{
    backend_tests,
    browser::Browser,
    helpers::{Backend, TestApp, json, spawn_app},
};

fn questions() -> Value {
    json!([
        {"kind": "single", "prompt": "Best day?", "options": ["Monday", "Friday"]},
        {"kind": "multiple", "prompt": "Which snacks?", "options": ["Fruit", "Cake", "Nuts"]},
        {"kind": "scale", "prompt": "How was the offsite?"},
        {"kind": "text", "prompt": "Anything else?"}
    ])
}

async fn create(app: &TestApp, token: &str, community: &str, extra: Value) -> (u16, Value) {
    let mut body = json!({
        "title": "Team survey", "description": "Tell us",
        "closes_at": "2030-01-01T10:00:00Z", "questions": questions()
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    app.post_json(
        token,
        &format!("/api/passerelle/v1/communities/{community}/surveys"),
        body,
    )
    .await
}

fn full_answer(day: usize, score: i64, text: &str) -> Value {
    json!({"answers": [
        {"question": 0, "choices": [day]},
        {"question": 1, "choices": [0, 2]},
        {"question": 2, "score": score},
        {"question": 3, "text": text}
    ]})
}

async fn answer(app: &TestApp, token: &str, id: &str, body: Value) -> (u16, Value) {
    app.post_json(
        token,
        &format!("/api/passerelle/v1/surveys/{id}/answer"),
        body,
    )
    .await
}

async fn read(app: &TestApp, token: &str, id: &str) -> (u16, Value) {
    json(
        app.get_auth(&format!("/api/passerelle/v1/surveys/{id}"), token)
            .await,
    )
    .await
}

async fn surveys_created_and_answered_anonymously(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let devs = app.community(&alice, "devs", "public").await;

    // Bad input names its field and creates nothing.
    let bad = [
        (json!({"questions": []}), "questions"),
        (json!({"closes_at": "2001-01-01T00:00:00Z"}), "closes_at"),
        (json!({"closes_at": "whenever"}), "closes_at"),
        (json!({"title": null}), "title"),
        (
            json!({"results_visible_to": "everyone"}),
            "results_visible_to",
        ),
        (
            json!({"questions": [{"kind": "single", "prompt": "?", "options": ["only one"]}]}),
            "questions[0].options",
        ),
        (
            json!({"questions": [{"kind": "scale", "prompt": "?"}, {"kind": "vote", "prompt": "?"}]}),
            "questions[1].kind",
        ),
    ];
    for (extra, field) in bad {
        let (status, e) = create(&app, &alice, &devs, extra).await;
        assert_eq!(status, 422, "{e}");
        assert!(e["error"].as_str().unwrap().contains(field), "{field}: {e}");
    }
    let many: Vec<Value> = (0..21)
        .map(|_| json!({"kind": "text", "prompt": "?"}))
        .collect();
    let (status, _) = create(&app, &alice, &devs, json!({ "questions": many })).await;
    assert_eq!(status, 422, "at most 20 questions");

    let (status, s) = create(&app, &alice, &devs, json!({})).await;
    assert_eq!(status, 200, "{s}");
    let id = s["id"].as_str().unwrap().to_string();
    assert_eq!(s["questions"].as_array().unwrap().len(), 4);
    assert_eq!(
        s["questions"][1]["options"],
        json!(["Fruit", "Cake", "Nuts"])
    );
    assert_eq!(s["anonymous"], true);
    assert_eq!(s["answered"], false);
    assert_eq!(
        s["results"]["respondents_count"], 0,
        "the author sees results"
    );

    // A Mastodon app sees a status saying it is a survey, with its link.
    let (status, st) = json(
        app.get_auth(&format!("/api/v1/statuses/{id}"), &alice)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{st}");
    let content = st["content"].as_str().unwrap();
    assert!(
        content.contains("Survey") && content.contains(&format!("/posts/{id}")),
        "{content}"
    );

    let names = ["bob", "carol", "dave", "erin", "frank"];
    let mut people = vec![];
    for name in names {
        let t = app.user_with_token(name, "read write follow").await;
        app.join(&t, &devs).await;
        people.push(t);
    }

    // Answers are checked per kind, naming the question.
    let mut wrong = full_answer(0, 4, "");
    wrong["answers"][0]["choices"] = json!([0, 1]);
    let (status, e) = answer(&app, &people[0], &id, wrong).await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"].as_str().unwrap().contains("answers[0]"), "{e}");
    let (status, e) = answer(&app, &people[0], &id, full_answer(0, 6, "")).await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"].as_str().unwrap().contains("answers[2]"), "{e}");
    let (status, e) = answer(&app, &people[0], &id, full_answer(5, 3, "")).await;
    assert_eq!(status, 422, "{e}");

    // Four answer; once each.
    let texts = ["More cake please", "", "Great team", "Quieter room"];
    for (i, t) in people.iter().take(4).enumerate() {
        let (status, r) = answer(&app, t, &id, full_answer(i % 2, 1 + i as i64, texts[i])).await;
        assert_eq!(status, 200, "{r}");
        assert_eq!(r["answered"], true);
    }
    let (status, e) = answer(&app, &people[0], &id, full_answer(0, 3, "again")).await;
    assert_eq!(status, 422, "answering twice: {e}");
    assert!(e["error"].as_str().unwrap().contains("already"), "{e}");

    let (_, s) = read(&app, &alice, &id).await;
    let r = &s["results"];
    assert_eq!(r["respondents_count"], 4, "{s}");
    assert_eq!(r["questions"][0]["counts"], json!([2, 2]));
    assert_eq!(r["questions"][1]["counts"], json!([4, 0, 4]));
    assert_eq!(r["questions"][2]["distribution"], json!([1, 1, 1, 1, 0]));
    assert_eq!(r["questions"][2]["mean"], 2.5);
    assert_eq!(
        r["questions"][3]["texts"],
        Value::Null,
        "withheld below 5: {s}"
    );
    assert_eq!(r["questions"][3]["withheld"], true);
    let (_, csv) = csv_status(&app, &alice, &id).await;
    assert!(!csv.contains("Great team"), "{csv}");
    assert!(csv.contains("withheld"), "{csv}");

    // The fifth respondent: free texts appear, sorted, tied to nobody.
    let (status, _) = answer(&app, &people[4], &id, full_answer(1, 5, "Zen garden")).await;
    assert_eq!(status, 200);
    let (_, s) = read(&app, &alice, &id).await;
    assert_eq!(
        s["results"]["questions"][3]["texts"],
        json!([
            "Great team",
            "More cake please",
            "Quieter room",
            "Zen garden"
        ]),
        "{s}"
    );
    let (status, csv) = csv_status(&app, &alice, &id).await;
    assert_eq!(status, 200, "{csv}");
    assert!(
        csv.starts_with("question,kind,prompt,answer,count"),
        "{csv}"
    );
    assert!(
        csv.contains("Best day?,Friday,") || csv.contains("single,Best day?,Friday,3"),
        "{csv}"
    );
    assert!(csv.contains("Zen garden"), "{csv}");

    // No output says who answered what.
    let results = s["results"].to_string();
    for (name, t) in names.iter().zip(&people) {
        let account = app.account_id(t).await;
        for out in [&results, &csv] {
            assert!(!out.contains(&account), "{account} in {out}");
            assert!(!out.contains(name), "{name} in {out}");
        }
    }

    // Only the author exports; a respondent gets 403.
    let (status, _) = csv_status(&app, &people[0], &id).await;
    assert_eq!(status, 403);
}

async fn csv_status(app: &TestApp, token: &str, id: &str) -> (u16, String) {
    let resp = app
        .get_auth(
            &format!("/api/passerelle/v1/surveys/{id}/results.csv"),
            token,
        )
        .await;
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap())
}

async fn results_shown_as_the_author_chose(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let devs = app.community(&alice, "devs", "public").await;
    app.join(&bob, &devs).await;

    let (_, open) = create(&app, &alice, &devs, json!({})).await;
    let open = open["id"].as_str().unwrap().to_string();
    let (_, s) = read(&app, &bob, &open).await;
    assert_eq!(s["results"], Value::Null, "not before answering: {s}");
    answer(&app, &bob, &open, full_answer(0, 3, "")).await;
    let (_, s) = read(&app, &bob, &open).await;
    assert_eq!(s["answered"], true);
    assert_eq!(s["results"]["respondents_count"], 1, "{s}");

    let (_, private) = create(&app, &alice, &devs, json!({"results_visible_to": "author"})).await;
    assert_eq!(private["results_visible_to"], "author");
    let private = private["id"].as_str().unwrap().to_string();
    let (status, _) = answer(&app, &bob, &private, full_answer(0, 3, "")).await;
    assert_eq!(status, 200);
    let (_, s) = read(&app, &bob, &private).await;
    assert_eq!(s["answered"], true);
    assert_eq!(s["results"], Value::Null, "the author only: {s}");
    let (_, s) = read(&app, &alice, &private).await;
    assert_eq!(s["results"]["respondents_count"], 1, "{s}");
}

async fn closed_surveys_refuse_answers(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let devs = app.community(&alice, "devs", "public").await;
    app.join(&bob, &devs).await;
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(2)).to_rfc3339();
    let (status, s) = create(&app, &alice, &devs, json!({ "closes_at": soon })).await;
    assert_eq!(status, 200, "{s}");
    let id = s["id"].as_str().unwrap().to_string();
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let (status, e) = answer(&app, &bob, &id, full_answer(0, 3, "")).await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"].as_str().unwrap().contains("closed"), "{e}");
    let (_, s) = read(&app, &bob, &id).await;
    assert_eq!(s["closed"], true);
    assert_eq!(s["answered"], false);
}

async fn members_only_surveys_stay_inside(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let mallory = app.user_with_token("mallory", "read write follow").await;
    let board = app.community(&alice, "board", "members").await;
    let (status, s) = create(&app, &alice, &board, json!({})).await;
    assert_eq!(status, 200, "{s}");
    let id = s["id"].as_str().unwrap().to_string();
    let (status, _) = read(&app, &mallory, &id).await;
    assert_eq!(status, 404, "a non-member does not see it");
    let (status, _) = answer(&app, &mallory, &id, full_answer(0, 3, "")).await;
    assert_eq!(status, 404, "nor answers it");
    let (status, _) = csv_status(&app, &mallory, &id).await;
    assert_eq!(status, 404);
    let (status, e) = create(&app, &mallory, &board, json!({})).await;
    assert!(status == 403 || status == 404, "{status} {e}");
    let page = app.get(&format!("/posts/{id}")).await;
    assert_eq!(page.status().as_u16(), 404);
}

async fn surveys_made_and_answered_in_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    app.community(&alice, "devs", "public").await;
    let devs_id = app.community(&alice, "ops", "public").await;
    app.join(&bob, &devs_id).await;

    let mut alice_web = Browser::new(&app);
    alice_web.sign_in("alice").await;
    let page = alice_web.get("/communities/ops/surveys").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("q0_prompt"), "{}", page.body);
    let bad = alice_web
        .post(
            "/communities/ops/surveys",
            &[
                ("title", "Lunch"),
                ("text", "Where?"),
                ("closes_at", "2030-03-05T12:00"),
                ("results", "respondents"),
                ("q0_prompt", "Where?"),
                ("q0_kind", "single"),
                ("q0_options", "Canteen"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let created = alice_web
        .post(
            "/communities/ops/surveys",
            &[
                ("title", "Lunch"),
                ("text", "Where shall we eat?"),
                ("closes_at", "2030-03-05T12:00"),
                ("results", "respondents"),
                ("q0_prompt", "Where?"),
                ("q0_kind", "single"),
                ("q0_options", "Canteen\r\nPark\r\n"),
                ("q1_prompt", "What?"),
                ("q1_kind", "multiple"),
                ("q1_options", "Soup\nSalad\nPie"),
                ("q2_prompt", "Hunger"),
                ("q2_kind", "scale"),
                ("q2_options", ""),
                ("q3_prompt", ""),
                ("q3_kind", "text"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let post = created.location.clone().unwrap();
    let id = post.trim_start_matches("/posts/").to_string();
    let list = alice_web.get("/communities/ops/surveys").await;
    assert!(list.body.contains(&post), "{}", list.body);

    let mut bob_web = Browser::new(&app);
    bob_web.sign_in("bob").await;
    let page = bob_web.get(&post).await;
    assert!(page.body.contains("Where shall we eat?"), "{}", page.body);
    assert!(
        page.body.contains(r#"name="q1" value="2""#),
        "{}",
        page.body
    );
    let answered = bob_web
        .post(
            &format!("/posts/{id}/survey"),
            &[("q0", "1"), ("q1", "0"), ("q1", "2"), ("q2", "4")],
        )
        .await;
    assert_eq!(answered.status, 303, "{}", answered.body);
    let page = bob_web.get(&post).await;
    let form = format!(r#"action="/posts/{id}/survey""#);
    assert!(!page.body.contains(&form), "answered once: no form");
    assert!(
        page.body.contains("survey-results"),
        "results shown: {}",
        page.body
    );
    assert!(
        page.body.contains("Park: <strong>1</strong>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("4.00"), "the mean: {}", page.body);
    let again = bob_web
        .post(&format!("/posts/{id}/survey"), &[("q0", "0"), ("q2", "1")])
        .await;
    assert_eq!(again.status, 422, "{}", again.body);

    let (_, s) = read(&app, &alice, &id).await;
    assert_eq!(
        s["results"]["questions"][1]["counts"],
        json!([1, 0, 1]),
        "{s}"
    );
    let csv = alice_web.get(&format!("/posts/{id}/results.csv")).await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains("Park,1"), "{}", csv.body);
    assert!(!csv.body.contains("bob"), "{}", csv.body);
    let denied = bob_web.get(&format!("/posts/{id}/results.csv")).await;
    assert_eq!(denied.status, 403);
}

backend_tests!(
    surveys_created_and_answered_anonymously,
    results_shown_as_the_author_chose,
    closed_surveys_refuse_answers,
    members_only_surveys_stay_inside,
    surveys_made_and_answered_in_pages,
);
