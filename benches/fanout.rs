//! Fan-out benchmark: one community post delivered to N remote member inboxes on
//! loopback (a light in-process receiver), through the real durable queue and
//! signer. Reports deliveries per second next to the cost of one RSA signature
//! measured in the same run (the bound: cores / signing time).
//!
//! Run: `cargo bench --bench fanout` (N = 100 and 1,000; then one slow peer).

#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark fails loudly

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{Router, http::StatusCode, routing::post};
use passerelle::{
    config::Config,
    db::{self, actors::Actor},
    model::{format::Format, id::new_id, visibility::CommunityVisibility},
    service::{
        accounts::{NewUser, create_user},
        communities::{NewCommunity, create_community},
        now,
        statuses::{self, NewStatus},
    },
};

/// A light inbox for every member; it answers after `delay` (a slow, far peer).
async fn receiver(delay: Duration) -> (u16, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    let app = Router::new().route(
        "/users/{id}/inbox",
        post(move || {
            let c = c.clone();
            async move {
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                c.fetch_add(1, Ordering::Relaxed);
                StatusCode::ACCEPTED
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (port, count)
}

fn remote_actor(receiver_port: u16, i: usize, public_key_pem: &str) -> Actor {
    let base = format!("http://localhost:{receiver_port}/users/{i}");
    let at = now();
    Actor {
        id: new_id(),
        ap_id: base.clone(),
        kind: "Person".into(),
        name: format!("member{i}"),
        domain: format!("localhost:{receiver_port}"),
        local: false,
        display_name: String::new(),
        summary: String::new(),
        url: None,
        inbox_url: format!("{base}/inbox"),
        // No shared inbox: N distinct inboxes, as N servers would be.
        shared_inbox_url: None,
        outbox_url: None,
        followers_url: None,
        following_url: None,
        public_key_pem: public_key_pem.to_string(),
        private_key_pem: None,
        avatar_url: None,
        header_url: None,
        locked: false,
        discoverable: true,
        visibility: "public".into(),
        instance_id: None,
        created_at: at,
        updated_at: at,
        fetched_at: Some(at),
        note_source: String::new(),
        fields: "[]".into(),
        suspended_at: None,
        suspension_origin: None,
        deleted_at: None,
    }
}

/// Mean time of one RSA-2048 signature of a delivery-sized message, as
/// deliveries sign, in µs.
fn sign_cost(private_pem: &str) -> f64 {
    let key = passerelle::federation::delivery::sign::SigningKey::from_pem(private_pem).unwrap();
    let rounds = 200;
    let start = Instant::now();
    for i in 0..rounds {
        key.sign(format!("(request-target): post /inbox\nhost: x\ndate: {i}").as_bytes())
            .unwrap();
    }
    start.elapsed().as_secs_f64() * 1e6 / f64::from(rounds)
}

/// `members` remote members, each its own server; `posts` threads; each peer
/// answers after `delay_ms`; at most `per_destination` requests in flight per peer.
struct Scenario {
    members: usize,
    posts: usize,
    delay_ms: u64,
    per_destination: usize,
}

async fn run(s: Scenario) {
    let n = s.members;
    let (port, count) = receiver(Duration::from_millis(s.delay_ms)).await;
    let dir = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let own_port = listener.local_addr().unwrap().port();
    let toml = format!(
        "[instance]\ndomain = \"localhost:{own_port}\"\n[database]\nurl = \"sqlite://{}\"\n\
         [federation]\nallow_insecure = true\nworkers = 64\nconcurrency_per_destination = {}\n[log]\nlevel = \"warn\"\n",
        dir.path().join("bench.db").display(),
        s.per_destination
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
    let community = create_community(
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
    let pem = community.public_key_pem.clone();
    let cid = community.id;
    state
        .db
        .write(move |c| {
            for i in 0..n {
                let a = remote_actor(port, i, &pem);
                db::actors::insert(c, &a)?;
                db::follows::upsert(c, a.id, cid, None, db::follows::ACCEPTED, now())?;
            }
            Ok(())
        })
        .await
        .unwrap();
    let owner = state
        .db
        .run(|c| Ok(db::actors::local_by_name(c, "owner")?.unwrap()))
        .await
        .unwrap();
    let sign_us = sign_cost(community.private_key_pem.as_deref().unwrap());
    tokio::spawn(passerelle::serve(state.clone(), listener));

    let start = Instant::now();
    for i in 0..s.posts {
        statuses::create(
            &state,
            &owner,
            NewStatus {
                community_id: Some(cid),
                in_reply_to_id: None,
                title: Some(format!("Fan-out {i}")),
                text: "One post to every member's server.".into(),
                format: Format::Markdown,
                spoiler_text: String::new(),
                sensitive: false,
                language: None,
                visibility: None,
                idempotency_key: None,
                poll: None,
                event: None,
                survey: None,
                document: None,
                media_ids: vec![],
            },
        )
        .await
        .unwrap();
    }
    // Each member gets the Announce of the Create and the Announce of the plain object.
    let expected = 2 * n * s.posts;
    let deadline = Instant::now() + Duration::from_secs(600);
    while count.load(Ordering::Relaxed) < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let delivered = count.load(Ordering::Relaxed);
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1) as f64;
    let rate = delivered as f64 / elapsed;
    // Signing bounds a fast peer; a slow one is bound by the requests in flight
    // to it over its answer time.
    let sign_bound = cores * 1e6 / sign_us;
    let bound = if s.delay_ms > 0 {
        (n * s.per_destination) as f64 * 1000.0 / s.delay_ms as f64
    } else {
        sign_bound
    };
    println!(
        "{{\"bench\":\"fanout\",\"members\":{n},\"posts\":{},\"peer_delay_ms\":{},\
         \"per_destination\":{},\"deliveries\":{delivered},\"seconds\":{elapsed:.3},\
         \"deliveries_per_second\":{rate:.1},\"sign_us\":{sign_us:.0},\"bound_per_second\":{bound:.1},\
         \"ratio_to_bound\":{:.2}}}",
        s.posts,
        s.delay_ms,
        s.per_destination,
        rate / bound
    );
    state.shutdown.cancel();
}

#[tokio::main]
async fn main() {
    // `cargo bench` passes --bench; any other argument is ignored.
    for members in [100, 1_000] {
        run(Scenario {
            members,
            posts: 1,
            delay_ms: 0,
            per_destination: 64,
        })
        .await;
    }
    // One slow peer (300 ms per answer) and a burst of 50 threads: throughput is
    // what the per-destination concurrency allows.
    for per_destination in [4, 16] {
        run(Scenario {
            members: 1,
            posts: 50,
            delay_ms: 300,
            per_destination,
        })
        .await;
    }
}
