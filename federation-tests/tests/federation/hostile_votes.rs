//! Hostile votes, boosts and reports from another server: a vote in someone
//! else's name, a second vote, a vote in a poll the voter cannot see, a boost
//! or a report signed by someone other than its actor. None counts.

use federation_tests::{
    Backend, Instance, eventually,
    fake::{Remote, Signing},
};
use serde_json::{Value, json};

fn vote(id: &str, voter: &str, poll: &str, option: &str, author: &str) -> Value {
    json!({
        "id": format!("{id}/activity"),
        "type": "Create",
        "actor": voter,
        "to": [author],
        "object": {
            "id": id, "type": "Note", "name": option, "attributedTo": voter,
            "inReplyTo": poll, "to": [author],
        },
    })
}

fn counts(poll: &Value) -> Vec<i64> {
    poll["options"]
        .as_array()
        .map(|o| o.iter().filter_map(|o| o["votes_count"].as_i64()).collect())
        .unwrap_or_default()
}

async fn scenario(backend: Backend) {
    let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
    let alice = alpha
        .create_user("alice", "alice password", "read write follow")
        .await
        .unwrap();
    let admin = alpha.admin_token("boss", "read admin:read").await.unwrap();
    let (_, me) = alpha
        .get("/api/v1/accounts/verify_credentials", Some(&alice))
        .await;
    let author = format!("{}/users/alice", alpha.base);
    assert_eq!(me["username"], "alice");
    let poll_status = |visibility: &'static str| {
        let alpha = &alpha;
        let alice = alice.clone();
        async move {
            let (status, s) = alpha
                .post(
                    "/api/v1/statuses",
                    &alice,
                    json!({"status": "Where?", "visibility": visibility,
                           "poll": {"options": ["Lyon", "Lille"], "expires_in": 3600}}),
                )
                .await;
            assert_eq!(status, 200, "{s}");
            (
                s["id"].as_str().unwrap().to_string(),
                s["uri"].as_str().unwrap().to_string(),
            )
        }
    };
    let (public_id, public_uri) = poll_status("public").await;
    let (private_id, private_uri) = poll_status("private").await;

    let mallory = Remote::start("mallory").await.unwrap();
    let victim = Remote::start("victim").await.unwrap();
    let inbox = alpha.url("/inbox");
    let m = |n: u32| format!("{}/votes/{n}", mallory.actor);
    // A genuine vote counts; a second one from the same person does not.
    assert_eq!(
        mallory
            .send(
                &inbox,
                &vote(&m(1), &mallory.actor, &public_uri, "Lille", &author)
            )
            .await,
        202
    );
    mallory
        .send(
            &inbox,
            &vote(&m(2), &mallory.actor, &public_uri, "Lyon", &author),
        )
        .await;
    // In someone else's name (another server's actor, signed by mallory): refused.
    let forged = vote(&m(3), &victim.actor, &public_uri, "Lyon", &author);
    let status = mallory
        .fake
        .post(
            &inbox,
            &mallory.actor,
            &mallory.keys,
            &forged,
            Signing::Valid,
        )
        .await
        .unwrap();
    assert!(status >= 400, "a vote in someone else's name: {status}");
    // In a followers-only poll mallory cannot see.
    mallory
        .send(
            &inbox,
            &vote(&m(4), &mallory.actor, &private_uri, "Lyon", &author),
        )
        .await;
    // A boost and a report in the victim's name.
    let boost = json!({"id": format!("{}/boost/1", mallory.actor), "type": "Announce",
                       "actor": victim.actor, "object": public_uri});
    let status = mallory
        .fake
        .post(
            &inbox,
            &mallory.actor,
            &mallory.keys,
            &boost,
            Signing::Valid,
        )
        .await
        .unwrap();
    assert!(status >= 400, "a boost in someone else's name: {status}");
    let flag = json!({"id": format!("{}/flag/1", mallory.actor), "type": "Flag",
                      "actor": victim.actor, "object": [author], "content": "framed"});
    let status = mallory
        .fake
        .post(&inbox, &mallory.actor, &mallory.keys, &flag, Signing::Valid)
        .await
        .unwrap();
    assert!(status >= 400, "a report in someone else's name: {status}");

    eventually(15, "the genuine vote counts", || async {
        let (_, p) = alpha
            .get(&format!("/api/v1/polls/{public_id}"), Some(&alice))
            .await;
        (counts(&p) == [0, 1]).then_some(())
    })
    .await;
    alpha.settled().await;
    let (_, p) = alpha
        .get(&format!("/api/v1/polls/{public_id}"), Some(&alice))
        .await;
    assert_eq!(counts(&p), [0, 1], "one vote per person, none forged");
    let (_, p) = alpha
        .get(&format!("/api/v1/polls/{private_id}"), Some(&alice))
        .await;
    assert_eq!(
        counts(&p),
        [0, 0],
        "a vote from someone who cannot see the poll"
    );
    let (_, s) = alpha
        .get(&format!("/api/v1/statuses/{public_id}"), Some(&alice))
        .await;
    assert_eq!(s["reblogs_count"], 0);
    let (_, reports) = alpha
        .get("/api/passerelle/v1/admin/reports", Some(&admin))
        .await;
    assert_eq!(reports, json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_votes_boosts_and_reports_count_for_nothing() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}
