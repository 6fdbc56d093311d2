//! What mail each local person wants, and how far their alerts have gone.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    schema::{email_settings, users},
};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = email_settings)]
pub struct EmailSettings {
    pub user_id: i64,
    /// Mentions and replies.
    pub mentions: bool,
    pub direct_messages: bool,
    /// Follows and follow requests.
    pub follows: bool,
    /// Requests to join a community one moderates.
    pub join_requests: bool,
    /// Reports to handle (moderators and administrators).
    pub reports: bool,
    pub event_reminders: bool,
    /// `off`, `daily` or `weekly`.
    pub digest: String,
    pub digest_sent_at: Option<NaiveDateTime>,
    pub alerted_until: i64,
    pub unsubscribe_key: String,
}

impl EmailSettings {
    /// A new account's: every alert on, a weekly digest.
    pub fn defaults(user_id: i64, key: String, at: NaiveDateTime) -> EmailSettings {
        EmailSettings {
            user_id,
            mentions: true,
            direct_messages: true,
            follows: true,
            join_requests: true,
            reports: true,
            event_reminders: true,
            digest: "weekly".into(),
            digest_sent_at: Some(at),
            alerted_until: 0,
            unsubscribe_key: key,
        }
    }
}

/// Stores a person's settings unless they have some already (in a savepoint:
/// on PostgreSQL a failed insert would otherwise end the whole transaction).
pub fn insert(conn: &mut DbConn, s: &EmailSettings) -> QueryResult<()> {
    match conn.transaction(|c| {
        diesel::insert_into(email_settings::table)
            .values(s)
            .execute(c)
    }) {
        Err(e) if super::is_unique_violation(&e) => Ok(()),
        other => other.map(|_| ()),
    }
}

pub fn of_user(conn: &mut DbConn, user_id: i64) -> QueryResult<Option<EmailSettings>> {
    email_settings::table
        .find(user_id)
        .select(EmailSettings::as_select())
        .first(conn)
        .optional()
}

pub fn by_key(conn: &mut DbConn, key: &str) -> QueryResult<Option<EmailSettings>> {
    email_settings::table
        .filter(email_settings::unsubscribe_key.eq(key))
        .select(EmailSettings::as_select())
        .first(conn)
        .optional()
}

/// Saves the choices (not the bookkeeping: `alerted_until`, `digest_sent_at`).
pub fn save_choices(conn: &mut DbConn, s: &EmailSettings) -> QueryResult<()> {
    diesel::update(email_settings::table.find(s.user_id))
        .set((
            email_settings::mentions.eq(s.mentions),
            email_settings::direct_messages.eq(s.direct_messages),
            email_settings::follows.eq(s.follows),
            email_settings::join_requests.eq(s.join_requests),
            email_settings::reports.eq(s.reports),
            email_settings::event_reminders.eq(s.event_reminders),
            email_settings::digest.eq(&s.digest),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn set_alerted_until(conn: &mut DbConn, user_id: i64, id: i64) -> QueryResult<()> {
    diesel::update(email_settings::table.find(user_id))
        .filter(email_settings::alerted_until.lt(id))
        .set(email_settings::alerted_until.eq(id))
        .execute(conn)
        .map(|_| ())
}

pub fn set_digest_sent(conn: &mut DbConn, user_id: i64, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(email_settings::table.find(user_id))
        .set(email_settings::digest_sent_at.eq(at))
        .execute(conn)
        .map(|_| ())
}

/// People who can be mailed: a confirmed address, not suspended.
fn mailable() -> diesel::dsl::And<
    diesel::dsl::IsNotNull<users::email_confirmed_at>,
    diesel::dsl::Eq<users::disabled, bool>,
> {
    users::email_confirmed_at
        .is_not_null()
        .and(users::disabled.eq(false))
}

/// Mailable people with notifications after their `alerted_until`, by user
/// id after `after` (at most `limit`: the caller pages through them all).
pub fn with_pending_alerts(conn: &mut DbConn, after: i64, limit: i64) -> QueryResult<Vec<i64>> {
    use super::schema::notifications;
    email_settings::table
        .inner_join(users::table)
        .filter(mailable())
        .filter(email_settings::user_id.gt(after))
        .order(email_settings::user_id.asc())
        .filter(diesel::dsl::exists(
            notifications::table
                .filter(notifications::recipient_id.eq(users::actor_id))
                .filter(notifications::id.gt(email_settings::alerted_until)),
        ))
        .select(email_settings::user_id)
        .limit(limit)
        .load(conn)
}

/// Mailable people whose `period` digest was last sent before `before`.
pub fn digests_due(
    conn: &mut DbConn,
    period: &str,
    before: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<i64>> {
    email_settings::table
        .inner_join(users::table)
        .filter(mailable())
        .filter(email_settings::digest.eq(period))
        .filter(
            email_settings::digest_sent_at
                .is_null()
                .or(email_settings::digest_sent_at.lt(before)),
        )
        .select(email_settings::user_id)
        .limit(limit)
        .load(conn)
}
