//! Community visibility across servers: a `partners` community takes members
//! from partner servers only and delivers to them only; a `members` community
//! approves each join (with a warning for a server's first member), answers with
//! `Accept` or `Reject`, and addresses its content to its members, never to Public.

use federation_tests::{Backend, Instance, eventually, fake::Remote};
use serde_json::json;

async fn remote(name: &str) -> Remote {
    Remote::start(name).await.expect("fake")
}

/// A thread posted by `r` in one of alpha's communities; the inbox's answer.
async fn create(r: &Remote, alpha: &Instance, community: &str, n: u32) -> u16 {
    let group = alpha.url(&format!("/c/{community}"));
    let page = json!({
        "id": format!("{}/objects/{community}-{n}", r.fake.base), "type": "Page",
        "attributedTo": r.actor, "name": format!("From outside {n}"),
        "content": "<p>hello</p>", "mediaType": "text/html",
        "to": [group], "audience": group,
    });
    let create = json!({
        "id": format!("{}/create/{community}-{n}", r.fake.base), "type": "Create",
        "actor": r.actor, "to": [group], "audience": group, "object": page,
    });
    r.send(&format!("{group}/inbox"), &create).await
}

async fn scenario(backend: Backend) {
    let partner = remote("pat").await;
    let stranger = remote("sam").await;
    let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
    // The partner is added at runtime, as an administrator would.
    let admin = alpha
        .admin_token("operator", "admin:read admin:write")
        .await
        .expect("admin");
    let (status, _) = alpha
        .post(
            "/api/passerelle/v1/admin/federation/domains",
            &admin,
            json!({"list": "partner", "domain": partner.fake.domain}),
        )
        .await;
    assert_eq!(status, 201);
    let alice = alpha
        .create_user("alice", "alice password", "read write follow")
        .await
        .expect("alice");
    let bob = alpha
        .create_user("bob", "bob password", "read write follow")
        .await
        .expect("bob");
    let suppliers = alpha
        .create_community(&alice, "suppliers", "partners")
        .await;
    let board = alpha.create_community(&alice, "board", "members").await;
    let suppliers_url = alpha.url("/c/suppliers");
    let board_url = alpha.url("/c/board");

    // partners: a stranger's join is refused at once; the partner's is accepted.
    assert_eq!(stranger.follow(&alpha.url("/c/suppliers")).await, 403);
    assert_eq!(partner.follow(&alpha.url("/c/suppliers")).await, 202);
    eventually(15, "the partner's Accept", || async {
        partner.got("Accept", &suppliers_url).then_some(())
    })
    .await;
    alpha.wait_members(&alice, &suppliers, 2).await;
    let (status, _) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{suppliers}/threads"),
            &alice,
            json!({"title": "Q3 forecast", "body": "Numbers inside."}),
        )
        .await;
    assert_eq!(status, 200);
    eventually(15, "the thread announced to the partner", || async {
        partner.got("Announce", &suppliers_url).then_some(())
    })
    .await;

    // Taken off the partner list: a member from there gets nothing more, while a
    // public community still reaches it.
    let general = alpha.create_community(&alice, "general", "public").await;
    assert_eq!(partner.follow(&alpha.url("/c/general")).await, 202);
    alpha.wait_members(&alice, &general, 2).await;
    let (status, _) = alpha
        .send(
            reqwest::Method::DELETE,
            &format!(
                "/api/passerelle/v1/admin/federation/domains/partner/{}",
                partner.fake.domain
            ),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let announced = |community: &str| {
        partner
            .fake
            .received()
            .iter()
            .filter(|a| a["type"] == "Announce" && a["actor"] == community)
            .count()
    };
    let before = announced(&suppliers_url);
    for (id, title) in [(&suppliers, "After the partnership"), (&general, "For all")] {
        let (status, _) = alpha
            .post(
                &format!("/api/passerelle/v1/communities/{id}/threads"),
                &alice,
                json!({"title": title, "body": "x"}),
            )
            .await;
        assert_eq!(status, 200);
    }
    let general_url = alpha.url("/c/general");
    eventually(
        15,
        "the public thread, queued after the partners one",
        || async { partner.got("Announce", &general_url).then_some(()) },
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        announced(&suppliers_url),
        before,
        "an ex-partner got partners content"
    );

    // members: a join waits for a moderator; nothing is sent until then.
    assert_eq!(stranger.follow(&alpha.url("/c/board")).await, 202);
    assert_eq!(partner.follow(&alpha.url("/c/board")).await, 202);
    alpha.settled().await;
    assert!(!stranger.got("Accept", &board_url));
    let requests = format!("/api/passerelle/v1/communities/{board}/requests");
    let (status, list) = alpha.get(&requests, Some(&alice)).await;
    assert_eq!(status, 200, "{list}");
    let list = list.as_array().unwrap().clone();
    assert_eq!(list.len(), 2, "{list:?}");
    assert!(list.iter().all(|r| r["first_from_server"] == true));
    assert!(
        list[0]["warning"]
            .as_str()
            .unwrap()
            .contains(&stranger.fake.domain),
        "{list:?}"
    );
    // Only moderators see and decide.
    let (status, _) = alpha.get(&requests, Some(&bob)).await;
    assert_eq!(status, 403);
    let id_of = |actor: &str| {
        list.iter()
            .find(|r| r["account"]["url"] == actor || r["account"]["uri"] == actor)
            .map(|r| r["account"]["id"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{actor} not in {list:?}"))
    };
    let (sam_id, pat_id) = (id_of(&stranger.actor), id_of(&partner.actor));
    let (status, _) = alpha
        .post(&format!("{requests}/{sam_id}/approve"), &bob, json!({}))
        .await;
    assert_eq!(status, 403);

    // A member's content is refused before approval.
    assert_eq!(create(&stranger, &alpha, "board", 1).await, 403);
    let (status, approved) = alpha
        .post(&format!("{requests}/{sam_id}/approve"), &alice, json!({}))
        .await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["approved"], true);
    assert!(approved["warning"].is_string());
    let (status, rejected) = alpha
        .post(&format!("{requests}/{pat_id}/reject"), &alice, json!({}))
        .await;
    assert_eq!(status, 200, "{rejected}");
    eventually(
        15,
        "Accept to the approved, Reject to the rejected",
        || async {
            (stranger.got("Accept", &board_url) && partner.got("Reject", &board_url)).then_some(())
        },
    )
    .await;
    let (status, _) = alpha
        .post(&format!("{requests}/{pat_id}/approve"), &alice, json!({}))
        .await;
    assert_eq!(status, 404, "already decided");
    assert_eq!(create(&partner, &alpha, "board", 2).await, 403);
    assert_eq!(create(&stranger, &alpha, "board", 3).await, 202);

    // The board's content goes to its members' servers, addressed to followers only.
    let (status, _) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{board}/threads"),
            &alice,
            json!({"title": "Restructuring", "body": "Confidential."}),
        )
        .await;
    assert_eq!(status, 200);
    eventually(15, "the board thread at the member's server", || async {
        stranger
            .fake
            .received()
            .iter()
            .find(|a| a["type"] == "Announce" && a["actor"] == board_url.as_str())
            .cloned()
    })
    .await;
    for a in stranger.fake.received() {
        assert!(
            !a.to_string()
                .contains("https://www.w3.org/ns/activitystreams#Public"),
            "members-only content addressed to Public: {a}"
        );
    }
    assert!(
        partner
            .fake
            .received()
            .iter()
            .all(|a| a["type"] == "Reject" || a["actor"] != board_url.as_str()),
        "a rejected server received board content"
    );
    // The suppliers' content never reached the stranger.
    assert!(
        stranger
            .fake
            .received()
            .iter()
            .all(|a| a["actor"] != suppliers_url.as_str())
    );

    // A local non-member asks too, and sees no content until approved.
    let (status, _) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{board}/join"),
            &bob,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let threads = format!("/api/passerelle/v1/communities/{board}/threads");
    let (_, seen) = alpha.get(&threads, Some(&bob)).await;
    assert_eq!(seen.as_array().map(Vec::len), Some(0), "{seen}");
    let (_, list) = alpha.get(&requests, Some(&alice)).await;
    let bob_request = list.as_array().unwrap()[0].clone();
    assert_eq!(bob_request["first_from_server"], false);
    assert!(bob_request.get("warning").is_none());
    let bob_id = bob_request["account"]["id"].as_str().unwrap();
    let (status, _) = alpha
        .post(&format!("{requests}/{bob_id}/approve"), &alice, json!({}))
        .await;
    assert_eq!(status, 200);
    alpha.settled().await;
    let (_, seen) = alpha.get(&threads, Some(&bob)).await;
    assert_eq!(seen.as_array().map(Vec::len), Some(2), "{seen}");

    // A member's post addressed to Public contradicts the board's visibility.
    let group = alpha.url("/c/board");
    let public = json!({
        "id": format!("{}/create/public", stranger.fake.base), "type": "Create",
        "actor": stranger.actor, "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [group], "audience": group,
        "object": {
            "id": format!("{}/objects/public", stranger.fake.base), "type": "Page",
            "attributedTo": stranger.actor, "name": "Leaked", "content": "<p>x</p>",
            "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [group], "audience": group,
        },
    });
    assert_eq!(
        stranger.send(&alpha.url("/c/board/inbox"), &public).await,
        403
    );

    // Its content is on the stranger's server now: it cannot become internal.
    let (status, body) = alpha
        .send(
            reqwest::Method::PATCH,
            &format!("/api/passerelle/v1/communities/{board}"),
            &alice,
            json!({"visibility": "internal"}),
        )
        .await;
    assert_eq!(status, 409, "{body}");

    // The owner opens the suppliers community to the stranger's server as well.
    let (status, _) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{suppliers}/partners"),
            &alice,
            json!({"domain": stranger.fake.domain}),
        )
        .await;
    assert_eq!(status, 201);
    let follow = json!({
        "id": format!("{}/follow/suppliers-again", stranger.actor), "type": "Follow",
        "actor": stranger.actor, "object": suppliers_url,
    });
    assert_eq!(
        stranger
            .send(&alpha.url("/c/suppliers/inbox"), &follow)
            .await,
        202
    );
    eventually(15, "the stranger's Accept from suppliers", || async {
        stranger.got("Accept", &suppliers_url).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partners_and_members_communities_reach_only_their_servers() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}
