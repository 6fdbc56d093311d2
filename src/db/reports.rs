//! Reports: who reported whom (and which statuses), for moderators.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{DbConn, schema::reports};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = reports)]
pub struct Report {
    pub id: i64,
    pub reporter_id: i64,
    pub target_id: i64,
    pub community_id: Option<i64>,
    /// JSON array of status ids.
    pub status_ids: String,
    pub comment: String,
    /// `spam`, `legal`, `violation` or `other`.
    pub category: String,
    /// JSON array of instance rule ids.
    pub rule_ids: String,
    pub forwarded: bool,
    pub ap_id: Option<String>,
    pub local: bool,
    pub created_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
    pub resolved_by: Option<i64>,
}

impl Report {
    pub fn statuses(&self) -> Vec<i64> {
        serde_json::from_str(&self.status_ids).unwrap_or_default()
    }

    pub fn rules(&self) -> Vec<i64> {
        serde_json::from_str(&self.rule_ids).unwrap_or_default()
    }
}

pub fn insert(conn: &mut DbConn, r: &Report) -> QueryResult<()> {
    diesel::insert_into(reports::table)
        .values(r)
        .execute(conn)
        .map(|_| ())
}

pub fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<Option<Report>> {
    reports::table
        .find(id)
        .select(Report::as_select())
        .first(conn)
        .optional()
}

pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> QueryResult<Option<Report>> {
    reports::table
        .filter(reports::ap_id.eq(ap_id))
        .select(Report::as_select())
        .first(conn)
        .optional()
}

/// Open (or resolved) reports, newest first; of one community when given.
pub fn list(
    conn: &mut DbConn,
    community_id: Option<i64>,
    resolved: bool,
    limit: i64,
) -> QueryResult<Vec<Report>> {
    let mut q = reports::table.select(Report::as_select()).into_boxed();
    if let Some(c) = community_id {
        q = q.filter(reports::community_id.eq(c));
    }
    q = if resolved {
        q.filter(reports::resolved_at.is_not_null())
    } else {
        q.filter(reports::resolved_at.is_null())
    };
    q.order(reports::id.desc()).limit(limit).load(conn)
}

pub fn resolve(conn: &mut DbConn, id: i64, by: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        reports::table
            .find(id)
            .filter(reports::resolved_at.is_null()),
    )
    .set((reports::resolved_at.eq(at), reports::resolved_by.eq(by)))
    .execute(conn)
}
