//! Other servers, by domain (`host[:port]`), and the software they run as their
//! NodeInfo says (lowercase: `mastodon`, `lemmy`, `gotosocial`…), for sending each
//! the form of an activity it takes.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{DbConn, schema::instances};

/// Records what `domain` runs (`None`: it did not say), overwriting what was known.
pub fn set_software(
    conn: &mut DbConn,
    domain: &str,
    software: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let updated = diesel::update(instances::table.filter(instances::domain.eq(domain)))
        .set((
            instances::software.eq(software),
            instances::updated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(instances::table)
            .values((
                instances::id.eq(crate::model::id::new_id()),
                instances::domain.eq(domain),
                instances::software.eq(software),
                instances::created_at.eq(now),
                instances::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
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

/// Whether `domain` was asked what it runs since `since` (whatever it answered).
pub fn asked_since(conn: &mut DbConn, domain: &str, since: NaiveDateTime) -> QueryResult<bool> {
    let n: i64 = instances::table
        .filter(instances::domain.eq(domain))
        .filter(instances::updated_at.gt(since))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
