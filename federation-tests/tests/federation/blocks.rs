//! A block across servers: the blocked person's server learns of it (Block),
//! both follows end on both sides, and an unblock (Undo) lifts it there too.

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
    let bob_on_alpha = alpha
        .resolve_account(&alice, &format!("bob@{}", beta.domain))
        .await;
    // They follow each other.
    beta.follow(&bob, &alice_on_beta).await;
    alpha.follow(&alice, &bob_on_alpha).await;

    let (status, r) = alpha
        .post(
            &format!("/api/v1/accounts/{bob_on_alpha}/block"),
            &alice,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        (&r["blocking"], &r["following"]),
        (&json!(true), &json!(false))
    );
    eventually(15, "beta learns of the block", || async {
        let b = beta.relationship(&bob, &alice_on_beta).await;
        (b["blocked_by"] == true && b["following"] == false && b["followed_by"] == false)
            .then_some(())
    })
    .await;
    // Bob's server no longer lets him follow Alice.
    let (status, _) = beta
        .post(
            &format!("/api/v1/accounts/{alice_on_beta}/follow"),
            &bob,
            json!({}),
        )
        .await;
    assert_eq!(status, 403);

    alpha
        .post(
            &format!("/api/v1/accounts/{bob_on_alpha}/unblock"),
            &alice,
            json!({}),
        )
        .await;
    eventually(15, "beta learns of the unblock", || async {
        let b = beta.relationship(&bob, &alice_on_beta).await;
        (b["blocked_by"] == false).then_some(())
    })
    .await;
    let (status, r) = beta
        .post(
            &format!("/api/v1/accounts/{alice_on_beta}/follow"),
            &bob,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocks_travel_to_the_blocked_persons_server() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}
