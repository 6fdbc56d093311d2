//! Debian's nginx in front of an instance, configured with the example of
//! `docs/OPERATIONS.md` as written there (only its ports, name and certificate
//! are swapped for the test's), with TLS from a self-signed certificate.

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};

use tokio::process::{Child, Command};

/// The name the documented example serves; the test's client resolves it to
/// loopback.
pub const SERVER_NAME: &str = "social.example.com";

/// A program from PATH or the system folders, or `None` (skipped) outside CI.
pub fn tool(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/sbin".into()])
        .map(|d| d.join(name))
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(
            std::env::var("CI").is_err(),
            "{name} is missing in CI: .ci/run installs it"
        );
        eprintln!("skipped: {name} is not installed");
    }
    found
}

/// The nginx block of the reverse-proxy section of `docs/OPERATIONS.md`.
pub fn documented_config() -> String {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/OPERATIONS.md"),
    )
    .expect("docs/OPERATIONS.md");
    let section = doc
        .split_once("### nginx")
        .expect("a `### nginx` section in docs/OPERATIONS.md")
        .1;
    let block = section
        .split_once("```nginx\n")
        .expect("an nginx code block")
        .1;
    block.split_once("\n```").expect("the block's end").0.into()
}

/// Where the test's nginx listens and what it serves.
pub struct Site<'a> {
    pub https: u16,
    pub http: u16,
    pub upstream: u16,
    pub cert: &'a Path,
    pub key: &'a Path,
}

/// The documented example pointed at the test's ports and certificate. Every
/// value swapped must be in the example: when the docs change, this fails
/// rather than testing something else.
pub fn adapt(doc: &str, site: &Site) -> String {
    let live = format!("/etc/letsencrypt/live/{SERVER_NAME}");
    let swaps = [
        (
            "listen 443 ssl http2;",
            format!("listen 127.0.0.1:{} ssl http2;", site.https),
        ),
        ("listen [::]:443 ssl http2;", String::new()),
        ("listen 80;", format!("listen 127.0.0.1:{};", site.http)),
        ("listen [::]:80;", String::new()),
        (
            "server 127.0.0.1:8080;",
            format!("server 127.0.0.1:{};", site.upstream),
        ),
        (
            &format!("{live}/fullchain.pem") as &str,
            site.cert.display().to_string(),
        ),
        (
            &format!("{live}/privkey.pem") as &str,
            site.key.display().to_string(),
        ),
    ];
    let mut out = doc.to_string();
    for (from, to) in swaps {
        assert!(
            out.contains(from),
            "the nginx example no longer has `{from}`"
        );
        out = out.replace(from, &to);
    }
    out
}

/// A self-signed certificate for `SERVER_NAME`: (certificate, key).
pub async fn certificate(openssl: &Path, dir: &Path) -> (PathBuf, PathBuf) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let run = Command::new(openssl)
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", &format!("/CN={SERVER_NAME}")])
        .args(["-addext", &format!("subjectAltName=DNS:{SERVER_NAME}")])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("openssl in time")
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (cert, key)
}

/// A running nginx, killed when dropped.
pub struct Nginx {
    child: Child,
    pub dir: tempfile::TempDir,
}

impl Nginx {
    /// Starts `binary` in the foreground as one process (no workers to switch
    /// user), with its prefix, logs and temporary files in `dir`, serving
    /// `site_config`; waits (bounded) until `port` accepts connections.
    pub async fn start(
        binary: &Path,
        dir: tempfile::TempDir,
        site_config: &str,
        port: u16,
    ) -> Nginx {
        let d = dir.path().display();
        std::fs::write(dir.path().join("passerelle.conf"), site_config).expect("site");
        let main = format!(
            "daemon off;\nmaster_process off;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  \
             fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  \
             include {d}/passerelle.conf;\n}}\n"
        );
        std::fs::write(dir.path().join("nginx.conf"), main).expect("main config");
        let child = Command::new(binary)
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(dir.path().join("nginx.conf"))
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("nginx starts");
        let mut nginx = Nginx { child, dir };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return nginx;
            }
            if let Ok(Some(status)) = nginx.child.try_wait() {
                panic!("nginx exited with {status}:\n{}", nginx.log());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("nginx did not listen in 10 s:\n{}", nginx.log());
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }

    /// Stops nginx (bounded).
    pub async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await;
    }
}
