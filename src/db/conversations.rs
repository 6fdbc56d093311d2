//! Direct conversations: for each local participant, a thread of direct
//! statuses with its newest status and an unread mark.

use diesel::{
    prelude::*,
    sql_types::{BigInt, Bool},
};

use super::{
    DbConn,
    live::{self, Live},
    schema::{actors, conversations, statuses},
    statuses::Status,
    views::Page,
};
use crate::model::id::new_id;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = conversations)]
pub struct Conversation {
    pub id: i64,
    pub actor_id: i64,
    pub root_status_id: i64,
    pub last_status_id: i64,
    pub unread: bool,
}

/// The same statement on both databases (`$n` are positional on SQLite too).
const UPSERT: &str = "INSERT INTO conversations (id, actor_id, root_status_id, last_status_id, unread) \
     VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (actor_id, root_status_id) DO UPDATE SET \
     last_status_id = CASE WHEN excluded.last_status_id > conversations.last_status_id \
     THEN excluded.last_status_id ELSE conversations.last_status_id END, \
     unread = conversations.unread OR excluded.unread";

/// A direct status joins (or starts) the conversation of each local person in
/// it: its author and those it mentions. Unread for all but the author.
pub fn status_created(conn: &mut DbConn, status: &Status, mentioned: &[i64]) -> QueryResult<()> {
    if status.visibility != crate::model::visibility::Visibility::Direct {
        return Ok(());
    }
    let root = status.thread_root_id.unwrap_or(status.id);
    let mut people: Vec<i64> = mentioned.to_vec();
    people.push(status.actor_id);
    people.sort_unstable();
    people.dedup();
    let local: Vec<i64> = actors::table
        .filter(actors::id.eq_any(&people))
        .filter(actors::local.eq(true))
        .select(actors::id)
        .load(conn)?;
    for person in local {
        let unread = person != status.actor_id;
        macro_rules! upsert {
            ($c:expr) => {
                diesel::sql_query(UPSERT)
                    .bind::<BigInt, _>(new_id())
                    .bind::<BigInt, _>(person)
                    .bind::<BigInt, _>(root)
                    .bind::<BigInt, _>(status.id)
                    .bind::<Bool, _>(unread)
                    .execute($c)
            };
        }
        match conn {
            DbConn::Postgres(c) => upsert!(c)?,
            DbConn::Sqlite(c) => upsert!(c)?,
        };
        let id: i64 = conversations::table
            .filter(conversations::actor_id.eq(person))
            .filter(conversations::root_status_id.eq(root))
            .select(conversations::id)
            .first(conn)?;
        live::emit(
            conn,
            Live::Conversation {
                id,
                recipient: person,
            },
        )?;
    }
    Ok(())
}

/// A page of one's conversations, by newest status (as Mastodon pages them),
/// leaving out those whose newest status is gone.
pub fn page(conn: &mut DbConn, actor_id: i64, page: Page) -> QueryResult<Vec<Conversation>> {
    let q = conversations::table
        .inner_join(statuses::table.on(statuses::id.eq(conversations::last_status_id)))
        .filter(conversations::actor_id.eq(actor_id))
        .filter(statuses::deleted_at.is_null())
        .filter(statuses::removed.eq(false))
        .select(Conversation::as_select())
        .into_boxed();
    Ok(page.newest_first(paginate!(q, page, conversations::last_status_id).load(conn)?))
}

pub fn by_id(conn: &mut DbConn, actor_id: i64, id: i64) -> QueryResult<Option<Conversation>> {
    conversations::table
        .find(id)
        .filter(conversations::actor_id.eq(actor_id))
        .select(Conversation::as_select())
        .first(conn)
        .optional()
}

/// `actor_id`'s conversation that began with `root_status_id`.
pub fn of_root(conn: &mut DbConn, actor_id: i64, root_status_id: i64) -> QueryResult<Option<i64>> {
    conversations::table
        .filter(conversations::actor_id.eq(actor_id))
        .filter(conversations::root_status_id.eq(root_status_id))
        .select(conversations::id)
        .first(conn)
        .optional()
}

pub fn mark_read(conn: &mut DbConn, actor_id: i64, id: i64) -> QueryResult<usize> {
    diesel::update(
        conversations::table
            .find(id)
            .filter(conversations::actor_id.eq(actor_id)),
    )
    .set(conversations::unread.eq(false))
    .execute(conn)
}

pub fn remove(conn: &mut DbConn, actor_id: i64, id: i64) -> QueryResult<usize> {
    diesel::delete(
        conversations::table
            .find(id)
            .filter(conversations::actor_id.eq(actor_id)),
    )
    .execute(conn)
}
