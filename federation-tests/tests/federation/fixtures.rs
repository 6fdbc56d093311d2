//! Activities as other software sent them (captured in `tests/fixtures`), through
//! the real inbox: signed by a server standing in for the sender, at the same
//! paths, with its host and ours put in. `tests/api/interop.rs` checks that they
//! parse; this checks that they are taken and do what they say.

use federation_tests::{
    Backend, Instance, eventually,
    fake::{Remote, Signing},
};
use serde_json::{Value, json};

/// The fixture `path`, sent by `remote` (standing for its actor at `host`) to `inbox`.
pub(crate) async fn deliver(
    alpha: &Instance,
    remote: &Remote,
    path: &str,
    host: &str,
    ours: &[(&str, &str)],
) -> Value {
    let file = format!("{}/../tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    let mut text = std::fs::read_to_string(file).expect("fixture");
    let original: Value = serde_json::from_str(&text).expect("json");
    let actor = original["actor"].as_str().expect("actor").to_string();
    text = text.replace(&actor, &remote.actor);
    for (from, to) in ours {
        text = text.replace(from, to);
    }
    text = text
        .replace("https://passerelle.example", &alpha.base)
        .replace("passerelle.example", &alpha.domain)
        .replace(host, &remote.fake.base);
    let activity: Value = serde_json::from_str(&text).expect("json");
    let target = match activity["type"].as_str() {
        Some("Follow") => format!("{}/inbox", activity["object"].as_str().expect("object")),
        _ => alpha.url("/inbox"),
    };
    let (status, answer) = remote
        .fake
        .post_answer(
            &target,
            &remote.actor,
            &remote.keys,
            &activity,
            Signing::Valid,
        )
        .await
        .expect("post");
    assert_eq!(status, 202, "{path}: {answer}\n{}", alpha.log());
    activity
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn captured_activities_go_through_the_inbox() {
    for backend in Backend::available() {
        let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
        let bob = alpha
            .create_user("bob", "bob password", "read write follow")
            .await
            .expect("bob");
        let devs = alpha.create_community(&bob, "devs", "public").await;
        let (_, parent) = alpha
            .post(
                "/api/v1/statuses",
                &bob,
                json!({"status": "Self-hosting, anyone?"}),
            )
            .await;
        let parent_path = format!("/statuses/{}", parent["id"].as_str().expect("id"));

        let gts = Remote::start("carol").await.expect("fake");
        let mastodon = Remote::start("alice").await.expect("fake");
        let lemmy = Remote::start("ferris").await.expect("fake");

        // Joins from GoToSocial and Lemmy, a follow from Mastodon.
        deliver(
            &alpha,
            &gts,
            "gotosocial/follow.json",
            "https://gts.example",
            &[],
        )
        .await;
        deliver(
            &alpha,
            &lemmy,
            "lemmy/follow.json",
            "https://lemmy.example",
            &[],
        )
        .await;
        alpha.wait_members(&bob, &devs, 3).await;
        deliver(
            &alpha,
            &mastodon,
            "mastodon/follow.json",
            "https://mastodon.example",
            &[],
        )
        .await;
        eventually(15, "Mastodon's follow", || async {
            let (_, me) = alpha
                .get("/api/v1/accounts/verify_credentials", Some(&bob))
                .await;
            (me["followers_count"] == 1).then_some(())
        })
        .await;

        // Posts mentioning bob, one a reply to his status.
        let reply = deliver(
            &alpha,
            &gts,
            "gotosocial/create_note.json",
            "https://gts.example",
            &[("/statuses/31337", &parent_path)],
        )
        .await;
        let note = deliver(
            &alpha,
            &mastodon,
            "mastodon/create_note.json",
            "https://mastodon.example",
            &[],
        )
        .await;
        for sent in [&reply, &note] {
            let uri = sent["object"]["id"].as_str().expect("id").to_string();
            eventually(15, &format!("the mention in {uri}"), || async {
                let (_, list) = alpha.get("/api/v1/notifications", Some(&bob)).await;
                list.as_array()?
                    .iter()
                    .any(|n| n["type"] == "mention" && n["status"]["uri"] == uri)
                    .then_some(())
            })
            .await;
        }
        let (_, ctx) = alpha
            .get(
                &format!(
                    "/api/v1/statuses/{}/context",
                    parent["id"].as_str().expect("id")
                ),
                Some(&bob),
            )
            .await;
        assert_eq!(ctx["descendants"][0]["uri"], reply["object"]["id"], "{ctx}");
    }
}
