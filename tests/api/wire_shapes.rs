//! The activities each event becomes, compared with golden JSON in
//! `tests/fixtures/golden/`: the wire shape is checked without starting instances.
//! Ids, ports and dates are normalised. `UPDATE_GOLDEN=1` rewrites the files
//! (read the diff before committing it).

use activitypub_federation::traits::Object;
use passerelle::{
    db::{self, actors::Actor},
    federation::{
        objects::{actor::DbActor, post::DbStatus},
        outbound::activities_for,
        protocol::{actor::ApActor, post::ApPost},
    },
    service::events::Event,
};
use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, spawn_app},
};

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/golden");

async fn remote(app: &TestApp, path: &str, kind: &str) -> Actor {
    let id = format!("https://remote.example/{path}");
    let actor: ApActor = serde_json::from_value(json!({
        "id": id, "type": kind, "preferredUsername": path.rsplit('/').next(),
        "inbox": format!("{id}/inbox"), "followers": format!("{id}/followers"),
        "endpoints": {"sharedInbox": "https://remote.example/inbox"},
        "publicKey": {"id": format!("{id}#main-key"), "owner": id,
            "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"},
    }))
    .unwrap();
    DbActor::from_json(actor, &app.state.fed())
        .await
        .unwrap()
        .row
}

async fn local(app: &TestApp, name: &str) -> Actor {
    let name = name.to_string();
    app.state
        .db
        .run(move |c| Ok(db::actors::local_by_name(c, &name)?.unwrap()))
        .await
        .unwrap()
}

async fn follow(app: &TestApp, follower: i64, target: i64) {
    app.state
        .db
        .write(move |c| {
            let now = passerelle::service::now();
            db::follows::upsert(c, follower, target, None, "accepted", now)?;
            Ok(())
        })
        .await
        .unwrap();
}

async fn status(app: &TestApp, token: &str, path: &str, body: Value) -> i64 {
    let (code, s) = app.post_json(token, path, body).await;
    assert_eq!(code, 200, "{s}");
    s["id"].as_str().unwrap().parse().unwrap()
}

/// Replaces what changes from run to run: the test server's address, generated
/// ids (long digit runs), dates and keys.
fn normalise(v: &mut Value, base: &str, domain: &str) {
    match v {
        Value::String(s) => {
            if chrono::DateTime::parse_from_rfc3339(s).is_ok() {
                *s = "DATE".into();
                return;
            }
            let replaced = s
                .replace(base, "https://local.example")
                .replace(domain, "local.example");
            let mut out = String::new();
            let mut digits = String::new();
            for ch in replaced.chars().chain(std::iter::once(' ')) {
                if ch.is_ascii_digit() {
                    digits.push(ch);
                    continue;
                }
                out.push_str(if digits.len() >= 10 { "N" } else { &digits });
                digits.clear();
                out.push(ch);
            }
            out.pop();
            *s = out;
        }
        Value::Array(items) => items.iter_mut().for_each(|i| normalise(i, base, domain)),
        Value::Object(map) => {
            map.remove("@context");
            if let Some(pem) = map.get_mut("publicKeyPem") {
                *pem = "PEM".into();
            }
            map.values_mut().for_each(|i| normalise(i, base, domain));
        }
        _ => {}
    }
}

async fn check(app: &TestApp, name: &str, event: Event) {
    let activities = activities_for(&app.state, event).await.unwrap();
    let mut got = Vec::new();
    for a in activities {
        let sender = app
            .state
            .db
            .run(move |c| Ok(db::actors::by_id(c, a.actor_id)?.ap_id))
            .await
            .unwrap();
        let body: Value = serde_json::from_str(&a.body).unwrap();
        assert!(body["published"].is_string(), "{name}: no `published`");
        let mut inboxes: Vec<String> = a.inboxes.iter().map(|(url, _)| url.clone()).collect();
        inboxes.sort();
        got.push(json!({
            "id": a.ap_id,
            "sender": sender,
            "about": a.object_ap_id,
            "inboxes": inboxes,
            "body": body,
        }));
    }
    let mut got = Value::Array(got);
    normalise(&mut got, &app.base, &app.domain);
    let path = format!("{GOLDEN}/{name}.json");
    if std::env::var("UPDATE_GOLDEN").is_ok() {
        std::fs::create_dir_all(GOLDEN).unwrap();
        std::fs::write(&path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
        return;
    }
    let want: Value = serde_json::from_str(
        &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")),
    )
    .unwrap();
    assert_eq!(
        got,
        want,
        "{name}: the wire shape changed; got:\n{}",
        serde_json::to_string_pretty(&got).unwrap()
    );
}

async fn every_event_kind_has_its_wire_shape(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice_token = app.user_with_token("alice", "read write follow").await;
    let alice = local(&app, "alice").await;
    let eve = remote(&app, "users/eve", "Person").await;
    let group = remote(&app, "c/makers", "Group").await;
    follow(&app, eve.id, alice.id).await;
    follow(&app, alice.id, group.id).await;

    // A post to followers, mentioning nobody.
    let post = status(
        &app,
        &alice_token,
        "/api/v1/statuses",
        json!({"status": "Hello #world", "visibility": "public"}),
    )
    .await;
    check(
        &app,
        "status_created",
        Event::StatusCreated { status_id: post },
    )
    .await;
    check(
        &app,
        "status_updated",
        Event::StatusUpdated { status_id: post },
    )
    .await;

    // A thread in one of our communities, which eve's server follows.
    let (code, garden) = app
        .post_json(
            &alice_token,
            "/api/passerelle/v1/communities",
            json!({"name": "garden", "title": "Garden", "visibility": "public"}),
        )
        .await;
    assert_eq!(code, 200, "{garden}");
    let garden_id: i64 = garden["id"].as_str().unwrap().parse().unwrap();
    follow(&app, eve.id, garden_id).await;
    let thread = status(
        &app,
        &alice_token,
        &format!("/api/passerelle/v1/communities/{garden_id}/threads"),
        json!({"title": "Seeds", "body": "Which ones?"}),
    )
    .await;
    check(
        &app,
        "thread_created",
        Event::StatusCreated { status_id: thread },
    )
    .await;
    check(
        &app,
        "thread_deleted",
        Event::StatusDeleted {
            status_id: thread,
            by: alice.id,
        },
    )
    .await;
    // The same removed by someone else (a moderator): Lemmy needs `summary`, and
    // the community's bare re-share, once sent, is taken back.
    let inbox = vec!["https://remote.example/inbox".to_string()];
    let mut sent = 0;
    for _ in 0..100 {
        let inbox = inbox.clone();
        sent = app
            .state
            .db
            .run(move |c| {
                let t = db::statuses::by_id(c, thread)?.unwrap();
                Ok(db::reshares::sent_about(c, garden_id, &t.ap_id, &inbox, 10)?.len())
            })
            .await
            .unwrap();
        if sent == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(sent, 2, "the thread's two re-shares were sent");
    app.user_with_token("marta", "read").await;
    let moderator = local(&app, "marta").await;
    check(
        &app,
        "thread_removed",
        Event::StatusDeleted {
            status_id: thread,
            by: moderator.id,
        },
    )
    .await;
    let like = |status_id| Event::Liked {
        actor_id: alice.id,
        status_id,
        activity_id: format!("{}/activities/like/1234567890123", app.base),
    };
    check(&app, "thread_liked", like(thread)).await;

    // A thread in a remote community goes to that community.
    let remote_thread = status(
        &app,
        &alice_token,
        &format!("/api/passerelle/v1/communities/{}/threads", group.id),
        json!({"title": "Tools", "body": "Lathes"}),
    )
    .await;
    check(
        &app,
        "remote_thread_created",
        Event::StatusCreated {
            status_id: remote_thread,
        },
    )
    .await;

    // eve's own post: liked, unliked, voted on.
    let note: ApPost = serde_json::from_value(json!({
        "type": "Note", "id": "https://remote.example/notes/1",
        "attributedTo": eve.ap_id, "content": "<p>Hi</p>",
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
    }))
    .unwrap();
    let theirs = DbStatus::from_json(note, &app.state.fed())
        .await
        .unwrap()
        .row
        .id;
    check(&app, "remote_status_liked", like(theirs)).await;
    check(
        &app,
        "remote_status_unliked",
        Event::Unliked {
            actor_id: alice.id,
            status_id: theirs,
            activity_id: format!("{}/activities/like/1234567890123", app.base),
        },
    )
    .await;
    check(
        &app,
        "voted",
        Event::Voted {
            status_id: theirs,
            actor_id: alice.id,
            choices: vec![(format!("{}/votes/1234567890123", app.base), "Yes".into())],
        },
    )
    .await;

    // A boost of alice's post and its undoing.
    let boost = status(
        &app,
        &alice_token,
        &format!("/api/v1/statuses/{post}/reblog"),
        json!({}),
    )
    .await;
    check(&app, "reblogged", Event::Reblogged { status_id: boost }).await;
    check(&app, "unreblogged", Event::Unreblogged { status_id: boost }).await;

    // Follows, blocks and their answers.
    let id = format!("{}/activities/follow/1234567890123", app.base);
    let (a, e) = (alice.id, eve.id);
    for (name, event) in [
        (
            "follow_requested",
            Event::FollowRequested {
                follower_id: a,
                target_id: e,
                activity_id: id.clone(),
            },
        ),
        (
            "unfollowed",
            Event::Unfollowed {
                follower_id: a,
                target_id: e,
                activity_id: id.clone(),
            },
        ),
        (
            "blocked",
            Event::Blocked {
                actor_id: a,
                target_id: e,
                activity_id: id.clone(),
            },
        ),
        (
            "unblocked",
            Event::Unblocked {
                actor_id: a,
                target_id: e,
                activity_id: id.clone(),
            },
        ),
        (
            "follow_accepted",
            Event::FollowAccepted {
                follower_id: e,
                target_id: a,
                activity_id: "https://remote.example/follows/1".into(),
            },
        ),
        (
            "follow_rejected",
            Event::FollowRejected {
                follower_id: e,
                target_id: garden_id,
                activity_id: "https://remote.example/follows/2".into(),
            },
        ),
        ("actor_updated", Event::ActorUpdated { actor_id: a }),
        (
            "community_updated",
            Event::ActorUpdated {
                actor_id: garden_id,
            },
        ),
        (
            "actor_deleted",
            Event::ActorDeleted {
                actor_id: a,
                inboxes: vec![eve.inbox_url.clone()],
            },
        ),
        (
            "announce",
            Event::Announce {
                community_id: garden_id,
                activity: json!({"id": "https://remote.example/likes/9", "type": "Like",
                    "actor": eve.ap_id, "object": "https://remote.example/notes/1"}),
            },
        ),
        (
            "moderator_added",
            Event::ModeratorChanged {
                community_id: garden_id,
                actor_id: e,
                added: true,
                by: a,
            },
        ),
        (
            "banned",
            Event::Banned {
                community_id: garden_id,
                actor_id: e,
                by: a,
                reason: "spam".into(),
            },
        ),
    ] {
        check(&app, name, event).await;
    }

    // A report about eve goes from the instance actor to eve's server.
    let (code, report) = app
        .post_json(
            &alice_token,
            "/api/v1/reports",
            json!({"account_id": eve.id.to_string(), "status_ids": [theirs.to_string()],
                "comment": "rude", "forward": true}),
        )
        .await;
    assert_eq!(code, 200, "{report}");
    let report_id = report["id"].as_str().unwrap().parse().unwrap();
    check(&app, "reported", Event::Reported { report_id }).await;
}

backend_tests!(every_event_kind_has_its_wire_shape);
