//! Document libraries through the API: folders, uploads, versions (new,
//! restore), rename and move by the uploader or a moderator, search by name,
//! description and the words of office files, deletion with the files, and
//! files served only to whoever may read the community.

use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

fn file(name: &str, mime: &str, bytes: &[u8]) -> Part {
    Part::bytes(bytes.to_vec())
        .file_name(name.to_string())
        .mime_str(mime)
        .unwrap()
}

async fn upload(app: &TestApp, token: &str, path: &str, form: Form) -> (u16, Value) {
    let resp = app
        .client
        .post(app.url(path))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    json(resp).await
}

async fn get(app: &TestApp, token: Option<&str>, path: &str) -> reqwest::Response {
    match token {
        Some(t) => app.get_auth(path, t).await,
        None => app.get(path).await,
    }
}

async fn bytes(app: &TestApp, token: Option<&str>, path: &str) -> (u16, Vec<u8>) {
    let resp = get(app, token, path).await;
    let status = resp.status().as_u16();
    (status, resp.bytes().await.unwrap().to_vec())
}

/// A Word document whose text is `words`.
fn docx(words: &str) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    write!(
        zip,
        "<w:document><w:p><w:t>{words}</w:t></w:p></w:document>"
    )
    .unwrap();
    zip.finish().unwrap().into_inner()
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

async fn documents_folders_and_versions(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let carol = app.user_with_token("carol", "read write follow").await;
    let outsider = app.user_with_token("oscar", "read write follow").await;
    let c = app.community(&alice, "finance", "public").await;
    app.join(&bob, &c).await;
    app.join(&carol, &c).await;
    let library = format!("/api/passerelle/v1/communities/{c}/library");

    // Only members add; bad files are refused and leave nothing behind.
    let form = || Form::new().part("file", file("plan.txt", "text/plain", b"x"));
    let (status, e) = upload(&app, &outsider, &library, form()).await;
    assert_eq!(status, 403, "{e}");
    let (status, e) = upload(
        &app,
        &bob,
        &library,
        Form::new().part("file", file("page.html", "text/html", b"<script>")),
    )
    .await;
    assert_eq!(status, 422, "{e}");
    assert!(e["error"].as_str().unwrap().contains("file"), "{e}");
    let (status, e) = upload(&app, &bob, &library, Form::new().text("title", "x")).await;
    assert_eq!(status, 422, "{e}");

    // Bob adds a Word document; its words are searchable.
    let v1 = docx("Quarterly forecast for the northern plant");
    let (status, d) = upload(
        &app,
        &bob,
        &library,
        Form::new()
            .text("title", "Budget 2027")
            .text("description", "The **draft** budget")
            .part("file", file("budget.docx", DOCX, &v1)),
    )
    .await;
    assert_eq!(status, 201, "{d}");
    let id = d["id"].as_str().unwrap().to_string();
    assert_eq!(d["current"]["number"], 1);
    assert_eq!(d["current"]["file_name"], "budget.docx");
    assert_eq!(d["current"]["content_type"], DOCX);
    assert_eq!(d["current"]["size"], v1.len());
    assert!(
        d["description_html"]
            .as_str()
            .unwrap()
            .contains("<strong>draft</strong>")
    );
    let (status, got) = bytes(&app, Some(&bob), &format!("/documents/{id}/file")).await;
    assert_eq!((status, got), (200, v1.clone()));
    let resp = get(&app, None, &format!("/documents/{id}/file")).await;
    let disposition = resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("budget.docx"), "{disposition}");
    assert_eq!(resp.headers()["content-type"], DOCX);

    // Mastodon apps see the file's name, size and link above the description.
    let (_, st) = json(get(&app, Some(&carol), &format!("/api/v1/statuses/{id}")).await).await;
    let content = st["content"].as_str().unwrap();
    assert!(
        content.contains(&format!("/documents/{id}/file\">budget.docx</a>"))
            && content.contains("v1"),
        "{content}"
    );

    for (q, found) in [
        ("forecast", 1),
        ("BUDGET", 1),
        ("draft", 1),
        ("nothing-like-it", 0),
    ] {
        let (status, r) = json(get(&app, Some(&carol), &format!("{library}?q={q}")).await).await;
        assert_eq!(status, 200, "{r}");
        assert_eq!(r["documents"].as_array().unwrap().len(), found, "{q}: {r}");
    }
    let (_, mine) =
        json(get(&app, Some(&carol), "/api/passerelle/v1/documents?q=plant").await).await;
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
    let (_, theirs) = json(
        get(
            &app,
            Some(&outsider),
            "/api/passerelle/v1/documents?q=plant",
        )
        .await,
    )
    .await;
    assert_eq!(
        theirs.as_array().unwrap().len(),
        0,
        "not a member: {theirs}"
    );

    // Folders: made by members, moved into by the uploader; names unique per level.
    let folders = format!("{library}/folders");
    let (status, f) = app
        .post_json(&carol, &folders, json!({"name": "Plans"}))
        .await;
    assert_eq!(status, 201, "{f}");
    let folder = f["id"].as_str().unwrap().to_string();
    let (status, e) = app
        .post_json(&bob, &folders, json!({"name": "plans"}))
        .await;
    assert_eq!(status, 422, "{e}");
    let (status, e) = app.post_json(&bob, &folders, json!({"name": "a/b"})).await;
    assert_eq!(status, 422, "{e}");
    let doc_path = format!("/api/passerelle/v1/documents/{id}");
    let patch = |token: &str, body: Value| {
        let req = app
            .client
            .patch(app.url(&doc_path))
            .bearer_auth(token)
            .json(&body);
        async move { json(req.send().await.unwrap()).await }
    };
    let (status, e) = patch(&carol, json!({"title": "Mine now"})).await;
    assert_eq!(status, 403, "not the uploader: {e}");
    let (status, d) = patch(
        &bob,
        json!({"title": "Budget 2027 v2", "folder_id": folder}),
    )
    .await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["title"], "Budget 2027 v2");
    assert_eq!(d["folder_id"], folder.as_str());
    let (_, top) = json(get(&app, None, &library).await).await;
    assert_eq!(top["folders"].as_array().unwrap().len(), 1, "{top}");
    assert_eq!(top["documents"].as_array().unwrap().len(), 0, "{top}");
    let (_, inside) = json(get(&app, None, &format!("{library}?folder_id={folder}")).await).await;
    assert_eq!(inside["documents"][0]["id"], id.as_str(), "{inside}");
    assert_eq!(inside["folder"]["name"], "Plans");

    // Any member uploads a new version; the earlier one stays, then is restored.
    let versions = format!("{doc_path}/versions");
    let (status, v) = upload(
        &app,
        &carol,
        &versions,
        Form::new().part(
            "file",
            file("budget-final.txt", "text/plain", b"final numbers"),
        ),
    )
    .await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["number"], 2);
    let (_, got) = bytes(&app, None, &format!("/documents/{id}/file")).await;
    assert_eq!(got, b"final numbers");
    let (_, got) = bytes(&app, None, &format!("/documents/{id}/versions/1")).await;
    assert_eq!(got, v1);
    let (status, _) = bytes(&app, None, &format!("/documents/{id}/versions/9")).await;
    assert_eq!(status, 404);
    let (status, v) = app
        .post_json(&carol, &format!("{versions}/1/restore"), json!({}))
        .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(
        (v["number"].as_i64(), v["restored_from"].as_i64()),
        (Some(3), Some(1))
    );
    let (_, got) = bytes(&app, None, &format!("/documents/{id}/file")).await;
    assert_eq!(got, v1, "the restored file is the first one");
    let (_, d) = json(get(&app, None, &doc_path).await).await;
    let numbers: Vec<i64> = d["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, vec![3, 2, 1]);
    // Search reads the current version's words again.
    let (_, r) = json(get(&app, None, &format!("{library}?q=northern")).await).await;
    assert_eq!(r["documents"].as_array().unwrap().len(), 1, "{r}");

    // A folder with something in it stays; the uploader deletes the document
    // and its files go; then the folder can go.
    let folder_path = format!("/api/passerelle/v1/library/folders/{folder}");
    let resp = app.delete_auth(&folder_path, &carol).await;
    assert_eq!(resp.status(), 409);
    let resp = app.delete_auth(&doc_path, &bob).await;
    assert_eq!(resp.status(), 200);
    let (status, _) = bytes(&app, Some(&bob), &format!("/documents/{id}/versions/1")).await;
    assert_eq!(status, 404);
    let resp = app.delete_auth(&folder_path, &carol).await;
    assert_eq!(resp.status(), 200);
    let (_, top) = json(get(&app, None, &library).await).await;
    assert_eq!(top["folders"].as_array().unwrap().len(), 0, "{top}");
}

async fn confidential_libraries_stay_closed(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let c = app.community(&alice, "board", "members").await;
    let library = format!("/api/passerelle/v1/communities/{c}/library");
    let (status, d) = upload(
        &app,
        &alice,
        &library,
        Form::new().part("file", file("minutes.txt", "text/plain", b"secret minutes")),
    )
    .await;
    assert_eq!(status, 201, "{d}");
    let id = d["id"].as_str().unwrap();
    let (status, _) = app
        .post_json(
            &alice,
            &format!("{library}/folders"),
            json!({"name": "Board papers"}),
        )
        .await;
    assert_eq!(status, 201);

    // Not a member (bob asked to join, not yet accepted), nor anonymous: nothing,
    // not even folder names, and the file link opens nothing.
    let _ = app
        .post_json(
            &bob,
            &format!("/api/passerelle/v1/communities/{c}/join"),
            json!({}),
        )
        .await;
    for token in [None, Some(bob.as_str())] {
        for path in [
            library.clone(),
            format!("/api/passerelle/v1/documents/{id}"),
            format!("/documents/{id}/file"),
            format!("/documents/{id}/versions/1"),
        ] {
            let resp = get(&app, token, &path).await;
            assert_eq!(resp.status(), 404, "{path} as {token:?}");
        }
    }
    let (status, got) = bytes(&app, Some(&alice), &format!("/documents/{id}/file")).await;
    assert_eq!((status, got), (200, b"secret minutes".to_vec()));
    // The file is not in the media store's public folder either.
    let key_leak = app.get(&format!("/media/{id}.txt")).await;
    assert_eq!(key_leak.status(), 404);
}

backend_tests!(
    documents_folders_and_versions,
    confidential_libraries_stay_closed
);
