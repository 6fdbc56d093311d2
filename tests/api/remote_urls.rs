//! Remote URLs shown to people are http(s) only: a `javascript:` link or a
//! `data:` avatar from another server is dropped when stored (issue #16).

use activitypub_federation::traits::Object;
use passerelle::{
    federation::{
        objects::{actor::DbActor, received},
        protocol::{actor::ApActor, post::ApPost},
    },
    service::statuses::accept_remote,
};
use serde_json::json;

use crate::{
    backend_tests,
    helpers::{Backend, json, spawn_app},
};

async fn hostile_urls_are_dropped(backend: Backend) {
    let app = spawn_app(backend).await;
    let data = app.state.fed();
    let eve = "https://remote.example/users/eve";
    let actor: ApActor = serde_json::from_value(json!({
        "id": eve,
        "type": "Person",
        "preferredUsername": "eve",
        "inbox": format!("{eve}/inbox"),
        "url": "javascript:alert(1)",
        "icon": {"type": "Image", "url": "data:text/html,<script>alert(1)</script>"},
        "image": {"type": "Image", "url": "javascript:alert(2)"},
        "publicKey": {
            "id": format!("{eve}#main-key"),
            "owner": eve,
            "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        },
    }))
    .unwrap();
    DbActor::from_json(actor, &data).await.unwrap();
    let note = "https://remote.example/notes/1";
    let post: ApPost = serde_json::from_value(json!({
        "id": note,
        "type": "Note",
        "attributedTo": eve,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "content": "<p>click me</p>",
        "url": "javascript:alert(3)",
        "attachment": [{"type": "Document", "mediaType": "image/png", "url": "javascript:alert(4)"}],
    }))
    .unwrap();
    let status = accept_remote(&data, received::post(&post), None)
        .await
        .unwrap();

    let (code, s) = json(app.get(&format!("/api/v1/statuses/{}", status.id)).await).await;
    assert_eq!(code, 200, "{s}");
    assert_eq!(s["url"], note, "the status url falls back to its id");
    assert_eq!(s["media_attachments"], json!([]));
    let account = &s["account"];
    let avatar = account["avatar"].as_str().unwrap();
    assert!(
        avatar.starts_with(&app.base),
        "the default avatar: {avatar}"
    );
    let header = account["header"].as_str().unwrap();
    assert!(!header.contains("javascript"), "{header}");
    assert!(
        !account["url"].as_str().unwrap_or("").contains("javascript"),
        "{account}"
    );
}

/// NUL characters (which PostgreSQL refuses in text) in a remote actor and
/// status are dropped, not a database error retried forever.
async fn nul_characters_are_dropped(backend: Backend) {
    let app = spawn_app(backend).await;
    let data = app.state.fed();
    let nul = "https://remote.example/users/nul";
    let actor: ApActor = serde_json::from_value(json!({
        "id": nul, "type": "Person", "preferredUsername": "nu\u{0}l",
        "name": "Nu\u{0}ll", "summary": "<p>a\u{0}b</p>",
        "inbox": format!("{nul}/inbox"),
        "attachment": [{"type": "PropertyValue", "name": "k\u{0}", "value": "v\u{0}"}],
        "publicKey": {"id": format!("{nul}#main-key"), "owner": nul,
            "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"},
    }))
    .unwrap();
    DbActor::from_json(actor, &data).await.unwrap();
    let post: ApPost = serde_json::from_value(json!({
        "id": "https://remote.example/notes/nul", "type": "Page", "attributedTo": nul,
        "to": ["https://www.w3.org/ns/activitystreams#Public"],
        "name": "Ti\u{0}tle", "summary": "c\u{0}w", "content": "<p>te\u{0}xt</p>",
        "source": {"content": "te\u{0}xt", "mediaType": "text/markdown"},
    }))
    .unwrap();
    let status = accept_remote(&data, received::post(&post), None)
        .await
        .unwrap();
    let (code, s) = json(app.get(&format!("/api/v1/statuses/{}", status.id)).await).await;
    assert_eq!(code, 200, "{s}");
    assert_eq!(s["spoiler_text"], "cw");
    assert_eq!(s["account"]["display_name"], "Null");
    assert!(!s.to_string().contains("\\u0000"), "{s}");
}

backend_tests!(hostile_urls_are_dropped, nul_characters_are_dropped);
