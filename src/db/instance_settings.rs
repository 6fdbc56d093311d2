//! The instance's settings changed at runtime (name, branding, rules,
//! registration), as keys and text values over `config.toml`.

use diesel::prelude::*;

use super::{DbConn, schema::instance_settings};

/// Every stored (key, value).
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<(String, String)>> {
    instance_settings::table
        .select((instance_settings::key, instance_settings::value))
        .load(conn)
}

/// Sets `key` to `value`, or removes it (back to `config.toml`) when `None`.
pub fn set(
    conn: &mut DbConn,
    key: &str,
    value: Option<&str>,
    at: chrono::NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(instance_settings::table.find(key)).execute(conn)?;
    if let Some(v) = value {
        diesel::insert_into(instance_settings::table)
            .values((
                instance_settings::key.eq(key),
                instance_settings::value.eq(v),
                instance_settings::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}
