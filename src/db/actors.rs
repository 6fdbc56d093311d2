//! Rows and queries of the one actor table (persons, groups, the instance actor).

use crate::model::visibility::CommunityVisibility;
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub use super::actor_counts::{Counts, counts, counts_of};
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
    /// The note as typed (local accounts); `summary` is its HTML.
    pub note_source: String,
    /// Profile fields: a JSON array of `{"name", "value"}` (value: sanitised HTML).
    pub fields: String,
    /// Suspended by an administrator: hidden, cannot log in.
    pub suspended_at: Option<NaiveDateTime>,
    /// Deleted: erased, kept as a tombstone.
    pub deleted_at: Option<NaiveDateTime>,
    /// `local` (suspended here) or `remote` (by its own server), while suspended.
    pub suspension_origin: Option<String>,
}

impl Actor {
    pub fn kind(&self) -> ActorKind {
        self.kind.parse().unwrap_or(ActorKind::Person)
    }

    /// Who may see this actor and (a community) what is written in it; an
    /// unreadable value counts as internal, which never leaves the instance.
    pub fn reach(&self) -> CommunityVisibility {
        self.visibility
            .parse()
            .unwrap_or(CommunityVisibility::Internal)
    }

    /// Whether anything of this actor (a community: its visibility) may be sent
    /// to or fetched by another server; an unreadable visibility never does.
    pub fn federates(&self) -> bool {
        self.reach().federates()
    }

    /// Suspended by our administrators (not by its own server): only they lift it.
    pub fn suspended_here(&self) -> bool {
        self.suspended_at.is_some() && self.suspension_origin.as_deref() == Some("local")
    }

    /// Profile fields as their owner wrote them (values as plain text).
    pub fn field_sources(&self) -> Vec<(String, String)> {
        self.field_pairs()
            .into_iter()
            .map(|(n, v)| (n, crate::model::content::html_to_plain(&v)))
            .collect()
    }

    /// Profile fields as `(name, value)` pairs.
    pub fn field_pairs(&self) -> Vec<(String, String)> {
        serde_json::from_str::<Vec<serde_json::Value>>(&self.fields)
            .unwrap_or_default()
            .iter()
            .filter_map(|f| {
                Some((
                    f.get("name")?.as_str()?.to_string(),
                    f.get("value")?.as_str()?.to_string(),
                ))
            })
            .collect()
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

pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> QueryResult<Option<Actor>> {
    actors::table
        .filter(actors::ap_id.eq(ap_id))
        .select(Actor::as_select())
        .first(conn)
        .optional()
}

/// `(mark, actor id)` rows (a page of follows, blocks…) with their actors, in the
/// same order; rows whose actor is gone are left out.
pub fn with_marks(conn: &mut DbConn, rows: Vec<(i64, i64)>) -> QueryResult<Vec<(i64, Actor)>> {
    let ids: Vec<i64> = rows.iter().map(|(_, a)| *a).collect();
    let mut found: std::collections::HashMap<i64, Actor> =
        by_ids(conn, &ids)?.into_iter().map(|a| (a.id, a)).collect();
    Ok(rows
        .into_iter()
        .filter_map(|(mark, a)| Some((mark, found.remove(&a)?)))
        .collect())
}

pub fn by_ids(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Actor>> {
    actors::table
        .filter(actors::id.eq_any(ids))
        .select(Actor::as_select())
        .load(conn)
}

diesel::define_sql_function!(
    /// SQL `lower()`, on both backends.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text
);

/// A remote actor by `name@domain` (case-insensitive on both, as handles are).
pub fn remote_by_handle(conn: &mut DbConn, name: &str, domain: &str) -> QueryResult<Option<Actor>> {
    actors::table
        .filter(actors::local.eq(false))
        .filter(actors::domain.eq(domain.to_ascii_lowercase()))
        .filter(lower(actors::name).eq(name.to_lowercase()))
        .select(Actor::as_select())
        .first(conn)
        .optional()
}

/// Inserts a remote actor or refreshes the one with the same `ap_id`; returns the row.
pub fn upsert_remote(conn: &mut DbConn, actor: &Actor) -> QueryResult<Actor> {
    match by_ap_id(conn, &actor.ap_id)? {
        Some(existing) => {
            diesel::update(actors::table.find(existing.id))
                .set((
                    actors::name.eq(&actor.name),
                    actors::display_name.eq(&actor.display_name),
                    actors::summary.eq(&actor.summary),
                    actors::url.eq(&actor.url),
                    actors::inbox_url.eq(&actor.inbox_url),
                    actors::shared_inbox_url.eq(&actor.shared_inbox_url),
                    actors::outbox_url.eq(&actor.outbox_url),
                    actors::followers_url.eq(&actor.followers_url),
                    actors::following_url.eq(&actor.following_url),
                    actors::public_key_pem.eq(&actor.public_key_pem),
                    actors::avatar_url.eq(&actor.avatar_url),
                    actors::header_url.eq(&actor.header_url),
                    actors::locked.eq(actor.locked),
                    actors::discoverable.eq(actor.discoverable),
                    actors::visibility.eq(&actor.visibility),
                    actors::fields.eq(&actor.fields),
                    actors::updated_at.eq(actor.updated_at),
                    actors::fetched_at.eq(actor.fetched_at),
                ))
                .execute(conn)?;
            // A suspension by its own server starts and ends with what that
            // server says; one decided here stays until lifted here.
            let said = actor.suspended_at.is_some();
            if said && existing.suspended_at.is_none() {
                diesel::update(actors::table.find(existing.id))
                    .set((
                        actors::suspended_at.eq(actor.suspended_at),
                        actors::suspension_origin.eq("remote"),
                    ))
                    .execute(conn)?;
            } else if !said && existing.suspended_at.is_some() && !existing.suspended_here() {
                diesel::update(actors::table.find(existing.id))
                    .set((
                        actors::suspended_at.eq(None::<NaiveDateTime>),
                        actors::suspension_origin.eq(None::<String>),
                    ))
                    .execute(conn)?;
            }
            by_id(conn, existing.id)
        }
        None => {
            insert(conn, actor)?;
            by_id(conn, actor.id)
        }
    }
}

/// A local person's profile as they edited it.
pub fn update_profile(conn: &mut DbConn, a: &Actor) -> QueryResult<()> {
    diesel::update(actors::table.find(a.id))
        .set((
            actors::display_name.eq(&a.display_name),
            actors::summary.eq(&a.summary),
            actors::note_source.eq(&a.note_source),
            actors::fields.eq(&a.fields),
            actors::locked.eq(a.locked),
            actors::discoverable.eq(a.discoverable),
            actors::avatar_url.eq(&a.avatar_url),
            actors::header_url.eq(&a.header_url),
            actors::updated_at.eq(a.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A community's description, rendered (`html`) and as its owner wrote it (`source`).
pub fn set_summary(
    conn: &mut DbConn,
    id: i64,
    html: &str,
    source: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(actors::table.find(id))
        .set((
            actors::summary.eq(html),
            actors::note_source.eq(source),
            actors::updated_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// People and communities whose name or display name is like `pattern` (lower
/// case), local ones first.
///
/// `directory`: also discoverable local people whose department, job title or
/// a skill is like `pattern` (for the instance's own signed-in people).
pub fn search_accounts(
    conn: &mut DbConn,
    pattern: &str,
    directory: bool,
    limit: i64,
) -> QueryResult<Vec<Actor>> {
    use super::schema::{directory_profiles, directory_skills};
    actors::table
        .filter(actors::kind.ne(ActorKind::Application.as_str()))
        .filter(
            lower(actors::name)
                .like(pattern)
                .or(lower(actors::display_name).like(pattern))
                .or(actors::discoverable
                    .eq(true)
                    .and(diesel::dsl::sql::<diesel::sql_types::Bool>(if directory {
                        "1 = 1"
                    } else {
                        "1 = 0"
                    }))
                    .and(
                        actors::id
                            .eq_any(
                                directory_profiles::table
                                    .filter(
                                        lower(directory_profiles::department)
                                            .like(pattern)
                                            .or(lower(directory_profiles::job_title).like(pattern)),
                                    )
                                    .select(directory_profiles::actor_id),
                            )
                            .or(actors::id.eq_any(
                                directory_skills::table
                                    .filter(directory_skills::skill.like(pattern))
                                    .select(directory_skills::actor_id),
                            )),
                    )),
        )
        .order(actors::local.desc())
        .limit(limit)
        .select(Actor::as_select())
        .load(conn)
}

/// Communities whose name or display name is like `pattern` (lower case),
/// local ones first, then by name.
pub fn search_communities(conn: &mut DbConn, pattern: &str, limit: i64) -> QueryResult<Vec<Actor>> {
    actors::table
        .filter(actors::kind.eq(ActorKind::Group.as_str()))
        .filter(
            lower(actors::name)
                .like(pattern)
                .or(lower(actors::display_name).like(pattern)),
        )
        .order((actors::local.desc(), actors::name))
        .limit(limit)
        .select(Actor::as_select())
        .load(conn)
}
