//! Login abuse: concurrent password checks are bounded, failed logins throttle
//! the account, invented tokens do not escape the per-address rate limit.

use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp},
};

const REDIRECT: &str = "https://client.example/callback";

async fn register(app: &TestApp) -> Value {
    let resp = app
        .client
        .post(app.url("/api/v1/apps"))
        .json(&json!({ "client_name": "Test client", "redirect_uris": REDIRECT, "scopes": "read" }))
        .send()
        .await
        .expect("apps");
    assert_eq!(resp.status(), 200);
    resp.json().await.expect("app json")
}

/// Submits the login form; returns the status, `Retry-After` and the body.
async fn login(
    app: &TestApp,
    client: &Value,
    name: &str,
    password: &str,
) -> (u16, Option<u64>, String) {
    let resp = app
        .client
        .post(app.url("/oauth/authorize"))
        .form(&[
            ("response_type", "code"),
            (
                "client_id",
                client["client_id"].as_str().expect("client_id"),
            ),
            ("redirect_uri", REDIRECT),
            ("scope", "read"),
            ("login", name),
            ("password", password),
            ("decision", "approve"),
        ])
        .send()
        .await
        .expect("authorize");
    let status = resp.status().as_u16();
    let retry = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok()?.parse().ok());
    (status, retry, resp.text().await.expect("body"))
}

fn is_json_error(body: &str) -> bool {
    serde_json::from_str::<Value>(body).is_ok_and(|v| v["error"].is_string())
}

async fn concurrent_wrong_logins_get_proper_answers(backend: Backend) {
    let app = TestApp::with_config(backend, |c| c.limits.api_per_minute = 0).await;
    app.user_with_token("alice", "read").await;
    let client = register(&app).await;
    let tries = (0..40).map(|i| {
        let (app, client) = (&app, &client);
        async move {
            let name = if i % 2 == 0 {
                "alice".to_string()
            } else {
                format!("nobody{i}")
            };
            login(app, client, &name, "wrong password").await
        }
    });
    for (status, retry, body) in futures_util::future::join_all(tries).await {
        match status {
            // The login page again, with its message.
            401 => assert!(body.contains("Invalid name or password"), "{body}"),
            429 | 503 => {
                assert!(is_json_error(&body), "{status}: {body}");
                assert!(
                    retry.is_some_and(|s| s >= 1),
                    "{status} without Retry-After"
                );
            }
            other => panic!("{other}: {body}"),
        }
    }
}

const RIGHT: &str = "correct horse battery";

async fn failed_logins_lock_the_account_for_a_while(backend: Backend) {
    let app = TestApp::with_config(backend, |c| {
        c.limits.api_per_minute = 0;
        c.limits.login_failures = 3;
        c.limits.login_lockout_secs = 1;
        c.limits.login_lockout_max_secs = 1;
    })
    .await;
    app.user_with_token("alice", "read").await;
    app.user_with_token("bob", "read").await;
    let client = register(&app).await;
    for _ in 0..3 {
        assert_eq!(login(&app, &client, "alice", "wrong").await.0, 401);
    }
    for name in ["alice", "ALICE@example.com"] {
        let (status, retry, body) = login(&app, &client, name, RIGHT).await;
        assert_eq!(status, 429, "{name}: {body}");
        assert!(is_json_error(&body) && retry == Some(1), "{retry:?} {body}");
    }
    assert_eq!(
        login(&app, &client, "bob", RIGHT).await.0,
        303,
        "others are free"
    );
    // Unknown names are throttled alike: the 429 does not tell which exist.
    for _ in 0..3 {
        assert_eq!(login(&app, &client, "nobody", "wrong").await.0, 401);
    }
    assert_eq!(login(&app, &client, "nobody", "wrong").await.0, 429);
    // After the lockout the right password works (bounded polling).
    let mut status = 0;
    for _ in 0..20 {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        status = login(&app, &client, "alice", RIGHT).await.0;
        if status != 429 {
            break;
        }
    }
    assert_eq!(status, 303);
}

async fn invented_bearers_do_not_escape_the_address_limit(backend: Backend) {
    let app = TestApp::with_config(backend, |c| c.limits.api_per_minute = 3).await;
    let get = |token: Option<String>| {
        let mut req = app.client.get(app.url("/api/v1/instance"));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        async move { req.send().await.expect("request").status().as_u16() }
    };
    for _ in 0..3 {
        assert_eq!(get(None).await, 200);
    }
    assert_eq!(get(None).await, 429);
    for n in 0..5 {
        assert_eq!(get(Some(format!("fake-{n}"))).await, 429, "fake-{n}");
    }
}

backend_tests!(
    concurrent_wrong_logins_get_proper_answers,
    failed_logins_lock_the_account_for_a_while,
    invented_bearers_do_not_escape_the_address_limit
);
