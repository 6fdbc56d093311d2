//! The pages of one's own account: notifications, search, password, and where
//! one is signed in (sessions and apps), with revocation that takes effect at once.

use serde_json::json;

use crate::{
    backend_tests,
    browser::Browser,
    helpers::{Backend, json, spawn_app},
};

backend_tests!(
    sessions_and_apps,
    password_change,
    notifications_and_search,
    app_tokens_open_no_session
);

async fn sessions_and_apps(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.user_with_token("alice", "read").await;
    let (mut laptop, mut phone) = (Browser::new(&app), Browser::new(&app));
    laptop.sign_in("alice").await;
    phone.sign_in("alice").await;

    let settings = laptop.get("/settings").await;
    assert_eq!(
        settings
            .body
            .matches(r#"action="/settings/revoke" class="inline""#)
            .count(),
        2,
        "one other session, one app"
    );
    assert!(settings.body.contains("This browser"));
    assert!(
        settings.body.contains("Passerelle CLI"),
        "the app behind the test token"
    );

    // Signing out everywhere else ends the phone's session, not the laptop's.
    let done = laptop
        .post("/settings/revoke", &[("tokens", "others")])
        .await;
    assert_eq!(done.location.as_deref(), Some("/settings?saved=revoked"));
    assert!(phone.get("/").await.body.contains(r#"action="/login""#));
    assert!(laptop.get("/").await.body.contains("News feed"));

    // Revoking the app's access ends its token at once.
    let page = laptop.get("/settings").await.body;
    let marker = r#"name="tokens" value=""#;
    let ids = page
        .rsplit(marker)
        .next()
        .and_then(|r| r.split('"').next())
        .expect("the app's tokens");
    assert_eq!(
        app.get_auth("/api/v1/accounts/verify_credentials", &token)
            .await
            .status(),
        200
    );
    laptop.post("/settings/revoke", &[("tokens", ids)]).await;
    assert_eq!(
        app.get_auth("/api/v1/accounts/verify_credentials", &token)
            .await
            .status(),
        401
    );
    // Someone else's token ids change nothing.
    let bob = app.user_with_token("bob", "read").await;
    laptop
        .post("/settings/revoke", &[("tokens", "1,2,3,4,5,6,7,8,9,10")])
        .await;
    assert_eq!(
        app.get_auth("/api/v1/accounts/verify_credentials", &bob)
            .await
            .status(),
        200
    );
}

async fn password_change(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_token("alice", "read").await;
    let mut b = Browser::new(&app);
    b.sign_in("alice").await;
    let wrong = b
        .post(
            "/settings/password",
            &[
                ("current_password", "nope"),
                ("password", "a new long password"),
                ("confirmation", "a new long password"),
            ],
        )
        .await;
    assert!(wrong.status >= 400, "{}", wrong.status);
    let differ = b
        .post(
            "/settings/password",
            &[
                ("current_password", "correct horse battery"),
                ("password", "a new long password"),
                ("confirmation", "another"),
            ],
        )
        .await;
    assert_eq!(differ.status, 422);
    assert!(differ.body.contains("confirmation differ"));
    let done = b
        .post(
            "/settings/password",
            &[
                ("current_password", "correct horse battery"),
                ("password", "a new long password"),
                ("confirmation", "a new long password"),
            ],
        )
        .await;
    assert_eq!(
        done.location.as_deref(),
        Some("/settings?saved=password"),
        "{}",
        done.body
    );
    let fresh = Browser::new(&app);
    let old = fresh
        .post(
            "/login",
            &[("login", "alice"), ("password", "correct horse battery")],
        )
        .await;
    assert_eq!(old.status, 401);
    let new = fresh
        .post(
            "/login",
            &[("login", "alice"), ("password", "a new long password")],
        )
        .await;
    assert_eq!(new.status, 303);
}

async fn notifications_and_search(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let (_, post) = app
        .post_json(
            &alice,
            "/api/v1/statuses",
            json!({"status": "Quarterly figures are out"}),
        )
        .await;
    let id = post["id"].as_str().expect("id");
    let (status, _) = json(
        app.client
            .post(app.url(&format!("/api/v1/statuses/{id}/favourite")))
            .bearer_auth(&bob)
            .send()
            .await
            .expect("like"),
    )
    .await;
    assert_eq!(status, 200);
    app.post_json(
        &alice,
        "/api/passerelle/v1/communities",
        json!({"name": "finance", "title": "Finance"}),
    )
    .await;
    let mut b = Browser::new(&app);
    b.sign_in("alice").await;
    let page = b.get("/notifications").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("liked your post"), "{}", page.body);
    assert!(page.body.contains("Quarterly figures"));

    let found = b.get("/search?q=quarterly").await;
    assert!(
        found.body.contains("Quarterly figures are out"),
        "{}",
        found.body
    );
    let found = b.get("/search?q=fin").await;
    assert!(found.body.contains(r#"href="/communities/finance""#));
    let people = Browser::new(&app).get("/search?q=bob").await;
    assert!(people.body.contains(r#"href="/@bob""#));
}

/// A client app's token is no browser session: put in the cookie, it opens
/// nothing (its scopes could be narrower than the pages'); and no client may
/// register under the pages' own app name.
async fn app_tokens_open_no_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.user_with_token("alice", "read").await;
    let mut forged = Browser::new(&app);
    forged.cookie = Some(format!("passerelle_session={token}"));
    let settings = forged.get("/settings").await;
    assert_eq!(settings.status, 303, "{}", settings.body);
    assert!(!forged.get("/").await.body.contains("@alice"));
    for name in ["Passerelle web", " passerelle WEB ", "Passerelle CLI"] {
        let (status, e) = json(
            app.client
                .post(app.url("/api/v1/apps"))
                .json(&json!({"client_name": name, "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}))
                .send()
                .await
                .expect("apps"),
        )
        .await;
        assert_eq!(status, 422, "{name}: {e}");
    }
    // The real session still works.
    let mut real = Browser::new(&app);
    real.sign_in("alice").await;
    assert_eq!(real.get("/settings").await.status, 200);
}
