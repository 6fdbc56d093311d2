//! A community page is a forum: threads by latest activity (the default), new
//! or top, a page at a time.

use serde_json::json;

use crate::{
    backend_tests,
    browser::Browser,
    helpers::{Backend, TestApp, spawn_app},
};

backend_tests!(threads_sorted_three_ways, moderators_pin_threads_first);

async fn thread(app: &TestApp, token: &str, cid: &str, title: &str) -> String {
    let (status, t) = app
        .post_json(
            token,
            &format!("/api/passerelle/v1/communities/{cid}/threads"),
            json!({"title": title, "body": "…"}),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    t["id"].as_str().expect("id").to_string()
}

/// The titles in the order the page shows them.
fn order(body: &str, titles: &[&str]) -> Vec<String> {
    let mut at: Vec<(usize, String)> = titles
        .iter()
        .filter_map(|t| {
            body.find(&format!(">{t}</a></h2>"))
                .map(|i| (i, t.to_string()))
        })
        .collect();
    at.sort();
    at.into_iter().map(|(_, t)| t).collect()
}

async fn threads_sorted_three_ways(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let (_, c) = app
        .post_json(
            &alice,
            "/api/passerelle/v1/communities",
            json!({"name": "guild", "visibility": "public"}),
        )
        .await;
    let cid = c["id"].as_str().expect("id").to_string();
    let (status, _) = app
        .post_json(&bob, &format!("/api/v1/accounts/{cid}/follow"), json!({}))
        .await;
    assert_eq!(status, 200, "bob joins");
    let old = thread(&app, &alice, &cid, "Oldest").await;
    let liked = thread(&app, &alice, &cid, "Liked").await;
    thread(&app, &alice, &cid, "Newest").await;
    let titles = ["Oldest", "Liked", "Newest"];
    // A comment brings the oldest thread up; likes and comments rank the top.
    let (status, r) = app
        .post_json(
            &bob,
            "/api/v1/statuses",
            json!({"status": "bump", "in_reply_to_id": old}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    for who in [&alice, &bob] {
        app.post_json(
            who,
            &format!("/api/v1/statuses/{liked}/favourite"),
            json!({}),
        )
        .await;
    }
    let browser = Browser::new(&app);
    let active = browser.get("/communities/guild").await;
    assert_eq!(
        order(&active.body, &titles),
        ["Oldest", "Newest", "Liked"],
        "{}",
        active.body
    );
    assert!(
        active
            .body
            .contains(r#"href="?sort=active" aria-current="page""#)
    );
    let new = browser.get("/communities/guild?sort=new").await;
    assert_eq!(order(&new.body, &titles), ["Newest", "Liked", "Oldest"]);
    let top = browser.get("/communities/guild?sort=top").await;
    assert_eq!(order(&top.body, &titles), ["Liked", "Oldest", "Newest"]);
    // Past the last page: no threads, and no link further.
    let beyond = browser.get("/communities/guild?sort=top&p=1").await;
    assert_eq!(beyond.status, 200);
    assert!(order(&beyond.body, &titles).is_empty() && !beyond.body.contains("p=2"));
    assert_eq!(
        browser.get("/communities/guild?sort=loud").await.status,
        422
    );

    // A removed comment no longer counts as activity.
    let (_, late) = app
        .post_json(
            &bob,
            "/api/v1/statuses",
            json!({"status": "late", "in_reply_to_id": liked}),
        )
        .await;
    let late = late["id"].as_str().expect("id");
    let bumped = browser.get("/communities/guild").await;
    assert_eq!(order(&bumped.body, &titles)[0], "Liked");
    app.delete_auth(&format!("/api/v1/statuses/{late}"), &bob)
        .await;
    let after = browser.get("/communities/guild").await;
    assert_eq!(order(&after.body, &titles)[0], "Oldest", "{}", after.body);
}

async fn pin(app: &TestApp, token: &str, id: &str) -> (u16, serde_json::Value) {
    app.post_json(
        token,
        &format!("/api/passerelle/v1/threads/{id}/pin"),
        json!({}),
    )
    .await
}

async fn moderators_pin_threads_first(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let (_, c) = app
        .post_json(
            &alice,
            "/api/passerelle/v1/communities",
            json!({"name": "guild", "visibility": "public"}),
        )
        .await;
    let cid = c["id"].as_str().expect("id").to_string();
    app.post_json(&bob, &format!("/api/v1/accounts/{cid}/follow"), json!({}))
        .await;
    let rules = thread(&app, &alice, &cid, "House rules").await;
    thread(&app, &alice, &cid, "Newest").await;
    let titles = ["House rules", "Newest"];
    assert_eq!(pin(&app, &bob, &rules).await.0, 403, "members do not pin");
    let (status, t) = pin(&app, &alice, &rules).await;
    assert_eq!(status, 200, "{t}");
    let (_, comment) = app
        .post_json(
            &bob,
            "/api/v1/statuses",
            json!({"status": "ok", "in_reply_to_id": rules}),
        )
        .await;
    let comment = comment["id"].as_str().expect("id").to_string();
    assert_eq!(
        pin(&app, &alice, &comment).await.0,
        422,
        "comments are not pinned"
    );

    // First in every sort, once, marked; a Mastodon app sees it as the
    // community account's pinned status; servers read it in `featured`.
    let browser = Browser::new(&app);
    for sort in ["active", "new", "top"] {
        let page = browser
            .get(&format!("/communities/guild?sort={sort}"))
            .await;
        assert_eq!(
            order(&page.body, &titles),
            ["House rules", "Newest"],
            "{sort}"
        );
        assert_eq!(page.body.matches(">House rules</a></h2>").count(), 1);
        assert!(page.body.contains("Pinned"));
    }
    let (_, pinned) = crate::helpers::json(
        app.get(&format!("/api/v1/accounts/{cid}/statuses?pinned=true"))
            .await,
    )
    .await;
    assert_eq!(pinned[0]["id"], rules.as_str(), "{pinned}");
    let (_, featured) = crate::helpers::json(app.get_ap("/c/guild/featured").await).await;
    assert!(
        featured.to_string().contains(&format!("/statuses/{rules}")),
        "{featured}"
    );

    // The owner unpins it from the page; the usual order is back.
    let mut owner = Browser::new(&app);
    owner.sign_in("alice").await;
    let page = owner.get("/communities/guild").await;
    assert!(
        page.body
            .contains(&format!(r#"action="/posts/{rules}/unpin""#))
    );
    assert_eq!(
        owner
            .post(&format!("/posts/{rules}/unpin"), &[])
            .await
            .status,
        303
    );
    let page = browser.get("/communities/guild?sort=new").await;
    assert_eq!(order(&page.body, &titles), ["Newest", "House rules"]);
    assert!(!page.body.contains("Pinned"));
    // Non-moderators get no pin button.
    let mut member = Browser::new(&app);
    member.sign_in("bob").await;
    assert!(
        !member
            .get("/communities/guild")
            .await
            .body
            .contains("/pin\"")
    );

    // Five pinned at most.
    for n in 0..5 {
        let id = thread(&app, &alice, &cid, &format!("Notice {n}")).await;
        assert_eq!(pin(&app, &alice, &id).await.0, 200);
    }
    let (status, e) = pin(&app, &alice, &rules).await;
    assert_eq!(status, 422, "{e}");
}
