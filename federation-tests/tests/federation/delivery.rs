//! Nothing lost: a member's server that is down, and a sender killed in the middle
//! of a burst, still end up with every activity, once, in causal order.

use federation_tests::{Backend, Instance, eventually};
use reqwest::Method;
use serde_json::json;

/// Short retries and leases, so the tests wait seconds, not hours.
const FAST: &str = "retry_base_seconds = 1\nretry_max_seconds = 2\nlease_seconds = 3\n";

fn fast_config() -> String {
    // The rig's [federation] table is already open; these keys land in it.
    FAST.to_string()
}

async fn setup(backend: Backend) -> (Instance, String, String, Instance, String, String) {
    let alpha = Instance::start_with_federation("alpha", backend, &fast_config())
        .await
        .expect("alpha");
    let gamma = Instance::start_with_federation("gamma", backend, &fast_config())
        .await
        .expect("gamma");
    let alice = alpha
        .create_user("alice", "alice password", "read write follow")
        .await
        .expect("alice");
    let carol = gamma
        .create_user("carol", "carol password", "read write follow")
        .await
        .expect("carol");
    let (_, devs) = alpha
        .post(
            "/api/passerelle/v1/communities",
            &alice,
            json!({"name": "devs"}),
        )
        .await;
    let devs_on_alpha = devs["id"].as_str().unwrap().to_string();
    let devs_on_gamma = gamma
        .join_community(&carol, &format!("devs@{}", alpha.domain))
        .await;
    eventually(15, "carol's membership", || async {
        let (_, c) = gamma
            .get(
                &format!("/api/passerelle/v1/communities/{devs_on_gamma}"),
                Some(&carol),
            )
            .await;
        (c["membership"] == "accepted").then_some(())
    })
    .await;
    (alpha, alice, devs_on_alpha, gamma, carol, devs_on_gamma)
}

async fn threads_count(instance: &Instance, token: &str, community: &str) -> i64 {
    let (_, c) = instance
        .get(
            &format!("/api/passerelle/v1/communities/{community}"),
            Some(token),
        )
        .await;
    c["threads_count"].as_i64().unwrap_or(-1)
}

async fn peer_down(backend: Backend) {
    let (alpha, alice, devs_on_alpha, mut gamma, carol, devs_on_gamma) = setup(backend).await;
    gamma.stop().await.expect("gamma stops");

    // 200 threads while gamma is down, and one thread created then deleted.
    for i in 0..200 {
        let (status, _) = alpha
            .post(
                &format!("/api/passerelle/v1/communities/{devs_on_alpha}/threads"),
                &alice,
                json!({"title": format!("Thread {i}"), "body": "news"}),
            )
            .await;
        assert_eq!(status, 200);
    }
    let (_, doomed) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{devs_on_alpha}/threads"),
            &alice,
            json!({"title": "Short-lived", "body": "oops"}),
        )
        .await;
    let doomed_id = doomed["id"].as_str().unwrap();
    let (status, _) = alpha
        .send(
            Method::DELETE,
            &format!("/api/v1/statuses/{doomed_id}"),
            &alice,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);

    // The queue shows on /metrics while gamma is away.
    let gamma_domain = gamma.domain.clone();
    eventually(15, "gamma's queue in alpha's metrics", || async {
        let text = alpha.metrics().await?;
        let depth_line =
            format!("passerelle_delivery_queue_depth{{destination=\"{gamma_domain}\"}}");
        let depth: i64 = text
            .lines()
            .find(|l| l.starts_with(&depth_line))?
            .rsplit(' ')
            .next()?
            .parse()
            .ok()?;
        let failing = text
            .lines()
            .any(|l| l.starts_with("passerelle_deliveries_failing ") && !l.ends_with(" 0"));
        (depth > 0 && failing).then_some(())
    })
    .await;
    gamma
        .restart()
        .await
        .expect("gamma is back on the same port and database");
    // Everything arrives, and the Delete is applied after its Create (in the wrong
    // order the thread would stay forever): 200 threads, the short-lived one gone.
    eventually(
        60,
        "all 200 threads on gamma, the deleted one gone",
        || async {
            let path = format!("/api/passerelle/v1/communities/{devs_on_gamma}/threads?limit=40");
            let (_, list) = gamma.get(&path, Some(&carol)).await;
            let gone = list
                .as_array()?
                .iter()
                .all(|t| t["passerelle"]["title"] != "Short-lived");
            (gone && threads_count(&gamma, &carol, &devs_on_gamma).await == 200).then_some(())
        },
    )
    .await;
    // Nothing twice: the count stays put.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(threads_count(&gamma, &carol, &devs_on_gamma).await, 200);
}

async fn sender_crash(backend: Backend) {
    let (mut alpha, alice, devs_on_alpha, gamma, carol, devs_on_gamma) = setup(backend).await;
    for i in 0..60 {
        alpha
            .post(
                &format!("/api/passerelle/v1/communities/{devs_on_alpha}/threads"),
                &alice,
                json!({"title": format!("Burst {i}"), "body": "x"}),
            )
            .await;
    }
    // Killed in the middle of delivering the burst: no graceful shutdown.
    alpha.kill().await.expect("SIGKILL");
    alpha.restart().await.expect("alpha restarts");
    eventually(60, "all 60 threads on gamma after the crash", || async {
        (threads_count(&gamma, &carol, &devs_on_gamma).await == 60).then_some(())
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    assert_eq!(
        threads_count(&gamma, &carol, &devs_on_gamma).await,
        60,
        "nothing applied twice"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_server_that_was_down_gets_everything_in_order() {
    for backend in Backend::available() {
        peer_down(backend).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sender_killed_mid_burst_delivers_everything_once() {
    for backend in Backend::available() {
        sender_crash(backend).await;
    }
}
