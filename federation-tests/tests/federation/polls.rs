//! Polls across instances: a poll travels as a `Question`, a vote from another
//! server comes back as a `Note` named after the option, and the new results
//! reach the voter's server as an `Update`.

use federation_tests::{Backend, Instance, eventually};
use serde_json::{Value, json};

fn counts(poll: &Value) -> Vec<i64> {
    poll["options"]
        .as_array()
        .map(|o| o.iter().filter_map(|o| o["votes_count"].as_i64()).collect())
        .unwrap_or_default()
}

async fn scenario(backend: Backend) {
    let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
    let beta = Instance::start("beta", backend, "").await.expect("beta");
    let scopes = "read write follow";
    let alice = alpha
        .create_user("alice", "alice password", scopes)
        .await
        .expect("alice");
    let bob = beta
        .create_user("bob", "bob's password", scopes)
        .await
        .expect("bob");
    let alice_on_beta = beta
        .resolve_account(&bob, &format!("alice@{}", alpha.domain))
        .await;
    beta.follow(&bob, &alice_on_beta).await;

    let (status, posted) = alpha
        .post(
            "/api/v1/statuses",
            &alice,
            json!({"status": "Offsite in May or June?",
                   "poll": {"options": ["May", "June"], "expires_in": 86400}}),
        )
        .await;
    assert_eq!(status, 200, "{posted}");
    let poll_on_alpha = posted["poll"]["id"].as_str().unwrap().to_string();

    let poll_on_beta = eventually(15, "the poll reaches bob's home", || async {
        let (_, home) = beta.get("/api/v1/timelines/home", Some(&bob)).await;
        home.as_array()?
            .iter()
            .find(|s| s["content"].as_str().unwrap_or("").contains("Offsite"))
            .and_then(|s| s["poll"]["id"].as_str().map(String::from))
    })
    .await;
    let (_, poll) = beta
        .get(&format!("/api/v1/polls/{poll_on_beta}"), Some(&bob))
        .await;
    assert_eq!(poll["options"][1]["title"], "June");
    assert_eq!(counts(&poll), [0, 0]);
    assert!(poll["expires_at"].is_string(), "{poll}");

    let (status, voted) = beta
        .post(
            &format!("/api/v1/polls/{poll_on_beta}/votes"),
            &bob,
            json!({"choices": [1]}),
        )
        .await;
    assert_eq!(status, 200, "{voted}");
    assert_eq!(voted["own_votes"], json!([1]));

    eventually(15, "alice's poll counts bob's vote", || async {
        let (_, poll) = alpha
            .get(&format!("/api/v1/polls/{poll_on_alpha}"), Some(&alice))
            .await;
        (counts(&poll) == [0, 1] && poll["voters_count"].is_null()).then_some(())
    })
    .await;
    eventually(15, "the new results reach bob's server", || async {
        let (_, poll) = beta
            .get(&format!("/api/v1/polls/{poll_on_beta}"), Some(&bob))
            .await;
        (counts(&poll) == [0, 1] && poll["voted"] == true).then_some(())
    })
    .await;
    let (status, _) = beta
        .post(
            &format!("/api/v1/polls/{poll_on_beta}/votes"),
            &bob,
            json!({"choices": [0]}),
        )
        .await;
    assert_eq!(status, 422, "one vote per person");
    alpha.settled().await;
    let (_, poll) = alpha
        .get(&format!("/api/v1/polls/{poll_on_alpha}"), Some(&alice))
        .await;
    assert_eq!(counts(&poll), [0, 1], "counted once");
    // The poll's status on bob's server was not marked as edited by new results.
    let (_, status) = beta
        .get(&format!("/api/v1/statuses/{poll_on_beta}"), Some(&bob))
        .await;
    assert!(status["edited_at"].is_null(), "{status}");

    // Alice edits the poll: a third option; votes start again on both servers.
    let (code, edited) = alpha
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/statuses/{}", posted["id"].as_str().unwrap()),
            &alice,
            json!({"status": "Offsite in May, June or July?",
                   "poll": {"options": ["May", "June", "July"], "expires_in": 86400}}),
        )
        .await;
    assert_eq!(code, 200, "{edited}");
    eventually(15, "the edited poll reaches bob's server", || async {
        let (_, poll) = beta
            .get(&format!("/api/v1/polls/{poll_on_beta}"), Some(&bob))
            .await;
        (poll["options"][2]["title"] == "July" && counts(&poll) == [0, 0, 0]).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polls_are_voted_in_from_other_servers() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}
