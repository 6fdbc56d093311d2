//! Statuses through the Mastodon API: create, read, context, edit, delete,
//! favourites, timelines, visibility, and bad input.

use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    app.post_json(token, path, body).await
}

async fn create_read_reply_context(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let (status, s) = post(
        &app,
        &alice,
        "/api/v1/statuses",
        json!({"status": "Hello @bob, see https://example.com #Intro <b>x</b>"}),
    )
    .await;
    assert_eq!(status, 200, "{s}");
    let content = s["content"].as_str().unwrap();
    assert!(
        content.contains("href=\"https://example.com\""),
        "{content}"
    );
    assert!(content.contains("class=\"u-url mention\""), "{content}");
    assert!(!content.contains("<b>"), "plain text is escaped: {content}");
    assert_eq!(s["mentions"][0]["acct"], "bob");
    assert_eq!(s["tags"][0]["name"], "intro");
    assert_eq!(s["visibility"], "public");
    assert_eq!(s["account"]["username"], "alice");
    let id = s["id"].as_str().unwrap().to_string();

    let (status, reply) = post(
        &app,
        &bob,
        "/api/v1/statuses",
        json!({"status": "Hi!", "in_reply_to_id": id}),
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["in_reply_to_id"], id);
    assert_eq!(reply["in_reply_to_account_id"], s["account"]["id"]);
    let (status, ctx) = json(app.get(&format!("/api/v1/statuses/{id}/context")).await).await;
    assert_eq!(status, 200);
    assert_eq!(ctx["descendants"][0]["id"], reply["id"]);
    let (_, ctx) = json(
        app.get(&format!(
            "/api/v1/statuses/{}/context",
            reply["id"].as_str().unwrap()
        ))
        .await,
    )
    .await;
    assert_eq!(ctx["ancestors"][0]["id"], id);
    let (_, again) = json(app.get(&format!("/api/v1/statuses/{id}")).await).await;
    assert_eq!(again["replies_count"], 1);

    // Markdown is an extension some clients use.
    let (_, md) = post(
        &app,
        &alice,
        "/api/v1/statuses",
        json!({"status": "**bold**", "content_type": "text/markdown"}),
    )
    .await;
    assert!(
        md["content"]
            .as_str()
            .unwrap()
            .contains("<strong>bold</strong>")
    );
}

async fn edit_delete_and_permissions(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let (_, s) = post(&app, &alice, "/api/v1/statuses", json!({"status": "first"})).await;
    let id = s["id"].as_str().unwrap();
    let edit = |token: &str, text: &str| {
        app.client
            .put(app.url(&format!("/api/v1/statuses/{id}")))
            .bearer_auth(token.to_string())
            .json(&json!({"status": text}))
            .send()
    };
    let (status, _) = json(edit(&bob, "hijack").await.expect("put")).await;
    assert_eq!(status, 403);
    let (status, edited) = json(edit(&alice, "second").await.expect("put")).await;
    assert_eq!(status, 200);
    assert!(edited["content"].as_str().unwrap().contains("second"));
    assert!(edited["edited_at"].is_string());
    let (_, source) = json(
        app.get_auth(&format!("/api/v1/statuses/{id}/source"), &alice)
            .await,
    )
    .await;
    assert_eq!(source["text"], "second");
    // The history: every version, oldest first.
    json(edit(&alice, "third").await.expect("put")).await;
    let (status, history) = json(app.get(&format!("/api/v1/statuses/{id}/history")).await).await;
    assert_eq!(status, 200, "{history}");
    let versions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["content"].as_str().unwrap())
        .collect();
    assert_eq!(versions.len(), 3, "{versions:?}");
    assert!(
        versions[0].contains("first")
            && versions[1].contains("second")
            && versions[2].contains("third")
    );
    assert_eq!(history[2]["account"]["username"], "alice");
    let (_, plain) = post(
        &app,
        &alice,
        "/api/v1/statuses",
        json!({"status": "never edited"}),
    )
    .await;
    let (_, one) = json(
        app.get(&format!(
            "/api/v1/statuses/{}/history",
            plain["id"].as_str().unwrap()
        ))
        .await,
    )
    .await;
    assert_eq!(one.as_array().unwrap().len(), 1);

    let (status, _) = json(
        app.client
            .delete(app.url(&format!("/api/v1/statuses/{id}")))
            .bearer_auth(&bob)
            .send()
            .await
            .expect("delete"),
    )
    .await;
    assert_eq!(status, 403);
    let (status, deleted) = json(
        app.client
            .delete(app.url(&format!("/api/v1/statuses/{id}")))
            .bearer_auth(&alice)
            .send()
            .await
            .expect("delete"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(deleted["text"], "third");
    assert_eq!(
        app.get(&format!("/api/v1/statuses/{id}")).await.status(),
        404
    );
    assert_eq!(
        app.get(&format!("/api/v1/statuses/{id}/history"))
            .await
            .status(),
        404
    );
    // Deleted: its earlier versions are erased too.
    let sid: i64 = id.parse().unwrap();
    let left = app
        .state
        .db
        .run(move |c| Ok(passerelle::db::statuses::versions(c, sid)?))
        .await
        .unwrap();
    assert!(left.is_empty());
}

async fn favourites_count_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let (_, s) = post(
        &app,
        &alice,
        "/api/v1/statuses",
        json!({"status": "like me"}),
    )
    .await;
    let id = s["id"].as_str().unwrap();
    for _ in 0..2 {
        let (status, f) = post(
            &app,
            &bob,
            &format!("/api/v1/statuses/{id}/favourite"),
            json!({}),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(f["favourites_count"], 1);
        assert_eq!(f["favourited"], true);
    }
    let (_, u) = post(
        &app,
        &bob,
        &format!("/api/v1/statuses/{id}/unfavourite"),
        json!({}),
    )
    .await;
    assert_eq!(u["favourites_count"], 0);
    assert_eq!(u["favourited"], false);
}

async fn visibility_and_timelines(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let carol = app.user_with_token("carol", "read write follow").await;
    let (_, public) = post(
        &app,
        &alice,
        "/api/v1/statuses",
        json!({"status": "public words"}),
    )
    .await;
    let (_, private) = post(
        &app,
        &alice,
        "/api/v1/statuses",
        json!({"status": "followers only", "visibility": "private"}),
    )
    .await;
    let (_, direct) = post(
        &app,
        &alice,
        "/api/v1/statuses",
        json!({"status": "@bob secret", "visibility": "direct"}),
    )
    .await;
    let pid = private["id"].as_str().unwrap();
    let did = direct["id"].as_str().unwrap();
    // Not visible: 404, not 403.
    assert_eq!(
        app.get(&format!("/api/v1/statuses/{pid}")).await.status(),
        404
    );
    assert_eq!(
        app.get_auth(&format!("/api/v1/statuses/{pid}"), &carol)
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get_auth(&format!("/api/v1/statuses/{did}"), &carol)
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get_auth(&format!("/api/v1/statuses/{did}"), &bob)
            .await
            .status(),
        200
    );

    // bob follows alice: her private post becomes visible and fills his home.
    let (_, alice_account) = json(app.get("/api/v1/accounts/lookup?acct=alice").await).await;
    let aid = alice_account["id"].as_str().unwrap();
    let (status, rel) = post(
        &app,
        &bob,
        &format!("/api/v1/accounts/{aid}/follow"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(rel["following"], true);
    assert_eq!(
        app.get_auth(&format!("/api/v1/statuses/{pid}"), &bob)
            .await
            .status(),
        200
    );
    let resp = app.get_auth("/api/v1/timelines/home?limit=2", &bob).await;
    let link = resp
        .headers()
        .get("link")
        .map(|l| l.to_str().unwrap().to_string());
    let (status, home) = json(resp).await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = home
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        vec![pid, public["id"].as_str().unwrap()],
        "newest first, direct excluded"
    );
    assert!(link.is_some_and(|l| l.contains("rel=\"next\"") && l.contains("max_id=")));
    let (_, older) = json(
        app.get_auth(
            &format!(
                "/api/v1/timelines/home?max_id={}",
                public["id"].as_str().unwrap()
            ),
            &bob,
        )
        .await,
    )
    .await;
    assert_eq!(older.as_array().unwrap().len(), 0);
    let (_, rels) = json(
        app.get_auth(&format!("/api/v1/accounts/relationships?id[]={aid}"), &bob)
            .await,
    )
    .await;
    assert_eq!(rels[0]["following"], true);

    // Public timeline: public posts only, for anyone.
    let (status, public_tl) = json(app.get("/api/v1/timelines/public?local=true").await).await;
    assert_eq!(status, 200);
    assert_eq!(public_tl.as_array().unwrap().len(), 1);
    let (_, remote_tl) = json(app.get("/api/v1/timelines/public?remote=true").await).await;
    assert_eq!(remote_tl.as_array().unwrap().len(), 0);
    let (_, statuses) = json(app.get(&format!("/api/v1/accounts/{aid}/statuses")).await).await;
    assert_eq!(
        statuses.as_array().unwrap().len(),
        1,
        "anonymous sees the public one"
    );
}

async fn bad_status_input(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let reader = app.user_with_token("reader", "read").await;
    for (body, expected) in [
        (json!({"status": ""}), 422),
        (json!({"status": "x".repeat(5001)}), 422),
        (json!({"status": "hi", "visibility": "everyone"}), 422),
        (json!({"status": "hi", "in_reply_to_id": "999"}), 404),
        (
            json!({"status": "hi", "scheduled_at": "2030-01-01T00:00:00Z"}),
            422,
        ),
        (json!({"status": 42}), 422),
    ] {
        let (status, body_out) = post(&app, &alice, "/api/v1/statuses", body.clone()).await;
        assert_eq!(status, expected, "{body} → {body_out}");
        assert!(body_out["error"].is_string());
    }
    let (status, _) = post(
        &app,
        &reader,
        "/api/v1/statuses",
        json!({"status": "no scope"}),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(app.get("/api/v1/statuses/notanid").await.status(), 404);
    // Form encoding with a string boolean works too.
    let resp = app
        .client
        .post(app.url("/api/v1/statuses"))
        .bearer_auth(&alice)
        .form(&[
            ("status", "form post"),
            ("sensitive", "1"),
            ("spoiler_text", "cw"),
        ])
        .send()
        .await
        .expect("form");
    let (status, s) = json(resp).await;
    assert_eq!(status, 200);
    assert_eq!(s["sensitive"], true);
    assert_eq!(s["spoiler_text"], "cw");
}

async fn search_finds_accounts_and_tags(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    post(
        &app,
        &alice,
        "/api/v1/statuses",
        json!({"status": "#Rustacean here"}),
    )
    .await;
    let (status, r) = json(app.get_auth("/api/v2/search?q=ALI", &alice).await).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["accounts"][0]["username"], "alice");
    let (_, r) = json(
        app.get_auth("/api/v2/search?q=%23rust&type=hashtags", &alice)
            .await,
    )
    .await;
    assert_eq!(r["hashtags"][0]["name"], "rustacean");
    assert!(r["accounts"].as_array().unwrap().is_empty());
    let (_, r) = json(
        app.get_auth(
            &format!("/api/v2/search?q=%40alice%40{}&resolve=true", app.domain),
            &alice,
        )
        .await,
    )
    .await;
    assert_eq!(r["accounts"][0]["acct"], "alice");
    let (status, _) = json(app.get_auth("/api/v2/search", &alice).await).await;
    assert_eq!(status, 400);
}

/// `Idempotency-Key`: a retried or doubled request posts once and gets the same
/// status back; keys belong to their author.
async fn idempotency_key_posts_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let send = |token: String, key: &'static str, text: &'static str| {
        let request = app
            .client
            .post(app.url("/api/v1/statuses"))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(&json!({ "status": text }));
        async move {
            let (status, body) = json(request.send().await.unwrap()).await;
            assert_eq!(status, 200, "{body}");
            body["id"].as_str().unwrap().to_string()
        }
    };
    let first = send(alice.clone(), "k1", "only once").await;
    assert_eq!(send(alice.clone(), "k1", "only once").await, first);
    assert_ne!(send(alice.clone(), "k2", "only once").await, first);
    assert_ne!(
        send(bob.clone(), "k1", "mine").await,
        first,
        "keys are per author"
    );
    // Sent together: one status, the same for every request.
    let together: Vec<String> = futures_join(
        (0..6)
            .map(|_| send(alice.clone(), "k3", "at once"))
            .collect(),
    )
    .await;
    assert!(together.iter().all(|id| *id == together[0]), "{together:?}");
    let (_, home) = json(
        app.get_auth("/api/v1/timelines/home?limit=40", &alice)
            .await,
    )
    .await;
    let texts: Vec<&str> = home
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["content"].as_str().unwrap())
        .collect();
    assert_eq!(texts.iter().filter(|t| t.contains("only once")).count(), 2);
    assert_eq!(texts.iter().filter(|t| t.contains("at once")).count(), 1);

    let resp = app
        .client
        .post(app.url("/api/v1/statuses"))
        .bearer_auth(&alice)
        .header("Idempotency-Key", "x".repeat(300))
        .json(&json!({ "status": "long key" }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
}

/// Runs futures concurrently and collects their outputs in order.
async fn futures_join<F: std::future::Future<Output = String> + Send + 'static>(
    futures: Vec<F>,
) -> Vec<String> {
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

backend_tests!(
    idempotency_key_posts_once,
    create_read_reply_context,
    edit_delete_and_permissions,
    favourites_count_once,
    visibility_and_timelines,
    bad_status_input,
    search_finds_accounts_and_tags,
);
