//! Web Push subscriptions (one per access token) and the durable queue of pushes
//! owed to them; plus the instance's own keys (the VAPID key pair).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    schema::{instance_keys, oauth_tokens, push_deliveries, push_subscriptions},
};
use crate::model::id::new_id;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = push_subscriptions)]
pub struct Subscription {
    pub id: i64,
    pub token_id: i64,
    pub actor_id: i64,
    pub endpoint: String,
    /// The client's P-256 public key, base64url.
    pub p256dh: String,
    /// The client's 16-byte authentication secret, base64url.
    pub auth: String,
    /// Notification kinds wanted, comma-separated.
    pub alerts: String,
    pub policy: String,
    pub created_at: NaiveDateTime,
}

impl Subscription {
    pub fn wants(&self, kind: &str) -> bool {
        self.alerts.split(',').any(|k| k == kind)
    }
}

/// Replaces the token's subscription (a client subscribing again starts afresh).
pub fn subscribe(conn: &mut DbConn, s: &Subscription) -> QueryResult<()> {
    diesel::delete(push_subscriptions::table.filter(push_subscriptions::token_id.eq(s.token_id)))
        .execute(conn)?;
    diesel::insert_into(push_subscriptions::table)
        .values(s)
        .execute(conn)
        .map(|_| ())
}

pub fn of_token(conn: &mut DbConn, token_id: i64) -> QueryResult<Option<Subscription>> {
    push_subscriptions::table
        .filter(push_subscriptions::token_id.eq(token_id))
        .select(Subscription::as_select())
        .first(conn)
        .optional()
}

/// Changes what the token's subscription is sent; how many subscriptions changed.
pub fn set_data(
    conn: &mut DbConn,
    token_id: i64,
    alerts: &str,
    policy: &str,
) -> QueryResult<usize> {
    diesel::update(push_subscriptions::table.filter(push_subscriptions::token_id.eq(token_id)))
        .set((
            push_subscriptions::alerts.eq(alerts),
            push_subscriptions::policy.eq(policy),
        ))
        .execute(conn)
}

pub fn unsubscribe(conn: &mut DbConn, token_id: i64) -> QueryResult<usize> {
    diesel::delete(push_subscriptions::table.filter(push_subscriptions::token_id.eq(token_id)))
        .execute(conn)
}

/// Drops a subscription the push service no longer knows (404/410), or whose
/// token was revoked.
pub fn forget(conn: &mut DbConn, subscription_id: i64) -> QueryResult<usize> {
    diesel::delete(push_subscriptions::table.find(subscription_id)).execute(conn)
}

/// The subscriptions of local `recipients` (one query for a whole notification batch).
pub fn of_actors(conn: &mut DbConn, recipients: &[i64]) -> QueryResult<Vec<Subscription>> {
    push_subscriptions::table
        .filter(push_subscriptions::actor_id.eq_any(recipients))
        .select(Subscription::as_select())
        .load(conn)
}

/// Queues a push of `notification_id` to one subscription.
pub fn enqueue(
    conn: &mut DbConn,
    subscription_id: i64,
    notification_id: i64,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(push_deliveries::table)
        .values((
            push_deliveries::id.eq(new_id()),
            push_deliveries::subscription_id.eq(subscription_id),
            push_deliveries::notification_id.eq(notification_id),
            push_deliveries::next_attempt_at.eq(at),
            push_deliveries::created_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Whether any push is due: read first, so that the worker takes the write lock
/// only when there is work (most notifications go to nobody's phone).
pub fn any_due(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        push_deliveries::table.filter(push_deliveries::next_attempt_at.le(now)),
    ))
    .get_result(conn)
}

/// A push to make: (delivery id, subscription id, notification id, attempts).
pub type Due = (i64, i64, i64, i32);

/// Claims up to `limit` due pushes with a lease, so that several nodes never
/// send the same one at once.
pub fn claim_due(
    conn: &mut DbConn,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<Due>> {
    let candidates: Vec<Due> = push_deliveries::table
        .filter(push_deliveries::next_attempt_at.le(now))
        .filter(
            push_deliveries::claimed_until
                .is_null()
                .or(push_deliveries::claimed_until.lt(now)),
        )
        .order(push_deliveries::next_attempt_at)
        .limit(limit)
        .select((
            push_deliveries::id,
            push_deliveries::subscription_id,
            push_deliveries::notification_id,
            push_deliveries::attempts,
        ))
        .load(conn)?;
    let mut claimed = Vec::with_capacity(candidates.len());
    for due in candidates {
        let n = diesel::update(
            push_deliveries::table.find(due.0).filter(
                push_deliveries::claimed_until
                    .is_null()
                    .or(push_deliveries::claimed_until.lt(now)),
            ),
        )
        .set(push_deliveries::claimed_until.eq(lease_until))
        .execute(conn)?;
        if n == 1 {
            claimed.push(due);
        }
    }
    Ok(claimed)
}

/// The push was accepted, or will never be: it leaves the queue.
pub fn done(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(push_deliveries::table.find(id))
        .execute(conn)
        .map(|_| ())
}

pub fn retry(conn: &mut DbConn, id: i64, attempts: i32, next: NaiveDateTime) -> QueryResult<()> {
    diesel::update(push_deliveries::table.find(id))
        .set((
            push_deliveries::attempts.eq(attempts),
            push_deliveries::next_attempt_at.eq(next),
            push_deliveries::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The subscription, if its token is still valid.
pub fn live_subscription(conn: &mut DbConn, id: i64) -> QueryResult<Option<Subscription>> {
    push_subscriptions::table
        .inner_join(oauth_tokens::table)
        .filter(push_subscriptions::id.eq(id))
        .filter(oauth_tokens::revoked_at.is_null())
        .select(Subscription::as_select())
        .first(conn)
        .optional()
}

/// An instance key pair by name: (private, public).
pub fn instance_key(conn: &mut DbConn, name: &str) -> QueryResult<Option<(String, String)>> {
    instance_keys::table
        .find(name)
        .select((instance_keys::private_key, instance_keys::public_key))
        .first(conn)
        .optional()
}

/// Stores a key pair unless another node stored one first (then it is kept).
pub fn insert_instance_key(
    conn: &mut DbConn,
    name: &str,
    private_key: &str,
    public_key: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    match diesel::insert_into(instance_keys::table)
        .values((
            instance_keys::name.eq(name),
            instance_keys::private_key.eq(private_key),
            instance_keys::public_key.eq(public_key),
            instance_keys::created_at.eq(at),
        ))
        .execute(conn)
    {
        Ok(_) => Ok(()),
        Err(e) if super::is_unique_violation(&e) => Ok(()),
        Err(e) => Err(e),
    }
}

/// What a push about one notification says: the notification, who caused it,
/// the status it is about (and that status's community), the recipient's locale.
pub struct PushContext {
    pub notification: super::notifications::Notification,
    pub from: super::actors::Actor,
    pub status: Option<super::statuses::Status>,
    pub community: Option<super::actors::Actor>,
    pub locale: String,
}

pub fn context(conn: &mut DbConn, notification_id: i64) -> QueryResult<Option<PushContext>> {
    use super::schema::{notifications, users};
    let Some(notification) = notifications::table
        .find(notification_id)
        .select(super::notifications::Notification::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let from = super::actors::by_id(conn, notification.from_id)?;
    let status = match notification.status_id {
        Some(id) => super::statuses::by_id(conn, id)?,
        None => None,
    };
    let community = match status.as_ref().and_then(|s| s.community_id) {
        Some(id) => Some(super::actors::by_id(conn, id)?),
        None => None,
    };
    let locale = users::table
        .filter(users::actor_id.eq(notification.recipient_id))
        .select(users::locale)
        .first(conn)
        .optional()?
        .unwrap_or_else(|| "en".into());
    Ok(Some(PushContext {
        notification,
        from,
        status,
        community,
        locale,
    }))
}
