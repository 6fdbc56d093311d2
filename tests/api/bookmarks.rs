//! Bookmarks and the lists of one's bookmarks and favourites: private, paginated
//! by when they were marked, only what one may still see.

use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

async fn ids(app: &TestApp, token: &str, path: &str) -> Vec<String> {
    let (status, list) = json(app.get_auth(path, token).await).await;
    assert_eq!(status, 200, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .map(|s: &Value| s["id"].as_str().unwrap().to_string())
        .collect()
}

async fn bookmarks_and_favourites(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let mut posted = Vec::new();
    for text in ["first", "second", "third"] {
        let (_, s) = app
            .post_json(&bob, "/api/v1/statuses", json!({"status": text}))
            .await;
        posted.push(s["id"].as_str().unwrap().to_string());
    }
    // Marked in another order than posted: the lists follow the marks.
    for id in [posted[1].clone(), posted[0].clone(), posted[2].clone()] {
        let (status, s) = app
            .post_json(
                &alice,
                &format!("/api/v1/statuses/{id}/bookmark"),
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "{s}");
        assert_eq!(s["bookmarked"], true);
    }
    let (status, again) = app
        .post_json(
            &alice,
            &format!("/api/v1/statuses/{}/bookmark", posted[0]),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, &again["bookmarked"]),
        (200, &json!(true)),
        "twice is fine"
    );
    let marked = ids(&app, &alice, "/api/v1/bookmarks").await;
    assert_eq!(
        marked,
        [posted[2].clone(), posted[0].clone(), posted[1].clone()]
    );
    assert!(
        ids(&app, &bob, "/api/v1/bookmarks").await.is_empty(),
        "bookmarks are private"
    );
    let (_, seen_by_bob) = json(
        app.get_auth(&format!("/api/v1/statuses/{}", posted[0]), &bob)
            .await,
    )
    .await;
    assert_eq!(seen_by_bob["bookmarked"], false);

    // Pages by mark, through the Link header.
    let resp = app.get_auth("/api/v1/bookmarks?limit=2", &alice).await;
    let (_, rest) = app.next_page(&resp, &alice).await;
    assert_eq!(rest[0]["id"], posted[1].as_str());

    let (status, s) = app
        .post_json(
            &alice,
            &format!("/api/v1/statuses/{}/unbookmark", posted[0]),
            json!({}),
        )
        .await;
    assert_eq!((status, &s["bookmarked"]), (200, &json!(false)));
    assert_eq!(
        ids(&app, &alice, "/api/v1/bookmarks").await,
        [posted[2].clone(), posted[1].clone()]
    );

    // Deleted statuses leave the lists.
    let resp = app
        .delete_auth(&format!("/api/v1/statuses/{}", posted[2]), &bob)
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        ids(&app, &alice, "/api/v1/bookmarks").await,
        [posted[1].clone()]
    );

    // Favourites list the same way.
    for id in [posted[0].clone(), posted[1].clone()] {
        app.post_json(
            &alice,
            &format!("/api/v1/statuses/{id}/favourite"),
            json!({}),
        )
        .await;
    }
    assert_eq!(
        ids(&app, &alice, "/api/v1/favourites").await,
        [posted[1].clone(), posted[0].clone()]
    );

    // Unknown or unseeable statuses are 404; scopes are enforced.
    let (status, _) = app
        .post_json(&alice, "/api/v1/statuses/12345/bookmark", json!({}))
        .await;
    assert_eq!(status, 404);
    let (_, direct) = app
        .post_json(
            &bob,
            "/api/v1/statuses",
            json!({"status": "psst", "visibility": "direct"}),
        )
        .await;
    let (status, _) = app
        .post_json(
            &alice,
            &format!(
                "/api/v1/statuses/{}/bookmark",
                direct["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    assert_eq!(status, 404, "a direct status not addressed to alice");
    let reader = app.user_with_token("carol", "read:statuses").await;
    assert_eq!(
        app.get_auth("/api/v1/bookmarks", &reader).await.status(),
        403
    );
}

backend_tests!(bookmarks_and_favourites);
