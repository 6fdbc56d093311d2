//! OAuth 2: apps, the authorization-code flow with PKCE, client credentials,
//! revocation and scopes.

use serde_json::{Value, json};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

const REDIRECT: &str = "https://client.example/callback";
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

async fn register(app: &TestApp, redirect: &str) -> Value {
    let resp = app
        .client
        .post(app.url("/api/v1/apps"))
        .json(&json!({ "client_name": "Test client", "redirect_uris": redirect, "scopes": "read write follow" }))
        .send()
        .await
        .expect("apps");
    let (status, body) = json(resp).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Logs in on the authorize page; returns the redirect's Location.
async fn authorize(
    app: &TestApp,
    client: &Value,
    redirect: &str,
    extra: &[(&str, &str)],
    password: &str,
) -> reqwest::Response {
    let mut form: Vec<(&str, &str)> = vec![
        ("response_type", "code"),
        (
            "client_id",
            client["client_id"].as_str().expect("client_id"),
        ),
        ("redirect_uri", redirect),
        ("scope", "read write"),
        ("state", "xyz"),
        ("login", "alice"),
        ("password", password),
        ("decision", "approve"),
    ];
    form.extend_from_slice(extra);
    app.client
        .post(app.url("/oauth/authorize"))
        .form(&form)
        .send()
        .await
        .expect("authorize")
}

fn code_from(resp: &reqwest::Response) -> String {
    let location = resp
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("redirect location");
    let url = url::Url::parse(location).expect("location url");
    assert!(location.starts_with(REDIRECT), "{location}");
    assert_eq!(
        url.query_pairs()
            .find(|(k, _)| k == "state")
            .map(|(_, v)| v.to_string()),
        Some("xyz".into())
    );
    url.query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.to_string())
        .expect("code")
}

async fn token(app: &TestApp, form: &[(&str, &str)]) -> (u16, Value) {
    json(
        app.client
            .post(app.url("/oauth/token"))
            .form(form)
            .send()
            .await
            .expect("token"),
    )
    .await
}

async fn setup(backend: Backend) -> (TestApp, Value) {
    let app = spawn_app(backend).await;
    app.user_with_token("alice", "read").await;
    let client = register(&app, REDIRECT).await;
    (app, client)
}

async fn authorization_code_with_pkce(backend: Backend) {
    let (app, client) = setup(backend).await;
    let id = client["client_id"].as_str().expect("id");
    // The login page names the app and asks for the password.
    let page = app
        .client
        .get(app.url(&format!(
            "/oauth/authorize?response_type=code&client_id={id}&redirect_uri={REDIRECT}&scope=read+write&code_challenge={CHALLENGE}&code_challenge_method=S256"
        )))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("Test client") && html.contains("type=\"password\""),
        "{html}"
    );

    let resp = authorize(
        &app,
        &client,
        REDIRECT,
        &[
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
        "correct horse battery",
    )
    .await;
    assert_eq!(resp.status(), 303);
    let code = code_from(&resp);
    // A public client: PKCE instead of the secret.
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", id),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["scope"], "read write");
    let access = body["access_token"].as_str().expect("token");
    let (status, me) = json(
        app.get_auth("/api/v1/accounts/verify_credentials", access)
            .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(me["username"], "alice");
    assert_eq!(me["source"]["privacy"], "public");

    // The code is single-use.
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", id),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_grant");
}

async fn wrong_pkce_verifier_is_refused(backend: Backend) {
    let (app, client) = setup(backend).await;
    let id = client["client_id"].as_str().expect("id");
    let resp = authorize(
        &app,
        &client,
        REDIRECT,
        &[
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
        "correct horse battery",
    )
    .await;
    let code = code_from(&resp);
    let wrong = "x".repeat(50);
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", id),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &wrong),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_grant");
    // Without the verifier at all, and without the secret: refused too.
    let resp = authorize(
        &app,
        &client,
        REDIRECT,
        &[
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
        "correct horse battery",
    )
    .await;
    let code = code_from(&resp);
    let (status, _) = token(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", id),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await;
    assert_eq!(status, 400);
    // Only S256 is offered.
    let (status, _) = token(&app, &[("grant_type", "authorization_code")]).await;
    assert_eq!(status, 401);
    let page = app
        .get(&format!("/oauth/authorize?response_type=code&client_id={id}&redirect_uri={REDIRECT}&code_challenge={CHALLENGE}&code_challenge_method=plain"))
        .await;
    assert_eq!(page.status(), 400);
}

async fn wrong_redirect_uri_is_refused(backend: Backend) {
    let (app, client) = setup(backend).await;
    let id = client["client_id"].as_str().expect("id");
    // Never redirect to an unregistered URI: an error page instead.
    let page = app
        .get(&format!("/oauth/authorize?response_type=code&client_id={id}&redirect_uri=https://evil.example/cb"))
        .await;
    assert_eq!(page.status(), 400);
    assert!(page.headers().get("location").is_none());
    let resp = authorize(
        &app,
        &client,
        "https://evil.example/cb",
        &[],
        "correct horse battery",
    )
    .await;
    assert_eq!(resp.status(), 400);
    assert!(resp.headers().get("location").is_none());
    // A code bound to one redirect URI cannot be redeemed with another.
    let resp = authorize(&app, &client, REDIRECT, &[], "correct horse battery").await;
    let code = code_from(&resp);
    let secret = client["client_secret"].as_str().expect("secret");
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", id),
            ("client_secret", secret),
            ("code", &code),
            ("redirect_uri", "https://evil.example/cb"),
        ],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
}

async fn wrong_password_and_wrong_secret(backend: Backend) {
    let (app, client) = setup(backend).await;
    let id = client["client_id"].as_str().expect("id");
    let resp = authorize(&app, &client, REDIRECT, &[], "not the password").await;
    assert_eq!(resp.status(), 401);
    assert!(
        resp.text()
            .await
            .expect("html")
            .contains("Invalid name or password")
    );
    let resp = authorize(&app, &client, REDIRECT, &[], "correct horse battery").await;
    let code = code_from(&resp);
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", id),
            ("client_secret", "wrong"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(body["error"], "invalid_client");
}

async fn confidential_client_and_revocation(backend: Backend) {
    let (app, client) = setup(backend).await;
    let id = client["client_id"].as_str().expect("id");
    let secret = client["client_secret"].as_str().expect("secret");
    let resp = authorize(&app, &client, REDIRECT, &[], "correct horse battery").await;
    let code = code_from(&resp);
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", id),
            ("client_secret", secret),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let access = body["access_token"].as_str().expect("token").to_string();
    assert_eq!(
        app.get_auth("/api/v1/accounts/verify_credentials", &access)
            .await
            .status(),
        200
    );

    // An open stream of that token ends when it is revoked.
    let mut stream = app
        .client
        .get(app.url(&format!("/api/v1/streaming/user?access_token={access}")))
        .send()
        .await
        .expect("stream");
    assert_eq!(stream.status(), 200);

    // Revoking with the wrong secret does nothing.
    let resp = app
        .client
        .post(app.url("/oauth/revoke"))
        .form(&[
            ("client_id", id),
            ("client_secret", "nope"),
            ("token", &access),
        ])
        .send()
        .await
        .expect("revoke");
    assert_eq!(resp.status(), 403);
    assert_eq!(
        app.get_auth("/api/v1/accounts/verify_credentials", &access)
            .await
            .status(),
        200
    );

    let resp = app
        .client
        .post(app.url("/oauth/revoke"))
        .form(&[
            ("client_id", id),
            ("client_secret", secret),
            ("token", &access),
        ])
        .send()
        .await
        .expect("revoke");
    assert_eq!(resp.status(), 200);
    crate::streaming::sse_ends(&mut stream).await;
    let (status, body) = json(
        app.get_auth("/api/v1/accounts/verify_credentials", &access)
            .await,
    )
    .await;
    assert_eq!(status, 401);
    assert!(body["error"].is_string());
}

async fn out_of_band_shows_the_code(backend: Backend) {
    let app = spawn_app(backend).await;
    app.user_with_token("alice", "read").await;
    let client = register(&app, "urn:ietf:wg:oauth:2.0:oob").await;
    let resp = authorize(
        &app,
        &client,
        "urn:ietf:wg:oauth:2.0:oob",
        &[],
        "correct horse battery",
    )
    .await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.expect("html");
    let start = html.find("<code id=\"code\">").expect("code element") + "<code id=\"code\">".len();
    let code = &html[start..start + html[start..].find('<').expect("end")];
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", client["client_id"].as_str().expect("id")),
            (
                "client_secret",
                client["client_secret"].as_str().expect("secret"),
            ),
            ("code", code),
            ("redirect_uri", "urn:ietf:wg:oauth:2.0:oob"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

async fn client_credentials_and_app_verification(backend: Backend) {
    let (app, client) = setup(backend).await;
    let id = client["client_id"].as_str().expect("id");
    let secret = client["client_secret"].as_str().expect("secret");
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
            ("scope", "read"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let access = body["access_token"].as_str().expect("token");
    let (status, me) = json(
        app.get_auth("/api/v1/apps/verify_credentials", access)
            .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(me["name"], "Test client");
    assert!(me.get("client_secret").is_none());
    // An app token has no user behind it.
    let (status, _) = json(
        app.get_auth("/api/v1/accounts/verify_credentials", access)
            .await,
    )
    .await;
    assert_eq!(status, 422);
    // Scopes beyond the registration are refused.
    let (status, body) = token(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
            ("scope", "admin:write"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_scope");
    let (status, body) = token(&app, &[("grant_type", "password"), ("client_id", id)]).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "unsupported_grant_type");
}

async fn scopes_are_enforced(backend: Backend) {
    let app = spawn_app(backend).await;
    let write_only = app.user_with_token("bob", "write").await;
    let (status, body) = json(
        app.get_auth("/api/v1/accounts/verify_credentials", &write_only)
            .await,
    )
    .await;
    assert_eq!(status, 403, "{body}");
    let sub = app
        .client
        .get(app.url("/api/v1/accounts/verify_credentials"))
        .bearer_auth("nonsense")
        .send()
        .await
        .expect("req");
    assert_eq!(sub.status(), 401);
    assert!(sub.headers().get("www-authenticate").is_some());
    let (status, _) = json(app.get("/api/v1/accounts/verify_credentials").await).await;
    assert_eq!(status, 401);
}

async fn apps_accept_every_encoding(backend: Backend) {
    let app = spawn_app(backend).await;
    // Form with Rails-style array.
    let resp = app
        .client
        .post(app.url("/api/v1/apps"))
        .body("client_name=Form&redirect_uris%5B%5D=https%3A%2F%2Fa.example%2Fcb&scopes=read+write")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .expect("form");
    let (status, body) = json(resp).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["redirect_uris"], json!(["https://a.example/cb"]));
    assert_eq!(body["scopes"], json!(["read", "write"]));
    // Multipart.
    let form = reqwest::multipart::Form::new()
        .text("client_name", "Multi")
        .text("redirect_uris", "urn:ietf:wg:oauth:2.0:oob");
    let (status, body) = json(
        app.client
            .post(app.url("/api/v1/apps"))
            .multipart(form)
            .send()
            .await
            .expect("multipart"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["name"], "Multi");
    assert_eq!(body["scopes"], json!(["read"]));
    // JSON with an array of URIs.
    let (status, body) = json(app.client.post(app.url("/api/v1/apps")).json(&json!({"client_name": "J", "redirect_uris": ["https://b.example/cb", "urn:ietf:wg:oauth:2.0:oob"]})).send().await.expect("json")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["redirect_uris"].as_array().map(Vec::len), Some(2));
    // Bad input: 422 with a message, never 500.
    for bad in [
        json!({"redirect_uris": "https://a.example"}),
        json!({"client_name": "x"}),
        json!({"client_name": "x", "redirect_uris": "not a uri"}),
        json!({"client_name": "x", "redirect_uris": "https://a.example", "scopes": "read everything"}),
    ] {
        let (status, body) = json(
            app.client
                .post(app.url("/api/v1/apps"))
                .json(&bad)
                .send()
                .await
                .expect("bad"),
        )
        .await;
        assert_eq!(status, 422, "{bad} → {body}");
        assert!(
            body["error"]
                .as_str()
                .is_some_and(|e| e.starts_with("Validation failed")),
            "{body}"
        );
    }
}

/// A code shown to another app (or a mistyped request) is refused without being
/// used up: the app it was issued to can still redeem it.
async fn code_presented_by_another_app_stays_valid(backend: Backend) {
    let (app, client) = setup(backend).await;
    let other = register(&app, REDIRECT).await;
    let resp = authorize(
        &app,
        &client,
        REDIRECT,
        &[
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
        "correct horse battery",
    )
    .await;
    let code = code_from(&resp);
    let redeem = |id: &str, secret: &str, verifier: &str| {
        let form: Vec<(String, String)> = [
            ("grant_type", "authorization_code"),
            ("client_id", id),
            ("client_secret", secret),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let app = &app;
        async move {
            json(
                app.client
                    .post(app.url("/oauth/token"))
                    .form(&form)
                    .send()
                    .await
                    .expect("token"),
            )
            .await
        }
    };
    let str_of = |v: &Value, k: &str| v[k].as_str().expect(k).to_string();
    let (status, body) = redeem(
        &str_of(&other, "client_id"),
        &str_of(&other, "client_secret"),
        VERIFIER,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    let (status, body) = redeem(&str_of(&client, "client_id"), "", "wrong verifier").await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = redeem(&str_of(&client, "client_id"), "", VERIFIER).await;
    assert_eq!(status, 200, "the rightful app still redeems it: {body}");
}

async fn metadata_document(backend: Backend) {
    let app = spawn_app(backend).await;
    let (status, body) = json(app.get("/.well-known/oauth-authorization-server").await).await;
    assert_eq!(status, 200);
    assert_eq!(body["token_endpoint"], app.url("/oauth/token"));
    assert_eq!(body["code_challenge_methods_supported"], json!(["S256"]));
}

backend_tests!(
    authorization_code_with_pkce,
    wrong_pkce_verifier_is_refused,
    wrong_redirect_uri_is_refused,
    wrong_password_and_wrong_secret,
    confidential_client_and_revocation,
    out_of_band_shows_the_code,
    client_credentials_and_app_verification,
    scopes_are_enforced,
    apps_accept_every_encoding,
    metadata_document,
    code_presented_by_another_app_stays_valid,
);
