//! Federation with a server we did not write: a Fedify peer (`peers/fedify`), both
//! ways, on both databases. Fedify embeds objects where we write ids, expands
//! JSON-LD, signs with RFC 9421 first and verifies what we send: what passes here
//! passes with Ghost, Hollo and Hackers' Pub, not only with ourselves.

use federation_tests::{Backend, Instance, eventually, fake::Remote, fedify::FedifyPeer};
use serde_json::{Value, json};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

struct Pair {
    alpha: Instance,
    alice: String,
    alice_ap: String,
    peer: FedifyPeer,
}

async fn pair(backend: Backend) -> Option<Pair> {
    let peer = FedifyPeer::start().await.expect("peer")?;
    let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
    let alice = alpha
        .create_user("alice", "alice password", "read write follow")
        .await
        .expect("alice");
    let alice_ap = alpha.url("/users/alice");
    Some(Pair {
        alpha,
        alice,
        alice_ap,
        peer,
    })
}

/// A note by bob, as Fedify would write it, wrapped in its `Create`.
fn create(p: &Pair, n: u32, object: Value) -> Value {
    let mut note = json!({
        "id": p.peer.url(&format!("/notes/{n}")),
        "type": "Note",
        "attributedTo": p.peer.bob,
        "published": "2026-12-07T08:00:00Z",
    });
    for (k, v) in object.as_object().expect("object") {
        note[k] = v.clone();
    }
    json!({
        "id": p.peer.url(&format!("/notes/{n}/create")),
        "type": "Create",
        "actor": p.peer.bob,
        "to": note["to"],
        "cc": note["cc"],
        "object": note,
    })
}

/// The status with this AP id in the reader's view of `path`, waiting for it.
async fn status_in(p: &Pair, path: &str, uri: &str) -> Value {
    eventually(20, &format!("{uri} in {path}"), || async {
        let (_, list) = p.alpha.get(path, Some(&p.alice)).await;
        list.as_array()?.iter().find(|s| s["uri"] == uri).cloned()
    })
    .await
}

async fn status_field(p: &Pair, id: &str, field: &str, want: Value) {
    eventually(20, &format!("{field} = {want} on {id}"), || async {
        let (_, s) = p
            .alpha
            .get(&format!("/api/v1/statuses/{id}"), Some(&p.alice))
            .await;
        (s[field] == want).then_some(())
    })
    .await;
}

/// Waits for an activity of `kind` about `object` and checks that Fedify
/// verified our signature and took it.
async fn delivered(p: &Pair, kind: &str, object: &str) -> Value {
    let got = p
        .peer
        .wait_for(&format!("{kind} of {object} at the peer"), |b| {
            b["type"] == kind && (b["object"] == object || b["object"]["id"] == object)
        })
        .await;
    assert_eq!(
        got.status,
        202,
        "Fedify refused our {kind}: {}\n{}",
        got.body,
        p.alpha.log()
    );
    got.body
}

/// Fedify verified and took every activity we sent it, and we verified every
/// signature it made (RFC 9421, its first choice: no refusal made it fall back).
async fn all_taken(p: &Pair) {
    let received = p.peer.received().await;
    assert!(!received.is_empty());
    for r in &received {
        assert_eq!(r.status, 202, "Fedify refused {}", r.body);
    }
    // Once it had signed to us with RFC 9421, we signed to it that way too.
    assert!(
        received
            .iter()
            .any(|r| r.signature.as_deref() == Some("rfc9421")),
        "no delivery signed with RFC 9421"
    );
    let log = p.alpha.log();
    for refusal in ["inbox refused a request", "unverified signed fetch"] {
        assert!(!log.contains(refusal), "{refusal}:\n{log}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fedify_person_to_person_both_ways() {
    for backend in Backend::available() {
        let Some(p) = pair(backend).await else {
            return;
        };
        follows(&p).await;
        let alice_note = alice_posts(&p).await;
        let bob_status = bob_posts(&p).await;
        alice_reacts(&p, &bob_status).await;
        edits_and_deletes(&p, &alice_note, &bob_status).await;
        all_taken(&p).await;
    }
}

/// Each follows the other. Fedify's `Accept` embeds the `Follow` and its actor.
async fn follows(p: &Pair) {
    let bob = p
        .alpha
        .resolve_account(&p.alice, &format!("@{}", p.peer.acct))
        .await;
    p.alpha.follow(&p.alice, &bob).await;
    let follow = json!({"id": p.peer.url("/follows/1"), "type": "Follow", "actor": p.peer.bob, "object": p.alice_ap});
    p.peer.send(follow, json!([p.alice_ap])).await;
    delivered(p, "Accept", &p.peer.url("/follows/1")).await;
}

/// alice's public post reaches bob; he replies, likes and boosts it.
async fn alice_posts(p: &Pair) -> String {
    let (s, status) = p
        .alpha
        .post(
            "/api/v1/statuses",
            &p.alice,
            json!({"status": "Hello Fedify", "visibility": "public"}),
        )
        .await;
    assert_eq!(s, 200, "{status}");
    let uri = status["uri"].as_str().expect("uri").to_string();
    let create = delivered(p, "Create", &uri).await;
    assert!(
        create["object"]["content"]
            .as_str()
            .unwrap_or_default()
            .contains("Hello Fedify")
    );
    let id = status["id"].as_str().expect("id").to_string();

    let reply = create_reply(p, &uri);
    p.peer.send(reply, json!([p.alice_ap])).await;
    let (_, ctx) = eventually(20, "bob's reply in the thread", || async {
        let (s, ctx) = p
            .alpha
            .get(&format!("/api/v1/statuses/{id}/context"), Some(&p.alice))
            .await;
        (ctx["descendants"].as_array().is_some_and(|d| !d.is_empty())).then_some((s, ctx))
    })
    .await;
    assert_eq!(ctx["descendants"][0]["uri"], p.peer.url("/notes/2"));

    let like =
        json!({"id": p.peer.url("/likes/1"), "type": "Like", "actor": p.peer.bob, "object": uri});
    p.peer.send(like, json!([p.alice_ap])).await;
    status_field(p, &id, "favourites_count", json!(1)).await;
    let boost = json!({"id": p.peer.url("/announces/1"), "type": "Announce", "actor": p.peer.bob,
        "object": uri, "to": [PUBLIC], "cc": [p.alice_ap], "published": "2026-12-07T08:01:00Z"});
    p.peer.send(boost, json!([p.alice_ap])).await;
    status_field(p, &id, "reblogs_count", json!(1)).await;
    uri
}

fn create_reply(p: &Pair, to: &str) -> Value {
    create(
        p,
        2,
        json!({"inReplyTo": to, "content": "<p>@alice welcome</p>", "to": [PUBLIC], "cc": [p.alice_ap],
            "tag": [{"type": "Mention", "href": p.alice_ap, "name": format!("@alice@{}", p.alpha.domain)}]}),
    )
}

/// bob's public post (with an image) reaches alice's home timeline; returns its id here.
async fn bob_posts(p: &Pair) -> String {
    let note = create(
        p,
        1,
        json!({"content": "<p>Hello from Fedify</p>", "to": [PUBLIC], "cc": [p.peer.url("/users/bob/followers")],
            "attachment": [{"type": "Image", "mediaType": "image/png", "url": p.peer.url("/media/chart.png"), "name": "A chart"}]}),
    );
    p.peer.send(note, json!("followers")).await;
    let status = status_in(p, "/api/v1/timelines/home", &p.peer.url("/notes/1")).await;
    assert!(
        status["content"]
            .as_str()
            .unwrap_or_default()
            .contains("Hello from Fedify")
    );
    assert_eq!(
        status["media_attachments"][0]["description"], "A chart",
        "{status}"
    );
    status["id"].as_str().expect("id").to_string()
}

/// alice likes and boosts bob's post; Fedify takes both.
async fn alice_reacts(p: &Pair, bob_status: &str) {
    let note = p.peer.url("/notes/1");
    for (action, kind) in [("favourite", "Like"), ("reblog", "Announce")] {
        let (s, body) = p
            .alpha
            .post(
                &format!("/api/v1/statuses/{bob_status}/{action}"),
                &p.alice,
                json!({}),
            )
            .await;
        assert_eq!(s, 200, "{action}: {body}");
        delivered(p, kind, &note).await;
    }
}

/// bob edits then deletes his post; alice edits then deletes hers.
async fn edits_and_deletes(p: &Pair, alice_note: &str, bob_status: &str) {
    let note = p.peer.url("/notes/1");
    let mut update = create(
        p,
        1,
        json!({"content": "<p>Hello again</p>", "to": [PUBLIC], "cc": [p.peer.url("/users/bob/followers")], "updated": "2026-12-07T08:05:00Z"}),
    );
    update["type"] = json!("Update");
    update["id"] = json!(p.peer.url("/notes/1/update"));
    p.peer.send(update, json!("followers")).await;
    eventually(20, "bob's edit", || async {
        let (_, s) = p
            .alpha
            .get(&format!("/api/v1/statuses/{bob_status}"), Some(&p.alice))
            .await;
        s["content"].as_str()?.contains("Hello again").then_some(())
    })
    .await;
    let delete = json!({"id": p.peer.url("/notes/1/delete"), "type": "Delete", "actor": p.peer.bob,
        "to": [PUBLIC], "object": {"id": note, "type": "Tombstone"}});
    p.peer.send(delete, json!("followers")).await;
    eventually(20, "bob's deletion", || async {
        let (s, _) = p
            .alpha
            .get(&format!("/api/v1/statuses/{bob_status}"), Some(&p.alice))
            .await;
        (s == 404).then_some(())
    })
    .await;

    let (_, statuses) = p.alpha.get("/api/v1/timelines/home", Some(&p.alice)).await;
    let mine = statuses
        .as_array()
        .and_then(|l| l.iter().find(|s| s["uri"] == alice_note))
        .expect("alice's note in her home");
    let id = mine["id"].as_str().expect("id");
    let (s, _) = p
        .alpha
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/statuses/{id}"),
            &p.alice,
            json!({"status": "Hello Fedify, edited"}),
        )
        .await;
    assert_eq!(s, 200);
    delivered(p, "Update", alice_note).await;
    let (s, _) = p
        .alpha
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/statuses/{id}"),
            &p.alice,
            json!({}),
        )
        .await;
    assert_eq!(s, 200);
    delivered(p, "Delete", alice_note).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fedify_direct_messages_and_polls() {
    for backend in Backend::available() {
        let Some(p) = pair(backend).await else {
            return;
        };
        let bob = p
            .alpha
            .resolve_account(&p.alice, &format!("@{}", p.peer.acct))
            .await;
        p.alpha.follow(&p.alice, &bob).await;
        direct(&p).await;
        poll(&p).await;
        all_taken(&p).await;
    }
}

/// A direct message each way, addressed to the other person only.
async fn direct(p: &Pair) {
    let (s, status) = p
        .alpha
        .post(
            "/api/v1/statuses",
            &p.alice,
            json!({"status": format!("@{} the offer, between us", p.peer.acct), "visibility": "direct"}),
        )
        .await;
    assert_eq!(s, 200, "{status}");
    let uri = status["uri"].as_str().expect("uri");
    let sent = delivered(p, "Create", uri).await;
    assert_eq!(sent["object"]["to"], json!([p.peer.bob]), "{sent}");
    assert!(!sent.to_string().contains(PUBLIC), "{sent}");

    let dm = create(
        p,
        3,
        json!({"content": "<p>@alice thanks</p>", "to": [p.alice_ap],
            "tag": [{"type": "Mention", "href": p.alice_ap, "name": format!("@alice@{}", p.alpha.domain)}]}),
    );
    p.peer.send(dm, json!([p.alice_ap])).await;
    let conversation = eventually(20, "bob's direct message", || async {
        let (_, list) = p.alpha.get("/api/v1/conversations", Some(&p.alice)).await;
        list.as_array()?
            .iter()
            .find(|c| c["last_status"]["uri"] == p.peer.url("/notes/3"))
            .cloned()
    })
    .await;
    assert_eq!(conversation["last_status"]["visibility"], "direct");
}

/// bob's poll (a `Question`) shows as a poll; alice's vote reaches him.
async fn poll(p: &Pair) {
    let question = p.peer.url("/questions/1");
    let option = |name: &str| json!({"type": "Note", "name": name, "replies": {"type": "Collection", "totalItems": 0}});
    let ask = json!({"id": p.peer.url("/questions/1/create"), "type": "Create", "actor": p.peer.bob,
        "to": [PUBLIC], "cc": [p.peer.url("/users/bob/followers")],
        "object": {"id": question, "type": "Question", "attributedTo": p.peer.bob, "content": "<p>Lunch?</p>",
            "to": [PUBLIC], "cc": [p.peer.url("/users/bob/followers")], "published": "2026-12-07T08:10:00Z",
            "endTime": "2030-01-01T00:00:00Z", "oneOf": [option("Pizza"), option("Sushi")]}});
    p.peer.send(ask, json!("followers")).await;
    let status = status_in(p, "/api/v1/timelines/home", &question).await;
    assert_eq!(status["poll"]["options"][1]["title"], "Sushi", "{status}");
    let poll_id = status["poll"]["id"].as_str().expect("poll id");
    let (s, body) = p
        .alpha
        .post(
            &format!("/api/v1/polls/{poll_id}/votes"),
            &p.alice,
            json!({"choices": [1]}),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let vote = p
        .peer
        .wait_for("alice's vote", |b| {
            b["type"] == "Create" && b["object"]["inReplyTo"] == question
        })
        .await;
    assert_eq!(vote.status, 202, "{:?}", vote.body);
    assert_eq!(vote.body["object"]["name"], "Sushi");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fedify_member_of_communities() {
    for backend in Backend::available() {
        let Some(p) = pair(backend).await else {
            return;
        };
        public_community(&p).await;
        members_community(&p).await;
        all_taken(&p).await;
    }
}

async fn community(p: &Pair, name: &str, visibility: &str) -> String {
    p.alpha.create_community(&p.alice, name, visibility).await
}

async fn thread(p: &Pair, community: &str, title: &str) -> Value {
    let (s, t) = p
        .alpha
        .post(
            &format!("/api/passerelle/v1/communities/{community}/threads"),
            &p.alice,
            json!({"title": title, "body": "Read me"}),
        )
        .await;
    assert_eq!(s, 200, "{t}");
    t
}

/// bob joins a public community, gets its threads, and posts and replies in it.
async fn public_community(p: &Pair) {
    let devs = community(p, "devs", "public").await;
    let group = p.alpha.url("/c/devs");
    let follow = json!({"id": p.peer.url("/follows/devs"), "type": "Follow", "actor": p.peer.bob, "object": group});
    p.peer.send(follow, json!([group])).await;
    delivered(p, "Accept", &p.peer.url("/follows/devs")).await;
    p.alpha.wait_members(&p.alice, &devs, 2).await;

    // A second member, on a server whose NodeInfo says Lemmy.
    let lemmy = Remote::start("ferris").await.expect("fake");
    lemmy.fake.set_software("lemmy");
    assert_eq!(lemmy.follow(&group).await, 202);
    p.alpha.wait_members(&p.alice, &devs, 3).await;

    let t = thread(p, &devs, "Release plan").await;
    let uri = t["uri"].as_str().expect("uri").to_string();
    reshared(p, &lemmy, &uri, "Page", true).await;

    let reply = create(
        p,
        4,
        json!({"inReplyTo": uri, "content": "<p>Count me in</p>", "to": [PUBLIC], "cc": [group], "audience": group}),
    );
    p.peer.send(reply, json!([group])).await;
    let id = t["id"].as_str().expect("id");

    // The Lemmy member's comment reaches bob both ways too, and is not echoed back.
    let comment = lemmy.fake.object_url("c1");
    let note = json!({"id": comment, "type": "Note", "attributedTo": lemmy.actor, "inReplyTo": uri,
        "content": "<p>From Lemmy</p>", "to": [PUBLIC], "cc": [group], "audience": group});
    lemmy.fake.add_object("c1", note.clone());
    let made = json!({"id": format!("{comment}/create"), "type": "Create", "actor": lemmy.actor,
        "to": [PUBLIC], "cc": [group], "audience": group, "object": note});
    assert_eq!(lemmy.send(&format!("{group}/inbox"), &made).await, 202);
    reshared(p, &lemmy, &comment, "Note", false).await;
    eventually(20, "bob's comment in the thread", || async {
        let (_, ctx) = p
            .alpha
            .get(&format!("/api/v1/statuses/{id}/context"), Some(&p.alice))
            .await;
        ctx["descendants"]
            .as_array()?
            .iter()
            .any(|d| d["uri"] == p.peer.url("/notes/4"))
            .then_some(())
    })
    .await;

    let page = json!({"id": p.peer.url("/notes/5/create"), "type": "Create", "actor": p.peer.bob,
        "to": [PUBLIC], "cc": [group],
        "object": {"id": p.peer.url("/notes/5"), "type": "Page", "name": "From Fedify", "attributedTo": p.peer.bob,
            "content": "<p>A thread from afar</p>", "to": [PUBLIC], "cc": [group], "audience": group,
            "published": "2026-12-07T08:20:00Z"}});
    p.peer.send(page, json!([group])).await;
    eventually(20, "bob's thread", || async {
        p.alpha.find_thread(&p.alice, &devs, "From Fedify").await
    })
    .await;
}

/// The community re-shared the post `uri` (of `kind`) to bob as the activity
/// that made it and as the bare post; to the Lemmy member (unless the post
/// came from there) only as the activity.
async fn reshared(p: &Pair, lemmy: &Remote, uri: &str, kind: &str, to_lemmy: bool) {
    let wrapped = |b: &Value| {
        b["type"] == "Announce"
            && b["object"]["type"] == "Create"
            && b["object"]["object"]["id"] == uri
    };
    let bare = |b: &Value| {
        b["type"] == "Announce"
            && (b["object"] == uri || (b["object"]["type"] == kind && b["object"]["id"] == uri))
    };
    let got = p.peer.wait_for("the wrapped re-share", wrapped).await;
    assert_eq!(got.status, 202, "{}", got.body);
    let got = p.peer.wait_for("the bare re-share", bare).await;
    assert_eq!(got.status, 202, "{}", got.body);
    p.alpha.sent_all().await;
    let received = lemmy.fake.received();
    assert_eq!(received.iter().any(wrapped), to_lemmy, "{received:?}");
    assert!(
        !received.iter().any(bare),
        "Lemmy was sent the bare post: {received:?}"
    );
}

/// A members community keeps bob waiting for approval and its threads from him.
async fn members_community(p: &Pair) {
    let board = community(p, "board", "members").await;
    let group = p.alpha.url("/c/board");
    let follow = json!({"id": p.peer.url("/follows/board"), "type": "Follow", "actor": p.peer.bob, "object": group});
    p.peer.send(follow, json!([group])).await;
    let requests = format!("/api/passerelle/v1/communities/{board}/requests");
    eventually(20, "bob's join request", || async {
        let (_, list) = p.alpha.get(&requests, Some(&p.alice)).await;
        (list.as_array()?.len() == 1).then_some(())
    })
    .await;
    let t = thread(p, &board, "Budget").await;
    let uri = t["uri"].as_str().expect("uri");
    assert_eq!(
        p.peer.lookup(uri).await,
        Value::Null,
        "a non-member read a members thread"
    );
    assert!(
        !p.peer
            .received()
            .await
            .iter()
            .any(|r| r.body.to_string().contains("Budget")),
        "a members thread reached a non-member"
    );
    assert!(
        !p.peer.received().await.iter().any(|r| r.body["type"] == "Accept" && r.body["object"] == p.peer.url("/follows/board")),
        "joined without approval"
    );
}
