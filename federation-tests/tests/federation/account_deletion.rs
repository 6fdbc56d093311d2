//! A person deletes their account: the servers that knew them get a `Delete` of
//! the actor and erase what they held of them. An administrator suspends one:
//! those servers hide it until it is reinstated.

use federation_tests::{Backend, Instance, eventually};
use serde_json::json;

/// alice on alpha, followed by bob on beta, who has her status in his home.
struct Pair {
    alpha: Instance,
    beta: Instance,
    alice: String,
    bob: String,
    /// alice's account and status as beta knows them.
    alice_on_beta: String,
    copy: String,
}

async fn pair(backend: Backend) -> Pair {
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
    let (status, _) = alpha
        .post(
            "/api/v1/statuses",
            &alice,
            json!({"status": "Hello partners"}),
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
    Pair {
        alpha,
        beta,
        alice,
        bob,
        alice_on_beta,
        copy,
    }
}

async fn deletion(backend: Backend) {
    let Pair {
        alpha,
        beta,
        alice,
        bob,
        alice_on_beta,
        copy,
    } = pair(backend).await;
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

async fn suspension(backend: Backend) {
    let Pair {
        alpha,
        beta,
        alice,
        bob,
        alice_on_beta,
        copy,
    } = pair(backend).await;
    let admin = alpha
        .admin_token("root2", "read write admin:write:accounts")
        .await
        .expect("admin");
    let (_, me) = alpha
        .get("/api/v1/accounts/verify_credentials", Some(&alice))
        .await;
    let alice_id = me["id"].as_str().unwrap().to_string();
    let (status, r) = alpha
        .post(
            &format!("/api/v1/admin/accounts/{alice_id}/action"),
            &admin,
            json!({"type": "suspend"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    eventually(15, "beta hides alice", || async {
        let (_, account) = beta
            .get(&format!("/api/v1/accounts/{alice_on_beta}"), Some(&bob))
            .await;
        let (status, _) = beta
            .get(&format!("/api/v1/statuses/{copy}"), Some(&bob))
            .await;
        (account["suspended"] == true && status == 404).then_some(())
    })
    .await;
    let (_, home) = beta.get("/api/v1/timelines/home", Some(&bob)).await;
    assert_eq!(home, json!([]), "nothing of alice while suspended");

    let (status, r) = alpha
        .post(
            &format!("/api/v1/admin/accounts/{alice_id}/unsuspend"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    eventually(15, "beta shows alice again", || async {
        let (_, account) = beta
            .get(&format!("/api/v1/accounts/{alice_on_beta}"), Some(&bob))
            .await;
        let (_, home) = beta.get("/api/v1/timelines/home", Some(&bob)).await;
        (account["suspended"] != true && home[0]["id"] == copy.as_str()).then_some(())
    })
    .await;
    let (_, account) = beta
        .get(&format!("/api/v1/accounts/{alice_on_beta}"), Some(&bob))
        .await;
    assert_eq!(account["username"], "alice", "the whole profile is back");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspension_reaches_other_servers_and_is_lifted_there() {
    for backend in Backend::available() {
        suspension(backend).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_account_is_erased_on_other_servers() {
    for backend in Backend::available() {
        deletion(backend).await;
    }
}
