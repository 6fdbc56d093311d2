//! A community's threads as a forum sorts them: by latest activity (the newest
//! live comment, else the thread itself) or by reactions, a page at an offset.
//! Newest first is `views::community_threads` (cursor-paginated, as the API).

use diesel::{prelude::*, sql_types::BigInt};

use super::{DbConn, schema::statuses, statuses::Status, views::without_authors};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rank {
    /// The thread with the latest comment first.
    Active,
    /// Most likes and comments first (aggregate counts only).
    Top,
}

/// The id of a thread's newest comment that is still there, else its own id:
/// ids are time-ordered, so this is its latest activity. Uses `statuses_thread`.
const LATEST: &str = "COALESCE((SELECT MAX(r.id) FROM statuses r \
     WHERE r.thread_root_id = statuses.id AND r.deleted_at IS NULL AND r.removed = false), \
     statuses.id)";

pub fn community_threads_ranked(
    conn: &mut DbConn,
    community_id: i64,
    hidden: &[i64],
    rank: Rank,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<Status>> {
    let q = statuses::table
        .filter(statuses::community_id.eq(community_id))
        .filter(statuses::in_reply_to_id.is_null())
        .filter(statuses::deleted_at.is_null())
        .filter(statuses::removed.eq(false))
        .select(Status::as_select())
        .into_boxed();
    let q = without_authors(q, hidden);
    let q = match rank {
        Rank::Active => q.order((
            diesel::dsl::sql::<BigInt>(LATEST).desc(),
            statuses::id.desc(),
        )),
        Rank::Top => q.order((
            (statuses::favourites_count + statuses::replies_count).desc(),
            statuses::id.desc(),
        )),
    };
    q.offset(offset).limit(limit).load(conn)
}
