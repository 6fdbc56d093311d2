//! Other servers, by domain (`host[:port]`): the software they run as their
//! NodeInfo says (lowercase: `mastodon`, `lemmy`, `gotosocial`…), for sending
//! each the form of an activity it takes, and the HTTP signature scheme they take.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{DbConn, schema::instances};

/// The row of `domain`, made if missing.
fn ensure(conn: &mut DbConn, domain: &str, now: NaiveDateTime) -> QueryResult<()> {
    let known: i64 = instances::table
        .filter(instances::domain.eq(domain))
        .count()
        .get_result(conn)?;
    if known == 0 {
        diesel::insert_into(instances::table)
            .values((
                instances::id.eq(crate::model::id::new_id()),
                instances::domain.eq(domain),
                instances::created_at.eq(now),
                instances::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Records what `domain` runs (`None`: it did not say) and that it was asked now.
pub fn set_software(
    conn: &mut DbConn,
    domain: &str,
    software: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    ensure(conn, domain, now)?;
    diesel::update(instances::table.filter(instances::domain.eq(domain)))
        .set((
            instances::software.eq(software),
            instances::nodeinfo_at.eq(now),
            instances::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The software of those of `domains` that we know.
pub fn software_of(conn: &mut DbConn, domains: &[String]) -> QueryResult<HashMap<String, String>> {
    let rows: Vec<(String, Option<String>)> = instances::table
        .filter(instances::domain.eq_any(domains))
        .select((instances::domain, instances::software))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(d, s)| s.map(|s| (d, s)))
        .collect())
}

/// Whether `domain`'s NodeInfo was asked for since `since` (whatever it answered).
pub fn asked_since(conn: &mut DbConn, domain: &str, since: NaiveDateTime) -> QueryResult<bool> {
    let n: i64 = instances::table
        .filter(instances::domain.eq(domain))
        .filter(instances::nodeinfo_at.gt(since))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Records the signature scheme `domain` takes (`None`: draft-cavage).
pub fn set_signatures(
    conn: &mut DbConn,
    domain: &str,
    scheme: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    ensure(conn, domain, now)?;
    diesel::update(instances::table.filter(instances::domain.eq(domain)))
        .set((
            instances::signatures.eq(scheme),
            instances::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The signature scheme `domain` takes, when it is not draft-cavage.
pub fn signatures(conn: &mut DbConn, domain: &str) -> QueryResult<Option<String>> {
    Ok(instances::table
        .filter(instances::domain.eq(domain))
        .select(instances::signatures)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}
