//! Boosts: public statuses only, once per person, shown in followers' home
//! timelines with the status inside, counted, notified, taken back.

use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

async fn home(app: &TestApp, token: &str) -> Vec<Value> {
    let (_, v) = json(app.get_auth("/api/v1/timelines/home", token).await).await;
    v.as_array().unwrap().clone()
}

async fn boosts(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let carol = app.user_with_token("carol", "read write follow").await;
    let bob_id = app.account_id(&bob).await;
    app.post_json(
        &carol,
        &format!("/api/v1/accounts/{bob_id}/follow"),
        json!({}),
    )
    .await;

    let (_, post) = app
        .post_json(
            &alice,
            "/api/v1/statuses",
            json!({"status": "Tender results are out"}),
        )
        .await;
    let post = post["id"].as_str().unwrap().to_string();
    let (status, boost) = app
        .post_json(&bob, &format!("/api/v1/statuses/{post}/reblog"), json!({}))
        .await;
    assert_eq!(status, 200, "{boost}");
    assert_eq!(boost["reblog"]["id"], post.as_str());
    assert_eq!(boost["account"]["username"], "bob");
    assert_eq!(boost["reblog"]["reblogged"], true);
    assert_eq!(boost["reblog"]["reblogs_count"], 1);
    let (_, again) = app
        .post_json(&bob, &format!("/api/v1/statuses/{post}/reblog"), json!({}))
        .await;
    assert_eq!(again["id"], boost["id"], "once per person");

    // Carol follows bob: his boost is in her home timeline, the status inside.
    let carols = home(&app, &carol).await;
    assert_eq!(carols[0]["id"], boost["id"]);
    assert_eq!(carols[0]["reblog"]["account"]["username"], "alice");
    // Alice is told; who boosted is listed; public timelines show statuses, not boosts.
    let (_, notes) = json(
        app.get_auth("/api/v1/notifications?types[]=reblog", &alice)
            .await,
    )
    .await;
    assert_eq!(
        (
            notes[0]["type"].clone(),
            notes[0]["account"]["username"].clone()
        ),
        (json!("reblog"), json!("bob"))
    );
    let (_, by) = json(
        app.get(&format!("/api/v1/statuses/{post}/reblogged_by"))
            .await,
    )
    .await;
    assert_eq!(by[0]["username"], "bob");
    let (_, public) = json(app.get("/api/v1/timelines/public").await).await;
    assert!(
        public
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["reblog"].is_null())
    );
    let (_, original) = json(app.get(&format!("/api/v1/statuses/{post}")).await).await;
    assert_eq!(original["reblogs_count"], 1);

    // Only public statuses can be boosted.
    for visibility in ["private", "direct"] {
        let (_, s) = app
            .post_json(
                &alice,
                "/api/v1/statuses",
                json!({"status": "@bob not for sharing", "visibility": visibility}),
            )
            .await;
        let (status, e) = app
            .post_json(
                &bob,
                &format!("/api/v1/statuses/{}/reblog", s["id"].as_str().unwrap()),
                json!({}),
            )
            .await;
        assert!(status == 422 || status == 404, "{visibility}: {status} {e}");
    }
    let (status, _) = app
        .post_json(
            &bob,
            &format!("/api/v1/statuses/{}/reblog", boost["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert_eq!(status, 422, "a boost of a boost");
    let (status, _) = app
        .post_json(&bob, "/api/v1/statuses/99999/reblog", json!({}))
        .await;
    assert_eq!(status, 404);

    // Taken back: gone from carol's home, counted down.
    let (status, un) = app
        .post_json(
            &bob,
            &format!("/api/v1/statuses/{post}/unreblog"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, un["reblogged"].clone(), un["reblogs_count"].clone()),
        (200, json!(false), json!(0)),
        "{un}"
    );
    assert!(
        home(&app, &carol)
            .await
            .iter()
            .all(|s| s["id"] != boost["id"])
    );
    let (_, by) = json(
        app.get(&format!("/api/v1/statuses/{post}/reblogged_by"))
            .await,
    )
    .await;
    assert_eq!(by, json!([]));

    // A boost of a status deleted later disappears with it.
    let (_, boost) = app
        .post_json(&bob, &format!("/api/v1/statuses/{post}/reblog"), json!({}))
        .await;
    assert_eq!(home(&app, &carol).await[0]["id"], boost["id"]);
    app.delete_auth(&format!("/api/v1/statuses/{post}"), &alice)
        .await;
    assert!(
        home(&app, &carol)
            .await
            .iter()
            .all(|s| s["id"] != boost["id"])
    );
}

backend_tests!(boosts);
