//! Lists: one's groups of followed accounts (people and communities), each read
//! as a timeline; private to their owner.

use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

async fn get(app: &TestApp, path: &str, token: &str) -> (u16, Value) {
    json(app.get_auth(path, token).await).await
}

async fn post(app: &TestApp, token: &str, body: Value) -> String {
    let (status, s) = app.post_json(token, "/api/v1/statuses", body).await;
    assert_eq!(status, 200, "{s}");
    s["id"].as_str().unwrap().to_string()
}

fn texts(statuses: &Value) -> Vec<String> {
    statuses
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let c = s["content"].as_str().unwrap();
            c.trim_start_matches("<p>")
                .trim_end_matches("</p>")
                .to_string()
        })
        .collect()
}

async fn lists(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let carol = app.user_with_token("carol", "read write follow").await;
    let dave = app.user_with_token("dave", "read write follow").await;
    let (bob_id, carol_id, dave_id) = (
        app.account_id(&bob).await,
        app.account_id(&carol).await,
        app.account_id(&dave).await,
    );
    for id in [&bob_id, &carol_id] {
        app.post_json(&alice, &format!("/api/v1/accounts/{id}/follow"), json!({}))
            .await;
    }

    // Create: title required; policy checked.
    let (status, e) = app.post_json(&alice, "/api/v1/lists", json!({})).await;
    assert_eq!(status, 422, "{e}");
    let (status, _) = app
        .post_json(
            &alice,
            "/api/v1/lists",
            json!({"title": "x", "replies_policy": "everyone"}),
        )
        .await;
    assert_eq!(status, 422);
    let (status, list) = app
        .post_form(&alice, "/api/v1/lists", &[("title", "Project Aurora")])
        .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(
        (&list["title"], &list["replies_policy"], &list["exclusive"]),
        (&json!("Project Aurora"), &json!("list"), &json!(false))
    );
    let lid = list["id"].as_str().unwrap().to_string();

    // Members: only accounts one follows.
    let (status, e) = app
        .post_json(
            &alice,
            &format!("/api/v1/lists/{lid}/accounts"),
            json!({"account_ids": [dave_id]}),
        )
        .await;
    assert_eq!(status, 422, "not followed: {e}");
    let (status, _) = app
        .post_form(
            &alice,
            &format!("/api/v1/lists/{lid}/accounts"),
            &[("account_ids[]", bob_id.as_str())],
        )
        .await;
    assert_eq!(status, 200);
    let (_, members) = get(&app, &format!("/api/v1/lists/{lid}/accounts"), &alice).await;
    assert_eq!(members[0]["username"], "bob");
    let (_, holding) = get(&app, &format!("/api/v1/accounts/{bob_id}/lists"), &alice).await;
    assert_eq!(holding[0]["id"], lid.as_str());

    // The list stream, as an app opens it.
    let mut stream = app
        .client
        .get(app.url(&format!(
            "/api/v1/streaming/list?list={lid}&access_token={alice}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);

    // The timeline: bob's statuses; carol's not; replies per the policy.
    let kickoff = post(&app, &bob, json!({"status": "aurora kickoff"})).await;
    let live: Value =
        serde_json::from_str(&crate::streaming::sse_event(&mut stream, "update").await).unwrap();
    assert_eq!(live["id"], kickoff.as_str());
    let carols = post(&app, &carol, json!({"status": "carol's news"})).await;
    post(
        &app,
        &bob,
        json!({"status": "reply to carol", "in_reply_to_id": carols}),
    )
    .await;
    let (status, tl) = get(&app, &format!("/api/v1/timelines/list/{lid}"), &alice).await;
    assert_eq!(status, 200, "{tl}");
    assert_eq!(
        texts(&tl),
        ["aurora kickoff"],
        "a reply to a non-member is left out"
    );
    let (status, _) = app
        .client
        .put(app.url(&format!("/api/v1/lists/{lid}")))
        .bearer_auth(&alice)
        .json(&json!({"replies_policy": "followed", "exclusive": true}))
        .send()
        .await
        .map(|r| (r.status().as_u16(), ()))
        .unwrap();
    assert_eq!(status, 200);
    let (_, tl) = get(&app, &format!("/api/v1/timelines/list/{lid}"), &alice).await;
    assert_eq!(texts(&tl), ["reply to carol", "aurora kickoff"]);
    // Exclusive: bob's statuses leave alice's home timeline.
    let (_, home) = get(&app, "/api/v1/timelines/home", &alice).await;
    assert_eq!(texts(&home), ["carol's news"]);

    // Private to their owner.
    for path in [
        format!("/api/v1/lists/{lid}"),
        format!("/api/v1/lists/{lid}/accounts"),
        format!("/api/v1/timelines/list/{lid}"),
    ] {
        let (status, _) = get(&app, &path, &carol).await;
        assert_eq!(status, 404, "{path}");
    }
    let (status, _) = get(
        &app,
        "/api/v1/lists",
        &app.user_with_token("eve", "read:statuses").await,
    )
    .await;
    assert_eq!(status, 403, "scope read:lists");

    // Unfollowing takes bob out of the list; removing and deleting work.
    app.post_json(
        &alice,
        &format!("/api/v1/accounts/{bob_id}/unfollow"),
        json!({}),
    )
    .await;
    let (_, members) = get(&app, &format!("/api/v1/lists/{lid}/accounts"), &alice).await;
    assert_eq!(members, json!([]));
    app.post_json(
        &alice,
        &format!("/api/v1/lists/{lid}/accounts"),
        json!({"account_ids": [carol_id]}),
    )
    .await;
    let (status, _) = json(
        app.client
            .delete(app.url(&format!(
                "/api/v1/lists/{lid}/accounts?account_ids[]={carol_id}"
            )))
            .bearer_auth(&alice)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    let (_, members) = get(&app, &format!("/api/v1/lists/{lid}/accounts"), &alice).await;
    assert_eq!(members, json!([]));
    let (status, _) = json(
        app.delete_auth(&format!("/api/v1/lists/{lid}"), &alice)
            .await,
    )
    .await;
    assert_eq!(status, 200);
    let (_, all) = get(&app, "/api/v1/lists", &alice).await;
    assert_eq!(all, json!([]));
    let (status, _) = get(&app, &format!("/api/v1/lists/{lid}"), &alice).await;
    assert_eq!(status, 404);
}

backend_tests!(lists);
