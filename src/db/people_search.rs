//! Full-text search over the people directory (names, bio, profile fields,
//! directory fields, skills): SQLite FTS5 (`people_fts`) or PostgreSQL's
//! `people_search` (GIN), kept by triggers; the one place that knows both
//! dialects for people, as `db::search` is for statuses.

use diesel::{
    dsl::sql,
    prelude::*,
    sql_types::{Bool, Text},
};

use super::{DbConn, MultiBackend, schema::actors};

/// The words of `text`: letters and digits only (so nothing typed is an
/// operator), at most 16.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(str::to_lowercase)
        .collect()
}

/// An FTS5 expression: every word (`any`: one of them), each quoted.
fn fts5_query(text: &str, any: bool) -> Option<String> {
    let w: Vec<String> = words(text).iter().map(|w| format!("\"{w}\"")).collect();
    (!w.is_empty()).then(|| w.join(if any { " OR " } else { " " }))
}

/// A `websearch_to_tsquery` text: every word, or one of them (`or`).
fn websearch_query(text: &str, any: bool) -> Option<String> {
    let w = words(text);
    (!w.is_empty()).then(|| w.join(if any { " or " } else { " " }))
}

/// `actors.id` among the people whose directory text has every word of `text`
/// (`any`: one of them); `None` when `text` has no word.
pub fn matching(
    conn: &DbConn,
    text: &str,
    any: bool,
) -> Option<Box<dyn BoxableExpression<actors::table, MultiBackend, SqlType = Bool>>> {
    Some(match conn {
        DbConn::Sqlite(_) => Box::new(
            sql::<Bool>("actors.id IN (SELECT rowid FROM people_fts WHERE people_fts MATCH ")
                .bind::<Text, _>(fts5_query(text, any)?)
                .sql(")"),
        ),
        DbConn::Postgres(_) => Box::new(
            sql::<Bool>(
                "actors.id IN (SELECT actor_id FROM people_search \
                 WHERE document @@ websearch_to_tsquery('simple', ",
            )
            .bind::<Text, _>(websearch_query(text, any)?)
            .sql("))"),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::{fts5_query, websearch_query};

    #[test]
    fn typed_operators_are_plain_words() {
        assert_eq!(fts5_query(" - ", false), None);
        assert_eq!(
            fts5_query("Rust OR \"NEAR(\" -x", false),
            Some("\"rust\" \"or\" \"near\" \"x\"".into())
        );
        assert_eq!(websearch_query("a-b c", true), Some("a or b or c".into()));
    }
}
