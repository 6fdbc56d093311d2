//! `/api/v2/search` over statuses: full text on both databases (SQLite FTS5,
//! PostgreSQL tsvector), never beyond what the reader may see.

use passerelle::db;
use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

/// The texts of the statuses found for `q`, as `token` (or anonymously).
async fn found(app: &TestApp, token: Option<&str>, q: &str) -> Vec<String> {
    let path = format!(
        "/api/v2/search?type=statuses&q={}",
        url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
    );
    let resp = match token {
        Some(t) => app.get_auth(&path, t).await,
        None => app.get(&path).await,
    };
    let (status, body) = json(resp).await;
    assert_eq!(status, 200, "{q}: {body}");
    body["statuses"]
        .as_array()
        .expect("statuses")
        .iter()
        .map(|s| s["content"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn statuses_by_words(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let carol = app.user_with_token("carol", "read write").await;

    let (status, posted) = app
        .post_json(
            &alice,
            "/api/v1/statuses",
            json!({"status": "Quarterly roadmap review on Monday"}),
        )
        .await;
    assert_eq!(status, 200, "{posted}");
    let (_, other) = app
        .post_json(&alice, "/api/v1/statuses", json!({"status": "Lunch menu"}))
        .await;
    let (status, hr) = app
        .post_json(
            &bob,
            "/api/passerelle/v1/communities",
            json!({"name": "hr", "visibility": "internal"}),
        )
        .await;
    assert_eq!(status, 200, "{hr}");
    let path = format!(
        "/api/passerelle/v1/communities/{}/threads",
        hr["id"].as_str().unwrap()
    );
    let (status, thread): (u16, Value) = app
        .post_json(
            &bob,
            &path,
            json!({"title": "Salary roadmap", "body": "Confidential figures"}),
        )
        .await;
    assert_eq!(status, 200, "{thread}");

    let alices = found(&app, Some(&carol), "roadmap").await;
    assert_eq!(alices.len(), 1, "{alices:?}");
    assert!(alices[0].contains("Quarterly roadmap"));
    assert_eq!(
        found(&app, Some(&carol), "ROADMAP quarterly").await.len(),
        1
    );
    assert_eq!(
        found(&app, None, "roadmap").await.len(),
        1,
        "anonymous: public only"
    );
    assert_eq!(
        found(&app, Some(&bob), "roadmap").await.len(),
        2,
        "members find their community's threads"
    );
    assert_eq!(found(&app, Some(&carol), "confidential").await.len(), 0);
    assert_eq!(found(&app, Some(&carol), "absent").await.len(), 0);
    // Walking the index in small chunks finds the same, page after page.
    let walk = |who: &'static str, limit: i64, offset: i64, chunk: i64| {
        app.state.db.run(move |c| {
            let me = db::users::by_login(c, who)?.expect("user").1.id;
            let found =
                db::search::statuses_in_chunks(c, "roadmap", Some(me), limit, offset, chunk)?;
            Ok(found.into_iter().map(|s| s.id).collect::<Vec<_>>())
        })
    };
    let carols = walk("carol", 20, 0, 500).await.unwrap();
    let bobs = walk("bob", 20, 0, 500).await.unwrap();
    assert_eq!((carols.len(), bobs.len()), (1, 2));
    for chunk in [1, 2] {
        assert_eq!(walk("carol", 20, 0, chunk).await.unwrap(), carols);
        assert_eq!(walk("carol", 1, 1, chunk).await.unwrap(), Vec::<i64>::new());
        assert_eq!(walk("bob", 20, 0, chunk).await.unwrap(), bobs);
        assert_eq!(walk("bob", 1, 1, chunk).await.unwrap(), bobs[1..]);
    }

    // What people type is text, never query syntax.
    for hostile in [
        "\"roadmap",
        "roadmap OR (",
        "NEAR(a b",
        "*",
        "' OR 1=1 --",
        "-",
        ":",
    ] {
        found(&app, Some(&carol), hostile).await;
    }

    // Deleted statuses leave the index; edits are searchable at once.
    let id = posted["id"].as_str().unwrap();
    let resp = app
        .delete_auth(&format!("/api/v1/statuses/{id}"), &alice)
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(found(&app, Some(&carol), "roadmap").await.len(), 0);
    let other_id = other["id"].as_str().unwrap();
    let resp = app
        .client
        .put(app.url(&format!("/api/v1/statuses/{other_id}")))
        .bearer_auth(&alice)
        .json(&json!({"status": "Lunch menu and roadmap"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(found(&app, Some(&carol), "roadmap").await.len(), 1);
    assert_eq!(found(&app, Some(&carol), "lunch").await.len(), 1);
}

backend_tests!(statuses_by_words);
