//! Blocks and mutes, as Mastodon apps use them: what each hides, from whom,
//! and what they end.

use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

async fn list(app: &TestApp, path: &str, token: &str) -> Vec<Value> {
    let (status, v) = json(app.get_auth(path, token).await).await;
    assert_eq!(status, 200, "{path}: {v}");
    v.as_array().unwrap().clone()
}

fn authors(statuses: &[Value]) -> Vec<String> {
    statuses
        .iter()
        .map(|s| s["account"]["username"].as_str().unwrap().to_string())
        .collect()
}

async fn post(app: &TestApp, token: &str, body: Value) -> String {
    let (status, s) = app.post_json(token, "/api/v1/statuses", body).await;
    assert_eq!(status, 200, "{s}");
    s["id"].as_str().unwrap().to_string()
}

async fn relationship(app: &TestApp, token: &str, id: &str) -> Value {
    let (_, r) = json(
        app.get_auth(&format!("/api/v1/accounts/relationships?id[]={id}"), token)
            .await,
    )
    .await;
    r[0].clone()
}

async fn blocks(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let carol = app.user_with_token("carol", "read write follow").await;
    let (alice_id, bob_id) = (app.account_id(&alice).await, app.account_id(&bob).await);
    for (token, id) in [(&alice, &bob_id), (&bob, &alice_id)] {
        app.post_json(token, &format!("/api/v1/accounts/{id}/follow"), json!({}))
            .await;
    }
    let bobs = post(&app, &bob, json!({"status": "@alice lunch at noon?"})).await;
    let root = post(&app, &carol, json!({"status": "Kick-off notes"})).await;
    post(
        &app,
        &bob,
        json!({"status": "Thanks carol", "in_reply_to_id": root}),
    )
    .await;
    // Carol boosts Bob; Alice follows Carol.
    app.post_json(
        &carol,
        &format!("/api/v1/statuses/{bobs}/reblog"),
        json!({}),
    )
    .await;
    let carol_id = app.account_id(&carol).await;
    app.post_json(
        &alice,
        &format!("/api/v1/accounts/{carol_id}/follow"),
        json!({}),
    )
    .await;
    assert!(!list(&app, "/api/v1/notifications", &alice).await.is_empty());

    // Bad requests first: no scope, oneself, nobody.
    let reader = app.user_with_token("dave", "read").await;
    let (status, _) = app
        .post_json(
            &reader,
            &format!("/api/v1/accounts/{bob_id}/block"),
            json!({}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, e) = app
        .post_json(
            &alice,
            &format!("/api/v1/accounts/{alice_id}/block"),
            json!({}),
        )
        .await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"].is_string());
    let (status, _) = app
        .post_json(&alice, "/api/v1/accounts/424242/block", json!({}))
        .await;
    assert_eq!(status, 404);

    let (status, r) = app
        .post_json(
            &alice,
            &format!("/api/v1/accounts/{bob_id}/block"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        (&r["blocking"], &r["following"], &r["followed_by"]),
        (&json!(true), &json!(false), &json!(false)),
        "{r}"
    );
    assert_eq!(
        relationship(&app, &bob, &alice_id).await["blocked_by"],
        true
    );
    let blocked = list(&app, "/api/v1/blocks", &alice).await;
    assert_eq!(authors_of_accounts(&blocked), ["bob"]);

    // Alice no longer sees Bob: notifications, timelines, boosts, threads.
    let notes = list(&app, "/api/v1/notifications", &alice).await;
    assert!(notes.iter().all(|n| n["account"]["username"] != "bob"));
    for path in ["/api/v1/timelines/home", "/api/v1/timelines/public"] {
        let seen = list(&app, path, &alice).await;
        assert!(!authors(&seen).contains(&"bob".to_string()), "{path}");
        assert!(
            seen.iter().all(|s| s["reblog"]["id"] != bobs.as_str()),
            "{path}: a boost of bob"
        );
    }
    let (_, context) = json(
        app.get_auth(&format!("/api/v1/statuses/{root}/context"), &alice)
            .await,
    )
    .await;
    assert_eq!(context["descendants"], json!([]));
    // Others still do.
    let (_, context) = json(
        app.get_auth(&format!("/api/v1/statuses/{root}/context"), &carol)
            .await,
    )
    .await;
    assert_eq!(context["descendants"].as_array().unwrap().len(), 1);

    // Bob cannot see, answer, favourite or follow Alice, and cannot reach her.
    let alices = post(&app, &alice, json!({"status": "Quarterly review"})).await;
    let (status, _) = json(
        app.get_auth(&format!("/api/v1/statuses/{alices}"), &bob)
            .await,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .post_json(
            &bob,
            &format!("/api/v1/statuses/{alices}/favourite"),
            json!({}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .post_json(
            &bob,
            "/api/v1/statuses",
            json!({"status": "hm", "in_reply_to_id": alices}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .post_json(
            &bob,
            &format!("/api/v1/accounts/{alice_id}/follow"),
            json!({}),
        )
        .await;
    assert_eq!(status, 403);
    let theirs = list(&app, &format!("/api/v1/accounts/{alice_id}/statuses"), &bob).await;
    assert!(theirs.is_empty());
    post(&app, &bob, json!({"status": "@alice are you there?"})).await;
    let notes = list(&app, "/api/v1/notifications", &alice).await;
    assert!(notes.iter().all(|n| n["account"]["username"] != "bob"));

    // Unblocked: Bob's public statuses are back; follows are not restored.
    let (status, r) = app
        .post_json(
            &alice,
            &format!("/api/v1/accounts/{bob_id}/unblock"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, &r["blocking"], &r["following"]),
        (200, &json!(false), &json!(false))
    );
    let public = list(&app, "/api/v1/timelines/public", &alice).await;
    assert!(authors(&public).contains(&"bob".to_string()));
    assert!(list(&app, "/api/v1/blocks", &alice).await.is_empty());
}

fn authors_of_accounts(accounts: &[Value]) -> Vec<String> {
    accounts
        .iter()
        .map(|a| a["username"].as_str().unwrap().to_string())
        .collect()
}

async fn mutes(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let bob_id = app.account_id(&bob).await;
    app.post_json(
        &alice,
        &format!("/api/v1/accounts/{bob_id}/follow"),
        json!({}),
    )
    .await;
    let (status, r) = app
        .post_json(
            &alice,
            &format!("/api/v1/accounts/{bob_id}/mute"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        (&r["muting"], &r["muting_notifications"], &r["following"]),
        (&json!(true), &json!(true), &json!(true)),
        "a mute keeps the follow"
    );
    let bobs = post(&app, &bob, json!({"status": "@alice the build is red"})).await;
    for path in ["/api/v1/timelines/home", "/api/v1/timelines/public"] {
        assert!(list(&app, path, &alice).await.is_empty(), "{path}");
    }
    assert!(list(&app, "/api/v1/notifications", &alice).await.is_empty());
    // Still there when asked for directly; Bob knows nothing.
    let (status, _) = json(
        app.get_auth(&format!("/api/v1/statuses/{bobs}"), &alice)
            .await,
    )
    .await;
    assert_eq!(status, 200);
    let alice_id = app.account_id(&alice).await;
    assert_eq!(
        relationship(&app, &bob, &alice_id).await["blocked_by"],
        false
    );
    assert_eq!(
        authors_of_accounts(&list(&app, "/api/v1/mutes", &alice).await),
        ["bob"]
    );

    // Muting the statuses only, with the form encoding apps send.
    let (status, r) = app
        .post_form(
            &alice,
            &format!("/api/v1/accounts/{bob_id}/mute"),
            &[("notifications", "false")],
        )
        .await;
    assert_eq!((status, &r["muting_notifications"]), (200, &json!(false)));
    post(&app, &bob, json!({"status": "@alice fixed"})).await;
    assert_eq!(list(&app, "/api/v1/notifications", &alice).await.len(), 1);
    assert!(
        list(&app, "/api/v1/timelines/home", &alice)
            .await
            .is_empty()
    );

    // Durations: out of range refused; a short one runs out.
    let (status, e) = app
        .post_json(
            &alice,
            &format!("/api/v1/accounts/{bob_id}/mute"),
            json!({"duration": -5}),
        )
        .await;
    assert_eq!(status, 422, "{e}");
    app.post_json(
        &alice,
        &format!("/api/v1/accounts/{bob_id}/mute"),
        json!({"duration": 1}),
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
    assert!(list(&app, "/api/v1/mutes", &alice).await.is_empty());
    assert_eq!(list(&app, "/api/v1/timelines/home", &alice).await.len(), 2);

    let (status, r) = app
        .post_json(
            &alice,
            &format!("/api/v1/accounts/{bob_id}/unmute"),
            json!({}),
        )
        .await;
    assert_eq!((status, &r["muting"]), (200, &json!(false)));
}

backend_tests!(blocks, mutes);
