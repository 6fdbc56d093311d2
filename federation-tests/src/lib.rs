//! A rig that runs real `passerelle` processes on 127.0.0.1, each with its own
//! port, domain (`localhost:PORT`) and database, and drives them over HTTP only.
//!
//! Every wait is bounded: a test that cannot make progress fails instead of hanging.
#![allow(clippy::expect_used, clippy::unwrap_used)] // tests fail loudly by design

use std::{
    path::PathBuf,
    process::{ExitStatus, Output, Stdio},
    time::Duration,
};

pub mod fake;
pub mod fedify;
pub mod nginx;

use passerelle::db::test_support::{create_postgres_database, drop_postgres_database};
use tokio::process::{Child, Command};

pub const POSTGRES_ENV: &str = "PASSERELLE_TEST_POSTGRES_URL";

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backends to test on: SQLite always, PostgreSQL when configured.
    pub fn available() -> Vec<Backend> {
        let mut v = vec![Backend::Sqlite];
        if std::env::var(POSTGRES_ENV).is_ok() {
            v.push(Backend::Postgres);
        } else {
            eprintln!("PostgreSQL skipped: {POSTGRES_ENV} is not set");
        }
        v
    }
}

/// The `passerelle` binary: `PASSERELLE_BIN`, or the workspace's debug build.
pub fn binary() -> PathBuf {
    if let Ok(p) = std::env::var("PASSERELLE_BIN") {
        return PathBuf::from(p);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let p = target.join("debug/passerelle");
    assert!(
        p.exists(),
        "{} is missing: run `cargo build --bin passerelle` first",
        p.display()
    );
    p
}

pub struct Instance {
    pub name: String,
    pub port: u16,
    pub domain: String,
    pub base: String,
    pub dir: tempfile::TempDir,
    pub db_url: String,
    pg_name: Option<String>,
    child: Option<Child>,
    pub client: reqwest::Client,
}

/// A port nothing listens on now (bound, then released).
pub async fn free_port() -> anyhow::Result<u16> {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    Ok(l.local_addr()?.port())
}

impl Instance {
    /// Like `start`, with extra keys for the `[federation]` table.
    pub async fn start_with_federation(
        name: &str,
        backend: Backend,
        federation_keys: &str,
    ) -> anyhow::Result<Instance> {
        Self::start_inner(name, backend, ("", federation_keys), "").await
    }

    /// Like `start`, with extra keys for the `[server]` table.
    pub async fn start_with_server(
        name: &str,
        backend: Backend,
        server_keys: &str,
    ) -> anyhow::Result<Instance> {
        Self::start_inner(name, backend, (server_keys, ""), "").await
    }

    /// Writes a configuration, starts the process and waits (bounded) until healthy.
    pub async fn start(name: &str, backend: Backend, extra_toml: &str) -> anyhow::Result<Instance> {
        Self::start_inner(name, backend, ("", ""), extra_toml).await
    }

    /// `keys`: extra lines for the `[server]` and `[federation]` tables.
    async fn start_inner(
        name: &str,
        backend: Backend,
        (server_keys, federation_keys): (&str, &str),
        extra_toml: &str,
    ) -> anyhow::Result<Instance> {
        let port = free_port().await?;
        let domain = format!("localhost:{port}");
        let dir = tempfile::tempdir()?;
        let (db_url, pg_name) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}", dir.path().join("db.sqlite").display()),
                None,
            ),
            Backend::Postgres => {
                let (url, name) = create_postgres_database(&std::env::var(POSTGRES_ENV)?)?;
                (url, Some(name))
            }
        };
        // The rig polls the client API in its waits: no API rate limit here (rate
        // limits are tested in tests/api). A delivery that fails once (a busy
        // machine) is retried within seconds rather than after the production 30 s,
        // which would outlast the waits; tests of the retry itself set their own.
        let retries = if federation_keys.contains("retry_base_seconds") {
            ""
        } else {
            "retry_base_seconds = 2\nretry_max_seconds = 4\n"
        };
        let config = format!(
            "[instance]\ndomain = \"{domain}\"\nname = \"{name}\"\n\
             [server]\nbind = \"127.0.0.1:{port}\"\n{server_keys}\n\
             [database]\nurl = \"{db_url}\"\npool_size = 4\n\
             [federation]\nallow_insecure = true\n{retries}{federation_keys}\
             [limits]\napi_per_minute = 0\n\
             [log]\nlevel = \"warn,passerelle=info\"\n{extra_toml}"
        );
        std::fs::write(dir.path().join("config.toml"), config)?;
        let mut instance = Instance {
            name: name.into(),
            port,
            base: format!("http://{domain}"),
            domain,
            dir,
            db_url,
            pg_name,
            child: None,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(10))
                .build()?,
        };
        instance.launch().await?;
        Ok(instance)
    }

    async fn launch(&mut self) -> anyhow::Result<()> {
        let log = std::fs::File::create(self.dir.path().join("server.log"))?;
        let child = Command::new(binary())
            .current_dir(self.dir.path())
            .arg("serve")
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()?;
        self.child = Some(child);
        for _ in 0..300 {
            if let Ok(r) = self.client.get(self.url("/healthz")).send().await
                && r.status().is_success()
            {
                return Ok(());
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                anyhow::bail!("{} exited with {status}:\n{}", self.name, self.log());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!(
            "{} did not become healthy in 30 s:\n{}",
            self.name,
            self.log()
        )
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    /// Runs `passerelle ARGS` against this instance's configuration and database.
    /// An administrator made with the CLI, and a token for them with `scopes`.
    pub async fn admin_token(&self, name: &str, scopes: &str) -> anyhow::Result<String> {
        let email = format!("{name}@example.com");
        let out = self
            .cli(
                &["admin", "create-user", name, "--email", &email, "--admin"],
                "a long password\n",
            )
            .await?;
        anyhow::ensure!(
            out.status.success(),
            "create-user: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = self
            .cli(&["admin", "create-token", name, "--scopes", scopes], "")
            .await?;
        anyhow::ensure!(
            out.status.success(),
            "create-token: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(String::from_utf8(out.stdout)?.trim().to_string())
    }

    pub async fn cli(&self, args: &[&str], stdin: &str) -> anyhow::Result<Output> {
        use tokio::io::AsyncWriteExt;
        let mut child = Command::new(binary())
            .current_dir(self.dir.path())
            .args(args)
            .env_remove("RUST_LOG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        if let Some(mut input) = child.stdin.take() {
            input.write_all(stdin.as_bytes()).await?;
        }
        Ok(tokio::time::timeout(Duration::from_secs(60), child.wait_with_output()).await??)
    }

    /// A local user with a password; returns an access token with `scopes`.
    pub async fn create_user(
        &self,
        name: &str,
        password: &str,
        scopes: &str,
    ) -> anyhow::Result<String> {
        let email = format!("{name}@example.com");
        let out = self
            .cli(
                &["admin", "create-user", name, "--email", &email],
                &format!("{password}\n"),
            )
            .await?;
        anyhow::ensure!(
            out.status.success(),
            "create-user: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let out = self
            .cli(&["admin", "create-token", name, "--scopes", scopes], "")
            .await?;
        anyhow::ensure!(
            out.status.success(),
            "create-token: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(String::from_utf8(out.stdout)?.trim().to_string())
    }

    /// Sends SIGTERM and waits (bounded) for a graceful exit.
    pub async fn stop(&mut self) -> anyhow::Result<ExitStatus> {
        let Some(mut child) = self.child.take() else {
            anyhow::bail!("{} is not running", self.name);
        };
        if let Some(pid) = child.id() {
            std::process::Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status()?;
        }
        match tokio::time::timeout(Duration::from_secs(15), child.wait()).await {
            Ok(status) => Ok(status?),
            Err(_) => {
                child.kill().await?;
                anyhow::bail!("{} ignored SIGTERM for 15 s", self.name)
            }
        }
    }

    /// A second node of the same instance (same domain, same database) on its own
    /// port: several stateless processes on one PostgreSQL.
    pub async fn start_sibling(&self, name: &str) -> anyhow::Result<Instance> {
        let port = free_port().await?;
        let dir = tempfile::tempdir()?;
        let config = std::fs::read_to_string(self.dir.path().join("config.toml"))?.replace(
            &format!("bind = \"127.0.0.1:{}\"", self.port),
            &format!("bind = \"127.0.0.1:{port}\""),
        );
        std::fs::write(dir.path().join("config.toml"), config)?;
        let mut sibling = Instance {
            name: name.into(),
            port,
            domain: self.domain.clone(),
            base: format!("http://127.0.0.1:{port}"),
            dir,
            db_url: self.db_url.clone(),
            // The first node owns (and drops) the database.
            pg_name: None,
            child: None,
            client: self.client.clone(),
        };
        sibling.launch().await?;
        Ok(sibling)
    }

    /// SIGKILL: no graceful shutdown, as in a crash.
    pub async fn kill(&mut self) -> anyhow::Result<()> {
        if let Some(mut child) = self.child.take() {
            child.kill().await?;
        }
        Ok(())
    }

    /// Starts the process again on the same port and database.
    pub async fn restart(&mut self) -> anyhow::Result<()> {
        if self.child.is_some() {
            self.stop().await?;
        }
        self.launch().await
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        // A failed wait says what timed out; the server's log says why. CI keeps
        // only the test output, so it goes there.
        if std::thread::panicking() {
            eprintln!(
                "----- log of {} ({}) -----\n{}",
                self.name,
                self.domain,
                self.log()
            );
        }
        if let Some(c) = self.child.as_mut() {
            let _ = c.start_kill();
        }
        if let (Some(name), Ok(base)) = (&self.pg_name, std::env::var(POSTGRES_ENV)) {
            // The process may still hold connections: FORCE closes them.
            let _ = drop_postgres_database(&base, name);
        }
    }
}

impl Instance {
    /// GET with an optional token; returns status and JSON (Null when not JSON).
    pub async fn get(&self, path: &str, token: Option<&str>) -> (u16, serde_json::Value) {
        let mut req = self.client.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        match req.send().await {
            Ok(r) => {
                let status = r.status().as_u16();
                (status, r.json().await.unwrap_or(serde_json::Value::Null))
            }
            Err(e) => (0, serde_json::Value::String(e.to_string())),
        }
    }

    /// POST (or another method) with a JSON body and a token.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        match self
            .client
            .request(method, self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
        {
            Ok(r) => {
                let status = r.status().as_u16();
                (status, r.json().await.unwrap_or(serde_json::Value::Null))
            }
            Err(e) => (0, serde_json::Value::String(e.to_string())),
        }
    }

    pub async fn post(
        &self,
        path: &str,
        token: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        self.send(reqwest::Method::POST, path, token, body).await
    }
}

/// Percent-encodes what handles and URLs put in a query string.
pub fn urlencode(s: &str) -> String {
    s.replace('@', "%40")
        .replace(':', "%3A")
        .replace('/', "%2F")
}

/// What the multi-instance scenarios do again and again, through the APIs only.
impl Instance {
    /// Finds an account by handle with `search?resolve=true` (fetching it) and
    /// returns its id here.
    pub async fn resolve_account(&self, token: &str, acct: &str) -> String {
        let path = format!(
            "/api/v2/search?q={}&resolve=true&type=accounts",
            urlencode(acct)
        );
        let (status, body) = self.get(&path, Some(token)).await;
        assert_eq!(status, 200, "{body}");
        body["accounts"][0]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{acct} not found: {body}\n{}", self.log()))
            .to_string()
    }

    /// Creates a community (`visibility`: public, partners, members, internal)
    /// owned by the token's owner; its id here.
    pub async fn create_community(&self, token: &str, name: &str, visibility: &str) -> String {
        let (status, c) = self
            .post(
                "/api/passerelle/v1/communities",
                token,
                serde_json::json!({"name": name, "visibility": visibility}),
            )
            .await;
        assert_eq!(status, 200, "create {name}: {c}");
        c["id"].as_str().unwrap_or_default().to_string()
    }

    /// Finds a community by handle (fetching it) and returns its id here.
    pub async fn lookup_community(&self, token: &str, acct: &str) -> String {
        let path = format!(
            "/api/passerelle/v1/communities/lookup?acct={}&resolve=true",
            urlencode(acct)
        );
        let (status, c) = self.get(&path, Some(token)).await;
        assert_eq!(status, 200, "{acct} not found: {c}");
        c["id"].as_str().unwrap_or_default().to_string()
    }

    /// Finds a community by handle and joins it; returns its id here.
    pub async fn join_community(&self, token: &str, acct: &str) -> String {
        let id = self.lookup_community(token, acct).await;
        let (status, body) = self
            .post(
                &format!("/api/passerelle/v1/communities/{id}/join"),
                token,
                serde_json::json!({}),
            )
            .await;
        assert_eq!(status, 200, "join: {body}");
        id
    }

    /// The thread with this title among a community's threads here.
    pub async fn find_thread(
        &self,
        token: &str,
        community: &str,
        title: &str,
    ) -> Option<serde_json::Value> {
        let (_, threads) = self
            .get(
                &format!("/api/passerelle/v1/communities/{community}/threads"),
                Some(token),
            )
            .await;
        threads
            .as_array()?
            .iter()
            .find(|t| t["passerelle"]["title"] == title)
            .cloned()
    }

    /// Waits (bounded) until the community here counts `n` members.
    pub async fn wait_members(&self, token: &str, community: &str, n: i64) {
        eventually(15, &format!("{n} members on {}", self.name), || async {
            let (_, c) = self
                .get(
                    &format!("/api/passerelle/v1/communities/{community}"),
                    Some(token),
                )
                .await;
            (c["members_count"] == n).then_some(())
        })
        .await;
    }

    /// Waits (bounded) until no delivery is pending (sent, or given up).
    pub async fn sent_all(&self) {
        eventually(
            15,
            &format!("{}'s deliveries to drain", self.name),
            || async {
                let pending = self.metrics().await?.lines().any(|l| {
                    l.starts_with("passerelle_deliveries{state=\"pending\"}") && !l.ends_with(" 0")
                });
                (!pending).then_some(())
            },
        )
        .await;
    }

    /// Waits (bounded) until every activity the inbox accepted has been applied
    /// (or given up), read from `/metrics`: the inbox answers 202 before that.
    pub async fn settled(&self) {
        eventually(
            15,
            &format!("{}'s inbound queue to drain", self.name),
            || async {
                self.metrics()
                    .await?
                    .lines()
                    .any(|l| l == "passerelle_inbound_jobs{state=\"pending\"} 0")
                    .then_some(())
            },
        )
        .await;
    }

    /// The `/metrics` text (the rig is on loopback), or None if unreachable.
    pub async fn metrics(&self) -> Option<String> {
        self.client
            .get(self.url("/metrics"))
            .send()
            .await
            .ok()?
            .text()
            .await
            .ok()
    }

    /// As a moderator (`token`), approves the oldest pending join request of the
    /// community `community_id`.
    /// The relationship of the token's owner with the account `id` (this server's id).
    pub async fn relationship(&self, token: &str, id: &str) -> serde_json::Value {
        let (status, r) = self
            .get(
                &format!("/api/v1/accounts/relationships?id[]={id}"),
                Some(token),
            )
            .await;
        assert_eq!(status, 200, "relationships: {r}");
        r[0].clone()
    }

    /// The token's owner follows the account `id` (a person or a community, by
    /// this server's id); returns once the follow is accepted (bounded wait).
    pub async fn follow(&self, token: &str, id: &str) {
        let (status, rel) = self
            .post(
                &format!("/api/v1/accounts/{id}/follow"),
                token,
                serde_json::json!({}),
            )
            .await;
        assert_eq!(status, 200, "follow: {rel}");
        eventually(15, &format!("{id} followed on {}", self.name), || async {
            (self.relationship(token, id).await["following"] == true).then_some(())
        })
        .await;
    }

    pub async fn approve_first_request(&self, token: &str, community_id: &str) {
        let requests = format!("/api/passerelle/v1/communities/{community_id}/requests");
        let (status, list) = self.get(&requests, Some(token)).await;
        assert_eq!(status, 200, "requests: {list}");
        let account = list[0]["account"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("no pending request: {list}"))
            .to_string();
        let (status, body) = self
            .post(
                &format!("{requests}/{account}/approve"),
                token,
                serde_json::json!({}),
            )
            .await;
        assert_eq!(status, 200, "approve: {body}");
    }
}

/// Polls `probe` every 100 ms until it returns `Some`, for at most `seconds`.
/// Delivery is asynchronous: tests wait for effects, boundedly.
pub async fn eventually<T, F, Fut>(seconds: u64, what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        if tokio::time::Instant::now() > deadline {
            panic!("timed out after {seconds} s waiting for: {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
