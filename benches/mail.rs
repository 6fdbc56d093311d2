//! Mail benchmark: what the periodic mail jobs cost at an organisation's scale,
//! and how fast the worker hands mail to a relay.
//!
//! N people (confirmed addresses) each have one unseen mention, and all belong
//! to a community with 20 new threads. Measured: one alerts pass (N mails
//! composed and queued), one digest pass (N digests), and the queue sent to a
//! real SMTP server on loopback (`tests/clients/smtp_sink.py`, aiosmtpd, from
//! the client virtualenv; skipped without it). Also the cost of rendering one
//! mail (HTML + text + MIME).
//!
//! Run: `cargo bench --bench mail` (SQLite; N = 2,000). With
//! `PASSERELLE_BENCH_DATABASE_URL=postgres://…` (an empty database) on PostgreSQL.

#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark fails loudly

use std::{
    path::PathBuf,
    process::Stdio,
    time::{Duration, Instant},
};

use chrono::Duration as Span;
use passerelle::{
    config::Config,
    db,
    model::{format::Format, id::new_id, visibility::CommunityVisibility},
    service::{
        accounts::{NewUser, create_user},
        communities::{NewCommunity, create_community},
        mail, now,
        statuses::{self, NewStatus},
    },
    state::AppState,
};
use tokio::io::{AsyncBufReadExt, BufReader};

const PEOPLE: usize = 2_000;
const THREADS: usize = 20;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

/// The relay: aiosmtpd from the client virtualenv, if installed.
async fn relay(port: u16, folder: &std::path::Path) -> Option<tokio::process::Child> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let python = std::env::var("PASSERELLE_CLIENT_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join(".venv-clients"))
        .join("bin/python");
    if !python.exists() {
        eprintln!("no client virtualenv: the relay throughput is not measured");
        return None;
    }
    let mut child = tokio::process::Command::new(python)
        .arg(root.join("tests/clients/smtp_sink.py"))
        .arg(port.to_string())
        .arg(folder)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .ok()?;
    let mut lines = BufReader::new(child.stdout.take()?).lines();
    let ready = lines.next_line().await.ok()??;
    (ready == "ready").then_some(child)
}

fn thread(community: i64, title: String) -> NewStatus {
    NewStatus {
        community_id: Some(community),
        in_reply_to_id: None,
        title: Some(title),
        text: "What we decided, and what comes next.".into(),
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
    }
}

/// N confirmed people in one community with THREADS threads; each has one
/// unseen mention.
async fn fill(state: &AppState) {
    let (owner, _) = create_user(
        state,
        NewUser {
            name: "owner".into(),
            email: "owner@corp.example".into(),
            password: "long enough".into(),
            admin: false,
        },
    )
    .await
    .unwrap();
    let community = create_community(
        state,
        NewCommunity {
            name: "everyone".into(),
            owner: "owner".into(),
            title: None,
            visibility: CommunityVisibility::Public,
        },
    )
    .await
    .unwrap();
    let owner_actor = state
        .db
        .run(move |c| Ok(db::actors::by_id(c, owner.actor_id)?))
        .await
        .unwrap();
    let mention = statuses::create(state, &owner_actor, {
        let mut s = thread(community.id, "Kick-off".into());
        s.community_id = None;
        s.title = None;
        s
    })
    .await
    .unwrap();
    let cid = community.id;
    for chunk in 0..PEOPLE / 100 {
        let mut people = vec![];
        for i in chunk * 100..(chunk + 1) * 100 {
            let (user, _) = create_user(
                state,
                NewUser {
                    name: format!("person{i}"),
                    email: format!("person{i}@corp.example"),
                    password: "long enough".into(),
                    admin: false,
                },
            )
            .await
            .unwrap();
            people.push(user.actor_id);
        }
        let status_id = mention.id;
        let from = owner_actor.id;
        state
            .db
            .write(move |c| {
                use diesel::prelude::*;
                for p in &people {
                    db::follows::upsert(c, *p, cid, None, db::follows::ACCEPTED, now())?;
                    diesel::insert_into(db::schema::notifications::table)
                        .values((
                            db::schema::notifications::id.eq(new_id()),
                            db::schema::notifications::recipient_id.eq(*p),
                            db::schema::notifications::from_id.eq(from),
                            db::schema::notifications::kind.eq("mention"),
                            db::schema::notifications::status_id.eq(Some(status_id)),
                            db::schema::notifications::created_at.eq(now()),
                        ))
                        .execute(c)?;
                }
                Ok(())
            })
            .await
            .unwrap();
    }
    for i in 0..THREADS {
        statuses::create(state, &owner_actor, thread(cid, format!("Decision {i}")))
            .await
            .unwrap();
    }
}

async fn queued(state: &AppState) -> i64 {
    state
        .db
        .run(|c| Ok(db::outgoing_mail::counts(c)?.0))
        .await
        .unwrap()
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let (url, backend) = match std::env::var("PASSERELLE_BENCH_DATABASE_URL") {
        Ok(u) => (u, "postgres"),
        Err(_) => (
            format!("sqlite://{}", dir.path().join("bench.db").display()),
            "sqlite",
        ),
    };
    let toml = format!(
        "[instance]\ndomain = \"localhost:8080\"\n[database]\nurl = \"{url}\"\n\
         [media]\npath = \"{}\"\n[email]\nsmtp_url = \"smtp://127.0.0.1:{port}\"\n[log]\nlevel = \"warn\"\n",
        dir.path().join("media").display()
    );
    let state = passerelle::build_state(Config::from_toml_str(&toml).unwrap())
        .await
        .unwrap();
    fill(&state).await;

    // One mail rendered (HTML, text, MIME), alone.
    let t = mail::tr_of(&state, "fr");
    let mut letter = mail::Letter::new(t, "Un sujet".into());
    letter.paragraphs = vec!["Un paragraphe.".into(); 3];
    let rounds = 2_000;
    let start = Instant::now();
    for _ in 0..rounds {
        mail::prepare(&state, None, "a@corp.example", "bench", &letter).unwrap();
    }
    let render_us = start.elapsed().as_secs_f64() * 1e6 / f64::from(rounds);

    let at = now() + Span::minutes(11);
    let start = Instant::now();
    let alerts = mail::alerts::send_due(&state, at).await.unwrap();
    let alerts_s = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let digests = mail::digest::send_due(&state, now() + Span::days(8))
        .await
        .unwrap();
    let digests_s = start.elapsed().as_secs_f64();
    let total = queued(&state).await;

    // The queue to a real relay.
    let folder = dir.path().join("relayed");
    std::fs::create_dir_all(&folder).unwrap();
    let mut sent_per_second = None;
    if let Some(_relay) = relay(port, &folder).await {
        let transport = mail::sender::transport(&state).unwrap();
        let start = Instant::now();
        let deadline = start + Duration::from_secs(600);
        while queued(&state).await > 0 && Instant::now() < deadline {
            mail::sender::send_due(&state, &transport).await.unwrap();
        }
        sent_per_second = Some(total as f64 / start.elapsed().as_secs_f64());
    }
    println!(
        "{{\"bench\":\"mail\",\"backend\":\"{backend}\",\"people\":{PEOPLE},\"render_us\":{render_us:.0},\
         \"alerts\":{alerts},\"alerts_seconds\":{alerts_s:.2},\"alerts_per_second\":{:.0},\
         \"digests\":{digests},\"digests_seconds\":{digests_s:.2},\"digests_per_second\":{:.0},\
         \"relayed_per_second\":{}}}",
        f64::from(alerts as u32) / alerts_s,
        f64::from(digests as u32) / digests_s,
        sent_per_second.map_or("null".into(), |r| format!("{r:.0}"))
    );
    state.shutdown.cancel();
}
