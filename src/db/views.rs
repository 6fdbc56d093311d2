//! Named read views: statuses with everything a client shows, loaded in a fixed
//! number of queries whatever the page size (no N+1 on statuses).

use crate::model::visibility::Visibility;

use diesel::prelude::*;

use super::{
    DbConn,
    actors::{Actor, Counts},
    schema::{follows, statuses},
    statuses::Status,
};

mod related;

#[derive(Debug, Clone)]
pub struct StatusView {
    pub status: Status,
    pub author: Actor,
    pub author_counts: Counts,
    pub community: Option<Actor>,
    pub parent_author_id: Option<i64>,
    pub mentions: Vec<Actor>,
    pub tags: Vec<String>,
    pub favourited: bool,
    pub bookmarked: bool,
    pub poll: Option<PollView>,
    /// An event's date and place (its answers are read by `service::agenda`).
    pub event: Option<super::events::Event>,
    /// A survey's settings (its questions and results are read by `service::surveys`).
    pub survey: Option<super::surveys::Survey>,
    /// A library document's current version (its history is read by `service::library`).
    pub document: Option<super::library::Version>,
    pub media: Vec<super::media::Media>,
    /// A boost: the status boosted (the row itself has no content).
    pub reblog: Option<Box<StatusView>>,
    /// Whether the reader boosted this status.
    pub reblogged: bool,
    /// Whether the reader pinned it (their own statuses only).
    pub pinned: bool,
}

/// A status's poll as its reader sees it: results, and their own choices.
#[derive(Debug, Clone)]
pub struct PollView {
    pub poll: super::polls::Poll,
    pub results: super::polls::Results,
    pub own_choices: Vec<i32>,
}

/// Views of `rows`, in the same order.
pub fn load(
    conn: &mut DbConn,
    rows: Vec<Status>,
    viewer: Option<i64>,
) -> QueryResult<Vec<StatusView>> {
    let boosted = related::boosted_views(conn, &rows, viewer)?;
    // A boost whose original cannot be shown is not shown either.
    let rows: Vec<Status> = rows
        .into_iter()
        .filter(|s| s.reblog_of_id.is_none_or(|o| boosted.contains_key(&o)))
        .collect();
    let related = related::Related::load(conn, &rows, viewer)?;
    Ok(related.into_views(rows, &boosted))
}

fn own_ids(rows: &[Status], author: i64) -> Vec<i64> {
    rows.iter()
        .filter(|s| s.actor_id == author)
        .map(|s| s.id)
        .collect()
}

/// A page request by id cursors, as Mastodon clients send it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Page {
    pub max_id: Option<i64>,
    pub since_id: Option<i64>,
    pub min_id: Option<i64>,
    pub limit: i64,
}

impl Page {
    /// Rows loaded by [`paginate!`], newest first whichever way they were read.
    pub fn newest_first<T>(&self, mut rows: Vec<T>) -> Vec<T> {
        if self.min_id.is_some() {
            rows.reverse();
        }
        rows
    }
}

/// A page of statuses as a query, for the views below and for their plans.
pub type StatusQuery = statuses::BoxedQuery<
    'static,
    super::MultiBackend,
    diesel::dsl::AsSelect<Status, super::MultiBackend>,
>;

/// `q` without statuses by the `hidden` authors (those the reader blocks or
/// mutes, or who block them: see `blocks::hidden_authors`).
pub fn without_authors(q: StatusQuery, hidden: &[i64]) -> StatusQuery {
    if hidden.is_empty() {
        q
    } else {
        q.filter(diesel::dsl::not(statuses::actor_id.eq_any(hidden.to_vec())))
    }
}

/// What a client may narrow a list of statuses to (`only_media`, `tagged`).
#[derive(Debug, Clone, Default)]
pub struct Narrow {
    pub only_media: bool,
    /// A hashtag, lower case.
    pub tagged: Option<String>,
}

/// `q` narrowed as asked.
pub fn narrow(mut q: StatusQuery, n: &Narrow) -> StatusQuery {
    use super::schema::{media_attachments, status_tags, tags};
    if n.only_media {
        let with_files = media_attachments::table
            .filter(media_attachments::status_id.is_not_null())
            .select(media_attachments::status_id.assume_not_null());
        q = q.filter(statuses::id.eq_any(with_files));
    }
    if let Some(tag) = &n.tagged {
        let tagged = status_tags::table
            .inner_join(tags::table)
            .filter(tags::name.eq(tag.clone()))
            .select(status_tags::status_id);
        q = q.filter(statuses::id.eq_any(tagged));
    }
    q
}

/// Home: the user's own statuses, those of people they follow and of the
/// communities they joined, except the accounts of their exclusive lists.
pub fn home(
    conn: &mut DbConn,
    actor_id: i64,
    hidden: &[i64],
    page: Page,
) -> QueryResult<Vec<Status>> {
    let tags = super::tags::followed_ids(conn, actor_id)?;
    let mut q = without_authors(home_query(actor_id, &tags, page), hidden);
    let listed = super::lists::exclusive_members(conn, actor_id)?;
    if !listed.is_empty() {
        q = without_authors(q, &listed).filter(
            statuses::community_id.is_null().or(diesel::dsl::not(
                statuses::community_id
                    .assume_not_null()
                    .eq_any(listed.clone()),
            )),
        );
    }
    Ok(page.newest_first(q.load(conn)?))
}

/// A list's timeline: statuses (and boosts) of its accounts, and the threads and
/// comments of its communities.
pub fn list(
    conn: &mut DbConn,
    list_id: i64,
    hidden: &[i64],
    page: Page,
) -> QueryResult<Vec<Status>> {
    let q = without_authors(list_query(list_id, page), hidden);
    Ok(page.newest_first(q.load(conn)?))
}

pub fn list_query(list_id: i64, page: Page) -> StatusQuery {
    use super::schema::list_members;
    let members = || {
        list_members::table
            .filter(list_members::list_id.eq(list_id))
            .select(list_members::account_id)
    };
    let q = statuses::table
        .filter(statuses::deleted_at.is_null())
        .filter(statuses::removed.eq(false))
        .filter(statuses::visibility.ne(Visibility::Direct.as_str()))
        .filter(
            statuses::actor_id
                .eq_any(members())
                .or(statuses::community_id.assume_not_null().eq_any(members())),
        )
        .select(Status::as_select())
        .into_boxed();
    paginate!(q, page, statuses::id)
}

/// `tags`: the ids of the hashtags the user follows (public statuses with them
/// join the timeline).
pub fn home_query(actor_id: i64, tags: &[i64], page: Page) -> StatusQuery {
    use super::schema::status_tags;
    let followed = || {
        follows::table
            .filter(follows::follower_id.eq(actor_id))
            .filter(follows::state.eq("accepted"))
            .select(follows::target_id)
    };
    let mut q = statuses::table
        .filter(statuses::deleted_at.is_null())
        .filter(statuses::removed.eq(false))
        .filter(statuses::visibility.ne(Visibility::Direct.as_str()))
        .select(Status::as_select())
        .into_boxed();
    let mine = statuses::actor_id
        .eq(actor_id)
        .or(statuses::actor_id.eq_any(followed()))
        .or(statuses::community_id.assume_not_null().eq_any(followed()));
    q = if tags.is_empty() {
        q.filter(mine)
    } else {
        let tagged = status_tags::table
            .filter(status_tags::tag_id.eq_any(tags.to_vec()))
            .select(status_tags::status_id);
        q.filter(
            mine.or(statuses::visibility
                .eq(Visibility::Public.as_str())
                .and(statuses::id.eq_any(tagged))),
        )
    };
    paginate!(q, page, statuses::id)
}

/// Public: public statuses this instance knows, optionally only local or remote.
pub fn public(
    conn: &mut DbConn,
    local: Option<bool>,
    hidden: &[i64],
    n: &Narrow,
    page: Page,
) -> QueryResult<Vec<Status>> {
    let q = narrow(without_authors(public_query(local, page), hidden), n);
    Ok(page.newest_first(q.load(conn)?))
}

pub fn public_query(local: Option<bool>, page: Page) -> StatusQuery {
    let mut q = statuses::table
        .filter(statuses::reblog_of_id.is_null())
        .filter(statuses::deleted_at.is_null())
        .filter(statuses::removed.eq(false))
        .filter(statuses::visibility.eq(Visibility::Public.as_str()))
        .select(Status::as_select())
        .into_boxed();
    if let Some(l) = local {
        q = q.filter(statuses::local.eq(l));
    }
    paginate!(q, page, statuses::id)
}

pub fn tag(
    conn: &mut DbConn,
    tag: &str,
    local: Option<bool>,
    hidden: &[i64],
    n: &Narrow,
    page: Page,
) -> QueryResult<Vec<Status>> {
    let q = narrow(without_authors(tag_query(tag, local, page), hidden), n);
    Ok(page.newest_first(q.load(conn)?))
}

/// Public statuses with hashtag `tag` (lower case), newest first.
pub fn tag_query(tag: &str, local: Option<bool>, page: Page) -> StatusQuery {
    use super::schema::{status_tags, tags};
    let tagged = status_tags::table
        .inner_join(tags::table)
        .filter(tags::name.eq(tag.to_string()))
        .select(status_tags::status_id);
    public_query(local, page).filter(statuses::id.eq_any(tagged))
}

/// A community's threads (top-level posts), newest first.
pub fn community_threads(
    conn: &mut DbConn,
    community_id: i64,
    hidden: &[i64],
    page: Page,
) -> QueryResult<Vec<Status>> {
    let q = without_authors(community_threads_query(community_id, page), hidden);
    Ok(page.newest_first(q.load(conn)?))
}

pub fn community_threads_query(community_id: i64, page: Page) -> StatusQuery {
    let q = statuses::table
        .filter(statuses::community_id.eq(community_id))
        .filter(statuses::in_reply_to_id.is_null())
        .filter(statuses::deleted_at.is_null())
        .filter(statuses::removed.eq(false))
        .select(Status::as_select())
        .into_boxed();
    paginate!(q, page, statuses::id)
}

/// An account's statuses, newest first (visibility is filtered by the caller).
pub fn by_account(
    conn: &mut DbConn,
    actor_id: i64,
    exclude_replies: bool,
    n: &Narrow,
    page: Page,
) -> QueryResult<Vec<Status>> {
    let q = narrow(by_account_query(actor_id, exclude_replies, page), n);
    Ok(page.newest_first(q.load(conn)?))
}

pub fn by_account_query(actor_id: i64, exclude_replies: bool, page: Page) -> StatusQuery {
    let mut q = statuses::table
        .filter(statuses::actor_id.eq(actor_id))
        .filter(statuses::deleted_at.is_null())
        .filter(statuses::removed.eq(false))
        .select(Status::as_select())
        .into_boxed();
    if exclude_replies {
        q = q.filter(statuses::in_reply_to_id.is_null());
    }
    paginate!(q, page, statuses::id)
}

/// Every status of the thread that `root_id` starts (the root included), oldest first.
pub fn thread(conn: &mut DbConn, root_id: i64, limit: i64) -> QueryResult<Vec<Status>> {
    thread_query(root_id, limit).load(conn)
}

pub fn thread_query(root_id: i64, limit: i64) -> StatusQuery {
    statuses::table
        .filter(
            statuses::id
                .eq(root_id)
                .or(statuses::thread_root_id.eq(root_id)),
        )
        .order(statuses::id.asc())
        .limit(limit)
        .select(Status::as_select())
        .into_boxed()
}

/// What an actor's outbox shows: public statuses of a person, or public threads of
/// a community, newest first, before the id `before`.
pub fn outbox(
    conn: &mut DbConn,
    actor_id: i64,
    group: bool,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<(i64, Vec<Status>)> {
    let base = || {
        let q = statuses::table
            .filter(
                statuses::local
                    .eq(true)
                    .or(statuses::community_id.is_not_null()),
            )
            .filter(statuses::deleted_at.is_null())
            .filter(statuses::removed.eq(false))
            .into_boxed();
        if group {
            // A community's statuses share its visibility; the route has checked
            // that the requester may read them.
            q.filter(statuses::community_id.eq(actor_id))
                .filter(statuses::in_reply_to_id.is_null())
                .filter(statuses::visibility.ne(Visibility::Direct.as_str()))
        } else {
            q.filter(statuses::actor_id.eq(actor_id))
                .filter(statuses::local.eq(true))
                .filter(statuses::visibility.eq(Visibility::Public.as_str()))
        }
    };
    let total = base().count().get_result(conn)?;
    let mut q = base().order(statuses::id.desc()).limit(limit);
    if let Some(b) = before {
        q = q.filter(statuses::id.lt(b));
    }
    Ok((total, q.select(Status::as_select()).load(conn)?))
}
