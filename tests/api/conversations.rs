//! Direct conversations: made by direct statuses for each local person in
//! them, read and removed per person, streamed on `direct`, private to them.

use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
    streaming::sse_event,
};

async fn dm(app: &TestApp, token: &str, text: &str, reply_to: Option<&str>) -> String {
    let (status, s) = app
        .post_json(
            token,
            "/api/v1/statuses",
            json!({"status": text, "visibility": "direct", "in_reply_to_id": reply_to}),
        )
        .await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["visibility"], "direct");
    s["id"].as_str().unwrap().to_string()
}

async fn list(app: &TestApp, token: &str) -> Vec<Value> {
    let (status, v) = json(app.get_auth("/api/v1/conversations", token).await).await;
    assert_eq!(status, 200, "{v}");
    v.as_array().unwrap().clone()
}

fn accts(c: &Value) -> Vec<String> {
    let mut a: Vec<String> = c["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["acct"].as_str().unwrap().to_string())
        .collect();
    a.sort();
    a
}

async fn conversations(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let carol = app.user_with_token("carol", "read write").await;
    let dave = app.user_with_token("dave", "read write").await;

    let mut direct = app
        .client
        .get(app.url(&format!("/api/v1/streaming/direct?access_token={bob}")))
        .send()
        .await
        .unwrap();
    assert_eq!(direct.status(), 200);

    let first = dm(&app, &alice, "@bob @carol the budget, between us", None).await;
    let live: Value = serde_json::from_str(&sse_event(&mut direct, "conversation").await).unwrap();
    assert_eq!(live["last_status"]["id"], first.as_str());
    assert_eq!(live["unread"], true);

    let bobs = list(&app, &bob).await;
    assert_eq!(bobs.len(), 1);
    assert_eq!(
        (bobs[0]["unread"].clone(), accts(&bobs[0])),
        (json!(true), vec!["alice".to_string(), "carol".into()])
    );
    assert!(bobs[0]["accounts"][0]["username"].is_string());
    let alices = list(&app, &alice).await;
    assert_eq!(
        (alices[0]["unread"].clone(), accts(&alices[0])),
        (json!(false), vec!["bob".to_string(), "carol".into()])
    );
    // Outsiders see neither the conversation nor the status.
    assert!(list(&app, &dave).await.is_empty());
    assert_eq!(
        app.get_auth(&format!("/api/v1/statuses/{first}"), &dave)
            .await
            .status(),
        404
    );
    let conversation = bobs[0]["id"].as_str().unwrap().to_string();
    let (status, _) = app
        .post_json(
            &dave,
            &format!("/api/v1/conversations/{conversation}/read"),
            json!({}),
        )
        .await;
    assert_eq!(status, 404, "someone else's conversation");
    assert_eq!(
        app.delete_auth(&format!("/api/v1/conversations/{conversation}"), &dave)
            .await
            .status(),
        404
    );

    // A reply stays in the conversation and makes it unread for the others.
    let reply = dm(&app, &bob, "@alice @carol agreed", Some(&first)).await;
    let alices = list(&app, &alice).await;
    assert_eq!(alices.len(), 1);
    assert_eq!(
        (
            alices[0]["unread"].clone(),
            alices[0]["last_status"]["id"].clone()
        ),
        (json!(true), json!(reply))
    );
    let (status, read) = app
        .post_json(
            &alice,
            &format!(
                "/api/v1/conversations/{}/read",
                alices[0]["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    assert_eq!((status, read["unread"].clone()), (200, json!(false)));
    assert_eq!(list(&app, &alice).await[0]["unread"], false);

    // Removing hides it for that person only, until the next message.
    let (status, body) = json(
        app.delete_auth(&format!("/api/v1/conversations/{conversation}"), &bob)
            .await,
    )
    .await;
    assert_eq!((status, body), (200, json!({})));
    assert!(list(&app, &bob).await.is_empty());
    assert_eq!(list(&app, &carol).await.len(), 1);
    dm(&app, &carol, "@alice @bob one more thing", Some(&reply)).await;
    assert_eq!(list(&app, &bob).await.len(), 1);

    // Public statuses make no conversation; a token without read scope gets 403.
    let (_, _) = app
        .post_json(
            &alice,
            "/api/v1/statuses",
            json!({"status": "@dave hello in public"}),
        )
        .await;
    assert!(list(&app, &dave).await.is_empty());
    let writer = app.user_with_token("writer", "write").await;
    assert_eq!(
        app.get_auth("/api/v1/conversations", &writer)
            .await
            .status(),
        403
    );
    // Pages by newest status, with a Link header.
    let resp = app.get_auth("/api/v1/conversations?limit=1", &alice).await;
    assert!(resp.headers()["link"].to_str().unwrap().contains("max_id="));
}

backend_tests!(conversations);
