//! The web interface as a signed-out visitor and a signed-in employee see it:
//! signing in and out, the session cookie, form tokens, the feed, communities,
//! threads, likes, languages.

use serde_json::json;

use crate::{
    backend_tests,
    browser::Browser,
    helpers::{Backend, TestApp, json, spawn_app},
};

backend_tests!(
    sign_in_and_out,
    forms_need_the_token_and_this_site,
    forum_journey,
    languages,
    browsers_are_sent_to_pages
);

async fn community(app: &TestApp, token: &str, name: &str, visibility: &str) -> String {
    let body = json!({"name": name, "title": format!("The {name}"), "visibility": visibility});
    let (status, c) = app
        .post_json(token, "/api/passerelle/v1/communities", body)
        .await;
    assert_eq!(status, 200, "{c}");
    c["id"].as_str().expect("id").to_string()
}

async fn sign_in_and_out(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_token("alice", "read").await;
    let mut b = Browser::new(&app);

    let landing = b.get("/").await;
    assert_eq!(landing.status, 200);
    assert!(landing.body.contains("Test instance"));
    assert!(landing.body.contains(r#"action="/login""#));
    let csp = landing.headers["content-security-policy"]
        .to_str()
        .expect("csp");
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline"));

    // A wrong password and an unknown account read the same; no session is made.
    let wrong = b
        .post("/login", &[("login", "alice"), ("password", "nope")])
        .await;
    let unknown = b
        .post("/login", &[("login", "nobody"), ("password", "nope")])
        .await;
    assert_eq!((wrong.status, unknown.status), (401, 401));
    assert!(wrong.body.contains("Invalid name or password."));
    assert!(unknown.body.contains("Invalid name or password."));
    assert!(wrong.set_cookie.is_empty());

    let signed = b.sign_in("alice").await;
    assert_eq!(signed.location.as_deref(), Some("/"));
    let cookie = &signed.set_cookie[0];
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let home = b.get("/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("News feed"), "{}", home.body);
    assert!(home.body.contains(r#"action="/logout""#));

    // Signing out ends the session itself, not only the cookie.
    let old = b.cookie.clone();
    let out = b.post("/logout", &[]).await;
    assert_eq!(out.status, 303);
    assert!(out.set_cookie[0].contains("Max-Age=0"));
    b.cookie = old;
    assert!(b.get("/").await.body.contains(r#"action="/login""#));
    // A page that needs a session sends to the sign-in, and back afterwards.
    let settings = b.get("/settings").await;
    assert_eq!(settings.status, 303);
    assert_eq!(settings.location.as_deref(), Some("/?next=%2Fsettings"));
}

async fn forms_need_the_token_and_this_site(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.user_with_token("alice", "read").await;
    let mut b = Browser::new(&app);
    b.sign_in("alice").await;
    let post = [("text", "hello"), ("visibility", "public")];

    let no_token = b.post_from("/posts", &post, Some(&app.base)).await;
    assert_eq!(no_token.status, 403, "{}", no_token.body);
    assert!(no_token.body.contains("not sent from this site"));
    let real = b.get("/settings").await.form_token();
    let mut with_token = vec![("csrf", real.as_str())];
    with_token.extend_from_slice(&post);
    let elsewhere = b
        .post_from("/posts", &with_token, Some("https://evil.example"))
        .await;
    assert_eq!(elsewhere.status, 403);
    let (_, statuses) = json(app.get_auth("/api/v1/timelines/home", &token).await).await;
    assert_eq!(
        statuses.as_array().map(Vec::len),
        Some(0),
        "nothing was posted"
    );

    let done = b.post_from("/posts", &with_token, Some(&app.base)).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let (_, statuses) = json(app.get_auth("/api/v1/timelines/home", &token).await).await;
    assert_eq!(statuses[0]["content"], "<p>hello</p>");
}

async fn forum_journey(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice_token = app.user_with_token("alice", "read write").await;
    app.user_with_token("bob", "read").await;
    app.user_with_token("carol", "read").await;
    community(&app, &alice_token, "devs", "public").await;
    let (mut alice, mut bob, mut carol) =
        (Browser::new(&app), Browser::new(&app), Browser::new(&app));
    alice.sign_in("alice").await;
    bob.sign_in("bob").await;
    carol.sign_in("carol").await;

    // Bob finds the community and joins it.
    let directory = bob.get("/communities?q=dev").await;
    assert!(directory.body.contains("The devs"), "{}", directory.body);
    assert_eq!(bob.post("/communities/devs/join", &[]).await.status, 303);
    let page = bob.get("/communities/devs").await;
    assert!(page.body.contains("2 members"), "{}", page.body);
    assert!(page.body.contains(r#"name="community" value="devs""#));
    // The directory shows the same figures and bob's membership.
    let directory = bob.get("/communities?q=dev").await;
    assert!(directory.body.contains("2 members"), "{}", directory.body);
    assert!(
        directory
            .body
            .contains(r#"action="/communities/devs/leave""#)
    );
    let other = carol.get("/communities?q=dev").await;
    assert!(other.body.contains(r#"action="/communities/devs/join""#));

    // A thread needs a title; then it is a page of its own.
    let untitled = bob
        .post(
            "/posts",
            &[("community", "devs"), ("title", " "), ("text", "x")],
        )
        .await;
    assert_eq!(untitled.status, 422);
    assert!(untitled.body.contains("A thread needs a title"));
    let made = bob
        .post(
            "/posts",
            &[
                ("community", "devs"),
                ("title", "Release plan"),
                ("text", "We ship **Friday**"),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let thread_path = made.location.expect("the thread's page");
    let id = thread_path.trim_start_matches("/posts/").to_string();

    // Alice comments and likes; the thread page shows both.
    let reply = alice
        .post(&format!("/posts/{id}/reply"), &[("text", "Sounds good")])
        .await;
    assert_eq!(reply.status, 303);
    assert!(reply.location.expect("back").starts_with(&thread_path));
    assert_eq!(
        alice.post(&format!("/posts/{id}/like"), &[]).await.status,
        303
    );
    let thread = alice.get(&thread_path).await;
    assert!(thread.body.contains("Release plan"));
    assert!(thread.body.contains("<strong>Friday</strong>"));
    assert!(thread.body.contains("Sounds good"));
    assert!(thread.body.contains(r#"aria-pressed="true""#));
    // The same through the API: one rulebook.
    let (_, api) = json(
        app.get_auth(&format!("/api/v1/statuses/{id}"), &alice_token)
            .await,
    )
    .await;
    assert_eq!(
        (
            api["favourites_count"].as_i64(),
            api["replies_count"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(api["favourited"], true);

    // Only the author (or a moderator) may delete; the community page lists the thread.
    let by_carol = carol.post(&format!("/posts/{id}/delete"), &[]).await;
    assert!(
        by_carol.status >= 400,
        "someone else's post: {}",
        by_carol.status
    );
    let listed = alice.get("/communities/devs").await;
    assert!(listed.body.contains("Release plan"));
    assert!(
        alice.get("/").await.body.contains("Release plan"),
        "in alice's feed"
    );
    assert_eq!(
        bob.post(&format!("/posts/{id}/delete"), &[]).await.status,
        303
    );
    assert_eq!(bob.get(&thread_path).await.status, 404);
}

async fn languages(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_token("alice", "read").await;
    let mut b = Browser::new(&app);
    b.lang = Some("fr-FR,fr;q=0.9,en;q=0.5");
    let landing = b.get("/").await;
    assert!(landing.body.contains(r#"<html lang="fr">"#));
    assert!(landing.body.contains("Mot de passe"));
    let missing = b.get("/posts/1").await;
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Cette page n&#39;existe pas"),
        "{}",
        missing.body
    );

    // Chosen in the settings: kept on the account, whatever the browser says.
    b.lang = None;
    b.sign_in("alice").await;
    assert!(b.get("/").await.body.contains("News feed"));
    let chosen = b
        .post("/language", &[("lang", "fr"), ("next", "/settings")])
        .await;
    assert_eq!(chosen.location.as_deref(), Some("/settings"));
    assert!(
        chosen
            .set_cookie
            .iter()
            .any(|c| c.starts_with("passerelle_lang=fr"))
    );
    b.lang = Some("en");
    assert!(b.get("/").await.body.contains("Fil d&#39;actualité"));
    let locale = app
        .state
        .db
        .run(|c| Ok(passerelle::db::users::by_login(c, "alice")?))
        .await
        .expect("user")
        .expect("alice");
    assert_eq!(locale.0.locale, "fr");
    let unknown = b.post("/language", &[("lang", "xx")]).await;
    assert_eq!(unknown.status, 422);

    // Mastodon apps set it too (`source[language]`), and read it back.
    let token = app.user_with_token("bob", "read write").await;
    let patch = |form: Vec<(&'static str, &'static str)>| {
        app.client
            .patch(app.url("/api/v1/accounts/update_credentials"))
            .bearer_auth(&token)
            .form(&form)
            .send()
    };
    let (status, me) = json(
        patch(vec![("source[language]", "fr-CA")])
            .await
            .expect("patch"),
    )
    .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["source"]["language"], "fr");
    let (status, _) = json(
        patch(vec![("source[language]", "de")])
            .await
            .expect("patch"),
    )
    .await;
    assert_eq!(status, 422);
    let (_, me) = json(
        app.get_auth("/api/v1/accounts/verify_credentials", &token)
            .await,
    )
    .await;
    assert_eq!(me["source"]["language"], "fr");
    let mut bob = Browser::new(&app);
    bob.sign_in("bob").await;
    assert!(bob.get("/").await.body.contains(r#"<html lang="fr">"#));
}

async fn browsers_are_sent_to_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.user_with_token("alice", "read write").await;
    community(&app, &token, "devs", "public").await;
    let (_, status) = app
        .post_json(&token, "/api/v1/statuses", json!({"status": "hi"}))
        .await;
    let id = status["id"].as_str().expect("id");
    let b = Browser::new(&app);
    let to_post = b.get(&format!("/statuses/{id}")).await;
    assert_eq!(to_post.location, Some(format!("/posts/{id}")));
    assert_eq!(
        b.get("/c/devs").await.location.as_deref(),
        Some("/communities/devs")
    );
    assert_eq!(
        b.get("/users/alice").await.location.as_deref(),
        Some("/@alice")
    );
    let profile = b.get("/@alice").await;
    assert_eq!(profile.status, 200);
    assert!(profile.body.contains("<p>hi</p>"));
    // The public post previews when its link is pasted.
    let post = b.get(&format!("/posts/{id}")).await;
    assert!(
        post.body
            .contains(r#"property="og:description" content="hi""#),
        "{}",
        post.body
    );
    let theme = b.get("/theme.css").await;
    assert!(theme.body.contains("--accent: #2b59c3"));
}
