//! Erasing a person: everything they put here goes, in one transaction; the
//! actor row stays as a tombstone (blank profile, `deleted_at`) so that its name
//! and ActivityPub id are never given to someone else.
//!
//! Kept on purpose: reports by or about them (moderation records) and community
//! bans (a deleted account stays banned). Mentions of them by others stay in
//! those others' statuses.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    media::Media,
    schema::{
        actors, blocks, bookmarks, community_roles, conversations, favourites, follows,
        idempotency_keys, list_members, lists, markers, media_attachments, mutes, notifications,
        oauth_codes, oauth_tokens, pins, poll_votes, statuses, tag_follows, users,
    },
};

/// Erases `actor_id`'s data; returns the media store keys whose files must go.
/// Every step runs on `conn`, inside the caller's one transaction.
pub fn erase(conn: &mut DbConn, actor_id: i64, at: NaiveDateTime) -> QueryResult<Vec<String>> {
    uncount_boosts_and_favourites(conn, actor_id)?;
    let keys = delete_statuses_and_media(conn, actor_id, at)?;
    delete_own_rows(conn, actor_id)?;
    super::directory::erase(conn, actor_id)?;
    delete_relationships(conn, actor_id)?;
    delete_login(conn, actor_id)?;
    blank_profile(conn, actor_id, at)?;
    Ok(keys)
}

/// `DELETE FROM table WHERE filter` on `conn`, returning early on error.
macro_rules! delete_where {
    ($conn:expr, $table:ident, $filter:expr) => {
        diesel::delete($table::table.filter($filter)).execute($conn)?;
    };
}

/// Their boosts and favourites no longer count on others' statuses.
fn uncount_boosts_and_favourites(conn: &mut DbConn, actor_id: i64) -> QueryResult<()> {
    let boosted: Vec<i64> = statuses::table
        .filter(statuses::actor_id.eq(actor_id))
        .filter(statuses::deleted_at.is_null())
        .filter(statuses::reblog_of_id.is_not_null())
        .select(statuses::reblog_of_id.assume_not_null())
        .load(conn)?;
    diesel::update(statuses::table.filter(statuses::id.eq_any(boosted)))
        .set(statuses::reblogs_count.eq(statuses::reblogs_count - 1))
        .execute(conn)?;
    let liked = favourites::table
        .filter(favourites::actor_id.eq(actor_id))
        .select(favourites::status_id);
    diesel::update(statuses::table.filter(statuses::id.eq_any(liked)))
        .set(statuses::favourites_count.eq(statuses::favourites_count - 1))
        .execute(conn)?;
    Ok(())
}

/// Marks their statuses deleted and drops their media rows; returns the media
/// store keys.
fn delete_statuses_and_media(
    conn: &mut DbConn,
    actor_id: i64,
    at: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    let own: Vec<i64> = statuses::table
        .filter(statuses::actor_id.eq(actor_id))
        .filter(statuses::deleted_at.is_null())
        .select(statuses::id)
        .load(conn)?;
    for id in own {
        super::statuses::mark_deleted(conn, id, false, at)?;
    }
    let media: Vec<Media> = media_attachments::table
        .filter(media_attachments::actor_id.eq(actor_id))
        .select(Media::as_select())
        .load(conn)?;
    diesel::delete(media_attachments::table.filter(media_attachments::actor_id.eq(actor_id)))
        .execute(conn)?;
    Ok(media.into_iter().flat_map(Media::keys).collect())
}

/// What only they used: favourites, bookmarks, pins, votes, markers, lists…
fn delete_own_rows(conn: &mut DbConn, actor_id: i64) -> QueryResult<()> {
    delete_where!(conn, favourites, favourites::actor_id.eq(actor_id));
    delete_where!(conn, bookmarks, bookmarks::actor_id.eq(actor_id));
    delete_where!(conn, pins, pins::actor_id.eq(actor_id));
    delete_where!(conn, poll_votes, poll_votes::actor_id.eq(actor_id));
    delete_where!(conn, markers, markers::actor_id.eq(actor_id));
    delete_where!(
        conn,
        idempotency_keys,
        idempotency_keys::actor_id.eq(actor_id)
    );
    delete_where!(conn, conversations, conversations::actor_id.eq(actor_id));
    delete_where!(conn, tag_follows, tag_follows::actor_id.eq(actor_id));
    // Moderator roles (an owner of a local community was asked to hand it over).
    delete_where!(
        conn,
        community_roles,
        community_roles::actor_id.eq(actor_id)
    );
    delete_where!(conn, list_members, list_members::account_id.eq(actor_id));
    let their_lists = lists::table
        .filter(lists::actor_id.eq(actor_id))
        .select(lists::id);
    delete_where!(
        conn,
        list_members,
        list_members::list_id.eq_any(their_lists)
    );
    delete_where!(conn, lists, lists::actor_id.eq(actor_id));
    Ok(())
}

/// Notifications, follows, blocks and mutes, whichever side they are on.
fn delete_relationships(conn: &mut DbConn, actor_id: i64) -> QueryResult<()> {
    delete_where!(
        conn,
        notifications,
        notifications::recipient_id
            .eq(actor_id)
            .or(notifications::from_id.eq(actor_id))
    );
    delete_where!(
        conn,
        follows,
        follows::follower_id
            .eq(actor_id)
            .or(follows::target_id.eq(actor_id))
    );
    delete_where!(
        conn,
        blocks,
        blocks::actor_id
            .eq(actor_id)
            .or(blocks::target_id.eq(actor_id))
    );
    delete_where!(
        conn,
        mutes,
        mutes::actor_id
            .eq(actor_id)
            .or(mutes::target_id.eq(actor_id))
    );
    Ok(())
}

/// A local person's user row and tokens; open sessions are told they lost access.
fn delete_login(conn: &mut DbConn, actor_id: i64) -> QueryResult<()> {
    let user: Option<i64> = users::table
        .filter(users::actor_id.eq(actor_id))
        .select(users::id)
        .first(conn)
        .optional()?;
    if let Some(user) = user {
        super::live::emit(conn, super::live::Live::Access { user })?;
        delete_where!(conn, oauth_tokens, oauth_tokens::user_id.eq(user));
        delete_where!(conn, oauth_codes, oauth_codes::user_id.eq(user));
        delete_where!(conn, users, users::id.eq(user));
    }
    Ok(())
}

/// The tombstone: a blank profile with `deleted_at`.
fn blank_profile(conn: &mut DbConn, actor_id: i64, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(actors::table.find(actor_id))
        .set((
            actors::display_name.eq(""),
            actors::summary.eq(""),
            actors::note_source.eq(""),
            actors::fields.eq("[]"),
            actors::avatar_url.eq(None::<String>),
            actors::header_url.eq(None::<String>),
            actors::locked.eq(false),
            actors::discoverable.eq(false),
            actors::deleted_at.eq(Some(at)),
            actors::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Suspends (`Some(at)`) or reinstates (`None`) an account; a local person's
/// login follows.
pub fn set_suspended(
    conn: &mut DbConn,
    actor_id: i64,
    at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(actors::table.find(actor_id))
        .set((
            actors::suspended_at.eq(at),
            actors::suspension_origin.eq(at.map(|_| "local")),
        ))
        .execute(conn)?;
    let user: Option<i64> = users::table
        .filter(users::actor_id.eq(actor_id))
        .select(users::id)
        .first(conn)
        .optional()?;
    if let Some(user) = user {
        diesel::update(users::table.find(user))
            .set(users::disabled.eq(at.is_some()))
            .execute(conn)?;
        if at.is_some() {
            super::live::emit(conn, super::live::Live::Access { user })?;
        }
    }
    Ok(())
}

/// Accounts whose statuses nobody sees: suspended ones (deleted ones have none).
pub fn suspended_ids(conn: &mut DbConn) -> QueryResult<Vec<i64>> {
    suspended_ids_query().load(conn)
}

/// Read off the partial index `actors_suspended`, on every timeline request.
pub fn suspended_ids_query() -> SuspendedIds {
    actors::table
        .filter(actors::suspended_at.is_not_null())
        .select(actors::id)
}

/// Unboxed, so that other queries can take it as a subselect.
pub type SuspendedIds = diesel::dsl::Select<
    diesel::dsl::Filter<actors::table, diesel::dsl::IsNotNull<actors::suspended_at>>,
    actors::id,
>;
