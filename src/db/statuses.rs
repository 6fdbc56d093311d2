//! Everything people write: threads, comments, posts, reblogs.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::live::Live;
use super::{
    DbConn,
    schema::{favourites, mentions, status_tags, statuses, tags},
};
use crate::model::{format::Format, id::new_id, visibility::Visibility};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = statuses)]
pub struct Status {
    pub id: i64,
    pub ap_id: String,
    pub url: Option<String>,
    pub actor_id: i64,
    pub community_id: Option<i64>,
    pub in_reply_to_id: Option<i64>,
    pub thread_root_id: Option<i64>,
    pub reblog_of_id: Option<i64>,
    pub title: Option<String>,
    pub content: String,
    pub source: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub source_type: Format,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub language: Option<String>,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub visibility: Visibility,
    pub local: bool,
    pub replies_count: i64,
    pub favourites_count: i64,
    pub reblogs_count: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub edited_at: Option<NaiveDateTime>,
    pub deleted_at: Option<NaiveDateTime>,
    pub removed: bool,
}

impl Status {
    /// Internal statuses, and everything in an internal community (`community`:
    /// the status's), never leave the instance.
    pub fn confidential(&self, community: Option<&super::actors::Actor>) -> bool {
        self.visibility == Visibility::Internal || community.is_some_and(|c| !c.federates())
    }

    pub fn is_gone(&self) -> bool {
        self.deleted_at.is_some() || self.removed
    }
}

pub fn insert(conn: &mut DbConn, status: &Status) -> QueryResult<()> {
    diesel::insert_into(statuses::table)
        .values(status.clone())
        .execute(conn)?;
    if let Some(parent) = status.in_reply_to_id {
        diesel::update(statuses::table.find(parent))
            .set(statuses::replies_count.eq(statuses::replies_count + 1))
            .execute(conn)?;
    }
    super::live::emit(
        conn,
        Live::Status {
            id: status.id,
            edited: false,
            thread: status.thread_root_id,
        },
    )
}

pub fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<Option<Status>> {
    statuses::table
        .find(id)
        .select(Status::as_select())
        .first(conn)
        .optional()
}

pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> QueryResult<Option<Status>> {
    statuses::table
        .filter(statuses::ap_id.eq(ap_id))
        .select(Status::as_select())
        .first(conn)
        .optional()
}

/// The author of each of `ids` (those that exist).
pub fn authors_of(
    conn: &mut DbConn,
    ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, i64>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(statuses::table
        .filter(statuses::id.eq_any(ids))
        .select((statuses::id, statuses::actor_id))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect())
}

pub fn by_ids(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Status>> {
    statuses::table
        .filter(statuses::id.eq_any(ids))
        .select(Status::as_select())
        .load(conn)
}

/// New content for an edited status.
pub struct Edit<'a> {
    pub title: Option<&'a str>,
    pub content: &'a str,
    pub source: &'a str,
    pub spoiler_text: &'a str,
    pub sensitive: bool,
    pub at: NaiveDateTime,
}

/// A version of a status as it was before an edit.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = super::schema::status_edits)]
pub struct Version {
    pub id: i64,
    pub status_id: i64,
    pub title: Option<String>,
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub created_at: NaiveDateTime,
}

/// The earlier versions of a status, oldest first.
pub fn versions(conn: &mut DbConn, status_id: i64) -> QueryResult<Vec<Version>> {
    use super::schema::status_edits as e;
    e::table
        .filter(e::status_id.eq(status_id))
        .order(e::id)
        .select(Version::as_select())
        .load(conn)
}

/// Edits a status, keeping the version it replaces for its history.
/// Edits a status: its earlier version is kept, those who boosted it are told.
pub fn update_content(conn: &mut DbConn, id: i64, e: &Edit) -> QueryResult<()> {
    if let Some(current) = by_id(conn, id)? {
        diesel::insert_into(super::schema::status_edits::table)
            .values(Version {
                id: crate::model::id::new_id(),
                status_id: id,
                title: current.title,
                content: current.content,
                spoiler_text: current.spoiler_text,
                sensitive: current.sensitive,
                created_at: current.edited_at.unwrap_or(current.created_at),
            })
            .execute(conn)?;
    }
    diesel::update(statuses::table.find(id))
        .set((
            statuses::title.eq(e.title),
            statuses::content.eq(e.content),
            statuses::source.eq(e.source),
            statuses::spoiler_text.eq(e.spoiler_text),
            statuses::sensitive.eq(e.sensitive),
            statuses::edited_at.eq(Some(e.at)),
            statuses::updated_at.eq(e.at),
        ))
        .execute(conn)?;
    let edited = by_id(conn, id)?;
    if let Some(edited) = &edited {
        super::notifications::status_edited(conn, edited, e.at)?;
    }
    let thread = edited.and_then(|s| s.thread_root_id);
    super::live::emit(
        conn,
        Live::Status {
            id,
            edited: true,
            thread,
        },
    )
}

/// A moderator's removal undone; false when the status was not removed (or its
/// author deleted it since).
pub fn restore(conn: &mut DbConn, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        statuses::table
            .find(id)
            .filter(statuses::removed.eq(true))
            .filter(statuses::deleted_at.is_null()),
    )
    .set((statuses::removed.eq(false), statuses::updated_at.eq(at)))
    .execute(conn)?;
    Ok(n > 0)
}

/// A community's statuses its moderators removed, most recently first.
pub fn removed_in(conn: &mut DbConn, community_id: i64, limit: i64) -> QueryResult<Vec<Status>> {
    statuses::table
        .filter(statuses::community_id.eq(community_id))
        .filter(statuses::removed.eq(true))
        .filter(statuses::deleted_at.is_null())
        .order(statuses::updated_at.desc())
        .limit(limit)
        .select(Status::as_select())
        .load(conn)
}

/// Soft deletion keeps the row so a thread keeps its shape; the text is erased.
pub fn mark_deleted(
    conn: &mut DbConn,
    id: i64,
    removed_by_moderator: bool,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let target = statuses::table.find(id);
    if removed_by_moderator {
        diesel::update(target)
            .set((statuses::removed.eq(true), statuses::updated_at.eq(at)))
            .execute(conn)?;
    } else {
        // Deleted by its author: its earlier versions go too.
        diesel::delete(
            super::schema::status_edits::table
                .filter(super::schema::status_edits::status_id.eq(id)),
        )
        .execute(conn)?;
        diesel::update(target)
            .set((
                statuses::deleted_at.eq(Some(at)),
                statuses::content.eq(""),
                statuses::source.eq(""),
                statuses::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    super::live::emit(conn, Live::Deleted { id })
}

pub fn set_mentions(conn: &mut DbConn, status_id: i64, actor_ids: &[i64]) -> QueryResult<()> {
    diesel::delete(mentions::table.filter(mentions::status_id.eq(status_id))).execute(conn)?;
    // One row at a time: the multi-backend connection has no batch insert.
    for actor_id in actor_ids {
        diesel::insert_into(mentions::table)
            .values((
                mentions::status_id.eq(status_id),
                mentions::actor_id.eq(*actor_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn set_tags(
    conn: &mut DbConn,
    status_id: i64,
    names: &[String],
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(status_tags::table.filter(status_tags::status_id.eq(status_id)))
        .execute(conn)?;
    for name in names {
        let tag_id = super::tags::find_or_create(conn, name, at)?;
        diesel::insert_into(status_tags::table)
            .values((
                status_tags::status_id.eq(status_id),
                status_tags::tag_id.eq(tag_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn mentioned_actor_ids(conn: &mut DbConn, status_ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    mentions::table
        .filter(mentions::status_id.eq_any(status_ids))
        .select((mentions::status_id, mentions::actor_id))
        .load(conn)
}

pub fn tag_names(conn: &mut DbConn, status_ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    status_tags::table
        .inner_join(tags::table)
        .filter(status_tags::status_id.eq_any(status_ids))
        .select((status_tags::status_id, tags::name))
        .load(conn)
}

/// Adds a favourite; returns false if it already existed.
pub fn add_favourite(
    conn: &mut DbConn,
    actor_id: i64,
    status_id: i64,
    ap_id: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let exists: i64 = favourites::table
        .filter(favourites::actor_id.eq(actor_id))
        .filter(favourites::status_id.eq(status_id))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    diesel::insert_into(favourites::table)
        .values((
            favourites::id.eq(new_id()),
            favourites::actor_id.eq(actor_id),
            favourites::status_id.eq(status_id),
            favourites::ap_id.eq(ap_id),
            favourites::created_at.eq(at),
        ))
        .execute(conn)?;
    diesel::update(statuses::table.find(status_id))
        .set(statuses::favourites_count.eq(statuses::favourites_count + 1))
        .execute(conn)?;
    Ok(true)
}

/// The status `actor_id` favourited with the `Like` whose id is `ap_id`.
pub fn favourited_by_ap_id(
    conn: &mut DbConn,
    actor_id: i64,
    ap_id: &str,
) -> QueryResult<Option<Status>> {
    favourites::table
        .inner_join(statuses::table)
        .filter(favourites::actor_id.eq(actor_id))
        .filter(favourites::ap_id.eq(ap_id))
        .select(Status::as_select())
        .first(conn)
        .optional()
}

/// Removes a favourite; returns its activity id if there was one.
pub fn remove_favourite(
    conn: &mut DbConn,
    actor_id: i64,
    status_id: i64,
) -> QueryResult<Option<Option<String>>> {
    let found: Option<(i64, Option<String>)> = favourites::table
        .filter(favourites::actor_id.eq(actor_id))
        .filter(favourites::status_id.eq(status_id))
        .select((favourites::id, favourites::ap_id))
        .first(conn)
        .optional()?;
    let Some((id, ap_id)) = found else {
        return Ok(None);
    };
    diesel::delete(favourites::table.find(id)).execute(conn)?;
    diesel::update(statuses::table.find(status_id))
        .set(statuses::favourites_count.eq(statuses::favourites_count - 1))
        .execute(conn)?;
    Ok(Some(ap_id))
}

pub fn favourited_ids(
    conn: &mut DbConn,
    actor_id: i64,
    status_ids: &[i64],
) -> QueryResult<Vec<i64>> {
    favourites::table
        .filter(favourites::actor_id.eq(actor_id))
        .filter(favourites::status_id.eq_any(status_ids))
        .select(favourites::status_id)
        .load(conn)
}

/// `actor_id`'s live boost of `status_id`, if any.
pub fn reblog_by(conn: &mut DbConn, actor_id: i64, status_id: i64) -> QueryResult<Option<Status>> {
    statuses::table
        .filter(statuses::actor_id.eq(actor_id))
        .filter(statuses::reblog_of_id.eq(status_id))
        .filter(statuses::deleted_at.is_null())
        .select(Status::as_select())
        .first(conn)
        .optional()
}

/// Which of `ids` `actor_id` has boosted.
pub fn reblogged_ids(conn: &mut DbConn, actor_id: i64, ids: &[i64]) -> QueryResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    reblogged_ids_query(actor_id, ids.to_vec()).load(conn)
}

/// Asked for every page of statuses shown: off `statuses_reblog`
/// (reblog_of_id, actor_id), never a walk of the reader's statuses.
pub fn reblogged_ids_query(
    actor_id: i64,
    ids: Vec<i64>,
) -> statuses::BoxedQuery<'static, super::MultiBackend, diesel::sql_types::BigInt> {
    statuses::table
        .filter(statuses::actor_id.eq(actor_id))
        .filter(statuses::reblog_of_id.eq_any(ids))
        .filter(statuses::deleted_at.is_null())
        .select(statuses::reblog_of_id.assume_not_null())
        .into_boxed()
}

/// Keeps `reblogs_count` of a boosted status right.
pub fn add_reblogs(conn: &mut DbConn, status_id: i64, delta: i64) -> QueryResult<()> {
    diesel::update(statuses::table.find(status_id))
        .set(statuses::reblogs_count.eq(statuses::reblogs_count + delta))
        .execute(conn)
        .map(|_| ())
}

/// Who boosted a status, newest first, paged by the boost's id.
pub fn reblogged_by(
    conn: &mut DbConn,
    status_id: i64,
    page: super::views::Page,
) -> QueryResult<Vec<(i64, super::actors::Actor)>> {
    use super::schema::actors;
    let q = statuses::table
        .inner_join(actors::table.on(actors::id.eq(statuses::actor_id)))
        .filter(statuses::reblog_of_id.eq(status_id))
        .filter(statuses::deleted_at.is_null())
        .select((statuses::id, super::actors::Actor::as_select()))
        .into_boxed();
    Ok(page.newest_first(paginate!(q, page, statuses::id).load(conn)?))
}

/// Threads in a community (its statuses that answer nothing), deleted ones not
/// counted.
pub fn count_threads(conn: &mut DbConn, community_id: i64) -> QueryResult<i64> {
    let rows: Vec<(i64, i64, Option<NaiveDateTime>)> =
        super::actor_counts::thread_counts_query(vec![community_id]).load(conn)?;
    Ok(rows.first().map(|r| r.1).unwrap_or(0))
}

/// Status `id`, if the timeline `q` (its `hidden` authors left out) shows it:
/// how a live event finds the streams it belongs in.
pub fn shown_in(
    conn: &mut DbConn,
    q: super::views::StatusQuery,
    hidden: &[i64],
    id: i64,
) -> QueryResult<Option<Status>> {
    super::views::without_authors(q, hidden)
        .filter(statuses::id.eq(id))
        .first::<Status>(conn)
        .optional()
}
