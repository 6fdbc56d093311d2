//! The servers we deliver to: how long one has been failing, and whether it
//! is given up on (unreachable) until it is heard from again.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    schema::{deliveries, destinations},
};

fn ensure_destination(conn: &mut DbConn, domain: &str) -> QueryResult<()> {
    let known: i64 = destinations::table.find(domain).count().get_result(conn)?;
    if known == 0 {
        diesel::insert_into(destinations::table)
            .values((
                destinations::domain.eq(domain),
                destinations::unreachable.eq(false),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A destination answered: it is reachable again.
pub fn destination_ok(conn: &mut DbConn, domain: &str, now: NaiveDateTime) -> QueryResult<()> {
    ensure_destination(conn, domain)?;
    diesel::update(destinations::table.find(domain))
        .set((
            destinations::failing_since.eq(None::<NaiveDateTime>),
            destinations::unreachable.eq(false),
            destinations::last_success_at.eq(Some(now)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A destination failed; returns since when it has been failing.
pub fn destination_failed(
    conn: &mut DbConn,
    domain: &str,
    now: NaiveDateTime,
) -> QueryResult<NaiveDateTime> {
    ensure_destination(conn, domain)?;
    diesel::update(
        destinations::table
            .find(domain)
            .filter(destinations::failing_since.is_null()),
    )
    .set(destinations::failing_since.eq(Some(now)))
    .execute(conn)?;
    let since: Option<NaiveDateTime> = destinations::table
        .find(domain)
        .select(destinations::failing_since)
        .first(conn)?;
    Ok(since.unwrap_or(now))
}

pub fn mark_unreachable(conn: &mut DbConn, domain: &str) -> QueryResult<()> {
    diesel::update(destinations::table.find(domain))
        .set(destinations::unreachable.eq(true))
        .execute(conn)
        .map(|_| ())
}

/// Whether deliveries to `domain` are suspended (a read: the inbox asks on every activity).
pub fn is_unreachable(conn: &mut DbConn, domain: &str) -> QueryResult<bool> {
    Ok(destinations::table
        .find(domain)
        .select(destinations::unreachable)
        .first::<bool>(conn)
        .optional()?
        .unwrap_or(false))
}

/// A server we had given up on spoke to us (e.g. a Follow): deliver to it again.
/// True if it had been given up on.
pub fn revive(conn: &mut DbConn, domain: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        destinations::table
            .find(domain)
            .filter(destinations::unreachable.eq(true)),
    )
    .set((
        destinations::unreachable.eq(false),
        destinations::failing_since.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    if n > 0 {
        diesel::update(
            deliveries::table
                .filter(deliveries::domain.eq(domain))
                .filter(deliveries::state.eq(super::outbox::DeliveryState::Pending.as_str())),
        )
        .set(deliveries::next_attempt_at.eq(now))
        .execute(conn)?;
    }
    Ok(n > 0)
}
