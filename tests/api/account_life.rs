//! An account's life: password change, deletion (erasure), suspension by an
//! administrator.

use passerelle::service::accounts;
use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

const PASSWORD: &str = "correct horse battery";

async fn post(app: &TestApp, token: &str, text: &str) -> String {
    let (status, s) = app
        .post_json(token, "/api/v1/statuses", json!({"status": text}))
        .await;
    assert_eq!(status, 200, "{s}");
    s["id"].as_str().unwrap().to_string()
}

async fn delete_with(app: &TestApp, path: &str, token: &str, body: Value) -> (u16, Value) {
    json(
        app.client
            .delete(app.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn password_change(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let path = "/api/passerelle/v1/account/password";
    let (status, e) = app
        .post_json(
            &alice,
            path,
            json!({"current_password": "wrong", "password": "a new long one"}),
        )
        .await;
    assert_eq!(status, 403, "{e}");
    let (status, e) = app
        .post_json(
            &alice,
            path,
            json!({"current_password": PASSWORD, "password": "short"}),
        )
        .await;
    assert_eq!(status, 422, "{e}");
    let (status, _) = app
        .post_json(&alice, path, json!({"current_password": PASSWORD}))
        .await;
    assert_eq!(status, 422, "no new password");
    let reader = app.user_with_token("bob", "read").await;
    let (status, _) = app
        .post_json(
            &reader,
            path,
            json!({"current_password": PASSWORD, "password": "a new long one"}),
        )
        .await;
    assert_eq!(status, 403, "write:accounts needed");

    let (status, _) = app
        .post_json(
            &alice,
            path,
            json!({"current_password": PASSWORD, "password": "a new long one"}),
        )
        .await;
    assert_eq!(status, 200);
    assert!(
        accounts::authenticate(&app.state, "alice", PASSWORD)
            .await
            .is_err()
    );
    assert!(
        accounts::authenticate(&app.state, "alice", "a new long one")
            .await
            .is_ok()
    );
}

async fn deletion(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let (alice_id, bob_id) = (app.account_id(&alice).await, app.account_id(&bob).await);
    app.post_json(
        &bob,
        &format!("/api/v1/accounts/{alice_id}/follow"),
        json!({}),
    )
    .await;
    let hers = post(&app, &alice, "My last words here").await;
    let form = reqwest::multipart::Form::new().part(
        "avatar",
        reqwest::multipart::Part::bytes(crate::profiles::png(64, 64))
            .file_name("me.png")
            .mime_str("image/png")
            .unwrap(),
    );
    let (status, me) = json(
        app.client
            .patch(app.url("/api/v1/accounts/update_credentials"))
            .bearer_auth(&alice)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{me}");
    let avatar = me["avatar"].as_str().unwrap().to_string();
    assert_eq!(app.client.get(&avatar).send().await.unwrap().status(), 200);
    let his = post(&app, &bob, "Bob's news").await;
    app.post_json(
        &alice,
        &format!("/api/v1/statuses/{his}/favourite"),
        json!({}),
    )
    .await;
    app.post_json(
        &bob,
        &format!("/api/v1/statuses/{hers}/favourite"),
        json!({}),
    )
    .await;

    // The owner of a community hands it over first.
    let carol = app.user_with_token("carol", "read write follow").await;
    let (status, c) = app
        .post_json(
            &carol,
            "/api/passerelle/v1/communities",
            json!({"name": "owners", "title": "Owners"}),
        )
        .await;
    assert_eq!(status, 200, "{c}");
    let (status, e) = delete_with(
        &app,
        "/api/passerelle/v1/account",
        &carol,
        json!({"password": PASSWORD}),
    )
    .await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"].as_str().unwrap().contains("owners"));

    let (status, _) = delete_with(
        &app,
        "/api/passerelle/v1/account",
        &alice,
        json!({"password": "nope"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = delete_with(&app, "/api/passerelle/v1/account", &alice, json!({})).await;
    assert_eq!(status, 422);
    let (status, ok) = delete_with(
        &app,
        "/api/passerelle/v1/account",
        &alice,
        json!({"password": PASSWORD}),
    )
    .await;
    assert_eq!(status, 200, "{ok}");

    // Gone: her token, her account, her statuses, her marks on others'.
    let (status, _) = json(
        app.get_auth("/api/v1/accounts/verify_credentials", &alice)
            .await,
    )
    .await;
    assert_eq!(status, 401);
    let (status, _) = json(app.get(&format!("/api/v1/accounts/{alice_id}")).await).await;
    assert_eq!(status, 404);
    let (status, _) = json(app.get("/api/v1/accounts/lookup?acct=alice").await).await;
    assert_eq!(status, 404);
    let (status, _) = json(app.get(&format!("/api/v1/statuses/{hers}")).await).await;
    assert_eq!(status, 404);
    let (_, s) = json(app.get(&format!("/api/v1/statuses/{his}")).await).await;
    assert_eq!(s["favourites_count"], 0);
    let (_, bobs) = json(app.get(&format!("/api/v1/accounts/{bob_id}")).await).await;
    assert_eq!(bobs["following_count"], 0);
    let (_, notes) = json(app.get_auth("/api/v1/notifications", &bob).await).await;
    assert_eq!(notes, json!([]), "notifications from her went too");
    assert!(
        accounts::authenticate(&app.state, "alice", PASSWORD)
            .await
            .is_err()
    );
    assert_eq!(
        app.client.get(&avatar).send().await.unwrap().status(),
        404,
        "her picture's file is gone"
    );
    // The ActivityPub actor is gone for good.
    let resp = app.get_ap("/users/alice").await;
    assert_eq!(resp.status(), 410);
}

async fn suspension(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin_with_token("ops", "read write admin:write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let carol = app.user_with_token("carol", "read write admin:write").await;
    let bob_id = app.account_id(&bob).await;
    let his = post(&app, &bob, "Bob's quarterly figures").await;
    let action = format!("/api/v1/admin/accounts/{bob_id}/action");

    let (status, _) = app
        .post_json(&carol, &action, json!({"type": "suspend"}))
        .await;
    assert_eq!(status, 403, "administrators only");
    let (status, _) = app
        .post_json(&admin, &action, json!({"type": "silence"}))
        .await;
    assert_eq!(status, 422);
    let (status, _) = delete_with(
        &app,
        &format!("/api/v1/admin/accounts/{bob_id}"),
        &admin,
        json!({}),
    )
    .await;
    assert_eq!(status, 403, "suspend before deleting");

    let (status, a) = app
        .post_json(&admin, &action, json!({"type": "suspend"}))
        .await;
    assert_eq!((status, &a["suspended"]), (200, &json!(true)), "{a}");
    let (status, _) = json(
        app.get_auth("/api/v1/accounts/verify_credentials", &bob)
            .await,
    )
    .await;
    assert_eq!(status, 401, "no login while suspended");
    let (status, _) = json(app.get(&format!("/api/v1/statuses/{his}")).await).await;
    assert_eq!(status, 404);
    let (_, public) = json(app.get("/api/v1/timelines/public").await).await;
    assert_eq!(public, json!([]));
    let (_, account) = json(app.get(&format!("/api/v1/accounts/{bob_id}")).await).await;
    assert_eq!(account["suspended"], true);
    let (_, statuses) = json(
        app.get(&format!("/api/v1/accounts/{bob_id}/statuses"))
            .await,
    )
    .await;
    assert_eq!(statuses, json!([]));

    let (status, a) = app
        .post_json(
            &admin,
            &format!("/api/v1/admin/accounts/{bob_id}/unsuspend"),
            json!({}),
        )
        .await;
    assert_eq!((status, &a["suspended"]), (200, &json!(false)));
    let (status, _) = json(
        app.get_auth("/api/v1/accounts/verify_credentials", &bob)
            .await,
    )
    .await;
    assert_eq!(status, 200, "back, with the same token");
    let (status, _) = json(app.get(&format!("/api/v1/statuses/{his}")).await).await;
    assert_eq!(status, 200);

    // Suspended, then deleted by the administrator.
    app.post_json(&admin, &action, json!({"type": "suspend"}))
        .await;
    let (status, _) = delete_with(
        &app,
        &format!("/api/v1/admin/accounts/{bob_id}"),
        &admin,
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = json(app.get(&format!("/api/v1/accounts/{bob_id}")).await).await;
    assert_eq!(status, 404);
}

backend_tests!(password_change, deletion, suspension);
