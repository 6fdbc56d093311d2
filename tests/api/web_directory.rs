//! The directory pages: the settings form's directory fields, `/directory`
//! with its filters and full-text search, "find an expert", badges on
//! profiles, and the administrators' ambassador toggle.

use crate::{
    backend_tests,
    browser::Browser,
    helpers::{Backend, TestApp, spawn_app},
};

backend_tests!(directory_pages);

async fn fill<'a>(app: &'a TestApp, login: &str, fields: &[(&str, &str)]) -> Browser<'a> {
    let mut b = Browser::new(app);
    b.sign_in(login).await;
    let saved = b.post_files("/settings/profile", fields, vec![]).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    b
}

async fn directory_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice_token = app.user_with_token("alice", "read").await;
    app.user_with_token("bob", "read").await;
    app.admin_with_token("chief", "read").await;
    fill(
        &app,
        "alice",
        &[
            ("display_name", "Alice Martin"),
            ("note", "Twenty years of buying steel"),
            ("field_name0", "Hobby"),
            ("field_value0", "Climbing"),
            ("dir_department", "Purchasing"),
            ("dir_job_title", "Senior buyer"),
            ("dir_location", "Lyon"),
            ("dir_skills", "Negotiation, contracts"),
        ],
    )
    .await;
    let bob = fill(
        &app,
        "bob",
        &[
            ("display_name", "Bob Durand"),
            ("note", "I love distributed systems"),
            ("dir_department", "Engineering"),
            ("dir_location", "Paris"),
            ("dir_skills", "rust"),
        ],
    )
    .await;
    let mut root = Browser::new(&app);
    root.sign_in("chief").await;

    // The settings form shows what was saved.
    let settings = bob.get("/settings").await;
    assert!(
        settings.body.contains(r#"value="Engineering""#),
        "{}",
        settings.body
    );
    assert!(settings.body.contains(r#"name="dir_skills" value="rust""#));

    let has = |body: &str, who: &str| body.contains(&format!(r#"href="/@{who}""#));
    let all = root.get("/directory").await;
    assert_eq!(all.status, 200, "{}", all.body);
    assert!(
        has(&all.body, "alice") && has(&all.body, "bob"),
        "{}",
        all.body
    );
    assert!(
        all.body.contains(r#"<option value="Purchasing">"#),
        "{}",
        all.body
    );
    assert!(all.body.contains("Senior buyer") && all.body.contains("negotiation"));
    for (query, alice, bob) in [
        ("department=Purchasing", true, false),
        ("location=Paris", false, true),
        ("skill=Rust", false, true),
        ("q=distributed", false, true),
        ("q=negotiation", true, false),
        ("q=climbing", true, false),
        ("q=lyon+buyer", true, false),
        ("q=durand", false, true),
        ("q=nobody", false, false),
        ("q=rust&department=Purchasing", false, false),
    ] {
        let page = root.get(&format!("/directory?{query}")).await;
        assert_eq!(page.status, 200, "{query}: {}", page.body);
        assert_eq!(has(&page.body, "alice"), alice, "{query}");
        assert_eq!(has(&page.body, "bob"), bob, "{query}");
    }
    // Signed-in pages link to it; anonymous readers are sent to sign in.
    assert!(bob.get("/").await.body.contains(r#"href="/directory""#));
    let anonymous = Browser::new(&app).get("/directory").await;
    assert_ne!(anonymous.status, 200);

    // Find an expert.
    let experts = root.get("/directory/experts?q=who+knows+rust%3F").await;
    assert_eq!(experts.status, 200, "{}", experts.body);
    assert!(
        has(&experts.body, "bob") && !has(&experts.body, "alice"),
        "{}",
        experts.body
    );

    // The ambassador badge, given on the admin page, shows on the profile and in
    // the directory; French pages speak French.
    let alice_id = app.account_id(&alice_token).await;
    let people = root.get("/admin/people").await;
    assert!(
        people
            .body
            .contains(&format!("/admin/people/{alice_id}/make-ambassador")),
        "{}",
        people.body
    );
    let made = root
        .post(&format!("/admin/people/{alice_id}/make-ambassador"), &[])
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    assert!(
        root.get("/admin/people")
            .await
            .body
            .contains("revoke-ambassador")
    );
    let profile = bob.get("/@alice").await;
    assert!(profile.body.contains("Ambassador"), "{}", profile.body);
    assert!(profile.body.contains("Purchasing"), "{}", profile.body);
    assert!(root.get("/directory").await.body.contains("Ambassador"));
    let mut french = Browser::new(&app);
    french.lang = Some("fr");
    french.sign_in("bob").await;
    let page = french.get("/directory").await;
    assert!(page.body.contains("Annuaire des personnes") && page.body.contains("Ambassadeur"));
}
