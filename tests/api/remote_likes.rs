//! A remote `Like` counts only when its author may see the status (issue #16).

use activitypub_federation::traits::Object;
use passerelle::{
    db::statuses::Status,
    federation::{objects::actor::DbActor, protocol::actor::ApActor},
    service::statuses::favourite_remote,
};
use serde_json::json;

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, spawn_app},
};

pub(crate) async fn remote_person(app: &TestApp, name: &str) -> passerelle::db::actors::Actor {
    let id = format!("https://remote.example/users/{name}");
    let actor: ApActor = serde_json::from_value(json!({
        "id": id,
        "type": "Person",
        "preferredUsername": name,
        "inbox": format!("{id}/inbox"),
        "publicKey": {
            "id": format!("{id}#main-key"),
            "owner": id,
            "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        },
    }))
    .unwrap();
    DbActor::from_json(actor, &app.state.fed())
        .await
        .unwrap()
        .row
}

async fn post(app: &TestApp, token: &str, visibility: &str) -> i64 {
    let (code, s) = app
        .post_json(
            token,
            "/api/v1/statuses",
            json!({"status": "hello", "visibility": visibility}),
        )
        .await;
    assert_eq!(code, 200, "{s}");
    s["id"].as_str().unwrap().parse().unwrap()
}

/// A `Like` as the inbox receives it.
fn like(id: &str) -> serde_json::Value {
    json!({"id": id, "type": "Like"})
}

async fn row(app: &TestApp, id: i64) -> Status {
    app.state
        .db
        .run(move |c| Ok(passerelle::db::statuses::by_id(c, id)?.unwrap()))
        .await
        .unwrap()
}

async fn likes_of_unseen_statuses_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let eve = remote_person(&app, "eve").await;
    let data = app.state.fed();
    for visibility in ["private", "direct"] {
        let id = post(&app, &alice, visibility).await;
        let status = row(&app, id).await;
        let refused =
            favourite_remote(&data, &eve, &status, like("https://remote.example/likes/1"))
                .await
                .expect_err("a stranger's like is refused");
        assert_eq!(refused.status, 403, "{visibility}");
        let after = row(&app, id).await;
        assert_eq!(after.favourites_count, 0, "{visibility} like was counted");
    }
    // A public one is liked as before.
    let id = post(&app, &alice, "public").await;
    let status = row(&app, id).await;
    assert!(
        favourite_remote(&data, &eve, &status, like("https://remote.example/likes/2"))
            .await
            .unwrap()
    );
    assert_eq!(row(&app, id).await.favourites_count, 1);
}

backend_tests!(likes_of_unseen_statuses_are_refused);
