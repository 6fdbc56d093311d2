//! Web Push: subscriptions per token, and pushes that reach a (loopback) push
//! service encrypted for the app and signed with the instance's VAPID key.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::post,
};
use base64::{
    Engine,
    engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD},
};
use serde_json::{Value, json};
use web_push_native::{
    jwt_simple::{
        algorithms::{ECDSAP256PublicKeyLike, ES256KeyPair, ES256PublicKey},
        claims::NoCustomClaims,
    },
    p256::SecretKey,
};

use crate::{
    backend_tests,
    helpers::{Backend, TestApp, json, spawn_app},
};

/// What the fake push service received: (path name, headers, body).
type Received = Arc<Mutex<Vec<(String, HeaderMap, Bytes)>>>;

/// A push service on loopback: `/push/gone` answers 410 (an expired
/// subscription), every other name 201.
async fn push_service() -> (String, Received) {
    let received: Received = Arc::default();
    let app =
        Router::new()
            .route(
                "/push/{name}",
                post(
                    |State(r): State<Received>,
                     Path(name): Path<String>,
                     h: HeaderMap,
                     b: Bytes| async move {
                        let gone = name == "gone";
                        r.lock().unwrap().push((name, h, b));
                        if gone {
                            StatusCode::GONE
                        } else {
                            StatusCode::CREATED
                        }
                    },
                ),
            )
            .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base, received)
}

/// An app's side of a subscription: its key pair and auth secret.
struct AppKeys {
    secret: SecretKey,
    auth: [u8; 16],
}

impl AppKeys {
    fn new(seed: u8) -> Self {
        let pair = ES256KeyPair::generate();
        AppKeys {
            secret: SecretKey::from_slice(&pair.to_bytes()).unwrap(),
            auth: [seed; 16],
        }
    }

    fn p256dh(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.secret.public_key().to_sec1_bytes())
    }

    fn open(&self, body: &[u8]) -> Value {
        let auth = web_push_native::Auth::clone_from_slice(&self.auth);
        let plain = web_push_native::decrypt(body.to_vec(), &self.secret, &auth).unwrap();
        serde_json::from_slice(&plain).unwrap()
    }
}

async fn subscribe(
    app: &TestApp,
    token: &str,
    endpoint: &str,
    keys: &AppKeys,
    alerts: &[&str],
) -> Value {
    let mut form = vec![
        ("subscription[endpoint]".to_string(), endpoint.to_string()),
        ("subscription[keys][p256dh]".to_string(), keys.p256dh()),
        (
            "subscription[keys][auth]".to_string(),
            URL_SAFE_NO_PAD.encode(keys.auth),
        ),
        ("data[policy]".to_string(), "all".to_string()),
    ];
    for a in alerts {
        form.push((format!("data[alerts][{a}]"), "true".to_string()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, body) = app
        .post_form(token, "/api/v1/push/subscription", &pairs)
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn put_form(app: &TestApp, token: &str, form: &[(&str, &str)]) -> (u16, Value) {
    json(
        app.client
            .put(app.url("/api/v1/push/subscription"))
            .bearer_auth(token)
            .form(form)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn subscriptions_per_token(backend: Backend) {
    let app = spawn_app(backend).await;
    let alice = app.user_with_token("alice", "read write push").await;
    let no_push = app.user_with_token("bob", "read write").await;
    let keys = AppKeys::new(1);
    let path = "/api/v1/push/subscription";

    assert_eq!(app.get_auth(path, &alice).await.status(), 404);
    assert_eq!(app.get(path).await.status(), 401);
    let (status, _) = app
        .post_form(
            &no_push,
            path,
            &[("subscription[endpoint]", "https://push.example/x")],
        )
        .await;
    assert_eq!(status, 403, "the push scope is needed");

    let auth = URL_SAFE_NO_PAD.encode(keys.auth);
    let p256dh = keys.p256dh();
    let bad = [
        ("not a url", p256dh.as_str(), auth.as_str()),
        ("ftp://push.example/x", p256dh.as_str(), auth.as_str()),
        ("https://push.example/x", "AAAA", auth.as_str()),
        ("https://push.example/x", p256dh.as_str(), "c2hvcnQ"),
    ];
    for (endpoint, p, a) in bad {
        let (status, body) = app
            .post_form(
                &alice,
                path,
                &[
                    ("subscription[endpoint]", endpoint),
                    ("subscription[keys][p256dh]", p),
                    ("subscription[keys][auth]", a),
                ],
            )
            .await;
        assert_eq!(status, 422, "{endpoint} {p} {a}: {body}");
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .starts_with("Validation failed")
        );
    }
    let (status, _) = app
        .post_form(
            &alice,
            path,
            &[
                ("subscription[endpoint]", "https://push.example/x"),
                ("subscription[keys][p256dh]", &p256dh),
                ("subscription[keys][auth]", &auth),
                ("data[policy]", "everyone"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        app.get_auth(path, &alice).await.status(),
        404,
        "nothing stored"
    );

    let s = subscribe(
        &app,
        &alice,
        "https://push.example/x",
        &keys,
        &["mention", "favourite"],
    )
    .await;
    assert_eq!(s["endpoint"], "https://push.example/x");
    assert_eq!(s["policy"], "all");
    assert_eq!(s["standard"], true);
    assert_eq!(s["alerts"]["mention"], true);
    assert_eq!(s["alerts"]["favourite"], true);
    assert_eq!(s["alerts"]["follow"], false);
    assert_eq!(s["alerts"]["admin.sign_up"], false);
    // The same server key everywhere apps look for it.
    let server_key = s["server_key"].as_str().unwrap();
    let raw = URL_SAFE.decode(server_key).unwrap();
    assert_eq!(raw.len(), 65, "an uncompressed P-256 point");
    let (_, instance) = json(app.get("/api/v2/instance").await).await;
    assert_eq!(instance["configuration"]["vapid"]["public_key"], server_key);
    let (_, registered) = app
        .post_json(
            "",
            "/api/v1/apps",
            json!({"client_name": "x", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}),
        )
        .await;
    assert_eq!(registered["vapid_key"], server_key);

    // PUT changes what it names; the rest stays.
    let (status, s) = put_form(
        &app,
        &alice,
        &[
            ("data[alerts][follow]", "true"),
            ("data[alerts][favourite]", "false"),
            ("data[policy]", "followed"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["alerts"]["mention"], true);
    assert_eq!(s["alerts"]["follow"], true);
    assert_eq!(s["alerts"]["favourite"], false);
    assert_eq!(s["policy"], "followed");
    let (status, _) = put_form(&app, &alice, &[("data[policy]", "sometimes")]).await;
    assert_eq!(status, 422);
    let (_, shown) = json(app.get_auth(path, &alice).await).await;
    assert_eq!(shown, s);

    // Subscribing again (JSON this time) replaces it.
    let (status, s) = app
        .post_json(
            &alice,
            path,
            json!({
                "subscription": {"endpoint": "https://push.example/y", "keys": {"p256dh": p256dh, "auth": auth}},
                "data": {"alerts": {"poll": true}}
            }),
        )
        .await;
    assert_eq!(status, 200, "{s}");
    let (_, shown) = json(app.get_auth(path, &alice).await).await;
    assert_eq!(shown["endpoint"], "https://push.example/y");
    assert_eq!(shown["alerts"]["poll"], true);
    assert_eq!(shown["alerts"]["mention"], false);

    let (status, body) = json(app.delete_auth(path, &alice).await).await;
    assert_eq!((status, body), (200, json!({})));
    assert_eq!(app.get_auth(path, &alice).await.status(), 404);
    let (status, _) = put_form(&app, &alice, &[("data[policy]", "all")]).await;
    assert_eq!(status, 404);
}

/// Waits (boundedly) until the push service holds `n` pushes.
async fn received(r: &Received, n: usize) -> Vec<(String, HeaderMap, Bytes)> {
    for _ in 0..200 {
        if r.lock().unwrap().len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let got = r.lock().unwrap().clone();
    assert!(got.len() >= n, "expected {n} pushes, got {}", got.len());
    got
}

async fn pushes_are_encrypted_and_signed(backend: Backend) {
    let app = spawn_app(backend).await;
    let (push_base, pushed) = push_service().await;
    let alice = app.user_with_token("alice", "read write follow push").await;
    let bob = app.user_with_token("bob", "read write follow").await;
    let carol = app.user_with_token("carol", "read write push").await;
    let keys = AppKeys::new(7);
    let s = subscribe(
        &app,
        &alice,
        &format!("{push_base}/push/alice"),
        &keys,
        &["mention", "follow"],
    )
    .await;
    let server_key = s["server_key"].as_str().unwrap().to_string();
    subscribe(
        &app,
        &carol,
        &format!("{push_base}/push/gone"),
        &AppKeys::new(9),
        &["mention"],
    )
    .await;

    // A favourite is not among alice's alerts: no push. A mention is.
    let (_, mine) = app
        .post_json(&alice, "/api/v1/statuses", json!({"status": "hello"}))
        .await;
    let mine = mine["id"].as_str().unwrap();
    let (status, _) = app
        .post_json(
            &bob,
            &format!("/api/v1/statuses/{mine}/favourite"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, _) = app
        .post_json(
            &bob,
            "/api/v1/statuses",
            json!({"status": "@alice the <b>report</b> is ready"}),
        )
        .await;
    let got = received(&pushed, 1).await;
    let (name, headers, body) = got.iter().find(|(n, _, _)| n == "alice").unwrap().clone();
    assert_eq!(name, "alice");
    assert_eq!(headers["content-encoding"], "aes128gcm");
    assert_eq!(headers["ttl"], "172800");
    // VAPID (RFC 8292): `vapid t=<JWT>, k=<our key>`, the JWT signed by that key
    // for the push service's origin.
    let authorization = headers["authorization"].to_str().unwrap();
    let (t, k) = authorization
        .strip_prefix("vapid t=")
        .and_then(|rest| rest.split_once(", k="))
        .expect("vapid t=…, k=…");
    assert_eq!(k.trim_end_matches('='), server_key.trim_end_matches('='));
    let verifier = ES256PublicKey::from_bytes(&URL_SAFE.decode(&server_key).unwrap()).unwrap();
    let claims = verifier
        .verify_token::<NoCustomClaims>(t, None)
        .expect("a valid VAPID token");
    assert_eq!(claims.audiences.unwrap().into_string().unwrap(), push_base);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let exp = claims.expires_at.unwrap().as_secs();
    assert!(
        exp > now && exp <= now + 24 * 3600,
        "RFC 8292: at most 24 h"
    );
    // Only the app can read it.
    let payload = keys.open(&body);
    let (_, notifications) = json(app.get_auth("/api/v1/notifications", &alice).await).await;
    let mention = notifications
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["type"] == "mention")
        .unwrap();
    assert_eq!(payload["notification_id"], mention["id"]);
    assert_eq!(payload["notification_type"], "mention");
    assert_eq!(payload["title"], "bob mentioned you");
    assert_eq!(payload["body"], "@alice the <b>report</b> is ready");
    assert_eq!(payload["preferred_locale"], "en");
    assert!(payload["icon"].as_str().unwrap().starts_with("http"));
    assert!(
        payload.get("access_token").is_none(),
        "tokens are stored hashed"
    );
    let stranger = AppKeys::new(7);
    assert!(
        web_push_native::decrypt(
            body.to_vec(),
            &stranger.secret,
            &web_push_native::Auth::clone_from_slice(&keys.auth)
        )
        .is_err(),
        "another key cannot read it"
    );

    // carol's push service says the subscription is gone: it is forgotten.
    for _ in 0..200 {
        if app
            .get_auth("/api/v1/push/subscription", &carol)
            .await
            .status()
            == 404
        {
            break;
        }
        let (_, _) = app
            .post_json(&bob, "/api/v1/statuses", json!({"status": "@carol ping"}))
            .await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        app.get_auth("/api/v1/push/subscription", &carol)
            .await
            .status(),
        404
    );

    // What is said in an internal community stays out of the push.
    let (_, hr) = app
        .post_json(
            &alice,
            "/api/passerelle/v1/communities",
            json!({"name": "hr", "title": "HR", "visibility": "internal"}),
        )
        .await;
    let hr = hr["id"].as_str().unwrap();
    let (status, _) = app
        .post_json(
            &bob,
            &format!("/api/passerelle/v1/communities/{hr}/join"),
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, thread) = app
        .post_json(
            &alice,
            &format!("/api/passerelle/v1/communities/{hr}/threads"),
            json!({"title": "Salaries", "body": "the grid"}),
        )
        .await;
    let before = pushed
        .lock()
        .unwrap()
        .iter()
        .filter(|(n, _, _)| n == "alice")
        .count();
    let (status, _) = app
        .post_json(
            &bob,
            "/api/v1/statuses",
            json!({"status": "my salary is confidential", "in_reply_to_id": thread["id"]}),
        )
        .await;
    assert_eq!(status, 200);
    let mut confidential = None;
    for _ in 0..200 {
        let alice_pushes: Vec<_> = pushed
            .lock()
            .unwrap()
            .iter()
            .filter(|(n, _, _)| n == "alice")
            .cloned()
            .collect();
        if alice_pushes.len() > before {
            confidential = Some(keys.open(&alice_pushes[before].2));
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let confidential = confidential.expect("a push for the reply");
    assert_eq!(confidential["notification_type"], "mention");
    assert_eq!(confidential["body"], "", "no confidential text in a push");
    let pushes: Vec<Value> = pushed
        .lock()
        .unwrap()
        .iter()
        .filter(|(n, _, _)| n == "alice")
        .map(|(_, _, b)| keys.open(b))
        .collect();
    assert!(
        pushes.iter().all(|p| p["notification_type"] != "favourite"),
        "favourites were not asked for: {pushes:?}"
    );
}

backend_tests!(subscriptions_per_token, pushes_are_encrypted_and_signed);
