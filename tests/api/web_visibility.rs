//! The visibility matrix applies to the pages too: what the API would not show
//! someone is not rendered for them either.

use serde_json::json;

use crate::{
    backend_tests,
    browser::Browser,
    helpers::{Backend, TestApp, spawn_app},
};

backend_tests!(members_only_and_internal_pages, private_posts_stay_private);

async fn thread_in(app: &TestApp, token: &str, community: &str, visibility: &str) -> String {
    let (status, c) = app
        .post_json(
            token,
            "/api/passerelle/v1/communities",
            json!({"name": community, "visibility": visibility}),
        )
        .await;
    assert_eq!(status, 200, "{c}");
    let cid = c["id"].as_str().expect("id");
    let (status, t) = app
        .post_json(
            token,
            &format!("/api/passerelle/v1/communities/{cid}/threads"),
            json!({"title": format!("Secret of {community}"), "body": "roadmap"}),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    t["id"].as_str().expect("id").to_string()
}

async fn members_only_and_internal_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.user_with_token("owner", "read write").await;
    app.user_with_token("outsider", "read").await;
    let members = thread_in(&app, &owner, "board", "members").await;
    let internal = thread_in(&app, &owner, "staff", "internal").await;
    let anonymous = Browser::new(&app);
    let (mut outsider, mut member) = (Browser::new(&app), Browser::new(&app));
    outsider.sign_in("outsider").await;
    member.sign_in("owner").await;

    for path in [format!("/posts/{members}"), format!("/posts/{internal}")] {
        let page = anonymous.get(&path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(!page.body.contains("Secret of"));
        assert_eq!(member.get(&path).await.status, 200, "{path}");
    }
    // A signed-in colleague who is not a member sees the members-only community
    // exists (to ask to join) but none of its threads.
    let board = outsider.get("/communities/board").await;
    assert_eq!(board.status, 200);
    assert!(!board.body.contains("Secret of board"));
    assert!(board.body.contains("Ask to join"), "{}", board.body);
    assert_eq!(outsider.get(&format!("/posts/{members}")).await.status, 404);
    // An internal community is for colleagues only, never the outside world.
    assert_eq!(anonymous.get("/communities/staff").await.status, 404);
    let staff = outsider.get("/communities/staff").await;
    assert_eq!(staff.status, 200);
    assert!(staff.body.contains("Secret of staff"));
    let listing = anonymous.get("/communities").await;
    assert!(!listing.body.contains("staff"));
    assert!(!anonymous.get("/").await.body.contains("board"));
}

async fn private_posts_stay_private(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    app.user_with_token("bob", "read").await;
    let (_, post) = app
        .post_json(
            &alice,
            "/api/v1/statuses",
            json!({"status": "for my followers", "visibility": "private"}),
        )
        .await;
    let id = post["id"].as_str().expect("id");
    let mut bob = Browser::new(&app);
    bob.sign_in("bob").await;
    assert_eq!(bob.get(&format!("/posts/{id}")).await.status, 404);
    assert!(!bob.get("/@alice").await.body.contains("for my followers"));
    // Once bob follows alice, he reads it; and it carries no link preview.
    assert_eq!(bob.post("/@alice/follow", &[]).await.status, 303);
    let page = bob.get(&format!("/posts/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("for my followers"));
    assert!(!page.body.contains("og:description"));
    assert!(bob.get("/@alice").await.body.contains("Unfollow"));
}
