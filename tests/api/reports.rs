//! Reports: made by people, checked (only what they can see, only the
//! reported account's statuses), listed for administrators and for the
//! community's moderators, resolved by them.

use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json},
};

async fn report(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    app.post_json(token, "/api/v1/reports", body).await
}

async fn reports_reach_moderators(backend: Backend) {
    let app = TestApp::with_config(backend, |c| {
        c.instance.rules = vec!["Be kind".into(), "Stay on topic".into()];
    })
    .await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let carol = app.user_with_token("carol", "read write follow").await;
    let admin = app
        .admin_with_token("boss", "read write admin:read admin:write")
        .await;
    let alice_id = app.account_id(&alice).await;

    let (_, post) = app
        .post_json(
            &alice,
            "/api/v1/statuses",
            json!({"status": "a rude remark"}),
        )
        .await;
    let post = post["id"].as_str().unwrap().to_string();
    let (_, private) = app
        .post_json(
            &alice,
            "/api/v1/statuses",
            json!({"status": "followers only", "visibility": "private"}),
        )
        .await;
    let private = private["id"].as_str().unwrap().to_string();
    let (_, bobs) = app
        .post_json(&bob, "/api/v1/statuses", json!({"status": "mine"}))
        .await;
    let bobs = bobs["id"].as_str().unwrap().to_string();

    let (status, r) = report(&app, &bob, json!({"account_id": alice_id, "status_ids": [post], "comment": "Not acceptable", "rule_ids": ["1"], "forward": true})).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["category"], "violation");
    assert_eq!(r["status_ids"], json!([post]));
    assert_eq!(r["rule_ids"], json!(["1"]));
    assert_eq!(r["forwarded"], false, "a local account: nothing to forward");
    assert_eq!(r["target_account"]["username"], "alice");
    assert_eq!(r["action_taken"], false);

    for (body, why) in [
        (
            json!({"account_id": alice_id, "status_ids": [bobs]}),
            "someone else's status",
        ),
        (
            json!({"account_id": alice_id, "status_ids": [private]}),
            "a status the reporter cannot see",
        ),
        (
            json!({"account_id": alice_id, "category": "gossip"}),
            "unknown category",
        ),
        (
            json!({"account_id": alice_id, "rule_ids": ["3"]}),
            "no such rule",
        ),
        (
            json!({"account_id": alice_id, "comment": "x".repeat(1001)}),
            "long comment",
        ),
        (json!({"status_ids": [post]}), "no account"),
        (json!({"account_id": app.account_id(&bob).await}), "oneself"),
    ] {
        let (status, e) = report(&app, &bob, body).await;
        assert_eq!(status, 422, "{why}: {e}");
    }
    let (status, _) = report(&app, &bob, json!({"account_id": "987654"})).await;
    assert!(status == 404 || status == 422, "unknown account: {status}");
    let reader = app.user_with_token("reader", "read").await;
    let (status, _) = report(&app, &reader, json!({"account_id": alice_id})).await;
    assert_eq!(status, 403);

    // Administrators see every report; others do not.
    let (status, list) = json(
        app.get_auth("/api/passerelle/v1/admin/reports", &admin)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(
        (
            list[0]["account"]["username"].clone(),
            list[0]["remote"].clone()
        ),
        (json!("bob"), json!(false))
    );
    assert_eq!(
        app.get_auth("/api/passerelle/v1/admin/reports", &carol)
            .await
            .status(),
        403
    );

    // A report about a community thread reaches that community's moderators.
    let (status, community) = app
        .post_json(
            &carol,
            "/api/passerelle/v1/communities",
            json!({"name": "rail", "title": "Rail freight", "visibility": "public"}),
        )
        .await;
    assert_eq!(status, 200, "{community}");
    let cid = community["id"].as_str().unwrap().to_string();
    app.post_json(
        &alice,
        &format!("/api/passerelle/v1/communities/{cid}/join"),
        json!({}),
    )
    .await;
    app.post_json(
        &bob,
        &format!("/api/passerelle/v1/communities/{cid}/join"),
        json!({}),
    )
    .await;
    let (status, thread) = app
        .post_json(
            &alice,
            &format!("/api/passerelle/v1/communities/{cid}/threads"),
            json!({"title": "Off topic rant", "body": "..."}),
        )
        .await;
    assert_eq!(status, 200, "{thread}");
    let thread = thread["id"].as_str().unwrap().to_string();
    let (status, r) = report(&app, &bob, json!({"account_id": alice_id, "status_ids": [thread], "category": "other", "comment": "Off topic"})).await;
    assert_eq!(status, 200, "{r}");
    let (status, list) = json(
        app.get_auth(
            &format!("/api/passerelle/v1/communities/{cid}/reports"),
            &carol,
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "only the community's report"
    );
    assert_eq!(list[0]["community_id"], cid.as_str());
    assert_eq!(
        app.get_auth(
            &format!("/api/passerelle/v1/communities/{cid}/reports"),
            &bob
        )
        .await
        .status(),
        403
    );
    // A member cannot close it; its moderator (the owner) can.
    let rid = list[0]["id"].as_str().unwrap().to_string();
    let (status, _) = app
        .post_json(
            &bob,
            &format!("/api/passerelle/v1/reports/{rid}/resolve"),
            json!({}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, closed) = app
        .post_json(
            &carol,
            &format!("/api/passerelle/v1/reports/{rid}/resolve"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, closed["action_taken"].clone()),
        (200, json!(true)),
        "{closed}"
    );
    let (_, open) = json(
        app.get_auth(
            &format!("/api/passerelle/v1/communities/{cid}/reports"),
            &carol,
        )
        .await,
    )
    .await;
    assert_eq!(open, json!([]));
    let (_, done) = json(
        app.get_auth(
            &format!("/api/passerelle/v1/communities/{cid}/reports?resolved=true"),
            &carol,
        )
        .await,
    )
    .await;
    assert_eq!(done.as_array().unwrap().len(), 1);
    // The first report is not the community's: its moderator cannot close it.
    let (_, all) = json(
        app.get_auth("/api/passerelle/v1/admin/reports", &admin)
            .await,
    )
    .await;
    let first = all[0]["id"].as_str().unwrap().to_string();
    let (status, _) = app
        .post_json(
            &carol,
            &format!("/api/passerelle/v1/reports/{first}/resolve"),
            json!({}),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .post_json(
            &admin,
            &format!("/api/passerelle/v1/reports/{first}/resolve"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
}

backend_tests!(reports_reach_moderators);
