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

/// `(table, column, nullable)` for every column `src/db/schema.rs` declares.
fn declared_columns() -> Vec<(String, String, bool)> {
    let schema = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/db/schema.rs"))
        .expect("schema.rs");
    let (mut table, mut out) = (None::<String>, Vec::new());
    for line in schema.lines() {
        if let Some(name) = line.strip_prefix("    ").and_then(|l| l.split_once(" (")) {
            table = Some(name.0.to_string());
        } else if line == "    }" {
            table = None;
        } else if let (Some(t), Some((column, kind))) = (&table, line.trim().split_once(" -> ")) {
            out.push((t.clone(), column.to_string(), kind.starts_with("Nullable<")));
        }
    }
    out
}

#[derive(diesel::QueryableByName)]
struct Column {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    nullable: bool,
}

/// `schema.rs` (what diesel compiles against) and what each backend's migrations
/// make agree on every table's columns and their nullability.
async fn schema_matches_the_migrations(backend: Backend) {
    use diesel::{RunQueryDsl, sql_query, sql_types::Text};
    let test_db = TestDb::new(backend);
    let db = Db::connect(&test_db.url, 1).expect("connect");
    let db = tokio::task::spawn_blocking(move || db.migrate().map(|_| db))
        .await
        .expect("join")
        .expect("migrate");
    let declared = declared_columns();
    assert!(declared.len() > 100, "schema.rs was not read");
    let mut tables: Vec<String> = declared.iter().map(|c| c.0.clone()).collect();
    tables.dedup();
    let actual = db
        .run(move |c| {
            let mut out = Vec::new();
            for table in tables {
                let columns: Vec<Column> = match c {
                    DbConn::Sqlite(c) => sql_query(
                        "SELECT name, (\"notnull\" = 0 AND pk = 0) AS nullable \
                         FROM pragma_table_info(?)",
                    )
                    .bind::<Text, _>(&table)
                    .load(c)?,
                    DbConn::Postgres(c) => sql_query(
                        "SELECT column_name::text AS name, is_nullable = 'YES' AS nullable \
                         FROM information_schema.columns \
                         WHERE table_schema = 'public' AND table_name = $1",
                    )
                    .bind::<Text, _>(&table)
                    .load(c)?,
                };
                out.extend(
                    columns
                        .into_iter()
                        .map(|k| (table.clone(), k.name, k.nullable)),
                );
            }
            Ok(out)
        })
        .await
        .expect("columns");
    let sorted = |mut v: Vec<(String, String, bool)>| {
        v.sort();
        v
    };
    // PostgreSQL's full-text column, read only by SQL written for that backend.
    let backend_only = |c: &(String, String, bool)| c.0 == "statuses" && c.1 == "search_vector";
    let actual: Vec<_> = actual.into_iter().filter(|c| !backend_only(c)).collect();
    let (declared, actual) = (sorted(declared), sorted(actual));
    let missing: Vec<_> = declared.iter().filter(|c| !actual.contains(c)).collect();
    let extra: Vec<_> = actual.iter().filter(|c| !declared.contains(c)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "schema.rs and the migrations differ:\nonly in schema.rs: {missing:?}\nonly in the database: {extra:?}"
    );
}

backend_tests!(
    migrations_apply_revert_and_reapply,
    schema_matches_the_migrations
);
