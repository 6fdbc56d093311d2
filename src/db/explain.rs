//! Query plans of the named views, as each backend would run them, so tests can
//! check on realistic data that timelines and search stay on indexes.

use std::marker::PhantomData;

use diesel::{
    backend::Backend,
    prelude::*,
    query_builder::{AstPass, Query, QueryFragment, QueryId},
    sql_types::{Integer, Text},
};

use super::DbConn;

/// `EXPLAIN …` (PostgreSQL) or `EXPLAIN QUERY PLAN …` (SQLite) around a query,
/// keeping its bind parameters.
struct Explain<Q, ST> {
    prefix: &'static str,
    query: Q,
    row: PhantomData<ST>,
}

impl<Q, ST> QueryId for Explain<Q, ST> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q, ST> Query for Explain<Q, ST> {
    type SqlType = ST;
}

impl<Q: QueryFragment<DB>, ST, DB: Backend> QueryFragment<DB> for Explain<Q, ST> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(self.prefix);
        self.query.walk_ast(out.reborrow())
    }
}

impl<Q, ST> RunQueryDsl<DbConn> for Explain<Q, ST> {}

/// The plan's lines: PostgreSQL's text plan, or SQLite's plan details.
pub fn plan<Q>(conn: &mut DbConn, query: Q) -> QueryResult<Vec<String>>
where
    Q: QueryFragment<super::MultiBackend> + Send + 'static,
{
    match conn {
        DbConn::Sqlite(_) => Explain::<Q, (Integer, Integer, Integer, Text)> {
            prefix: "EXPLAIN QUERY PLAN ",
            query,
            row: PhantomData,
        }
        .load::<(i32, i32, i32, String)>(conn)
        .map(|rows| rows.into_iter().map(|r| r.3).collect()),
        DbConn::Postgres(_) => Explain::<Q, Text> {
            prefix: "EXPLAIN ",
            query,
            row: PhantomData,
        }
        .load::<String>(conn),
    }
}
