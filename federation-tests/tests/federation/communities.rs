//! Communities across instances (FEP-1b12): alpha hosts a community, people on
//! beta and gamma join it, post, comment and like, and everything reaches everyone.

use federation_tests::{Backend, Instance, eventually, urlencode};
use reqwest::Method;
use serde_json::{Value, json};

/// The status with this title among a community's threads on `instance`.
async fn find_thread(
    instance: &Instance,
    token: &str,
    community_id: &str,
    title: &str,
) -> Option<Value> {
    instance.find_thread(token, community_id, title).await
}

async fn scenario(backend: Backend) {
    let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
    let beta = Instance::start("beta", backend, "").await.expect("beta");
    let gamma = Instance::start("gamma", backend, "").await.expect("gamma");
    let scopes = "read write follow";
    let alice = alpha
        .create_user("alice", "alice password", scopes)
        .await
        .expect("alice");
    let bob = beta
        .create_user("bob", "bob's password", scopes)
        .await
        .expect("bob");
    let carol = gamma
        .create_user("carol", "carol password", scopes)
        .await
        .expect("carol");
    let dave = beta
        .create_user("dave", "dave password", scopes)
        .await
        .expect("dave");

    let (status, devs) = alpha
        .post(
            "/api/passerelle/v1/communities",
            &alice,
            json!({"name": "devs", "title": "Developers"}),
        )
        .await;
    assert_eq!(status, 200, "{devs}");
    let devs_on_alpha = devs["id"].as_str().unwrap().to_string();
    let devs_acct = format!("devs@{}", alpha.domain);

    // bob (beta) finds the community with search?resolve=true and joins it by following.
    let devs_on_beta = beta.resolve_account(&bob, &format!("@{devs_acct}")).await;
    beta.follow(&bob, &devs_on_beta).await;
    // carol (gamma) joins through the native API.
    let (status, found) = gamma
        .get(
            &format!(
                "/api/passerelle/v1/communities/lookup?acct={}&resolve=true",
                urlencode(&devs_acct)
            ),
            Some(&carol),
        )
        .await;
    assert_eq!(status, 200, "{found}");
    let devs_on_gamma = found["id"].as_str().unwrap().to_string();
    let (status, _) = gamma
        .post(
            &format!("/api/passerelle/v1/communities/{devs_on_gamma}/join"),
            &carol,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    alpha.wait_members(&alice, &devs_on_alpha, 3).await;
    eventually(15, "carol's membership accepted", || async {
        let (_, c) = gamma
            .get(
                &format!("/api/passerelle/v1/communities/{devs_on_gamma}"),
                Some(&carol),
            )
            .await;
        (c["membership"] == "accepted").then_some(())
    })
    .await;

    // bob posts a thread (native API, markdown); every instance sees it.
    let (status, thread) = beta
        .post(
            &format!("/api/passerelle/v1/communities/{devs_on_beta}/threads"),
            &bob,
            json!({"title": "Release plan", "body": "We ship **Friday**. #release"}),
        )
        .await;
    assert_eq!(status, 200, "{thread}");
    assert!(
        thread["content"]
            .as_str()
            .unwrap()
            .contains("<strong>Friday</strong>")
    );
    let thread_on_alpha = eventually(15, "the thread on alpha", || {
        find_thread(&alpha, &alice, &devs_on_alpha, "Release plan")
    })
    .await;
    let thread_on_gamma = eventually(
        15,
        "the thread on gamma (announced by the community)",
        || find_thread(&gamma, &carol, &devs_on_gamma, "Release plan"),
    )
    .await;
    assert!(
        thread_on_gamma["content"]
            .as_str()
            .unwrap()
            .contains("<strong>Friday</strong>")
    );
    assert_eq!(thread_on_gamma["tags"][0]["name"], "release");

    // carol comments (Mastodon API); alpha and beta see the comment.
    let gamma_thread_id = thread_on_gamma["id"].as_str().unwrap();
    let (status, comment) = gamma
        .post(
            "/api/v1/statuses",
            &carol,
            json!({"status": "Friday works for us", "in_reply_to_id": gamma_thread_id}),
        )
        .await;
    assert_eq!(status, 200, "{comment}");
    let beta_thread_id = thread["id"].as_str().unwrap();
    for (instance, token, id) in [
        (&alpha, &alice, thread_on_alpha["id"].as_str().unwrap()),
        (&beta, &bob, beta_thread_id),
    ] {
        eventually(15, &format!("the comment on {}", instance.name), || async {
            let (_, ctx) = instance
                .get(&format!("/api/v1/statuses/{id}/context"), Some(token))
                .await;
            ctx["descendants"]
                .as_array()?
                .iter()
                .any(|d| {
                    d["content"]
                        .as_str()
                        .is_some_and(|c| c.contains("Friday works"))
                })
                .then_some(())
        })
        .await;
    }

    // alice (alpha, the community's instance) likes the thread: the count reaches beta and gamma.
    let (status, _) = alpha
        .post(
            &format!(
                "/api/v1/statuses/{}/favourite",
                thread_on_alpha["id"].as_str().unwrap()
            ),
            &alice,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    for (instance, token, id) in [
        (&beta, &bob, beta_thread_id),
        (&gamma, &carol, gamma_thread_id),
    ] {
        eventually(15, &format!("the like on {}", instance.name), || async {
            let (_, s) = instance
                .get(&format!("/api/v1/statuses/{id}"), Some(token))
                .await;
            (s["favourites_count"] == 1).then_some(())
        })
        .await;
    }

    // bob edits his thread: the edit propagates.
    let (status, _) = beta
        .send(
            Method::PUT,
            &format!("/api/passerelle/v1/statuses/{beta_thread_id}"),
            &bob,
            json!({"body": "We ship **Monday**."}),
        )
        .await;
    assert_eq!(status, 200);
    eventually(15, "the edit on gamma", || async {
        let (_, s) = gamma
            .get(&format!("/api/v1/statuses/{gamma_thread_id}"), Some(&carol))
            .await;
        s["content"].as_str()?.contains("Monday").then_some(())
    })
    .await;

    // carol deletes her comment: gone on alpha.
    let comment_on_gamma = comment["id"].as_str().unwrap();
    let (status, _) = gamma
        .send(
            Method::DELETE,
            &format!("/api/v1/statuses/{comment_on_gamma}"),
            &carol,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    eventually(15, "the deletion on alpha", || async {
        let (_, ctx) = alpha
            .get(
                &format!(
                    "/api/v1/statuses/{}/context",
                    thread_on_alpha["id"].as_str().unwrap()
                ),
                Some(&alice),
            )
            .await;
        ctx["descendants"].as_array()?.is_empty().then_some(())
    })
    .await;

    // dave (beta) never joined: his own instance refuses to post for him.
    let (status, _) = beta
        .post(
            &format!("/api/passerelle/v1/communities/{devs_on_beta}/threads"),
            &dave,
            json!({"title": "Spam", "body": "spam"}),
        )
        .await;
    assert_eq!(status, 403);

    // bob leaves: later threads reach gamma but not beta.
    let (status, _) = beta
        .post(
            &format!("/api/v1/accounts/{devs_on_beta}/unfollow"),
            &bob,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    alpha.wait_members(&alice, &devs_on_alpha, 2).await;
    let (status, _) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{devs_on_alpha}/threads"),
            &alice,
            json!({"title": "After bob left", "body": "members only news"}),
        )
        .await;
    assert_eq!(status, 200);
    eventually(15, "the new thread on gamma", || {
        find_thread(&gamma, &carol, &devs_on_gamma, "After bob left")
    })
    .await;
    assert!(
        find_thread(&beta, &bob, &devs_on_beta, "After bob left")
            .await
            .is_none(),
        "beta left and must not receive it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn threads_comments_likes_edits_and_deletes_reach_every_member_instance() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}

async fn moderation_scenario(backend: Backend) {
    let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
    let beta = Instance::start("beta", backend, "").await.expect("beta");
    let gamma = Instance::start("gamma", backend, "").await.expect("gamma");
    let scopes = "read write follow";
    let alice = alpha
        .create_user("alice", "alice password", scopes)
        .await
        .expect("alice");
    let bob = beta
        .create_user("bob", "bob's password", scopes)
        .await
        .expect("bob");
    let carol = gamma
        .create_user("carol", "carol password", scopes)
        .await
        .expect("carol");
    let (_, devs) = alpha
        .post(
            "/api/passerelle/v1/communities",
            &alice,
            json!({"name": "devs"}),
        )
        .await;
    let devs_on_alpha = devs["id"].as_str().unwrap().to_string();
    let devs_acct = format!("@devs@{}", alpha.domain);
    let devs_on_beta = beta.resolve_account(&bob, &devs_acct).await;
    let devs_on_gamma = gamma.resolve_account(&carol, &devs_acct).await;
    beta.post(
        &format!("/api/passerelle/v1/communities/{devs_on_beta}/join"),
        &bob,
        json!({}),
    )
    .await;
    gamma
        .post(
            &format!("/api/passerelle/v1/communities/{devs_on_gamma}/join"),
            &carol,
            json!({}),
        )
        .await;
    alpha.wait_members(&alice, &devs_on_alpha, 3).await;

    // The owner appoints bob (on beta) moderator; beta learns it through Add.
    let (_, bob_on_alpha) = alpha
        .get(
            &format!("/api/v1/accounts/lookup?acct=bob@{}", beta.domain),
            Some(&alice),
        )
        .await;
    let (status, mods) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{devs_on_alpha}/moderators"),
            &alice,
            json!({"account_id": bob_on_alpha["id"]}),
        )
        .await;
    assert_eq!(status, 200, "{mods}");
    eventually(15, "bob listed as moderator on beta", || async {
        let (_, m) = beta
            .get(
                &format!("/api/passerelle/v1/communities/{devs_on_beta}/moderators"),
                Some(&bob),
            )
            .await;
        m.as_array()?
            .iter()
            .any(|a| a["acct"] == "bob")
            .then_some(())
    })
    .await;

    // carol posts; bob removes it from beta; it disappears on alpha and gamma.
    let (_, t) = gamma
        .post(
            &format!("/api/passerelle/v1/communities/{devs_on_gamma}/threads"),
            &carol,
            json!({"title": "Off topic", "body": "buy now"}),
        )
        .await;
    let on_gamma = t["id"].as_str().unwrap().to_string();
    let on_beta = eventually(15, "carol's thread on beta", || {
        find_thread(&beta, &bob, &devs_on_beta, "Off topic")
    })
    .await;
    let on_alpha = eventually(15, "carol's thread on alpha", || {
        find_thread(&alpha, &alice, &devs_on_alpha, "Off topic")
    })
    .await;
    let (status, _) = beta
        .send(
            Method::DELETE,
            &format!("/api/v1/statuses/{}", on_beta["id"].as_str().unwrap()),
            &bob,
            json!({}),
        )
        .await;
    assert_eq!(
        status, 200,
        "a moderator of a remote community removes a post on his own instance"
    );
    let on_alpha_id = on_alpha["id"].as_str().unwrap().to_string();
    eventually(15, "the removal on alpha", || async {
        (alpha
            .get(&format!("/api/v1/statuses/{on_alpha_id}"), Some(&alice))
            .await
            .0
            == 404)
            .then_some(())
    })
    .await;
    eventually(
        15,
        "the removal on gamma (announced by the community)",
        || async {
            (gamma
                .get(&format!("/api/v1/statuses/{on_gamma}"), Some(&carol))
                .await
                .0
                == 404)
                .then_some(())
        },
    )
    .await;

    // bob restores it from beta: alpha and gamma show it again (an Undo of the
    // Delete, relayed by the community).
    let (status, _) = beta
        .post(
            &format!(
                "/api/passerelle/v1/statuses/{}/restore",
                on_beta["id"].as_str().unwrap()
            ),
            &bob,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "a moderator restores on his own instance");
    eventually(15, "the restoration on alpha and gamma", || async {
        let on_a = alpha
            .get(&format!("/api/v1/statuses/{on_alpha_id}"), Some(&alice))
            .await
            .0;
        let on_g = gamma
            .get(&format!("/api/v1/statuses/{on_gamma}"), Some(&carol))
            .await
            .0;
        (on_a == 200 && on_g == 200).then_some(())
    })
    .await;

    // alice bans carol: gamma ends carol's membership and refuses her posts.
    let (_, carol_on_alpha) = alpha
        .get(
            &format!("/api/v1/accounts/lookup?acct=carol@{}", gamma.domain),
            Some(&alice),
        )
        .await;
    let (status, _) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{devs_on_alpha}/bans"),
            &alice,
            json!({"account_id": carol_on_alpha["id"], "reason": "spam"}),
        )
        .await;
    assert_eq!(status, 200);
    eventually(15, "the ban on gamma", || async {
        let (_, c) = gamma
            .get(
                &format!("/api/passerelle/v1/communities/{devs_on_gamma}"),
                Some(&carol),
            )
            .await;
        c["membership"].is_null().then_some(())
    })
    .await;
    let (status, _) = gamma
        .post(
            &format!("/api/passerelle/v1/communities/{devs_on_gamma}/threads"),
            &carol,
            json!({"title": "Again", "body": "x"}),
        )
        .await;
    assert_eq!(status, 403);

    // alice lifts the ban: gamma learns it (an Undo of the Block, announced by
    // the community) and carol may join again.
    let carol_id = carol_on_alpha["id"].as_str().unwrap();
    let (status, _) = alpha
        .send(
            Method::DELETE,
            &format!("/api/passerelle/v1/communities/{devs_on_alpha}/bans/{carol_id}"),
            &alice,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    eventually(15, "the ban lifted on gamma", || async {
        let (status, _) = gamma
            .post(
                &format!("/api/passerelle/v1/communities/{devs_on_gamma}/join"),
                &carol,
                json!({}),
            )
            .await;
        (status == 200).then_some(())
    })
    .await;
    alpha.wait_members(&alice, &devs_on_alpha, 3).await;

    // alice pins a thread first: beta learns it (an Add to the community's
    // featured collection, as Lemmy sends it), then its unpinning.
    let (_, welcome) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{devs_on_alpha}/threads"),
            &alice,
            json!({"title": "Welcome", "body": "read me first"}),
        )
        .await;
    eventually(15, "the thread on beta", || {
        find_thread(&beta, &bob, &devs_on_beta, "Welcome")
    })
    .await;
    let pin = format!(
        "/api/passerelle/v1/threads/{}/pin",
        welcome["id"].as_str().unwrap()
    );
    let (status, _) = alpha.post(&pin, &alice, json!({})).await;
    assert_eq!(status, 200);
    let pinned_on_beta = format!("/api/v1/accounts/{devs_on_beta}/statuses?pinned=true");
    eventually(15, "the pin on beta", || async {
        let (_, list) = beta.get(&pinned_on_beta, Some(&bob)).await;
        list.to_string().contains("read me first").then_some(())
    })
    .await;
    let (status, _) = alpha.send(Method::DELETE, &pin, &alice, json!({})).await;
    assert_eq!(status, 200);
    eventually(15, "the unpin on beta", || async {
        let (_, list) = beta.get(&pinned_on_beta, Some(&bob)).await;
        (list == json!([])).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderators_and_bans_travel_between_instances() {
    for backend in Backend::available() {
        moderation_scenario(backend).await;
    }
}
