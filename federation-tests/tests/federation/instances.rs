//! Several real instances side by side: each serves its own actors under its own
//! domain, and each stops gracefully on SIGTERM and comes back on the same data.

use federation_tests::{Backend, Instance};
use serde_json::Value;

async fn get_json(instance: &Instance, path: &str, accept: &str) -> Value {
    let resp = instance
        .client
        .get(instance.url(path))
        .header("Accept", accept)
        .send()
        .await
        .expect("request");
    assert!(resp.status().is_success(), "{path}: {}", resp.status());
    resp.json().await.expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_serve_their_own_actors_and_restart_cleanly() {
    for backend in Backend::available() {
        let mut alpha = Instance::start("alpha", backend, "").await.expect("alpha");
        let beta = Instance::start("beta", backend, "").await.expect("beta");
        alpha
            .create_user("alice", "alice's password", "read")
            .await
            .expect("alice");
        beta.create_user("bob", "bob's password", "read")
            .await
            .expect("bob");

        let mut keys = Vec::new();
        for (instance, name) in [(&alpha, "alice"), (&beta, "bob")] {
            let wf = get_json(
                instance,
                &format!(
                    "/.well-known/webfinger?resource=acct:{name}@{}",
                    instance.domain
                ),
                "application/jrd+json",
            )
            .await;
            let href = wf["links"][0]["href"]
                .as_str()
                .expect("self href")
                .to_string();
            assert_eq!(
                href,
                instance.url(&format!("/users/{name}")),
                "plain http ids with allow_insecure"
            );
            let actor = get_json(
                instance,
                &format!("/users/{name}"),
                "application/activity+json",
            )
            .await;
            assert_eq!(actor["id"], href);
            keys.push(
                actor["publicKey"]["publicKeyPem"]
                    .as_str()
                    .expect("pem")
                    .to_string(),
            );
            // Each instance knows only its own people.
            let other = if name == "alice" { "bob" } else { "alice" };
            let resp = instance
                .client
                .get(instance.url(&format!("/users/{other}")))
                .header("Accept", "application/activity+json")
                .send()
                .await
                .expect("req");
            assert_eq!(resp.status(), 404);
        }
        assert_ne!(keys[0], keys[1]);

        // SIGTERM: a graceful exit; the same data is served after a restart.
        let status = alpha.stop().await.expect("stop");
        assert!(status.success(), "exit status {status}:\n{}", alpha.log());
        alpha.restart().await.expect("restart");
        let actor = get_json(&alpha, "/users/alice", "application/activity+json").await;
        assert_eq!(
            actor["publicKey"]["publicKeyPem"].as_str(),
            Some(keys[0].as_str())
        );
    }
}
