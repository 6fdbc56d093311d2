//! A members-only community's library across servers: a document (in a
//! folder) and its new version reach a member's server, which shows the
//! library and lets its people download the files (fetched signed from the
//! community's server); the files themselves open to nobody else, signed or not.

use federation_tests::{
    Backend, Instance, eventually,
    fake::{Remote, Signing},
};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

async fn upload(instance: &Instance, token: &str, path: &str, name: &str, bytes: &[u8]) -> Value {
    let form = Form::new()
        .text("title", "Framework contract")
        .text("description", "Signed with the *partner*")
        .text("folder_id", "")
        .part(
            "file",
            Part::bytes(bytes.to_vec())
                .file_name(name.to_string())
                .mime_str("text/plain")
                .unwrap(),
        );
    let resp = instance
        .client
        .post(instance.url(path))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
    resp.json().await.unwrap()
}

async fn download(instance: &Instance, token: Option<&str>, path: &str) -> (u16, Vec<u8>) {
    let mut req = instance.client.get(instance.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.bytes().await.unwrap().to_vec())
}

async fn scenario(backend: Backend) {
    let outsider = Remote::start("oscar").await.expect("fake");
    let alpha = Instance::start("alpha", backend, "").await.expect("alpha");
    let beta = Instance::start("beta", backend, "").await.expect("beta");
    let scopes = "read write follow";
    let alice = alpha
        .create_user("alice", "alice password", scopes)
        .await
        .expect("alice");
    let bob = beta
        .create_user("bob", "bob's password", scopes)
        .await
        .expect("bob");
    let board = alpha.create_community(&alice, "board", "members").await;
    let board_on_beta = beta
        .join_community(&bob, &format!("board@{}", alpha.domain))
        .await;
    eventually(20, "bob's request reaches alpha", || async {
        let path = format!("/api/passerelle/v1/communities/{board}/requests");
        let (_, list) = alpha.get(&path, Some(&alice)).await;
        (!list.as_array()?.is_empty()).then_some(())
    })
    .await;
    alpha.approve_first_request(&alice, &board).await;
    alpha.wait_members(&alice, &board, 2).await;

    let library = format!("/api/passerelle/v1/communities/{board}/library");
    let (status, folder) = alpha
        .post(
            &format!("{library}/folders"),
            &alice,
            json!({"name": "Contracts"}),
        )
        .await;
    assert_eq!(status, 201, "{folder}");
    let folder_id = folder["id"].as_str().unwrap();
    let doc = upload(&alpha, &alice, &library, "contract.txt", b"first draft").await;
    let on_alpha = doc["id"].as_str().unwrap().to_string();
    let (status, moved) = alpha
        .send(
            reqwest::Method::PATCH,
            &format!("/api/passerelle/v1/documents/{on_alpha}"),
            &alice,
            json!({"folder_id": folder_id}),
        )
        .await;
    assert_eq!(status, 200, "{moved}");

    // Beta shows the library as alpha keeps it: the folder, the document in it.
    let beta_library = format!("/api/passerelle/v1/communities/{board_on_beta}/library");
    let beta_folder = eventually(20, "the folder reaches beta", || async {
        let (_, l) = beta.get(&beta_library, Some(&bob)).await;
        l["folders"]
            .as_array()?
            .iter()
            .find(|f| f["name"] == "Contracts")
            .and_then(|f| f["id"].as_str().map(str::to_string))
    })
    .await;
    let in_folder = format!("{beta_library}?folder_id={beta_folder}");
    let on_beta = eventually(20, "the document reaches beta's folder", || async {
        let (_, l) = beta.get(&in_folder, Some(&bob)).await;
        let d = l["documents"].as_array()?.first()?.clone();
        (d["title"] == "Framework contract").then(|| d["id"].as_str().unwrap().to_string())
    })
    .await;
    let (_, d) = beta
        .get(
            &format!("/api/passerelle/v1/documents/{on_beta}"),
            Some(&bob),
        )
        .await;
    assert_eq!(d["current"]["file_name"], "contract.txt", "{d}");
    assert_eq!(d["current"]["size"], 11);
    assert!(
        d["description_html"]
            .as_str()
            .unwrap()
            .contains("<em>partner</em>"),
        "{d}"
    );

    // Bob downloads on his own server, which fetches the file signed from alpha.
    let (status, got) = download(&beta, Some(&bob), &format!("/documents/{on_beta}/file")).await;
    assert_eq!((status, got.as_slice()), (200, &b"first draft"[..]));
    // Nobody else opens the file: not unsigned, not a server outside the board.
    let file_url = alpha.url(&format!("/documents/{on_alpha}/file"));
    let (status, _) = download(&alpha, None, &format!("/documents/{on_alpha}/file")).await;
    assert_eq!(status, 404);
    let (status, _) = outsider.get(&file_url, Signing::Valid).await;
    assert_eq!(status, 404, "a server outside the community's reach");
    let (status, _) = download(&beta, None, &format!("/documents/{on_beta}/file")).await;
    assert_eq!(status, 404, "beta's copy needs one of beta's members too");

    // A new version on alpha: beta lists both, downloads each.
    let form = Form::new().part(
        "file",
        Part::bytes(b"signed version".to_vec())
            .file_name("contract-signed.txt")
            .mime_str("text/plain")
            .unwrap(),
    );
    let resp = alpha
        .client
        .post(alpha.url(&format!("/api/passerelle/v1/documents/{on_alpha}/versions")))
        .bearer_auth(&alice)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    eventually(20, "version 2 reaches beta", || async {
        let (_, d) = beta
            .get(
                &format!("/api/passerelle/v1/documents/{on_beta}"),
                Some(&bob),
            )
            .await;
        (d["current"]["number"] == 2 && d["versions"].as_array()?.len() == 2).then_some(())
    })
    .await;
    let (_, got) = download(&beta, Some(&bob), &format!("/documents/{on_beta}/file")).await;
    assert_eq!(got, b"signed version");
    let (_, got) = download(
        &beta,
        Some(&bob),
        &format!("/documents/{on_beta}/versions/1"),
    )
    .await;
    assert_eq!(got, b"first draft");

    // Deleted on alpha: gone on beta too.
    let (status, _) = alpha
        .send(
            reqwest::Method::DELETE,
            &format!("/api/passerelle/v1/documents/{on_alpha}"),
            &alice,
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    eventually(20, "the deletion reaches beta", || async {
        let (status, _) = beta
            .get(
                &format!("/api/passerelle/v1/documents/{on_beta}"),
                Some(&bob),
            )
            .await;
        (status == 404).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn libraries_reach_member_servers() {
    for backend in Backend::available() {
        scenario(backend).await;
    }
}
