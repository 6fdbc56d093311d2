//! What apps call besides the core: tag timelines, who favourited, instance
//! rules, and the features Passerelle does not have, answered as Mastodon does
//! when they are empty (never a 500, never a missing route).

use serde_json::json;

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

async fn tags_and_favourites(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let mut ids = Vec::new();
    for text in ["Rail #Freight update", "#freight costs", "#other news"] {
        let (_, s) = app
            .post_json(&alice, "/api/v1/statuses", json!({"status": text}))
            .await;
        ids.push(s["id"].as_str().unwrap().to_string());
    }
    app.post_json(
        &alice,
        "/api/v1/statuses",
        json!({"status": "private #freight", "visibility": "private"}),
    )
    .await;
    let (status, tagged) = json(app.get("/api/v1/timelines/tag/freight").await).await;
    assert_eq!(status, 200);
    let got: Vec<&str> = tagged
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        got,
        [ids[1].as_str(), ids[0].as_str()],
        "public ones, newest first, any case"
    );
    let (_, local) = json(
        app.get("/api/v1/timelines/tag/FREIGHT?local=true&limit=1")
            .await,
    )
    .await;
    assert_eq!(local.as_array().unwrap().len(), 1);
    let (_, none) = json(app.get("/api/v1/timelines/tag/nothing").await).await;
    assert_eq!(none, json!([]));

    app.post_json(
        &bob,
        &format!("/api/v1/statuses/{}/favourite", ids[0]),
        json!({}),
    )
    .await;
    let (status, by) = json(
        app.get(&format!("/api/v1/statuses/{}/favourited_by", ids[0]))
            .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(by[0]["username"], "bob");
    let (status, by) = json(
        app.get(&format!("/api/v1/statuses/{}/reblogged_by", ids[0]))
            .await,
    )
    .await;
    assert_eq!((status, by), (200, json!([])));
    let (_, private) = app
        .post_json(
            &alice,
            "/api/v1/statuses",
            json!({"status": "just followers", "visibility": "private"}),
        )
        .await;
    let private = private["id"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/statuses/{private}/favourited_by"))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get("/api/v1/statuses/99999/reblogged_by")
            .await
            .status(),
        404
    );
}

async fn rules_and_empty_features(backend: Backend) {
    let app = TestApp::with_config(backend, |c| {
        c.instance.rules = vec!["Be kind".into(), "No client names in public".into()];
    })
    .await;
    let alice = app.user_with_token("alice", "read").await;
    let writer = app.user_with_token("writer", "write").await;
    let (status, rules) = json(app.get("/api/v1/instance/rules").await).await;
    assert_eq!(status, 200);
    assert_eq!(
        rules[1],
        json!({"id": "2", "text": "No client names in public", "hint": ""})
    );
    for path in [
        "/api/v1/custom_emojis",
        "/api/v1/announcements",
        "/api/v1/trends/tags",
        "/api/v1/instance/peers",
    ] {
        let (status, v) = json(app.get(path).await).await;
        assert_eq!((status, v), (200, json!([])), "{path}");
    }
    for path in [
        "/api/v1/filters",
        "/api/v2/filters",
        "/api/v1/lists",
        "/api/v1/followed_tags",
        "/api/v1/blocks",
        "/api/v1/mutes",
        "/api/v2/suggestions",
        "/api/v1/scheduled_statuses",
    ] {
        let (status, v) = json(app.get_auth(path, &alice).await).await;
        assert_eq!((status, v), (200, json!([])), "{path}");
        assert_eq!(app.get(path).await.status(), 401, "{path} without a token");
        assert_eq!(
            app.get_auth(path, &writer).await.status(),
            403,
            "{path} without read"
        );
    }
    // Unknown routes are JSON 404s.
    let (status, e) = json(app.get("/api/v1/no_such_feature").await).await;
    assert_eq!(status, 404);
    assert!(e["error"].is_string());
}

async fn pins(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let (_, me) = json(
        app.get_auth("/api/v1/accounts/verify_credentials", &alice)
            .await,
    )
    .await;
    let alice_id = me["id"].as_str().unwrap().to_string();
    let mut ids = Vec::new();
    for i in 0..6 {
        let (_, s) = app
            .post_json(
                &alice,
                "/api/v1/statuses",
                json!({"status": format!("note {i}")}),
            )
            .await;
        ids.push(s["id"].as_str().unwrap().to_string());
    }
    for id in &ids[..5] {
        let (status, s) = app
            .post_json(&alice, &format!("/api/v1/statuses/{id}/pin"), json!({}))
            .await;
        assert_eq!((status, s["pinned"].clone()), (200, json!(true)), "{s}");
    }
    let (status, e) = app
        .post_json(
            &alice,
            &format!("/api/v1/statuses/{}/pin", ids[5]),
            json!({}),
        )
        .await;
    assert_eq!(status, 422, "a sixth: {e}");
    let (status, _) = app
        .post_json(
            &alice,
            &format!("/api/v1/statuses/{}/pin", ids[0]),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "pinning again is fine");
    let (status, _) = app
        .post_json(&bob, &format!("/api/v1/statuses/{}/pin", ids[0]), json!({}))
        .await;
    assert_eq!(status, 422, "someone else's");
    let (_, dm) = app
        .post_json(
            &alice,
            "/api/v1/statuses",
            json!({"status": "@bob hi", "visibility": "direct"}),
        )
        .await;
    let (status, _) = app
        .post_json(
            &alice,
            &format!("/api/v1/statuses/{}/pin", dm["id"].as_str().unwrap()),
            json!({}),
        )
        .await;
    assert_eq!(status, 422, "a direct message");

    let (status, s) = app
        .post_json(
            &alice,
            &format!("/api/v1/statuses/{}/unpin", ids[1]),
            json!({}),
        )
        .await;
    assert_eq!((status, s["pinned"].clone()), (200, json!(false)));
    let (_, pinned) = json(
        app.get(&format!("/api/v1/accounts/{alice_id}/statuses?pinned=true"))
            .await,
    )
    .await;
    let got: Vec<&str> = pinned
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        got,
        [
            ids[4].as_str(),
            ids[3].as_str(),
            ids[2].as_str(),
            ids[0].as_str()
        ]
    );
    // Pinned shows only to the one who pinned, in their own view.
    let (_, seen) = json(
        app.get_auth(&format!("/api/v1/statuses/{}", ids[0]), &bob)
            .await,
    )
    .await;
    assert_eq!(seen["pinned"], false);

    // Other servers read the pins from the actor's `featured` collection.
    let (_, actor) = json(app.get_ap("/users/alice").await).await;
    let featured = actor["featured"].as_str().unwrap().to_string();
    assert!(featured.ends_with("/users/alice/featured"), "{featured}");
    let path = featured
        .split_once("/users/")
        .map(|(_, p)| format!("/users/{p}"))
        .unwrap();
    let (status, c) = json(app.get_ap(&path).await).await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["type"], "OrderedCollection");
    assert_eq!(c["totalItems"], 4);
    assert_eq!(c["orderedItems"][0]["type"], "Note");
    assert!(
        c["orderedItems"][0]["id"]
            .as_str()
            .unwrap()
            .ends_with(&ids[4])
    );
}

backend_tests!(tags_and_favourites, rules_and_empty_features, pins);
