//! Anonymous stream listeners: each gets every public status (rendered once for
//! all of them), and only so many may listen at once.

use serde_json::Value;

use crate::{
    backend_tests,
    helpers::{Backend, TestApp},
    streaming::{post, sse_event},
};

async fn capped_and_served(backend: Backend) {
    let app = TestApp::with_config(backend, |c| c.limits.anonymous_streams = 2).await;
    let bob = app.user_with_token("bob", "read write").await;
    let listen = || app.client.get(app.url("/api/v1/streaming/public")).send();
    let mut first = listen().await.unwrap();
    let mut second = listen().await.unwrap();
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (200, 200)
    );
    let third = listen().await.unwrap();
    assert_eq!(third.status(), 429, "a third anonymous listener");
    let body: Value = third.json().await.unwrap();
    assert!(body["error"].as_str().is_some(), "{body}");
    // Signed-in listeners are not counted.
    let signed = app
        .client
        .get(app.url(&format!("/api/v1/streaming/public?access_token={bob}")))
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 200);

    // Both anonymous listeners get the same status.
    let id = post(&app, &bob, "for everyone").await;
    for listener in [&mut first, &mut second] {
        let s: Value = serde_json::from_str(&sse_event(listener, "update").await).unwrap();
        assert_eq!(s["id"], id.as_str());
    }

    // A listener that leaves gives its place back.
    drop(first);
    let mut again = None;
    for _ in 0..50 {
        let r = listen().await.unwrap();
        if r.status() == 200 {
            again = Some(r);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(again.is_some(), "a place was given back");
}

backend_tests!(capped_and_served);
