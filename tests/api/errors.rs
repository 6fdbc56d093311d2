//! Bad input gets the right status and a JSON error body, never a 500.

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
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
    let app = TestApp::with_config(backend, |c| c.server.max_body_bytes = 4096).await;
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

/// Sends a request by hand and reads the status line: the server answers an
/// oversized body before it has all been sent, which HTTP clients report as a
/// broken pipe instead of the response.
async fn raw_status(addr: &str, head: &str, body: &[u8]) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.write_all(head.as_bytes()).await.expect("head");
    // The server may stop reading early: write errors are expected.
    let _ = stream.write_all(body).await;
    let mut buf = vec![0u8; 1024];
    let n = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read(&mut buf))
        .await
        .expect("answer in time")
        .expect("read");
    let line = String::from_utf8_lossy(&buf[..n]).to_string();
    line.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status: {line}"))
}

async fn inbox_refuses_unsigned_and_oversized_posts(backend: Backend) {
    let app = spawn_app(backend).await;
    let (status, body) = json(
        app.client
            .post(app.url("/inbox"))
            .header("content-type", "application/activity+json")
            .body("{}")
            .send()
            .await
            .expect("post"),
    )
    .await;
    assert_eq!(status, 401, "{body}");
    let addr = app.domain.replace("localhost", "127.0.0.1");
    let big = 5 * 1024 * 1024;
    let head = format!(
        "POST /inbox HTTP/1.1\r\nHost: {}\r\nContent-Type: application/activity+json\r\nContent-Length: {big}\r\n\r\n",
        app.domain
    );
    assert_eq!(raw_status(&addr, &head, &vec![b' '; 64 * 1024]).await, 413);
    // Without a Content-Length (chunked), the limit holds too.
    let head = format!(
        "POST /users/nobody/inbox HTTP/1.1\r\nHost: {}\r\nContent-Type: application/activity+json\r\nTransfer-Encoding: chunked\r\n\r\n",
        app.domain
    );
    let mut chunks = Vec::new();
    for _ in 0..40 {
        chunks.extend_from_slice(format!("{:x}\r\n", 64 * 1024).as_bytes());
        chunks.extend(std::iter::repeat_n(b' ', 64 * 1024));
        chunks.extend_from_slice(b"\r\n");
    }
    assert_eq!(raw_status(&addr, &head, &chunks).await, 413);
}

backend_tests!(
    bad_requests_get_json_errors,
    oversized_bodies_get_413,
    inbox_refuses_unsigned_and_oversized_posts
);

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
