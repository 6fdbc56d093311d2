//! A real SMTP server for the mail tests: `tests/clients/smtp_sink.py`
//! (aiosmtpd, from the client virtualenv) on a loopback port, writing each
//! message it accepts to a folder. Messages are parsed with `mail-parser`, a
//! MIME parser independent of the `lettre` that wrote them.

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};

use tokio::io::{AsyncBufReadExt, BufReader};

pub struct SmtpSink {
    pub port: u16,
    folder: tempfile::TempDir,
    child: Option<tokio::process::Child>,
}

/// A received message: its envelope recipients and raw bytes.
pub struct Received {
    pub to: Vec<String>,
    pub raw: Vec<u8>,
}

impl Received {
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(&self.raw)
            .expect("a MIME message")
    }

    pub fn header(&self, name: &str) -> String {
        self.parsed()
            .header_raw(name)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    }

    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or_default().to_string()
    }

    pub fn text(&self) -> String {
        self.parsed()
            .body_text(0)
            .map(|t| t.to_string())
            .unwrap_or_default()
    }

    pub fn html(&self) -> String {
        self.parsed()
            .body_html(0)
            .map(|t| t.to_string())
            .unwrap_or_default()
    }

    /// The first link of the text part that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let text = self.text();
        let start = text.find(prefix)?;
        Some(
            text[start..]
                .split(|c: char| c.is_whitespace())
                .next()?
                .to_string(),
        )
    }
}

/// The virtualenv's Python, or `None` (skipped) outside CI when it is missing.
pub fn python() -> Option<PathBuf> {
    let venv = std::env::var("PASSERELLE_CLIENT_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv-clients"));
    let python = venv.join("bin/python");
    if python.exists() {
        return Some(python);
    }
    assert!(
        std::env::var("CI").is_err(),
        "{} is missing in CI: scripts/test installs it",
        python.display()
    );
    eprintln!("skipped: no client virtualenv at {}", venv.display());
    None
}

/// A free loopback port (for a relay started later than the app).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl SmtpSink {
    /// Starts a server on `port`; `None` when the virtualenv is missing (local runs).
    pub async fn start(port: u16) -> Option<SmtpSink> {
        let python = python()?;
        let folder = tempfile::tempdir().expect("mail folder");
        let mut sink = SmtpSink {
            port,
            folder,
            child: None,
        };
        sink.spawn(&python).await;
        Some(sink)
    }

    async fn spawn(&mut self, python: &Path) {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/clients/smtp_sink.py");
        let mut child = tokio::process::Command::new(python)
            .arg(script)
            .arg(self.port.to_string())
            .arg(self.folder.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start the SMTP server");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let ready = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
            .await
            .expect("the SMTP server starts within 20 s")
            .expect("its output");
        assert_eq!(ready.as_deref(), Some("ready"));
        self.child = Some(child);
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(self.folder.path())
            .expect("mail folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|p| Received {
                raw: std::fs::read(&p).expect("message"),
                to: std::fs::read_to_string(p.with_extension("rcpt"))
                    .unwrap_or_default()
                    .lines()
                    .map(str::to_string)
                    .collect(),
            })
            .collect()
    }

    /// Waits (at most 20 s) until `n` messages have arrived; returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        for _ in 0..200 {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("expected {n} messages, got {}", self.received().len());
    }
}
