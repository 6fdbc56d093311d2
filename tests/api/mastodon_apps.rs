//! What Mastodon apps show of Passerelle: a thread's title and community in its
//! `content`, a community's posts as its `statuses_count`.

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

backend_tests!(
    thread_roots_carry_their_title_in_content,
    communities_count_their_threads,
);
