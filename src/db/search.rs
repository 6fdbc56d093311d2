//! Full-text search over statuses: SQLite FTS5 (`statuses_fts`) or PostgreSQL's
//! `search_vector` (GIN), behind one query.

use crate::model::visibility::Visibility;
use diesel::{
    dsl::sql,
    prelude::*,
    sql_types::{BigInt, Bool, Nullable, Text},
};

use super::{
    DbConn, MultiBackend,
    schema::{follows, statuses},
    statuses::Status,
    views::StatusQuery,
};

/// The words of a query as an FTS5 expression: each word quoted (so operators
/// and punctuation typed by people are plain text), all required.
fn fts5_words(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.replace('"', ""))
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("\"{w}\""))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// Matches examined at a time on SQLite, newest first.
const CHUNK: i64 = 500;
/// Chunks examined at most for one page: a common word none of whose matches the
/// reader may see would otherwise walk the whole index.
const MAX_CHUNKS: usize = 20;

/// Statuses matching `text` that `viewer` may see, newest first: public ones,
/// their own, and those of the communities they joined.
///
/// PostgreSQL plans one query over its GIN index. SQLite's planner would gather
/// every match before sorting (a common word: 180 ms at 400k statuses), so the
/// FTS index is walked newest first in chunks until the page is full.
pub fn statuses(
    conn: &mut DbConn,
    text: &str,
    viewer: Option<i64>,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<Status>> {
    statuses_in_chunks(conn, text, viewer, limit, offset, CHUNK)
}

/// [`statuses`] with the SQLite chunk size chosen (tests walk many chunks).
pub fn statuses_in_chunks(
    conn: &mut DbConn,
    text: &str,
    viewer: Option<i64>,
    limit: i64,
    offset: i64,
    chunk: i64,
) -> QueryResult<Vec<Status>> {
    if let DbConn::Postgres(_) = conn {
        return match statuses_query(conn, text, viewer, None) {
            Some(q) => q.limit(limit).offset(offset).load(conn),
            None => Ok(vec![]),
        };
    }
    let Some(words) = fts5_words(text) else {
        return Ok(vec![]);
    };
    let (mut found, mut skip, mut before) = (Vec::new(), offset, i64::MAX);
    for _ in 0..MAX_CHUNKS {
        let oldest: Option<i64> = diesel::select(
            sql::<Nullable<BigInt>>(
                "(SELECT min(rowid) FROM (SELECT rowid FROM statuses_fts WHERE statuses_fts MATCH ",
            )
            .bind::<Text, _>(words.clone())
            .sql(" AND rowid < ")
            .bind::<BigInt, _>(before)
            .sql(" ORDER BY rowid DESC LIMIT ")
            .bind::<BigInt, _>(chunk)
            .sql("))"),
        )
        .get_result(conn)?;
        let Some(oldest) = oldest else {
            return Ok(found);
        };
        let chunk = statuses_query(conn, text, viewer, Some((oldest, before)));
        for s in chunk.map(|q| q.load(conn)).transpose()?.unwrap_or_default() {
            if skip > 0 {
                skip -= 1;
            } else {
                found.push(s);
                if found.len() as i64 >= limit {
                    return Ok(found);
                }
            }
        }
        before = oldest;
    }
    Ok(found)
}

/// The search as one query, newest first; on SQLite, over the matches whose ids
/// are in `[from, before)`.
pub fn statuses_query(
    conn: &DbConn,
    text: &str,
    viewer: Option<i64>,
    window: Option<(i64, i64)>,
) -> Option<StatusQuery> {
    let matches: Box<dyn BoxableExpression<statuses::table, MultiBackend, SqlType = Bool>> =
        match conn {
            DbConn::Sqlite(_) => {
                let (from, before) = window.unwrap_or((i64::MIN, i64::MAX));
                Box::new(
                    sql::<Bool>(
                        "statuses.id IN (SELECT rowid FROM statuses_fts WHERE statuses_fts MATCH ",
                    )
                    .bind::<Text, _>(fts5_words(text)?)
                    .sql(" AND rowid >= ")
                    .bind::<BigInt, _>(from)
                    .sql(" AND rowid < ")
                    .bind::<BigInt, _>(before)
                    .sql(")"),
                )
            }
            DbConn::Postgres(_) => {
                if text.trim().is_empty() {
                    return None;
                }
                Box::new(
                    sql::<Bool>("statuses.search_vector @@ websearch_to_tsquery('simple', ")
                        .bind::<Text, _>(text.to_string())
                        .sql(")"),
                )
            }
        };
    let q = statuses::table
        .filter(matches)
        .filter(statuses::deleted_at.is_null())
        .filter(statuses::removed.eq(false))
        .select(Status::as_select())
        .into_boxed();
    let q = match viewer {
        None => q.filter(statuses::visibility.eq(Visibility::Public.as_str())),
        Some(me) => {
            let joined = follows::table
                .filter(follows::follower_id.eq(me))
                .filter(follows::state.eq("accepted"))
                .select(follows::target_id);
            q.filter(
                statuses::visibility
                    .eq(Visibility::Public.as_str())
                    .or(statuses::actor_id.eq(me))
                    .or(statuses::community_id.assume_not_null().eq_any(joined)),
            )
        }
    };
    Some(q.order(statuses::id.desc()))
}

#[cfg(test)]
mod tests {
    use super::fts5_words;

    #[test]
    fn typed_operators_are_words() {
        assert_eq!(fts5_words("  "), None);
        assert_eq!(
            fts5_words("roadmap \"OR\" NEAR("),
            Some("\"roadmap\" \"OR\" \"NEAR(\"".into())
        );
        assert_eq!(fts5_words("\"\""), None);
    }
}
