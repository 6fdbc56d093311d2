//! Followed hashtags: public statuses with them reach one's home timeline.

use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

async fn home_ids(app: &TestApp, token: &str) -> Vec<String> {
    let (status, v) = json(app.get_auth("/api/v1/timelines/home", token).await).await;
    assert_eq!(status, 200, "{v}");
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

async fn post(app: &TestApp, token: &str, body: Value) -> String {
    let (status, s) = app.post_json(token, "/api/v1/statuses", body).await;
    assert_eq!(status, 200, "{s}");
    s["id"].as_str().unwrap().to_string()
}

async fn followed_tags(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;

    let (status, t) = json(app.get("/api/v1/tags/Safety").await).await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["name"], "safety");
    assert!(t.get("following").is_none(), "anonymous: no following");
    let (status, _) = json(app.get("/api/v1/tags/not%20a%20tag").await).await;
    assert_eq!(status, 404);

    let (status, t) = app
        .post_json(&alice, "/api/v1/tags/%23Safety/follow", json!({}))
        .await;
    assert_eq!(
        (status, &t["name"], &t["following"]),
        (200, &json!("safety"), &json!(true))
    );
    let (status, _) = app
        .post_json(
            &app.user_with_token("carol", "read").await,
            "/api/v1/tags/safety/follow",
            json!({}),
        )
        .await;
    assert_eq!(status, 403);

    // Bob (not followed) posts with the tag: public ones reach Alice's home.
    let public = post(&app, &bob, json!({"status": "Site walk today #Safety"})).await;
    let private = post(
        &app,
        &bob,
        json!({"status": "Near miss, details inside #safety", "visibility": "private"}),
    )
    .await;
    post(&app, &bob, json!({"status": "Unrelated #lunch"})).await;
    assert_eq!(home_ids(&app, &alice).await, vec![public.clone()]);
    assert!(!home_ids(&app, &alice).await.contains(&private));

    let (_, list) = json(app.get_auth("/api/v1/followed_tags", &alice).await).await;
    assert_eq!(list[0]["name"], "safety");
    assert_eq!(list[0]["following"], true);
    let (_, t) = json(app.get_auth("/api/v1/tags/safety", &alice).await).await;
    assert_eq!(t["following"], true);

    let (_, t) = app
        .post_json(&alice, "/api/v1/tags/safety/unfollow", json!({}))
        .await;
    assert_eq!(t["following"], false);
    assert!(home_ids(&app, &alice).await.is_empty());
    let (_, list) = json(app.get_auth("/api/v1/followed_tags", &alice).await).await;
    assert_eq!(list, json!([]));
}

backend_tests!(followed_tags);
