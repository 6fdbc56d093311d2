//! Captured likes, boosts, undos and deletes from Mastodon and Lemmy
//! (`tests/fixtures`), through the real inbox (`fixtures::deliver`), each checked
//! by what it changes here.

use federation_tests::{Backend, Instance, eventually, fake::Remote};
use serde_json::json;

use super::fixtures::deliver;

/// Waits (bounded) until the status `id` shows `field` = `want` to `token`.
async fn counted(alpha: &Instance, token: &str, id: &str, field: &str, want: i64) {
    eventually(15, &format!("{field} = {want}"), || async {
        let (_, s) = alpha
            .get(&format!("/api/v1/statuses/{id}"), Some(token))
            .await;
        (s[field] == want).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn captured_reactions_and_retractions_go_through_the_inbox() {
    for backend in Backend::available() {
        let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
        let bob = alpha
            .create_user("bob", "bob password", "read write follow")
            .await
            .expect("bob");
        let (_, parent) = alpha
            .post("/api/v1/statuses", &bob, json!({"status": "Lunch?"}))
            .await;
        let id = parent["id"].as_str().expect("id").to_string();
        let path = format!("/statuses/{id}");
        let ours = [("/statuses/31337", path.as_str())];
        let mastodon = Remote::start("alice").await.expect("fake");
        let lemmy = Remote::start("ferris").await.expect("fake");
        let (m, l) = ("https://mastodon.example", "https://lemmy.example");

        // Likes from both, one taken back; a Mastodon boost.
        deliver(&alpha, &mastodon, "mastodon/like.json", m, &ours).await;
        deliver(&alpha, &lemmy, "lemmy/like.json", l, &ours).await;
        counted(&alpha, &bob, &id, "favourites_count", 2).await;
        deliver(&alpha, &lemmy, "lemmy/undo_like.json", l, &ours).await;
        counted(&alpha, &bob, &id, "favourites_count", 1).await;
        deliver(&alpha, &mastodon, "mastodon/announce_boost.json", m, &ours).await;
        counted(&alpha, &bob, &id, "reblogs_count", 1).await;

        // A Mastodon post, then its Delete (a Tombstone): gone here.
        let note = deliver(&alpha, &mastodon, "mastodon/create_note.json", m, &[]).await;
        let uri = note["object"]["id"].as_str().expect("id").to_string();
        let local = eventually(15, "the Mastodon post here", || async {
            let (_, list) = alpha.get("/api/v1/notifications", Some(&bob)).await;
            list.as_array()?
                .iter()
                .find(|n| n["status"]["uri"] == uri.as_str())
                .and_then(|n| n["status"]["id"].as_str().map(String::from))
        })
        .await;
        deliver(&alpha, &mastodon, "mastodon/delete.json", m, &[]).await;
        eventually(15, "the deleted post gone", || async {
            let (status, _) = alpha
                .get(&format!("/api/v1/statuses/{local}"), Some(&bob))
                .await;
            (status == 404).then_some(())
        })
        .await;

        // A follow, then its Undo: bob has no follower left.
        deliver(&alpha, &mastodon, "mastodon/follow.json", m, &[]).await;
        let followers = |n: i64| {
            let (alpha, bob) = (&alpha, &bob);
            async move {
                eventually(15, &format!("{n} followers"), || async {
                    let (_, me) = alpha
                        .get("/api/v1/accounts/verify_credentials", Some(bob))
                        .await;
                    (me["followers_count"] == n).then_some(())
                })
                .await
            }
        };
        followers(1).await;
        deliver(&alpha, &mastodon, "mastodon/undo_follow.json", m, &[]).await;
        followers(0).await;
    }
}
