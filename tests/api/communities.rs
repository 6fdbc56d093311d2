//! Communities through the native API (and as group accounts in the Mastodon API):
//! create, join, threads in markdown, comment trees, roles, bans, internal visibility.

use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    app.post_json(token, path, body).await
}

async fn community(app: &TestApp, owner: &str, name: &str, visibility: &str) -> String {
    let (status, c) = post(app, owner, "/api/passerelle/v1/communities", json!({"name": name, "title": format!("The {name}"), "description": "We *build* things", "visibility": visibility})).await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["role"], "owner");
    assert_eq!(c["membership"], "accepted");
    assert!(
        c["description"]
            .as_str()
            .unwrap()
            .contains("<em>build</em>")
    );
    c["id"].as_str().unwrap().to_string()
}

async fn threads_and_comment_tree(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let devs = community(&app, &alice, "devs", "public").await;

    // bob must join before posting.
    let thread = json!({"title": "Hello", "body": "# Welcome\n\n- one\n- two"});
    let (status, _) = post(
        &app,
        &bob,
        &format!("/api/passerelle/v1/communities/{devs}/threads"),
        thread.clone(),
    )
    .await;
    assert_eq!(status, 403);
    let (status, c) = post(
        &app,
        &bob,
        &format!("/api/passerelle/v1/communities/{devs}/join"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(c["members_count"], 2);
    let (status, t) = post(
        &app,
        &bob,
        &format!("/api/passerelle/v1/communities/{devs}/threads"),
        thread,
    )
    .await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["passerelle"]["title"], "Hello");
    assert_eq!(t["passerelle"]["community"]["id"], devs);
    assert!(t["content"].as_str().unwrap().contains("<h1>Welcome</h1>"));
    let tid = t["id"].as_str().unwrap().to_string();
    let (status, _) = post(
        &app,
        &bob,
        &format!("/api/passerelle/v1/communities/{devs}/threads"),
        json!({"body": "no title"}),
    )
    .await;
    assert_eq!(status, 422);

    // Comments and a reply to a comment make a tree.
    let (_, c1) = post(
        &app,
        &alice,
        &format!("/api/passerelle/v1/statuses/{tid}/comments"),
        json!({"body": "first"}),
    )
    .await;
    let c1id = c1["id"].as_str().unwrap();
    let (_, c2) = post(
        &app,
        &bob,
        &format!("/api/passerelle/v1/statuses/{c1id}/comments"),
        json!({"body": "reply to first"}),
    )
    .await;
    assert_eq!(c2["passerelle"]["thread_id"], tid);
    post(
        &app,
        &bob,
        &format!("/api/passerelle/v1/statuses/{tid}/comments"),
        json!({"body": "second"}),
    )
    .await;
    let (status, tree) = json(app.get(&format!("/api/passerelle/v1/threads/{tid}")).await).await;
    assert_eq!(status, 200);
    assert_eq!(tree["id"], tid);
    assert_eq!(tree["replies"].as_array().unwrap().len(), 2);
    assert_eq!(tree["replies"][0]["replies"][0]["id"], c2["id"]);

    // A deleted comment keeps its place; its text is gone.
    let resp = app
        .client
        .delete(app.url(&format!("/api/passerelle/v1/statuses/{c1id}")))
        .bearer_auth(&alice)
        .send()
        .await
        .expect("delete");
    assert_eq!(resp.status(), 200);
    let (_, tree) = json(app.get(&format!("/api/passerelle/v1/threads/{tid}")).await).await;
    assert_eq!(tree["replies"][0]["passerelle"]["deleted"], true);
    assert_eq!(tree["replies"][0]["content"], "");
    assert_eq!(tree["replies"][0]["replies"][0]["id"], c2["id"]);

    // Likes, and the community timeline.
    let (_, liked) = post(
        &app,
        &alice,
        &format!("/api/passerelle/v1/statuses/{tid}/like"),
        json!({}),
    )
    .await;
    assert_eq!(liked["favourites_count"], 1);
    let (status, threads) = json(
        app.get(&format!("/api/passerelle/v1/communities/{devs}/threads"))
            .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        threads.as_array().unwrap().len(),
        1,
        "comments are not threads"
    );
    // Members see the community's threads in their home timeline.
    let (_, home) = json(app.get_auth("/api/v1/timelines/home", &alice).await).await;
    assert!(home.as_array().unwrap().iter().any(|s| s["id"] == tid));
}

async fn mastodon_post_mentioning_a_community_becomes_a_thread(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let devs = community(&app, &alice, "devs", "public").await;
    let (status, s) = post(
        &app,
        &alice,
        "/api/v1/statuses",
        json!({"status": "@devs Standup moved to 10:00\nDetails follow."}),
    )
    .await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["passerelle"]["community"]["id"], devs);
    assert_eq!(s["passerelle"]["title"], "Standup moved to 10:00");
    // Communities are group accounts for Mastodon apps.
    let (_, g) = json(app.get(&format!("/api/v1/accounts/{devs}")).await).await;
    assert_eq!(g["group"], true);
    let (_, statuses) = json(app.get(&format!("/api/v1/accounts/{devs}/statuses")).await).await;
    assert_eq!(statuses[0]["id"], s["id"]);
}

async fn roles_and_bans(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let carol = app.user_with_token("carol", "read write follow").await;
    let devs = community(&app, &alice, "devs", "public").await;
    let id_of = |name: &'static str| {
        let app = &app;
        async move {
            json(
                app.get(&format!("/api/v1/accounts/lookup?acct={name}"))
                    .await,
            )
            .await
            .1["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let (bob_id, carol_id) = (id_of("bob").await, id_of("carol").await);
    post(
        &app,
        &bob,
        &format!("/api/passerelle/v1/communities/{devs}/join"),
        json!({}),
    )
    .await;
    post(
        &app,
        &carol,
        &format!("/api/passerelle/v1/communities/{devs}/join"),
        json!({}),
    )
    .await;

    // Only the owner appoints; only members can be appointed.
    let (status, _) = post(
        &app,
        &bob,
        &format!("/api/passerelle/v1/communities/{devs}/moderators"),
        json!({"account_id": carol_id}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, mods) = post(
        &app,
        &alice,
        &format!("/api/passerelle/v1/communities/{devs}/moderators"),
        json!({"account_id": bob_id}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(mods.as_array().unwrap().len(), 2);
    let (_, ap_mods) = json(app.get_ap("/c/devs/moderators").await).await;
    assert_eq!(ap_mods["totalItems"], 2);

    // A moderator removes carol's thread, then bans her.
    let (_, t) = post(
        &app,
        &carol,
        &format!("/api/passerelle/v1/communities/{devs}/threads"),
        json!({"title": "Off topic", "body": "spam"}),
    )
    .await;
    let tid = t["id"].as_str().unwrap();
    let resp = app
        .client
        .delete(app.url(&format!("/api/v1/statuses/{tid}")))
        .bearer_auth(&bob)
        .send()
        .await
        .expect("remove");
    assert_eq!(resp.status(), 200);
    assert_eq!(
        app.get(&format!("/api/v1/statuses/{tid}")).await.status(),
        404
    );
    // Removed, not erased: a moderator may restore it, only a moderator.
    let restore = format!("/api/passerelle/v1/statuses/{tid}/restore");
    assert_eq!(post(&app, &carol, &restore, json!({})).await.0, 403);
    let (status, back) = post(&app, &bob, &restore, json!({})).await;
    assert_eq!(status, 200, "{back}");
    assert_eq!(
        app.get(&format!("/api/v1/statuses/{tid}")).await.status(),
        200
    );
    assert_eq!(
        post(&app, &bob, &restore, json!({})).await.0,
        404,
        "not removed"
    );
    let resp = app
        .client
        .delete(app.url(&format!("/api/v1/statuses/{tid}")))
        .bearer_auth(&bob)
        .send()
        .await
        .expect("remove again");
    assert_eq!(resp.status(), 200);
    let (status, _) = post(
        &app,
        &bob,
        &format!("/api/passerelle/v1/communities/{devs}/bans"),
        json!({"account_id": carol_id, "reason": "spam"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = post(
        &app,
        &carol,
        &format!("/api/passerelle/v1/communities/{devs}/threads"),
        json!({"title": "Again", "body": "spam"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = post(
        &app,
        &carol,
        &format!("/api/passerelle/v1/communities/{devs}/join"),
        json!({}),
    )
    .await;
    assert_eq!(status, 403, "a banned person cannot rejoin");
    let (status, _) = post(
        &app,
        &bob,
        &format!("/api/passerelle/v1/communities/{devs}/bans"),
        json!({"account_id": id_of("alice").await}),
    )
    .await;
    assert_eq!(status, 403, "the owner cannot be banned");

    // The moderators see the ban, lift it, and carol may join again.
    let bans = format!("/api/passerelle/v1/communities/{devs}/bans");
    let (status, list) = json(app.get_auth(&bans, &bob).await).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list[0]["account"]["id"], carol_id.as_str(), "{list}");
    assert_eq!(list[0]["reason"], "spam");
    assert_eq!(app.get_auth(&bans, &carol).await.status(), 403);
    let lift = |who: &str| {
        app.client
            .delete(app.url(&format!("{bans}/{carol_id}")))
            .bearer_auth(who.to_string())
            .send()
    };
    assert_eq!(lift(&carol).await.expect("unban").status(), 403);
    assert_eq!(lift(&bob).await.expect("unban").status(), 200);
    assert_eq!(
        lift(&bob).await.expect("unban").status(),
        404,
        "no ban left"
    );
    let (_, list) = json(app.get_auth(&bans, &bob).await).await;
    assert_eq!(list, json!([]));
    let (status, _) = post(
        &app,
        &carol,
        &format!("/api/passerelle/v1/communities/{devs}/join"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "the ban is lifted");
    let resp = app
        .client
        .delete(app.url(&format!(
            "/api/passerelle/v1/communities/{devs}/moderators/{bob_id}"
        )))
        .bearer_auth(&alice)
        .send()
        .await
        .expect("remove mod");
    assert_eq!(resp.status(), 200);
    let (status, _) = post(
        &app,
        &alice,
        &format!("/api/passerelle/v1/communities/{devs}/leave"),
        json!({}),
    )
    .await;
    assert_eq!(status, 403, "the owner cannot leave");
}

async fn internal_communities_stay_inside(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let hr = community(&app, &alice, "hr", "internal").await;
    let (_, t) = post(
        &app,
        &alice,
        &format!("/api/passerelle/v1/communities/{hr}/threads"),
        json!({"title": "Salaries", "body": "confidential"}),
    )
    .await;
    let tid = t["id"].as_str().unwrap();
    assert_eq!(t["visibility"], "private");
    assert_eq!(t["passerelle"]["visibility"], "internal");
    // Anonymous clients and other servers see nothing.
    assert_eq!(
        app.get(&format!("/api/passerelle/v1/communities/{hr}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get(&format!("/api/v1/statuses/{tid}")).await.status(),
        404
    );
    assert_eq!(app.get_ap(&format!("/statuses/{tid}")).await.status(), 404);
    assert_eq!(app.get_ap("/c/hr").await.status(), 404);
    let (_, list) = json(app.get("/api/passerelle/v1/communities").await).await;
    assert!(list.as_array().unwrap().is_empty());
    // Local users see it.
    let (_, list) = json(
        app.get_auth("/api/passerelle/v1/communities?q=h", &alice)
            .await,
    )
    .await;
    assert_eq!(list[0]["name"], "hr");
    let (_, public_tl) = json(app.get("/api/v1/timelines/public").await).await;
    assert!(public_tl.as_array().unwrap().is_empty());
}

async fn public_statuses_are_activitypub_objects(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let devs = community(&app, &alice, "devs", "public").await;
    let (_, t) = post(
        &app,
        &alice,
        &format!("/api/passerelle/v1/communities/{devs}/threads"),
        json!({"title": "Page title", "body": "text @alice #tag"}),
    )
    .await;
    let tid = t["id"].as_str().unwrap();
    let (status, page) = json(app.get_ap(&format!("/statuses/{tid}")).await).await;
    assert_eq!(status, 200);
    assert_eq!(page["type"], "Page");
    assert_eq!(page["name"], "Page title");
    assert_eq!(page["audience"], app.url("/c/devs"));
    assert_eq!(page["attributedTo"], app.url("/users/alice"));
    assert_eq!(page["source"]["mediaType"], "text/markdown");
    assert!(
        page["tag"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["type"] == "Mention")
    );
    assert!(
        page["tag"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["type"] == "Hashtag" && t["name"] == "#tag")
    );
    assert_eq!(page["@context"][1], "https://w3id.org/security/v1");
    // Outboxes: the community announces its threads, the person created them.
    let (_, outbox) = json(app.get_ap("/c/devs/outbox").await).await;
    assert_eq!(outbox["totalItems"], 1);
    let (_, first) = json(app.get_ap("/c/devs/outbox?page=true").await).await;
    assert_eq!(first["orderedItems"][0]["type"], "Announce");
    assert_eq!(first["orderedItems"][0]["object"]["type"], "Create");
    assert_eq!(
        first["orderedItems"][0]["object"]["object"]["id"],
        page["id"]
    );
    let (_, mine) = json(app.get_ap("/users/alice/outbox?page=true").await).await;
    assert_eq!(mine["orderedItems"][0]["object"]["id"], page["id"]);
    let (_, c) = post(
        &app,
        &alice,
        &format!("/api/passerelle/v1/statuses/{tid}/comments"),
        json!({"body": "comment"}),
    )
    .await;
    let (_, note) = json(
        app.get_ap(&format!("/statuses/{}", c["id"].as_str().unwrap()))
            .await,
    )
    .await;
    assert_eq!(note["type"], "Note");
    assert_eq!(note["inReplyTo"], page["id"]);
    app.client
        .delete(app.url(&format!("/api/v1/statuses/{tid}")))
        .bearer_auth(&alice)
        .send()
        .await
        .expect("delete");
    let (status, tomb) = json(app.get_ap(&format!("/statuses/{tid}")).await).await;
    assert_eq!(status, 410);
    assert_eq!(tomb["type"], "Tombstone");
}

backend_tests!(
    threads_and_comment_tree,
    mastodon_post_mentioning_a_community_becomes_a_thread,
    roles_and_bans,
    internal_communities_stay_inside,
    public_statuses_are_activitypub_objects,
);
