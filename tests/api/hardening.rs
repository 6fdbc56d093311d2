//! Denial of service at the HTTP layer and hardened answers (issue #16): capped
//! forms and multipart bodies, connection timeouts and a per-address cap, NUL
//! characters refused, JSON error bodies, framing and sniffing headers.

use std::time::Duration;

use reqwest::multipart::{Form, Part};
use serde_json::json;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

backend_tests!(
    forms_with_too_many_fields_get_413,
    nul_characters_get_422,
    multipart_limits_get_413,
    hardened_answers,
    header_trickle_is_cut_off,
    idle_keep_alive_is_closed,
    trickled_body_is_cut_off,
    connections_per_address_are_capped,
    unparsable_requests_get_json_errors,
);

async fn forms_with_too_many_fields_get_413(backend: Backend) {
    let app = spawn_app(backend).await;
    let mut body = String::from("client_name=x&redirect_uris=urn:ietf:wg:oauth:2.0:oob");
    for i in 0..1000 {
        body.push_str(&format!("&k{i}=v"));
    }
    let (status, answer) = json(
        app.client
            .post(app.url("/api/v1/apps"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 413, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("fields"));
}

async fn nul_characters_get_422(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    let (status, answer) = json(app.get_auth("/api/v2/search?q=%00", &alice).await).await;
    assert_eq!(status, 422, "{answer}");
    let (status, answer) = app
        .post_json(&alice, "/api/v1/statuses", json!({"status": "a\u{0}b"}))
        .await;
    assert_eq!(status, 422, "{answer}");
    let (status, answer) = json(
        app.client
            .patch(app.url("/api/v1/accounts/update_credentials"))
            .bearer_auth(&alice)
            .form(&[("display_name", "Al\u{0}ice")])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 422, "{answer}");
    let (status, answer) = json(
        app.client
            .patch(app.url("/api/v1/accounts/update_credentials"))
            .bearer_auth(&alice)
            .multipart(Form::new().text("note", "a\u{0}"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 422, "{answer}");
}

async fn patch_profile(app: &TestApp, token: &str, form: Form) -> (u16, serde_json::Value) {
    json(
        app.client
            .patch(app.url("/api/v1/accounts/update_credentials"))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// 413, or the connection cut while the client was still sending: the server
/// answers as soon as a limit is crossed and does not read the rest.
async fn refused_early(sent: reqwest::Result<reqwest::Response>) {
    match sent {
        Ok(resp) => {
            let (status, answer) = json(resp).await;
            assert_eq!(status, 413, "{answer}");
        }
        Err(e) => assert!(e.is_request(), "{e}"),
    }
}

async fn multipart_limits_get_413(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write").await;
    // Refused requests may have their connection cut mid-send: none of them goes
    // back to a pool where the legitimate request at the end would pick it up.
    let once = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    // Too many parts.
    let mut form = Form::new();
    for i in 0..200 {
        form = form.text(format!("x{i}"), "y");
    }
    let sent = once
        .patch(app.url("/api/v1/accounts/update_credentials"))
        .bearer_auth(&alice)
        .multipart(form)
        .send()
        .await;
    refused_early(sent).await;
    // A text field far beyond any legitimate one, refused before it is read whole.
    let big = "a".repeat(2 * 1024 * 1024);
    let sent = once
        .patch(app.url("/api/v1/accounts/update_credentials"))
        .bearer_auth(&alice)
        .multipart(Form::new().text("note", big.clone()))
        .send()
        .await;
    refused_early(sent).await;
    let form = Form::new()
        .part(
            "file",
            Part::bytes(b"%PDF-1.4\n".to_vec())
                .file_name("a.pdf")
                .mime_str("application/pdf")
                .unwrap(),
        )
        .text("description", big);
    let sent = once
        .post(app.url("/api/v2/media"))
        .bearer_auth(&alice)
        .multipart(form)
        .send()
        .await;
    refused_early(sent).await;
    // A legitimate update still works.
    let (status, me) = patch_profile(&app, &alice, Form::new().text("display_name", "Alice")).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["display_name"], "Alice");
}

async fn hardened_answers(backend: Backend) {
    let app = spawn_app(backend).await;
    // Framing and sniffing headers, on the authorisation page and elsewhere.
    for path in [
        "/oauth/authorize?response_type=code&client_id=nobody",
        "/healthz",
    ] {
        let resp = app.get(path).await;
        let h = resp.headers();
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    }
    // A web app's preflight: `Authorization` allowed by name (a `*` does not
    // cover it), and the answer kept for a day rather than asked before every call.
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/timelines/home"))
        .header("origin", "https://elk.example")
        .header("access-control-request-method", "GET")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    let h = preflight.headers();
    let allowed = h["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(allowed.contains("authorization"), "{allowed}");
    assert_eq!(h["access-control-max-age"], "86400");
    assert_eq!(h["access-control-allow-origin"], "*");
    // A path that does not decode: axum's own rejection, now with a JSON body.
    let (status, answer) = json(app.get("/api/v1/statuses/%FF").await).await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer["error"].is_string());
    // The inbox takes ActivityPub JSON only, before any signature check.
    for path in ["/inbox", "/users/nobody/inbox", "/c/nobody/inbox"] {
        let (status, answer) = json(
            app.client
                .post(app.url(path))
                .header("Content-Type", "text/plain")
                .body("{}")
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, 415, "{path}: {answer}");
    }
    // Documents are downloaded, never displayed in the site's origin.
    let alice = app.user_with_token("alice", "read write").await;
    let form = Form::new().part(
        "file",
        Part::bytes(b"%PDF-1.4\n%minimal\n".to_vec())
            .file_name("plan.pdf")
            .mime_str("application/pdf")
            .unwrap(),
    );
    let (status, m) = json(
        app.client
            .post(app.url("/api/v2/media"))
            .bearer_auth(&alice)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{m}");
    let resp = app
        .client
        .get(m["url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let disposition = resp.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
}

fn addr(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_string()
}

/// Reads until the server closes the connection (within 10 s, or the test
/// fails); returns what it sent.
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server kept the connection open");
    String::from_utf8_lossy(&got).into_owned()
}

async fn header_trickle_is_cut_off(backend: Backend) {
    let app = TestApp::with_config(backend, |c| {
        c.server.header_read_timeout_seconds = 1;
        c.server.idle_timeout_seconds = 60;
    })
    .await;
    let mut s = TcpStream::connect(addr(&app)).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: loc")
        .await
        .unwrap();
    read_until_closed(&mut s).await;
}

async fn idle_keep_alive_is_closed(backend: Backend) {
    // Headers may take long here: only the idle timeout can close the connection.
    let app = TestApp::with_config(backend, |c| {
        c.server.header_read_timeout_seconds = 60;
        c.server.idle_timeout_seconds = 1;
    })
    .await;
    let mut s = TcpStream::connect(addr(&app)).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let answer = read_until_closed(&mut s).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

async fn trickled_body_is_cut_off(backend: Backend) {
    let app = TestApp::with_config(backend, |c| {
        c.server.header_read_timeout_seconds = 60;
        c.server.idle_timeout_seconds = 60;
        c.server.body_read_timeout_seconds = 1;
    })
    .await;
    let mut s = TcpStream::connect(addr(&app)).await.unwrap();
    s.write_all(
        b"POST /api/v1/apps HTTP/1.1\r\nHost: localhost\r\n\
          Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nclient_",
    )
    .await
    .unwrap();
    let answer = read_until_closed(&mut s).await;
    assert!(answer.starts_with("HTTP/1.1 4"), "{answer}");
}

/// Sends one request on `s` and reads its status line (keeping the connection).
async fn healthz_on(s: &mut TcpStream) -> bool {
    if s.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .is_err()
    {
        return false;
    }
    let mut buf = [0u8; 1024];
    matches!(
        tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await,
        Ok(Ok(n)) if n > 0 && buf.starts_with(b"HTTP/1.1 200")
    )
}

async fn connections_per_address_are_capped(backend: Backend) {
    let app = TestApp::with_config(backend, |c| c.server.max_connections_per_address = 2).await;
    let mut first = TcpStream::connect(addr(&app)).await.unwrap();
    let mut second = TcpStream::connect(addr(&app)).await.unwrap();
    assert!(healthz_on(&mut first).await);
    assert!(healthz_on(&mut second).await);
    let mut third = TcpStream::connect(addr(&app)).await.unwrap();
    assert!(
        !healthz_on(&mut third).await,
        "a third connection was served"
    );
    drop(first);
    // The slot frees once the server sees the close: a bounded wait for it.
    let mut served = false;
    for _ in 0..50 {
        let mut again = TcpStream::connect(addr(&app)).await.unwrap();
        if healthz_on(&mut again).await {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(served, "no new connection was served after one closed");
    assert!(healthz_on(&mut second).await);
}

/// What hyper would answer with an empty body gets a JSON error on a first request.
async fn unparsable_requests_get_json_errors(backend: Backend) {
    let app = spawn_app(backend).await;
    let long = format!(
        "GET /api/v1/instance?q={} HTTP/1.1\r\n\r\n",
        "a".repeat(70_000)
    );
    for (request, status) in [
        (long.as_str(), "HTTP/1.1 414 "),
        ("HELLO THERE\r\n\r\n", "HTTP/1.1 400 "),
        ("GET /a b HTTP/1.1\r\n\r\n", "HTTP/1.1 400 "),
    ] {
        let mut s = TcpStream::connect(addr(&app)).await.unwrap();
        s.write_all(request.as_bytes()).await.unwrap();
        let answer = read_until_closed(&mut s).await;
        assert!(answer.starts_with(status), "{answer}");
        assert!(answer.contains("application/json"), "{answer}");
        let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
        let error: serde_json::Value = serde_json::from_str(body).unwrap();
        assert!(error["error"].is_string(), "{answer}");
    }
    // A long but acceptable line, sent in pieces, still reaches the application.
    let mut s = TcpStream::connect(addr(&app)).await.unwrap();
    let path = format!("/api/v1/instance?q={}", "a".repeat(8_000));
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        app.domain
    );
    let (first, rest) = request.split_at(5_000);
    s.write_all(first.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    s.write_all(rest.as_bytes()).await.unwrap();
    let answer = read_until_closed(&mut s).await;
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
}
