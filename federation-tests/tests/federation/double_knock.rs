//! RFC 9421 signatures from a server that signs with them, and double knocking:
//! deliveries to such a server try RFC 9421 first and fall back to draft-cavage
//! at once when it refuses, then stay with draft-cavage.

use federation_tests::{
    Backend, Instance, eventually,
    fake::{Behaviour, Remote, Signing},
};
use serde_json::json;

fn posts(remote: &Remote) -> Vec<String> {
    remote
        .fake
        .captured()
        .into_iter()
        .filter(|c| c.starts_with("POST "))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_rfc9421_deliveries_fall_back_to_draft_cavage() {
    for backend in Backend::available() {
        let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
        let alice = alpha
            .create_user("alice", "alice password", "read write follow")
            .await
            .expect("alice");
        let devs = alpha.create_community(&alice, "devs", "public").await;
        let group = alpha.url("/c/devs");
        let remote = Remote::start("mallory").await.expect("fake");
        remote.fake.set_behaviour(Behaviour::RefuseRfc9421);

        // mallory joins with an RFC 9421 signature: taken, and its server is
        // now tried with RFC 9421 first.
        let follow = json!({"id": format!("{}/follows/1", remote.fake.base), "type": "Follow",
            "actor": remote.actor, "object": group});
        let status = remote
            .fake
            .post(
                &format!("{group}/inbox"),
                &remote.actor,
                &remote.keys,
                &follow,
                Signing::Rfc9421,
            )
            .await
            .expect("post");
        assert_eq!(status, 202, "{}", alpha.log());
        eventually(15, "the Accept", || async {
            remote.got("Accept", &group).then_some(())
        })
        .await;
        let knocks = posts(&remote);
        assert!(knocks[0].contains("signature-input:"), "{knocks:?}");
        let delivered = knocks.last().expect("a delivery");
        assert!(
            !delivered.contains("signature-input:") && delivered.contains("\ndigest:"),
            "{delivered}"
        );

        // The refusal is remembered: the next delivery goes as draft-cavage at once.
        let before = knocks.len();
        let (s, _) = alpha
            .post(
                &format!("/api/passerelle/v1/communities/{devs}/threads"),
                &alice,
                json!({"title": "Plain knock", "body": "x"}),
            )
            .await;
        assert_eq!(s, 200);
        eventually(15, "the thread's Announce", || async {
            remote.got("Announce", &group).then_some(())
        })
        .await;
        let later = &posts(&remote)[before..];
        assert!(!later.is_empty());
        assert!(
            later.iter().all(|p| !p.contains("signature-input:")),
            "{later:?}"
        );
    }
}
