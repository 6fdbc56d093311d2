//! Surveys across Passerelle servers: a members community's survey reaches a
//! partner server with its questions; a member there answers from home (once:
//! a second answer is refused), the author's server counts the answer, and the
//! aggregate comes back to the respondent, never who answered what.

use federation_tests::{Backend, Instance, eventually};
use serde_json::{Value, json};

async fn survey(on: &Instance, token: &str, id: &str) -> Value {
    let (status, s) = on
        .get(&format!("/api/passerelle/v1/surveys/{id}"), Some(token))
        .await;
    assert_eq!(status, 200, "{s}");
    s
}

async fn answer(on: &Instance, token: &str, id: &str, answers: Value) -> (u16, Value) {
    on.post(
        &format!("/api/passerelle/v1/surveys/{id}/answer"),
        token,
        json!({ "answers": answers }),
    )
    .await
}

/// What `on` keeps of its traffic, as one text: every outbound event and
/// activity, and its inbound queue.
async fn kept_traffic(on: &Instance) -> String {
    let db = passerelle::db::Db::connect(&on.db_url, 1).expect("db");
    db.run(|c| {
        use diesel::prelude::*;
        use passerelle::db::schema::{inbound_jobs, outbox_activities, outbox_events};
        let mut all: Vec<String> = outbox_events::table
            .select(outbox_events::payload)
            .load(c)?;
        all.extend(
            outbox_activities::table
                .select(outbox_activities::body)
                .load::<String>(c)?,
        );
        all.extend(
            inbound_jobs::table
                .select(inbound_jobs::body)
                .load::<String>(c)?,
        );
        Ok(all.join("\n"))
    })
    .await
    .expect("read")
}

async fn scenario(backend: Backend) {
    let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
    let beta = Instance::start("beta", backend, "").await.expect("beta");
    let scopes = "read write follow";
    let alice = alpha.create_user("alice", "alice password", scopes).await;
    let alice = alice.expect("alice");
    let dave = alpha.create_user("dave", "dave password", scopes).await;
    let dave = dave.expect("dave");
    let bob = beta.create_user("bob", "bob's password", scopes).await;
    let bob = bob.expect("bob");

    let board = alpha.create_community(&alice, "board", "members").await;
    let board_on_beta = beta
        .join_community(&bob, &format!("board@{}", alpha.domain))
        .await;
    let requests = format!("/api/passerelle/v1/communities/{board}/requests");
    eventually(20, "bob's request to join", || async {
        alpha.get(&requests, Some(&alice)).await.1[0]
            .is_object()
            .then_some(())
    })
    .await;
    alpha.approve_first_request(&alice, &board).await;
    alpha.wait_members(&alice, &board, 2).await;
    let (status, _) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{board}/join"),
            &dave,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    if alpha.get(&requests, Some(&alice)).await.1[0].is_object() {
        alpha.approve_first_request(&alice, &board).await;
    }

    let (status, made) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{board}/surveys"),
            &alice,
            json!({"title": "Canteen", "description": "Tell us *everything*",
                   "closes_at": "2030-01-01T10:00:00Z", "results_visible_to": "respondents",
                   "questions": [
                       {"kind": "single", "prompt": "Soup?", "options": ["Yes", "No"]},
                       {"kind": "scale", "prompt": "Bread?"},
                       {"kind": "text", "prompt": "Anything else?"}]}),
        )
        .await;
    assert_eq!(status, 200, "{made}");
    let on_alpha = made["id"].as_str().unwrap().to_string();

    let thread = eventually(20, "the survey reaches beta", || async {
        beta.find_thread(&bob, &board_on_beta, "Canteen").await
    })
    .await;
    let on_beta = thread["id"].as_str().unwrap().to_string();
    let seen = survey(&beta, &bob, &on_beta).await;
    assert_eq!(seen["questions"], made["questions"], "{seen}");
    assert_eq!(seen["closes_at"], "2030-01-01T10:00:00.000Z");
    assert_eq!(seen["results_visible_to"], "respondents");
    assert_eq!(seen["answered"], false);
    assert_eq!(seen["results"], Value::Null);
    assert_eq!(
        seen["description"], made["description"],
        "without the link line"
    );

    // Bob answers on his own server, once.
    let mine = json!([{"question": 0, "choices": [1]}, {"question": 1, "score": 4},
                      {"question": 2, "text": "More salt"}]);
    let (status, answered) = answer(&beta, &bob, &on_beta, mine.clone()).await;
    assert_eq!(status, 200, "{answered}");
    assert_eq!(answered["answered"], true);
    let (status, again) = answer(&beta, &bob, &on_beta, mine).await;
    assert_eq!(status, 422, "a second answer is refused: {again}");
    // An invalid answer is refused on the partner as on the origin.
    let (status, _) = answer(
        &beta,
        &bob,
        &on_beta,
        json!([{"question": 0, "choices": [5]}]),
    )
    .await;
    assert_eq!(status, 422);

    // Dave answers on alpha; alice's server counts both.
    let (status, _) = answer(
        &alpha,
        &dave,
        &on_alpha,
        json!([{"question": 0, "choices": [0]}, {"question": 1, "score": 2}]),
    )
    .await;
    assert_eq!(status, 200);
    let results = eventually(20, "alice's server counts bob's answer", || async {
        let s = survey(&alpha, &alice, &on_alpha).await;
        (s["results"]["respondents_count"] == 2).then(|| s["results"].clone())
    })
    .await;
    assert_eq!(
        results["questions"][0]["counts"],
        json!([1, 1]),
        "{results}"
    );
    assert_eq!(
        results["questions"][1]["distribution"],
        json!([0, 1, 0, 1, 0])
    );
    assert_eq!(results["questions"][2]["withheld"], true, "two respondents");

    // The aggregate comes back to bob, as alice's server counts it.
    let back = eventually(20, "the results reach bob", || async {
        let s = survey(&beta, &bob, &on_beta).await;
        (s["results"]["respondents_count"] == 2).then(|| s["results"].clone())
    })
    .await;
    assert_eq!(back, results, "beta shows what alpha counted");
    assert_eq!(back["questions"][2]["texts"], Value::Null);

    // Neither server keeps what bob answered with his name: beta's event and
    // activity were emptied once used, alpha's inbound job went once applied.
    beta.settled().await;
    let kept = kept_traffic(&beta).await;
    assert!(
        kept.contains("/survey-answers/"),
        "the answer's trace is read"
    );
    assert!(!kept.contains("More salt"), "beta kept the answers: {kept}");
    assert!(!kept_traffic(&alpha).await.contains("More salt"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_survey_is_answered_from_a_partner() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}
