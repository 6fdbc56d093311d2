//! Follows of people and memberships of communities (one table).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    actors::Actor,
    schema::{actors, follows},
};
use crate::model::id::new_id;

pub const ACCEPTED: &str = "accepted";
pub const PENDING: &str = "pending";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = follows)]
pub struct Follow {
    pub id: i64,
    pub follower_id: i64,
    pub target_id: i64,
    pub ap_id: Option<String>,
    pub state: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The follower is told of each new status (`status` notifications).
    pub notify: bool,
}

pub fn find(conn: &mut DbConn, follower_id: i64, target_id: i64) -> QueryResult<Option<Follow>> {
    follows::table
        .filter(follows::follower_id.eq(follower_id))
        .filter(follows::target_id.eq(target_id))
        .select(Follow::as_select())
        .first(conn)
        .optional()
}

/// The follower of the follow whose activity id is `ap_id`, towards `target_id`.
pub fn follower_by_ap_id(
    conn: &mut DbConn,
    ap_id: &str,
    target_id: i64,
) -> QueryResult<Option<i64>> {
    follows::table
        .filter(follows::ap_id.eq(ap_id))
        .filter(follows::target_id.eq(target_id))
        .select(follows::follower_id)
        .first(conn)
        .optional()
}

/// Creates or updates the follow; returns it.
pub fn upsert(
    conn: &mut DbConn,
    follower_id: i64,
    target_id: i64,
    ap_id: Option<&str>,
    state: &str,
    at: NaiveDateTime,
) -> QueryResult<Follow> {
    if let Some(existing) = find(conn, follower_id, target_id)? {
        diesel::update(follows::table.find(existing.id))
            .set((
                follows::state.eq(state),
                follows::ap_id.eq(ap_id.or(existing.ap_id.as_deref())),
                follows::updated_at.eq(at),
            ))
            .execute(conn)?;
    } else {
        insert(conn, follower_id, target_id, ap_id, state, at)?;
    }
    find(conn, follower_id, target_id)?.ok_or(diesel::result::Error::NotFound)
}

/// A new follow, where there is none yet between the two.
pub fn insert(
    conn: &mut DbConn,
    follower_id: i64,
    target_id: i64,
    ap_id: Option<&str>,
    state: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(follows::table)
        .values((
            follows::id.eq(new_id()),
            follows::follower_id.eq(follower_id),
            follows::target_id.eq(target_id),
            follows::ap_id.eq(ap_id),
            follows::state.eq(state),
            follows::created_at.eq(at),
            follows::updated_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn remove(conn: &mut DbConn, follower_id: i64, target_id: i64) -> QueryResult<Option<Follow>> {
    let existing = find(conn, follower_id, target_id)?;
    if let Some(f) = &existing {
        diesel::delete(follows::table.find(f.id)).execute(conn)?;
        // One lists only accounts one follows (as Mastodon).
        super::lists::forget_member(conn, follower_id, target_id)?;
    }
    Ok(existing)
}

pub fn is_accepted(conn: &mut DbConn, follower_id: i64, target_id: i64) -> QueryResult<bool> {
    Ok(find(conn, follower_id, target_id)?.is_some_and(|f| f.state == ACCEPTED))
}

/// Whether any local actor follows (is a member of) `target_id`.
pub fn has_local_follower(conn: &mut DbConn, target_id: i64) -> QueryResult<bool> {
    let n: i64 = follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::target_id.eq(target_id))
        .filter(follows::state.eq(ACCEPTED))
        .filter(actors::local.eq(true))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Remote followers of a local actor: where its activities go.
pub fn remote_followers(conn: &mut DbConn, target_id: i64) -> QueryResult<Vec<Actor>> {
    follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::target_id.eq(target_id))
        .filter(follows::state.eq(ACCEPTED))
        .filter(actors::local.eq(false))
        .select(Actor::as_select())
        .load(conn)
}

/// The local communities, other than public ones, `person` is an accepted
/// member of.
pub fn non_public_local_communities(conn: &mut DbConn, person: i64) -> QueryResult<Vec<Actor>> {
    use crate::model::{actor::ActorKind, visibility::CommunityVisibility};
    follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::target_id)))
        .filter(follows::follower_id.eq(person))
        .filter(follows::state.eq(ACCEPTED))
        .filter(actors::local.eq(true))
        .filter(actors::kind.eq(ActorKind::Group.as_str()))
        .filter(actors::visibility.ne(CommunityVisibility::Public.as_str()))
        .select(Actor::as_select())
        .load(conn)
}

/// The inboxes of the remote actors that follow `actor_id` or that it follows
/// (people, communities), shared inboxes preferred, each once.
pub fn remote_inboxes_of(conn: &mut DbConn, actor_id: i64) -> QueryResult<Vec<String>> {
    let related = follows::table
        .filter(
            follows::follower_id
                .eq(actor_id)
                .or(follows::target_id.eq(actor_id)),
        )
        .select((follows::follower_id, follows::target_id))
        .load::<(i64, i64)>(conn)?;
    let ids: Vec<i64> = related
        .into_iter()
        .map(|(f, t)| if f == actor_id { t } else { f })
        .collect();
    let mut inboxes: Vec<String> = actors::table
        .filter(actors::id.eq_any(ids))
        .filter(actors::local.eq(false))
        .select((actors::shared_inbox_url, actors::inbox_url))
        .load::<(Option<String>, String)>(conn)?
        .into_iter()
        .map(|(shared, own)| shared.unwrap_or(own))
        .collect();
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}

/// Sets whether `follower_id` is told of `target_id`'s new statuses.
pub fn set_notify(
    conn: &mut DbConn,
    follower_id: i64,
    target_id: i64,
    notify: bool,
) -> QueryResult<()> {
    diesel::update(
        follows::table
            .filter(follows::follower_id.eq(follower_id))
            .filter(follows::target_id.eq(target_id)),
    )
    .set(follows::notify.eq(notify))
    .execute(conn)
    .map(|_| ())
}

/// Local followers of `target_id` who asked to be told of its new statuses.
pub fn notified_followers(conn: &mut DbConn, target_id: i64) -> QueryResult<Vec<i64>> {
    follows::table
        .filter(follows::target_id.eq(target_id))
        .filter(follows::state.eq(ACCEPTED))
        .filter(follows::notify.eq(true))
        .select(follows::follower_id)
        .load(conn)
}

/// Ids of the actors `follower_id` follows (people and communities).
pub fn followed_ids(conn: &mut DbConn, follower_id: i64) -> QueryResult<Vec<i64>> {
    follows::table
        .filter(follows::follower_id.eq(follower_id))
        .filter(follows::state.eq(ACCEPTED))
        .select(follows::target_id)
        .load(conn)
}

/// (target id, state) of the follows from `follower_id` to any of `targets`.
pub fn states(
    conn: &mut DbConn,
    follower_id: i64,
    targets: &[i64],
) -> QueryResult<Vec<(i64, String)>> {
    follows::table
        .filter(follows::follower_id.eq(follower_id))
        .filter(follows::target_id.eq_any(targets))
        .select((follows::target_id, follows::state))
        .load(conn)
}

/// (follower id, state) of follows from any of `followers` to `target_id`.
pub fn followed_by_states(
    conn: &mut DbConn,
    target_id: i64,
    followers: &[i64],
) -> QueryResult<Vec<(i64, String)>> {
    follows::table
        .filter(follows::target_id.eq(target_id))
        .filter(follows::follower_id.eq_any(followers))
        .select((follows::follower_id, follows::state))
        .load(conn)
}

/// Pending requests to follow or join `target_id`, oldest first, with the requester.
pub fn pending_for(conn: &mut DbConn, target_id: i64) -> QueryResult<Vec<(Follow, Actor)>> {
    follows::table
        .inner_join(actors::table.on(actors::id.eq(follows::follower_id)))
        .filter(follows::target_id.eq(target_id))
        .filter(follows::state.eq(PENDING))
        .order((follows::created_at, follows::id))
        .select((Follow::as_select(), Actor::as_select()))
        .load(conn)
}

/// Which side of accepted follows a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Those who follow (or are members of) the account.
    Followers,
    /// Those the account follows (people and communities).
    Following,
}

/// A page of an account's followers or followings, newest follow first, paged
/// by the follow's id (as Mastodon does): `(follow id, account)`.
pub fn page(
    conn: &mut DbConn,
    actor_id: i64,
    side: Side,
    page: super::views::Page,
) -> QueryResult<Vec<(i64, Actor)>> {
    let q = follows::table
        .filter(follows::state.eq(ACCEPTED))
        .into_boxed();
    let rows: Vec<(i64, i64)> = match side {
        Side::Followers => paginate!(
            q.filter(follows::target_id.eq(actor_id))
                .select((follows::id, follows::follower_id)),
            page,
            follows::id
        )
        .load(conn)?,
        Side::Following => paginate!(
            q.filter(follows::follower_id.eq(actor_id))
                .select((follows::id, follows::target_id)),
            page,
            follows::id
        )
        .load(conn)?,
    };
    super::actors::with_marks(conn, page.newest_first(rows))
}

/// People `viewer_id` follows who also follow `target_id` (a few, newest first).
pub fn familiar_followers(
    conn: &mut DbConn,
    viewer_id: i64,
    target_id: i64,
    limit: i64,
) -> QueryResult<Vec<Actor>> {
    let (mine, theirs) = diesel::alias!(follows as mine, follows as theirs);
    let followed_by_viewer = mine
        .filter(mine.field(follows::follower_id).eq(viewer_id))
        .filter(mine.field(follows::state).eq(ACCEPTED))
        .select(mine.field(follows::target_id));
    let ids: Vec<i64> = theirs
        .filter(theirs.field(follows::target_id).eq(target_id))
        .filter(theirs.field(follows::state).eq(ACCEPTED))
        .filter(
            theirs
                .field(follows::follower_id)
                .eq_any(followed_by_viewer),
        )
        .order(theirs.field(follows::id).desc())
        .limit(limit)
        .select(theirs.field(follows::follower_id))
        .load(conn)?;
    actors::table
        .filter(actors::id.eq_any(&ids))
        .select(Actor::as_select())
        .load(conn)
}
