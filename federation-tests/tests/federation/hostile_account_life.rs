//! Hostile blocks and account deletions from another server: a `Block` or a
//! `Delete` of an account in someone else's name changes nothing; the genuine
//! ones take effect.

use federation_tests::{
    Backend, Instance, eventually,
    fake::{Remote, Signing},
};
use serde_json::{Value, json};

async fn followers(alpha: &Instance, token: &str, id: &str) -> Vec<Value> {
    let (status, list) = alpha
        .get(&format!("/api/v1/accounts/{id}/followers"), Some(token))
        .await;
    assert_eq!(status, 200, "{list}");
    list.as_array().unwrap().clone()
}

async fn scenario(backend: Backend) {
    let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
    let alice = alpha
        .create_user("alice", "alice password", "read write follow")
        .await
        .unwrap();
    let (_, me) = alpha
        .get("/api/v1/accounts/verify_credentials", Some(&alice))
        .await;
    let alice_id = me["id"].as_str().unwrap().to_string();
    let alice_uri = format!("{}/users/alice", alpha.base);
    let inbox = alpha.url("/inbox");
    let mallory = Remote::start("mallory").await.unwrap();
    let victim = Remote::start("victim").await.unwrap();

    let follow = json!({"id": format!("{}/follow/1", victim.actor), "type": "Follow",
                        "actor": victim.actor, "object": alice_uri});
    assert_eq!(victim.send(&inbox, &follow).await, 202);
    let victim_id = eventually(15, "the victim follows alice", || async {
        followers(&alpha, &alice, &alice_id)
            .await
            .first()
            .and_then(|a| a["id"].as_str().map(String::from))
    })
    .await;
    let relationship = || alpha.relationship(&alice, &victim_id);

    // In the victim's name, signed by mallory: a block and an account deletion.
    let forged_block = json!({"id": format!("{}/block/1", mallory.actor), "type": "Block",
                              "actor": victim.actor, "object": alice_uri});
    let forged_delete = json!({"id": format!("{}/delete/1", mallory.actor), "type": "Delete",
                               "actor": victim.actor, "object": victim.actor});
    for forged in [&forged_block, &forged_delete] {
        let status = mallory
            .fake
            .post(
                &inbox,
                &mallory.actor,
                &mallory.keys,
                forged,
                Signing::Valid,
            )
            .await
            .unwrap();
        assert!(status >= 400, "{}: {status}", forged["type"]);
    }
    // Mallory deleting the victim's account in mallory's own name: no effect.
    let own_name = json!({"id": format!("{}/delete/2", mallory.actor), "type": "Delete",
                          "actor": mallory.actor, "object": victim.actor});
    mallory.send(&inbox, &own_name).await;
    alpha.settled().await;
    assert_eq!(followers(&alpha, &alice, &alice_id).await.len(), 1);
    assert_eq!(relationship().await["blocked_by"], false);

    // The victim's own block: the follow ends, alice sees blocked_by; undone.
    let block = json!({"id": format!("{}/block/2", victim.actor), "type": "Block",
                       "actor": victim.actor, "object": alice_uri});
    assert_eq!(victim.send(&inbox, &block).await, 202);
    eventually(15, "the block takes effect", || async {
        let r = relationship().await;
        (r["blocked_by"] == true && r["followed_by"] == false).then_some(())
    })
    .await;
    let undo = json!({"id": format!("{}/undo/1", victim.actor), "type": "Undo",
                      "actor": victim.actor, "object": block});
    assert_eq!(victim.send(&inbox, &undo).await, 202);
    eventually(15, "the block is lifted", || async {
        (relationship().await["blocked_by"] == false).then_some(())
    })
    .await;

    // The victim's own deletion: gone from alpha.
    let delete = json!({"id": format!("{}/delete/3", victim.actor), "type": "Delete",
                        "actor": victim.actor, "object": victim.actor});
    assert_eq!(victim.send(&inbox, &delete).await, 202);
    eventually(15, "the account is erased", || async {
        let (status, _) = alpha
            .get(&format!("/api/v1/accounts/{victim_id}"), Some(&alice))
            .await;
        (status == 404).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocks_and_deletions_in_someone_elses_name_change_nothing() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}
