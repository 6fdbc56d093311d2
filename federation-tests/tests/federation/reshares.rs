//! A community's bare re-shares, as GoToSocial needs them (found with a real
//! GoToSocial, issue #18): a member's comment is re-shared bare to its own server
//! too (its other users see it only so), and a moderator's removal takes the
//! re-share back with an `Undo`, since such servers ignore a removal announced by
//! anyone but the author; a restoration re-shares the post again.

use federation_tests::{Backend, Instance, eventually, fake::Remote};
use serde_json::{Value, json};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

fn bare_of(uri: &str) -> impl Fn(&Value) -> bool + '_ {
    // By id (a post from elsewhere) or whole (one of ours).
    move |a| {
        a["type"] == "Announce"
            && (a["object"] == uri || (a["object"]["type"] == "Note" && a["object"]["id"] == uri))
    }
}

fn wrapped_of(uri: &str) -> impl Fn(&Value) -> bool + '_ {
    move |a| {
        a["type"] == "Announce"
            && a["object"]["type"] == "Create"
            && a["object"]["object"]["id"] == uri
    }
}

fn undo_of(announce: &str) -> impl Fn(&Value) -> bool + '_ {
    move |a| {
        a["type"] == "Undo" && a["object"]["type"] == "Announce" && a["object"]["id"] == announce
    }
}

async fn got(who: &Remote, what: &str, probe: impl Fn(&Value) -> bool) -> Value {
    eventually(15, what, || async {
        who.fake.received().into_iter().find(|a| probe(a))
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bare_reshares_reach_the_authors_server_and_are_taken_back() {
    for backend in Backend::available() {
        let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
        let alice = alpha
            .create_user("alice", "alice password", "read write follow")
            .await
            .expect("alice");
        let devs = alpha.create_community(&alice, "devs", "public").await;
        let group = alpha.url("/c/devs");

        // gina on a GoToSocial server, olga on another, ferris on Lemmy.
        let gina = Remote::start("gina").await.expect("fake");
        gina.fake.set_software("gotosocial");
        let olga = Remote::start("olga").await.expect("fake");
        olga.fake.set_software("gotosocial");
        let ferris = Remote::start("ferris").await.expect("fake");
        ferris.fake.set_software("lemmy");
        for member in [&gina, &olga, &ferris] {
            assert_eq!(member.follow(&group).await, 202);
        }
        alpha.wait_members(&alice, &devs, 4).await;

        let (status, thread) = alpha
            .post(
                &format!("/api/passerelle/v1/communities/{devs}/threads"),
                &alice,
                json!({"title": "Release plan", "body": "We ship Friday"}),
            )
            .await;
        assert_eq!(status, 200, "{thread}");
        let thread_uri = thread["uri"].as_str().expect("uri").to_string();

        // gina comments, addressed as GoToSocial does: to her followers and
        // the people she mentions, never to the group.
        let comment = gina.fake.object_url("c1");
        let note = json!({"id": comment, "type": "Note", "attributedTo": gina.actor,
            "inReplyTo": thread_uri, "content": "<p>Count me in</p>",
            "to": [PUBLIC], "cc": [format!("{}/followers", gina.actor)]});
        gina.fake.add_object("c1", note.clone());
        let create = json!({"id": format!("{comment}/create"), "type": "Create",
            "actor": gina.actor, "to": [PUBLIC], "object": note});
        assert_eq!(gina.send(&alpha.url("/inbox"), &create).await, 202);

        // Bare to both GoToSocial servers, gina's own included; wrapped to the
        // others only; Lemmy never gets the bare post.
        let bare = got(
            &gina,
            "the bare re-share on gina's server",
            bare_of(&comment),
        )
        .await;
        got(&olga, "the bare re-share on olga's", bare_of(&comment)).await;
        got(
            &olga,
            "the wrapped re-share on olga's",
            wrapped_of(&comment),
        )
        .await;
        got(
            &ferris,
            "the wrapped re-share on Lemmy",
            wrapped_of(&comment),
        )
        .await;
        alpha.sent_all().await;
        assert!(!gina.fake.received().iter().any(wrapped_of(&comment)));
        assert!(!ferris.fake.received().iter().any(bare_of(&comment)));

        // alice, the community's owner, removes the comment: the bare re-share
        // is taken back where it was sent, with the id it was sent with.
        let bare_id = bare["id"].as_str().expect("id").to_string();
        let thread_id = thread["id"].as_str().expect("id");
        let (_, context) = alpha
            .get(
                &format!("/api/v1/statuses/{thread_id}/context"),
                Some(&alice),
            )
            .await;
        let local_id = context["descendants"]
            .as_array()
            .and_then(|d| d.iter().find(|s| s["uri"] == comment.as_str()))
            .and_then(|s| s["id"].as_str())
            .expect("gina's comment in the thread")
            .to_string();
        let (status, body) = alpha
            .send(
                reqwest::Method::DELETE,
                &format!("/api/v1/statuses/{local_id}"),
                &alice,
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        got(
            &gina,
            "the re-share undone on gina's server",
            undo_of(&bare_id),
        )
        .await;
        got(&olga, "the re-share undone on olga's", undo_of(&bare_id)).await;
        let removal = got(&ferris, "the removal announced to Lemmy", |a| {
            a["type"] == "Announce" && a["object"]["type"] == "Delete"
        })
        .await;
        assert_eq!(
            removal["object"]["summary"], "",
            "a moderator's removal carries `summary`, without which Lemmy refuses it"
        );
        alpha.sent_all().await;
        assert!(
            !ferris
                .fake
                .received()
                .iter()
                .any(|a| a["type"] == "Undo" && a["object"]["type"] == "Announce"),
            "Lemmy was never sent the bare re-share, nor its Undo"
        );

        // Restored: re-shared bare again, under a new id.
        let (status, body) = alpha
            .post(
                &format!("/api/passerelle/v1/statuses/{local_id}/restore"),
                &alice,
                json!({}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        eventually(15, "a new bare re-share after the restoration", || async {
            let shares: Vec<Value> = olga
                .fake
                .received()
                .into_iter()
                .filter(|a| bare_of(&comment)(a))
                .collect();
            (shares.len() == 2 && shares[1]["id"] != bare_id).then_some(())
        })
        .await;
    }
}
