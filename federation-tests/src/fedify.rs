//! A real, independently written ActivityPub server as a peer: `peers/fedify/peer.mjs`
//! (one person, bob, on the Fedify framework) run by Node.js ≥ 22 on loopback.
//! Our own fake (`fake.rs`) plays hostile peers; this one plays a correct peer
//! whose wire format, JSON-LD and signatures we did not write.

use std::{path::PathBuf, process::Stdio, time::Duration};

use serde_json::{Value, json};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

/// Where scripts/test puts a Node.js recent enough for Fedify.
pub const NODE_ENV: &str = "PASSERELLE_PEER_NODE";

pub struct FedifyPeer {
    pub base: String,
    /// bob's actor id.
    pub bob: String,
    /// bob's handle, `bob@localhost:PORT`.
    pub acct: String,
    _child: Child,
    client: reqwest::Client,
}

/// One inbox POST as the peer saw it: Fedify's answer, the signature scheme, the body.
#[derive(Debug, Clone)]
pub struct Received {
    pub status: u16,
    pub signature: Option<String>,
    pub body: Value,
}

fn peer_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("peers/fedify")
}

impl FedifyPeer {
    /// Starts the peer; `None` (the test is skipped) outside CI when Node.js ≥ 22
    /// or the peer's packages are missing. In CI a missing peer fails the test.
    pub async fn start() -> anyhow::Result<Option<FedifyPeer>> {
        let node = std::env::var(NODE_ENV).ok().filter(|n| !n.is_empty());
        let installed = peer_dir().join("node_modules/@fedify/fedify").exists();
        let Some(node) = node.filter(|_| installed) else {
            assert!(
                std::env::var("CI").is_err(),
                "the Fedify peer is missing in CI: scripts/test installs it"
            );
            eprintln!(
                "skipped: no Fedify peer ({NODE_ENV} unset or packages missing; run scripts/test)"
            );
            return Ok(None);
        };
        let port = {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            l.local_addr()?.port()
        };
        let mut child = Command::new(node)
            .current_dir(peer_dir())
            .arg("peer.mjs")
            .arg(port.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()?;
        let stdout = child.stdout.take().expect("piped");
        let mut lines = BufReader::new(stdout).lines();
        tokio::time::timeout(Duration::from_secs(30), async {
            while let Some(line) = lines.next_line().await? {
                if line == "ready" {
                    return Ok(());
                }
            }
            anyhow::bail!("the Fedify peer exited before it was ready")
        })
        .await??;
        // Keep draining stdout so the peer never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let base = format!("http://localhost:{port}");
        Ok(Some(FedifyPeer {
            bob: format!("{base}/users/bob"),
            acct: format!("bob@localhost:{port}"),
            base,
            _child: child,
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()?,
        }))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Every inbox POST so far.
    pub async fn received(&self) -> Vec<Received> {
        let all: Value = self.control_get("/_test/received").await;
        all.as_array()
            .into_iter()
            .flatten()
            .map(|r| Received {
                status: r["status"].as_u64().unwrap_or_default() as u16,
                signature: r["signature"].as_str().map(String::from),
                body: r["body"].clone(),
            })
            .collect()
    }

    /// The first activity received that `pick` accepts, waiting (bounded) for it.
    pub async fn wait_for(&self, what: &str, pick: impl Fn(&Value) -> bool) -> Received {
        crate::eventually(20, what, || async {
            self.received().await.into_iter().find(|r| pick(&r.body))
        })
        .await
    }

    pub async fn followers(&self) -> Vec<String> {
        serde_json::from_value(self.control_get("/_test/followers").await).unwrap_or_default()
    }

    /// bob sends `activity` (read by Fedify into its own types first) to his
    /// followers (`to = "followers"`) or to the listed actors.
    pub async fn send(&self, activity: Value, to: Value) {
        let mut activity = activity;
        activity["@context"] = json!("https://www.w3.org/ns/activitystreams");
        let r = self
            .client
            .post(self.url("/_test/send"))
            .json(&json!({"activity": activity, "to": to}))
            .send()
            .await
            .expect("peer control");
        let status = r.status();
        let body = r.text().await.unwrap_or_default();
        assert_eq!(status, 202, "the peer could not send: {body}");
    }

    /// An object as Fedify reads it, fetched signed as bob (`null` when refused).
    pub async fn lookup(&self, id: &str) -> Value {
        let r = self
            .client
            .post(self.url("/_test/lookup"))
            .json(&json!({"id": id}))
            .send()
            .await
            .expect("peer control");
        r.json().await.unwrap_or(Value::Null)
    }

    async fn control_get(&self, path: &str) -> Value {
        let r = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("peer control");
        r.json().await.unwrap_or(Value::Null)
    }
}
