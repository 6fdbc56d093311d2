//! Bad input gets the right status and a JSON error body, never a 500.

use crate::{
    backend_tests,
    helpers::{Backend, TestDb, json, spawn_app, spawn_app_with},
};

async fn bad_requests_get_json_errors(backend: Backend) {
    let app = spawn_app(backend).await;
    let (status, body) = json(app.get("/no/such/path").await).await;
    assert_eq!(status, 404);
    assert!(body["error"].is_string());
    let (status, body) = json(
        app.client
            .delete(app.url("/api/v1/instance"))
            .send()
            .await
            .expect("delete"),
    )
    .await;
    assert_eq!(status, 405);
    assert!(body["error"].is_string());
    let (status, body) = json(
        app.client
            .post(app.url("/api/v1/apps"))
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .expect("post"),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    // Wrong types are a validation failure.
    let (status, _) = json(
        app.client
            .post(app.url("/api/v1/apps"))
            .header("content-type", "application/json")
            .body(r#"{"client_name": 12, "redirect_uris": "x"}"#)
            .send()
            .await
            .expect("post"),
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = json(
        app.client
            .post(app.url("/oauth/token"))
            .json(&serde_json::json!({}))
            .send()
            .await
            .expect("token"),
    )
    .await;
    assert_eq!(status, 400);
}

async fn oversized_bodies_get_413(backend: Backend) {
    let app = spawn_app_with(TestDb::new(backend), "[server]\nmax_body_bytes = 4096\n").await;
    let big = format!(
        "{{\"client_name\": \"{}\", \"redirect_uris\": \"urn:ietf:wg:oauth:2.0:oob\"}}",
        "x".repeat(10_000)
    );
    let (status, body) = json(
        app.client
            .post(app.url("/api/v1/apps"))
            .header("content-type", "application/json")
            .body(big.clone())
            .send()
            .await
            .expect("post"),
    )
    .await;
    assert_eq!(status, 413, "{body}");
    let form = reqwest::multipart::Form::new().text("client_name", "x".repeat(10_000));
    let (status, _) = json(
        app.client
            .post(app.url("/api/v1/apps"))
            .multipart(form)
            .send()
            .await
            .expect("multipart"),
    )
    .await;
    assert_eq!(status, 413);
}

backend_tests!(bad_requests_get_json_errors, oversized_bodies_get_413);

/// PostgreSQL only: a database that goes away turns /healthz to 503.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_reports_a_lost_database() {
    let Ok(base) = std::env::var(crate::helpers::POSTGRES_ENV) else {
        eprintln!("skipped: {} is not set", crate::helpers::POSTGRES_ENV);
        return;
    };
    let app = spawn_app(Backend::Postgres).await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    let name = app.db.url.rsplit('/').next().expect("db name").to_string();
    passerelle::db::test_support::drop_postgres_database(&base, &name).expect("drop");
    let (status, body) = json(app.get("/healthz").await).await;
    assert_eq!(status, 503);
    assert!(body["error"].is_string());
}
