//! Direct messages and media between servers: a direct status reaches only the
//! addressee's server and makes a conversation on both sides; an image
//! travels as an attachment served by its origin.

use federation_tests::{Backend, Instance, eventually};
use serde_json::{Value, json};

fn png() -> Vec<u8> {
    use image::{ImageEncoder, Rgb, RgbImage, codecs::png::PngEncoder};
    let img = RgbImage::from_fn(64, 48, |x, y| Rgb([x as u8 * 4, y as u8 * 5, 200]));
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(img.as_raw(), 64, 48, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

async fn follow(on: &Instance, token: &str, acct: &str) {
    let id = on.resolve_account(token, acct).await;
    on.follow(token, &id).await;
}

async fn find_in_home(on: &Instance, token: &str, text: &str) -> Option<Value> {
    let (_, home) = on.get("/api/v1/timelines/home", Some(token)).await;
    home.as_array()?
        .iter()
        .find(|s| s["content"].as_str().unwrap_or("").contains(text))
        .cloned()
}

async fn scenario(backend: Backend) {
    let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
    let beta = Instance::start("beta", backend, "").await.expect("beta");
    let gamma = Instance::start("gamma", backend, "").await.expect("gamma");
    let scopes = "read write follow";
    let alice = alpha
        .create_user("alice", "alice password", scopes)
        .await
        .unwrap();
    let bob = beta
        .create_user("bob", "bob's password", scopes)
        .await
        .unwrap();
    let carol = gamma
        .create_user("carol", "carol password", scopes)
        .await
        .unwrap();
    let alice_acct = format!("alice@{}", alpha.domain);
    follow(&beta, &bob, &alice_acct).await;
    follow(&gamma, &carol, &alice_acct).await;

    // An image, described, in a public post: its followers' servers show it
    // from alpha.
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(png())
                .file_name("map.png")
                .mime_str("image/png")
                .unwrap(),
        )
        .text("description", "Map of the site");
    let media: Value = reqwest::Client::new()
        .post(alpha.url("/api/v2/media"))
        .bearer_auth(&alice)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let media_id = media["id"].as_str().expect("uploaded");
    let (status, posted) = alpha
        .post(
            "/api/v1/statuses",
            &alice,
            json!({"status": "Where we meet", "media_ids": [media_id]}),
        )
        .await;
    assert_eq!(status, 200, "{posted}");
    let seen = eventually(15, "the post reaches bob with its image", || async {
        find_in_home(&beta, &bob, "Where we meet").await
    })
    .await;
    let attachment = &seen["media_attachments"][0];
    assert_eq!(attachment["type"], "image");
    assert_eq!(attachment["description"], "Map of the site");
    assert_eq!(attachment["remote_url"], media["url"]);
    assert_eq!(attachment["meta"]["original"]["width"], 64);
    assert_eq!(attachment["blurhash"], media["blurhash"]);
    let file = reqwest::get(attachment["url"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(
        (
            file.status().as_u16(),
            file.headers()["content-type"].to_str().unwrap()
        ),
        (200, "image/png")
    );

    // Bob boosts it: alice's server counts it and tells her; taken back, uncounted.
    let seen_id = seen["id"].as_str().unwrap().to_string();
    let (status, boost) = beta
        .post(
            &format!("/api/v1/statuses/{seen_id}/reblog"),
            &bob,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{boost}");
    let posted_id = posted["id"].as_str().unwrap().to_string();
    eventually(15, "alice's server counts bob's boost", || async {
        let (_, s) = alpha
            .get(&format!("/api/v1/statuses/{posted_id}"), Some(&alice))
            .await;
        let (_, n) = alpha
            .get("/api/v1/notifications?types[]=reblog", Some(&alice))
            .await;
        (s["reblogs_count"] == 1 && n[0]["account"]["acct"] == format!("bob@{}", beta.domain))
            .then_some(())
    })
    .await;
    let (status, _) = beta
        .post(
            &format!("/api/v1/statuses/{seen_id}/unreblog"),
            &bob,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    eventually(15, "the boost is taken back on alice's server", || async {
        let (_, s) = alpha
            .get(&format!("/api/v1/statuses/{posted_id}"), Some(&alice))
            .await;
        (s["reblogs_count"] == 0).then_some(())
    })
    .await;

    // A profile edit reaches the followers' servers as an Update of the actor.
    let (status, me) = alpha
        .send(
            reqwest::Method::PATCH,
            "/api/v1/accounts/update_credentials",
            &alice,
            json!({"display_name": "Alice (Purchasing)",
                   "fields_attributes": [{"name": "Skills", "value": "rail freight"}]}),
        )
        .await;
    assert_eq!(status, 200, "{me}");
    let alice_on_beta = beta.resolve_account(&bob, &alice_acct).await;
    eventually(15, "bob's server shows alice's new profile", || async {
        let (_, a) = beta
            .get(&format!("/api/v1/accounts/{alice_on_beta}"), Some(&bob))
            .await;
        (a["display_name"] == "Alice (Purchasing)" && a["fields"][0]["value"] == "rail freight")
            .then_some(())
    })
    .await;

    // A direct message to bob: a conversation on both sides, nothing on gamma.
    let bob_on_alpha = alpha
        .resolve_account(&alice, &format!("bob@{}", beta.domain))
        .await;
    let (status, sent) = alpha
        .post(
            "/api/v1/statuses",
            &alice,
            json!({"status": format!("@bob@{} the offer is 40k, keep it between us", beta.domain), "visibility": "direct"}),
        )
        .await;
    assert_eq!(status, 200, "{sent}");
    let conversation = eventually(15, "bob has the conversation", || async {
        let (_, list) = beta.get("/api/v1/conversations", Some(&bob)).await;
        list.as_array()?.first().cloned()
    })
    .await;
    assert_eq!(conversation["unread"], true);
    assert_eq!(conversation["accounts"][0]["acct"], alice_acct.as_str());
    assert_eq!(conversation["last_status"]["visibility"], "direct");
    let dm_on_beta = conversation["last_status"]["id"]
        .as_str()
        .unwrap()
        .to_string();

    let (status, reply) = beta
        .post(
            "/api/v1/statuses",
            &bob,
            json!({"status": format!("@{alice_acct} understood"), "visibility": "direct", "in_reply_to_id": dm_on_beta}),
        )
        .await;
    assert_eq!(status, 200, "{reply}");
    eventually(
        15,
        "alice's conversation has bob's answer, unread",
        || async {
            let (_, list) = alpha.get("/api/v1/conversations", Some(&alice)).await;
            let list = list.as_array()?;
            (list.len() == 1
                && list[0]["unread"] == true
                && list[0]["last_status"]["content"]
                    .as_str()?
                    .contains("understood")
                && list[0]["accounts"][0]["id"] == bob_on_alpha.as_str())
            .then_some(())
        },
    )
    .await;

    // Bob reports alice's post and asks to forward it: alpha's moderators get it
    // from beta's instance actor, without bob's name.
    let post_on_beta = seen["id"].as_str().unwrap();
    let (status, report) = beta
        .post(
            "/api/v1/reports",
            &bob,
            json!({"account_id": alice_on_beta, "status_ids": [post_on_beta], "comment": "Wrong meeting place", "forward": true}),
        )
        .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["forwarded"], true);
    let admin = alpha.admin_token("boss", "read admin:read").await.unwrap();
    let received = eventually(15, "alpha's administrators see the report", || async {
        let (_, list) = alpha
            .get("/api/passerelle/v1/admin/reports", Some(&admin))
            .await;
        list.as_array()?.first().cloned()
    })
    .await;
    assert_eq!(received["remote"], true);
    assert_eq!(received["comment"], "Wrong meeting place");
    assert_eq!(received["target_account"]["username"], "alice");
    assert_eq!(received["status_ids"], json!([posted["id"]]));
    assert_ne!(received["account"]["username"], "bob", "{received}");

    alpha.settled().await;
    beta.settled().await;
    assert!(
        find_in_home(&gamma, &carol, "40k").await.is_none(),
        "a follower's server got the DM"
    );
    let (_, list) = gamma.get("/api/v1/conversations", Some(&carol)).await;
    assert_eq!(list, json!([]));
    let (_, found) = gamma
        .get(
            &format!("/api/v2/search?q={}&resolve=false", "offer"),
            Some(&carol),
        )
        .await;
    assert_eq!(found["statuses"], json!([]), "{found}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_messages_and_media_between_servers() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}
