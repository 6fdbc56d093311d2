//! Accounts: creation rules, lookups, the shared name space of people and communities.

use passerelle::{
    model::visibility::CommunityVisibility,
    service::{
        accounts::{NewUser, create_user},
        communities::{NewCommunity, create_community},
    },
};

use crate::{
    backend_tests,
    helpers::{Backend, json, spawn_app},
};

fn new_user(name: &str, email: &str, password: &str) -> NewUser {
    NewUser {
        name: name.into(),
        email: email.into(),
        password: password.into(),
        admin: false,
    }
}

async fn creation_rules(backend: Backend) {
    let app = spawn_app(backend).await;
    create_user(
        &app.state,
        new_user("Alice", "alice@example.com", "long enough"),
    )
    .await
    .expect("alice");
    for (user, field) in [
        (
            new_user("alice", "other@example.com", "long enough"),
            "username",
        ),
        (
            new_user("carol", "ALICE@example.com", "long enough"),
            "email",
        ),
        (
            new_user("bad name", "b@example.com", "long enough"),
            "username",
        ),
        (
            new_user("inbox", "i@example.com", "long enough"),
            "username",
        ),
        (new_user("dave", "not-an-email", "long enough"), "email"),
        (new_user("erin", "erin@example.com", "short"), "password"),
    ] {
        let err = create_user(&app.state, user)
            .await
            .expect_err("must be refused");
        assert_eq!(err.status.as_u16(), 422, "{err}");
        assert!(err.message.contains(field), "{field}: {}", err.message);
    }
    // People and communities share one name space.
    let err = create_community(
        &app.state,
        NewCommunity {
            name: "alice".into(),
            owner: "alice".into(),
            title: None,
            visibility: CommunityVisibility::Public,
        },
    )
    .await
    .expect_err("name taken by a person");
    assert_eq!(err.status.as_u16(), 422);
    create_community(
        &app.state,
        NewCommunity {
            name: "devs".into(),
            owner: "alice".into(),
            title: None,
            visibility: CommunityVisibility::Public,
        },
    )
    .await
    .expect("devs");
    let err = create_user(
        &app.state,
        new_user("devs", "devs@example.com", "long enough"),
    )
    .await
    .expect_err("name taken by a community");
    assert_eq!(err.status.as_u16(), 422);
    let err = create_community(
        &app.state,
        NewCommunity {
            name: "ops".into(),
            owner: "nobody".into(),
            title: None,
            visibility: CommunityVisibility::Public,
        },
    )
    .await
    .expect_err("unknown owner");
    assert_eq!(err.status.as_u16(), 422);
}

async fn lookup_and_get(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.user_with_token("alice", "read").await;
    create_community(
        &app.state,
        NewCommunity {
            name: "devs".into(),
            owner: "alice".into(),
            title: Some("Developers".into()),
            visibility: CommunityVisibility::Public,
        },
    )
    .await
    .expect("devs");
    create_community(
        &app.state,
        NewCommunity {
            name: "hr".into(),
            owner: "alice".into(),
            title: None,
            visibility: CommunityVisibility::Internal,
        },
    )
    .await
    .expect("hr");

    let (status, alice) = json(app.get("/api/v1/accounts/lookup?acct=alice").await).await;
    assert_eq!(status, 200);
    assert_eq!(alice["acct"], "alice");
    assert_eq!(alice["group"], false);
    for key in [
        "bot",
        "locked",
        "fields",
        "emojis",
        "avatar",
        "header",
        "followers_count",
    ] {
        assert!(alice.get(key).is_some(), "account lacks {key}");
    }
    let id = alice["id"].as_str().expect("id is a string");
    let (status, again) = json(app.get(&format!("/api/v1/accounts/{id}")).await).await;
    assert_eq!(status, 200);
    assert_eq!(again["username"], "alice");
    assert_eq!(
        again["following_count"], 2,
        "alice owns and so belongs to both communities"
    );

    let (status, devs) = json(
        app.get(&format!("/api/v1/accounts/lookup?acct=devs@{}", app.domain))
            .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(devs["group"], true);
    assert_eq!(devs["display_name"], "Developers");
    assert_eq!(devs["followers_count"], 1);

    // Internal communities: local users only.
    assert_eq!(
        app.get("/api/v1/accounts/lookup?acct=hr").await.status(),
        404
    );
    assert_eq!(
        app.get_auth("/api/v1/accounts/lookup?acct=hr", &token)
            .await
            .status(),
        200
    );

    for path in [
        "/api/v1/accounts/lookup?acct=nobody",
        "/api/v1/accounts/123",
        "/api/v1/accounts/abc",
        "/api/v1/accounts/lookup?acct=x@elsewhere.example",
    ] {
        let (status, body) = json(app.get(path).await).await;
        assert_eq!(status, 404, "{path}");
        assert!(body["error"].is_string());
    }
    let (status, _) = json(app.get("/api/v1/accounts/lookup").await).await;
    assert_eq!(status, 400);
}

async fn preferences_need_a_user(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.user_with_token("alice", "read").await;
    let (status, prefs) = json(app.get_auth("/api/v1/preferences", &token).await).await;
    assert_eq!(status, 200);
    assert_eq!(prefs["posting:default:visibility"], "public");
    assert_eq!(app.get("/api/v1/preferences").await.status(), 401);
}

/// The figures on an account follow every write: posts and deletions, follows
/// and unfollows (they are kept by database triggers, so checked on both).
async fn account_figures_follow_writes(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let figures = |token: String| {
        let app = &app;
        async move {
            let (status, me) = json(
                app.get_auth("/api/v1/accounts/verify_credentials", &token)
                    .await,
            )
            .await;
            assert_eq!(status, 200, "{me}");
            me
        }
    };
    let me = figures(alice.clone()).await;
    assert_eq!(me["statuses_count"], 0);
    assert!(me["last_status_at"].is_null(), "{me}");
    let alice_id = me["id"].as_str().unwrap().to_string();

    let mut ids = Vec::new();
    for text in ["one", "two"] {
        let (status, posted) = app
            .post_json(
                &alice,
                "/api/v1/statuses",
                serde_json::json!({ "status": text }),
            )
            .await;
        assert_eq!(status, 200, "{posted}");
        ids.push(posted["id"].as_str().unwrap().to_string());
    }
    let resp = app
        .delete_auth(&format!("/api/v1/statuses/{}", ids[0]), &alice)
        .await;
    assert_eq!(resp.status(), 200);
    let me = figures(alice.clone()).await;
    assert_eq!(me["statuses_count"], 1, "a deleted status no longer counts");
    assert!(me["last_status_at"].is_string(), "{me}");

    let follow = format!("/api/v1/accounts/{alice_id}/follow");
    let (status, rel) = app.post_json(&bob, &follow, serde_json::json!({})).await;
    assert_eq!(status, 200, "{rel}");
    assert_eq!(figures(alice.clone()).await["followers_count"], 1);
    assert_eq!(figures(bob.clone()).await["following_count"], 1);
    let unfollow = format!("/api/v1/accounts/{alice_id}/unfollow");
    let (status, rel) = app.post_json(&bob, &unfollow, serde_json::json!({})).await;
    assert_eq!(status, 200, "{rel}");
    assert_eq!(figures(alice).await["followers_count"], 0);
    assert_eq!(figures(bob).await["following_count"], 0);
}

backend_tests!(
    creation_rules,
    lookup_and_get,
    preferences_need_a_user,
    account_figures_follow_writes
);
