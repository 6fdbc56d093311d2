//! WebFinger, actors, collections, NodeInfo, host-meta, instance entities.

use passerelle::{
    model::visibility::CommunityVisibility,
    service::communities::{NewCommunity, create_community},
};
use serde_json::json;

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

async fn community(app: &TestApp, name: &str, visibility: CommunityVisibility) {
    create_community(
        &app.state,
        NewCommunity {
            name: name.into(),
            owner: "alice".into(),
            title: Some(format!("The {name} team")),
            visibility,
        },
    )
    .await
    .expect("community");
}

async fn webfinger_people_and_communities(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_token("alice", "read").await;
    community(&app, "devs", CommunityVisibility::Public).await;
    community(&app, "secret", CommunityVisibility::Internal).await;

    let resp = app
        .get(&format!(
            "/.well-known/webfinger?resource=acct:alice@{}",
            app.domain
        ))
        .await;
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .is_ok_and(|c| c.starts_with("application/jrd+json"))
    );
    let (status, body) = json(resp).await;
    assert_eq!(status, 200);
    assert_eq!(body["subject"], format!("acct:alice@{}", app.domain));
    let self_link = body["links"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["rel"] == "self"))
        .expect("self link");
    assert_eq!(self_link["type"], "application/activity+json");
    assert_eq!(self_link["href"], app.url("/users/alice"));
    assert!(body["links"].as_array().is_some_and(|l| {
        l.iter()
            .any(|l| l["rel"] == "http://webfinger.net/rel/profile-page")
    }));

    let (status, body) = json(
        app.get(&format!(
            "/.well-known/webfinger?resource=acct:devs@{}",
            app.domain
        ))
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["links"][0]["href"], app.url("/c/devs"));
    assert_eq!(
        body["links"][0]["properties"]["https://www.w3.org/ns/activitystreams#type"],
        "Group"
    );
    // By actor URL too, and case-insensitively on the name.
    let (status, _) = json(
        app.get(&format!(
            "/.well-known/webfinger?resource={}",
            app.url("/users/alice")
        ))
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = json(
        app.get(&format!(
            "/.well-known/webfinger?resource=acct:ALICE@{}",
            app.domain
        ))
        .await,
    )
    .await;
    assert_eq!(status, 200);

    for (resource, expected) in [
        (format!("acct:secret@{}", app.domain), 404),
        (format!("acct:nobody@{}", app.domain), 404),
        ("acct:alice@other.example".to_string(), 404),
        ("acct:alice".to_string(), 400),
        ("acct:a@b@c".to_string(), 400),
        (String::new(), 400),
    ] {
        let (status, body) = json(
            app.get(&format!("/.well-known/webfinger?resource={resource}"))
                .await,
        )
        .await;
        assert_eq!(status, expected, "{resource}: {body}");
        assert!(body["error"].is_string());
    }
    let (status, _) = json(app.get("/.well-known/webfinger").await).await;
    assert_eq!(status, 400);
}

async fn actors_are_activitypub_documents(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_token("alice", "read").await;
    community(&app, "devs", CommunityVisibility::Public).await;
    community(&app, "board", CommunityVisibility::Members).await;
    community(&app, "suppliers", CommunityVisibility::Partners).await;
    community(&app, "secret", CommunityVisibility::Internal).await;

    let resp = app.get_ap("/users/alice").await;
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .is_ok_and(|c| c.starts_with("application/activity+json"))
    );
    let (status, person) = json(resp).await;
    assert_eq!(status, 200);
    assert_eq!(person["type"], "Person");
    assert_eq!(person["id"], app.url("/users/alice"));
    assert_eq!(person["preferredUsername"], "alice");
    assert_eq!(person["inbox"], app.url("/users/alice/inbox"));
    assert_eq!(person["endpoints"]["sharedInbox"], app.url("/inbox"));
    assert_eq!(person["@context"][1], "https://w3id.org/security/v1");
    assert_eq!(person["publicKey"]["id"], app.url("/users/alice#main-key"));
    assert_eq!(person["publicKey"]["owner"], app.url("/users/alice"));
    let pem = person["publicKey"]["publicKeyPem"].as_str().expect("pem");
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"), "{pem}");
    {
        use rsa::pkcs8::DecodePublicKey;
        rsa::RsaPublicKey::from_public_key_pem(pem).expect("valid SPKI key");
    }

    // The other media type peers use.
    let resp = app
        .client
        .get(app.url("/users/alice"))
        .header(
            "Accept",
            "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
        )
        .send()
        .await
        .expect("ld");
    assert_eq!(resp.status(), 200);
    // Browsers get HTML.
    let resp = app
        .client
        .get(app.url("/users/alice"))
        .header("Accept", "text/html")
        .send()
        .await
        .expect("html");
    assert_eq!(resp.status(), 303);
    let page = app.get("/@alice").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("page").contains("alice"));

    let (status, group) = json(app.get_ap("/c/devs").await).await;
    assert_eq!(status, 200);
    assert_eq!(group["type"], "Group");
    assert_eq!(group["name"], "The devs team");
    assert_eq!(group["manuallyApprovesFollowers"], false);
    assert_eq!(group["visibility"], "public");
    assert_eq!(group["attributedTo"], app.url("/c/devs/moderators"));
    let (status, mods) = json(app.get_ap("/c/devs/moderators").await).await;
    assert_eq!(status, 200);
    assert_eq!(mods["orderedItems"], json!([app.url("/users/alice")]));

    // A members-only community shows an unsigned reader that it exists, and its
    // key, nothing more; its collections are named (Lemmy reads no group
    // without them) but need a member's signature.
    let (status, board) = json(app.get_ap("/c/board").await).await;
    assert_eq!(status, 200);
    assert_eq!(board["type"], "Group");
    assert_eq!(board["manuallyApprovesFollowers"], true);
    assert!(board["publicKey"]["publicKeyPem"].is_string());
    assert_eq!(board["outbox"], app.url("/c/board/outbox"));
    // A partners community is private as Lemmy reads groups: it approves
    // (partners' servers at once), so it may take members-only posts.
    let (_, suppliers) = json(app.get_ap("/c/suppliers").await).await;
    assert_eq!(suppliers["manuallyApprovesFollowers"], true, "{suppliers}");
    assert_eq!(board["followers"], app.url("/c/board/followers"));
    for hidden in ["name", "summary", "attributedTo", "visibility"] {
        assert!(board.get(hidden).is_none(), "{hidden} shown: {board}");
    }
    for collection in ["outbox", "followers", "moderators"] {
        let (status, body) = json(app.get_ap(&format!("/c/board/{collection}")).await).await;
        assert_eq!(status, 401, "{collection}: {body}");
        assert!(body["error"].is_string());
    }
    // Browsers go to the community's web page, which applies their own access.
    let page = app.get("/c/board").await;
    assert_eq!(page.headers()["location"], "/communities/board");

    // Internal communities are not served to anyone over ActivityPub.
    assert_eq!(app.get_ap("/c/secret").await.status(), 404);
    assert_eq!(app.get_ap("/c/secret/followers").await.status(), 404);
    assert_eq!(app.get("/communities/secret").await.status(), 404);
    // A person is not a group and the other way round.
    assert_eq!(app.get_ap("/c/alice").await.status(), 404);
    assert_eq!(app.get_ap("/users/devs").await.status(), 404);
    assert_eq!(app.get_ap("/users/nobody").await.status(), 404);

    let (status, instance_actor) = json(app.get_ap("/actor").await).await;
    assert_eq!(status, 200);
    assert_eq!(instance_actor["type"], "Application");
    assert!(instance_actor["publicKey"]["publicKeyPem"].is_string());
    // It advertises no collection it does not serve (GoToSocial follows them).
    for field in ["outbox", "followers", "following", "featured"] {
        assert!(
            instance_actor.get(field).is_none(),
            "{field}: {instance_actor}"
        );
    }
}

async fn collections_are_paged(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_token("alice", "read").await;
    community(&app, "devs", CommunityVisibility::Public).await;
    let (status, followers) = json(app.get_ap("/c/devs/followers").await).await;
    assert_eq!(status, 200);
    assert_eq!(followers["type"], "OrderedCollection");
    assert_eq!(followers["totalItems"], 1);
    let first = followers["first"]
        .as_str()
        .expect("first")
        .replace(&app.base, "");
    let (status, page) = json(app.get_ap(&first).await).await;
    assert_eq!(status, 200);
    assert_eq!(page["type"], "OrderedCollectionPage");
    assert_eq!(page["orderedItems"], json!([app.url("/users/alice")]));
    let (_, following) = json(app.get_ap("/users/alice/following").await).await;
    assert_eq!(following["totalItems"], 1);
    let (status, outbox) = json(app.get_ap("/users/alice/outbox").await).await;
    assert_eq!(status, 200);
    assert_eq!(outbox["totalItems"], 0);
    assert_eq!(app.get_ap("/users/alice/elsewhere").await.status(), 404);
}

async fn nodeinfo_and_host_meta(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_token("alice", "read").await;
    app.user_with_token("bob", "read").await;
    let (status, links) = json(app.get("/.well-known/nodeinfo").await).await;
    assert_eq!(status, 200);
    assert_eq!(
        links["links"][0]["rel"],
        "http://nodeinfo.diaspora.software/ns/schema/2.1"
    );
    let href = links["links"][0]["href"]
        .as_str()
        .expect("href")
        .replace(&app.base, "");
    let (status, info) = json(app.get(&href).await).await;
    assert_eq!(status, 200);
    assert_eq!(info["version"], "2.1");
    assert_eq!(info["software"]["name"], "passerelle");
    assert_eq!(info["protocols"], json!(["activitypub"]));
    assert_eq!(info["usage"]["users"]["total"], 2);
    assert_eq!(info["openRegistrations"], false);
    // Schema 2.0 too (Elk asks for it on every page), without 2.1's fields.
    assert_eq!(links["links"][1]["href"], app.url("/nodeinfo/2.0"));
    let resp = app.get("/nodeinfo/2.0").await;
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .expect("type")
            .contains("schema/2.0#")
    );
    let (status, old) = json(resp).await;
    assert_eq!(status, 200);
    assert_eq!(old["version"], "2.0");
    assert!(old["software"].get("repository").is_none(), "{old}");
    assert_eq!(old["usage"], info["usage"]);
    let resp = app.get("/.well-known/host-meta").await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.text()
            .await
            .expect("xml")
            .contains("/.well-known/webfinger?resource={uri}")
    );
}

async fn instance_entities_with_branding(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_token("alice", "read").await;
    // Trailing slashes, as some clients send them.
    let (status, v1) = json(app.get("/api/v1/instance/").await).await;
    assert_eq!(status, 200);
    assert_eq!(v1["uri"], app.domain);
    assert_eq!(v1["title"], "Test instance");
    assert!(
        v1["version"]
            .as_str()
            .is_some_and(|v| v.starts_with("4.2.0 (compatible; Passerelle "))
    );
    assert_eq!(v1["stats"]["user_count"], 1);
    let (status, v2) = json(app.get("/api/v2/instance").await).await;
    assert_eq!(status, 200);
    assert_eq!(v2["domain"], app.domain);
    assert!(
        v2["configuration"]["urls"]["streaming"]
            .as_str()
            .is_some_and(|u| u.starts_with("ws"))
    );
    assert!(v2["configuration"]["statuses"]["max_characters"].is_number());
    assert!(v2["configuration"]["polls"]["max_options"].is_number());
    assert!(v2["configuration"]["media_attachments"]["image_size_limit"].is_number());
    assert_eq!(v2["passerelle"]["branding"]["accent_color"], "#2b59c3");
    assert_eq!(v2["registrations"]["enabled"], false);
    let logo = v2["thumbnail"]["url"]
        .as_str()
        .expect("thumbnail")
        .replace(&app.base, "");
    let resp = app.get(&logo).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
}

async fn healthz_checks_the_database(backend: Backend) {
    let app = spawn_app(backend).await;
    let (status, body) = json(app.get("/healthz").await).await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
}

backend_tests!(
    webfinger_people_and_communities,
    actors_are_activitypub_documents,
    collections_are_paged,
    nodeinfo_and_host_meta,
    instance_entities_with_branding,
    healthz_checks_the_database,
);
