//! Federation lists (allow, block, partner) edited at runtime.

use diesel::prelude::*;

use super::{DbConn, schema::federation_domains};

/// Every (list, pattern), in a stable order.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<(String, String)>> {
    federation_domains::table
        .order((federation_domains::list, federation_domains::pattern))
        .select((federation_domains::list, federation_domains::pattern))
        .load(conn)
}

/// Adds a pattern to a list; false if it was there already.
pub fn add(
    conn: &mut DbConn,
    list: &str,
    pattern: &str,
    at: chrono::NaiveDateTime,
) -> QueryResult<bool> {
    let known: i64 = federation_domains::table
        .find((list, pattern))
        .count()
        .get_result(conn)?;
    if known > 0 {
        return Ok(false);
    }
    match diesel::insert_into(federation_domains::table)
        .values((
            federation_domains::list.eq(list),
            federation_domains::pattern.eq(pattern),
            federation_domains::created_at.eq(at),
        ))
        .execute(conn)
    {
        Ok(_) => Ok(true),
        Err(e) if super::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Removes a pattern from a list; false if it was not there.
pub fn remove(conn: &mut DbConn, list: &str, pattern: &str) -> QueryResult<bool> {
    diesel::delete(federation_domains::table.find((list, pattern)))
        .execute(conn)
        .map(|n| n > 0)
}
