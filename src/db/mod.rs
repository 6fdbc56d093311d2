//! The only module that knows two database backends exist.
//!
//! Sync diesel on tokio's blocking pool: one `MultiConnection` enum over SQLite and
//! PostgreSQL, an r2d2 pool that opens the right one from the URL, and helpers that
//! run a closure on a pooled connection off the async executor.

/// Orders and bounds a query by a [`views::Page`] over its time-ordered id
/// column: newest first, or oldest first from `min_id` (paging forward; put the
/// rows back with [`views::Page::newest_first`]).
macro_rules! paginate {
    ($q:expr, $page:expr, $id:expr) => {{
        let mut q = $q;
        if let Some(m) = $page.max_id {
            q = q.filter($id.lt(m));
        }
        if let Some(s) = $page.since_id {
            q = q.filter($id.gt(s));
        }
        if let Some(m) = $page.min_id {
            q = q.filter($id.gt(m)).order($id.asc());
        } else {
            q = q.order($id.desc());
        }
        q.limit($page.limit)
    }};
}

pub mod activities;
pub mod actor_counts;
pub mod actors;
pub mod blocks;
pub mod bookmarks;
pub mod communities;
pub mod conversations;
pub mod destinations;
pub mod digest;
pub mod directory;
pub mod email_settings;
pub mod email_tokens;
pub mod erasure;
pub mod events;
pub mod experts;
pub mod explain;
pub mod federation_domains;
pub mod follows;
pub mod forum;
pub mod idempotency;
pub mod inbound;
pub mod instance_settings;
pub mod instance_stats;
pub mod instances;
pub mod invites;
pub mod library;
pub mod lists;
pub mod live;
pub mod media;
pub mod notifications;
pub mod oauth;
pub mod outbox;
pub mod outgoing_mail;
pub mod people_search;
pub mod pins;
pub mod polls;
pub mod push;
pub mod reports;
pub mod reshares;
pub mod roles;
pub mod schema;
pub mod search;
pub mod statuses;
pub mod surveys;
pub mod tags;
pub mod test_support;
pub mod users;
pub mod views;
pub mod visibility;

use std::{path::Path, sync::Arc, time::Duration};

use diesel::{
    Connection, PgConnection, RunQueryDsl, SqliteConnection,
    connection::{AnsiTransactionManager, SimpleConnection, TransactionManager},
    r2d2::{self, ManageConnection},
};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::AppError;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Opens a PostgreSQL connection; the only way the crate does.
///
/// libpq speaks TLS through the system OpenSSL, which by default registers an
/// `atexit` cleanup that frees its state while pool threads may still use it: the
/// process then dies with SIGSEGV on exit (diesel#3441). Initialising OpenSSL first
/// through `openssl-sys` turns that cleanup off.
pub fn establish_postgres(url: &str) -> diesel::ConnectionResult<PgConnection> {
    openssl_sys::init();
    PgConnection::establish(url)
}

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// Path of the database file.
    Sqlite(String),
    /// libpq connection URL.
    Postgres(String),
}

impl Backend {
    /// `sqlite://relative/path.db`, `sqlite:///absolute/path.db`, `postgres://…`.
    pub fn from_url(url: &str) -> Result<Backend, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err("sqlite:// needs a file path, e.g. sqlite://data/passerelle.db".into());
            }
            Ok(Backend::Sqlite(path.to_string()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres(url.to_string()))
        } else {
            Err("must start with sqlite:// or postgres://".into())
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }
}

/// Opens connections for the pool, configured for the backend.
#[derive(Debug, Clone)]
pub struct Manager(Backend);

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        match &self.0 {
            Backend::Sqlite(path) => {
                let mut c =
                    SqliteConnection::establish(path).map_err(r2d2::Error::ConnectionError)?;
                // WAL lets readers run beside the one writer; the busy timeout makes a
                // second writer wait instead of failing at once.
                c.batch_execute(
                    // busy_timeout first: switching to WAL itself needs the lock.
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
                     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConn::Sqlite(c))
            }
            Backend::Postgres(url) => establish_postgres(url)
                .map(DbConn::Postgres)
                .map_err(r2d2::Error::ConnectionError),
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

pub type Pool = r2d2::Pool<Manager>;

/// A cheap-to-clone handle on the pool.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    backend: Backend,
    /// SQLite has one writer at a time. Writers queued here wait their turn
    /// without sleeping; racing for the lock would leave them in SQLite's busy
    /// handler, which sleeps 1 to 100 ms between tries.
    writer: Option<Arc<tokio::sync::Mutex<()>>>,
    /// Live events for streaming clients (see `live`).
    live: Arc<live::Bus>,
    /// Wakes this node's delivery workers when a write queued federation events
    /// (other nodes find them on their next poll).
    delivery_wake: Arc<tokio::sync::Notify>,
    /// Set by [`Db::close`]: no connection is asked for any more.
    closed: Arc<std::sync::atomic::AtomicBool>,
}

impl Db {
    /// Opens the pool (creating the SQLite file's folder) without touching the schema.
    pub fn connect(url: &str, pool_size: u32) -> anyhow::Result<Db> {
        let backend = Backend::from_url(url).map_err(anyhow::Error::msg)?;
        if let Backend::Sqlite(path) = &backend
            && let Some(dir) = Path::new(path).parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)?;
        }
        let pool = r2d2::Pool::builder()
            .max_size(pool_size)
            .connection_timeout(Duration::from_secs(10))
            .build(Manager(backend.clone()))?;
        let writer = matches!(backend, Backend::Sqlite(_)).then(Default::default);
        let live = Arc::new(live::Bus::new(match &backend {
            Backend::Postgres(url) => Some(url.clone()),
            Backend::Sqlite(_) => None,
        }));
        Ok(Db {
            pool,
            backend,
            writer,
            live,
            delivery_wake: Default::default(),
            closed: Default::default(),
        })
    }

    /// Refuses every later query (503) instead of waiting for a connection: for a
    /// database about to go away (a test's), where background work still asking
    /// for one would wait out the pool's 10 s connection timeout.
    pub fn close(&self) {
        self.closed.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn live(&self) -> &live::Bus {
        &self.live
    }

    pub fn delivery_wake(&self) -> &tokio::sync::Notify {
        &self.delivery_wake
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// Applies pending embedded migrations; returns how many ran.
    pub fn migrate(&self) -> anyhow::Result<usize> {
        let mut conn = self.pool.get()?;
        let done = match &mut *conn {
            DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
            DbConn::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
        }
        .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
        Ok(done.len())
    }

    /// Runs `f` on a pooled connection on the blocking pool.
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
    {
        let (pool, live, wake, closed) = (
            self.pool.clone(),
            self.live.clone(),
            self.delivery_wake.clone(),
            self.closed.clone(),
        );
        tokio::task::spawn_blocking(move || {
            if closed.load(std::sync::atomic::Ordering::SeqCst) {
                return Err(AppError::db_unavailable(anyhow::anyhow!("database closed")));
            }
            let mut conn = pool.get().map_err(AppError::db_unavailable)?;
            let result = f(&mut conn);
            // SQLite's live events wait on this thread until the closure is done; a
            // failed closure rolled back what they announce.
            let events = live::take_pending();
            let enqueued = outbox::take_enqueued();
            if result.is_ok() {
                live.publish(events);
                if enqueued {
                    // notify_one keeps a permit: a wake-up while the worker is
                    // busy is not lost.
                    wake.notify_one();
                }
            }
            result
        })
        .await
        .map_err(AppError::internal)?
    }

    /// Runs `f` in a write transaction (see [`write_transaction`]).
    pub async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
    {
        let _turn = match &self.writer {
            Some(w) => Some(w.clone().lock_owned().await),
            None => None,
        };
        self.run(move |conn| write_transaction(conn, f)).await
    }

    /// Whether the database answers (for `/healthz`).
    pub async fn ping(&self) -> bool {
        self.run(|c| {
            diesel::sql_query("SELECT 1")
                .execute(c)
                .map_err(AppError::from)
        })
        .await
        .is_ok()
    }
}

/// A transaction that takes the write lock up front on SQLite (`BEGIN IMMEDIATE`):
/// a deferred transaction that reads then writes fails with SQLITE_BUSY under
/// concurrent writers, whatever the busy timeout. Nested calls use a savepoint.
pub fn write_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    E: From<diesel::result::Error>,
    F: FnOnce(&mut DbConn) -> Result<T, E>,
{
    let depth = <DbConn as Connection>::TransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()
        .map_err(E::from)?;
    if depth.is_some() {
        return conn.transaction(f);
    }
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Postgres(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match f(conn) {
        Ok(value) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            if let Err(rollback) =
                <DbConn as Connection>::TransactionManager::rollback_transaction(conn)
            {
                tracing::error!(error = %rollback, "rollback failed");
            }
            Err(e)
        }
    }
}

/// Whether an error is a unique-constraint violation (e.g. a name already taken).
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
