//! Migrations: both folders pair up, apply, re-apply as a no-op, and revert.

use diesel_migrations::MigrationHarness;
use passerelle::db::{Db, DbConn, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

use crate::{
    backend_tests,
    helpers::{Backend, TestDb},
};

#[test]
fn sqlite_and_postgres_migrations_have_the_same_names() {
    let names = |dir: &str| {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .expect("migrations dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let root = env!("CARGO_MANIFEST_DIR");
    let sqlite = names(&format!("{root}/migrations/sqlite"));
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, names(&format!("{root}/migrations/postgres")));
}

async fn migrations_apply_revert_and_reapply(backend: Backend) {
    let test_db = TestDb::empty(backend);
    let db = Db::connect(&test_db.url, 1).expect("connect");
    let (first, again) = tokio::task::spawn_blocking(move || {
        let first = db.migrate().expect("migrate");
        let again = db.migrate().expect("re-migrate");
        (first, again, db)
    })
    .await
    .map(|(a, b, db)| {
        // Revert everything on a raw connection, then apply once more.
        let url = test_db.url.clone();
        drop(db);
        let mut conn: DbConn = match backend {
            Backend::Sqlite => DbConn::Sqlite(
                diesel::Connection::establish(url.trim_start_matches("sqlite://")).expect("sqlite"),
            ),
            Backend::Postgres => DbConn::Postgres(diesel::Connection::establish(&url).expect("pg")),
        };
        let reverted = match &mut conn {
            DbConn::Sqlite(c) => c
                .revert_all_migrations(SQLITE_MIGRATIONS)
                .expect("revert")
                .len(),
            DbConn::Postgres(c) => c
                .revert_all_migrations(POSTGRES_MIGRATIONS)
                .expect("revert")
                .len(),
        };
        assert_eq!(reverted, a);
        (a, b)
    })
    .expect("join");
    assert!(first >= 1);
    assert_eq!(again, 0);
    let db = Db::connect(&test_db.url, 1).expect("connect");
    let reapplied = tokio::task::spawn_blocking(move || db.migrate().expect("migrate"))
        .await
        .expect("join");
    assert_eq!(reapplied, first);
}

backend_tests!(migrations_apply_revert_and_reapply);
