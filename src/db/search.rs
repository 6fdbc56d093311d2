//! Full-text search over statuses: SQLite FTS5 (`statuses_fts`) or PostgreSQL's
//! `search_vector` (GIN), behind one query.

use diesel::{
    dsl::sql,
    prelude::*,
    sql_types::{Bool, Text},
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

/// Statuses matching `text` that `viewer` may see, newest first: public ones,
/// their own, and those of the communities they joined.
pub fn statuses_query(
    conn: &DbConn,
    text: &str,
    viewer: Option<i64>,
    limit: i64,
    offset: i64,
) -> Option<StatusQuery> {
    let matches: Box<dyn BoxableExpression<statuses::table, MultiBackend, SqlType = Bool>> =
        match conn {
            DbConn::Sqlite(_) => Box::new(
                sql::<Bool>(
                    "statuses.id IN (SELECT rowid FROM statuses_fts WHERE statuses_fts MATCH ",
                )
                .bind::<Text, _>(fts5_words(text)?)
                .sql(")"),
            ),
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
    let mut q = statuses::table
        .filter(matches)
        .filter(statuses::deleted_at.is_null())
        .filter(statuses::removed.eq(false))
        .select(Status::as_select())
        .into_boxed();
    q = match viewer {
        None => q.filter(statuses::visibility.eq("public")),
        Some(me) => {
            let joined = follows::table
                .filter(follows::follower_id.eq(me))
                .filter(follows::state.eq("accepted"))
                .select(follows::target_id);
            q.filter(
                statuses::visibility
                    .eq("public")
                    .or(statuses::actor_id.eq(me))
                    .or(statuses::community_id.assume_not_null().eq_any(joined)),
            )
        }
    };
    Some(q.order(statuses::id.desc()).limit(limit).offset(offset))
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
