//! Notifications across instances: a follow and a mention from a person on
//! another server reach the local person's notifications, once.

use federation_tests::{Backend, Instance, eventually};
use serde_json::{Value, json};

async fn kinds(instance: &Instance, token: &str) -> Vec<(String, String)> {
    let (status, list) = instance.get("/api/v1/notifications", Some(token)).await;
    assert_eq!(status, 200, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .map(|n: &Value| {
            (
                n["type"].as_str().unwrap_or_default().to_string(),
                n["account"]["acct"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect()
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

    let alice_acct = format!("alice@{}", alpha.domain);
    let alice_on_beta = beta.resolve_account(&bob, &alice_acct).await;
    let (status, rel) = beta
        .post(
            &format!("/api/v1/accounts/{alice_on_beta}/follow"),
            &bob,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{rel}");
    let bob_acct = format!("bob@{}", beta.domain);
    eventually(15, "alice notified of bob's follow", || async {
        let got = kinds(&alpha, &alice).await;
        (got == [("follow".to_string(), bob_acct.clone())]).then_some(())
    })
    .await;

    let (status, posted) = beta
        .post(
            "/api/v1/statuses",
            &bob,
            json!({"status": format!("Hello @{alice_acct}")}),
        )
        .await;
    assert_eq!(status, 200, "{posted}");
    eventually(15, "alice notified of bob's mention", || async {
        let got = kinds(&alpha, &alice).await;
        (got.first() == Some(&("mention".to_string(), bob_acct.clone()))).then_some(())
    })
    .await;
    alpha.settled().await;
    assert_eq!(kinds(&alpha, &alice).await.len(), 2, "each once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follows_and_mentions_from_other_servers_notify() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}
