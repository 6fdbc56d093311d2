//! Rate limits: 429 with `Retry-After` and a JSON error, per client address, per
//! token, per remote server on the inbox; a trusted proxy's `X-Forwarded-For`,
//! which also decides who reads `/metrics`.

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json},
};

async fn get(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    xff: Option<&str>,
) -> reqwest::Response {
    let mut req = app.client.get(app.url(path));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(x) = xff {
        req = req.header("x-forwarded-for", x);
    }
    req.send().await.expect("request")
}

async fn limited(backend: Backend) {
    let app = TestApp::with_config(backend, |c| {
        c.limits.api_per_minute = 3;
        c.limits.inbox_per_server_per_minute = 2;
    })
    .await;
    let token = app.user_with_token("alice", "read").await;
    for _ in 0..3 {
        assert_eq!(
            get(&app, "/api/v1/instance", None, None).await.status(),
            200
        );
    }
    let refused = get(&app, "/api/v1/instance", None, None).await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    let (_, body) = json(refused).await;
    assert_eq!(body["error"], "Too many requests");
    // An untrusted client cannot pick another address.
    assert_eq!(
        get(&app, "/api/v1/instance", None, Some("198.51.100.1"))
            .await
            .status(),
        429
    );
    // A signed-in client has its own budget; probes are never limited.
    for _ in 0..3 {
        assert_eq!(
            get(
                &app,
                "/api/v1/accounts/verify_credentials",
                Some(&token),
                None
            )
            .await
            .status(),
            200
        );
    }
    assert_eq!(
        get(
            &app,
            "/api/v1/accounts/verify_credentials",
            Some(&token),
            None
        )
        .await
        .status(),
        429
    );
    for _ in 0..5 {
        assert_eq!(get(&app, "/healthz", None, None).await.status(), 200);
    }

    // The inbox, per remote server (the signing key's host), before any work.
    let post = |host: &'static str| {
        let (client, url) = (app.client.clone(), app.url("/inbox"));
        async move {
            client
                .post(url)
                .header("content-type", "application/activity+json")
                .header("signature", format!("keyId=\"http://{host}/users/x#main-key\",headers=\"(request-target) host date digest\",signature=\"AAAA\""))
                .body("{}")
                .send()
                .await
                .expect("post")
                .status()
                .as_u16()
        }
    };
    assert_ne!(post("localhost:1").await, 429);
    assert_ne!(post("localhost:1").await, 429);
    assert_eq!(post("localhost:1").await, 429);
    assert_ne!(post("localhost:2").await, 429, "another server");
}

async fn behind_a_trusted_proxy(backend: Backend) {
    let app = TestApp::with_config(backend, |c| {
        c.server.trusted_proxies = vec!["127.0.0.1".into(), "::1".into()];
        c.limits.api_per_minute = 1;
    })
    .await;
    let path = "/api/v1/instance";
    assert_eq!(
        get(&app, path, None, Some("198.51.100.1")).await.status(),
        200
    );
    assert_eq!(
        get(&app, path, None, Some("198.51.100.1")).await.status(),
        429
    );
    assert_eq!(
        get(&app, path, None, Some("198.51.100.2")).await.status(),
        200,
        "each client behind the proxy has its own budget"
    );
}

const METRICS_TOKEN: &str = "0123456789abcdef0123456789abcdef";

/// A same-host proxy makes every request come from loopback: its client decides.
async fn metrics_behind_a_proxy(backend: Backend) {
    let app = TestApp::with_config(backend, |c| {
        c.server.trusted_proxies = vec!["127.0.0.1".into(), "::1".into()];
        c.metrics.token = METRICS_TOKEN.into();
    })
    .await;
    let metrics = |token, xff| get(&app, "/metrics", token, xff);
    let direct = metrics(None, None).await;
    assert_eq!(direct.status(), 200, "a scraper on this host");
    assert!(
        direct
            .text()
            .await
            .unwrap()
            .contains("passerelle_deliveries")
    );
    let (status, body) = json(metrics(None, Some("198.51.100.7")).await).await;
    assert_eq!(status, 403, "{body}");
    assert!(body["error"].is_string(), "{body}");
    assert_eq!(
        metrics(Some(METRICS_TOKEN), Some("198.51.100.7"))
            .await
            .status(),
        200,
        "the token opens it from anywhere"
    );
    assert_eq!(
        metrics(
            Some("0123456789abcdef0123456789abcdeX"),
            Some("198.51.100.7")
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        metrics(None, Some("127.0.0.1")).await.status(),
        200,
        "the proxy's own host"
    );

    // A proxy nobody declared hides its client: refused, not taken for loopback.
    let undeclared = TestApp::with_config(backend, |_| {}).await;
    let (status, _) = json(get(&undeclared, "/metrics", None, Some("198.51.100.7")).await).await;
    assert_eq!(status, 403);
    assert_eq!(
        get(&undeclared, "/metrics", None, None).await.status(),
        200,
        "direct loopback"
    );
}

backend_tests!(limited, behind_a_trusted_proxy, metrics_behind_a_proxy);
