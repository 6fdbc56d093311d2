//! Difficult peers, played by a fake server that is a member of alpha's community:
//! one failing every other request, a slow one, and a dead one that comes back.

use federation_tests::{
    Backend, Instance, eventually,
    fake::{Behaviour, FakeServer, Keys, Serving, Signing, new_keys},
};
use reqwest::Method;
use serde_json::{Value, json};

struct Setup {
    alpha: Instance,
    alice: String,
    devs: String,
    fake: FakeServer,
    mallory: String,
    keys: Keys,
}

async fn setup(backend: Backend, federation_keys: &str) -> Setup {
    let alpha = Instance::start_with_federation("alpha", backend, federation_keys)
        .await
        .expect("alpha");
    let alice = alpha
        .create_user("alice", "alice password", "read write follow")
        .await
        .expect("alice");
    let (_, devs) = alpha
        .post(
            "/api/passerelle/v1/communities",
            &alice,
            json!({"name": "devs"}),
        )
        .await;
    let devs = devs["id"].as_str().unwrap().to_string();
    let fake = FakeServer::start().await.expect("fake");
    let keys = new_keys().expect("keys");
    let mallory = fake.add_actor("mallory", &keys);
    join(&alpha, &fake, &mallory, &keys, 1).await;
    eventually(10, "the Accept", || async {
        fake.received()
            .iter()
            .any(|a| a["type"] == "Accept")
            .then_some(())
    })
    .await;
    Setup {
        alpha,
        alice,
        devs,
        fake,
        mallory,
        keys,
    }
}

async fn join(alpha: &Instance, fake: &FakeServer, mallory: &str, keys: &Keys, n: u32) {
    let follow = json!({"id": format!("{}/activities/follow/{n}", fake.base), "type": "Follow", "actor": mallory, "object": alpha.url("/c/devs")});
    let status = fake
        .post(
            &alpha.url("/c/devs/inbox"),
            mallory,
            keys,
            &follow,
            Signing::Valid,
        )
        .await
        .unwrap();
    assert_eq!(status, 202);
}

async fn post_threads(s: &Setup, prefix: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let (status, t) = s
            .alpha
            .post(
                &format!("/api/passerelle/v1/communities/{}/threads", s.devs),
                &s.alice,
                json!({"title": format!("{prefix} {i}"), "body": "x"}),
            )
            .await;
        assert_eq!(status, 200);
        ids.push(t["uri"].as_str().unwrap().to_string());
    }
    ids
}

/// Ids of the objects whose Create the fake server received (announced), in order.
fn created(fake: &FakeServer) -> Vec<String> {
    fake.received()
        .iter()
        .filter(|a| a["type"] == "Announce" && a["object"]["type"] == "Create")
        .filter_map(|a| a["object"]["object"]["id"].as_str().map(String::from))
        .collect()
}

fn all_received(fake: &FakeServer, ids: &[String]) -> bool {
    let got = created(fake);
    ids.iter().all(|id| got.contains(id))
}

const FAST: &str = "retry_base_seconds = 1\nretry_max_seconds = 2\nlease_seconds = 5\n";

async fn flaky_and_slow(backend: Backend) {
    let s = setup(backend, FAST).await;
    // Every other request fails with 500: retries get everything through.
    s.fake.set_behaviour(Behaviour::FailEveryOther);
    let ids = post_threads(&s, "Flaky", 20).await;
    eventually(60, "every thread through a flaky peer", || async {
        all_received(&s.fake, &ids).then_some(())
    })
    .await;

    // A slow peer (300 ms per request) gets everything, Create before Delete.
    s.fake.set_behaviour(Behaviour::Slow(300));
    let ids = post_threads(&s, "Slow", 8).await;
    let (_, doomed) = s
        .alpha
        .post(
            &format!("/api/passerelle/v1/communities/{}/threads", s.devs),
            &s.alice,
            json!({"title": "Doomed", "body": "x"}),
        )
        .await;
    let doomed_uri = doomed["uri"].as_str().unwrap().to_string();
    let (status, _) = s
        .alpha
        .send(
            Method::DELETE,
            &format!("/api/v1/statuses/{}", doomed["id"].as_str().unwrap()),
            &s.alice,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let position = |pred: &dyn Fn(&Value) -> bool| s.fake.received().iter().position(pred);
    eventually(
        60,
        "everything through a slow peer, Delete last",
        || async {
            let create = position(&|a: &Value| {
                a["object"]["type"] == "Create"
                    && a["object"]["object"]["id"] == doomed_uri.as_str()
            })?;
            let delete = position(&|a: &Value| {
                a["object"]["type"] == "Delete" && a["object"]["object"] == doomed_uri.as_str()
            })?;
            assert!(create < delete, "causal order per object");
            all_received(&s.fake, &ids).then_some(())
        },
    )
    .await;
}

async fn dead_then_revived(backend: Backend) {
    let s = setup(backend, &format!("{FAST}unreachable_after_seconds = 2\n")).await;
    s.fake.set_behaviour(Behaviour::Down);
    let ids = post_threads(&s, "While dead", 3).await;
    eventually(30, "the peer marked unreachable", || async {
        let text = s.alpha.metrics().await?;
        text.lines()
            .any(|l| l == "passerelle_destinations_unreachable 1")
            .then_some(())
    })
    .await;
    // Back up, but skipped: nothing arrives while it is marked unreachable.
    s.fake.set_behaviour(Behaviour::Accept);
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert!(
        created(&s.fake).iter().all(|id| !ids.contains(id)),
        "an unreachable peer consumes no work"
    );
    // A Follow from it revives it: everything pending arrives.
    join(&s.alpha, &s.fake, &s.mallory, &s.keys, 2).await;
    eventually(30, "the pending threads after the revival", || async {
        all_received(&s.fake, &ids).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flaky_and_slow_peers_receive_everything_in_causal_order() {
    for backend in Backend::available() {
        flaky_and_slow(backend).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_peer_is_skipped_until_it_comes_back() {
    for backend in Backend::available() {
        dead_then_revived(backend).await;
    }
}

/// Two nodes of one instance on one PostgreSQL share the deliveries without sending
/// any activity twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_on_one_postgresql_never_send_twice() {
    if !Backend::available().contains(&Backend::Postgres) {
        return;
    }
    let s = setup(Backend::Postgres, "").await;
    let node2 = s.alpha.start_sibling("alpha-2").await.expect("second node");
    let ids = post_threads(&s, "Shared", 40).await;
    eventually(60, "every thread delivered", || async {
        all_received(&s.fake, &ids).then_some(())
    })
    .await;
    // Give any duplicate the time to show up.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let received = s.fake.received();
    let mut activity_ids: Vec<&str> = received.iter().filter_map(|a| a["id"].as_str()).collect();
    let total = activity_ids.len();
    activity_ids.sort_unstable();
    activity_ids.dedup();
    assert_eq!(activity_ids.len(), total, "an activity was delivered twice");
    // Both nodes are up and serve the same instance.
    let (status, _) = node2.get("/healthz", None).await;
    assert_eq!(status, 200);
}

async fn manual_retry(backend: Backend) {
    let s = setup(backend, &format!("{FAST}unreachable_after_seconds = 2\n")).await;
    let admin = s
        .alpha
        .admin_token("operator", "admin:read admin:write")
        .await
        .expect("admin");
    s.fake.set_behaviour(Behaviour::Down);
    let ids = post_threads(&s, "Queued", 2).await;
    eventually(
        30,
        "the peer marked unreachable, its work queued",
        || async {
            let (status, q) = s
                .alpha
                .get("/api/passerelle/v1/admin/federation/queue", Some(&admin))
                .await;
            assert_eq!(status, 200, "{q}");
            let queued = q["destinations"]
                .as_array()?
                .iter()
                .any(|d| d["domain"] == s.fake.domain && d["pending"].as_i64() >= Some(2));
            (queued && q["unreachable_destinations"] == 1).then_some(())
        },
    )
    .await;
    // Only administrators see the queue.
    let (status, _) = s
        .alpha
        .get("/api/passerelle/v1/admin/federation/queue", Some(&s.alice))
        .await;
    assert_eq!(status, 403);
    s.fake.set_behaviour(Behaviour::Accept);
    let (status, _) = s
        .alpha
        .post(
            &format!(
                "/api/passerelle/v1/admin/federation/destinations/{}/retry",
                s.fake.domain
            ),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    eventually(30, "the queued threads after a manual retry", || async {
        all_received(&s.fake, &ids).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_sees_the_queue_and_retries_a_server() {
    for backend in Backend::available() {
        manual_retry(backend).await;
    }
}

/// A reply whose parent lives on a server that is down for now: the inbox still
/// answers 202 at once, the job waits (and survives a SIGKILL), and the reply
/// lands once the parent can be fetched. A parent served as HTML is refused.
async fn inbound_waits_for_a_peer(backend: Backend) {
    let mut s = setup(backend, FAST).await;
    let devs_url = s.alpha.url("/c/devs");
    let page = |name: &str, title: &str| {
        json!({
            "id": s.fake.object_url(name), "type": "Page", "attributedTo": s.mallory,
            "name": title, "content": "<p>parent</p>", "mediaType": "text/html",
            "to": [devs_url], "audience": devs_url,
        })
    };
    let reply = |n: u32, parent: &str| {
        let note = json!({
            "id": s.fake.object_url(&format!("note{n}")), "type": "Note",
            "attributedTo": s.mallory, "content": "<p>a reply</p>",
            "inReplyTo": parent, "to": [devs_url], "audience": devs_url,
        });
        json!({
            "id": format!("{}/activities/create/reply{n}", s.fake.base), "type": "Create",
            "actor": s.mallory, "to": [devs_url], "audience": devs_url, "object": note,
        })
    };
    // The port stays the same across the restart.
    let inbox = s.alpha.url("/c/devs/inbox");
    let post = |activity: Value| {
        let (fake, mallory, keys, inbox) = (&s.fake, &s.mallory, &s.keys, inbox.clone());
        async move {
            fake.post(&inbox, mallory, keys, &activity, Signing::Valid)
                .await
                .unwrap()
        }
    };
    let threads = |alpha: &federation_tests::Instance| {
        let path = format!("/api/passerelle/v1/communities/{}/threads", s.devs);
        let token = s.alice.clone();
        let alpha_url = alpha.url(&path);
        let client = alpha.client.clone();
        async move {
            let r = client.get(alpha_url).bearer_auth(token).send().await.ok()?;
            r.json::<Vec<Value>>().await.ok()
        }
    };

    s.fake.set_serving(Serving::Unavailable);
    let parent = s.fake.add_object("page1", page("page1", "Parent thread"));
    assert_eq!(
        post(reply(1, &parent)).await,
        202,
        "answered before the parent is fetched"
    );
    assert_eq!(threads(&s.alpha).await.map(|t| t.len()), Some(0));

    // Killed with the job pending, restarted: the job is still there and retried.
    s.alpha.kill().await.expect("kill");
    s.alpha.restart().await.expect("restart");
    s.fake.set_serving(Serving::Json);
    eventually(
        30,
        "the reply applied once its parent is reachable",
        || async {
            let t = threads(&s.alpha).await?;
            (t.len() == 1 && t[0]["replies_count"] == 1).then_some(())
        },
    )
    .await;

    // A parent served as a web page is not an ActivityPub object: refused for good.
    s.fake.set_serving(Serving::Html);
    let html = s.fake.add_object("page2", page("page2", "Served as HTML"));
    assert_eq!(post(reply(2, &html)).await, 202);
    s.alpha.settled().await;
    assert_eq!(threads(&s.alpha).await.map(|t| t.len()), Some(1));
    let metrics = s.alpha.metrics().await.unwrap();
    assert!(
        metrics.contains("passerelle_inbound_jobs{state=\"failed\"} 1"),
        "{metrics}"
    );

    // A parent of 2 MiB, and one whose id names another host than where it was
    // fetched (here: this very instance, which has no such object; the document is
    // only ever trusted from its own origin): both refused for good.
    s.fake.set_serving(Serving::Json);
    let mut huge = page("page3", "Too big");
    huge["content"] = json!("x".repeat(2 * 1024 * 1024));
    let huge = s.fake.add_object("page3", huge);
    let mut elsewhere = page("page4", "Claims another origin");
    elsewhere["id"] = json!(s.alpha.url("/statuses/4242"));
    let elsewhere = s.fake.add_object("page4", elsewhere);
    assert_eq!(post(reply(3, &huge)).await, 202);
    assert_eq!(post(reply(4, &elsewhere)).await, 202);
    s.alpha.settled().await;
    assert_eq!(threads(&s.alpha).await.map(|t| t.len()), Some(1));
    let metrics = s.alpha.metrics().await.unwrap();
    assert!(
        metrics.contains("passerelle_inbound_jobs{state=\"failed\"} 3"),
        "{metrics}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inbound_work_waits_for_a_peer_and_survives_a_crash() {
    for backend in Backend::available() {
        inbound_waits_for_a_peer(backend).await;
    }
}
