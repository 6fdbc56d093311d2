//! Polls: a status's options and the votes cast in it. Results are aggregates
//! (counts per option, voters); who chose what is never shown, except to
//! the voter their own choices.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    schema::{poll_votes, polls},
};
use crate::model::id::new_id;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = polls)]
pub struct Poll {
    pub status_id: i64,
    /// JSON array of the options' titles.
    pub options: String,
    pub multiple: bool,
    pub hide_totals: bool,
    pub expires_at: Option<NaiveDateTime>,
    /// Remote polls: the counts their server last sent (JSON array); `None` for ours.
    pub remote_counts: Option<String>,
    pub remote_voters: Option<i64>,
}

impl Poll {
    pub fn titles(&self) -> Vec<String> {
        serde_json::from_str(&self.options).unwrap_or_default()
    }

    pub fn expired(&self, now: NaiveDateTime) -> bool {
        self.expires_at.is_some_and(|t| t <= now)
    }

    /// Counted here (a local poll) rather than reported by another server.
    pub fn is_local(&self) -> bool {
        self.remote_counts.is_none()
    }
}

/// How a poll stands: votes per option, and how many people voted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Results {
    pub counts: Vec<i64>,
    pub voters: i64,
}

pub fn insert(conn: &mut DbConn, poll: &Poll) -> QueryResult<()> {
    diesel::insert_into(polls::table)
        .values(poll)
        .execute(conn)
        .map(|_| ())
}

/// A local poll edited by its author: the new settings; its votes go when the
/// options or the kind of choice changed (they would mean something else), as
/// Mastodon does. Returns whether the votes were reset.
pub fn replace(conn: &mut DbConn, poll: &Poll) -> QueryResult<bool> {
    use super::schema::{poll_endings, poll_votes};
    let Some(before) = by_status(conn, poll.status_id)? else {
        insert(conn, poll)?;
        return Ok(false);
    };
    let reset = before.options != poll.options || before.multiple != poll.multiple;
    if reset {
        diesel::delete(poll_votes::table.filter(poll_votes::status_id.eq(poll.status_id)))
            .execute(conn)?;
    }
    // A new end: announced again when it comes.
    diesel::delete(poll_endings::table.find(poll.status_id)).execute(conn)?;
    diesel::update(polls::table.find(poll.status_id))
        .set((
            polls::options.eq(&poll.options),
            polls::multiple.eq(poll.multiple),
            polls::hide_totals.eq(poll.hide_totals),
            polls::expires_at.eq(poll.expires_at),
        ))
        .execute(conn)?;
    Ok(reset)
}

pub fn by_status(conn: &mut DbConn, status_id: i64) -> QueryResult<Option<Poll>> {
    polls::table
        .find(status_id)
        .select(Poll::as_select())
        .first(conn)
        .optional()
}

pub fn by_status_ids(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Poll>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    polls::table
        .filter(polls::status_id.eq_any(ids))
        .select(Poll::as_select())
        .load(conn)
}

/// Results of `polls`: ours counted from the votes (two grouped queries for all
/// of them), others' as reported.
pub fn results(conn: &mut DbConn, polls: &[Poll]) -> QueryResult<HashMap<i64, Results>> {
    let local: Vec<i64> = polls
        .iter()
        .filter(|p| p.is_local())
        .map(|p| p.status_id)
        .collect();
    let mut out: HashMap<i64, Results> = polls
        .iter()
        .map(|p| {
            let n = p.titles().len();
            let counts: Vec<i64> = p
                .remote_counts
                .as_deref()
                .and_then(|c| serde_json::from_str(c).ok())
                .unwrap_or_default();
            let mut counts: Vec<i64> = counts.into_iter().take(n).collect();
            counts.resize(n, 0);
            let voters = p.remote_voters.unwrap_or(0);
            (p.status_id, Results { counts, voters })
        })
        .collect();
    if local.is_empty() {
        return Ok(out);
    }
    let per_choice: Vec<(i64, i32, i64)> = poll_votes::table
        .filter(poll_votes::status_id.eq_any(&local))
        .group_by((poll_votes::status_id, poll_votes::choice))
        .select((
            poll_votes::status_id,
            poll_votes::choice,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    for (id, choice, n) in per_choice {
        if let Some(slot) = out
            .get_mut(&id)
            .and_then(|r| r.counts.get_mut(choice as usize))
        {
            *slot = n;
        }
    }
    let voters: Vec<(i64, i64)> = poll_votes::table
        .filter(poll_votes::status_id.eq_any(&local))
        .group_by(poll_votes::status_id)
        .select((
            poll_votes::status_id,
            diesel::dsl::count(poll_votes::actor_id).aggregate_distinct(),
        ))
        .load(conn)?;
    for (id, n) in voters {
        if let Some(r) = out.get_mut(&id) {
            r.voters = n;
        }
    }
    Ok(out)
}

/// The choices `actor_id` made in these polls.
pub fn own_choices(conn: &mut DbConn, actor_id: i64, ids: &[i64]) -> QueryResult<Vec<(i64, i32)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    poll_votes::table
        .filter(poll_votes::actor_id.eq(actor_id))
        .filter(poll_votes::status_id.eq_any(ids))
        .select((poll_votes::status_id, poll_votes::choice))
        .order(poll_votes::choice.asc())
        .load(conn)
}

/// Records a vote: one row per choice, with the id of the `Note` that carries it
/// when the vote travels.
pub fn vote(
    conn: &mut DbConn,
    status_id: i64,
    actor_id: i64,
    choices: &[(i32, Option<String>)],
    at: NaiveDateTime,
) -> QueryResult<()> {
    for (choice, ap_id) in choices {
        diesel::insert_into(poll_votes::table)
            .values((
                poll_votes::id.eq(new_id()),
                poll_votes::status_id.eq(status_id),
                poll_votes::actor_id.eq(actor_id),
                poll_votes::choice.eq(choice),
                poll_votes::ap_id.eq(ap_id),
                poll_votes::created_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Whether the vote `Note` with this id was recorded already.
pub fn vote_known(conn: &mut DbConn, ap_id: &str) -> QueryResult<bool> {
    let n: i64 = poll_votes::table
        .filter(poll_votes::ap_id.eq(ap_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// A remote poll's results (and end) as its server now reports them.
pub fn set_remote_results(conn: &mut DbConn, reported: &Poll) -> QueryResult<()> {
    diesel::update(polls::table.find(reported.status_id))
        .filter(polls::remote_counts.is_not_null())
        .set((
            // Its author may have edited the options too.
            polls::options.eq(&reported.options),
            polls::multiple.eq(reported.multiple),
            polls::remote_counts.eq(&reported.remote_counts),
            polls::remote_voters.eq(reported.remote_voters),
            polls::expires_at.eq(reported.expires_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Statuses whose poll ended before `now` and whose end was not announced yet.
pub fn ended_unannounced(
    conn: &mut DbConn,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<super::statuses::Status>> {
    use super::schema::{poll_endings, statuses};
    let announced = poll_endings::table.select(poll_endings::status_id);
    polls::table
        .inner_join(statuses::table)
        .filter(polls::expires_at.le(now))
        .filter(statuses::deleted_at.is_null())
        .filter(diesel::dsl::not(polls::status_id.eq_any(announced)))
        .order(polls::expires_at.asc())
        .limit(limit)
        .select(super::statuses::Status::as_select())
        .load(conn)
}
