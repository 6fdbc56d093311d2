//! A person deletes their account: the servers that knew them get a `Delete` of
//! the actor and erase what they held of them.

#![allow(clippy::expect_used, clippy::unwrap_used)] // tests fail loudly by design

use federation_tests::{Backend, Instance, eventually};
use serde_json::json;

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
    beta.post(
        &format!("/api/v1/accounts/{alice_on_beta}/follow"),
        &bob,
        json!({}),
    )
    .await;
    eventually(15, "bob follows alice", || async {
        let (_, r) = beta
            .get(
                &format!("/api/v1/accounts/relationships?id[]={alice_on_beta}"),
                Some(&bob),
            )
            .await;
        (r[0]["following"] == true).then_some(())
    })
    .await;
    let (status, _) = alpha
        .post(
            "/api/v1/statuses",
            &alice,
            json!({"status": "Leaving soon"}),
        )
        .await;
    assert_eq!(status, 200);
    let copy = eventually(15, "alice's status reaches bob", || async {
        let (_, home) = beta.get("/api/v1/timelines/home", Some(&bob)).await;
        home.as_array()
            .and_then(|h| h.first())
            .map(|s| s["id"].as_str().unwrap().to_string())
    })
    .await;

    let (status, r) = alpha
        .send(
            reqwest::Method::DELETE,
            "/api/passerelle/v1/account",
            &alice,
            json!({"password": "alice password"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    eventually(15, "beta erases alice", || async {
        let (status, _) = beta
            .get(&format!("/api/v1/statuses/{copy}"), Some(&bob))
            .await;
        let (account, _) = beta
            .get(&format!("/api/v1/accounts/{alice_on_beta}"), Some(&bob))
            .await;
        (status == 404 && account == 404).then_some(())
    })
    .await;
    let (_, home) = beta.get("/api/v1/timelines/home", Some(&bob)).await;
    assert_eq!(home, json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_account_is_erased_on_other_servers() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}
