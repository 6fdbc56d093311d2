//! The confidentiality matrix, on an instance in `allowlist` mode (where the
//! allowlist is the partner list and signed fetches are required):
//! {public, partners, members, internal} × {local member, local non-member,
//! allowlisted member server, allowlisted non-member server, server not on the
//! allowlist, anonymous HTTP client}, for reads (actor, outbox, followers, object
//! by id, client API), joins and deliveries.

use federation_tests::{
    Backend, Instance, eventually,
    fake::{Remote, Signing},
};
use serde_json::{Value, json};

const VISIBILITIES: [&str; 4] = ["public", "partners", "members", "internal"];

async fn unsigned(alpha: &Instance, url: &str) -> (u16, Value) {
    let r = alpha
        .client
        .get(url)
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn scenario(backend: Backend) {
    let member = Remote::start("mia").await.expect("fake");
    let listed = Remote::start("lou").await.expect("fake");
    let unlisted = Remote::start("ula").await.expect("fake");
    let alpha = Instance::start_with_federation(
        "alpha",
        backend,
        &format!(
            "mode = \"allowlist\"\nallowlist = [\"{}\", \"{}\"]\n",
            member.fake.domain, listed.fake.domain
        ),
    )
    .await
    .expect("alpha");
    let alice = alpha
        .create_user("alice", "alice password", "read write follow")
        .await
        .expect("alice");
    let bob = alpha
        .create_user("bob", "bob password", "read write follow")
        .await
        .expect("bob");

    // One community of each visibility (named after it: `public` itself is a
    // reserved name), each with a thread.
    let mut ids = Vec::new();
    for v in VISIBILITIES {
        let (status, c) = alpha
            .post(
                "/api/passerelle/v1/communities",
                &alice,
                json!({"name": format!("{v}_board"), "visibility": v}),
            )
            .await;
        assert_eq!(status, 200, "{c}");
        ids.push(c["id"].as_str().unwrap().to_string());
    }
    let group = |v: &str| alpha.url(&format!("/c/{v}_board"));

    // Joins: the member server joins everything it may; the server off the
    // allowlist is refused before anything is fetched. (visibility, member, unlisted)
    let joins = [
        ("public", 202, 403),
        ("partners", 202, 403),
        ("members", 202, 403),
        ("internal", 404, 403),
    ];
    for (v, by_member, by_unlisted) in joins {
        assert_eq!(
            member.follow(&group(v)).await,
            by_member,
            "member joins {v}"
        );
        assert_eq!(
            unlisted.follow(&group(v)).await,
            by_unlisted,
            "unlisted joins {v}"
        );
    }
    alpha.settled().await;
    // The members community approves mia.
    let members_id = &ids[2];
    alpha.approve_first_request(&alice, members_id).await;

    // A thread in each, after the joins: it is delivered as the matrix says.
    let mut threads = Vec::new();
    for (v, id) in VISIBILITIES.iter().zip(&ids) {
        let (status, t) = alpha
            .post(
                &format!("/api/passerelle/v1/communities/{id}/threads"),
                &alice,
                json!({"title": format!("In {v}"), "body": format!("marker-{v}")}),
            )
            .await;
        assert_eq!(status, 200, "{t}");
        threads.push((
            t["id"].as_str().unwrap().to_string(),
            t["uri"].as_str().unwrap().to_string(),
        ));
    }
    eventually(
        20,
        "the member server gets the public, partners and members threads",
        || async {
            ["public", "partners", "members"]
                .iter()
                .all(|v| member.got("Announce", &group(v)))
                .then_some(())
        },
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let leaked = |r: &Remote, v: &str| {
        r.fake
            .captured()
            .iter()
            .any(|req| req.contains(&format!("marker-{v}")))
    };
    assert!(!leaked(&member, "internal"));
    for v in VISIBILITIES {
        assert!(!leaked(&listed, v), "{v} reached an allowlisted non-member");
        assert!(
            !leaked(&unlisted, v),
            "{v} reached a server off the allowlist"
        );
    }

    // ActivityPub reads: (visibility, anonymous, member server, listed non-member,
    // unlisted server) for the outbox, the followers and the thread by id.
    let reads = [
        ("public", 401, 200, 200, 403),
        ("partners", 401, 200, 200, 403), // the allowlist is the partner list
        ("members", 401, 200, 404, 403),
        ("internal", 404, 404, 404, 403),
    ];
    for (i, (v, anonymous, by_member, by_listed, by_unlisted)) in reads.into_iter().enumerate() {
        for url in [
            alpha.url(&format!("/c/{v}_board/outbox?page=true")),
            alpha.url(&format!("/c/{v}_board/followers")),
            threads[i].1.clone(),
        ] {
            assert_eq!(unsigned(&alpha, &url).await.0, anonymous, "anonymous {url}");
            assert_eq!(
                member.get(&url, Signing::Valid).await.0,
                by_member,
                "member {url}"
            );
            assert_eq!(
                listed.get(&url, Signing::Valid).await.0,
                by_listed,
                "listed {url}"
            );
            let (status, _) = unlisted.get(&url, Signing::Valid).await;
            // Internal things do not exist for anyone; the policy answers first
            // for a server off the allowlist.
            assert_eq!(status, by_unlisted, "unlisted {url}");
        }
        // The actor: full for those in reach, its key for the rest.
        let (status, doc) = member.get(&group(v), Signing::Valid).await;
        if v == "internal" {
            assert_eq!(status, 404);
            assert_eq!(unsigned(&alpha, &group(v)).await.0, 404);
            continue;
        }
        assert_eq!(status, 200);
        assert_eq!(doc["visibility"], v, "{doc}");
        let (status, doc) = unsigned(&alpha, &group(v)).await;
        assert_eq!(status, 200);
        assert!(
            doc.get("name").is_none() && doc["publicKey"].is_object(),
            "{doc}"
        );
    }

    // Client API reads: (visibility, local member, local non-member, anonymous).
    let api = [
        ("public", 200, 200, 200),
        ("partners", 200, 200, 404),
        ("members", 200, 404, 404),
        ("internal", 200, 200, 404),
    ];
    for (i, (v, by_alice, by_bob, anonymous)) in api.into_iter().enumerate() {
        let path = format!("/api/v1/statuses/{}", threads[i].0);
        let (status, s) = alpha.get(&path, Some(&alice)).await;
        assert_eq!(status, by_alice, "alice {v}");
        // Mastodon apps see one of their four visibilities (docs/API.md).
        let mastodon = if v == "public" { "public" } else { "private" };
        assert_eq!(s["visibility"], mastodon, "{v}");
        assert_eq!(s["passerelle"]["visibility"], v);
        assert_eq!(alpha.get(&path, Some(&bob)).await.0, by_bob, "bob {v}");
        assert_eq!(alpha.get(&path, None).await.0, anonymous, "anonymous {v}");
    }
    // The local non-member asks to join the members community: pending.
    let (_, joined) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{members_id}/join"),
            &bob,
            json!({}),
        )
        .await;
    assert_eq!(joined["membership"], "pending", "{joined}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn confidentiality_matrix_in_allowlist_mode() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}
