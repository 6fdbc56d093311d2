//! Fresh PostgreSQL databases for tests (each test gets its own, dropped after).

use diesel::{Connection, PgConnection, RunQueryDsl};

/// Creates a new empty database on the server of `base_url`; returns its URL and name.
pub fn create_postgres_database(base_url: &str) -> anyhow::Result<(String, String)> {
    let name = format!("passerelle_test_{:016x}", rand::random::<u64>());
    let mut conn = PgConnection::establish(base_url)?;
    diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn)?;
    let mut url = url::Url::parse(base_url)?;
    url.set_path(&name);
    Ok((url.to_string(), name))
}

/// Drops a database made by [`create_postgres_database`], closing its connections.
pub fn drop_postgres_database(base_url: &str, name: &str) -> anyhow::Result<()> {
    let mut conn = PgConnection::establish(base_url)?;
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn)?;
    Ok(())
}
