//! The test rig: the real router on a real socket, on a fresh database per test.

use passerelle::{
    config::Config,
    db::test_support::{
        create_empty_postgres_database, create_postgres_database, drop_postgres_database,
    },
    service::{
        accounts::{self, NewUser},
        oauth,
    },
    state::AppState,
};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const POSTGRES_ENV: &str = "PASSERELLE_TEST_POSTGRES_URL";

/// Runs each listed `async fn name(backend: Backend)` as two tests, `sqlite::name`
/// and `postgres::name`; the PostgreSQL one is skipped when no server is configured.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::helpers::Backend::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                if std::env::var($crate::helpers::POSTGRES_ENV).is_err() {
                    eprintln!("skipped: {} is not set", $crate::helpers::POSTGRES_ENV);
                    return;
                }
                super::$name($crate::helpers::Backend::Postgres).await
            })*
        }
    };
}

/// A database made for one test and removed after it.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

impl TestDb {
    /// A database with every migration applied (on PostgreSQL, a template's clone).
    pub fn new(backend: Backend) -> TestDb {
        Self::make(backend, create_postgres_database)
    }

    /// A database with no tables at all.
    pub fn empty(backend: Backend) -> TestDb {
        Self::make(backend, create_empty_postgres_database)
    }

    fn make(
        backend: Backend,
        create_postgres: fn(&str) -> anyhow::Result<(String, String)>,
    ) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("tempdir");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                TestDb {
                    url,
                    _dir: Some(dir),
                    pg_name: None,
                }
            }
            Backend::Postgres => {
                let base = std::env::var(POSTGRES_ENV).expect("postgres url");
                let (url, name) = create_postgres(&base).expect("create test database");
                TestDb {
                    url,
                    _dir: None,
                    pg_name: Some(name),
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let (Some(name), Ok(base)) = (&self.pg_name, std::env::var(POSTGRES_ENV)) {
            let _ = drop_postgres_database(&base, name);
        }
    }
}

impl From<Backend> for TestDb {
    fn from(backend: Backend) -> TestDb {
        TestDb::new(backend)
    }
}

pub struct TestApp {
    pub base: String,
    pub domain: String,
    pub state: AppState,
    pub client: reqwest::Client,
    pub db: TestDb,
    _media: tempfile::TempDir,
}

impl Drop for TestApp {
    /// Stops the background workers and closes the pool before the database is
    /// dropped (`TestDb`): a worker asking for a connection to a dropped
    /// PostgreSQL database would hold up the end of the test for the pool's 10 s.
    fn drop(&mut self) {
        self.state.shutdown.cancel();
        self.state.db.close();
    }
}

/// The default test app: `spawn_app(backend)`, or `spawn_app(db)` over a database
/// a test has filled first.
pub async fn spawn_app(db: impl Into<TestDb>) -> TestApp {
    TestApp::with_config(db, |_| {}).await
}

impl TestApp {
    /// Serves the real router on 127.0.0.1 (a free port) over `db`, with the test
    /// configuration as changed by `configure`. The result is validated as a
    /// config file would be, and no `PASSERELLE__*` variable from the shell applies.
    pub async fn with_config(db: impl Into<TestDb>, configure: impl FnOnce(&mut Config)) -> Self {
        let db = db.into();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let domain = format!("localhost:{}", listener.local_addr().expect("addr").port());
        let media = tempfile::tempdir().expect("media dir");
        let mut config = Config::default();
        config.instance.domain = domain.clone();
        config.instance.name = "Test instance".into();
        config.database.url = db.url.clone();
        config.database.pool_size = 4;
        config.media.path = media.path().display().to_string();
        // Test instances talk plain HTTP on loopback.
        config.federation.allow_insecure = true;
        configure(&mut config);
        config.validate().expect("test config");
        let state = passerelle::build_state(config).await.expect("state");
        tokio::spawn(passerelle::serve(state.clone(), listener));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        TestApp {
            base: format!("http://{domain}"),
            domain,
            state,
            client,
            db,
            _media: media,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A local user and a token with `scopes` for them.
    pub async fn user_with_token(&self, name: &str, scopes: &str) -> String {
        self.account_with_token(name, scopes, false).await
    }

    /// An administrator and a token with `scopes` for them.
    pub async fn admin_with_token(&self, name: &str, scopes: &str) -> String {
        self.account_with_token(name, scopes, true).await
    }

    async fn account_with_token(&self, name: &str, scopes: &str, admin: bool) -> String {
        let (user, _) = accounts::create_user(
            &self.state,
            NewUser {
                name: name.into(),
                email: format!("{name}@example.com"),
                password: "correct horse battery".into(),
                admin,
            },
        )
        .await
        .expect("create user");
        oauth::issue_admin_token(
            &self.state,
            user.id,
            passerelle::model::scope::Scopes::parse(scopes).expect("scopes"),
        )
        .await
        .expect("token")
        .access_token
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn get_auth(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// POST a JSON body with a token; status and JSON answer.
    pub async fn post_json(
        &self,
        token: &str,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, Value) {
        json(
            self.client
                .post(self.url(path))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("post"),
        )
        .await
    }

    /// The id of the account behind `token`.
    /// A community owned by `owner`'s account; its id.
    pub async fn community(&self, owner: &str, name: &str, visibility: &str) -> String {
        let (status, c) = self
            .post_json(
                owner,
                "/api/passerelle/v1/communities",
                serde_json::json!({"name": name, "title": name, "description": "", "visibility": visibility}),
            )
            .await;
        assert_eq!(status, 200, "{c}");
        c["id"].as_str().expect("id").to_string()
    }

    /// `token`'s account joins `community` (at once: not a members-only one).
    pub async fn join(&self, token: &str, community: &str) {
        let (status, c) = self
            .post_json(
                token,
                &format!("/api/passerelle/v1/communities/{community}/join"),
                serde_json::json!({}),
            )
            .await;
        assert_eq!(status, 200, "{c}");
    }

    pub async fn account_id(&self, token: &str) -> String {
        let (_, me) = json(
            self.get_auth("/api/v1/accounts/verify_credentials", token)
                .await,
        )
        .await;
        me["id"].as_str().expect("an account id").to_string()
    }

    /// POST a form-encoded body with a token, as most apps do.
    pub async fn post_form(&self, token: &str, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
        json(
            self.client
                .post(self.url(path))
                .bearer_auth(token)
                .form(form)
                .send()
                .await
                .expect("post"),
        )
        .await
    }

    /// DELETE with a token.
    pub async fn delete_auth(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("delete")
    }

    /// The page a `Link` header's `rel="next"` points at, with a token.
    pub async fn next_page(&self, resp: &reqwest::Response, token: &str) -> (u16, Value) {
        let link = resp.headers()["link"].to_str().expect("a Link header");
        let next = link.split(['<', '>']).nth(1).expect("a next link");
        json(
            self.client
                .get(next)
                .bearer_auth(token)
                .send()
                .await
                .expect("get"),
        )
        .await
    }

    pub async fn get_ap(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("Accept", "application/activity+json")
            .send()
            .await
            .expect("request")
    }
}

/// Status and JSON body of a response; fails the test on a non-JSON body.
pub async fn json(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body");
    let value =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    (status, value)
}
