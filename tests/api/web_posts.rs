//! Editing one's own posts and reporting posts and people from the web pages:
//! the same rules as `PUT /api/v1/statuses/:id` and `POST /api/v1/reports`.

use serde_json::json;

use crate::{
    backend_tests,
    browser::Browser,
    helpers::{Backend, TestApp, json, spawn_app},
};

backend_tests!(
    authors_edit_their_posts,
    thread_titles_are_edited_too,
    reports_reach_the_moderators,
    reports_need_to_see_what_they_report,
    reports_on_remote_people_may_be_forwarded,
    french_edit_and_report_pages,
    reports_name_the_rules_broken
);

/// A post written from the composer; its id.
async fn write(b: &Browser<'_>, text: &str, visibility: &str) -> String {
    let made = b
        .post("/posts", &[("text", text), ("visibility", visibility)])
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let at = made.location.expect("location");
    at.trim_start_matches("/posts/").to_string()
}

async fn two_people(app: &TestApp) -> (Browser<'_>, Browser<'_>) {
    app.user_with_token("alice", "read").await;
    app.user_with_token("bob", "read").await;
    let (mut alice, mut bob) = (Browser::new(app), Browser::new(app));
    alice.sign_in("alice").await;
    bob.sign_in("bob").await;
    (alice, bob)
}

async fn authors_edit_their_posts(backend: Backend) {
    let app = spawn_app(backend).await;
    let (alice, bob) = two_people(&app).await;
    let id = write(&alice, "Standup moved to 10h", "public").await;
    let (post, edit) = (format!("/posts/{id}"), format!("/posts/{id}/edit"));

    // Only the author is offered the link, and only the author gets the form.
    let own = alice.get(&post).await;
    assert!(own.body.contains(&format!(r#"href="{edit}""#)));
    assert!(!own.body.contains("(edited)"));
    assert!(!bob.get(&post).await.body.contains(&edit));
    let form = alice.get(&edit).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains(">Standup moved to 10h</textarea>"));
    assert_eq!(bob.get(&edit).await.status, 403);
    let forged = bob.post(&edit, &[("text", "Standup cancelled")]).await;
    assert_eq!(forged.status, 403, "{}", forged.body);

    // Without the form token (another site's form), nothing changes.
    let no_token = alice
        .post_from(&edit, &[("text", "Standup cancelled")], Some(&app.base))
        .await;
    assert_eq!(no_token.status, 403);
    // Blank text is refused, and the post keeps its text.
    assert_eq!(alice.post(&edit, &[("text", "  ")]).await.status, 422);

    let saved = alice.post(&edit, &[("text", "Standup moved to 11h")]).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("/posts/{id}#post-{id}").as_str())
    );
    let seen = bob.get(&post).await;
    assert!(seen.body.contains("Standup moved to 11h"), "{}", seen.body);
    assert!(!seen.body.contains("Standup moved to 10h"));
    assert!(!seen.body.contains("Standup cancelled"));
    assert!(seen.body.contains("(edited)"));
    // The API sees the same edit.
    let (_, status) = json(app.get(&format!("/api/v1/statuses/{id}")).await).await;
    assert!(status["edited_at"].is_string(), "{status}");

    // A post bob may not see: 404, as the API answers, not 403.
    let hidden = write(&alice, "For my followers", "private").await;
    assert_eq!(bob.get(&format!("/posts/{hidden}/edit")).await.status, 404);
}

async fn thread_titles_are_edited_too(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.user_with_token("alice", "read write").await;
    let body = json!({"name": "board", "title": "Board", "visibility": "public"});
    let (status, c) = app
        .post_json(&token, "/api/passerelle/v1/communities", body)
        .await;
    assert_eq!(status, 200, "{c}");
    let mut alice = Browser::new(&app);
    alice.sign_in("alice").await;
    let made = alice
        .post(
            "/posts",
            &[
                ("community", "board"),
                ("title", "Offsite plans"),
                ("text", "Where shall we go?"),
            ],
        )
        .await;
    let thread = made.location.expect("thread");
    let form = alice.get(&format!("{thread}/edit")).await;
    assert!(form.body.contains(r#"name="title" value="Offsite plans""#));
    let saved = alice
        .post(
            &format!("{thread}/edit"),
            &[("title", "Offsite in May"), ("text", "Lisbon?")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = alice.get(&thread).await;
    assert!(page.body.contains("Offsite in May") && page.body.contains("Lisbon?"));
}

/// The open reports as the administrators' page lists them.
async fn admin_reports(app: &TestApp) -> String {
    let mut chief = Browser::new(app);
    chief.sign_in("chief").await;
    let page = chief.get("/admin/reports").await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.body
}

async fn reports_reach_the_moderators(backend: Backend) {
    let app = spawn_app(backend).await;
    app.admin_with_token("chief", "read").await;
    let (alice, bob) = two_people(&app).await;
    let id = write(&alice, "Buy cheap watches here", "public").await;
    let report = format!("/posts/{id}/report");

    // Offered to others, not on one's own post nor one's own profile.
    assert!(
        bob.get(&format!("/posts/{id}"))
            .await
            .body
            .contains(&report)
    );
    assert!(
        !alice
            .get(&format!("/posts/{id}"))
            .await
            .body
            .contains(&report)
    );
    assert!(bob.get("/@alice").await.body.contains("/@alice/report"));
    assert!(!alice.get("/@alice").await.body.contains("/@alice/report"));

    let form = bob.get(&report).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains(r#"value="spam""#));
    // Only another server's account has the forwarding box.
    assert!(!form.body.contains(r#"name="forward""#));
    let sent = bob
        .post(
            &report,
            &[("category", "spam"), ("comment", "Selling watches again")],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(sent.location.as_deref(), Some("/reports/sent"));
    let thanks = bob.get("/reports/sent").await;
    assert!(
        thanks
            .body
            .contains("Thank you, the moderators will look at it.")
    );

    let sent = bob
        .post(
            "/@alice/report",
            &[("comment", "Pretends to be IT support")],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let queue = admin_reports(&app).await;
    assert!(queue.contains("Selling watches again"), "{queue}");
    assert!(queue.contains("Pretends to be IT support"));
    assert!(queue.contains(">spam<") && queue.contains(">other<"));
}

async fn reports_need_to_see_what_they_report(backend: Backend) {
    let app = spawn_app(backend).await;
    app.admin_with_token("chief", "read").await;
    let (alice, bob) = two_people(&app).await;
    let hidden = write(&alice, "Followers only: the new logo", "private").await;
    let report = format!("/posts/{hidden}/report");
    assert_eq!(bob.get(&report).await.status, 404);
    let sent = bob.post(&report, &[("comment", "Sneaky")]).await;
    assert_eq!(sent.status, 404, "{}", sent.body);
    assert_eq!(bob.get("/@nobody/report").await.status, 404);
    // Signed out: sent to sign in first.
    let anonymous = Browser::new(&app).get(&report).await;
    assert_eq!(anonymous.status, 303);
    assert!(!admin_reports(&app).await.contains("Sneaky"));

    let id = write(&alice, "Quarterly numbers", "public").await;
    let report = format!("/posts/{id}/report");
    // A category the service does not know, a forged form: refused, nothing filed.
    let bad = bob
        .post(&report, &[("category", "boring"), ("comment", "Meh")])
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let forged = bob
        .post_from(&report, &[("comment", "No token")], Some(&app.base))
        .await;
    assert_eq!(forged.status, 403);
    let queue = admin_reports(&app).await;
    assert!(!queue.contains("Meh") && !queue.contains("No token"));
}

async fn reports_on_remote_people_may_be_forwarded(backend: Backend) {
    let app = spawn_app(backend).await;
    let chief = app.admin_with_token("chief", "admin:read").await;
    let (_, bob) = two_people(&app).await;
    crate::remote_likes::remote_person(&app, "zoe").await;
    let form = bob.get("/@zoe@remote.example/report").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains(r#"name="forward""#));
    let sent = bob
        .post(
            "/@zoe@remote.example/report",
            &[("comment", "Phishing links"), ("forward", "on")],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let (status, queue) = json(
        app.get_auth("/api/passerelle/v1/admin/reports", &chief)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{queue}");
    assert_eq!(queue[0]["comment"], "Phishing links");
    assert_eq!(queue[0]["forwarded"], true);
}

async fn french_edit_and_report_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let (mut alice, mut bob) = two_people(&app).await;
    let id = write(&alice, "Bonjour", "public").await;
    alice.lang = Some("fr");
    bob.lang = Some("fr");
    let edit = alice.get(&format!("/posts/{id}/edit")).await;
    assert!(edit.body.contains("Modifier le message"), "{}", edit.body);
    assert!(edit.body.contains("Enregistrer les modifications"));
    let card = bob.get(&format!("/posts/{id}")).await;
    assert!(card.body.contains(">Signaler</a>"));
    let report = bob.get(&format!("/posts/{id}/report")).await;
    assert!(
        report.body.contains("Quel est le problème ?"),
        "{}",
        report.body
    );
    assert!(report.body.contains("Envoyer le signalement"));
    bob.post(&format!("/posts/{id}/report"), &[("comment", "?")])
        .await;
    let thanks = bob.get("/reports/sent").await;
    assert!(
        thanks
            .body
            .contains("Merci, les modérateurs vont l&#39;examiner.")
    );
}

/// The report form lists the instance's rules; those ticked travel with the
/// report (as `rule_ids` in the moderators' API), and a made-up one is refused.
async fn reports_name_the_rules_broken(backend: Backend) {
    let app = TestApp::with_config(backend, |c| {
        c.instance.rules = vec!["Be kind".into(), "No advertising".into()];
    })
    .await;
    let admin = app.admin_with_token("chief", "read admin:read").await;
    let (alice, bob) = two_people(&app).await;
    let id = write(&alice, "Buy cheap watches here", "public").await;
    let report = format!("/posts/{id}/report");
    let form = bob.get(&report).await;
    assert!(
        form.body.contains(r#"name="rule" value="2""#),
        "{}",
        form.body
    );
    assert!(form.body.contains("No advertising"));
    let sent = bob
        .post(
            &report,
            &[("category", "violation"), ("rule", "2"), ("comment", "ads")],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let (_, reports) = json(
        app.get_auth("/api/passerelle/v1/admin/reports", &admin)
            .await,
    )
    .await;
    assert_eq!(reports[0]["rule_ids"], json!(["2"]), "{reports}");
    let bad = bob
        .post(&report, &[("category", "violation"), ("rule", "7")])
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
}
