//! Members-only content must not leak through notifications, the streams or
//! collections to people who may not read it (issue #16).

use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
    streaming::{connect, next},
};

/// A community of `owner` with `visibility`; its id.
pub(crate) async fn community(app: &TestApp, owner: &str, name: &str, visibility: &str) -> String {
    let (status, c) = app
        .post_json(
            owner,
            "/api/passerelle/v1/communities",
            json!({"name": name, "title": name, "visibility": visibility}),
        )
        .await;
    assert_eq!(status, 200, "{c}");
    c["id"].as_str().unwrap().to_string()
}

/// `member` joins `community` and its owner approves (members communities ask).
pub(crate) async fn join(app: &TestApp, owner: &str, member: &str, community: &str) {
    let base = format!("/api/passerelle/v1/communities/{community}");
    let (status, c) = app
        .post_json(member, &format!("{base}/join"), json!({}))
        .await;
    assert_eq!(status, 200, "{c}");
    if c["membership"] != "accepted" {
        let id = app.account_id(member).await;
        let (status, r) = app
            .post_json(owner, &format!("{base}/requests/{id}/approve"), json!({}))
            .await;
        assert_eq!(status, 200, "{r}");
    }
}

async fn thread(app: &TestApp, token: &str, community: &str, body: &str) -> String {
    let (status, t) = app
        .post_json(
            token,
            &format!("/api/passerelle/v1/communities/{community}/threads"),
            json!({"title": "A thread", "body": body}),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    t["id"].as_str().unwrap().to_string()
}

async fn notified_statuses(app: &TestApp, token: &str) -> Vec<String> {
    let (status, list) = json(app.get_auth("/api/v1/notifications", token).await).await;
    assert_eq!(status, 200, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["status"]["id"].as_str().map(String::from))
        .collect()
}

async fn non_member_mentioned_gets_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let carol = app.user_with_token("carol", "read write follow").await;
    let club = community(&app, &alice, "club", "members").await;
    let mut socket = connect(&app, "?stream=user", &carol).await;

    let secret = thread(&app, &alice, &club, "@carol look at this secret").await;
    assert_eq!(
        app.get_auth(&format!("/api/v1/statuses/{secret}"), &carol)
            .await
            .status(),
        404
    );
    // A public mention afterwards: the first thing on Carol's stream.
    let (status, open) = app
        .post_json(
            &alice,
            "/api/v1/statuses",
            json!({"status": "@carol hello"}),
        )
        .await;
    assert_eq!(status, 200, "{open}");
    let (_, event, payload) = next(&mut socket).await;
    assert_eq!(event, "notification");
    let n: Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(n["status"]["id"], open["id"], "the members' thread leaked");
    assert_eq!(
        notified_statuses(&app, &carol).await,
        [open["id"].as_str().unwrap()]
    );
}

async fn former_member_loses_notifications(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let club = community(&app, &alice, "club", "members").await;
    join(&app, &alice, &bob, &club).await;
    // Bob's own thread, and a mention of him while a member.
    let his = thread(&app, &bob, &club, "my thread").await;
    let mention = thread(&app, &alice, &club, "@bob welcome").await;
    assert_eq!(notified_statuses(&app, &bob).await, [mention.as_str()]);

    let (status, _) = app
        .post_json(
            &bob,
            &format!("/api/passerelle/v1/communities/{club}/leave"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    // What he was told of before is now 404 for him: gone from the list too.
    assert!(notified_statuses(&app, &bob).await.is_empty());
    let mut socket = connect(&app, "?stream=user", &bob).await;
    // A reply to his old thread tells him nothing.
    let (status, reply) = app
        .post_json(
            &alice,
            "/api/v1/statuses",
            json!({"status": "a reply", "in_reply_to_id": his}),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    let (status, open) = app
        .post_json(&alice, "/api/v1/statuses", json!({"status": "@bob hello"}))
        .await;
    assert_eq!(status, 200, "{open}");
    let (_, event, payload) = next(&mut socket).await;
    assert_eq!(event, "notification");
    let n: Value = serde_json::from_str(&payload).unwrap();
    assert_eq!(n["status"]["id"], open["id"], "the reply leaked");
    assert_eq!(
        notified_statuses(&app, &bob).await,
        [open["id"].as_str().unwrap()]
    );
}

backend_tests!(
    non_member_mentioned_gets_nothing,
    former_member_loses_notifications
);
