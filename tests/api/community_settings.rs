//! The owner changes a community's visibility and its own partner servers.

use serde_json::json;

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    json(
        app.client
            .request(method, app.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("request"),
    )
    .await
}

async fn visibility_and_partners(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let (status, c) = app
        .post_json(
            &alice,
            "/api/passerelle/v1/communities",
            json!({"name": "devs"}),
        )
        .await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["visibility"], "public");
    let id = c["id"].as_str().unwrap().to_string();
    let path = format!("/api/passerelle/v1/communities/{id}");
    let (status, t) = app
        .post_json(
            &alice,
            &format!("{path}/threads"),
            json!({"title": "Roadmap", "body": "x"}),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    let thread = format!("/api/v1/statuses/{}", t["id"].as_str().unwrap());
    assert_eq!(app.get(&thread).await.status(), 200, "public: anyone reads");

    // Only the owner changes it; bad values are 422 and change nothing.
    let patch = reqwest::Method::PATCH;
    let (status, _) = send(
        &app,
        patch.clone(),
        &bob,
        &path,
        json!({"visibility": "members"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, body) = send(
        &app,
        patch.clone(),
        &alice,
        &path,
        json!({"visibility": "secret"}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body["error"].as_str().unwrap().contains("visibility"));
    let (status, c) = send(
        &app,
        patch.clone(),
        &alice,
        &path,
        json!({"visibility": "members"}),
    )
    .await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["visibility"], "members");
    // Its statuses follow: the thread is now for members only.
    assert_eq!(app.get(&thread).await.status(), 404);
    let (_, s) = json(app.get_auth(&thread, &alice).await).await;
    assert_eq!(s["passerelle"]["visibility"], "members");
    assert_eq!(s["visibility"], "private");
    // Joining now needs approval.
    let (_, joined) = app
        .post_json(&bob, &format!("{path}/join"), json!({}))
        .await;
    assert_eq!(joined["membership"], "pending", "{joined}");
    // No remote member: it may become internal, and back.
    let (status, c) = send(
        &app,
        patch.clone(),
        &alice,
        &path,
        json!({"visibility": "internal"}),
    )
    .await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(app.get_ap("/c/devs").await.status(), 404);
    let (status, _) = send(
        &app,
        patch.clone(),
        &alice,
        &path,
        json!({"visibility": "partners"}),
    )
    .await;
    assert_eq!(status, 200);

    // The community's own partner servers.
    let partners = format!("{path}/partners");
    let (status, body) = app
        .post_json(&alice, &partners, json!({"domain": "*.Client.example"}))
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["domain"], "*.client.example");
    let (status, _) = app
        .post_json(
            &alice,
            &partners,
            json!({"domain": "evil.com/client.example"}),
        )
        .await;
    assert_eq!(status, 422);
    let (status, _) = app
        .post_json(&bob, &partners, json!({"domain": "bob.example"}))
        .await;
    assert_eq!(status, 403);
    let (status, list) = json(app.get_auth(&partners, &alice).await).await;
    assert_eq!(status, 200);
    assert_eq!(list, json!([{"domain": "*.client.example"}]));
    assert_eq!(app.get_auth(&partners, &bob).await.status(), 403);
    let delete = reqwest::Method::DELETE;
    let one = format!("{partners}/*.client.example");
    let (status, _) = send(&app, delete.clone(), &alice, &one, json!({})).await;
    assert_eq!(status, 200);
    let (status, _) = send(&app, delete, &alice, &one, json!({})).await;
    assert_eq!(status, 404);
}

/// Stewardship is handed over by the owner (who stays a moderator) to a local
/// member only, or named by an administrator.
async fn stewardship_is_handed_over(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let carol = app.user_with_token("carol", "read write follow").await;
    let admin = app
        .admin_with_token("chief", "read write follow admin:write")
        .await;
    let (_, c) = app
        .post_json(
            &alice,
            "/api/passerelle/v1/communities",
            json!({"name": "ops"}),
        )
        .await;
    let id = c["id"].as_str().unwrap().to_string();
    let join = format!("/api/passerelle/v1/communities/{id}/join");
    for t in [&bob, &carol] {
        let (status, _) = app.post_json(t, &join, json!({})).await;
        assert_eq!(status, 200);
    }
    let (bob_id, carol_id) = (app.account_id(&bob).await, app.account_id(&carol).await);
    let owner = format!("/api/passerelle/v1/communities/{id}/owner");
    let (status, e) = app
        .post_json(&bob, &owner, json!({"account_id": bob_id}))
        .await;
    assert_eq!(status, 403, "not the owner: {e}");
    let outsider = app.user_with_token("oscar", "read write").await;
    let oscar_id = app.account_id(&outsider).await;
    let (status, e) = app
        .post_json(&alice, &owner, json!({"account_id": oscar_id}))
        .await;
    assert_eq!(status, 422, "not a member: {e}");
    let (status, mods) = app
        .post_json(&alice, &owner, json!({"account_id": bob_id}))
        .await;
    assert_eq!(status, 200, "{mods}");
    assert_eq!(
        mods.as_array().unwrap().len(),
        2,
        "alice stays a moderator: {mods}"
    );
    // Bob now does what only the owner does; alice no longer can.
    let settings = format!("/api/passerelle/v1/communities/{id}/moderators");
    let (status, e) = app
        .post_json(&alice, &settings, json!({"account_id": carol_id}))
        .await;
    assert_eq!(status, 403, "{e}");
    let (status, _) = app
        .post_json(&bob, &settings, json!({"account_id": carol_id}))
        .await;
    assert_eq!(status, 200);
    // An administrator names carol owner; bob stays a moderator.
    let assign = format!("/api/passerelle/v1/admin/communities/{id}/owner");
    let (status, e) = app
        .post_json(&alice, &assign, json!({"account_id": carol_id}))
        .await;
    assert_eq!(status, 403, "{e}");
    let (status, mods) = app
        .post_json(&admin, &assign, json!({"account_id": carol_id}))
        .await;
    assert_eq!(status, 200, "{mods}");
    let (status, _) = app
        .post_json(&bob, &owner, json!({"account_id": bob_id}))
        .await;
    assert_eq!(status, 403, "bob is no longer the owner");
}

backend_tests!(visibility_and_partners, stewardship_is_handed_over);
