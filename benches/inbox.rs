//! Inbox benchmark: a corpus of pre-signed `Create`s from many remote members of a
//! community, POSTed to the community's inbox as fast as the server takes them.
//! The remote actors (keys made here) are served by an in-process fake server, so
//! key fetches stay on loopback. Reports activities/s accepted (answered 202) with
//! the answer latency, activities/s fully applied (the inbound queue drained),
//! next to the cost of one signature verification as the federation library does
//! it (PEM parse + RSA-2048 verify), measured in the same run: the bound is
//! cores / verification time.
//!
//! Run: `cargo bench --bench inbox` (SQLite in a temporary directory; set
//! `PASSERELLE_BENCH_DATABASE_URL` to a PostgreSQL database to measure that).

#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark fails loudly

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    routing::{get, post},
};
use passerelle::{
    config::Config,
    db,
    federation::delivery::sign::{SigningKey, sign_post},
    model::visibility::CommunityVisibility,
    service::{
        accounts::{NewUser, create_user},
        communities::{NewCommunity, create_community},
        keys,
    },
};
use rsa::{RsaPrivateKey, pkcs8::DecodePrivateKey};
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use url::Url;

const ACTORS: usize = 50;
const CONCURRENCY: usize = 32;

/// The remote server: actor documents with their public keys, and an inbox that
/// takes whatever our instance delivers (Accepts, Announces).
async fn remote(public_pems: Arc<Vec<String>>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://localhost:{}", listener.local_addr().unwrap().port());
    let b = base.clone();
    let app = Router::new()
        .route(
            "/users/{i}",
            get(
                move |State(pems): State<Arc<Vec<String>>>, Path(i): Path<usize>| {
                    let b = b.clone();
                    async move {
                        let id = format!("{b}/users/{i}");
                        (
                            [("content-type", "application/activity+json")],
                            Json(json!({
                                "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
                                "id": id, "type": "Person", "preferredUsername": format!("member{i}"),
                                "inbox": format!("{id}/inbox"),
                                "endpoints": {"sharedInbox": format!("{b}/inbox")},
                                "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": pems[i]},
                            })),
                        )
                    }
                },
            ),
        )
        .route("/inbox", post(|| async { StatusCode::ACCEPTED }))
        .route("/users/{i}/inbox", post(|| async { StatusCode::ACCEPTED }))
        .with_state(public_pems);
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

/// Mean time of one verification as the inbox does it, in µs.
fn verify_cost(public_pem: &str, private: &RsaPrivateKey) -> f64 {
    use rsa::{Pkcs1v15Sign, RsaPublicKey, pkcs8::DecodePublicKey};
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(b"(request-target): post /c/bench/inbox\nhost: x\ndate: now");
    let signature = private
        .sign(Pkcs1v15Sign::new::<Sha256>(), &digest)
        .unwrap();
    let rounds = 2_000;
    let start = Instant::now();
    for _ in 0..rounds {
        let key = RsaPublicKey::from_public_key_pem(public_pem).unwrap();
        key.verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &signature)
            .unwrap();
    }
    start.elapsed().as_secs_f64() * 1e6 / f64::from(rounds)
}

struct Signed {
    body: Vec<u8>,
    headers: passerelle::federation::delivery::sign::SignedHeaders,
}

fn signed(inbox: &Url, activity: &Value, actor: &str, key: &SigningKey) -> Signed {
    let body = serde_json::to_vec(activity).unwrap();
    let headers = sign_post(inbox, &body, &format!("{actor}#main-key"), key).unwrap();
    Signed { body, headers }
}

async fn send(client: &reqwest::Client, inbox: &Url, s: &Signed) -> u16 {
    client
        .post(inbox.clone())
        .header("content-type", "application/activity+json")
        .header("host", &s.headers.host)
        .header("date", &s.headers.date)
        .header("digest", &s.headers.digest)
        .header("signature", &s.headers.signature)
        .body(s.body.clone())
        .send()
        .await
        .map(|r| r.status().as_u16())
        .unwrap_or(0)
}

async fn inbound_pending(state: &passerelle::state::AppState) -> i64 {
    state
        .db
        .run(|c| Ok(db::inbound::depth(c)?.0))
        .await
        .unwrap()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    // More activities make a longer acceptance window, e.g. to attach a profiler.
    let activities: usize = std::env::var("PASSERELLE_BENCH_ACTIVITIES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    let dir = tempfile::tempdir().unwrap();
    let db_url = std::env::var("PASSERELLE_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let backend = if db_url.starts_with("postgres") {
        "postgresql"
    } else {
        "sqlite"
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let own = format!("localhost:{}", listener.local_addr().unwrap().port());
    let toml = format!(
        "[instance]\ndomain = \"{own}\"\n[database]\nurl = \"{db_url}\"\n\
         [federation]\nallow_insecure = true\n[log]\nlevel = \"warn\"\n\
         [limits]\ninbox_per_server_per_minute = 0\ninbox_per_ip_per_minute = 0\n"
    );
    let state = passerelle::build_state(Config::from_toml_str(&toml).unwrap())
        .await
        .unwrap();
    create_user(
        &state,
        NewUser {
            name: "owner".into(),
            email: "o@example.com".into(),
            password: "long enough".into(),
            admin: false,
        },
    )
    .await
    .unwrap();
    create_community(
        &state,
        NewCommunity {
            name: "bench".into(),
            owner: "owner".into(),
            title: None,
            visibility: CommunityVisibility::Public,
        },
    )
    .await
    .unwrap();
    tokio::spawn(passerelle::serve(state.clone(), listener));

    let mut privates = Vec::new();
    let mut signers = Vec::new();
    let mut publics = Vec::new();
    for _ in 0..ACTORS {
        let k = keys::generate().unwrap();
        privates.push(RsaPrivateKey::from_pkcs8_pem(&k.private_pem).unwrap());
        signers.push(SigningKey::from_pem(&k.private_pem).unwrap());
        publics.push(k.public_pem);
    }
    let verify_us = verify_cost(&publics[0], &privates[0]);
    let base = remote(Arc::new(publics)).await;
    let community = format!("http://{own}/c/bench");
    let inbox = Url::parse(&format!("{community}/inbox")).unwrap();
    let client = reqwest::Client::new();

    // Every actor joins first (and its key is fetched once).
    for (i, key) in signers.iter().enumerate() {
        let actor = format!("{base}/users/{i}");
        let follow = json!({"id": format!("{base}/follow/{i}"), "type": "Follow", "actor": actor, "object": community});
        assert_eq!(
            send(&client, &inbox, &signed(&inbox, &follow, &actor, key)).await,
            202
        );
    }
    while inbound_pending(&state).await > 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // The corpus, signed before the clock starts.
    let corpus: Vec<Signed> = (0..activities)
        .map(|n| {
            let i = n % ACTORS;
            let actor = format!("{base}/users/{i}");
            let page = json!({
                "id": format!("{base}/post/{n}"), "type": "Page", "attributedTo": actor,
                "name": format!("Thread {n}"), "content": format!("<p>Post number {n}, with <em>some</em> text.</p>"),
                "mediaType": "text/html", "to": [community], "audience": community,
            });
            let create = json!({
                "id": format!("{base}/create/{n}"), "type": "Create", "actor": actor,
                "to": [community], "audience": community, "object": page,
            });
            signed(&inbox, &create, &actor, &signers[i])
        })
        .collect();

    // On stderr, so that a profiler can be attached from here on.
    eprintln!("sending {activities} activities");
    let slots = Arc::new(Semaphore::new(CONCURRENCY));
    let corpus = Arc::new(corpus);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for n in 0..activities {
        let permit = slots.clone().acquire_owned().await.unwrap();
        let (client, inbox, corpus) = (client.clone(), inbox.clone(), corpus.clone());
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let status = send(&client, &inbox, &corpus[n]).await;
            drop(permit);
            (status, t.elapsed().as_secs_f64() * 1000.0)
        }));
    }
    let mut latencies = Vec::new();
    for t in tasks {
        let (status, ms) = t.await.unwrap();
        assert_eq!(status, 202, "an activity was refused");
        latencies.push(ms);
    }
    let accepted_s = start.elapsed().as_secs_f64();
    let deadline = Instant::now() + Duration::from_secs(600);
    while inbound_pending(&state).await > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let applied_s = start.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1) as f64;
    let bound = cores * 1e6 / verify_us;
    let accepted = activities as f64 / accepted_s;
    let applied = activities as f64 / applied_s;
    println!(
        "{{\"bench\":\"inbox\",\"backend\":\"{backend}\",\"activities\":{activities},\"actors\":{ACTORS},\
         \"concurrency\":{CONCURRENCY},\"accepted_per_second\":{accepted:.0},\"applied_per_second\":{applied:.0},\
         \"answer_p50_ms\":{:.1},\"answer_p99_ms\":{:.1},\"verify_us\":{verify_us:.0},\
         \"bound_per_second\":{bound:.0},\"accepted_ratio_to_bound\":{:.2},\"applied_ratio_to_bound\":{:.2}}}",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        accepted / bound,
        applied / bound,
    );
    state.shutdown.cancel();
}
