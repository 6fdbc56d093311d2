//! Instance-level badges given by administrators (`account_roles`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{DbConn, schema::account_roles};

/// The ambassador badge (Mastodon account `roles`).
pub const AMBASSADOR: &str = "ambassador";

/// Which of `ids` hold `role`.
pub fn holders(conn: &mut DbConn, role: &str, ids: &[i64]) -> QueryResult<Vec<i64>> {
    account_roles::table
        .filter(account_roles::role.eq(role))
        .filter(account_roles::actor_id.eq_any(ids))
        .select(account_roles::actor_id)
        .load(conn)
}

pub fn has(conn: &mut DbConn, actor_id: i64, role: &str) -> QueryResult<bool> {
    Ok(!holders(conn, role, &[actor_id])?.is_empty())
}

/// Gives or takes `role`; whether anything changed.
pub fn set(
    conn: &mut DbConn,
    actor_id: i64,
    role: &str,
    on: bool,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let held = has(conn, actor_id, role)?;
    if on && !held {
        diesel::insert_into(account_roles::table)
            .values((
                account_roles::actor_id.eq(actor_id),
                account_roles::role.eq(role),
                account_roles::created_at.eq(at),
            ))
            .execute(conn)?;
    } else if !on && held {
        diesel::delete(
            account_roles::table
                .filter(account_roles::actor_id.eq(actor_id))
                .filter(account_roles::role.eq(role)),
        )
        .execute(conn)?;
    }
    Ok(on != held)
}
