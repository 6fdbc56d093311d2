//! The profile form of `/settings`: name, bio, profile fields and pictures,
//! saved through the same rules as the API's `update_credentials`.

use crate::{
    backend_tests,
    browser::Browser,
    helpers::{Backend, json, spawn_app},
    profiles::png,
};

backend_tests!(profile_fields_and_pictures);

async fn profile_fields_and_pictures(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.user_with_token("alice", "read").await;
    let mut alice = Browser::new(&app);
    alice.sign_in("alice").await;
    let (_, before) = json(
        app.get_auth("/api/v1/accounts/verify_credentials", &token)
            .await,
    )
    .await;
    let default_avatar = before["avatar"].as_str().expect("avatar").to_string();

    let saved = alice
        .post_files(
            "/settings/profile",
            &[
                ("display_name", "Alice Martin"),
                ("note", "Procurement, Lyon"),
                ("field_name0", "Department"),
                ("field_value0", "Purchasing"),
                ("field_name2", "Site"),
                ("field_value2", "https://intranet.example/lyon"),
            ],
            vec![("avatar", png(120, 120))],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let (_, me) = json(
        app.get_auth("/api/v1/accounts/verify_credentials", &token)
            .await,
    )
    .await;
    assert_eq!(me["display_name"], "Alice Martin");
    assert_eq!(me["source"]["fields"][0]["name"], "Department");
    assert_eq!(
        me["source"]["fields"][1]["value"],
        "https://intranet.example/lyon"
    );
    assert_eq!(
        me["fields"].as_array().map(Vec::len),
        Some(2),
        "blank rows dropped"
    );
    assert_ne!(me["avatar"], default_avatar.as_str(), "{me}");
    // The form shows what was saved, as written; the profile shows the fields.
    let page = alice.get("/settings").await;
    assert!(page.body.contains(r#"value="Purchasing""#), "{}", page.body);
    assert!(
        page.body
            .contains(r#"value="https://intranet.example/lyon""#)
    );
    assert!(alice.get("/@alice").await.body.contains("Purchasing"));

    // Removing the picture; a field too long is refused and nothing changes.
    let long = "x".repeat(300);
    let refused = alice
        .post_files(
            "/settings/profile",
            &[
                ("display_name", "Renamed"),
                ("field_name0", "Bio"),
                ("field_value0", &long),
            ],
            vec![],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    alice
        .post_files(
            "/settings/profile",
            &[
                ("display_name", "Alice Martin"),
                ("field_name0", "Department"),
                ("field_value0", "Purchasing"),
                ("remove_avatar", "1"),
            ],
            vec![],
        )
        .await;
    let (_, me) = json(
        app.get_auth("/api/v1/accounts/verify_credentials", &token)
            .await,
    )
    .await;
    assert_eq!(me["display_name"], "Alice Martin");
    assert_eq!(me["avatar"], default_avatar.as_str());
    // Not an image: a readable refusal.
    let bad = alice
        .post_files(
            "/settings/profile",
            &[("display_name", "A")],
            vec![("avatar", b"nope".to_vec())],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
}
