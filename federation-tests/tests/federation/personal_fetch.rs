//! A fetch signed by a person, of what is addressed to people: found with a real
//! GoToSocial (issue #18), which signs each fetch with the key of the user it
//! fetches for. A server that hosts one member may read a members community's
//! threads, but its other users may not, nor read a followers-only post of
//! someone they do not follow: the same rule as on this instance's pages.

use federation_tests::{
    Backend, Instance,
    fake::{Remote, Signing, new_keys},
};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_read_only_what_is_addressed_to_them() {
    for backend in Backend::available() {
        let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
        let alice = alpha
            .create_user("alice", "alice password", "read write follow")
            .await
            .expect("alice");
        let board = alpha.create_community(&alice, "board", "members").await;

        // One server: mia (a member, and alice's follower), nick (neither), and
        // the server's own actor.
        let mia = Remote::start("mia").await.expect("fake");
        let nick_keys = new_keys().expect("keys");
        let nick = mia.fake.add_actor("nick", &nick_keys);
        let server_keys = new_keys().expect("keys");
        let server = mia.fake.add_service("instance", &server_keys);
        assert_eq!(mia.follow(&alpha.url("/c/board")).await, 202);
        alpha.settled().await;
        alpha.approve_first_request(&alice, &board).await;
        assert_eq!(mia.follow(&alpha.url("/users/alice")).await, 202);
        alpha.settled().await;

        let (status, thread) = alpha
            .post(
                &format!("/api/passerelle/v1/communities/{board}/threads"),
                &alice,
                json!({"title": "Budget", "body": "For the board"}),
            )
            .await;
        assert_eq!(status, 200, "{thread}");
        let (status, post) = alpha
            .post(
                "/api/v1/statuses",
                &alice,
                json!({"status": "Followers only", "visibility": "private"}),
            )
            .await;
        assert_eq!(status, 200, "{post}");

        for document in [&thread, &post] {
            let url = document["uri"].as_str().expect("uri");
            let get = |actor: &str, keys| {
                let fake = &mia.fake;
                let actor = actor.to_string();
                async move { fake.get(url, &actor, keys, Signing::Valid).await }
            };
            let by_mia = get(&mia.actor, &mia.keys).await.expect("get").0;
            let by_nick = get(&nick, &nick_keys).await.expect("get").0;
            let by_server = get(&server, &server_keys).await.expect("get").0;
            assert_eq!(by_mia, 200, "{url}: the member and follower reads it");
            assert_eq!(by_nick, 404, "{url}: her neighbour may not");
            assert_eq!(by_server, 200, "{url}: their server, for its people, may");
        }
    }
}
