//! Administrators edit the federation lists at runtime; config.toml entries stay.

use serde_json::json;

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json},
};

const LISTS: &str = "/api/passerelle/v1/admin/federation/domains";

/// A POST to the shared inbox whose signature names a key on `host`: refused with
/// 403 before anything is fetched when the host is blocked.
async fn inbox_status(app: &TestApp, host: &str) -> u16 {
    app.client
        .post(app.url("/inbox"))
        .header("content-type", "application/activity+json")
        .header(
            "signature",
            format!("keyId=\"http://{host}/users/x#main-key\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"AAAA\""),
        )
        .body(r#"{"id":"http://x/1","type":"Follow"}"#)
        .send()
        .await
        .expect("post")
        .status()
        .as_u16()
}

async fn lists_are_edited_at_runtime(backend: Backend) {
    let app = TestApp::with_config(backend, |c| {
        c.federation.blocklist = vec!["*.spam.example".into()];
        c.federation.partners = vec!["acme.example".into()];
    })
    .await;
    let admin = app
        .admin_with_token("operator", "admin:read admin:write")
        .await;
    let reader = app.admin_with_token("auditor", "admin:read").await;
    let alice = app.user_with_token("alice", "read write").await;

    let (status, body) = json(app.get_auth(LISTS, &admin).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["mode"], "open");
    assert_eq!(
        body["lists"]["block"],
        json!([{"domain": "*.spam.example", "source": "config"}])
    );
    assert_eq!(body["lists"]["partner"][0]["domain"], "acme.example");
    assert_eq!(body["lists"]["allow"], json!([]));

    // Only administrators, with the right scope.
    assert_eq!(app.get(LISTS).await.status(), 401);
    assert_eq!(app.get_auth(LISTS, &alice).await.status(), 403);
    let (status, _) = app
        .post_json(
            &reader,
            LISTS,
            json!({"list": "block", "domain": "x.example"}),
        )
        .await;
    assert_eq!(status, 403, "admin:read cannot write");

    // Bad input: 422 with the reason, nothing stored.
    for (list, domain) in [
        ("block", "evil.com/partner.example"),
        ("block", "partner.example@evil.com"),
        ("block", "https://x.example"),
        ("block", ""),
        ("deny", "x.example"),
    ] {
        let (status, body) = app
            .post_json(&admin, LISTS, json!({"list": list, "domain": domain}))
            .await;
        assert_eq!(status, 422, "{list} {domain}: {body}");
        assert!(body["error"].as_str().is_some(), "{body}");
    }
    let (status, _) = app.post_json(&admin, LISTS, json!({"list": "block"})).await;
    assert_eq!(status, 422, "missing domain");

    // Blocking takes effect at once: the server's requests are refused before
    // anything is fetched.
    assert_ne!(inbox_status(&app, "localhost:1").await, 403);
    let (status, body) = app
        .post_json(
            &admin,
            LISTS,
            json!({"list": "block", "domain": "LOCALHOST:1"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["domain"], "localhost:1", "normalised");
    assert_eq!(inbox_status(&app, "localhost:1").await, 403);
    assert_ne!(
        inbox_status(&app, "localhost:2").await,
        403,
        "only that port"
    );
    let (status, _) = app
        .post_json(
            &admin,
            LISTS,
            json!({"list": "block", "domain": "localhost:1"}),
        )
        .await;
    assert_eq!(status, 200, "adding twice is harmless");

    let (_, body) = json(app.get_auth(LISTS, &reader).await).await;
    assert_eq!(
        body["lists"]["block"],
        json!([
            {"domain": "*.spam.example", "source": "config"},
            {"domain": "localhost:1", "source": "admin"},
        ])
    );

    // Removing: config entries stay (409), unknown ones are 404.
    let del = |path: String| {
        let (client, url, token) = (app.client.clone(), app.url(&path), admin.clone());
        async move {
            json(
                client
                    .delete(url)
                    .bearer_auth(token)
                    .send()
                    .await
                    .expect("delete"),
            )
            .await
        }
    };
    let (status, body) = del(format!("{LISTS}/block/*.spam.example")).await;
    assert_eq!(status, 409, "{body}");
    let (status, _) = del(format!("{LISTS}/block/never.example")).await;
    assert_eq!(status, 404);
    let (status, body) = del(format!("{LISTS}/block/localhost:1")).await;
    assert_eq!(status, 200, "{body}");
    assert_ne!(
        inbox_status(&app, "localhost:1").await,
        403,
        "unblocked at once"
    );

    // The lists live in the database: a restart (a new state on the same database)
    // keeps them.
    let (status, _) = app
        .post_json(
            &admin,
            LISTS,
            json!({"list": "partner", "domain": "*.client.example"}),
        )
        .await;
    assert_eq!(status, 201);
    let config = app.state.config.clone();
    let again = passerelle::build_state(config).await.expect("state");
    assert!(again.policy.is_partner("shop.client.example"));
    assert!(!again.policy.is_partner("client.example.evil"));
}

backend_tests!(lists_are_edited_at_runtime, mode_changes_at_runtime);

async fn put_mode(app: &TestApp, token: &str, mode: &str) -> (u16, serde_json::Value) {
    json(
        app.client
            .put(app.url("/api/passerelle/v1/admin/federation/mode"))
            .bearer_auth(token)
            .json(&json!({ "mode": mode }))
            .send()
            .await
            .expect("put"),
    )
    .await
}

/// The federation mode changes without a restart: requests from servers off the
/// allowlist are refused at once, and anonymous ActivityPub reads need a
/// signature as soon as federation is limited.
async fn mode_changes_at_runtime(backend: Backend) {
    let app = TestApp::with_config(backend, |_| {}).await;
    let admin = app
        .admin_with_token("operator", "admin:read admin:write")
        .await;
    let alice = app.user_with_token("alice", "read write").await;
    assert!(full_actor(&app).await);
    // Allowed servers get past the policy (then fail on the bogus signature).
    assert_ne!(inbox_status(&app, "other.example").await, 403);

    assert_eq!(put_mode(&app, &alice, "closed").await.0, 403);
    let (status, e) = put_mode(&app, &admin, "sideways").await;
    assert_eq!(status, 422, "{e}");
    let (status, e) = put_mode(&app, &admin, "allowlist").await;
    assert_eq!(status, 422, "no allowlist yet: {e}");

    let (status, _) = app
        .post_json(
            &admin,
            LISTS,
            json!({"list": "allow", "domain": "acme.example"}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, body) = put_mode(&app, &admin, "allowlist").await;
    assert_eq!((status, body["mode"].as_str()), (200, Some("allowlist")));
    let (_, lists) = json(app.get_auth(LISTS, &admin).await).await;
    assert_eq!(lists["mode"], "allowlist");
    assert_eq!(inbox_status(&app, "other.example").await, 403);
    assert_ne!(inbox_status(&app, "acme.example").await, 403);
    assert!(
        !full_actor(&app).await,
        "an anonymous reader gets the key only"
    );

    put_mode(&app, &admin, "closed").await;
    assert_eq!(inbox_status(&app, "acme.example").await, 403);

    put_mode(&app, &admin, "open").await;
    assert_ne!(inbox_status(&app, "other.example").await, 403);
    assert!(full_actor(&app).await);
}

/// Whether an anonymous GET of alice's actor shows more than her key.
async fn full_actor(app: &TestApp) -> bool {
    let (status, doc) = json(app.get_ap("/users/alice").await).await;
    assert_eq!(status, 200, "{doc}");
    doc.get("outbox").is_some()
}
