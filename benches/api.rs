//! Client API load: the release binary serves seeded data on loopback while a
//! fixed number of clients call one endpoint as fast as it answers, for a fixed
//! time. Reports requests/s and latency percentiles per scenario, and the
//! server's resident memory when idle and at its peak (from `/proc`).
//!
//! Run: `cargo bench --bench api` (SQLite in a temporary directory, default seed
//! scale). Environment:
//! - `PASSERELLE_BENCH_DATABASE_URL`: an empty PostgreSQL database instead;
//! - `PASSERELLE_BENCH_SEED`: arguments for `admin seed` (e.g. `--posts 10000`);
//! - `PASSERELLE_BENCH_SECONDS` (10) and `PASSERELLE_BENCH_CONCURRENCY` (8).

#![allow(clippy::expect_used, clippy::unwrap_used)] // a benchmark fails loudly

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_passerelle");

fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn admin(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .current_dir(dir)
        .args(["--config", "config.toml", "admin"])
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .expect("run passerelle");
    assert!(out.status.success(), "passerelle admin {args:?} failed");
    String::from_utf8(out.stdout).expect("utf-8")
}

fn printed(out: &str, key: &str) -> String {
    out.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("seed printed no {key}"))
        .to_string()
}

/// A field of `/proc/<pid>/status`, in MB.
fn memory_mb(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[derive(Clone, Copy)]
enum Call {
    Get,
    Post,
    /// A web page, signed in with the session cookie.
    Page,
}

struct Scenario {
    name: &'static str,
    path: String,
    call: Call,
}

/// Runs one scenario: `concurrency` clients in a loop until `seconds` pass.
async fn run(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    s: &Scenario,
    concurrency: usize,
    seconds: u64,
) -> serde_json::Value {
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (client, url, token) = (
            client.clone(),
            format!("{base}{}", s.path),
            token.to_string(),
        );
        let (stop, sent, call) = (stop.clone(), sent.clone(), s.call);
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let n = sent.fetch_add(1, Ordering::Relaxed);
                let request = match call {
                    Call::Get => client.get(&url).bearer_auth(&token),
                    Call::Page => client
                        .get(&url)
                        .header("Cookie", format!("passerelle_session={token}")),
                    Call::Post => client.post(&url).bearer_auth(&token).json(
                        &json!({ "status": format!("Benchmark status {n}, about the #roadmap") }),
                    ),
                };
                let t = Instant::now();
                let response = request.send().await.expect("request");
                let status = response.status();
                let _ = response.bytes().await.expect("body");
                latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                assert!(status.is_success(), "{url} answered {status}");
            }
            latencies
        }));
    }
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.expect("worker"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_by(f64::total_cmp);
    json!({
        "scenario": s.name,
        "requests": all.len(),
        "requests_per_second": (all.len() as f64 / elapsed).round(),
        "p50_ms": (percentile(&all, 0.5) * 100.0).round() / 100.0,
        "p99_ms": (percentile(&all, 0.99) * 100.0).round() / 100.0,
    })
}

#[tokio::main]
async fn main() {
    let seconds: u64 = env_or("PASSERELLE_BENCH_SECONDS", 10);
    let concurrency: usize = env_or("PASSERELLE_BENCH_CONCURRENCY", 8);
    let dir = tempfile::tempdir().expect("tempdir");
    let db_url = std::env::var("PASSERELLE_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let backend = if db_url.starts_with("sqlite") {
        "sqlite"
    } else {
        "postgres"
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    std::fs::write(
        dir.path().join("config.toml"),
        format!(
            "[instance]\ndomain = \"localhost:{port}\"\n\
             [server]\nbind = \"127.0.0.1:{port}\"\n\
             [database]\nurl = \"{db_url}\"\n\
             [limits]\napi_per_minute = 0\n\
             [log]\nlevel = \"warn\"\n"
        ),
    )
    .expect("config");

    eprintln!("seeding {backend}…");
    let seed_args = std::env::var("PASSERELLE_BENCH_SEED").unwrap_or_default();
    let mut args = vec!["seed"];
    args.extend(seed_args.split_whitespace());
    let seeded = admin(dir.path(), &args);
    let (hot, community, person) = (
        printed(&seeded, "hot_thread_id"),
        printed(&seeded, "hot_community_id"),
        printed(&seeded, "sample_person"),
    );
    let token = admin(dir.path(), &["create-token", &person])
        .trim()
        .to_string();

    let server = Server(
        Command::new(BIN)
            .current_dir(dir.path())
            .args(["--config", "config.toml", "serve"])
            .spawn()
            .expect("serve"),
    );
    let pid = server.0.id();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle_mb = memory_mb(pid, "VmRSS:");
    // The web pages name a community by its handle.
    let community_name = client
        .get(format!("{base}/api/passerelle/v1/communities/{community}"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("community")
        .json::<serde_json::Value>()
        .await
        .expect("community json")["name"]
        .as_str()
        .expect("a name")
        .to_string();

    let scenarios = [
        Scenario {
            // What every signed-in request pays before its own work.
            name: "authentication (verify_credentials)",
            path: "/api/v1/accounts/verify_credentials".into(),
            call: Call::Get,
        },
        Scenario {
            name: "home timeline (20 of 20 communities)",
            path: "/api/v1/timelines/home?limit=20".into(),
            call: Call::Get,
        },
        Scenario {
            name: "community timeline",
            path: format!("/api/passerelle/v1/communities/{community}/threads?limit=20"),
            call: Call::Get,
        },
        Scenario {
            name: "thread with 200 comments",
            path: format!("/api/v1/statuses/{hot}/context"),
            call: Call::Get,
        },
        Scenario {
            name: "search",
            path: "/api/v2/search?q=roadmap&limit=20".into(),
            call: Call::Get,
        },
        Scenario {
            name: "home page (HTML)",
            path: "/".into(),
            call: Call::Page,
        },
        Scenario {
            name: "community page (HTML)",
            path: format!("/communities/{community_name}"),
            call: Call::Page,
        },
        Scenario {
            name: "thread page with 200 comments (HTML)",
            path: format!("/posts/{hot}"),
            call: Call::Page,
        },
        Scenario {
            name: "community agenda",
            path: format!("/api/passerelle/v1/communities/{community}/events"),
            call: Call::Get,
        },
        Scenario {
            name: "agenda page (HTML)",
            path: format!("/communities/{community_name}/events"),
            call: Call::Page,
        },
        Scenario {
            name: "directory search (skill)",
            path: "/api/passerelle/v1/directory?q=logistics&limit=40".into(),
            call: Call::Get,
        },
        Scenario {
            name: "directory page (HTML)",
            path: "/directory?q=logistics".into(),
            call: Call::Page,
        },
        Scenario {
            name: "community library",
            path: format!("/api/passerelle/v1/communities/{community}/library"),
            call: Call::Get,
        },
        Scenario {
            name: "document search",
            path: "/api/passerelle/v1/documents?q=notes".into(),
            call: Call::Get,
        },
        Scenario {
            name: "status creation",
            path: "/api/v1/statuses".into(),
            call: Call::Post,
        },
    ];
    // PASSERELLE_BENCH_ONLY=creation,agenda runs the scenarios whose name
    // contains one of them.
    let only = std::env::var("PASSERELLE_BENCH_ONLY").unwrap_or_default();
    let wanted: Vec<&str> = only.split(',').map(str::trim).collect();
    let mut results = Vec::new();
    for s in scenarios
        .iter()
        .filter(|s| wanted.iter().any(|w| s.name.contains(w)))
    {
        // A short warm-up, then the measured run.
        run(&client, &base, &token, s, concurrency, 1).await;
        let mut r = run(&client, &base, &token, s, concurrency, seconds).await;
        r["rss_after_mb"] = json!((memory_mb(pid, "VmRSS:") * 10.0).round() / 10.0);
        eprintln!("{r}");
        results.push(r);
    }
    let peak_mb = memory_mb(pid, "VmHWM:");
    println!(
        "{}",
        json!({
            "bench": "api",
            "backend": backend,
            "seed": if seed_args.is_empty() { "default" } else { seed_args.as_str() },
            "concurrency": concurrency,
            "seconds": seconds,
            "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            "rss_idle_mb": (idle_mb * 10.0).round() / 10.0,
            "rss_peak_mb": (peak_mb * 10.0).round() / 10.0,
            "scenarios": results,
        })
    );
    drop(server);
}
