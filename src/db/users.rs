//! Local accounts: the login side of a local `Person` actor.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    actors::Actor,
    schema::{actors, users},
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub actor_id: i64,
    pub email: String,
    pub password_hash: String,
    pub admin: bool,
    pub locale: String,
    pub disabled: bool,
    pub created_at: NaiveDateTime,
    pub last_login_at: Option<NaiveDateTime>,
    /// Set once the owner opened a link mailed to `email` (or an administrator
    /// made the account); mail goes only to confirmed addresses.
    pub email_confirmed_at: Option<NaiveDateTime>,
    /// When they last used an app or the web (to the minute).
    pub last_active_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, user: &User) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values(user)
        .execute(conn)
        .map(|_| ())
}

/// Login: by local name or e-mail address (case-insensitive).
pub fn by_login(conn: &mut DbConn, login: &str) -> QueryResult<Option<(User, Actor)>> {
    let login = login.trim().to_ascii_lowercase();
    users::table
        .inner_join(actors::table)
        .filter(actors::name.eq(&login).or(users::email.eq(&login)))
        .select((User::as_select(), Actor::as_select()))
        .first(conn)
        .optional()
}

pub fn set_password(conn: &mut DbConn, user_id: i64, hash: &str) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set(users::password_hash.eq(hash))
        .execute(conn)
        .map(|_| ())
}

/// The interface language (a code such as `fr`, or empty for the browser's).
pub fn set_locale(conn: &mut DbConn, user_id: i64, locale: &str) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set(users::locale.eq(locale))
        .execute(conn)
        .map(|_| ())
}

/// The account of an e-mail address (stored lower-case).
pub fn by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::email.eq(email.trim().to_ascii_lowercase()))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut DbConn, user_id: i64) -> QueryResult<Option<User>> {
    users::table
        .find(user_id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// The address is the owner's: it becomes (or stays) the account's, confirmed.
pub fn confirm_email(
    conn: &mut DbConn,
    user_id: i64,
    email: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::email.eq(email), users::email_confirmed_at.eq(at)))
        .execute(conn)
        .map(|_| ())
}

/// Records that the person used an app or the web at `at`.
pub fn touch_active(conn: &mut DbConn, user_id: i64, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set(users::last_active_at.eq(at))
        .execute(conn)
        .map(|_| ())
}

pub fn touch_login(conn: &mut DbConn, user_id: i64, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set(users::last_login_at.eq(at))
        .execute(conn)
        .map(|_| ())
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    users::table
        .filter(users::disabled.eq(false))
        .count()
        .get_result(conn)
}

/// Users who logged in (or were created) since `since`.
pub fn count_active_since(conn: &mut DbConn, since: NaiveDateTime) -> QueryResult<i64> {
    users::table
        .filter(users::disabled.eq(false))
        .filter(
            users::last_login_at
                .ge(since)
                .or(users::created_at.ge(since)),
        )
        .count()
        .get_result(conn)
}

/// Local accounts whose name or e-mail contains `pattern` (a LIKE pattern), by
/// name; deleted ones left out.
pub fn list(conn: &mut DbConn, pattern: &str, limit: i64) -> QueryResult<Vec<(User, Actor)>> {
    users::table
        .inner_join(actors::table)
        .filter(actors::deleted_at.is_null())
        .filter(actors::name.like(pattern).or(users::email.like(pattern)))
        .order(actors::name.asc())
        .limit(limit)
        .select((User::as_select(), Actor::as_select()))
        .load(conn)
}

/// The actors of the (enabled) administrators.
pub fn admin_actor_ids(conn: &mut DbConn) -> QueryResult<Vec<i64>> {
    users::table
        .filter(users::admin.eq(true))
        .filter(users::disabled.eq(false))
        .select(users::actor_id)
        .load(conn)
}

pub fn set_admin(conn: &mut DbConn, user_id: i64, admin: bool) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set(users::admin.eq(admin))
        .execute(conn)
        .map(|_| ())
}
