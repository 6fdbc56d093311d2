//! Misskey's and Akkoma's activities (`tests/fixtures/misskey`, `…/akkoma`,
//! written from what their renderers send) through the real inbox, as
//! `fixtures.rs` does for the others: each must be taken (202) and do what it
//! says, and nothing may be left failed in the inbound queue.

use federation_tests::{Instance, eventually, fake::Remote};
use serde_json::{Value, json};

use crate::fixtures::deliver;

/// One of bob's statuses: its id and its path (what the fixtures' placeholder
/// statuses become).
async fn post(alpha: &Instance, bob: &str, body: Value) -> (String, String) {
    let (code, posted) = alpha.post("/api/v1/statuses", bob, body).await;
    assert_eq!(code, 200, "{posted}");
    let id = posted["id"].as_str().expect("id").to_string();
    let path = format!("/statuses/{id}");
    (id, path)
}

/// bob's followers, once there are `n`.
async fn followers(alpha: &Instance, bob: &str, n: i64) {
    eventually(15, &format!("{n} follower(s)"), || async {
        let (_, me) = alpha
            .get("/api/v1/accounts/verify_credentials", Some(bob))
            .await;
        (me["followers_count"] == n).then_some(())
    })
    .await;
}

/// The status mentioning bob that came as `sent`'s object, once notified.
async fn mentioned(alpha: &Instance, bob: &str, sent: &Value) -> Value {
    let uri = sent["object"]["id"].as_str().expect("id").to_string();
    eventually(15, &format!("the mention in {uri}"), || async {
        let (_, list) = alpha.get("/api/v1/notifications", Some(bob)).await;
        list.as_array()?
            .iter()
            .find(|n| n["type"] == "mention" && n["status"]["uri"] == uri)
            .map(|n| n["status"].clone())
    })
    .await
}

/// Waits until status `id`'s `field` (`favourites_count`…) is `n`.
async fn count(alpha: &Instance, bob: &str, id: &str, field: &str, n: i64) {
    eventually(15, &format!("{field} = {n}"), || async {
        let (_, s) = alpha
            .get(&format!("/api/v1/statuses/{id}"), Some(bob))
            .await;
        (s[field] == n).then_some(())
    })
    .await;
}

/// Waits until status `id` is gone (404).
async fn gone(alpha: &Instance, bob: &str, id: &str) {
    eventually(15, &format!("status {id} deleted"), || async {
        let (code, _) = alpha
            .get(&format!("/api/v1/statuses/{id}"), Some(bob))
            .await;
        (code == 404).then_some(())
    })
    .await;
}

/// The statuses answering `id`, by uri.
async fn replies(alpha: &Instance, bob: &str, id: &str) -> Vec<Value> {
    let (_, ctx) = alpha
        .get(&format!("/api/v1/statuses/{id}/context"), Some(bob))
        .await;
    ctx["descendants"].as_array().cloned().unwrap_or_default()
}

/// Everything applied, nothing failed.
async fn nothing_failed(alpha: &Instance) {
    alpha.settled().await;
    let metrics = alpha.metrics().await.expect("metrics");
    assert!(
        metrics.contains("passerelle_inbound_jobs{state=\"failed\"} 0"),
        "{metrics}\n{}",
        alpha.log()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn misskey_activities_go_through_the_inbox() {
    for backend in federation_tests::Backend::available() {
        let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
        let bob = alpha
            .create_user("bob", "bob password", "read write follow")
            .await
            .expect("bob");
        let (parent, parent_path) = post(&alpha, &bob, json!({"status": "Self-hosting?"})).await;
        let (poll, poll_path) = post(
            &alpha,
            &bob,
            json!({"status": "Meetup in May or June?",
                   "poll": {"options": ["May", "June"], "expires_in": 86400}}),
        )
        .await;
        let misskey = Remote::start("mika").await.expect("fake");
        let ours = [
            ("/statuses/31337", parent_path.as_str()),
            ("/statuses/31338", poll_path.as_str()),
        ];
        let (a, m, o) = (&alpha, &misskey, &ours[..]);
        let send = move |path| deliver(a, m, path, "https://misskey.example", o);

        send("misskey/follow.json").await;
        followers(&alpha, &bob, 1).await;

        // A note mentioning bob and quoting his status (MFM source, quote fields).
        let note = send("misskey/create_note.json").await;
        let shown = mentioned(&alpha, &bob, &note).await;
        let content = shown["content"].as_str().unwrap_or_default();
        assert!(content.contains("It should."), "{shown}");
        assert!(content.contains(&parent_path), "the quote's link: {shown}");

        // A reply behind a content warning, in bob's thread.
        let reply = send("misskey/create_reply.json").await;
        let shown = mentioned(&alpha, &bob, &reply).await;
        assert_eq!(shown["spoiler_text"], "self-hosting talk", "{shown}");
        let thread = replies(&alpha, &bob, &parent).await;
        assert_eq!(thread.len(), 1, "{thread:?}");
        assert_eq!(thread[0]["uri"], reply["object"]["id"]);

        // A reaction counts as a favourite; its Undo takes it back. A renote.
        send("misskey/like.json").await;
        count(&alpha, &bob, &parent, "favourites_count", 1).await;
        send("misskey/announce.json").await;
        count(&alpha, &bob, &parent, "reblogs_count", 1).await;
        send("misskey/undo_like.json").await;
        count(&alpha, &bob, &parent, "favourites_count", 0).await;

        // A vote in bob's poll: a Note named after the option.
        send("misskey/vote.json").await;
        eventually(15, "the vote counted", || async {
            let (_, p) = alpha
                .get(&format!("/api/v1/statuses/{poll}"), Some(&bob))
                .await;
            let counts: Vec<i64> = p["poll"]["options"]
                .as_array()?
                .iter()
                .filter_map(|o| o["votes_count"].as_i64())
                .collect();
            (counts == [0, 1]).then_some(())
        })
        .await;

        // The reply deleted: gone, and out of the thread.
        send("misskey/delete.json").await;
        gone(&alpha, &bob, shown["id"].as_str().expect("id")).await;
        assert!(replies(&alpha, &bob, &parent).await.is_empty());
        nothing_failed(&alpha).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn akkoma_activities_go_through_the_inbox() {
    for backend in federation_tests::Backend::available() {
        let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
        let bob = alpha
            .create_user("bob", "bob password", "read write follow")
            .await
            .expect("bob");
        let (parent, parent_path) = post(&alpha, &bob, json!({"status": "Self-hosting?"})).await;
        let akkoma = Remote::start("lain").await.expect("fake");
        let ours = [("/statuses/31337", parent_path.as_str())];
        let (a, k, o) = (&alpha, &akkoma, &ours[..]);
        let send = move |path| deliver(a, k, path, "https://akkoma.example", o);

        send("akkoma/follow.json").await;
        followers(&alpha, &bob, 1).await;

        let note = send("akkoma/create_note.json").await;
        let public = mentioned(&alpha, &bob, &note).await;
        assert_eq!(public["visibility"], "public", "{public}");

        let reply = send("akkoma/create_reply.json").await;
        mentioned(&alpha, &bob, &reply).await;
        let thread = replies(&alpha, &bob, &parent).await;
        assert_eq!(thread.len(), 1, "{thread:?}");
        assert_eq!(thread[0]["uri"], reply["object"]["id"]);

        // `directMessage: true`, addressed to bob alone.
        let direct = send("akkoma/create_direct.json").await;
        let shown = mentioned(&alpha, &bob, &direct).await;
        assert_eq!(shown["visibility"], "direct", "{shown}");

        send("akkoma/like.json").await;
        count(&alpha, &bob, &parent, "favourites_count", 1).await;
        // An emoji reaction: acknowledged (`deliver` checks the 202), nothing
        // done, nothing failed.
        send("akkoma/emoji_react.json").await;
        nothing_failed(&alpha).await;
        count(&alpha, &bob, &parent, "favourites_count", 1).await;
        send("akkoma/announce.json").await;
        count(&alpha, &bob, &parent, "reblogs_count", 1).await;
        // Its Undos name the Like, then the Announce, by id alone.
        send("akkoma/undo_like.json").await;
        count(&alpha, &bob, &parent, "favourites_count", 0).await;
        count(&alpha, &bob, &parent, "reblogs_count", 1).await;
        send("akkoma/undo_announce.json").await;
        count(&alpha, &bob, &parent, "reblogs_count", 0).await;

        send("akkoma/delete.json").await;
        gone(&alpha, &bob, public["id"].as_str().expect("id")).await;
        nothing_failed(&alpha).await;
    }
}
