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
    /// 401 to RFC 9421 signatures (as a server that takes draft-cavage only).
    RefuseRfc9421,
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

/// Name, public key PEM, ActivityPub type and (groups) Passerelle visibility of an
/// actor the fake server publishes.
type PublishedActor = (String, String, &'static str, Option<&'static str>);

#[derive(Clone)]
struct Shared {
    base: String,
    actors: Arc<Mutex<Vec<PublishedActor>>>,
    received: Arc<Mutex<Vec<Value>>>,
    behaviour: Arc<Mutex<Behaviour>>,
    requests: Arc<std::sync::atomic::AtomicU64>,
    objects: Arc<Mutex<Vec<(String, Value)>>>,
    serving: Arc<Mutex<Serving>>,
    /// Every request that reached the server: method, URI, headers and body.
    captured: Arc<Mutex<Vec<String>>>,
    /// What its NodeInfo says it runs.
    software: Arc<Mutex<String>>,
}

/// NodeInfo discovery and the 2.1 document, naming the software it plays.
async fn nodeinfo_links(State(s): State<Shared>) -> Json<Value> {
    Json(
        json!({"links": [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
        "href": format!("{}/nodeinfo/2.1", s.base)}]}),
    )
}

async fn nodeinfo(State(s): State<Shared>) -> Json<Value> {
    let name = s.software.lock().map(|n| n.clone()).unwrap_or_default();
    Json(
        json!({"version": "2.1", "software": {"name": name, "version": "1.0.0"},
        "protocols": ["activitypub"], "usage": {"users": {}}, "openRegistrations": false}),
    )
}

/// Records every request before it is routed (confidentiality tests read them all).
async fn capture(
    State(s): State<Shared>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, 16 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let headers: String = parts
        .headers
        .iter()
        .map(|(k, v)| format!("{k}: {}\n", v.to_str().unwrap_or_default()))
        .collect();
    if let Ok(mut c) = s.captured.lock() {
        c.push(format!(
            "{} {}\n{headers}\n{}",
            parts.method,
            parts.uri,
            String::from_utf8_lossy(&bytes)
        ));
    }
    next.run(axum::extract::Request::from_parts(
        parts,
        axum::body::Body::from(bytes),
    ))
    .await
}

/// `acct:name@domain` → the actor, for mentions typed as handles.
async fn webfinger(
    State(s): State<Shared>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<impl axum::response::IntoResponse, StatusCode> {
    let resource = q.get("resource").cloned().unwrap_or_default();
    let name = resource
        .strip_prefix("acct:")
        .and_then(|r| r.split('@').next())
        .ok_or(StatusCode::BAD_REQUEST)?
        .to_string();
    let known = s
        .actors
        .lock()
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?
        .iter()
        .any(|(n, ..)| *n == name);
    if !known {
        return Err(StatusCode::NOT_FOUND);
    }
    let href = format!("{}/users/{name}", s.base);
    Ok((
        [("content-type", "application/jrd+json")],
        Json(json!({
            "subject": resource,
            "links": [{"rel": "self", "type": "application/activity+json", "href": href}],
        })),
    ))
}

pub struct FakeServer {
    pub domain: String,
    pub base: String,
    shared: Shared,
    client: reqwest::Client,
    /// The key id its signatures name, when not the actor's `#main-key`.
    key_id: Arc<Mutex<Option<String>>>,
}

async fn actor(
    State(s): State<Shared>,
    Path(name): Path<String>,
) -> Result<impl axum::response::IntoResponse, StatusCode> {
    let actors = s
        .actors
        .lock()
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    let (_, pem, kind, visibility) = actors
        .iter()
        .find(|(n, ..)| *n == name)
        .ok_or(StatusCode::NOT_FOUND)?;
    let id = format!("{}/users/{name}", s.base);
    let doc = Json(json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": id, "type": kind, "preferredUsername": name, "visibility": visibility,
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

async fn inbox(
    State(s): State<Shared>,
    headers: axum::http::HeaderMap,
    Json(body): Json<Value>,
) -> StatusCode {
    let n = s.requests.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let behaviour = s.behaviour.lock().map(|b| *b).unwrap_or(Behaviour::Accept);
    match behaviour {
        Behaviour::RefuseRfc9421 if headers.contains_key("signature-input") => {
            return StatusCode::UNAUTHORIZED;
        }
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
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Signing {
    Valid,
    /// Signed with a key that is not the actor's.
    WrongKey,
    /// Signed, then the body is changed (the digest no longer matches).
    TamperedBody,
    /// No Signature header at all.
    Unsigned,
    /// Signed for another method than the one used.
    WrongMethod,
    /// Signed for another path than the one requested.
    WrongPath,
    /// A POST without a `Digest` header (and none signed).
    NoDigest,
    /// A `Date` two hours old, or two hours ahead.
    OldDate,
    FutureDate,
    /// Signed with the actor's key, but the key id names another host.
    ForeignKeyId,
    /// A valid RFC 9421 signature (POSTs only), as Fedify signs first.
    Rfc9421,
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
            captured: Arc::default(),
            software: Arc::new(Mutex::new("passerelle-fake".into())),
        };
        let app = Router::new()
            .route("/users/{name}", get(actor))
            .route("/users/{name}/inbox", post(inbox))
            .route("/inbox", post(inbox))
            .route("/objects/{name}", get(object))
            .route("/.well-known/webfinger", get(webfinger))
            .route("/.well-known/nodeinfo", get(nodeinfo_links))
            .route("/nodeinfo/2.1", get(nodeinfo))
            .layer(axum::middleware::from_fn_with_state(
                shared.clone(),
                capture,
            ))
            .with_state(shared.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Ok(FakeServer {
            domain,
            base,
            shared,
            client: reqwest::Client::new(),
            key_id: Arc::default(),
        })
    }

    /// Publishes an actor `name` with `keys`; returns its id.
    pub fn add_actor(&self, name: &str, keys: &Keys) -> String {
        self.add(name, keys, "Person")
    }

    /// Publishes the server's own actor (an `Application`, as instance actors
    /// are) `name` with `keys`; returns its id.
    pub fn add_service(&self, name: &str, keys: &Keys) -> String {
        self.add(name, keys, "Application")
    }

    /// Publishes a community (`Group`) `name` with `keys`; returns its id.
    pub fn add_group(&self, name: &str, keys: &Keys) -> String {
        self.add(name, keys, "Group")
    }

    /// A community that says it is for its members only (as Passerelle says it).
    pub fn add_members_group(&self, name: &str, keys: &Keys) -> String {
        self.publish(name, keys, "Group", Some("members"))
    }

    fn add(&self, name: &str, keys: &Keys, kind: &'static str) -> String {
        self.publish(name, keys, kind, None)
    }

    fn publish(
        &self,
        name: &str,
        keys: &Keys,
        kind: &'static str,
        visibility: Option<&'static str>,
    ) -> String {
        if let Ok(mut a) = self.shared.actors.lock() {
            a.push((name.to_string(), keys.public_pem.clone(), kind, visibility));
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

    /// Signs later requests with this key id (a key document of its own, as
    /// GoToSocial and others publish), or again with the actor's `#main-key`.
    pub fn set_key_id(&self, key_id: Option<String>) {
        if let Ok(mut cur) = self.key_id.lock() {
            *cur = key_id;
        }
    }

    /// The software its NodeInfo names (`lemmy`, `mastodon`…).
    pub fn set_software(&self, name: &str) {
        if let Ok(mut n) = self.shared.software.lock() {
            *n = name.into();
        }
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

    /// Every request our instances made to this fake server, as text.
    pub fn captured(&self) -> Vec<String> {
        self.shared
            .captured
            .lock()
            .map(|c| c.clone())
            .unwrap_or_default()
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
        Ok(self
            .post_answer(inbox, actor_id, keys, body, signing)
            .await?
            .0)
    }

    /// The same, with the answer's JSON body.
    pub async fn post_answer(
        &self,
        inbox: &str,
        actor_id: &str,
        keys: &Keys,
        body: &Value,
        signing: Signing,
    ) -> anyhow::Result<(u16, Value)> {
        self.request(
            reqwest::Method::POST,
            inbox,
            actor_id,
            keys,
            Some(body),
            signing,
        )
        .await
    }

    /// A POST signed the RFC 9421 way (with the server's own signer: the
    /// independent check of it is the Fedify peer).
    async fn post_rfc9421(
        &self,
        url: url::Url,
        actor_id: &str,
        keys: &Keys,
        body: Vec<u8>,
    ) -> anyhow::Result<(u16, Value)> {
        use passerelle::federation::delivery::sign::{SigningKey, sign_post_rfc9421};
        use rsa::pkcs8::EncodePrivateKey;
        let pem = keys.private.to_pkcs8_pem(rsa::pkcs8::LineEnding::LF)?;
        let key = SigningKey::from_pem(&pem)?;
        let h = sign_post_rfc9421(&url, &body, &format!("{actor_id}#main-key"), &key)?;
        let resp = self
            .client
            .post(url)
            .header("content-type", "application/activity+json")
            .header("content-digest", h.content_digest)
            .header("signature-input", h.signature_input)
            .header("signature", h.signature)
            .body(body)
            .send()
            .await?;
        let status = resp.status().as_u16();
        Ok((status, resp.json().await.unwrap_or(Value::Null)))
    }

    /// GETs `url` as ActivityPub JSON, signed as `actor_id` per `signing` (a
    /// signed fetch, as servers make them); the status and the JSON body.
    pub async fn get(
        &self,
        url: &str,
        actor_id: &str,
        keys: &Keys,
        signing: Signing,
    ) -> anyhow::Result<(u16, Value)> {
        self.request(reqwest::Method::GET, url, actor_id, keys, None, signing)
            .await
    }

    async fn request(
        &self,
        method: reqwest::Method,
        target: &str,
        actor_id: &str,
        keys: &Keys,
        body: Option<&Value>,
        signing: Signing,
    ) -> anyhow::Result<(u16, Value)> {
        let url = url::Url::parse(target)?;
        let bytes = body.map(serde_json::to_vec).transpose()?;
        if signing == Signing::Rfc9421 {
            return self
                .post_rfc9421(url, actor_id, keys, bytes.unwrap_or_default())
                .await;
        }
        let digest = bytes
            .as_ref()
            .filter(|_| signing != Signing::NoDigest)
            .map(|b| format!("SHA-256={}", STANDARD.encode(Sha256::digest(b))));
        let when = match signing {
            Signing::OldDate => chrono::Utc::now() - chrono::Duration::hours(2),
            Signing::FutureDate => chrono::Utc::now() + chrono::Duration::hours(2),
            _ => chrono::Utc::now(),
        };
        let date = when.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        let host = match url.port() {
            Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_string(),
        };
        let signed_method = match signing {
            Signing::WrongMethod if method == reqwest::Method::GET => "post".to_string(),
            Signing::WrongMethod => "get".to_string(),
            _ => method.as_str().to_lowercase(),
        };
        let mut target_path = url.path().to_string();
        if let Some(q) = url.query() {
            target_path = format!("{target_path}?{q}");
        }
        if signing == Signing::WrongPath {
            target_path.push_str("-elsewhere");
        }
        let mut signing_string =
            format!("(request-target): {signed_method} {target_path}\nhost: {host}\ndate: {date}");
        let mut headers_list = "(request-target) host date".to_string();
        if let Some(d) = &digest {
            signing_string.push_str(&format!("\ndigest: {d}"));
            headers_list.push_str(" digest");
        }
        let key = match signing {
            Signing::WrongKey => new_keys()?.private,
            _ => keys.private.clone(),
        };
        let signature = STANDARD.encode(key.sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(signing_string.as_bytes()),
        )?);
        // A key id on another host than the actor claims to be.
        let key_owner = if signing == Signing::ForeignKeyId {
            format!(
                "http://localhost:1/users/{}",
                actor_id.rsplit('/').next().unwrap_or("x")
            )
        } else {
            actor_id.to_string()
        };
        let key_id = self
            .key_id
            .lock()
            .ok()
            .and_then(|k| k.clone())
            .unwrap_or(format!("{key_owner}#main-key"));
        let header = format!(
            "keyId=\"{key_id}\",algorithm=\"rsa-sha256\",headers=\"{headers_list}\",signature=\"{signature}\""
        );
        let mut req = self
            .client
            .request(method, url)
            .header("accept", "application/activity+json")
            .header("date", date);
        if let Some(d) = digest {
            req = req.header("digest", d);
        }
        if let Some(mut b) = bytes {
            if signing == Signing::TamperedBody
                && let Some(v) = body
            {
                let mut changed = v.clone();
                changed["tampered"] = json!(true);
                b = serde_json::to_vec(&changed)?;
            }
            req = req
                .header("content-type", "application/activity+json")
                .body(b);
        }
        if signing != Signing::Unsigned {
            req = req.header("signature", header);
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        Ok((status, resp.json().await.unwrap_or(Value::Null)))
    }
}

/// One person on a fake server of their own: the usual cast of a test.
pub struct Remote {
    pub fake: FakeServer,
    pub actor: String,
    pub keys: Keys,
}

impl Remote {
    pub async fn start(name: &str) -> anyhow::Result<Remote> {
        let fake = FakeServer::start().await?;
        let keys = new_keys()?;
        let actor = fake.add_actor(name, &keys);
        Ok(Remote { fake, actor, keys })
    }

    /// POSTs `activity`, validly signed, to `inbox`; the status.
    pub async fn send(&self, inbox: &str, activity: &Value) -> u16 {
        self.fake
            .post(inbox, &self.actor, &self.keys, activity, Signing::Valid)
            .await
            .unwrap_or(0)
    }

    /// Asks to join the community at `group` (its actor URL).
    pub async fn follow(&self, group: &str) -> u16 {
        let follow = json!({
            "id": format!("{}/follow/{}", self.actor, group.rsplit('/').next().unwrap_or("x")),
            "type": "Follow", "actor": self.actor, "object": group,
        });
        self.send(&format!("{group}/inbox"), &follow).await
    }

    /// A GET signed per `signing`: status and JSON body (0 when unreachable).
    pub async fn get(&self, url: &str, signing: Signing) -> (u16, Value) {
        self.fake
            .get(url, &self.actor, &self.keys, signing)
            .await
            .unwrap_or((0, Value::Null))
    }

    /// Whether this server received an activity of `kind` from `actor`.
    pub fn got(&self, kind: &str, actor: &str) -> bool {
        self.fake
            .received()
            .iter()
            .any(|a| a["type"] == kind && a["actor"] == actor)
    }
}
