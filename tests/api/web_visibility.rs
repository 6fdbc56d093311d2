//! The visibility matrix applies to the pages too: what the API would not show
//! someone is not rendered for them either.

use serde_json::json;

use crate::{
    backend_tests,
    browser::Browser,
    helpers::{Backend, TestApp, spawn_app},
};

backend_tests!(
    members_only_and_internal_pages,
    private_posts_stay_private,
    member_lists
);

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

/// Who belongs to a community: anyone who may read a public one sees it; a
/// members-only one's list is for its members, on the page and in the API.
async fn member_lists(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.user_with_token("owner", "read write").await;
    let outsider_token = app.user_with_token("outsider", "read").await;
    thread_in(&app, &owner, "board", "members").await;
    thread_in(&app, &owner, "lounge", "public").await;
    let anonymous = Browser::new(&app);
    let (mut outsider, mut member) = (Browser::new(&app), Browser::new(&app));
    outsider.sign_in("outsider").await;
    member.sign_in("owner").await;

    let lounge = anonymous.get("/communities/lounge/members").await;
    assert_eq!(lounge.status, 200);
    assert!(lounge.body.contains("@owner"), "{}", lounge.body);
    let board = member.get("/communities/board/members").await;
    assert!(
        board.status == 200 && board.body.contains("@owner"),
        "{}",
        board.body
    );
    let refused = outsider.get("/communities/board/members").await;
    assert_eq!(refused.status, 403);
    assert!(!refused.body.contains("@owner"));
    assert_eq!(
        anonymous.get("/communities/board/members").await.status,
        403
    );

    // The API's followers of the community follow the same rule.
    let (_, c) = crate::helpers::json(
        app.get_auth("/api/v1/accounts/lookup?acct=board", &outsider_token)
            .await,
    )
    .await;
    let cid = c["id"].as_str().expect("id");
    let path = format!("/api/v1/accounts/{cid}/followers");
    assert_eq!(app.get_auth(&path, &outsider_token).await.status(), 403);
    let (status, list) = crate::helpers::json(app.get_auth(&path, &owner).await).await;
    assert_eq!(status, 200);
    assert_eq!(list[0]["acct"], "owner", "{list}");
}
