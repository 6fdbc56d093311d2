//! Direct conversations on the web pages: the list, one conversation (read
//! only by the people in it), replying, writing to someone new; the same
//! conversations as `/api/v1/conversations`.

use serde_json::{Value, json};

use crate::{
    backend_tests,
    browser::Browser,
    helpers::{Backend, TestApp, json, spawn_app},
};

backend_tests!(
    messages_between_two_stay_between_two,
    new_messages_name_known_people,
    the_list_pages_back,
    french_messages
);

async fn api_conversations(app: &TestApp, token: &str) -> Vec<Value> {
    let (status, v) = json(app.get_auth("/api/v1/conversations", token).await).await;
    assert_eq!(status, 200, "{v}");
    v.as_array().expect("list").clone()
}

/// The first conversation the list page links to.
fn first_link(body: &str) -> String {
    let marker = r#"href="/conversations/"#;
    let start = body.find(marker).expect("a conversation") + r#"href=""#.len();
    body[start..].split('"').next().expect("link").to_string()
}

async fn messages_between_two_stay_between_two(backend: Backend) {
    let app = spawn_app(backend).await;
    let _alice_token = app.user_with_token("alice", "read write").await;
    let bob_token = app.user_with_token("bob", "read write").await;
    app.user_with_token("carol", "read").await;
    let (mut alice, mut bob, mut carol) =
        (Browser::new(&app), Browser::new(&app), Browser::new(&app));
    alice.sign_in("alice").await;
    bob.sign_in("bob").await;
    carol.sign_in("carol").await;
    assert!(
        alice
            .get("/")
            .await
            .body
            .contains(r#"href="/conversations""#)
    );

    let sent = alice
        .post(
            "/conversations",
            &[
                ("recipients", "@bob"),
                ("text", "Your salary review is Friday"),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let alice_path = sent.location.expect("conversation");
    let page = alice.get(&alice_path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Your salary review is Friday"));

    // Bob has it, unread, on the page and in the API alike.
    let listed = bob.get("/conversations").await;
    assert!(listed.body.contains("Your salary review is Friday"));
    assert!(listed.body.contains("Unread"));
    let bob_path = first_link(&listed.body);
    let found = api_conversations(&app, &bob_token).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["unread"], true);
    assert_eq!(found[0]["accounts"][0]["acct"], "alice");
    assert_eq!(found[0]["last_status"]["visibility"], "direct");

    // Carol sees nothing of it, under either id, and cannot answer in it.
    assert!(!carol.get("/conversations").await.body.contains("salary"));
    for path in [&alice_path, &bob_path] {
        assert_eq!(carol.get(path).await.status, 404);
        let forged = carol
            .post(&format!("{path}/reply"), &[("text", "Let me in")])
            .await;
        assert_eq!(forged.status, 404);
    }

    // Reading it marks it read; bob answers from the page.
    assert!(bob.get(&bob_path).await.body.contains("salary review"));
    assert_eq!(
        api_conversations(&app, &bob_token).await[0]["unread"],
        false
    );
    let answered = bob
        .post(
            &format!("{bob_path}/reply"),
            &[("text", "Thanks, I will be there")],
        )
        .await;
    assert_eq!(answered.status, 303, "{}", answered.body);
    assert!(
        answered
            .location
            .expect("back")
            .starts_with(&format!("{bob_path}#post-"))
    );
    let alice_list = alice.get("/conversations").await.body;
    assert!(alice_list.contains("Thanks, I will be there") && alice_list.contains("Unread"));
    let thread = alice.get(&alice_path).await.body;
    assert!(thread.contains("Thanks, I will be there"), "{thread}");
    assert!(!carol.get("/conversations").await.body.contains("Thanks"));

    // Without the form token, no message leaves.
    let no_token = bob
        .post_from(
            &format!("{bob_path}/reply"),
            &[("text", "Forged")],
            Some(&app.base),
        )
        .await;
    assert_eq!(no_token.status, 403);
    assert!(!alice.get(&alice_path).await.body.contains("Forged"));
}

async fn new_messages_name_known_people(backend: Backend) {
    let app = spawn_app(backend).await;
    let bob_token = app.user_with_token("bob", "read").await;
    let alice_token = app.user_with_token("alice", "read").await;
    app.user_with_token("dana", "read").await;
    let mut alice = Browser::new(&app);
    alice.sign_in("alice").await;

    let unknown = alice
        .post(
            "/conversations",
            &[("recipients", "@bob, @nobody"), ("text", "Hello")],
        )
        .await;
    assert_eq!(unknown.status, 422, "{}", unknown.body);
    assert!(unknown.body.contains("Nobody is known as @nobody here"));
    let blank = alice
        .post("/conversations", &[("recipients", " "), ("text", "Hello")])
        .await;
    assert_eq!(blank.status, 422);
    assert!(api_conversations(&app, &bob_token).await.is_empty());

    // Several people, one already named in the text: each once, all in it.
    let sent = alice
        .post(
            "/conversations",
            &[
                ("recipients", "@bob, dana"),
                ("text", "@bob budget numbers"),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let found = api_conversations(&app, &bob_token).await;
    let mut accts: Vec<&str> = found[0]["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter_map(|a| a["acct"].as_str())
        .collect();
    accts.sort_unstable();
    assert_eq!(accts, ["alice", "dana"]);
    let id = found[0]["last_status"]["id"].as_str().expect("id");
    let (_, source) = json(
        app.get_auth(&format!("/api/v1/statuses/{id}/source"), &alice_token)
            .await,
    )
    .await;
    assert_eq!(source["text"], "@dana @bob budget numbers", "{source}");

    // Someone on another server, known here: named as `@name@server`.
    crate::remote_likes::remote_person(&app, "zoe").await;
    let sent = alice
        .post(
            "/conversations",
            &[("recipients", "@zoe@remote.example"), ("text", "Hi Zoe")],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let page = alice.get(&sent.location.expect("conversation")).await.body;
    assert!(page.contains("@zoe@remote.example") && page.contains("Hi Zoe"));
}

async fn the_list_pages_back(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice_token = app.user_with_token("alice", "read write").await;
    app.user_with_token("bob", "read").await;
    for n in 0..21 {
        let (status, s) = app
            .post_json(
                &alice_token,
                "/api/v1/statuses",
                json!({"status": format!("@bob note {n:02}"), "visibility": "direct"}),
            )
            .await;
        assert_eq!(status, 200, "{s}");
    }
    let mut bob = Browser::new(&app);
    bob.sign_in("bob").await;
    let first = bob.get("/conversations").await.body;
    assert!(first.contains("note 20") && !first.contains("note 00"));
    let marker = r#"href="/conversations?max_id="#;
    let start = first.find(marker).expect("an older link") + r#"href=""#.len();
    let older = first[start..].split('"').next().expect("link");
    let second = bob.get(older).await.body;
    assert!(second.contains("note 00") && !second.contains("note 20"));
}

async fn french_messages(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_token("alice", "read").await;
    app.user_with_token("bob", "read").await;
    let mut alice = Browser::new(&app);
    alice.sign_in("alice").await;
    alice.lang = Some("fr");
    let list = alice.get("/conversations").await.body;
    assert!(list.contains("Nouveau message") && list.contains("Aucune conversation"));
    let sent = alice
        .post(
            "/conversations",
            &[("recipients", "bob"), ("text", "Salut")],
        )
        .await;
    let page = alice.get(&sent.location.expect("conversation")).await.body;
    assert!(page.contains("Conversation avec bob"), "{page}");
    assert!(page.contains("Tous les messages") && page.contains(">Messages</a>"));
}
