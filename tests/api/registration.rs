//! Signing up through the API: refused when closed, open to anyone when open,
//! by invitation (used up, expired, given back on failure) in invite mode.

use passerelle::config::RegistrationMode;
use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

/// An app token (client credentials), as a client gets before signing up.
pub async fn app_token(app: &TestApp) -> String {
    let (status, client) = app
        .post_json("", "/api/v1/apps", json!({"client_name": "Sign-up app", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read write follow"}))
        .await;
    assert_eq!(status, 200, "{client}");
    let resp = app
        .client
        .post(app.url("/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", client["client_id"].as_str().unwrap()),
            ("client_secret", client["client_secret"].as_str().unwrap()),
            ("scope", "read write"),
        ])
        .send()
        .await
        .unwrap();
    let (status, token) = json(resp).await;
    assert_eq!(status, 200, "{token}");
    token["access_token"].as_str().unwrap().to_string()
}

async fn sign_up(app: &TestApp, token: &str, name: &str, extra: Value) -> (u16, Value) {
    let mut body = json!({"username": name, "email": format!("{name}@corp.example"), "password": "a long password", "agreement": true});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    app.post_json(token, "/api/v1/accounts", body).await
}

async fn closed_and_open(backend: Backend) {
    let closed = spawn_app(backend).await;
    let token = app_token(&closed).await;
    let (status, e) = sign_up(&closed, &token, "alice", json!({})).await;
    assert_eq!(status, 403, "{e}");

    let app = TestApp::with_config(backend, |c| c.registration.mode = RegistrationMode::Open).await;
    let token = app_token(&app).await;
    let (status, t) = sign_up(&app, &token, "alice", json!({})).await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["scope"], "read write");
    let (status, me) = json(
        app.get_auth(
            "/api/v1/accounts/verify_credentials",
            t["access_token"].as_str().unwrap(),
        )
        .await,
    )
    .await;
    assert_eq!((status, me["username"].clone()), (200, json!("alice")));
    for (name, extra, why) in [
        ("alice", json!({}), "name taken"),
        ("bob", json!({"agreement": false}), "no agreement"),
        ("bob", json!({"email": "not-an-address"}), "bad email"),
        ("bob", json!({"password": "short"}), "short password"),
        ("b o b", json!({}), "bad name"),
        ("bob", json!({"email": "alice@corp.example"}), "email taken"),
    ] {
        let (status, e) = sign_up(&app, &token, name, extra).await;
        assert_eq!(status, 422, "{why}: {e}");
        assert!(e["error"].is_string());
    }
    let (status, _) = sign_up(&app, "", "carol", json!({})).await;
    assert_eq!(status, 401, "a token is needed");
    let (_, instance) = json(app.get("/api/v2/instance").await).await;
    assert_eq!(instance["registrations"]["enabled"], true);
}

async fn by_invitation(backend: Backend) {
    let app =
        TestApp::with_config(backend, |c| c.registration.mode = RegistrationMode::Invite).await;
    let token = app_token(&app).await;
    let admin = app.admin_with_token("boss", "admin:write read").await;
    let someone = app
        .user_with_token("someone", "read write admin:write")
        .await;

    let (status, e) = sign_up(&app, &token, "alice", json!({})).await;
    assert_eq!(status, 422, "an invitation is required: {e}");
    let (status, _) = app
        .post_json(&someone, "/api/passerelle/v1/admin/invites", json!({}))
        .await;
    assert_eq!(status, 403, "administrators only");
    let (status, invite) = app
        .post_json(
            &admin,
            "/api/passerelle/v1/admin/invites",
            json!({"max_uses": 1, "expires_in_days": 7}),
        )
        .await;
    assert_eq!(status, 201, "{invite}");
    let code = invite["code"].as_str().unwrap();
    assert!(invite["expires_at"].is_string());

    // A sign-up that fails gives its use back.
    let (status, _) = sign_up(&app, &token, "someone", json!({"invite_code": code})).await;
    assert_eq!(status, 422, "name taken");
    let (status, t) = sign_up(&app, &token, "alice", json!({"invite_code": code})).await;
    assert_eq!(status, 200, "{t}");
    let (status, e) = sign_up(&app, &token, "bob", json!({"invite_code": code})).await;
    assert_eq!(status, 422, "used up: {e}");
    let (status, _) = sign_up(&app, &token, "bob", json!({"invite_code": "made-up"})).await;
    assert_eq!(status, 422);
    for bad in [json!({"max_uses": 0}), json!({"expires_in_days": 1000})] {
        let (status, _) = app
            .post_json(&admin, "/api/passerelle/v1/admin/invites", bad)
            .await;
        assert_eq!(status, 422);
    }
}

/// Names that collide with routes or roles cannot be taken, whatever their case.
async fn reserved_names_are_refused(backend: Backend) {
    let app = TestApp::with_config(backend, |c| c.registration.mode = RegistrationMode::Open).await;
    let token = app_token(&app).await;
    for name in [
        "moderator",
        "Moderators",
        "SETTINGS",
        "metrics",
        "instance",
        "public",
        "local",
        "noreply",
        "statuses",
        "help",
        "www",
        "admin",
        "Root",
    ] {
        let (status, e) = sign_up(&app, &token, name, json!({})).await;
        assert_eq!(status, 422, "{name}: {e}");
        let msg = e["error"].as_str().unwrap();
        assert!(
            msg.contains("username") && msg.contains("reserved"),
            "{name}: {msg}"
        );
    }
    let (status, e) = sign_up(&app, &token, "moderator_jane", json!({})).await;
    assert_eq!(status, 200, "only the exact names: {e}");
}

backend_tests!(closed_and_open, by_invitation, reserved_names_are_refused);
