//! Real Mastodon client libraries against a running server (the scripts live in
//! `tests/clients/`; `scripts/test` installs their virtualenv).

use std::{path::PathBuf, time::Duration};

use federation_tests::{Backend, Instance};

/// The virtualenv's Python, or `None` (skipped) outside CI when it is not installed.
pub fn client_python() -> Option<PathBuf> {
    let venv = std::env::var("PASSERELLE_CLIENT_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv-clients"));
    let python = venv.join("bin/python");
    if python.exists() {
        return Some(python);
    }
    assert!(
        std::env::var("CI").is_err(),
        "{} is missing in CI: scripts/test installs it",
        python.display()
    );
    eprintln!(
        "skipped: no client virtualenv at {} (run scripts/test)",
        venv.display()
    );
    None
}

/// The masto.js app's directory, or `None` (skipped) outside CI when its
/// packages are not installed.
fn masto_app() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/clients/masto");
    if dir.join("node_modules/masto").exists() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").is_err(),
        "masto.js is missing in CI: scripts/test installs it"
    );
    eprintln!("skipped: masto.js is not installed (run scripts/test)");
    None
}

/// An app built on masto.js logs in (authorization code through our login
/// page), posts, reads the home timeline page by page, notifications and a thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn masto_js_app() {
    let Some(dir) = masto_app() else {
        return;
    };
    for backend in Backend::available() {
        let instance = Instance::start("masto", backend, "")
            .await
            .expect("instance");
        for name in ["alice", "bob"] {
            instance
                .create_user(name, "a long password", "read")
                .await
                .expect("user");
        }
        let run = tokio::process::Command::new("node")
            .current_dir(&dir)
            .arg("app.mjs")
            .args([
                instance.base.as_str(),
                "alice",
                "a long password",
                "bob",
                "a long password",
            ])
            .kill_on_drop(true)
            .output();
        let out = tokio::time::timeout(Duration::from_secs(90), run)
            .await
            .expect("bounded")
            .expect("node");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "{backend:?}\n{stdout}\n{stderr}\nserver log:\n{}",
            instance.log()
        );
        assert!(stdout.lines().any(|l| l == "ok"), "{stdout}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mastodon_py_logs_in_with_the_authorization_code_flow() {
    let Some(python) = client_python() else {
        return;
    };
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/clients/mastodon_py_login.py");
    for backend in Backend::available() {
        let instance = Instance::start("clients", backend, "")
            .await
            .expect("instance");
        instance
            .create_user("alice", "a long password", "read")
            .await
            .expect("alice");
        let run = tokio::process::Command::new(&python)
            .arg(&script)
            .args([instance.base.as_str(), "alice", "a long password"])
            .output();
        let out = tokio::time::timeout(Duration::from_secs(120), run)
            .await
            .expect("bounded")
            .expect("python");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "{backend:?}\n{stdout}\n{stderr}\nserver log:\n{}",
            instance.log()
        );
        assert!(stdout.contains("ok"), "{stdout}");
    }
}

/// The real-client scenario: two people, live streaming, media, a poll,
/// a reply, a favourite, a vote, notifications, a thread and a direct message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mastodon_py_scenario() {
    let Some(python) = client_python() else {
        return;
    };
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/clients/mastodon_py_scenario.py");
    for backend in Backend::available() {
        let instance = Instance::start("scenario", backend, "[registration]\nmode = \"open\"\n")
            .await
            .expect("instance");
        instance
            .create_user("alice", "alice's long password", "read")
            .await
            .expect("alice");
        let run = tokio::process::Command::new(&python)
            .arg(&script)
            .args([instance.base.as_str(), "alice's long password"])
            .output();
        let out = tokio::time::timeout(Duration::from_secs(120), run)
            .await
            .expect("bounded")
            .expect("python");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "{backend:?}\n{stdout}\n{stderr}\nserver log:\n{}",
            instance.log()
        );
        assert!(stdout.contains(": ok"), "{stdout}");
    }
}
