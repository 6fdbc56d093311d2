//! The people directory through the API: the organisation's profile fields,
//! Mastodon's `/api/v1/directory`, account search by skill, "find an expert"
//! and what it may show, the ambassador badge and naming administrators.

use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

backend_tests!(
    profile_fields_round_trip,
    disabled_fields_are_refused,
    mastodon_directory,
    account_search_finds_skills,
    experts_respect_visibility,
    ambassador_and_admin_roles,
);

const PROFILE: &str = "/api/passerelle/v1/account/directory_profile";

pub(crate) async fn patch(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    json(
        app.client
            .patch(app.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    json(app.get_auth(path, token).await).await
}

async fn profile_fields_round_trip(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let (status, empty) = get(&app, &alice, PROFILE).await;
    assert_eq!(status, 200, "{empty}");
    assert_eq!(empty["department"], "");
    assert_eq!(empty["skills"], json!([]));

    let (status, saved) = patch(
        &app,
        &alice,
        PROFILE,
        json!({
            "department": "  Purchasing ",
            "job_title": "Buyer",
            "location": "Lyon",
            "phone": "+33 4 00 00 00 00",
            "languages": "French, German",
            "skills": ["Negotiation", " #Public Procurement ", "negotiation"],
        }),
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["department"], "Purchasing");
    assert_eq!(
        saved["skills"],
        json!(["negotiation", "public procurement"])
    );

    // Only what is sent changes; skills may come as one comma-separated text.
    let (_, saved) = patch(&app, &alice, PROFILE, json!({"skills": "rust, SQL"})).await;
    assert_eq!(saved["skills"], json!(["rust", "sql"]));
    assert_eq!(saved["job_title"], "Buyer");

    // Bad values are refused and change nothing.
    let (status, _) = patch(&app, &alice, PROFILE, json!({"phone": "call me"})).await;
    assert_eq!(status, 422);
    let (status, _) = patch(
        &app,
        &alice,
        PROFILE,
        json!({"department": "x".repeat(101)}),
    )
    .await;
    assert_eq!(status, 422);
    let (_, now) = get(&app, &alice, PROFILE).await;
    assert_eq!(now["phone"], "+33 4 00 00 00 00");

    // A colleague reads it; an anonymous reader cannot.
    let id = app.account_id(&alice).await;
    let path = format!("/api/passerelle/v1/accounts/{id}/directory_profile");
    let (status, seen) = get(&app, &bob, &path).await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(seen["profile"]["location"], "Lyon");
    assert_eq!(seen["account"]["username"], "alice");
    assert_eq!(app.get(&path).await.status().as_u16(), 401);
    // The Mastodon fields are untouched.
    let (_, me) = get(&app, &alice, "/api/v1/accounts/verify_credentials").await;
    assert_eq!(me["fields"], json!([]));
}

async fn disabled_fields_are_refused(backend: Backend) {
    let app = TestApp::with_config(backend, |c| {
        c.directory.fields = vec![
            passerelle::config::DirectoryField::Department,
            passerelle::config::DirectoryField::Skills,
        ];
    })
    .await;
    let alice = app.user_with_token("alice", "read write").await;
    let (status, body) = patch(&app, &alice, PROFILE, json!({"phone": "123"})).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["error"].as_str().unwrap().contains("phone"), "{body}");
    let (status, p) = patch(&app, &alice, PROFILE, json!({"department": "Legal"})).await;
    assert_eq!(status, 200);
    let keys: Vec<&String> = p.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["department", "skills"], "{p}");
}

async fn mastodon_directory(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let _bob = app.user_with_token("bob", "read write").await;
    let carol = app.user_with_token("carol", "read write").await;
    let (status, _) = patch(
        &app,
        &carol,
        "/api/v1/accounts/update_credentials",
        json!({"discoverable": false}),
    )
    .await;
    assert_eq!(status, 200);
    // alice posts, so she is the most recently active.
    let (status, _) = app
        .post_form(&alice, "/api/v1/statuses", &[("status", "hello")])
        .await;
    assert_eq!(status, 200);

    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| a["username"].as_str().unwrap().to_string())
            .collect()
    };
    let (status, active) = json(app.get("/api/v1/directory?order=active").await).await;
    assert_eq!(status, 200, "{active}");
    assert_eq!(
        names(&active),
        ["alice", "bob"],
        "discoverable only, active first"
    );
    let a = &active[0];
    for key in [
        "id",
        "acct",
        "display_name",
        "avatar",
        "fields",
        "emojis",
        "roles",
        "group",
    ] {
        assert!(a.get(key).is_some(), "{key} in {a}");
    }
    assert!(a["last_status_at"].is_string(), "{a}");
    let (_, new) = json(app.get("/api/v1/directory?order=new&local=true").await).await;
    assert_eq!(names(&new), ["bob", "alice"], "newest first");
    let (_, page) = json(
        app.get("/api/v1/directory?order=new&offset=1&limit=1")
            .await,
    )
    .await;
    assert_eq!(names(&page), ["alice"]);
    let (status, _) = json(app.get("/api/v1/directory?order=loud").await).await;
    assert_eq!(status, 422);
}

async fn account_search_finds_skills(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let bob = app.user_with_token("bob", "read write").await;
    let (status, _) = patch(
        &app,
        &alice,
        PROFILE,
        json!({"department": "Purchasing", "skills": ["kubernetes"]}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, found) = get(&app, &bob, "/api/v2/search?q=kubernetes&type=accounts").await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["accounts"][0]["username"], "alice", "{found}");
    let (_, found) = get(&app, &bob, "/api/v1/accounts/search?q=purchas").await;
    assert_eq!(found[0]["username"], "alice", "{found}");
    // Anonymous readers search names only.
    let (_, found) = json(app.get("/api/v2/search?q=kubernetes&type=accounts").await).await;
    assert_eq!(found["accounts"], json!([]), "{found}");
}

async fn community(
    app: &TestApp,
    owner: &str,
    name: &str,
    about: &str,
    visibility: &str,
) -> String {
    let (status, c) = app
        .post_json(
            owner,
            "/api/passerelle/v1/communities",
            json!({"name": name, "title": name, "description": about, "visibility": visibility}),
        )
        .await;
    assert_eq!(status, 200, "{c}");
    c["id"].as_str().unwrap().to_string()
}

async fn thread(app: &TestApp, token: &str, community: &str, title: &str) {
    let (status, t) = app
        .post_json(
            token,
            &format!("/api/passerelle/v1/communities/{community}/threads"),
            json!({"title": title, "body": "Details inside"}),
        )
        .await;
    assert_eq!(status, 200, "{t}");
}

async fn experts_respect_visibility(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write follow").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let carol = app.user_with_token("carol", "read write follow").await;
    let dave = app.user_with_token("dave", "read write follow").await;
    patch(&app, &alice, PROFILE, json!({"skills": ["kubernetes"]})).await;
    patch(
        &app,
        &dave,
        PROFILE,
        json!({"job_title": "Kubernetes tinkerer"}),
    )
    .await;
    let cloud = community(&app, &carol, "cloud", "Kubernetes and containers", "public").await;
    let ops = community(&app, &carol, "ops", "Operations", "members").await;
    let infra = community(&app, &carol, "infra", "Infrastructure", "internal").await;
    thread(&app, &carol, &ops, "Secret kubernetes upgrade plan").await;
    thread(&app, &carol, &infra, "Kubernetes cluster costs").await;
    thread(&app, &carol, &cloud, "Kubernetes on a budget").await;
    let (status, _) = app
        .post_json(
            &dave,
            &format!("/api/passerelle/v1/communities/{cloud}/join"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);

    let (status, found) = get(
        &app,
        &bob,
        "/api/passerelle/v1/experts?q=Who%20knows%20Kubernetes%3F",
    )
    .await;
    assert_eq!(status, 200, "{found}");
    let people: Vec<&str> = found["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["account"]["username"].as_str().unwrap())
        .collect();
    // The declared skill first; then words of a profile (and a public membership).
    assert_eq!(people, ["alice", "dave"], "{found}");
    assert_eq!(found["people"][0]["matched_skills"], json!(["kubernetes"]));
    let text = found["communities"].to_string();
    assert!(
        text.contains("cloud") && text.contains("Kubernetes on a budget"),
        "{text}"
    );
    assert!(
        text.contains("Kubernetes cluster costs"),
        "local people read internal: {text}"
    );
    assert!(
        !text.contains("Secret kubernetes"),
        "not a member of ops: {text}"
    );
    assert!(
        !found["communities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["name"] == "ops"),
        "{text}"
    );

    // A member reads the members-only thread.
    let (_, found) = get(&app, &carol, "/api/passerelle/v1/experts?q=kubernetes").await;
    assert!(
        found["communities"]
            .to_string()
            .contains("Secret kubernetes"),
        "{found}"
    );

    // Anonymous: public communities only, no people.
    let (status, found) = json(app.get("/api/passerelle/v1/experts?q=kubernetes").await).await;
    assert_eq!(status, 200);
    assert_eq!(found["people"], json!([]));
    let text = found["communities"].to_string();
    assert!(text.contains("Kubernetes on a budget"), "{text}");
    assert!(
        !text.contains("infra") && !text.contains("cluster costs"),
        "{text}"
    );
    assert!(!text.contains("Secret"), "{text}");
}

async fn ambassador_and_admin_roles(backend: Backend) {
    let app = spawn_app(backend).await;
    let root = app
        .admin_with_token("chief", "read write admin:read admin:write")
        .await;
    let alice = app
        .user_with_token("alice", "read write admin:read admin:write")
        .await;
    let alice_id = app.account_id(&alice).await;
    let ambassador = format!("/api/passerelle/v1/admin/accounts/{alice_id}/ambassador");

    let (_, before) = get(&app, &alice, &format!("/api/v1/accounts/{alice_id}")).await;
    assert_eq!(before["roles"], json!([]));
    // Only administrators give the badge.
    let (status, _) = app.post_json(&alice, &ambassador, json!({})).await;
    assert_eq!(status, 403);
    let (status, body) = app.post_json(&root, &ambassador, json!({})).await;
    assert_eq!(status, 200, "{body}");
    let (_, after) = json(app.get(&format!("/api/v1/accounts/{alice_id}")).await).await;
    assert_eq!(after["roles"][0]["name"], "Ambassador", "{after}");
    assert_eq!(after["roles"][0]["id"], "ambassador");
    let (_, listed) = json(app.get("/api/v1/directory").await).await;
    let shown = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == "alice")
        .unwrap();
    assert_eq!(shown["roles"][0]["name"], "Ambassador");
    // Ambassadors create communities (as everyone here may).
    let (status, c) = app
        .post_json(
            &alice,
            "/api/passerelle/v1/communities",
            json!({"name": "welcome"}),
        )
        .await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(
        app.delete_auth(&ambassador, &root).await.status().as_u16(),
        200
    );
    let (_, after) = json(app.get(&format!("/api/v1/accounts/{alice_id}")).await).await;
    assert_eq!(after["roles"], json!([]));

    // Naming an administrator, and un-naming.
    let admin = format!("/api/passerelle/v1/admin/accounts/{alice_id}/admin");
    let queue = "/api/passerelle/v1/admin/federation/queue";
    assert_eq!(app.get_auth(queue, &alice).await.status().as_u16(), 403);
    let (status, body) = app.post_json(&root, &admin, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(app.get_auth(queue, &alice).await.status().as_u16(), 200);
    let root_id = app.account_id(&root).await;
    let (status, _) = json(
        app.delete_auth(
            &format!("/api/passerelle/v1/admin/accounts/{root_id}/admin"),
            &root,
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "nobody withdraws their own role");
    assert_eq!(app.delete_auth(&admin, &root).await.status().as_u16(), 200);
    assert_eq!(app.get_auth(queue, &alice).await.status().as_u16(), 403);
}
