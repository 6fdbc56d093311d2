//! The document library's pages: a members-only library listed for members
//! and hidden (404) from others, folders and documents made through the page
//! forms (a multipart upload with the form token), a new version and a restore
//! on the document's page, a refused upload that loses nothing, and a folder
//! that cannot be deleted while something is in it.

use serde_json::{Value, json};

use crate::{
    backend_tests,
    browser::Browser,
    helpers::{Backend, TestApp, json, spawn_app},
};

/// A members-only community of alice's that bob has joined (approved).
async fn board(app: &TestApp, alice: &str, bob: &str) -> String {
    let (status, c) = app
        .post_json(
            alice,
            "/api/passerelle/v1/communities",
            json!({"name": "board", "title": "Board", "description": "", "visibility": "members"}),
        )
        .await;
    assert_eq!(status, 200, "{c}");
    let id = c["id"].as_str().unwrap().to_string();
    let (status, j) = app
        .post_json(
            bob,
            &format!("/api/passerelle/v1/communities/{id}/join"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{j}");
    let (_, me) = json(
        app.get_auth("/api/v1/accounts/verify_credentials", bob)
            .await,
    )
    .await;
    let account = me["id"].as_str().unwrap();
    let (status, a) = app
        .post_json(
            alice,
            &format!("/api/passerelle/v1/communities/{id}/requests/{account}/approve"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{a}");
    id
}

/// The library as the API sees it (at a folder, if given).
async fn library(app: &TestApp, token: &str, community: &str, folder: Option<&str>) -> Value {
    let query = folder
        .map(|f| format!("?folder_id={f}"))
        .unwrap_or_default();
    let (status, l) = json(
        app.get_auth(
            &format!("/api/passerelle/v1/communities/{community}/library{query}"),
            token,
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{l}");
    l
}

async fn document(app: &TestApp, token: &str, id: &str) -> Value {
    let (status, d) = json(
        app.get_auth(&format!("/api/passerelle/v1/documents/{id}"), token)
            .await,
    )
    .await;
    assert_eq!(status, 200, "{d}");
    d
}

async fn library_through_the_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let board = board(&app, &alice, &bob).await;
    let mut alice_web = Browser::new(&app);
    alice_web.sign_in("alice").await;
    let mut bob_web = Browser::new(&app);
    bob_web.sign_in("bob").await;

    // The community page links to its library.
    let home = bob_web.get("/communities/board").await;
    assert!(
        home.body.contains("/communities/board/library"),
        "{}",
        home.body
    );
    // Alice makes a folder at the top; bob uploads into it.
    let made = alice_web
        .post(
            "/communities/board/library/folders",
            &[("name", "Finance"), ("parent_id", "")],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    assert_eq!(made.location.as_deref(), Some("/communities/board/library"));
    let top = library(&app, &bob, &board, None).await;
    let folder = top["folders"][0]["id"].as_str().unwrap().to_string();
    let sent = bob_web
        .post_file(
            "/communities/board/library",
            &[
                ("folder_id", &folder),
                ("title", "Budget 2027"),
                ("description", "The **draft**"),
            ],
            ("budget.txt", "text/plain", b"quarterly figures v1".to_vec()),
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let here = format!("/communities/board/library?folder={folder}");
    assert_eq!(sent.location.as_deref(), Some(here.as_str()));
    let inside = library(&app, &bob, &board, Some(&folder)).await;
    let doc = inside["documents"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(inside["documents"][0]["title"], "Budget 2027");

    // A member's listing: the folder at the top, the document in it.
    let page = bob_web.get("/communities/board/library").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains(&format!("?folder={folder}\">Finance</a>")),
        "{}",
        page.body
    );
    assert!(page.body.contains("/communities/board/library/folders"));
    let page = bob_web.get(&here).await;
    for needed in [
        format!("href=\"/posts/{doc}\">Budget 2027</a>"),
        format!("/documents/{doc}/file"),
        "<td class=\"wide\">TXT</td>".to_string(),
        "<td class=\"nowrap\">20 B</td>".to_string(),
        "aria-current=\"page\">Finance</span>".to_string(),
    ] {
        assert!(page.body.contains(&needed), "{needed} in {}", page.body);
    }
    // Bob made neither the folder nor moderates: no folder forms for him.
    assert!(!page.body.contains(&format!("folders/{folder}/delete")));
    let found = bob_web.get("/communities/board/library?q=quarterly").await;
    assert!(found.body.contains("Budget 2027"), "{}", found.body);
    let none = bob_web.get("/communities/board/library?q=nowhere").await;
    assert!(!none.body.contains("Budget 2027"), "{}", none.body);

    // Nobody outside sees that the library exists.
    let anonymous = Browser::new(&app);
    for path in ["/communities/board/library", here.as_str()] {
        let page = anonymous.get(path).await;
        assert_eq!(page.status, 404, "{path}: {}", page.body);
        assert!(!page.body.contains("Budget 2027"));
    }

    // The document's page: its file and history, and a new version from there.
    let page = bob_web.get(&format!("/posts/{doc}")).await;
    assert!(page.body.contains("Version history"), "{}", page.body);
    assert!(page.body.contains(&format!("/documents/{doc}/versions/1")));
    assert!(
        page.body
            .contains(&format!("action=\"/posts/{doc}/versions\""))
    );
    let v2 = bob_web
        .post_file(
            &format!("/posts/{doc}/versions"),
            &[],
            (
                "budget.txt",
                "text/plain",
                b"quarterly figures v2, revised".to_vec(),
            ),
        )
        .await;
    assert_eq!(v2.status, 303, "{}", v2.body);
    let d = document(&app, &bob, &doc).await;
    assert_eq!(d["current"]["number"], 2, "{d}");
    assert_eq!(d["versions"].as_array().unwrap().len(), 2);

    // Restoring version 1 adds it again as version 3.
    let restored = bob_web
        .post(&format!("/posts/{doc}/versions/1/restore"), &[])
        .await;
    assert_eq!(restored.status, 303, "{}", restored.body);
    let d = document(&app, &bob, &doc).await;
    assert_eq!(d["current"]["number"], 3, "{d}");
    assert_eq!(d["current"]["restored_from"], 1, "{d}");
    assert_eq!(d["current"]["size"], 20, "{d}");
    let page = bob_web.get(&format!("/posts/{doc}")).await;
    assert!(
        page.body.contains("restored from version 1"),
        "{}",
        page.body
    );

    // A type the library refuses: a readable page, and nothing lost or added.
    let html = (
        "page.html",
        "text/html",
        b"<html><script></script>".to_vec(),
    );
    let refused = bob_web
        .post_file(&format!("/posts/{doc}/versions"), &[], html.clone())
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("<html"), "an error page");
    assert!(
        refused.body.contains("not a type we take"),
        "{}",
        refused.body
    );
    let refused = bob_web
        .post_file("/communities/board/library", &[("folder_id", "")], html)
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let d = document(&app, &bob, &doc).await;
    assert_eq!(d["versions"].as_array().unwrap().len(), 3, "{d}");
    assert_eq!(
        library(&app, &bob, &board, None).await["documents"],
        json!([])
    );
    let file = bob_web.get(&format!("/documents/{doc}/file")).await;
    assert_eq!(file.body, "quarterly figures v1");

    // A folder with something in it stays; moved out, the folder can go.
    let page = alice_web.get(&here).await;
    assert!(page.body.contains(&format!("folders/{folder}/delete")));
    let refused = alice_web
        .post(
            &format!("/communities/board/library/folders/{folder}/delete"),
            &[],
        )
        .await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("not empty"), "{}", refused.body);
    assert_eq!(
        library(&app, &bob, &board, None).await["folders"][0]["id"],
        folder
    );
    let moved = bob_web
        .post(&format!("/posts/{doc}/move"), &[("folder_id", "")])
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    let deleted = alice_web
        .post(
            &format!("/communities/board/library/folders/{folder}/delete"),
            &[],
        )
        .await;
    assert_eq!(deleted.status, 303, "{}", deleted.body);
    let top = library(&app, &bob, &board, None).await;
    assert_eq!(top["folders"], json!([]), "{top}");
    assert_eq!(top["documents"][0]["id"], doc.as_str(), "{top}");
}

async fn folders_renamed_and_moved(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let board = board(&app, &alice, &bob).await;
    let mut alice_web = Browser::new(&app);
    alice_web.sign_in("alice").await;
    for name in ["Plans", "Archive"] {
        let made = alice_web
            .post(
                "/communities/board/library/folders",
                &[("name", name), ("parent_id", "")],
            )
            .await;
        assert_eq!(made.status, 303, "{}", made.body);
    }
    let top = library(&app, &alice, &board, None).await;
    let id = |name: &str| {
        top["folders"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (plans, archive) = (id("Plans"), id("Archive"));
    // The move list offers the other folder, not the folder itself.
    let page = alice_web
        .get(&format!("/communities/board/library?folder={plans}"))
        .await;
    assert!(page.body.contains(&format!("<option value=\"{archive}\"")));
    assert!(!page.body.contains(&format!("<option value=\"{plans}\"")));
    let base = format!("/communities/board/library/folders/{plans}");
    let renamed = alice_web
        .post(&format!("{base}/rename"), &[("name", "Plans 2027")])
        .await;
    assert_eq!(renamed.status, 303, "{}", renamed.body);
    let moved = alice_web
        .post(&format!("{base}/move"), &[("parent_id", &archive)])
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    let inside = library(&app, &alice, &board, Some(&archive)).await;
    assert_eq!(inside["folders"][0]["name"], "Plans 2027", "{inside}");
    // The breadcrumb leads back up through Archive.
    let page = alice_web
        .get(&format!("/communities/board/library?folder={plans}"))
        .await;
    assert!(
        page.body
            .contains(&format!("?folder={archive}\">Archive</a>")),
        "{}",
        page.body
    );
    // A folder cannot go inside itself: a readable refusal.
    let refused = alice_web
        .post(
            &format!("/communities/board/library/folders/{archive}/move"),
            &[("parent_id", &plans)],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    // Bob, a member who made neither, may not change them.
    let mut bob_web = Browser::new(&app);
    bob_web.sign_in("bob").await;
    let refused = bob_web
        .post(&format!("{base}/rename"), &[("name", "Mine")])
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
}

backend_tests!(library_through_the_pages, folders_renamed_and_moved);
