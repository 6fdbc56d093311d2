//! The durable queue of mail for the SMTP relay: claimed with a lease, so that
//! several nodes never send the same message at once, and kept until the relay
//! takes it. Messages refused for good stay, marked failed, for administrators.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{DbConn, schema::outgoing_mail};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = outgoing_mail)]
pub struct OutgoingMail {
    pub id: i64,
    pub user_id: Option<i64>,
    pub recipient: String,
    /// `confirm`, `reset`, `invite`, `notice`, `alert`, `digest`.
    pub kind: String,
    pub subject: String,
    /// The whole RFC 5322 message, as it goes to the relay.
    pub message: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub claimed_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub failed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, m: &OutgoingMail) -> QueryResult<()> {
    diesel::insert_into(outgoing_mail::table)
        .values(m)
        .execute(conn)
        .map(|_| ())
}

fn waiting() -> diesel::dsl::IsNull<outgoing_mail::failed_at> {
    outgoing_mail::failed_at.is_null()
}

/// Whether any mail is due (read first: the worker writes only when there is work).
pub fn any_due(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        outgoing_mail::table
            .filter(waiting())
            .filter(outgoing_mail::next_attempt_at.le(now))
            .filter(
                outgoing_mail::claimed_until
                    .is_null()
                    .or(outgoing_mail::claimed_until.lt(now)),
            ),
    ))
    .get_result(conn)
}

/// Claims up to `limit` due messages until `lease_until`.
pub fn claim_due(
    conn: &mut DbConn,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<OutgoingMail>> {
    let free = || {
        outgoing_mail::claimed_until
            .is_null()
            .or(outgoing_mail::claimed_until.lt(now))
    };
    let candidates: Vec<i64> = outgoing_mail::table
        .filter(waiting())
        .filter(outgoing_mail::next_attempt_at.le(now))
        .filter(free())
        .order(outgoing_mail::next_attempt_at)
        .limit(limit)
        .select(outgoing_mail::id)
        .load(conn)?;
    let mut claimed = Vec::with_capacity(candidates.len());
    for id in candidates {
        let n = diesel::update(outgoing_mail::table.find(id).filter(free()))
            .set(outgoing_mail::claimed_until.eq(lease_until))
            .execute(conn)?;
        if n == 1 {
            claimed.push(id);
        }
    }
    outgoing_mail::table
        .filter(outgoing_mail::id.eq_any(&claimed))
        .order(outgoing_mail::next_attempt_at)
        .select(OutgoingMail::as_select())
        .load(conn)
}

/// The relay took it: it leaves the queue.
pub fn sent(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(outgoing_mail::table.find(id))
        .execute(conn)
        .map(|_| ())
}

pub fn retry(
    conn: &mut DbConn,
    id: i64,
    attempts: i32,
    next: NaiveDateTime,
    error: &str,
) -> QueryResult<()> {
    diesel::update(outgoing_mail::table.find(id))
        .set((
            outgoing_mail::attempts.eq(attempts),
            outgoing_mail::next_attempt_at.eq(next),
            outgoing_mail::claimed_until.eq(None::<NaiveDateTime>),
            outgoing_mail::last_error.eq(error),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Refused for good (or retried too long): kept for the administrators' view.
pub fn fail(
    conn: &mut DbConn,
    id: i64,
    attempts: i32,
    at: NaiveDateTime,
    error: &str,
) -> QueryResult<()> {
    diesel::update(outgoing_mail::table.find(id))
        .set((
            outgoing_mail::attempts.eq(attempts),
            outgoing_mail::failed_at.eq(at),
            outgoing_mail::claimed_until.eq(None::<NaiveDateTime>),
            outgoing_mail::last_error.eq(error),
        ))
        .execute(conn)
        .map(|_| ())
}

/// (waiting, failed) messages.
pub fn counts(conn: &mut DbConn) -> QueryResult<(i64, i64)> {
    let waiting_n = outgoing_mail::table
        .filter(waiting())
        .count()
        .get_result(conn)?;
    let failed = outgoing_mail::table
        .filter(outgoing_mail::failed_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok((waiting_n, failed))
}

/// The latest failed messages, newest first.
pub fn failures(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<OutgoingMail>> {
    outgoing_mail::table
        .filter(outgoing_mail::failed_at.is_not_null())
        .order(outgoing_mail::failed_at.desc())
        .limit(limit)
        .select(OutgoingMail::as_select())
        .load(conn)
}

/// Puts a failed message back in the queue (an administrator fixed the relay).
pub fn requeue(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        outgoing_mail::table
            .find(id)
            .filter(outgoing_mail::failed_at.is_not_null()),
    )
    .set((
        outgoing_mail::failed_at.eq(None::<NaiveDateTime>),
        outgoing_mail::attempts.eq(0),
        outgoing_mail::next_attempt_at.eq(now),
    ))
    .execute(conn)
}
