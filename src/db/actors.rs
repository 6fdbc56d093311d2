//! Rows and queries of the one actor table (persons, groups, the instance actor).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{DbConn, schema::actors};
use crate::model::actor::ActorKind;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = actors)]
pub struct Actor {
    pub id: i64,
    pub ap_id: String,
    pub kind: String,
    pub name: String,
    pub domain: String,
    pub local: bool,
    pub display_name: String,
    pub summary: String,
    pub url: Option<String>,
    pub inbox_url: String,
    pub shared_inbox_url: Option<String>,
    pub outbox_url: Option<String>,
    pub followers_url: Option<String>,
    pub following_url: Option<String>,
    pub public_key_pem: String,
    pub private_key_pem: Option<String>,
    pub avatar_url: Option<String>,
    pub header_url: Option<String>,
    pub locked: bool,
    pub discoverable: bool,
    pub visibility: String,
    pub instance_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub fetched_at: Option<NaiveDateTime>,
}

impl Actor {
    pub fn kind(&self) -> ActorKind {
        self.kind.parse().unwrap_or(ActorKind::Person)
    }
}

pub fn insert(conn: &mut DbConn, actor: &Actor) -> QueryResult<()> {
    diesel::insert_into(actors::table)
        .values(actor)
        .execute(conn)
        .map(|_| ())
}

pub fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<Actor> {
    actors::table
        .find(id)
        .select(Actor::as_select())
        .first(conn)
}

/// A local actor of any kind by its (lowercase) name.
pub fn local_by_name(conn: &mut DbConn, name: &str) -> QueryResult<Option<Actor>> {
    actors::table
        .filter(actors::local.eq(true))
        .filter(actors::name.eq(name.to_ascii_lowercase()))
        .select(Actor::as_select())
        .first(conn)
        .optional()
}

pub fn local_by_name_and_kind(
    conn: &mut DbConn,
    name: &str,
    kind: ActorKind,
) -> QueryResult<Option<Actor>> {
    actors::table
        .filter(actors::local.eq(true))
        .filter(actors::kind.eq(kind.as_str()))
        .filter(actors::name.eq(name.to_ascii_lowercase()))
        .select(Actor::as_select())
        .first(conn)
        .optional()
}

pub fn instance_actor(conn: &mut DbConn) -> QueryResult<Option<Actor>> {
    actors::table
        .filter(actors::local.eq(true))
        .filter(actors::kind.eq(ActorKind::Application.as_str()))
        .select(Actor::as_select())
        .first(conn)
        .optional()
}

pub fn count_local(conn: &mut DbConn, kind: ActorKind) -> QueryResult<i64> {
    actors::table
        .filter(actors::local.eq(true))
        .filter(actors::kind.eq(kind.as_str()))
        .count()
        .get_result(conn)
}

/// The figures on an account: accepted followers, accepted follows, statuses written.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub followers: i64,
    pub following: i64,
    pub statuses: i64,
    pub last_status_at: Option<NaiveDateTime>,
}

pub fn counts(conn: &mut DbConn, actor_id: i64) -> QueryResult<Counts> {
    use super::schema::{follows, statuses};
    let followers = follows::table
        .filter(follows::target_id.eq(actor_id))
        .filter(follows::state.eq("accepted"))
        .count()
        .get_result(conn)?;
    let following = follows::table
        .filter(follows::follower_id.eq(actor_id))
        .filter(follows::state.eq("accepted"))
        .count()
        .get_result(conn)?;
    let by_actor = statuses::table.filter(statuses::actor_id.eq(actor_id));
    let statuses_count = by_actor.count().get_result(conn)?;
    let last_status_at = by_actor
        .select(diesel::dsl::max(statuses::created_at))
        .first::<Option<NaiveDateTime>>(conn)?;
    Ok(Counts {
        followers,
        following,
        statuses: statuses_count,
        last_status_at,
    })
}

/// A page of the ActivityPub ids of accepted followers (`followers = true`) or
/// follows of `actor_id`, newest first, before the follow id `before`.
pub fn follow_ids_page(
    conn: &mut DbConn,
    actor_id: i64,
    followers: bool,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<(i64, String)>> {
    use super::schema::follows;
    let mut q = follows::table
        .filter(follows::state.eq("accepted"))
        .into_boxed();
    q = if followers {
        q.filter(follows::target_id.eq(actor_id))
    } else {
        q.filter(follows::follower_id.eq(actor_id))
    };
    if let Some(b) = before {
        q = q.filter(follows::id.lt(b));
    }
    let rows: Vec<(i64, i64, i64)> = q
        .order(follows::id.desc())
        .limit(limit)
        .select((follows::id, follows::follower_id, follows::target_id))
        .load(conn)?;
    let rows: Vec<(i64, i64)> = rows
        .into_iter()
        .map(|(id, follower, target)| (id, if followers { follower } else { target }))
        .collect();
    let ids: Vec<i64> = rows.iter().map(|(_, a)| *a).collect();
    let urls: Vec<(i64, String)> = actors::table
        .filter(actors::id.eq_any(&ids))
        .select((actors::id, actors::ap_id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(fid, aid)| {
            urls.iter()
                .find(|(id, _)| *id == aid)
                .map(|(_, url)| (fid, url.clone()))
        })
        .collect())
}
