//! What Mastodon apps show of Passerelle: a thread's title and community in its
//! `content`, a community's posts as its `statuses_count`, and sign-in
//! refusals in plain words.

use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

async fn thread(app: &TestApp, token: &str, community: &str, title: &str) -> Value {
    let (status, t) = app
        .post_json(
            token,
            &format!("/api/passerelle/v1/communities/{community}/threads"),
            json!({"title": title, "body": "The *body*"}),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    t
}

async fn status(app: &TestApp, token: &str, id: &str) -> Value {
    let (code, s) = json(app.get_auth(&format!("/api/v1/statuses/{id}"), token).await).await;
    assert_eq!(code, 200, "{s}");
    s
}

async fn thread_roots_carry_their_title_in_content(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let (_, c) = app
        .post_json(
            &alice,
            "/api/passerelle/v1/communities",
            json!({"name": "devs", "title": "Devs & <Co>", "visibility": "public"}),
        )
        .await;
    let devs = c["id"].as_str().unwrap();
    let t = thread(&app, &alice, devs, "<b>Plans</b> & \"goals\"").await;
    let tid = t["id"].as_str().unwrap();
    let s = status(&app, &alice, tid).await;
    let heading = format!(
        "<h2>&lt;b&gt;Plans&lt;/b&gt; &amp; \"goals\"</h2><p><a href=\"{}\">Devs &amp; &lt;Co&gt;</a></p>",
        app.url("/c/devs")
    );
    let content = s["content"].as_str().unwrap();
    assert!(content.starts_with(&heading), "{content}");
    assert!(content.ends_with("<p>The <em>body</em></p>\n"), "{content}");
    assert_eq!(s["passerelle"]["title"], "<b>Plans</b> & \"goals\"");
    // The native API answers with the same entity.
    assert_eq!(t["content"], s["content"]);

    // Comments have no heading.
    let (_, comment) = app
        .post_json(
            &alice,
            &format!("/api/passerelle/v1/statuses/{tid}/comments"),
            json!({"body": "a comment"}),
        )
        .await;
    let cid = comment["id"].as_str().unwrap();
    let content = status(&app, &alice, cid).await["content"].to_string();
    assert!(!content.contains("<h2>"), "{content}");

    // Each version in the history shows the title it had.
    let (code, edited) = json(
        app.client
            .put(app.url(&format!("/api/passerelle/v1/statuses/{tid}")))
            .bearer_auth(&alice)
            .json(&json!({"title": "Plans, revised", "body": "The *body*"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(code, 200, "{edited}");
    let (_, history) = json(
        app.get_auth(&format!("/api/v1/statuses/{tid}/history"), &alice)
            .await,
    )
    .await;
    let versions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["content"].as_str().unwrap())
        .collect();
    assert_eq!(versions.len(), 2, "{history}");
    assert!(
        versions[0].starts_with("<h2>&lt;b&gt;Plans"),
        "{}",
        versions[0]
    );
    assert!(
        versions[1].starts_with("<h2>Plans, revised</h2>"),
        "{}",
        versions[1]
    );
    assert_eq!(edited["content"], versions[1]);
}

async fn communities_count_their_threads(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let mut ids = vec![];
    for name in ["devs", "ops"] {
        let (_, c) = app
            .post_json(
                &alice,
                "/api/passerelle/v1/communities",
                json!({"name": name, "title": name, "visibility": "public"}),
            )
            .await;
        ids.push(c["id"].as_str().unwrap().to_string());
    }
    let (devs, ops) = (&ids[0], &ids[1]);
    let group = |id: String| {
        let app = &app;
        async move {
            json(app.get(&format!("/api/v1/accounts/{id}")).await)
                .await
                .1
        }
    };
    assert_eq!(group(devs.clone()).await["statuses_count"], 0);
    let first = thread(&app, &alice, devs, "One").await;
    thread(&app, &alice, devs, "Two").await;
    thread(&app, &alice, ops, "Three").await;
    let fid = first["id"].as_str().unwrap();
    app.post_json(
        &alice,
        &format!("/api/passerelle/v1/statuses/{fid}/comments"),
        json!({"body": "not a thread"}),
    )
    .await;
    let devs_account = group(devs.clone()).await;
    assert_eq!(devs_account["group"], true);
    assert_eq!(devs_account["statuses_count"], 2, "{devs_account}");
    assert!(devs_account["last_status_at"].is_string(), "{devs_account}");
    // The author's own count is what she wrote.
    let me = app.account_id(&alice).await;
    assert_eq!(group(me.clone()).await["statuses_count"], 4);

    // A list of accounts (counted in one go) shows the same figures.
    let (_, following) = json(
        app.get_auth(&format!("/api/v1/accounts/{me}/following"), &alice)
            .await,
    )
    .await;
    let count = |id: &str| {
        following
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .map(|a| a["statuses_count"].clone())
    };
    assert_eq!(count(devs), Some(json!(2)), "{following}");
    assert_eq!(count(ops), Some(json!(1)), "{following}");

    // A deleted thread no longer counts.
    let resp = app
        .client
        .delete(app.url(&format!("/api/v1/statuses/{fid}")))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(group(devs.clone()).await["statuses_count"], 1);
}

/// A request the server cannot serve gets a page that says what went wrong in
/// plain words (escaped), with 400, and never the bare OAuth code.
async fn sign_in_refusals_are_explained(backend: Backend) {
    let app = spawn_app(backend).await;
    let redirect = "https://client.example/callback";
    let (_, client) = json(
        app.client
            .post(app.url("/api/v1/apps"))
            .json(
                &json!({"client_name": "Test", "redirect_uris": redirect, "scopes": "read write"}),
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    let id = client["client_id"].as_str().unwrap();
    let ok = format!("response_type=code&client_id={id}&redirect_uri={redirect}");
    let cases: Vec<(String, &str)> = vec![
        (
            "response_type=code&client_id=nobody".into(),
            "does not know this app",
        ),
        ("response_type=code".into(), "did not say which app"),
        (
            format!("response_type=token&client_id={id}"),
            "only “code” is supported",
        ),
        (
            format!("response_type=code&client_id={id}&redirect_uri=https://evil.example/%3Cb%3E"),
            "<code>https://evil.example/&lt;b&gt;</code>, an address it did not register",
        ),
        (
            format!("{ok}&scope=read+sorcery"),
            "permissions this server does not know",
        ),
        (
            format!("{ok}&scope=follow"),
            "more permissions than it registered",
        ),
        (
            format!("{ok}&code_challenge=short&code_challenge_method=S256"),
            "43 to 128 characters",
        ),
    ];
    for (query, words) in cases {
        let page = app.get(&format!("/oauth/authorize?{query}")).await;
        assert_eq!(page.status(), 400, "{query}");
        assert!(page.headers().get("location").is_none(), "{query}");
        let ct = page.headers()["content-type"].to_str().unwrap().to_string();
        assert!(ct.starts_with("text/html"), "{query}: {ct}");
        let html = page.text().await.unwrap();
        assert!(html.contains(words), "{query}: {html}");
        assert!(!html.contains("<b>"), "{query}: unescaped");
        for code in [
            "invalid_client",
            "invalid_request",
            "invalid_scope",
            "Unauthorized",
        ] {
            assert!(!html.contains(code), "{query}: {code} in {html}");
        }
    }
    // The form is checked the same way.
    let resp = app
        .client
        .post(app.url("/oauth/authorize"))
        .form(&[
            ("response_type", "code"),
            ("client_id", "nobody"),
            ("login", "a"),
            ("password", "b"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("does not know this app")
    );
}

backend_tests!(
    thread_roots_carry_their_title_in_content,
    communities_count_their_threads,
    sign_in_refusals_are_explained,
);
