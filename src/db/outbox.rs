//! The durable outbox: events, the activities they become, and their deliveries.
//!
//! Work is claimed row by row with a lease (`claimed_until`): the conditional
//! UPDATE succeeds for one claimant only, on both databases, so several nodes on
//! one PostgreSQL never send the same delivery twice at the same time.

use chrono::NaiveDateTime;
use diesel::{
    prelude::*,
    sql_types::{BigInt, Integer, Nullable, Text, Timestamp},
};

use super::{
    DbConn,
    schema::{deliveries, destinations, outbox_activities, outbox_events},
};
use crate::model::id::new_id;

/// Where a delivery stands (its `state` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryState {
    /// To send, now or at `next_attempt_at`.
    Pending,
    Delivered,
    /// Refused for good by the receiving server.
    Rejected,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Rejected => "rejected",
        }
    }
}

pub fn enqueue_event(conn: &mut DbConn, payload: &str, now: NaiveDateTime) -> QueryResult<()> {
    enqueue_keyed_event(conn, payload, None, now).map(|_| ())
}

thread_local! {
    /// Whether the closure running on this thread queued an event: `Db::run`
    /// wakes the delivery workers once it has committed.
    static ENQUEUED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether events were queued on this thread since the last call.
pub(super) fn take_enqueued() -> bool {
    ENQUEUED.with(|e| e.replace(false))
}

/// Stores an event unless one with the same `dedupe_key` exists; false then.
pub fn enqueue_keyed_event(
    conn: &mut DbConn,
    payload: &str,
    dedupe_key: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    if let Some(key) = dedupe_key {
        let known: i64 = outbox_events::table
            .filter(outbox_events::dedupe_key.eq(key))
            .count()
            .get_result(conn)?;
        if known > 0 {
            return Ok(false);
        }
    }
    match diesel::insert_into(outbox_events::table)
        .values((
            outbox_events::id.eq(new_id()),
            outbox_events::payload.eq(payload),
            outbox_events::next_attempt_at.eq(now),
            outbox_events::created_at.eq(now),
            outbox_events::dedupe_key.eq(dedupe_key),
        ))
        .execute(conn)
    {
        Ok(_) => {
            ENQUEUED.with(|e| e.set(true));
            Ok(true)
        }
        Err(e) if super::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Whether an identical event is queued after `id`: then this one has nothing to
/// add (the activities of an update are built from the state at sending time), so
/// a burst of votes on a poll sends one `Update`, not one per vote.
pub fn superseded(conn: &mut DbConn, id: i64, payload: &str) -> QueryResult<bool> {
    let later: i64 = outbox_events::table
        .filter(outbox_events::id.gt(id))
        .filter(outbox_events::done_at.is_null())
        .filter(outbox_events::payload.eq(payload))
        .count()
        .get_result(conn)?;
    Ok(later > 0)
}

/// Claims the head of the event queue: up to `limit` events in id order, stopping
/// at the first one that is not due or that another worker holds, so events are
/// always turned into activities in the order they happened. Returns
/// (id, payload, attempts).
pub fn claim_events(
    conn: &mut DbConn,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(i64, String, i32)>> {
    let head: Vec<(i64, String, i32, NaiveDateTime, Option<NaiveDateTime>)> = outbox_events::table
        .filter(outbox_events::done_at.is_null())
        .order(outbox_events::id)
        .limit(limit)
        .select((
            outbox_events::id,
            outbox_events::payload,
            outbox_events::attempts,
            outbox_events::next_attempt_at,
            outbox_events::claimed_until,
        ))
        .load(conn)?;
    let mut claimed = Vec::new();
    for (id, payload, attempts, due, held) in head {
        if due > now || held.is_some_and(|h| h >= now) {
            break;
        }
        let n = diesel::update(
            outbox_events::table.find(id).filter(
                outbox_events::claimed_until
                    .is_null()
                    .or(outbox_events::claimed_until.lt(now)),
            ),
        )
        .set(outbox_events::claimed_until.eq(lease_until))
        .execute(conn)?;
        if n != 1 {
            break;
        }
        claimed.push((id, payload, attempts));
    }
    Ok(claimed)
}

/// Gives back claimed events that were not processed.
pub fn release_events(conn: &mut DbConn, ids: &[i64]) -> QueryResult<()> {
    diesel::update(outbox_events::table.filter(outbox_events::id.eq_any(ids)))
        .set(outbox_events::claimed_until.eq(None::<NaiveDateTime>))
        .execute(conn)
        .map(|_| ())
}

/// An activity ready to be stored with its destinations.
pub struct NewActivity {
    pub ap_id: String,
    pub actor_id: i64,
    pub object_ap_id: Option<String>,
    pub body: String,
    /// (inbox URL, domain)
    pub inboxes: Vec<(String, String)>,
}

/// Stores the activities an event became and marks it done, in one transaction,
/// so a retried event never produces its activities twice.
pub fn finish_event(
    conn: &mut DbConn,
    event_id: i64,
    activities: &[NewActivity],
    now: NaiveDateTime,
) -> QueryResult<()> {
    for a in activities {
        if a.inboxes.is_empty() {
            continue;
        }
        let activity_id = new_id();
        diesel::insert_into(outbox_activities::table)
            .values((
                outbox_activities::id.eq(activity_id),
                outbox_activities::ap_id.eq(&a.ap_id),
                outbox_activities::actor_id.eq(a.actor_id),
                outbox_activities::object_ap_id.eq(&a.object_ap_id),
                outbox_activities::body.eq(&a.body),
                outbox_activities::created_at.eq(now),
            ))
            .execute(conn)?;
        for (inbox, domain) in &a.inboxes {
            diesel::insert_into(deliveries::table)
                .values((
                    deliveries::id.eq(new_id()),
                    deliveries::activity_id.eq(activity_id),
                    deliveries::inbox.eq(inbox),
                    deliveries::domain.eq(domain),
                    deliveries::object_ap_id.eq(&a.object_ap_id),
                    deliveries::state.eq(DeliveryState::Pending.as_str()),
                    deliveries::next_attempt_at.eq(now),
                    deliveries::created_at.eq(now),
                ))
                .execute(conn)?;
        }
    }
    diesel::update(outbox_events::table.find(event_id))
        .set((
            outbox_events::done_at.eq(Some(now)),
            outbox_events::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn retry_event(
    conn: &mut DbConn,
    id: i64,
    attempts: i32,
    next: NaiveDateTime,
    error: &str,
) -> QueryResult<()> {
    diesel::update(outbox_events::table.find(id))
        .set((
            outbox_events::attempts.eq(attempts),
            outbox_events::next_attempt_at.eq(next),
            outbox_events::claimed_until.eq(None::<NaiveDateTime>),
            outbox_events::last_error.eq(Some(error)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A due delivery with what it takes to send it.
#[derive(Debug, Clone, QueryableByName)]
pub struct DueDelivery {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub inbox: String,
    #[diesel(sql_type = Text)]
    pub domain: String,
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    #[diesel(sql_type = Timestamp)]
    pub created_at: NaiveDateTime,
    #[diesel(sql_type = Text)]
    pub activity_ap_id: String,
    #[diesel(sql_type = BigInt)]
    pub actor_id: i64,
    #[diesel(sql_type = Text)]
    pub body: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub object_ap_id: Option<String>,
}

/// Due deliveries whose destination is reachable and that no earlier pending
/// delivery of the same object to the same inbox precedes (causal order: create
/// before update before delete), oldest first.
pub fn due_deliveries(
    conn: &mut DbConn,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<DueDelivery>> {
    diesel::sql_query(
        "SELECT d.id, d.inbox, d.domain, d.attempts, d.created_at, a.ap_id AS activity_ap_id, \
                a.actor_id, a.body, d.object_ap_id \
         FROM deliveries d JOIN outbox_activities a ON a.id = d.activity_id \
         WHERE d.state = 'pending' AND d.next_attempt_at <= $1 \
           AND (d.claimed_until IS NULL OR d.claimed_until < $1) \
           AND NOT EXISTS (SELECT 1 FROM destinations t WHERE t.domain = d.domain AND t.unreachable) \
           AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.inbox = d.inbox \
                 AND e.object_ap_id = d.object_ap_id AND e.state = 'pending' AND e.id < d.id) \
         ORDER BY d.id LIMIT $2",
    )
    .bind::<Timestamp, _>(now)
    .bind::<BigInt, _>(limit)
    .load(conn)
}

/// Takes a lease on one delivery; false if another worker holds it.
pub fn claim_delivery(
    conn: &mut DbConn,
    id: i64,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        deliveries::table
            .find(id)
            .filter(deliveries::state.eq(DeliveryState::Pending.as_str()))
            .filter(
                deliveries::claimed_until
                    .is_null()
                    .or(deliveries::claimed_until.lt(now)),
            ),
    )
    .set(deliveries::claimed_until.eq(lease_until))
    .execute(conn)?;
    Ok(n == 1)
}

/// The outcome of one attempt: `state` is delivered, rejected, or pending again
/// (then `next` is when to retry).
pub struct Attempt {
    pub state: DeliveryState,
    pub attempts: i32,
    pub next: NaiveDateTime,
    pub status: Option<i32>,
    pub error: Option<String>,
}

pub fn record_attempt(
    conn: &mut DbConn,
    id: i64,
    a: &Attempt,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(deliveries::table.find(id))
        .set((
            deliveries::state.eq(a.state.as_str()),
            deliveries::attempts.eq(a.attempts),
            deliveries::next_attempt_at.eq(a.next),
            deliveries::claimed_until.eq(None::<NaiveDateTime>),
            deliveries::last_status.eq(a.status),
            deliveries::last_error.eq(a.error.as_deref()),
            deliveries::delivered_at.eq((a.state == DeliveryState::Delivered).then_some(now)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Pending deliveries (and the oldest one's creation time) per destination.
pub fn queue_depths(conn: &mut DbConn) -> QueryResult<Vec<(String, i64, Option<NaiveDateTime>)>> {
    deliveries::table
        .filter(deliveries::state.eq(DeliveryState::Pending.as_str()))
        .group_by(deliveries::domain)
        .select((
            deliveries::domain,
            diesel::dsl::count_star(),
            diesel::dsl::min(deliveries::created_at),
        ))
        .load(conn)
}

pub struct Totals {
    /// Deliveries per state.
    pub by_state: Vec<(String, i64)>,
    /// Pending deliveries that failed at least once.
    pub failing: i64,
    /// Destinations marked unreachable.
    pub unreachable: i64,
}

pub fn totals(conn: &mut DbConn) -> QueryResult<Totals> {
    let by_state: Vec<(String, i64)> = deliveries::table
        .group_by(deliveries::state)
        .select((deliveries::state, diesel::dsl::count_star()))
        .load(conn)?;
    let failing: i64 = deliveries::table
        .filter(deliveries::state.eq(DeliveryState::Pending.as_str()))
        .filter(deliveries::attempts.gt(0))
        .count()
        .get_result(conn)?;
    let unreachable: i64 = destinations::table
        .filter(destinations::unreachable.eq(true))
        .count()
        .get_result(conn)?;
    Ok(Totals {
        by_state,
        failing,
        unreachable,
    })
}

/// One line of a community's delivery ledger: a server that holds its content.
#[derive(Debug, Clone, QueryableByName, serde::Serialize)]
pub struct LedgerLine {
    #[diesel(sql_type = Text)]
    pub domain: String,
    #[diesel(sql_type = BigInt)]
    pub objects: i64,
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub first_delivered_at: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    pub last_delivered_at: Option<NaiveDateTime>,
}

/// Which servers received what the community sent, and when.
pub fn ledger(conn: &mut DbConn, community_id: i64) -> QueryResult<Vec<LedgerLine>> {
    diesel::sql_query(
        "SELECT d.domain, COUNT(DISTINCT d.object_ap_id) AS objects, \
                MIN(d.delivered_at) AS first_delivered_at, MAX(d.delivered_at) AS last_delivered_at \
         FROM deliveries d JOIN outbox_activities a ON a.id = d.activity_id \
         WHERE a.actor_id = $1 AND d.state = 'delivered' \
         GROUP BY d.domain ORDER BY d.domain",
    )
    .bind::<BigInt, _>(community_id)
    .load(conn)
}

/// The objects the community delivered to `domain`, and the inboxes there.
pub fn delivered_to(
    conn: &mut DbConn,
    community_id: i64,
    domain: &str,
) -> QueryResult<(Vec<String>, Vec<String>)> {
    let rows: Vec<(Option<String>, String)> = deliveries::table
        .inner_join(outbox_activities::table)
        .filter(outbox_activities::actor_id.eq(community_id))
        .filter(deliveries::domain.eq(domain))
        .filter(deliveries::state.eq(DeliveryState::Delivered.as_str()))
        .select((deliveries::object_ap_id, deliveries::inbox))
        .load(conn)?;
    let mut objects: Vec<String> = rows.iter().filter_map(|(o, _)| o.clone()).collect();
    let mut inboxes: Vec<String> = rows.into_iter().map(|(_, i)| i).collect();
    objects.sort();
    objects.dedup();
    inboxes.sort();
    inboxes.dedup();
    Ok((objects, inboxes))
}

/// A manual retry: the destination is reachable again and its pending deliveries
/// are due now.
pub fn retry_now(conn: &mut DbConn, domain: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(destinations::table.find(domain))
        .set((
            destinations::unreachable.eq(false),
            destinations::failing_since.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    diesel::update(
        deliveries::table
            .filter(deliveries::domain.eq(domain))
            .filter(deliveries::state.eq(DeliveryState::Pending.as_str())),
    )
    .set(deliveries::next_attempt_at.eq(now))
    .execute(conn)
    .map(|_| ())
}

/// Replaces a processed event's payload with what may be kept of it (a
/// survey answer without the answers: see `Event::kept`).
pub fn set_payload(conn: &mut DbConn, id: i64, payload: &str) -> QueryResult<()> {
    diesel::update(outbox_events::table.find(id))
        .set(outbox_events::payload.eq(payload))
        .execute(conn)
        .map(|_| ())
}

/// Empties the body of an activity that is no longer to be sent, so what it
/// said (a person's answers to a survey) is not kept with their name.
pub fn forget_body(conn: &mut DbConn, activity_ap_id: &str) -> QueryResult<()> {
    diesel::update(outbox_activities::table.filter(outbox_activities::ap_id.eq(activity_ap_id)))
        .set(outbox_activities::body.eq("{}"))
        .execute(conn)
        .map(|_| ())
}
