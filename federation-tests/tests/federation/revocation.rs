//! The delivery ledger and revoking a partner server from a community.

use federation_tests::{Backend, Instance, eventually};
use serde_json::{Value, json};

async fn join(instance: &Instance, token: &str, acct: &str) -> String {
    instance.join_community(token, acct).await
}

async fn thread_id(
    instance: &Instance,
    token: &str,
    community: &str,
    title: &str,
) -> Option<String> {
    let t = instance.find_thread(token, community, title).await?;
    t["id"].as_str().map(String::from)
}

async fn scenario(backend: Backend) {
    let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
    let beta = Instance::start("beta", backend, "").await.expect("beta");
    let gamma = Instance::start("gamma", backend, "").await.expect("gamma");
    let scopes = "read write follow";
    let alice = alpha
        .create_user("alice", "alice password", scopes)
        .await
        .expect("alice");
    let eve = alpha
        .create_user("eve", "eve's password", scopes)
        .await
        .expect("eve");
    let bob = beta
        .create_user("bob", "bob's password", scopes)
        .await
        .expect("bob");
    let carol = gamma
        .create_user("carol", "carol password", scopes)
        .await
        .expect("carol");
    let (_, devs) = alpha
        .post(
            "/api/passerelle/v1/communities",
            &alice,
            json!({"name": "devs"}),
        )
        .await;
    let devs = devs["id"].as_str().unwrap().to_string();
    let acct = format!("devs@{}", alpha.domain);
    let on_beta = join(&beta, &bob, &acct).await;
    let on_gamma = join(&gamma, &carol, &acct).await;
    alpha.wait_members(&alice, &devs, 3).await;
    alpha
        .post(
            &format!("/api/passerelle/v1/communities/{devs}/threads"),
            &alice,
            json!({"title": "Before", "body": "shared"}),
        )
        .await;
    let before_on_gamma = eventually(15, "the thread on gamma", || {
        thread_id(&gamma, &carol, &on_gamma, "Before")
    })
    .await;
    eventually(15, "the thread on beta", || {
        thread_id(&beta, &bob, &on_beta, "Before")
    })
    .await;

    // The ledger names both servers; only moderators and administrators may read it.
    let ledger: Value = eventually(15, "both servers in the ledger", || async {
        let (status, l) = alpha
            .get(
                &format!("/api/passerelle/v1/communities/{devs}/ledger"),
                Some(&alice),
            )
            .await;
        assert_eq!(status, 200, "{l}");
        let domains: Vec<&str> = l
            .as_array()?
            .iter()
            .filter_map(|x| x["domain"].as_str())
            .collect();
        (domains.contains(&beta.domain.as_str()) && domains.contains(&gamma.domain.as_str()))
            .then_some(l.clone())
    })
    .await;
    assert!(ledger[0]["objects"].as_i64().unwrap() >= 1);
    assert!(ledger[0]["last_delivered_at"].is_string());
    let (status, _) = alpha
        .get(
            &format!("/api/passerelle/v1/communities/{devs}/ledger"),
            Some(&eve),
        )
        .await;
    assert_eq!(status, 403);
    let out = alpha
        .cli(&["admin", "ledger", "devs"], "")
        .await
        .expect("cli");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&gamma.domain),
        "{out:?}"
    );

    // Revoking gamma: its copy is deleted, its member leaves, nothing more goes there.
    let (status, r) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{devs}/revoke"),
            &alice,
            json!({"domain": gamma.domain}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    eventually(15, "the Delete on gamma", || async {
        (gamma
            .get(&format!("/api/v1/statuses/{before_on_gamma}"), Some(&carol))
            .await
            .0
            == 404)
            .then_some(())
    })
    .await;
    let (_, c) = alpha
        .get(
            &format!("/api/passerelle/v1/communities/{devs}"),
            Some(&alice),
        )
        .await;
    assert_eq!(c["members_count"], 2);
    alpha
        .post(
            &format!("/api/passerelle/v1/communities/{devs}/threads"),
            &alice,
            json!({"title": "After", "body": "not for gamma"}),
        )
        .await;
    eventually(15, "the new thread on beta", || {
        thread_id(&beta, &bob, &on_beta, "After")
    })
    .await;
    assert!(
        thread_id(&gamma, &carol, &on_gamma, "After")
            .await
            .is_none(),
        "a revoked server receives nothing more"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoking_a_server_deletes_its_copies_and_stops_delivery() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}
