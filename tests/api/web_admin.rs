//! The administrators' pages: instance settings at runtime (over config.toml),
//! people (create, invite, suspend, roles), federation lists and queue, reports.

use serde_json::json;

use crate::{
    backend_tests,
    browser::Browser,
    helpers::{Backend, json, spawn_app},
};

backend_tests!(
    settings_change_at_runtime,
    people_and_invitations,
    federation_and_reports
);

async fn settings_change_at_runtime(backend: Backend) {
    let app = spawn_app(backend).await;
    app.admin_with_token("chief", "read").await;
    app.user_with_token("alice", "read").await;
    let (mut admin, mut alice) = (Browser::new(&app), Browser::new(&app));
    admin.sign_in("chief").await;
    alice.sign_in("alice").await;
    assert_eq!(alice.get("/admin").await.status, 403);
    assert!(!alice.get("/").await.body.contains(r#"href="/admin""#));
    assert!(admin.get("/").await.body.contains(r#"href="/admin""#));

    let settings = [
        ("name", "Acme Corp"),
        ("description", "Where Acme works together"),
        ("contact_email", "it@acme.example"),
        ("logo_url", ""),
        ("accent_color", "#FF6600"),
        ("default_language", "fr"),
        ("rules", "Be kind\n\nNo customer data"),
        ("registration", "invite"),
    ];
    let mut bad = settings.to_vec();
    bad[4] = ("accent_color", "orange");
    let refused = admin.post("/admin/settings", &bad).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        admin.get("/theme.css").await.body.contains("#2b59c3"),
        "nothing applied"
    );

    let saved = admin.post("/admin/settings", &settings).await;
    assert_eq!(
        saved.location.as_deref(),
        Some("/admin?saved=settings"),
        "{}",
        saved.body
    );
    let anonymous = Browser::new(&app);
    let landing = anonymous.get("/").await;
    assert!(landing.body.contains("Acme Corp") && landing.body.contains("No customer data"));
    assert!(
        landing.body.contains(r#"<html lang="fr">"#),
        "the new default language"
    );
    assert!(
        landing.body.contains(r#"name="invite""#),
        "sign-up by invitation"
    );
    assert!(
        anonymous
            .get("/theme.css")
            .await
            .body
            .contains("--accent: #ff6600")
    );
    let (_, instance) = json(app.get("/api/v2/instance").await).await;
    assert_eq!(instance["title"], "Acme Corp");
    assert_eq!(instance["registrations"]["enabled"], true);
    assert_eq!(instance["contact"]["email"], "it@acme.example");
    let (_, rules) = json(app.get("/api/v1/instance/rules").await).await;
    assert_eq!(rules.as_array().map(Vec::len), Some(2), "{rules}");
}

async fn people_and_invitations(backend: Backend) {
    let app = spawn_app(backend).await;
    app.admin_with_token("chief", "read").await;
    let mut admin = Browser::new(&app);
    admin.sign_in("chief").await;

    let made = admin
        .post(
            "/admin/people",
            &[
                ("name", "dana"),
                ("email", "dana@example.com"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let mut dana = Browser::new(&app);
    dana.sign_in("dana").await;
    let page = admin.get("/admin/people?q=dana").await;
    let marker = "/admin/people/";
    let id = page
        .body
        .split(marker)
        .nth(1)
        .and_then(|r| r.split('/').next())
        .expect("dana's id")
        .to_string();
    // Suspending ends dana's session at once; reinstating lets her back.
    assert_eq!(
        admin
            .post(&format!("/admin/people/{id}/suspend"), &[])
            .await
            .status,
        303
    );
    assert!(dana.get("/").await.body.contains(r#"action="/login""#));
    admin
        .post(&format!("/admin/people/{id}/reinstate"), &[])
        .await;
    dana.sign_in("dana").await;
    admin
        .post(&format!("/admin/people/{id}/make-admin"), &[])
        .await;
    assert_eq!(dana.get("/admin").await.status, 200);
    // Nobody withdraws their own role.
    let chief_page = admin.get("/admin/people?q=chief").await;
    let root_id = chief_page
        .body
        .split(marker)
        .nth(1)
        .and_then(|r| r.split('/').next())
        .expect("root's id")
        .to_string();
    assert_eq!(
        admin
            .post(&format!("/admin/people/{root_id}/revoke-admin"), &[])
            .await
            .status,
        422
    );
    assert_eq!(
        admin
            .post(&format!("/admin/people/{root_id}/suspend"), &[])
            .await
            .status,
        422
    );

    // An invitation link signs a newcomer up (registration by invitation).
    let settings = [
        ("name", "Test instance"),
        ("description", ""),
        ("contact_email", ""),
        ("logo_url", ""),
        ("accent_color", "#2b59c3"),
        ("default_language", "en"),
        ("rules", ""),
        ("registration", "invite"),
    ];
    admin.post("/admin/settings", &settings).await;
    let invited = admin.post("/admin/invites", &[]).await;
    let location = invited.location.expect("back to the list");
    let code = location
        .split("invite:")
        .nth(1)
        .expect("the code")
        .to_string();
    let page = admin.get(&location).await;
    assert!(
        page.body.contains(&format!("/?invite={code}")),
        "{}",
        page.body
    );
    let newcomer = Browser::new(&app);
    let form = [
        ("username", "erin"),
        ("email", "erin@example.com"),
        ("password", "a long password"),
        ("invite", code.as_str()),
        ("agreement", "1"),
    ];
    let signed = newcomer.post("/signup", &form).await;
    assert_eq!(signed.status, 303, "{}", signed.body);
    assert!(
        signed
            .set_cookie
            .iter()
            .any(|c| c.starts_with("passerelle_session="))
    );
    let again = [
        ("username", "frank"),
        ("email", "frank@example.com"),
        ("password", "a long password"),
        ("invite", code.as_str()),
        ("agreement", "1"),
    ];
    assert_eq!(
        newcomer.post("/signup", &again).await.status,
        422,
        "used up"
    );
}

async fn federation_and_reports(backend: Backend) {
    let app = spawn_app(backend).await;
    let root = app.admin_with_token("chief", "read admin:read").await;
    let alice = app.user_with_token("alice", "read write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let mut admin = Browser::new(&app);
    admin.sign_in("chief").await;

    let added = admin
        .post(
            "/admin/federation/lists",
            &[("list", "block"), ("domain", "bad.example")],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let (_, domains) = json(
        app.get_auth("/api/passerelle/v1/admin/federation/domains", &root)
            .await,
    )
    .await;
    assert_eq!(
        domains["lists"]["block"][0]["domain"], "bad.example",
        "{domains}"
    );
    assert!(
        admin
            .get("/admin/federation")
            .await
            .body
            .contains("bad.example")
    );
    admin
        .post(
            "/admin/federation/lists",
            &[
                ("list", "block"),
                ("domain", "bad.example"),
                ("remove", "true"),
            ],
        )
        .await;
    assert!(
        !admin
            .get("/admin/federation")
            .await
            .body
            .contains("bad.example")
    );
    assert_eq!(
        admin
            .post(
                "/admin/federation/lists",
                &[("list", "nope"), ("domain", "x.example")]
            )
            .await
            .status,
        422
    );
    // The mode: allowlist needs an allowed server first.
    let refused = admin
        .post("/admin/federation/mode", &[("mode", "allowlist")])
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("allowlist first"), "{}", refused.body);
    admin
        .post(
            "/admin/federation/lists",
            &[("list", "allow"), ("domain", "partner.example")],
        )
        .await;
    let changed = admin
        .post("/admin/federation/mode", &[("mode", "allowlist")])
        .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    let (_, domains) = json(
        app.get_auth("/api/passerelle/v1/admin/federation/domains", &root)
            .await,
    )
    .await;
    assert_eq!(domains["mode"], "allowlist", "{domains}");
    assert!(
        admin
            .get("/admin/federation")
            .await
            .body
            .contains(r#"value="allowlist" checked"#)
    );
    assert_eq!(
        admin
            .post("/admin/federation/retry", &[("domain", "partner.example")])
            .await
            .status,
        303
    );

    let bob_id = app.account_id(&bob).await;
    let (status, report) = app
        .post_json(
            &alice,
            "/api/v1/reports",
            json!({"account_id": bob_id, "comment": "rude in DMs"}),
        )
        .await;
    assert_eq!(status, 200, "{report}");
    assert!(
        admin
            .get("/admin/reports")
            .await
            .body
            .contains("rude in DMs")
    );
    let id = report["id"].as_str().expect("id");
    admin
        .post(&format!("/admin/reports/{id}/resolve"), &[])
        .await;
    assert!(
        !admin
            .get("/admin/reports")
            .await
            .body
            .contains("rude in DMs")
    );
}
