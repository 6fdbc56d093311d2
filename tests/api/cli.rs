//! The `passerelle` binary: configuration errors, environment overrides and the
//! admin commands scripts rely on.

use std::{io::Write, process::Stdio};

use crate::{
    backend_tests,
    helpers::{Backend, TestDb, json, spawn_app},
};

fn passerelle(
    dir: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
    stdin: &str,
) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_passerelle"));
    cmd.current_dir(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Only this test's variables: none inherited from the developer's shell.
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("PASSERELLE__")) {
        cmd.env_remove(k);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn passerelle");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn config_errors_name_the_key() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("config.toml"),
        "[database]\nurl = \"sqlite://x.db\"\nsize = 3\n",
    )
    .expect("write");
    let out = passerelle(dir.path(), &["migrate"], &[], "");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("size"), "{}", stderr(&out));

    std::fs::write(
        dir.path().join("config.toml"),
        "[database]\nurl = \"sqlite://x.db\"\n",
    )
    .expect("write");
    let out = passerelle(
        dir.path(),
        &["migrate"],
        &[("PASSERELLE__FEDERATION__MODE", "sometimes")],
        "",
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).to_lowercase().contains("federation.mode"),
        "{}",
        stderr(&out)
    );
    let out = passerelle(
        dir.path(),
        &["migrate"],
        &[("PASSERELLE__SERVER__BIND", "nowhere")],
        "",
    );
    assert!(stderr(&out).contains("server.bind"), "{}", stderr(&out));
    let out = passerelle(
        dir.path(),
        &["migrate"],
        &[("PASSERELLE__FEDERATION__MODE", "allowlist")],
        "",
    );
    assert!(
        stderr(&out).contains("federation.allowlist"),
        "{}",
        stderr(&out)
    );
    // A list as comma-separated values makes the same combination valid.
    let out = passerelle(
        dir.path(),
        &["migrate"],
        &[
            ("PASSERELLE__FEDERATION__MODE", "allowlist"),
            ("PASSERELLE__FEDERATION__ALLOWLIST", "a.example,*.b.example"),
        ],
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = passerelle(
        dir.path(),
        &["--config", "missing.toml", "migrate"],
        &[],
        "",
    );
    assert!(stderr(&out).contains("missing.toml"));
}

/// A working directory with a minimal `config.toml`; the database URL comes from
/// the environment, as operators set it.
fn minimal_config() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("config.toml"),
        "[instance]\ndomain = \"localhost:9\"\n",
    )
    .expect("write");
    dir
}

async fn admin_commands_make_working_accounts(backend: Backend) {
    let db = TestDb::new(backend);
    let dir = minimal_config();
    // The database comes from the environment, as operators set it.
    let db_url = db.url.clone();
    let env = [("PASSERELLE__DATABASE__URL", db_url.as_str())];
    let out = passerelle(
        dir.path(),
        &[
            "admin",
            "create-user",
            "alice",
            "--email",
            "alice@example.com",
            "--admin",
        ],
        &env,
        "a long password\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = passerelle(
        dir.path(),
        &["admin", "create-user", "bob", "--email", "bob@example.com"],
        &env,
        "",
    );
    assert!(!out.status.success(), "an empty password is refused");
    let out = passerelle(
        dir.path(),
        &[
            "admin",
            "create-community",
            "devs",
            "--owner",
            "alice",
            "--title",
            "Developers",
            "--visibility",
            "members",
        ],
        &env,
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = passerelle(
        dir.path(),
        &[
            "admin",
            "create-community",
            "ops",
            "--owner",
            "alice",
            "--visibility",
            "secret",
        ],
        &env,
        "",
    );
    assert!(!out.status.success());
    let out = passerelle(
        dir.path(),
        &["admin", "create-token", "alice", "--scopes", "read"],
        &env,
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8(out.stdout).expect("utf8");
    let token = stdout.trim();
    assert_eq!(
        stdout.lines().count(),
        1,
        "the token alone on stdout: {stdout:?}"
    );

    let app = spawn_app(db).await;
    let (status, me) = json(
        app.get_auth("/api/v1/accounts/verify_credentials", token)
            .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(me["username"], "alice");
    let (status, devs) = json(app.get("/api/v1/accounts/lookup?acct=devs").await).await;
    assert_eq!(status, 200);
    assert_eq!(devs["locked"], true);
    // An operator appoints a member moderator.
    let out = passerelle(
        dir.path(),
        &["admin", "create-user", "bob", "--email", "bob@example.com"],
        &env,
        "bob's password\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = passerelle(
        dir.path(),
        &["admin", "create-community", "ops", "--owner", "alice"],
        &env,
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = passerelle(
        dir.path(),
        &[
            "admin",
            "create-token",
            "bob",
            "--scopes",
            "read write follow",
        ],
        &env,
        "",
    );
    let bob = String::from_utf8(out.stdout)
        .expect("utf8")
        .trim()
        .to_string();
    let (_, ops) = json(app.get("/api/v1/accounts/lookup?acct=ops").await).await;
    let ops_id = ops["id"].as_str().expect("id").to_string();
    let out = passerelle(
        dir.path(),
        &["admin", "add-moderator", "ops", "bob"],
        &env,
        "",
    );
    assert!(!out.status.success(), "bob is not a member yet");
    let resp = app
        .client
        .post(app.url(&format!("/api/passerelle/v1/communities/{ops_id}/join")))
        .bearer_auth(&bob)
        .send()
        .await
        .expect("join");
    assert_eq!(resp.status(), 200);
    let out = passerelle(
        dir.path(),
        &["admin", "add-moderator", "ops", "bob"],
        &env,
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, mods) = json(
        app.get(&format!(
            "/api/passerelle/v1/communities/{ops_id}/moderators"
        ))
        .await,
    )
    .await;
    assert_eq!(mods.as_array().map(Vec::len), Some(2));
    let out = passerelle(
        dir.path(),
        &["admin", "remove-moderator", "ops", "bob"],
        &env,
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let (_, mods) = json(
        app.get(&format!(
            "/api/passerelle/v1/communities/{ops_id}/moderators"
        ))
        .await,
    )
    .await;
    assert_eq!(mods.as_array().map(Vec::len), Some(1));
    // The token carries only the scopes asked for.
    let (status, _) = json(
        app.client
            .post(app.url("/api/v1/apps/verify_credentials"))
            .bearer_auth(token)
            .send()
            .await
            .expect("req"),
    )
    .await;
    assert_eq!(status, 405);
}

/// `admin seed` fills either database with people who joined communities,
/// threads and comments, that the API then serves like any other.
async fn seed_makes_realistic_data(backend: Backend) {
    let db = TestDb::new(backend);
    let dir = minimal_config();
    let db_url = db.url.clone();
    let env = [("PASSERELLE__DATABASE__URL", db_url.as_str())];
    let out = passerelle(
        dir.path(),
        &[
            "admin",
            "seed",
            "--users",
            "30",
            "--communities",
            "25",
            "--posts",
            "300",
            "--comments",
            "600",
        ],
        &env,
        "",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "seeded 30 people, 25 communities, 300 threads (12 events, 15 documents), 600 comments"
        ),
        "{err}"
    );
    assert!(
        err.contains("comments: 600/600"),
        "plain progress lines off a terminal: {err}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let printed = |key: &str| {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .unwrap_or_else(|| panic!("{key} in {stdout}"))
            .to_string()
    };
    let hot = printed("hot_thread_id");
    assert!(printed("sample_person").starts_with("seed"), "{stdout}");
    assert!(
        printed("hot_community_id").parse::<i64>().is_ok(),
        "{stdout}"
    );

    // The API serves the seeded data.
    let app = spawn_app(db).await;
    let (status, thread) = json(app.get(&format!("/api/passerelle/v1/threads/{hot}")).await).await;
    assert_eq!(status, 200, "{thread}");
    let (status, context) = json(app.get(&format!("/api/v1/statuses/{hot}/context")).await).await;
    assert_eq!(status, 200, "{context}");
    assert_eq!(
        context["descendants"].as_array().map(Vec::len),
        Some(200),
        "the busy thread has 200 comments"
    );
    // Someone who joined 20 communities has a full home timeline.
    let (status, list) = json(app.get("/api/passerelle/v1/communities?limit=40").await).await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().map(Vec::len), Some(25));
    let joined: usize = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["members_count"].as_u64().unwrap_or(0) as usize)
        .sum();
    // 20 communities each, plus any community someone owns outside those.
    assert!(
        (30 * 20..=30 * 20 + 25).contains(&joined),
        "each person joined 20 communities: {joined}"
    );
}

backend_tests!(
    admin_commands_make_working_accounts,
    seed_makes_realistic_data
);
