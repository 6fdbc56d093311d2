//! The web interface in a real headless Chromium: the main journeys (sign in,
//! join, post a thread, a comment that appears live, like, remove a post as a
//! moderator, a community's library (a folder, an upload, a version dropped on
//! its form), block a server and change the accent colour as an administrator,
//! fill in the people directory and find a colleague by a skill, switch to
//! French) and an accessibility scan (`tests/browser/journeys.py`, Playwright and axe-core from
//! the client virtualenv; Chromium from Debian, installed by `.ci/run`).

use std::{path::PathBuf, time::Duration};

use federation_tests::{Backend, Instance};

use super::clients::client_python;

/// Debian's Chromium, or `None` (skipped) outside CI when it is not installed.
fn chromium() -> Option<PathBuf> {
    let path = PathBuf::from(
        std::env::var("PASSERELLE_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
    );
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var("CI").is_err(),
        "{} is missing in CI: .ci/run installs Debian's chromium",
        path.display()
    );
    eprintln!("skipped: no Chromium at {}", path.display());
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_journeys_in_chromium() {
    let (Some(python), Some(chromium)) = (client_python(), chromium()) else {
        return;
    };
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/browser/journeys.py");
    for backend in Backend::available() {
        // Mail on, towards a port where nothing listens: the pages' forms
        // work, the messages wait in the queue.
        let instance = Instance::start(
            "browser",
            backend,
            "[email]\nsmtp_url = \"smtp://127.0.0.1:9\"\n",
        )
        .await
        .expect("instance");
        // Alice administers the instance; Bob is an employee.
        let made = instance
            .cli(
                &[
                    "admin",
                    "create-user",
                    "alice",
                    "--email",
                    "alice@example.com",
                    "--admin",
                ],
                "alice's long password\n",
            )
            .await
            .expect("alice");
        let stderr = String::from_utf8_lossy(&made.stderr);
        assert!(made.status.success(), "{stderr}");
        instance
            .create_user("bob", "bob's long password", "read")
            .await
            .expect("bob");
        let shots = tempfile::tempdir().expect("screenshots");
        let run = tokio::process::Command::new(&python)
            .arg(&script)
            .arg(&instance.base)
            .arg(shots.path())
            .args(["alice's long password", "bob's long password"])
            .env("PASSERELLE_CHROMIUM", &chromium)
            .kill_on_drop(true)
            .output();
        let out = tokio::time::timeout(Duration::from_secs(180), run)
            .await
            .expect("bounded")
            .expect("python");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !out.status.success() {
            // Keep the screenshots for whoever reads the failure.
            let kept = shots.keep();
            panic!(
                "{backend:?}\n{stdout}\n{stderr}\nscreenshots in {}\nserver log:\n{}",
                kept.display(),
                instance.log()
            );
        }
        assert!(stdout.lines().any(|l| l == "ok"), "{stdout}");
    }
}
