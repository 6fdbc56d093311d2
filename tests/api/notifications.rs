//! Notifications and markers: mentions and replies, favourites, follows; filters,
//! pagination, dismissal; only one's own; gone with their status.

use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

async fn notifications(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let (status, list) = json(
        app.get_auth(&format!("/api/v1/notifications{query}"), token)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    list.as_array().expect("a list").clone()
}

fn kinds(list: &[Value]) -> Vec<&str> {
    list.iter().map(|n| n["type"].as_str().unwrap()).collect()
}

async fn what_happened_to_me(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;

    let (_, hello) = app
        .post_json(&bob, "/api/v1/statuses", json!({"status": "hello @alice"}))
        .await;
    let hello_id = hello["id"].as_str().unwrap().to_string();
    let (_, mine) = app
        .post_json(&alice, "/api/v1/statuses", json!({"status": "a thought"}))
        .await;
    let mine_id = mine["id"].as_str().unwrap().to_string();
    // A reply tells the author of what it answers, mention or not.
    let (status, reply) = app
        .post_json(
            &bob,
            "/api/v1/statuses",
            json!({"status": "agreed", "in_reply_to_id": mine_id}),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    for _ in 0..2 {
        let (status, _) = app
            .post_json(
                &bob,
                &format!("/api/v1/statuses/{mine_id}/favourite"),
                json!({}),
            )
            .await;
        assert_eq!(status, 200);
    }
    let alice_id = mine["account"]["id"].as_str().unwrap().to_string();
    let (status, _) = app
        .post_json(
            &bob,
            &format!("/api/v1/accounts/{alice_id}/follow"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    // One's own actions notify nobody.
    app.post_json(
        &alice,
        &format!("/api/v1/statuses/{mine_id}/favourite"),
        json!({}),
    )
    .await;

    let all = notifications(&app, &alice, "").await;
    assert_eq!(
        kinds(&all),
        ["follow", "favourite", "mention", "mention"],
        "{all:#?}"
    );
    assert!(all.iter().all(|n| n["account"]["acct"] == "bob"));
    assert_eq!(all[1]["status"]["id"], mine_id.as_str());
    assert_eq!(all[3]["status"]["id"], hello_id.as_str());
    assert!(all[0].get("status").is_none_or(Value::is_null));
    assert!(
        notifications(&app, &bob, "").await.is_empty(),
        "bob was not notified of his own acts"
    );

    assert_eq!(
        kinds(&notifications(&app, &alice, "?types[]=mention").await),
        ["mention", "mention"]
    );
    assert_eq!(
        kinds(
            &notifications(
                &app,
                &alice,
                "?exclude_types[]=follow&exclude_types[]=mention"
            )
            .await
        ),
        ["favourite"]
    );

    // Pages follow the Link header.
    let resp = app.get_auth("/api/v1/notifications?limit=3", &alice).await;
    let (_, rest) = app.next_page(&resp, &alice).await;
    let (_, first) = json(resp).await;
    assert_eq!(first.as_array().unwrap().len(), 3);
    assert_eq!(rest.as_array().unwrap().len(), 1);
    assert_eq!(rest[0]["id"], all[3]["id"]);

    // One's own only.
    let follow_id = all[0]["id"].as_str().unwrap();
    let one = format!("/api/v1/notifications/{follow_id}");
    assert_eq!(app.get_auth(&one, &alice).await.status(), 200);
    assert_eq!(app.get_auth(&one, &bob).await.status(), 404);
    assert_eq!(
        app.get_auth("/api/v1/notifications/nope", &alice)
            .await
            .status(),
        404
    );
    let (status, _) = app
        .post_json(&bob, &format!("{one}/dismiss"), json!({}))
        .await;
    assert_eq!(status, 404);
    let (status, body) = app
        .post_json(&alice, &format!("{one}/dismiss"), json!({}))
        .await;
    assert_eq!((status, body), (200, json!({})));
    assert_eq!(app.get_auth(&one, &alice).await.status(), 404);

    // A deleted status takes its notification along.
    let resp = app
        .delete_auth(&format!("/api/v1/statuses/{hello_id}"), &bob)
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        kinds(&notifications(&app, &alice, "").await),
        ["favourite", "mention"]
    );

    let (status, _) = app
        .post_json(&alice, "/api/v1/notifications/clear", json!({}))
        .await;
    assert_eq!(status, 200);
    assert!(notifications(&app, &alice, "").await.is_empty());

    // Scopes are enforced.
    let reader = app.user_with_token("carol", "read:statuses").await;
    assert_eq!(
        app.get_auth("/api/v1/notifications", &reader)
            .await
            .status(),
        403
    );
}

async fn markers_remember_where_one_stopped(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let (status, none) = json(
        app.get_auth(
            "/api/v1/markers?timeline[]=home&timeline[]=notifications",
            &alice,
        )
        .await,
    )
    .await;
    assert_eq!((status, none), (200, json!({})));
    let (status, set) = app
        .post_json(
            &alice,
            "/api/v1/markers",
            json!({"home": {"last_read_id": "1234"}}),
        )
        .await;
    assert_eq!(status, 200, "{set}");
    assert_eq!(set["home"]["last_read_id"], "1234");
    assert_eq!(set["home"]["version"], 0);
    // Form bodies with nested keys, as Mastodon.py and Tusky send them.
    let resp = app
        .client
        .post(app.url("/api/v1/markers"))
        .bearer_auth(&alice)
        .form(&[
            ("home[last_read_id]", "5678"),
            ("notifications[last_read_id]", "9"),
        ])
        .send()
        .await
        .unwrap();
    let (status, set) = json(resp).await;
    assert_eq!(status, 200, "{set}");
    assert_eq!(set["home"]["version"], 1);
    assert_eq!(set["notifications"]["last_read_id"], "9");
    let (_, got) = json(
        app.get_auth("/api/v1/markers?timeline[]=home", &alice)
            .await,
    )
    .await;
    assert_eq!(got["home"]["last_read_id"], "5678");
    assert!(
        got.get("notifications").is_none(),
        "only what was asked: {got}"
    );

    let (status, err) = app
        .post_json(
            &alice,
            "/api/v1/markers",
            json!({"home": {"last_read_id": "x"}}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    assert!(err["error"].is_string());
    let (status, _) = app.post_json(&alice, "/api/v1/markers", json!({})).await;
    assert_eq!(status, 400);
}

/// Following the `Link` header keeps the page size and the filters, as apps
/// (masto.js) follow it as given.
async fn next_pages_keep_limit_and_filters(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let (_, me) = json(
        app.get_auth("/api/v1/accounts/verify_credentials", &alice)
            .await,
    )
    .await;
    let alice_id = me["id"].as_str().unwrap();
    app.post_json(
        &bob,
        &format!("/api/v1/accounts/{alice_id}/follow"),
        json!({}),
    )
    .await;
    for n in 0..3 {
        app.post_json(
            &bob,
            "/api/v1/statuses",
            json!({"status": format!("@alice ping {n}")}),
        )
        .await;
    }
    let mut resp = app
        .get_auth("/api/v1/notifications?limit=1&types[]=mention", &alice)
        .await;
    let mut seen = 0;
    for _ in 0..5 {
        let link = resp
            .headers()
            .get("link")
            .map(|l| l.to_str().unwrap().to_string());
        let (status, page) = json(resp).await;
        assert_eq!(status, 200);
        let page = page.as_array().unwrap().clone();
        if page.is_empty() {
            break;
        }
        assert_eq!(page.len(), 1, "limit kept: {link:?}");
        assert_eq!(page[0]["type"], "mention", "filter kept: {link:?}");
        seen += 1;
        let link = link.expect("a Link header");
        assert!(!link.contains("access_token"));
        let next = link.split(['<', '>']).nth(1).unwrap().to_string();
        resp = app
            .client
            .get(next)
            .bearer_auth(&alice)
            .send()
            .await
            .unwrap();
    }
    assert_eq!(seen, 3, "three mentions, one per page, the follow left out");
}

/// `status` (notify on), `update` (an edit of what one boosted) and `poll`
/// (a poll one voted in or made has ended) notifications.
async fn statuses_edits_and_polls_notify(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let carol = app.user_with_token("carol", "read write follow").await;
    let bob_id = app.account_id(&bob).await;
    let (status, r) = app
        .post_form(
            &alice,
            &format!("/api/v1/accounts/{bob_id}/follow"),
            &[("notify", "true")],
        )
        .await;
    assert_eq!((status, &r["notifying"]), (200, &json!(true)), "{r}");

    let (_, post) = app
        .post_json(
            &bob,
            "/api/v1/statuses",
            json!({"status": "New release notes"}),
        )
        .await;
    let post_id = post["id"].as_str().unwrap().to_string();
    app.post_json(
        &bob,
        "/api/v1/statuses",
        json!({"status": "@alice have a look"}),
    )
    .await;
    let got = notifications(&app, &alice, "").await;
    assert_eq!(
        kinds(&got),
        ["mention", "status"],
        "a mention is not also a status"
    );
    assert_eq!(got[1]["status"]["id"], post_id.as_str());

    // Carol boosts it; Bob edits it: Carol is told.
    app.post_json(
        &carol,
        &format!("/api/v1/statuses/{post_id}/reblog"),
        json!({}),
    )
    .await;
    let (status, _) = json(
        app.client
            .put(app.url(&format!("/api/v1/statuses/{post_id}")))
            .bearer_auth(&bob)
            .json(&json!({"status": "New release notes (fixed link)"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200);
    let got = notifications(&app, &carol, "?types[]=update").await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["status"]["id"], post_id.as_str());

    // A poll ends: its author and the voter are told, once.
    let (_, poll) = app
        .post_json(
            &bob,
            "/api/v1/statuses",
            json!({"status": "Friday lunch?", "poll": {"options": ["pizza", "salad"], "expires_in": 300}}),
        )
        .await;
    let poll_id = poll["poll"]["id"].as_str().unwrap().to_string();
    let (status, _) = app
        .post_json(
            &alice,
            &format!("/api/v1/polls/{poll_id}/votes"),
            json!({"choices": [1]}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        passerelle::service::polls::announce_ended(&app.state)
            .await
            .unwrap(),
        0
    );
    let status_id: i64 = poll["id"].as_str().unwrap().parse().unwrap();
    app.state
        .db
        .write(move |c| {
            use diesel::prelude::*;
            use passerelle::db::schema::polls;
            let past = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
            diesel::update(polls::table.find(status_id))
                .set(polls::expires_at.eq(Some(past)))
                .execute(c)?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(
        passerelle::service::polls::announce_ended(&app.state)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        passerelle::service::polls::announce_ended(&app.state)
            .await
            .unwrap(),
        0
    );
    for token in [&alice, &bob] {
        let got = notifications(&app, token, "?types[]=poll").await;
        assert_eq!(got.len(), 1, "once each");
        assert_eq!(got[0]["status"]["poll"]["expired"], true);
    }
    assert!(
        notifications(&app, &carol, "?types[]=poll")
            .await
            .is_empty()
    );
}

backend_tests!(
    statuses_edits_and_polls_notify,
    what_happened_to_me,
    markers_remember_where_one_stopped,
    next_pages_keep_limit_and_filters
);
