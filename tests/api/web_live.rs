//! A thread page's live comments (`/posts/:id/live`) follow the visibility
//! matrix: a listener receives only the comments it could read on the page.

use std::time::Duration;

use serde_json::json;

use crate::{
    backend_tests,
    browser::Browser,
    helpers::{Backend, TestApp, spawn_app},
};

backend_tests!(live_comments_respect_visibility);

/// Reads the event stream until `marker` arrives (or 10 s pass); returns all it read.
async fn read_until(resp: &mut reqwest::Response, marker: &str) -> String {
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !seen.contains(marker) {
        let chunk = tokio::time::timeout_at(deadline, resp.chunk()).await;
        match chunk {
            Ok(Ok(Some(bytes))) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            _ => break,
        }
    }
    seen
}

async fn reply(app: &TestApp, token: &str, to: &str, text: &str, visibility: &str) {
    let (status, r) = app
        .post_json(
            token,
            "/api/v1/statuses",
            json!({"status": text, "in_reply_to_id": to, "visibility": visibility}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
}

async fn live_comments_respect_visibility(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let carol = app.user_with_token("carol", "read write follow").await;
    app.user_with_token("bob", "read").await;
    let (_, root) = app
        .post_json(
            &alice,
            "/api/v1/statuses",
            json!({"status": "Open question"}),
        )
        .await;
    let root = root["id"].as_str().expect("id").to_string();
    let mut bob = Browser::new(&app);
    bob.sign_in("bob").await;
    let live = |b: &Browser| {
        let mut r = b.app.client.get(b.app.url(&format!("/posts/{root}/live")));
        if let Some(c) = &b.cookie {
            r = r.header("Cookie", c.as_str());
        }
        r.send()
    };
    let mut bobs = live(&bob).await.expect("live");
    assert_eq!(bobs.status(), 200);
    let mut anonymous = live(&Browser::new(&app)).await.expect("live");
    assert_eq!(anonymous.status(), 200);
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Carol answers for her followers only (bob is not one), then for everyone:
    // the stream is ordered, so the first would have arrived before the second.
    reply(&app, &carol, &root, "followers-only aside", "private").await;
    reply(&app, &carol, &root, "public answer", "public").await;
    for stream in [&mut bobs, &mut anonymous] {
        let seen = read_until(stream, "public answer").await;
        assert!(seen.contains("public answer"), "{seen}");
        assert!(!seen.contains("followers-only aside"), "{seen}");
    }

    // A members-only community's thread cannot be listened to from outside.
    let (_, c) = app
        .post_json(
            &alice,
            "/api/passerelle/v1/communities",
            json!({"name": "board", "visibility": "members"}),
        )
        .await;
    let cid = c["id"].as_str().expect("id");
    let (_, t) = app
        .post_json(
            &alice,
            &format!("/api/passerelle/v1/communities/{cid}/threads"),
            json!({"title": "Budget", "body": "numbers"}),
        )
        .await;
    let thread = t["id"].as_str().expect("id");
    for b in [&bob, &Browser::new(&app)] {
        let page = b.get(&format!("/posts/{thread}/live")).await;
        assert_eq!(page.status, 404, "{}", page.body);
    }
}
