//! A remote account our administrator suspended: its server's activities are
//! refused (no status, no notification) and what it already caused is hidden,
//! until it is reinstated; its own account deletion still goes through.

use federation_tests::{Backend, Instance, eventually, fake::Remote};
use serde_json::{Value, json};

async fn notifications(alpha: &Instance, token: &str) -> Vec<Value> {
    let (status, list) = alpha.get("/api/v1/notifications", Some(token)).await;
    assert_eq!(status, 200, "{list}");
    list.as_array().unwrap().clone()
}

fn mention(spammer: &Remote, alice_uri: &str, n: u32) -> Value {
    let note = json!({
        "id": format!("{}/notes/{n}", spammer.actor),
        "type": "Note",
        "attributedTo": spammer.actor,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "cc": [alice_uri],
        "tag": [{"type": "Mention", "href": alice_uri}],
        "content": format!("<p>Buy now, offer {n}</p>"),
    });
    json!({"id": format!("{}/create/{n}", spammer.actor), "type": "Create",
           "actor": spammer.actor, "to": note["to"], "cc": note["cc"], "object": note})
}

async fn scenario(backend: Backend) {
    let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
    let alice = alpha
        .create_user("alice", "alice password", "read write follow")
        .await
        .unwrap();
    let admin = alpha.admin_token("ops", "read admin:write").await.unwrap();
    let alice_uri = format!("{}/users/alice", alpha.base);
    let inbox = alpha.url("/inbox");
    let spammer = Remote::start("spammer").await.unwrap();

    assert_eq!(
        spammer
            .send(&inbox, &mention(&spammer, &alice_uri, 1))
            .await,
        202
    );
    let spammer_id = eventually(15, "alice is notified", || async {
        notifications(&alpha, &alice).await.first().and_then(|n| {
            (n["type"] == "mention").then(|| n["account"]["id"].as_str().unwrap().to_string())
        })
    })
    .await;

    let action = format!("/api/v1/admin/accounts/{spammer_id}/action");
    let (status, r) = alpha
        .post(&action, &admin, json!({"type": "suspend"}))
        .await;
    assert_eq!(status, 200, "{r}");
    // At once: refused at the inbox, so nothing is stored or notified.
    assert_eq!(
        spammer
            .send(&inbox, &mention(&spammer, &alice_uri, 2))
            .await,
        403
    );
    let follow = json!({"id": format!("{}/follow/1", spammer.actor), "type": "Follow",
                        "actor": spammer.actor, "object": alice_uri});
    assert_eq!(spammer.send(&inbox, &follow).await, 403);
    alpha.settled().await;
    assert!(
        notifications(&alpha, &alice).await.is_empty(),
        "a suspended account's notifications are hidden"
    );

    // Reinstated: what it did before shows again, and it is heard again.
    let (status, r) = alpha
        .post(
            &format!("/api/v1/admin/accounts/{spammer_id}/unsuspend"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(notifications(&alpha, &alice).await.len(), 1);
    assert_eq!(
        spammer
            .send(&inbox, &mention(&spammer, &alice_uri, 3))
            .await,
        202
    );
    eventually(15, "the new mention arrives", || async {
        (notifications(&alpha, &alice).await.len() == 2).then_some(())
    })
    .await;

    // Suspended again, it may still delete its account: erased here.
    let (status, _) = alpha
        .post(&action, &admin, json!({"type": "suspend"}))
        .await;
    assert_eq!(status, 200);
    let delete = json!({"id": format!("{}/delete/1", spammer.actor), "type": "Delete",
                        "actor": spammer.actor, "object": spammer.actor});
    assert_eq!(spammer.send(&inbox, &delete).await, 202);
    eventually(15, "the account is erased", || async {
        let (status, _) = alpha
            .get(&format!("/api/v1/accounts/{spammer_id}"), Some(&alice))
            .await;
        (status == 404).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspended_remote_account_is_not_heard() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}
