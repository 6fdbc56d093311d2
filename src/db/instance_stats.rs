//! Aggregate figures about the instance (NodeInfo, `/api/v1/instance`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    schema::{instances, statuses},
    users,
};

#[derive(Debug, Clone, Copy)]
pub struct Stats {
    pub users: i64,
    pub active_month: i64,
    pub active_halfyear: i64,
    pub local_statuses: i64,
    pub domains: i64,
}

pub fn stats(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<Stats> {
    Ok(Stats {
        users: users::count(conn)?,
        active_month: users::count_active_since(conn, now - chrono::Duration::days(30))?,
        active_halfyear: users::count_active_since(conn, now - chrono::Duration::days(180))?,
        local_statuses: statuses::table
            .filter(statuses::local.eq(true))
            .count()
            .get_result(conn)?,
        domains: instances::table.count().get_result(conn)?,
    })
}
