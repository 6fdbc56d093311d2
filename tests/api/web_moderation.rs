//! The stewards' page of a community: join requests, reports, removal, bans,
//! settings, partners and moderators, for its moderators only.

use serde_json::json;

use crate::{
    backend_tests,
    browser::Browser,
    helpers::{Backend, json, spawn_app},
};

backend_tests!(stewards_moderate_from_the_page);

async fn stewards_moderate_from_the_page(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner_token = app.user_with_token("owner", "read write").await;
    let bob_token = app.user_with_token("bob", "read write").await;
    let carol_token = app.user_with_token("carol", "read write").await;
    let (status, c) = app
        .post_json(
            &owner_token,
            "/api/passerelle/v1/communities",
            json!({"name": "board", "visibility": "members"}),
        )
        .await;
    assert_eq!(status, 200, "{c}");
    let cid = c["id"].as_str().expect("id").to_string();
    let (mut owner, mut bob, mut carol) =
        (Browser::new(&app), Browser::new(&app), Browser::new(&app));
    owner.sign_in("owner").await;
    bob.sign_in("bob").await;
    carol.sign_in("carol").await;

    // Bob asks to join; the queue is on the stewards' page, closed to others.
    assert_eq!(bob.post("/communities/board/join", &[]).await.status, 303);
    assert!(
        bob.get("/communities/board")
            .await
            .body
            .contains("Cancel my request")
    );
    assert_eq!(carol.get("/communities/board/moderation").await.status, 403);
    let page = owner.get("/communities/board/moderation").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(r#"href="/@bob""#));
    let bob_id = app.account_id(&bob_token).await;
    let approved = owner
        .post(
            &format!("/communities/board/requests/{bob_id}/approve"),
            &[],
        )
        .await;
    assert_eq!(approved.status, 303, "{}", approved.body);
    assert!(bob.get("/communities/board").await.body.contains(">Leave<"));

    // Bob posts; carol (a member too) reports it; the report waits on the page.
    carol.post("/communities/board/join", &[]).await;
    let carol_id = app.account_id(&carol_token).await;
    owner
        .post(
            &format!("/communities/board/requests/{carol_id}/approve"),
            &[],
        )
        .await;
    let made = bob
        .post(
            "/posts",
            &[
                ("community", "board"),
                ("title", "Offtopic"),
                ("text", "spam"),
            ],
        )
        .await;
    let thread = made.location.expect("thread");
    let id = thread.trim_start_matches("/posts/").to_string();
    let (status, report) = app
        .post_json(
            &carol_token,
            "/api/v1/reports",
            json!({"account_id": bob_id, "status_ids": [id], "comment": "not on topic"}),
        )
        .await;
    assert_eq!(status, 200, "{report}");
    let page = owner.get("/communities/board/moderation").await;
    assert!(page.body.contains("not on topic"), "{}", page.body);
    let rid = report["id"].as_str().expect("report id");
    owner
        .post(&format!("/communities/board/reports/{rid}/resolve"), &[])
        .await;
    assert!(
        !owner
            .get("/communities/board/moderation")
            .await
            .body
            .contains("not on topic")
    );

    // The owner removes the thread from its page, and bans carol.
    assert!(
        owner
            .get(&thread)
            .await
            .body
            .contains(&format!(r#"action="/posts/{id}/delete""#))
    );
    assert!(
        !carol
            .get(&thread)
            .await
            .body
            .contains(&format!(r#"action="/posts/{id}/delete""#))
    );
    assert_eq!(
        owner.post(&format!("/posts/{id}/delete"), &[]).await.status,
        303
    );
    assert_eq!(bob.get(&thread).await.status, 404);
    // It waits among the removed posts, and can be restored (then removed again).
    let page = owner.get("/communities/board/moderation").await;
    assert!(
        page.body
            .contains(&format!(r#"action="/posts/{id}/restore""#)),
        "{}",
        page.body
    );
    let restored = owner.post(&format!("/posts/{id}/restore"), &[]).await;
    assert_eq!(restored.status, 303, "{}", restored.body);
    assert_eq!(bob.get(&thread).await.status, 200);
    assert_eq!(
        bob.post(&format!("/posts/{id}/restore"), &[]).await.status,
        403
    );
    owner.post(&format!("/posts/{id}/delete"), &[]).await;
    assert_eq!(bob.get(&thread).await.status, 404);
    let banned = owner
        .post(
            "/communities/board/ban",
            &[("account", "carol"), ("reason", "spam")],
        )
        .await;
    assert_eq!(banned.status, 303, "{}", banned.body);
    let (status, _) = app
        .post_json(
            &carol_token,
            &format!("/api/passerelle/v1/communities/{cid}/threads"),
            json!({"title": "x", "body": "y"}),
        )
        .await;
    assert_eq!(status, 403, "banned");
    // The page lists the ban with its reason; lifting it lets carol ask again.
    let page = owner.get("/communities/board/moderation").await;
    assert!(
        page.body.contains("spam") && page.body.contains("Lift the ban"),
        "{}",
        page.body
    );
    let lifted = owner
        .post("/communities/board/unban", &[("account", &carol_id)])
        .await;
    assert_eq!(lifted.status, 303, "{}", lifted.body);
    assert!(
        !owner
            .get("/communities/board/moderation")
            .await
            .body
            .contains("Lift the ban")
    );
    let again = owner
        .post("/communities/board/unban", &[("account", &carol_id)])
        .await;
    assert_eq!(again.status, 404, "no ban left");

    // Settings, partners and moderators are the owner's.
    let saved = owner
        .post(
            "/communities/board/settings",
            &[
                ("description", "The *board* room"),
                ("visibility", "partners"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = owner.get("/communities/board").await;
    assert!(page.body.contains("<em>board</em>"));
    assert!(page.body.contains("Partners"));
    owner
        .post(
            "/communities/board/partners",
            &[("domain", "supplier.example")],
        )
        .await;
    assert!(
        owner
            .get("/communities/board/moderation")
            .await
            .body
            .contains("supplier.example")
    );
    owner
        .post("/communities/board/moderators", &[("account", "bob")])
        .await;
    let (_, mods) = json(
        app.get_auth(
            &format!("/api/passerelle/v1/communities/{cid}/moderators"),
            &owner_token,
        )
        .await,
    )
    .await;
    assert_eq!(mods.as_array().map(Vec::len), Some(2), "{mods}");
    // Bob moderates now, but the owner's sections stay the owner's.
    let page = bob.get("/communities/board/moderation").await;
    assert_eq!(page.status, 200);
    assert!(
        !page
            .body
            .contains(r#"action="/communities/board/settings""#)
    );
    let refused = bob
        .post(
            "/communities/board/partners",
            &[("domain", "other.example")],
        )
        .await;
    assert!(refused.status >= 400);
}
