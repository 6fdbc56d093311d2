//! Signed fetches and signed deliveries, honest and hostile: who may GET what
//! (by visibility and by signature), and every way a signature can be wrong,
//! sent over HTTP to a real instance.

use federation_tests::{
    Backend, Instance, eventually,
    fake::{Remote, Signing},
};
use serde_json::{Value, json};

async fn remote(name: &str) -> Remote {
    Remote::start(name).await.expect("fake")
}

async fn thread(alpha: &Instance, token: &str, community: &str, title: &str) -> (String, String) {
    let (status, t) = alpha
        .post(
            &format!("/api/passerelle/v1/communities/{community}/threads"),
            token,
            json!({"title": title, "body": "x"}),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    (
        t["id"].as_str().unwrap().to_string(),
        t["uri"].as_str().unwrap().to_string(),
    )
}

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
    let member = remote("mia").await;
    let outsider = remote("oscar").await;
    let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
    let alice = alpha
        .create_user("alice", "alice password", "read write follow")
        .await
        .expect("alice");
    let board = alpha.create_community(&alice, "board", "members").await;
    alpha.create_community(&alice, "hr", "internal").await;
    alpha.create_community(&alice, "devs", "public").await;

    // mia joins the board (approved); oscar never does.
    assert_eq!(member.follow(&alpha.url("/c/board")).await, 202);
    alpha.settled().await;
    alpha.approve_first_request(&alice, &board).await;
    let hr = alpha
        .get(
            "/api/passerelle/v1/communities/lookup?acct=hr",
            Some(&alice),
        )
        .await
        .1["id"]
        .as_str()
        .unwrap()
        .to_string();
    let devs = alpha
        .get(
            "/api/passerelle/v1/communities/lookup?acct=devs",
            Some(&alice),
        )
        .await
        .1["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, board_thread) = thread(&alpha, &alice, &board, "Board minutes").await;
    let (_, hr_thread) = thread(&alpha, &alice, &hr, "Salaries").await;
    let (devs_id, devs_thread) = thread(&alpha, &alice, &devs, "Release notes").await;

    // Reads: (document, unsigned, signed by the member's server, by an outsider).
    let outbox = |name: &str| alpha.url(&format!("/c/{name}/outbox?page=true"));
    let matrix = [
        (outbox("board"), 401, 200, 404),
        (board_thread.clone(), 401, 200, 404),
        (alpha.url("/c/board/followers"), 401, 200, 404),
        (alpha.url("/c/board/featured"), 401, 200, 404),
        (alpha.url("/c/hr/featured"), 404, 404, 404),
        (outbox("hr"), 404, 404, 404),
        (hr_thread.clone(), 404, 404, 404),
        (alpha.url("/c/hr"), 404, 404, 404),
        (outbox("devs"), 200, 200, 200),
        (devs_thread.clone(), 200, 200, 200),
    ];
    for (url, anonymous, by_member, by_outsider) in &matrix {
        assert_eq!(unsigned(&alpha, url).await.0, *anonymous, "unsigned {url}");
        assert_eq!(
            member.get(url, Signing::Valid).await.0,
            *by_member,
            "member {url}"
        );
        assert_eq!(
            outsider.get(url, Signing::Valid).await.0,
            *by_outsider,
            "outsider {url}"
        );
    }
    // Alice's following lists a community only to those who may read it: never
    // the internal one, the members one to the member's server alone.
    let following = alpha.url("/users/alice/following?page=true");
    let listed =
        |doc: &Value, name: &str| doc.to_string().contains(&alpha.url(&format!("/c/{name}")));
    for (doc, board_listed) in [
        (unsigned(&alpha, &following).await.1, false),
        (member.get(&following, Signing::Valid).await.1, true),
        (outsider.get(&following, Signing::Valid).await.1, false),
    ] {
        assert!(listed(&doc, "devs"), "{doc}");
        assert!(!listed(&doc, "hr"), "the internal community leaked: {doc}");
        assert_eq!(listed(&doc, "board"), board_listed, "{doc}");
    }
    let (_, summary) = unsigned(&alpha, &alpha.url("/users/alice/following")).await;
    assert_eq!(summary["totalItems"], 1, "{summary}");
    let (_, page) = member.get(&outbox("board"), Signing::Valid).await;
    assert!(
        page.to_string().contains(&board_thread),
        "the member's server reads the board's outbox: {page}"
    );
    // The group itself: its key for everyone, its description for members only.
    let board_url = alpha.url("/c/board");
    let (status, full) = member.get(&board_url, Signing::Valid).await;
    assert_eq!(status, 200);
    assert_eq!(full["visibility"], "members");
    for (status, doc) in [
        unsigned(&alpha, &board_url).await,
        outsider.get(&board_url, Signing::Valid).await,
    ] {
        assert_eq!(status, 200);
        assert!(
            doc["publicKey"].is_object() && doc.get("name").is_none(),
            "{doc}"
        );
    }

    // Every way a signed GET can be wrong: 401, and nothing served.
    for signing in [
        Signing::WrongKey,
        Signing::WrongPath,
        Signing::WrongMethod,
        Signing::OldDate,
        Signing::FutureDate,
        Signing::ForeignKeyId,
    ] {
        let (status, body) = member.get(&board_thread, signing).await;
        assert_eq!(status, 401, "{signing:?}: {body}");
        assert!(body["error"].is_string(), "{signing:?}: {body}");
    }

    // And every way a signed delivery can be wrong: 4xx, nothing changes.
    let like = json!({"id": format!("{}/like/1", member.actor), "type": "Like",
        "actor": member.actor, "object": devs_thread});
    let inbox = alpha.url("/inbox");
    for signing in [
        Signing::Unsigned,
        Signing::WrongKey,
        Signing::WrongPath,
        Signing::WrongMethod,
        Signing::NoDigest,
        Signing::TamperedBody,
        Signing::OldDate,
        Signing::FutureDate,
        Signing::ForeignKeyId,
    ] {
        let status = member
            .fake
            .post(&inbox, &member.actor, &member.keys, &like, signing)
            .await
            .unwrap();
        assert!((400..500).contains(&status), "{signing:?}: {status}");
    }
    alpha.settled().await;
    let favourites = || async {
        alpha
            .get(&format!("/api/v1/statuses/{devs_id}"), Some(&alice))
            .await
            .1["favourites_count"]
            .as_i64()
    };
    assert_eq!(favourites().await, Some(0), "a hostile Like counted");
    let status = member
        .fake
        .post(&inbox, &member.actor, &member.keys, &like, Signing::Valid)
        .await
        .unwrap();
    assert_eq!(status, 202);
    eventually(10, "the valid Like counted", || async {
        (favourites().await == Some(1)).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_follow_visibility_and_signatures() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}

/// With `authorized_fetch`, public documents need a signature too; public keys and
/// the instance actor stay readable unsigned.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorized_fetch_requires_signatures_everywhere() {
    let backend = Backend::Sqlite;
    let reader = remote("rita").await;
    let alpha = Instance::start_with_federation("strict", backend, "authorized_fetch = true\n")
        .await
        .expect("alpha");
    let alice = alpha
        .create_user("alice", "alice password", "read write follow")
        .await
        .expect("alice");
    let devs = alpha.create_community(&alice, "devs", "public").await;
    let (_, devs_thread) = thread(&alpha, &alice, &devs, "Public, but signed reads only").await;
    for url in [
        alpha.url("/c/devs/outbox"),
        devs_thread.clone(),
        alpha.url("/users/alice/outbox"),
    ] {
        assert_eq!(unsigned(&alpha, &url).await.0, 401, "{url}");
        assert_eq!(reader.get(&url, Signing::Valid).await.0, 200, "{url}");
    }
    let (status, person) = unsigned(&alpha, &alpha.url("/users/alice")).await;
    assert_eq!(status, 200);
    assert!(person["publicKey"]["publicKeyPem"].is_string());
    assert!(person.get("outbox").is_none(), "{person}");
    let (status, instance) = unsigned(&alpha, &alpha.url("/actor")).await;
    assert_eq!(status, 200);
    assert_eq!(instance["type"], "Application");
    let (status, person) = reader.get(&alpha.url("/users/alice"), Signing::Valid).await;
    assert_eq!(status, 200);
    assert!(person["outbox"].is_string(), "{person}");
}
