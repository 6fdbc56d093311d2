//! Several stateless nodes on one PostgreSQL: a client streaming from one node
//! hears what was written through another.

use std::time::Duration;

use federation_tests::{Backend, Instance};
use serde_json::{Value, json};

/// Reads server-sent events until one of `event` arrives; its data.
async fn sse_event(resp: &mut reqwest::Response, event: &str) -> String {
    let mut buffer = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    loop {
        let chunk = tokio::time::timeout_at(deadline, resp.chunk())
            .await
            .expect("an event within 15 s")
            .unwrap()
            .expect("the stream is open");
        buffer.push_str(std::str::from_utf8(&chunk).unwrap());
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let name = block.lines().find_map(|l| l.strip_prefix("event: "));
            let data = block.lines().find_map(|l| l.strip_prefix("data: "));
            if name == Some(event) {
                return data.unwrap().to_string();
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_hear_writes_made_on_another_node() {
    if !Backend::available().contains(&Backend::Postgres) {
        eprintln!("skipped: several nodes need PostgreSQL");
        return;
    }
    let node1 = Instance::start("alpha", Backend::Postgres, "")
        .await
        .expect("node 1");
    let node2 = node1.start_sibling("alpha-2").await.expect("node 2");
    let alice = node1
        .create_user("alice", "alice password", "read write")
        .await
        .expect("alice");
    let bob = node1
        .create_user("bob", "bob's password", "read write")
        .await
        .expect("bob");
    let client = reqwest::Client::new();
    let open = |path: String| {
        let client = client.clone();
        async move {
            let resp = client.get(path).send().await.unwrap();
            assert_eq!(resp.status(), 200);
            resp
        }
    };
    let mut notifications = open(node2.url(&format!(
        "/api/v1/streaming/user/notification?access_token={bob}"
    )))
    .await;
    let mut public = open(node2.url("/api/v1/streaming/public/local")).await;
    let mut public1 = open(node1.url("/api/v1/streaming/public/local")).await;

    let (status, posted) = node1
        .post(
            "/api/v1/statuses",
            &alice,
            json!({"status": "@bob written on node one"}),
        )
        .await;
    assert_eq!(status, 200, "{posted}");
    let parse = |s: String| serde_json::from_str::<Value>(&s).unwrap();
    let n = parse(sse_event(&mut notifications, "notification").await);
    assert_eq!(n["type"], "mention");
    assert_eq!(n["status"]["id"], posted["id"]);
    let s = parse(sse_event(&mut public, "update").await);
    assert_eq!(s["id"], posted["id"]);

    // And the other way round: deleted through node 2, heard on node 1.
    let (status, _) = node2
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/statuses/{}", posted["id"].as_str().unwrap()),
            &alice,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let gone = sse_event(&mut public1, "delete").await;
    assert_eq!(gone, posted["id"].as_str().unwrap());
}
