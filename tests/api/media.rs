//! Media: uploads (images cleaned of their metadata, with preview and blurhash;
//! documents by type), served with safe headers, described, attached to
//! statuses once, given back on "delete and redraft", swept when unused.

use image::{ImageEncoder, Rgb, RgbImage, codecs::png::PngEncoder};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

fn png(w: u32, h: u32, text_chunk: &[u8]) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| {
        Rgb([(x * 3 % 256) as u8, (y * 5 % 256) as u8, 90])
    });
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    if !text_chunk.is_empty() {
        // A tEXt chunk (CRC unchecked by decoders we care about) after IHDR.
        let mut chunk = (text_chunk.len() as u32).to_be_bytes().to_vec();
        chunk.extend(b"tEXt");
        chunk.extend(text_chunk);
        chunk.extend([0, 0, 0, 0]);
        let ihdr_end = 8 + 4 + 4 + 13 + 4;
        out.splice(ihdr_end..ihdr_end, chunk);
    }
    out
}

async fn upload(
    app: &TestApp,
    token: &str,
    version: &str,
    bytes: Vec<u8>,
    mime: &str,
    name: &str,
    description: Option<&str>,
) -> (u16, Value) {
    let mut form = Form::new().part(
        "file",
        Part::bytes(bytes)
            .file_name(name.to_string())
            .mime_str(mime)
            .unwrap(),
    );
    if let Some(d) = description {
        form = form.text("description", d.to_string());
    }
    json(
        app.client
            .post(app.url(&format!("/api/{version}/media")))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn fetch(app: &TestApp, url: &str) -> reqwest::Response {
    assert!(url.starts_with(&app.base), "{url}");
    app.client.get(url).send().await.unwrap()
}

async fn images_are_cleaned_and_served(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let bob = app.user_with_token("bob", "read write").await;

    let (status, m) = upload(
        &app,
        &alice,
        "v2",
        png(1280, 640, b"Comment\0secret-location"),
        "image/png",
        "chart.png",
        Some("Sales chart"),
    )
    .await;
    assert_eq!(status, 200, "{m}");
    assert_eq!(m["type"], "image");
    assert_eq!(m["description"], "Sales chart");
    assert_eq!(
        m["meta"]["original"],
        json!({"width": 1280, "height": 640, "size": "1280x640", "aspect": 2.0})
    );
    assert_eq!(m["meta"]["small"]["width"], 640);
    assert_eq!(m["blurhash"].as_str().map(str::len), Some(28));
    let resp = fetch(&app, m["url"].as_str().unwrap()).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/png");
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    let body = resp.bytes().await.unwrap();
    assert!(
        !body.windows(15).any(|w| w == b"secret-location"),
        "metadata kept"
    );
    assert_eq!(image::load_from_memory(&body).unwrap().width(), 1280);
    let preview = fetch(&app, m["preview_url"].as_str().unwrap()).await;
    assert_eq!(preview.headers()["content-type"], "image/jpeg");
    let preview = image::load_from_memory(&preview.bytes().await.unwrap()).unwrap();
    assert_eq!((preview.width(), preview.height()), (640, 320));

    // Its owner reads and describes it; nobody else sees it.
    let id = m["id"].as_str().unwrap();
    let (status, got) = json(app.get_auth(&format!("/api/v1/media/{id}"), &alice).await).await;
    assert_eq!((status, &got["url"]), (200, &m["url"]));
    let (status, _) = json(app.get_auth(&format!("/api/v1/media/{id}"), &bob).await).await;
    assert_eq!(status, 404);
    let put = |token: &str, body: Value| {
        let req = app
            .client
            .put(app.url(&format!("/api/v1/media/{id}")))
            .bearer_auth(token)
            .json(&body);
        async move { json(req.send().await.unwrap()).await }
    };
    let (status, got) = put(
        &alice,
        json!({"description": "Q3 sales", "focus": "0.5,-0.5"}),
    )
    .await;
    assert_eq!(status, 200, "{got}");
    assert_eq!(
        (got["description"].clone(), got["meta"]["focus"].clone()),
        (json!("Q3 sales"), json!({"x": 0.5, "y": -0.5}))
    );
    let (status, _) = put(&alice, json!({"focus": "3,0"})).await;
    assert_eq!(status, 422);
    let (status, _) = put(&bob, json!({"description": "mine"})).await;
    assert_eq!(status, 404);
    // Keys are capabilities: anything else under /media is 404.
    for path in [
        "/media/../config.toml",
        "/media/abc.png",
        "/media/00000000000000000000000000000000.png",
    ] {
        assert_eq!(app.get(path).await.status(), 404, "{path}");
    }
}

async fn documents_and_bad_files(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let reader = app.user_with_token("reader", "read").await;

    let pdf = b"%PDF-1.4\n%minimal\n".to_vec();
    let (status, m) = upload(
        &app,
        &alice,
        "v1",
        pdf.clone(),
        "application/pdf",
        "plan.pdf",
        None,
    )
    .await;
    assert_eq!(status, 200, "{m}");
    assert_eq!(
        (
            m["type"].clone(),
            m["preview_url"].clone(),
            m["description"].clone()
        ),
        (json!("unknown"), Value::Null, Value::Null)
    );
    let resp = fetch(&app, m["url"].as_str().unwrap()).await;
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    assert_eq!(resp.bytes().await.unwrap().as_ref(), pdf.as_slice());
    // Declared as octet-stream: the extension decides.
    let (status, m) = upload(
        &app,
        &alice,
        "v2",
        b"a,b\n1,2\n".to_vec(),
        "application/octet-stream",
        "data.csv",
        None,
    )
    .await;
    assert_eq!(
        (status, m["url"].as_str().unwrap().ends_with(".csv")),
        (200, true),
        "{m}"
    );

    for (bytes, mime, name) in [
        (
            b"<html><script>alert(1)</script>".to_vec(),
            "text/html",
            "x.html",
        ),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>".to_vec(),
            "image/svg+xml",
            "x.svg",
        ),
        (b"not an image at all".to_vec(), "image/png", "x.png"),
        (vec![], "application/pdf", "empty.pdf"),
        (b"MZ\x90\x00".to_vec(), "application/x-msdownload", "x.exe"),
    ] {
        let (status, e) = upload(&app, &alice, "v2", bytes, mime, name, None).await;
        assert_eq!(status, 422, "{name}: {e}");
        assert!(e["error"].is_string(), "{e}");
    }
    // No file at all; not multipart; no write:media scope.
    let (status, _) = json(
        app.client
            .post(app.url("/api/v2/media"))
            .bearer_auth(&alice)
            .multipart(Form::new().text("description", "x"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = app
        .post_json(&alice, "/api/v2/media", json!({"file": "x"}))
        .await;
    assert_eq!(status, 422);
    let (status, _) = upload(
        &app,
        &reader,
        "v2",
        png(10, 10, b""),
        "image/png",
        "x.png",
        None,
    )
    .await;
    assert_eq!(status, 403);
}

async fn size_limits(backend: Backend) {
    // Uploads pass the API's 1 MiB body limit, up to the media limits.
    let app = TestApp::with_config(backend, |c| {
        c.media.max_image_bytes = 1_500_000;
        c.media.max_image_pixels = 250_000;
        c.media.max_document_bytes = 2_000_000;
    })
    .await;
    let alice = app.user_with_token("alice", "write").await;
    let doc = vec![7u8; 1_900_000];
    let (status, m) = upload(&app, &alice, "v2", doc, "application/pdf", "big.pdf", None).await;
    assert_eq!(status, 200, "{m}");
    let (status, e) = upload(
        &app,
        &alice,
        "v2",
        vec![7u8; 2_100_000],
        "application/pdf",
        "bigger.pdf",
        None,
    )
    .await;
    assert_eq!(status, 413, "{e}");
    let (status, e) = upload(
        &app,
        &alice,
        "v2",
        vec![7u8; 1_600_000],
        "image/png",
        "big.png",
        None,
    )
    .await;
    assert_eq!(status, 422, "{e}");
    let (status, e) = upload(
        &app,
        &alice,
        "v2",
        png(600, 500, b""),
        "image/png",
        "wide.png",
        None,
    )
    .await;
    assert_eq!(status, 422, "too many pixels: {e}");
    assert!(e["error"].as_str().unwrap().contains("pixels"), "{e}");
    let (status, _) = upload(
        &app,
        &alice,
        "v2",
        png(500, 500, b""),
        "image/png",
        "ok.png",
        None,
    )
    .await;
    assert_eq!(status, 200);
}

async fn statuses_take_media_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let (status, m) = upload(
            &app,
            &alice,
            "v2",
            png(20 + i, 10, b""),
            "image/png",
            "p.png",
            Some(&format!("picture {i}")),
        )
        .await;
        assert_eq!(status, 200, "{m}");
        ids.push(m["id"].as_str().unwrap().to_string());
    }
    let (_, bobs) = upload(
        &app,
        &bob,
        "v2",
        png(10, 10, b""),
        "image/png",
        "b.png",
        None,
    )
    .await;
    let bobs = bobs["id"].as_str().unwrap().to_string();

    for (body, why) in [
        (
            json!({"status": "five", "media_ids": ids}),
            "more than four",
        ),
        (
            json!({"status": "not mine", "media_ids": [bobs]}),
            "someone else's",
        ),
        (
            json!({"status": "unknown", "media_ids": ["123"]}),
            "unknown",
        ),
        (json!({"status": "bad", "media_ids": ["x"]}), "not an id"),
        (
            json!({"status": "both", "media_ids": [ids[0]], "poll": {"options": ["a", "b"]}}),
            "with a poll",
        ),
    ] {
        let (status, e) = app.post_json(&alice, "/api/v1/statuses", body).await;
        assert_eq!(status, 422, "{why}: {e}");
    }
    // No text is fine with media; order is the client's.
    let (status, s) = app
        .post_json(
            &alice,
            "/api/v1/statuses",
            json!({"status": "", "media_ids": [ids[2], ids[0]]}),
        )
        .await;
    assert_eq!(status, 200, "{s}");
    let got: Vec<&str> = s["media_attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["description"].as_str().unwrap())
        .collect();
    assert_eq!(got, ["picture 2", "picture 0"]);
    let (status, e) = app
        .post_json(
            &alice,
            "/api/v1/statuses",
            json!({"status": "again", "media_ids": [ids[0]]}),
        )
        .await;
    assert_eq!(status, 422, "used twice: {e}");
    // Readers see them; the failed attempts above took nothing.
    let (_, read) = json(
        app.get(&format!("/api/v1/statuses/{}", s["id"].as_str().unwrap()))
            .await,
    )
    .await;
    assert_eq!(read["media_attachments"].as_array().unwrap().len(), 2);
    let (status, _) = app
        .post_json(
            &alice,
            "/api/v1/statuses",
            json!({"status": "three", "media_ids": [ids[1], ids[3], ids[4]]}),
        )
        .await;
    assert_eq!(status, 200);

    // Delete and redraft: the answer carries the media, which can be posted again.
    let resp = app
        .delete_auth(
            &format!("/api/v1/statuses/{}", s["id"].as_str().unwrap()),
            &alice,
        )
        .await;
    let (status, deleted) = json(resp).await;
    assert_eq!(status, 200);
    assert_eq!(deleted["media_attachments"].as_array().unwrap().len(), 2);
    let (status, again) = app
        .post_json(
            &alice,
            "/api/v1/statuses",
            json!({"status": "redrafted", "media_ids": [ids[2], ids[0]]}),
        )
        .await;
    assert_eq!(
        (status, again["media_attachments"][0]["url"].clone()),
        (200, s["media_attachments"][0]["url"].clone())
    );

    // Unused uploads are swept (with their files); used ones stay.
    let (_, unused) = upload(
        &app,
        &alice,
        "v2",
        png(12, 12, b""),
        "image/png",
        "u.png",
        None,
    )
    .await;
    let removed = passerelle::service::media::sweep(
        &app.state,
        passerelle::service::now() + chrono::Duration::seconds(5),
    )
    .await
    .unwrap();
    assert_eq!(removed, 4, "bob's and the unused one, files and previews");
    assert_eq!(
        fetch(&app, unused["url"].as_str().unwrap()).await.status(),
        404
    );
    assert_eq!(
        fetch(&app, again["media_attachments"][0]["url"].as_str().unwrap())
            .await
            .status(),
        200
    );
}

/// Editing a status changes its files: reordered, added, removed; absent
/// `media_ids` leaves them as they are.
async fn edits_change_media(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let mut ids = Vec::new();
    for (who, token) in [("a", &alice), ("b", &alice), ("bob", &bob)] {
        let (status, m) = upload(
            &app,
            token,
            "v2",
            png(12, 12, b""),
            "image/png",
            "p.png",
            Some(who),
        )
        .await;
        assert_eq!(status, 200, "{m}");
        ids.push(m["id"].as_str().unwrap().to_string());
    }
    let (status, s) = app
        .post_json(
            &alice,
            "/api/v1/statuses",
            json!({"status": "site photos", "media_ids": [ids[0]]}),
        )
        .await;
    assert_eq!(status, 200, "{s}");
    let sid = s["id"].as_str().unwrap().to_string();
    let put = |body: Value| {
        let (app, alice, sid) = (&app, &alice, &sid);
        async move {
            json(
                app.client
                    .put(app.url(&format!("/api/v1/statuses/{sid}")))
                    .bearer_auth(alice)
                    .json(&body)
                    .send()
                    .await
                    .unwrap(),
            )
            .await
        }
    };
    let described = |s: &Value| -> Vec<String> {
        s["media_attachments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["description"].as_str().unwrap().to_string())
            .collect()
    };

    let (status, e) = put(json!({"status": "x", "media_ids": [ids[2]]})).await;
    assert_eq!(status, 422, "someone else's upload: {e}");
    let (status, s) =
        put(json!({"status": "site photos, both", "media_ids": [ids[1], ids[0]]})).await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(described(&s), ["b", "a"]);
    let (_, s) = put(json!({"status": "site photos, text changed"})).await;
    assert_eq!(described(&s), ["b", "a"], "absent media_ids: unchanged");
    let (status, e) = put(json!({"status": "", "media_ids": []})).await;
    assert_eq!(status, 422, "nothing left: {e}");
    let (status, s) = put(json!({"status": "no photos after all", "media_ids": []})).await;
    assert_eq!(status, 200);
    assert_eq!(described(&s), Vec::<String>::new());
    // What was taken off can be posted again.
    let (status, s) = app
        .post_json(
            &alice,
            "/api/v1/statuses",
            json!({"status": "again", "media_ids": [ids[0]]}),
        )
        .await;
    assert_eq!(status, 200, "{s}");
    let (_, history) = json(app.get(&format!("/api/v1/statuses/{sid}/history")).await).await;
    assert_eq!(history.as_array().unwrap().len(), 4);

    // Narrowed lists: only those with files; only those with a hashtag.
    let again = s["id"].as_str().unwrap().to_string();
    app.post_json(
        &alice,
        "/api/v1/statuses",
        json!({"status": "walk on #Site B"}),
    )
    .await;
    let alice_id = app.account_id(&alice).await;
    let ids_of = |v: Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    for path in [
        format!("/api/v1/accounts/{alice_id}/statuses?only_media=true"),
        "/api/v1/timelines/public?only_media=1".to_string(),
    ] {
        let (_, got) = json(app.get(&path).await).await;
        assert_eq!(ids_of(got), vec![again.clone()], "{path}");
    }
    let (_, got) = json(
        app.get(&format!("/api/v1/accounts/{alice_id}/statuses?tagged=site"))
            .await,
    )
    .await;
    let got = got.as_array().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert!(got[0]["content"].as_str().unwrap().contains("walk on"));
}

backend_tests!(
    images_are_cleaned_and_served,
    documents_and_bad_files,
    size_limits,
    statuses_take_media_once,
    edits_change_media
);
