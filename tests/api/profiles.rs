//! Profiles and the social graph: update_credentials (name, note, fields,
//! pictures, approval of followers), follow requests, followers and following,
//! familiar followers, account search.

use image::{ImageEncoder, Rgb, RgbImage, codecs::png::PngEncoder};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

pub(crate) fn png(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| Rgb([(x % 200) as u8, (y % 200) as u8, 40]));
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

async fn patch_multipart(app: &TestApp, token: &str, form: Form) -> (u16, Value) {
    json(
        app.client
            .patch(app.url("/api/v1/accounts/update_credentials"))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn patch(app: &TestApp, token: &str, body: Value) -> (u16, Value) {
    json(
        app.client
            .patch(app.url("/api/v1/accounts/update_credentials"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn profiles_are_edited(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let reader = app.user_with_token("reader", "read").await;

    let (status, me) = patch(
        &app,
        &alice,
        json!({"display_name": "Alice Martin", "note": "Buyer, <b>rail</b> freight https://example.com",
               "fields_attributes": [{"name": "Department", "value": "Purchasing"},
                                     {"name": "Skills", "value": "Logistics, rail"}]}),
    )
    .await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["display_name"], "Alice Martin");
    let note = me["note"].as_str().unwrap();
    assert!(
        note.contains("&lt;b&gt;") && note.contains("<a href=\"https://example.com\""),
        "{note}"
    );
    assert_eq!(
        me["source"]["note"],
        "Buyer, <b>rail</b> freight https://example.com"
    );
    assert_eq!(me["fields"][0]["name"], "Department");
    assert_eq!(me["source"]["fields"][1]["value"], "Logistics, rail");
    // Form encoding with Rails-style indexes, as Mastodon.py and Tusky send it.
    let (status, me) = json(
        app.client
            .patch(app.url("/api/v1/accounts/update_credentials"))
            .bearer_auth(&alice)
            .form(&[
                ("fields_attributes[1][name]", "Location"),
                ("fields_attributes[1][value]", "Lyon"),
                ("fields_attributes[0][name]", "Role"),
                ("fields_attributes[0][value]", "Buyer"),
                ("locked", "true"),
            ])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{me}");
    let fields: Vec<&str> = me["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["Role", "Location"]);
    assert_eq!(
        (me["locked"].clone(), me["display_name"].clone()),
        (json!(true), json!("Alice Martin"))
    );

    // Pictures, multipart: fitted to their shape and served here.
    let form = Form::new()
        .part(
            "avatar",
            Part::bytes(png(900, 600))
                .file_name("me.png")
                .mime_str("image/png")
                .unwrap(),
        )
        .part(
            "header",
            Part::bytes(png(800, 800))
                .file_name("h.png")
                .mime_str("image/png")
                .unwrap(),
        )
        .text("display_name", "Alice M.");
    let (status, me) = patch_multipart(&app, &alice, form).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["display_name"], "Alice M.");
    let avatar = app
        .client
        .get(me["avatar"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(avatar.status(), 200);
    let avatar = image::load_from_memory(&avatar.bytes().await.unwrap()).unwrap();
    assert_eq!((avatar.width(), avatar.height()), (400, 400));
    let header = app
        .client
        .get(me["header"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let header = image::load_from_memory(&header.bytes().await.unwrap()).unwrap();
    assert_eq!((header.width(), header.height()), (1500, 500));
    // Others see the new profile.
    let id = me["id"].as_str().unwrap();
    let (_, seen) = json(app.get(&format!("/api/v1/accounts/{id}")).await).await;
    assert_eq!(
        (seen["avatar"].clone(), seen["fields"][1]["value"].clone()),
        (me["avatar"].clone(), json!("Lyon"))
    );

    // Bad input: too long, too many fields, not an image, no scope.
    for (body, why) in [
        (json!({"display_name": "x".repeat(101)}), "long name"),
        (json!({"note": "x".repeat(2001)}), "long note"),
        (
            json!({"fields_attributes": [{"name": "a", "value": "1"}, {"name": "b", "value": "2"}, {"name": "c", "value": "3"}, {"name": "d", "value": "4"}, {"name": "e", "value": "5"}]}),
            "five fields",
        ),
        (json!({"fields_attributes": "Department"}), "not a list"),
    ] {
        let (status, e) = patch(&app, &alice, body).await;
        assert_eq!(status, 422, "{why}: {e}");
    }
    let form = Form::new().part(
        "avatar",
        Part::bytes(b"<svg/>".to_vec())
            .file_name("a.svg")
            .mime_str("image/svg+xml")
            .unwrap(),
    );
    let (status, _) = patch_multipart(&app, &alice, form).await;
    assert_eq!(status, 422);
    let (status, _) = patch(&app, &reader, json!({"display_name": "x"})).await;
    assert_eq!(status, 403);
    let (_, me) = json(
        app.get_auth("/api/v1/accounts/verify_credentials", &alice)
            .await,
    )
    .await;
    assert_eq!(
        me["display_name"], "Alice M.",
        "failed updates changed nothing"
    );

    // A new avatar replaces the old file; the header is left as it was.
    let status_of = |url: Value| {
        let client = app.client.clone();
        async move {
            let resp = client.get(url.as_str().unwrap()).send().await.unwrap();
            resp.status().as_u16()
        }
    };
    let form = Form::new().part(
        "avatar",
        Part::bytes(png(100, 100))
            .file_name("new.png")
            .mime_str("image/png")
            .unwrap(),
    );
    let (status, after) = patch_multipart(&app, &alice, form).await;
    assert_eq!(status, 200, "{after}");
    assert_ne!(after["avatar"], me["avatar"]);
    assert_eq!(status_of(after["avatar"].clone()).await, 200);
    assert_eq!(status_of(me["avatar"].clone()).await, 404, "old file kept");
    assert_eq!(after["header"], me["header"]);

    // Removing the header (Mastodon 4.2's DELETE /api/v1/profile/header).
    let resp = app.delete_auth("/api/v1/profile/header", &reader).await;
    assert_eq!(resp.status(), 403, "write:accounts is needed");
    let (status, gone) = json(app.delete_auth("/api/v1/profile/header", &alice).await).await;
    assert_eq!(status, 200, "{gone}");
    assert_ne!(gone["header"], me["header"]);
    assert_eq!(status_of(me["header"].clone()).await, 404);
    assert_eq!(gone["avatar"], after["avatar"], "the avatar stays");
    let (status, gone) = json(app.delete_auth("/api/v1/profile/avatar", &alice).await).await;
    assert_eq!(status, 200, "{gone}");
    assert_eq!(status_of(after["avatar"].clone()).await, 404);
    // The defaults are served, whatever they are.
    assert_eq!(status_of(gone["avatar"].clone()).await, 200);
}

async fn follow_requests_and_lists(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let carol = app.user_with_token("carol", "read write follow").await;
    let (alice_id, bob_id, carol_id) = (
        app.account_id(&alice).await,
        app.account_id(&bob).await,
        app.account_id(&carol).await,
    );
    let (status, _) = patch(&app, &alice, json!({"locked": true})).await;
    assert_eq!(status, 200);

    // A locked account approves its followers.
    let (_, rel) = app
        .post_json(
            &bob,
            &format!("/api/v1/accounts/{alice_id}/follow"),
            json!({}),
        )
        .await;
    assert_eq!(
        (rel["following"].clone(), rel["requested"].clone()),
        (json!(false), json!(true)),
        "{rel}"
    );
    app.post_json(
        &carol,
        &format!("/api/v1/accounts/{alice_id}/follow"),
        json!({}),
    )
    .await;
    let (status, requests) = json(app.get_auth("/api/v1/follow_requests", &alice).await).await;
    assert_eq!(status, 200);
    let names: Vec<&str> = requests
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["bob", "carol"]);
    let (status, rel) = app
        .post_json(
            &alice,
            &format!("/api/v1/follow_requests/{bob_id}/authorize"),
            json!({}),
        )
        .await;
    assert_eq!(
        (status, rel["followed_by"].clone()),
        (200, json!(true)),
        "{rel}"
    );
    let (status, rel) = app
        .post_json(
            &alice,
            &format!("/api/v1/follow_requests/{carol_id}/reject"),
            json!({}),
        )
        .await;
    assert_eq!((status, rel["followed_by"].clone()), (200, json!(false)));
    let (status, _) = app
        .post_json(
            &alice,
            &format!("/api/v1/follow_requests/{carol_id}/authorize"),
            json!({}),
        )
        .await;
    assert_eq!(status, 404, "no request any more");
    let (_, rels) = json(
        app.get_auth(
            &format!("/api/v1/accounts/relationships?id[]={alice_id}"),
            &bob,
        )
        .await,
    )
    .await;
    assert_eq!(rels[0]["following"], true);

    // Followers and following, paged with Link headers.
    app.post_json(
        &carol,
        &format!("/api/v1/accounts/{bob_id}/follow"),
        json!({}),
    )
    .await;
    let (status, followers) = json(
        app.get(&format!("/api/v1/accounts/{alice_id}/followers"))
            .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(followers.as_array().unwrap().len(), 1);
    assert_eq!(followers[0]["username"], "bob");
    let (_, following) = json(
        app.get(&format!("/api/v1/accounts/{bob_id}/following"))
            .await,
    )
    .await;
    assert_eq!(following[0]["username"], "alice");
    let resp = app
        .get(&format!("/api/v1/accounts/{bob_id}/followers?limit=1"))
        .await;
    assert!(resp.headers()["link"].to_str().unwrap().contains("max_id="));
    assert_eq!(
        app.get("/api/v1/accounts/424242/followers").await.status(),
        404
    );

    // Familiar followers: people carol follows who follow alice.
    let (status, familiar) = json(
        app.get_auth(
            &format!("/api/v1/accounts/familiar_followers?id[]={alice_id}"),
            &carol,
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{familiar}");
    assert_eq!(familiar[0]["id"], alice_id.as_str());
    assert_eq!(familiar[0]["accounts"][0]["username"], "bob");

    // Account search (v1).
    let (status, found) = json(app.get_auth("/api/v1/accounts/search?q=car", &bob).await).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found[0]["username"], "carol");
    assert_eq!(app.get("/api/v1/accounts/search?q=car").await.status(), 401);
}

backend_tests!(profiles_are_edited, follow_requests_and_lists);
