//! The composer of the pages: a thread with an image and its description, a
//! poll voted on from the thread page, a content warning; bad input refused
//! with a readable page, and the form token required on file forms too.

use serde_json::json;

use crate::{
    backend_tests,
    browser::Browser,
    helpers::{Backend, json, spawn_app},
    profiles::png,
};

backend_tests!(thread_with_image_and_poll, composer_refusals);

async fn thread_with_image_and_poll(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    app.user_with_token("bob", "read").await;
    app.post_json(
        &alice,
        "/api/passerelle/v1/communities",
        json!({"name": "devs", "visibility": "public"}),
    )
    .await;
    let (mut a, mut b) = (Browser::new(&app), Browser::new(&app));
    a.sign_in("alice").await;
    b.sign_in("bob").await;

    let made = a
        .post_files(
            "/posts",
            &[
                ("community", "devs"),
                ("title", "Offsite venue"),
                ("text", "Which city?"),
                ("alt2", "The harbour at dusk"),
                ("spoiler", "Budget talk"),
            ],
            vec![("media2", png(64, 48))],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let pictured = made.location.expect("the thread");
    let id = pictured.trim_start_matches("/posts/").to_string();
    // The API sees what the page made: title, image with its description.
    let (_, s) = json(
        app.get_auth(&format!("/api/v1/statuses/{id}"), &alice)
            .await,
    )
    .await;
    assert_eq!(
        s["media_attachments"][0]["description"],
        "The harbour at dusk"
    );
    assert_eq!(s["media_attachments"][0]["type"], "image");
    assert_eq!(s["spoiler_text"], "Budget talk");
    assert_eq!(s["sensitive"], true);
    let page = b.get(&pictured).await;
    assert!(
        page.body.contains(r#"alt="The harbour at dusk""#),
        "{}",
        page.body
    );

    let made = a
        .post_files(
            "/posts",
            &[
                ("community", "devs"),
                ("title", "Offsite city"),
                ("text", "Vote by Friday"),
                ("poll1", "Lyon"),
                ("poll2", "Nantes"),
                ("poll3", " "),
                ("poll_expires", "86400"),
            ],
            vec![],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let path = made.location.expect("the thread");
    let id = path.trim_start_matches("/posts/").to_string();
    let (_, s) = json(
        app.get_auth(&format!("/api/v1/statuses/{id}"), &alice)
            .await,
    )
    .await;
    assert_eq!(
        s["poll"]["options"].as_array().map(Vec::len),
        Some(2),
        "{s}"
    );

    // Bob sees a ballot, votes once, then sees results instead.
    let page = b.get(&path).await;
    assert!(page.body.contains(&format!(r#"action="/posts/{id}/vote""#)));
    let voted = b
        .post(&format!("/posts/{id}/vote"), &[("choice", "1")])
        .await;
    assert_eq!(voted.status, 303, "{}", voted.body);
    let page = b.get(&path).await;
    assert!(!page.body.contains(&format!(r#"action="/posts/{id}/vote""#)));
    assert!(page.body.contains("100 %"), "{}", page.body);
    let again = b
        .post(&format!("/posts/{id}/vote"), &[("choice", "0")])
        .await;
    assert_eq!(again.status, 422, "{}", again.body);
    // The author cannot vote in her own poll: no ballot for her.
    assert!(!a.get(&path).await.body.contains("/vote\""));
}

async fn composer_refusals(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_token("alice", "read write").await;
    let mut a = Browser::new(&app);
    a.sign_in("alice").await;

    // A single poll choice, an unknown duration, an image that is not one.
    let one = a
        .post_files(
            "/posts",
            &[
                ("text", "Q?"),
                ("visibility", "public"),
                ("poll1", "Yes"),
                ("poll_expires", "3600"),
            ],
            vec![],
        )
        .await;
    assert_eq!(one.status, 422, "{}", one.body);
    let both = a
        .post_files(
            "/posts",
            &[
                ("text", "Q?"),
                ("visibility", "public"),
                ("poll1", "A"),
                ("poll2", "B"),
                ("poll_expires", "3600"),
            ],
            vec![("media1", png(8, 8))],
        )
        .await;
    assert_eq!(
        both.status, 422,
        "a poll or images, not both: {}",
        both.body
    );
    let bad = a
        .post_files(
            "/posts",
            &[("text", "pic"), ("visibility", "public")],
            vec![("media1", b"not an image at all".to_vec())],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("<html"), "a page, not JSON: {}", bad.body);
    // A plain post with an empty file input (as browsers send it) works.
    let plain = a
        .post_files(
            "/posts",
            &[("text", "Hello all"), ("visibility", "public")],
            vec![("media2", vec![])],
        )
        .await;
    assert_eq!(plain.status, 303, "{}", plain.body);

    // Without the form token, or from another site, nothing is stored.
    let form = reqwest::multipart::Form::new()
        .text("text", "forged")
        .text("visibility", "public");
    let forged = app
        .client
        .post(app.url("/posts"))
        .header("Cookie", a.cookie.clone().expect("session"))
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), 403);
    let page = a.get("/@alice").await;
    assert!(page.body.contains("Hello all") && !page.body.contains("forged"));
}
