//! A fake remote server on loopback: it publishes actors with keys the test holds,
//! and posts activities signed (or mis-signed) as they would be, so hostile input
//! reaches a real instance over HTTP exactly as an attacker would send it.

use std::sync::{Arc, Mutex};

use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    routing::{get, post},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use rsa::{Pkcs1v15Sign, RsaPrivateKey, pkcs8::DecodePrivateKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub struct Keys {
    pub private: RsaPrivateKey,
    pub public_pem: String,
}

pub fn new_keys() -> anyhow::Result<Keys> {
    let k = passerelle::service::keys::generate()?;
    Ok(Keys {
        private: RsaPrivateKey::from_pkcs8_pem(&k.private_pem)?,
        public_pem: k.public_pem,
    })
}

/// How the fake inbox answers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Behaviour {
    Accept,
    /// 500 on every other request (the ones answered 500 are not recorded).
    FailEveryOther,
    /// 500 always.
    Down,
    /// Accept after a delay of this many milliseconds.
    Slow(u64),
}

/// How the fake server serves documents at `/objects/{name}`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Serving {
    /// As `application/activity+json`.
    Json,
    /// 503: the server is down for now.
    Unavailable,
    /// As `text/html` (the same JSON body: only the media type is wrong).
    Html,
}

#[derive(Clone)]
struct Shared {
    base: String,
    actors: Arc<Mutex<Vec<(String, String)>>>,
    received: Arc<Mutex<Vec<Value>>>,
    behaviour: Arc<Mutex<Behaviour>>,
    requests: Arc<std::sync::atomic::AtomicU64>,
    objects: Arc<Mutex<Vec<(String, Value)>>>,
    serving: Arc<Mutex<Serving>>,
}

pub struct FakeServer {
    pub domain: String,
    pub base: String,
    shared: Shared,
    client: reqwest::Client,
}

async fn actor(
    State(s): State<Shared>,
    Path(name): Path<String>,
) -> Result<impl axum::response::IntoResponse, StatusCode> {
    let actors = s
        .actors
        .lock()
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    let (_, pem) = actors
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or(StatusCode::NOT_FOUND)?;
    let id = format!("{}/users/{name}", s.base);
    let doc = Json(json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id, "type": "Person", "preferredUsername": name,
        "inbox": format!("{id}/inbox"),
        "endpoints": { "sharedInbox": format!("{}/inbox", s.base) },
        "publicKey": { "id": format!("{id}#main-key"), "owner": id, "publicKeyPem": pem },
    }));
    Ok(([("content-type", "application/activity+json")], doc))
}

async fn object(State(s): State<Shared>, Path(name): Path<String>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let serving = s.serving.lock().map(|m| *m).unwrap_or(Serving::Json);
    let doc = s
        .objects
        .lock()
        .ok()
        .and_then(|o| o.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()));
    match (doc, serving) {
        (None, _) => StatusCode::NOT_FOUND.into_response(),
        (Some(_), Serving::Unavailable) => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        (Some(d), Serving::Html) => {
            ([("content-type", "text/html")], d.to_string()).into_response()
        }
        (Some(d), Serving::Json) => (
            [("content-type", "application/activity+json")],
            d.to_string(),
        )
            .into_response(),
    }
}

async fn inbox(State(s): State<Shared>, Json(body): Json<Value>) -> StatusCode {
    let n = s.requests.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let behaviour = s.behaviour.lock().map(|b| *b).unwrap_or(Behaviour::Accept);
    match behaviour {
        Behaviour::Down => return StatusCode::INTERNAL_SERVER_ERROR,
        Behaviour::FailEveryOther if n % 2 == 0 => return StatusCode::INTERNAL_SERVER_ERROR,
        Behaviour::Slow(ms) => tokio::time::sleep(std::time::Duration::from_millis(ms)).await,
        _ => {}
    }
    if let Ok(mut r) = s.received.lock() {
        r.push(body);
    }
    StatusCode::ACCEPTED
}

/// How to sign a request (the hostile variants break one thing each).
#[derive(Clone, Copy, PartialEq)]
pub enum Signing {
    Valid,
    /// Signed with a key that is not the actor's.
    WrongKey,
    /// Signed, then the body is changed (the digest no longer matches).
    TamperedBody,
    /// No Signature header at all.
    Unsigned,
}

impl FakeServer {
    pub async fn start() -> anyhow::Result<FakeServer> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let domain = format!("localhost:{}", listener.local_addr()?.port());
        let base = format!("http://{domain}");
        let shared = Shared {
            base: base.clone(),
            actors: Arc::default(),
            received: Arc::default(),
            behaviour: Arc::new(Mutex::new(Behaviour::Accept)),
            requests: Arc::default(),
            objects: Arc::default(),
            serving: Arc::new(Mutex::new(Serving::Json)),
        };
        let app = Router::new()
            .route("/users/{name}", get(actor))
            .route("/users/{name}/inbox", post(inbox))
            .route("/inbox", post(inbox))
            .route("/objects/{name}", get(object))
            .with_state(shared.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(FakeServer {
            domain,
            base,
            shared,
            client: reqwest::Client::new(),
        })
    }

    /// Publishes an actor `name` with `keys`; returns its id.
    pub fn add_actor(&self, name: &str, keys: &Keys) -> String {
        if let Ok(mut a) = self.shared.actors.lock() {
            a.push((name.to_string(), keys.public_pem.clone()));
        }
        format!("{}/users/{name}", self.base)
    }

    /// Serves `doc` at `/objects/{name}`; returns its URL.
    pub fn add_object(&self, name: &str, doc: Value) -> String {
        if let Ok(mut o) = self.shared.objects.lock() {
            o.push((name.to_string(), doc));
        }
        self.object_url(name)
    }

    pub fn object_url(&self, name: &str) -> String {
        format!("{}/objects/{name}", self.base)
    }

    pub fn set_serving(&self, s: Serving) {
        if let Ok(mut cur) = self.shared.serving.lock() {
            *cur = s;
        }
    }

    pub fn set_behaviour(&self, b: Behaviour) {
        if let Ok(mut cur) = self.shared.behaviour.lock() {
            *cur = b;
        }
    }

    /// Activities our instances delivered to this fake server.
    pub fn received(&self) -> Vec<Value> {
        self.shared
            .received
            .lock()
            .map(|r| r.clone())
            .unwrap_or_default()
    }

    /// POSTs `body` to `inbox` as `actor_id`, signed per `signing` with `keys`.
    pub async fn post(
        &self,
        inbox: &str,
        actor_id: &str,
        keys: &Keys,
        body: &Value,
        signing: Signing,
    ) -> anyhow::Result<u16> {
        let url = url::Url::parse(inbox)?;
        let bytes = serde_json::to_vec(body)?;
        let digest = format!("SHA-256={}", STANDARD.encode(Sha256::digest(&bytes)));
        let date = chrono::Utc::now()
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
        let host = match url.port() {
            Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_string(),
        };
        let signing_string = format!(
            "(request-target): post {}\nhost: {host}\ndate: {date}\ndigest: {digest}",
            url.path()
        );
        let key = match signing {
            Signing::WrongKey => new_keys()?.private,
            _ => keys.private.clone(),
        };
        let signature = STANDARD.encode(key.sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(signing_string.as_bytes()),
        )?);
        let header = format!(
            "keyId=\"{actor_id}#main-key\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"{signature}\""
        );
        let sent = if signing == Signing::TamperedBody {
            let mut changed = body.clone();
            changed["tampered"] = json!(true);
            serde_json::to_vec(&changed)?
        } else {
            bytes
        };
        let mut req = self
            .client
            .post(url)
            .header("content-type", "application/activity+json")
            .header("date", date)
            .header("digest", digest)
            .body(sent);
        if signing != Signing::Unsigned {
            req = req.header("signature", header);
        }
        Ok(req.send().await?.status().as_u16())
    }
}
