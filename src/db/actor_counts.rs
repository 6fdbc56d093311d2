//! The figures on accounts, several at a time in a fixed number of queries.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::{
    dsl::{count_star, max},
    internal::table_macro::{BoxedSelectStatement, FromClause},
    prelude::*,
    sql_types::{BigInt, Nullable, Timestamp},
};

use super::{
    DbConn, MultiBackend,
    schema::{actor_stats, statuses},
};

/// Accepted followers, accepted follows, statuses written and not deleted (kept
/// by triggers in `actor_stats`); for a community, its threads too.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub statuses: i64,
    pub followers: i64,
    pub following: i64,
    pub last_status_at: Option<NaiveDateTime>,
    /// Threads begun in the community (not deleted), and when the latest was.
    pub threads: i64,
    pub last_thread_at: Option<NaiveDateTime>,
    /// Not a figure: the ambassador badge, loaded with the figures so that
    /// every Account entity carries its `roles` without another round trip.
    pub ambassador: bool,
}

pub fn counts(conn: &mut DbConn, actor_id: i64) -> QueryResult<Counts> {
    Ok(counts_of(conn, &[actor_id])?
        .remove(&actor_id)
        .unwrap_or_default())
}

/// The figures of several accounts in two queries; absent ones have none yet.
pub fn counts_of(conn: &mut DbConn, actor_ids: &[i64]) -> QueryResult<HashMap<i64, Counts>> {
    use actor_stats as s;
    let stats: Vec<(i64, i64, i64, i64, Option<NaiveDateTime>)> = s::table
        .filter(s::actor_id.eq_any(actor_ids))
        .select((
            s::actor_id,
            s::statuses,
            s::followers,
            s::following,
            s::last_status_at,
        ))
        .load(conn)?;
    let mut out: HashMap<i64, Counts> = stats
        .into_iter()
        .map(|(id, statuses, followers, following, last_status_at)| {
            let c = Counts {
                statuses,
                followers,
                following,
                last_status_at,
                ..Counts::default()
            };
            (id, c)
        })
        .collect();
    // Only communities have statuses filed under their id: a person's id finds nothing.
    for (id, threads, last) in thread_counts_query(actor_ids.to_vec()).load(conn)? {
        let c = out.entry(id).or_default();
        c.threads = threads;
        c.last_thread_at = last;
    }
    for id in super::roles::holders(conn, super::roles::AMBASSADOR, actor_ids)? {
        out.entry(id).or_default().ambassador = true;
    }
    Ok(out)
}

type ThreadCounts = BoxedSelectStatement<
    'static,
    (BigInt, BigInt, Nullable<Timestamp>),
    FromClause<statuses::table>,
    MultiBackend,
    statuses::community_id,
>;

/// Threads per community among `community_ids`, off `statuses_community_threads`.
pub fn thread_counts_query(community_ids: Vec<i64>) -> ThreadCounts {
    statuses::table
        .filter(statuses::community_id.eq_any(community_ids))
        .filter(statuses::in_reply_to_id.is_null())
        .filter(statuses::deleted_at.is_null())
        .group_by(statuses::community_id)
        .select((
            statuses::community_id.assume_not_null(),
            count_star(),
            max(statuses::created_at),
        ))
        .into_boxed()
}
