//! The people directory's rows: the organisation's profile fields, skills, and
//! the directory listings (filters, Mastodon's `/api/v1/directory`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn, MultiBackend,
    actors::Actor,
    schema::{actor_stats, actors, directory_profiles, directory_skills},
};
use crate::model::actor::ActorKind;

/// A person's directory fields (all of them; config decides which are shown).
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = directory_profiles)]
pub struct DirectoryProfile {
    pub actor_id: i64,
    pub department: String,
    pub job_title: String,
    pub location: String,
    pub phone: String,
    pub languages: String,
    /// Who wrote them last: `person` (later `sso`).
    pub source: String,
    pub updated_at: NaiveDateTime,
}

impl DirectoryProfile {
    pub fn empty(actor_id: i64, at: NaiveDateTime) -> Self {
        Self {
            actor_id,
            department: String::new(),
            job_title: String::new(),
            location: String::new(),
            phone: String::new(),
            languages: String::new(),
            source: "person".into(),
            updated_at: at,
        }
    }
}

pub fn profile(conn: &mut DbConn, actor_id: i64) -> QueryResult<Option<DirectoryProfile>> {
    directory_profiles::table
        .find(actor_id)
        .select(DirectoryProfile::as_select())
        .first(conn)
        .optional()
}

pub fn profiles_of(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<DirectoryProfile>> {
    directory_profiles::table
        .filter(directory_profiles::actor_id.eq_any(ids))
        .select(DirectoryProfile::as_select())
        .load(conn)
}

/// `(actor id, skill)` of several people, skills in alphabetical order.
pub fn skills_of(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    directory_skills::table
        .filter(directory_skills::actor_id.eq_any(ids))
        .order((directory_skills::actor_id, directory_skills::skill))
        .select((directory_skills::actor_id, directory_skills::skill))
        .load(conn)
}

/// Stores a profile (update, else insert: portable, and the write transaction
/// serialises writers) and, when given, replaces the skills.
pub fn save(conn: &mut DbConn, p: &DirectoryProfile, skills: Option<&[String]>) -> QueryResult<()> {
    let updated = diesel::update(directory_profiles::table.find(p.actor_id))
        .set(p)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(directory_profiles::table)
            .values(p)
            .execute(conn)?;
    }
    if let Some(skills) = skills {
        diesel::delete(directory_skills::table.filter(directory_skills::actor_id.eq(p.actor_id)))
            .execute(conn)?;
        for skill in skills {
            diesel::insert_into(directory_skills::table)
                .values((
                    directory_skills::actor_id.eq(p.actor_id),
                    directory_skills::skill.eq(skill),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// A deleted account leaves the directory (called by `db::erasure`).
pub fn erase(conn: &mut DbConn, actor_id: i64) -> QueryResult<()> {
    use super::schema::account_roles;
    diesel::delete(directory_skills::table.filter(directory_skills::actor_id.eq(actor_id)))
        .execute(conn)?;
    diesel::delete(directory_profiles::table.find(actor_id)).execute(conn)?;
    diesel::delete(account_roles::table.filter(account_roles::actor_id.eq(actor_id)))
        .execute(conn)?;
    Ok(())
}

/// Departments or locations in use, for the directory's filters.
pub fn departments(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    directory_profiles::table
        .filter(directory_profiles::department.ne(""))
        .select(directory_profiles::department)
        .distinct()
        .order(directory_profiles::department)
        .limit(500)
        .load(conn)
}

pub fn locations(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    directory_profiles::table
        .filter(directory_profiles::location.ne(""))
        .select(directory_profiles::location)
        .distinct()
        .order(directory_profiles::location)
        .limit(500)
        .load(conn)
}

/// What the directory page asks for. Empty strings filter nothing.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub text: String,
    pub department: String,
    pub location: String,
    /// Lower case.
    pub skill: String,
}

type ActorFilter =
    Box<dyn BoxableExpression<actors::table, MultiBackend, SqlType = diesel::sql_types::Bool>>;

/// People of this instance who are listed: discoverable, neither suspended nor deleted.
fn listed() -> ActorFilter {
    Box::new(
        actors::local
            .eq(true)
            .and(actors::kind.eq(ActorKind::Person.as_str()))
            .and(actors::discoverable.eq(true))
            .and(actors::suspended_at.is_null())
            .and(actors::deleted_at.is_null()),
    )
}

/// The directory page: listed local people matching every filter, by name.
pub fn people(conn: &mut DbConn, f: &Filters, limit: i64, offset: i64) -> QueryResult<Vec<Actor>> {
    let mut q = actors::table
        .filter(listed())
        .select(Actor::as_select())
        .into_boxed();
    if !f.text.trim().is_empty() {
        match super::people_search::matching(conn, &f.text, false) {
            Some(m) => q = q.filter(m),
            None => return Ok(vec![]),
        }
    }
    if !f.department.is_empty() {
        q = q.filter(
            actors::id.eq_any(
                directory_profiles::table
                    .filter(directory_profiles::department.eq(f.department.clone()))
                    .select(directory_profiles::actor_id),
            ),
        );
    }
    if !f.location.is_empty() {
        q = q.filter(
            actors::id.eq_any(
                directory_profiles::table
                    .filter(directory_profiles::location.eq(f.location.clone()))
                    .select(directory_profiles::actor_id),
            ),
        );
    }
    if !f.skill.is_empty() {
        q = q.filter(
            actors::id.eq_any(
                directory_skills::table
                    .filter(directory_skills::skill.eq(f.skill.clone()))
                    .select(directory_skills::actor_id),
            ),
        );
    }
    q.order((actors::name, actors::id))
        .limit(limit)
        .offset(offset)
        .load(conn)
}

/// Who declared any of `skills` (lower case): `(actor id, skill)`; the caller
/// keeps the people the directory lists.
pub fn declared(
    conn: &mut DbConn,
    skills: &[String],
    limit: i64,
) -> QueryResult<Vec<(i64, String)>> {
    directory_skills::table
        .filter(directory_skills::skill.eq_any(skills))
        .select((directory_skills::actor_id, directory_skills::skill))
        .limit(limit)
        .load(conn)
}

/// Listed people whose directory text matches any word of `text`.
pub fn people_matching_any(conn: &mut DbConn, text: &str, limit: i64) -> QueryResult<Vec<Actor>> {
    let Some(m) = super::people_search::matching(conn, text, true) else {
        return Ok(vec![]);
    };
    actors::table
        .filter(listed())
        .filter(m)
        .order(actors::name)
        .limit(limit)
        .select(Actor::as_select())
        .load(conn)
}

/// Mastodon's profile directory: discoverable people (`local`: ours only),
/// most recent status first (`active`) or newest account first.
pub fn mastodon_directory(
    conn: &mut DbConn,
    local_only: bool,
    active: bool,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<Actor>> {
    let mut q = actors::table
        .left_join(actor_stats::table.on(actor_stats::actor_id.eq(actors::id)))
        .filter(actors::kind.eq(ActorKind::Person.as_str()))
        .filter(actors::discoverable.eq(true))
        .filter(actors::suspended_at.is_null())
        .filter(actors::deleted_at.is_null())
        .select(Actor::as_select())
        .into_boxed();
    if local_only {
        q = q.filter(actors::local.eq(true));
    }
    q = if active {
        q.order((
            actor_stats::last_status_at.is_null(),
            actor_stats::last_status_at.desc(),
            actors::id.desc(),
        ))
    } else {
        q.order(actors::id.desc())
    };
    q.limit(limit).offset(offset).load(conn)
}
