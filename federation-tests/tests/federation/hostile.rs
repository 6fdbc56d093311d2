//! Hostile input over real HTTP: forged signatures, tampered bodies, objects on
//! another host than their actor, posts from non-members, replays. Each is refused
//! (or ignored) and changes nothing.

use federation_tests::{
    Backend, Instance, eventually,
    fake::{FakeServer, Remote, Signing, new_keys},
};
use serde_json::{Value, json};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

async fn threads(alpha: &Instance, token: &str, community: &str) -> Vec<Value> {
    let (status, body) = alpha
        .get(
            &format!("/api/passerelle/v1/communities/{community}/threads"),
            Some(token),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body.as_array().cloned().unwrap_or_default()
}

fn create_page(
    fake: &FakeServer,
    actor: &str,
    n: u32,
    object_host_base: &str,
    community: &str,
) -> Value {
    let object = json!({
        "id": format!("{object_host_base}/objects/{n}"),
        "type": "Page",
        "attributedTo": actor,
        "name": format!("Outside thread {n}"),
        "content": "<p>hello<script>alert(1)</script><a href=\"javascript:alert(2)\">x</a></p>",
        "mediaType": "text/html",
        "to": [PUBLIC],
        "cc": [community],
        "audience": community,
    });
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/create/{n}", fake.base),
        "type": "Create",
        "actor": actor,
        "to": [PUBLIC],
        "cc": [community],
        "audience": community,
        "object": object,
    })
}

async fn scenario(backend: Backend) {
    let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
    let alice = alpha
        .create_user("alice", "alice password", "read write follow")
        .await
        .expect("alice");
    let (_, devs) = alpha
        .post(
            "/api/passerelle/v1/communities",
            &alice,
            json!({"name": "devs"}),
        )
        .await;
    let devs_id = devs["id"].as_str().unwrap().to_string();
    let devs_url = alpha.url("/c/devs");
    let inbox = alpha.url("/c/devs/inbox");

    let fake = FakeServer::start().await.expect("fake server");
    let mallory_keys = new_keys().expect("keys");
    let mallory = fake.add_actor("mallory", &mallory_keys);
    let eve_keys = new_keys().expect("keys");
    let eve = fake.add_actor("eve", &eve_keys);

    // Unsigned and tampered requests are refused before anything is stored.
    let follow = json!({"id": format!("{}/activities/follow/1", fake.base), "type": "Follow", "actor": mallory, "object": devs_url});
    assert_eq!(
        fake.post(&inbox, &mallory, &mallory_keys, &follow, Signing::Unsigned)
            .await
            .unwrap(),
        401
    );
    let wrong = fake
        .post(&inbox, &mallory, &mallory_keys, &follow, Signing::WrongKey)
        .await
        .unwrap();
    assert_eq!(wrong, 401, "{}", alpha.log());
    let tampered = fake
        .post(
            &inbox,
            &mallory,
            &mallory_keys,
            &follow,
            Signing::TamperedBody,
        )
        .await
        .unwrap();
    assert!(
        tampered == 400 || tampered == 401,
        "tampered body: {tampered}"
    );
    let (_, c) = alpha
        .get(
            &format!("/api/passerelle/v1/communities/{devs_id}"),
            Some(&alice),
        )
        .await;
    assert_eq!(c["members_count"], 1, "nothing changed");

    // A validly signed activity that does not read is a 400 naming the field.
    let mut unreadable = follow.clone();
    unreadable["object"] = json!(42);
    let (status, answer) = fake
        .post_answer(&inbox, &mallory, &mallory_keys, &unreadable, Signing::Valid)
        .await
        .unwrap();
    assert_eq!(status, 400, "{answer}");
    let error = answer["error"].as_str().unwrap_or_default();
    assert!(error.contains("`object`"), "{answer}");

    // A valid Follow joins; the community accepts it back to the fake server.
    assert_eq!(
        fake.post(&inbox, &mallory, &mallory_keys, &follow, Signing::Valid)
            .await
            .unwrap(),
        202
    );
    eventually(10, "the Accept delivered to mallory", || async {
        fake.received()
            .iter()
            .any(|a| a["type"] == "Accept" && a["object"]["actor"] == mallory)
            .then_some(())
    })
    .await;

    // A member on another server, who gets what the community announces.
    let other = Remote::start("olga").await.expect("fake");
    assert_eq!(other.follow(&devs_url).await, 202);
    eventually(10, "olga's Accept", || async {
        other.got("Accept", &devs_url).then_some(())
    })
    .await;

    // A member's thread is accepted, sanitised, and announced as it was sent,
    // fields we do not read included (FEP-1b12: Lemmy's `distinguished`), to the
    // other members' servers but not back to its own.
    let mut create = create_page(&fake, &mallory, 1, &fake.base, &devs_url);
    create["distinguished"] = json!(false);
    assert_eq!(
        fake.post(&inbox, &mallory, &mallory_keys, &create, Signing::Valid)
            .await
            .unwrap(),
        202
    );
    alpha.settled().await;
    let list = threads(&alpha, &alice, &devs_id).await;
    assert_eq!(list.len(), 1);
    let content = list[0]["content"].as_str().unwrap();
    assert!(
        !content.contains("<script") && !content.contains("javascript:"),
        "{content}"
    );
    eventually(10, "the Announce to the other member's server", || async {
        other
            .fake
            .received()
            .iter()
            .any(|a| {
                a["type"] == "Announce"
                    && a["object"]["id"] == create["id"]
                    && a["object"]["distinguished"] == json!(false)
            })
            .then_some(())
    })
    .await;
    alpha.settled().await;
    assert!(
        !fake
            .received()
            .iter()
            .any(|a| a["type"] == "Announce" && a["object"]["id"] == create["id"]),
        "the member's own Create echoed back to its server"
    );

    // A Mastodon-style Note that mentions the community (no audience) becomes a thread,
    // titled by its first line without the mention.
    let note = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/create/10", fake.base),
        "type": "Create",
        "actor": mallory,
        "to": [PUBLIC],
        "cc": [devs_url],
        "object": {
            "id": format!("{}/statuses/10", fake.base),
            "type": "Note",
            "attributedTo": mallory,
            "content": format!("<p><span class=\"h-card\"><a href=\"{devs_url}\" class=\"u-url mention\">@<span>devs</span></a></span> Lunch talk on Friday</p>"),
            "to": [PUBLIC],
            "cc": [devs_url],
            "tag": [{"type": "Mention", "href": devs_url, "name": format!("@devs@{}", alpha.domain)}],
        },
    });
    assert_eq!(
        fake.post(&inbox, &mallory, &mallory_keys, &note, Signing::Valid)
            .await
            .unwrap(),
        202
    );
    alpha.settled().await;
    let list = threads(&alpha, &alice, &devs_id).await;
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["passerelle"]["title"], "Lunch talk on Friday");
    let list = [list[1].clone()];

    // Replaying the same activity changes nothing.
    assert_eq!(
        fake.post(&inbox, &mallory, &mallory_keys, &create, Signing::Valid)
            .await
            .unwrap(),
        202
    );
    alpha.settled().await;
    assert_eq!(threads(&alpha, &alice, &devs_id).await.len(), 2);
    let thread_url = list[0]["uri"].as_str().unwrap().to_string();
    let like = json!({"id": format!("{}/activities/like/1", fake.base), "type": "Like", "actor": mallory, "object": thread_url});
    for _ in 0..2 {
        assert_eq!(
            fake.post(&inbox, &mallory, &mallory_keys, &like, Signing::Valid)
                .await
                .unwrap(),
            202
        );
    }
    alpha.settled().await;
    let (_, s) = alpha
        .get(
            &format!("/api/v1/statuses/{}", list[0]["id"].as_str().unwrap()),
            Some(&alice),
        )
        .await;
    assert_eq!(s["favourites_count"], 1);

    // An object on another host than its actor: refused.
    let forged = create_page(&fake, &mallory, 2, &alpha.base, &devs_url);
    let status = fake
        .post(&inbox, &mallory, &mallory_keys, &forged, Signing::Valid)
        .await
        .unwrap();
    assert!(
        status == 400 || status == 403,
        "cross-host object: {status}"
    );
    // A Create whose author is someone else on the same host: refused.
    let mut impersonation = create_page(&fake, &mallory, 3, &fake.base, &devs_url);
    impersonation["object"]["attributedTo"] = json!(eve);
    assert_eq!(
        fake.post(
            &inbox,
            &mallory,
            &mallory_keys,
            &impersonation,
            Signing::Valid
        )
        .await
        .unwrap(),
        403
    );
    // A valid signature, but eve never joined: refused.
    let outsider = create_page(&fake, &eve, 4, &fake.base, &devs_url);
    assert_eq!(
        fake.post(&inbox, &eve, &eve_keys, &outsider, Signing::Valid)
            .await
            .unwrap(),
        403
    );
    // Signed by mallory's key while claiming to be eve: refused.
    let mut claimed = create_page(&fake, &eve, 5, &fake.base, &devs_url);
    claimed["id"] = json!(format!("{}/activities/create/5", fake.base));
    assert_eq!(
        fake.post(&inbox, &eve, &mallory_keys, &claimed, Signing::Valid)
            .await
            .unwrap(),
        401
    );
    // An Announce from a group nobody here follows: refused.
    let announce = json!({"id": format!("{}/activities/announce/1", fake.base), "type": "Announce", "actor": mallory, "object": create_page(&fake, &mallory, 6, &fake.base, &devs_url)});
    assert_eq!(
        fake.post(&inbox, &mallory, &mallory_keys, &announce, Signing::Valid)
            .await
            .unwrap(),
        403
    );

    alpha.settled().await;
    assert_eq!(
        threads(&alpha, &alice, &devs_id).await.len(),
        2,
        "none of the hostile posts was stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_replayed_and_unauthorised_activities_change_nothing() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}

/// A remote group someone here joined may announce what was posted in it, and
/// nothing else: content addressed to another community is refused.
async fn group_announces(backend: Backend) {
    let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
    let alice = alpha
        .create_user("alice", "alice password", "read write follow")
        .await
        .expect("alice");
    let fake = FakeServer::start().await.expect("fake");
    let group_keys = new_keys().expect("keys");
    let group = fake.add_group("guild", &group_keys);
    let mallory_keys = new_keys().expect("keys");
    let mallory = fake.add_actor("mallory", &mallory_keys);
    let other = format!("{}/users/elsewhere", fake.base);

    let guild = alpha
        .join_community(&alice, &format!("guild@{}", fake.domain))
        .await;
    let follow = eventually(15, "alice's Follow at the guild", || async {
        fake.received().into_iter().find(|a| a["type"] == "Follow")
    })
    .await;
    let accept = json!({"id": format!("{}/accept/1", fake.base), "type": "Accept",
        "actor": group, "object": follow});
    let inbox = alpha.url("/inbox");
    assert_eq!(
        fake.post(&inbox, &group, &group_keys, &accept, Signing::Valid)
            .await
            .unwrap(),
        202
    );
    alpha.settled().await;

    let announce = |n: u32, audience: &str| {
        let page = json!({"id": format!("{}/objects/guild-{n}", fake.base), "type": "Page",
            "attributedTo": mallory, "name": format!("Guild post {n}"), "content": "<p>x</p>",
            "to": [audience], "audience": audience});
        let create = json!({"id": format!("{}/create/guild-{n}", fake.base), "type": "Create",
            "actor": mallory, "to": [audience], "audience": audience, "object": page});
        json!({"id": format!("{}/announce/guild-{n}", fake.base), "type": "Announce",
            "actor": group, "to": [format!("{group}/followers")], "object": create})
    };
    let status = fake
        .post(
            &inbox,
            &group,
            &group_keys,
            &announce(1, &other),
            Signing::Valid,
        )
        .await
        .unwrap();
    assert_eq!(status, 403, "content of another community");
    let status = fake
        .post(
            &inbox,
            &group,
            &group_keys,
            &announce(2, &group),
            Signing::Valid,
        )
        .await
        .unwrap();
    assert_eq!(status, 202, "content posted in the guild");
    alpha.settled().await;
    let list = threads(&alpha, &alice, &guild).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["passerelle"]["title"], "Guild post 2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_announces_only_what_was_posted_in_it() {
    for backend in Backend::available() {
        group_announces(backend).await;
    }
}
