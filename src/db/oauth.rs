//! OAuth applications, authorization codes and tokens (secrets stored as SHA-256).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    schema::{oauth_apps, oauth_codes, oauth_tokens},
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = oauth_apps)]
pub struct App {
    pub id: i64,
    pub client_id: String,
    pub client_secret_hash: String,
    pub name: String,
    pub website: Option<String>,
    pub redirect_uris: String,
    pub scopes: String,
    pub created_at: NaiveDateTime,
}

impl App {
    pub fn redirect_uris(&self) -> impl Iterator<Item = &str> {
        self.redirect_uris.split('\n').filter(|s| !s.is_empty())
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = oauth_codes)]
pub struct Code {
    pub code_hash: String,
    pub app_id: i64,
    pub user_id: i64,
    pub redirect_uri: String,
    pub scopes: String,
    pub code_challenge: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = oauth_tokens)]
pub struct Token {
    pub id: i64,
    pub token_hash: String,
    pub refresh_hash: Option<String>,
    pub app_id: i64,
    pub user_id: Option<i64>,
    pub scopes: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
}

pub fn insert_app(conn: &mut DbConn, app: &App) -> QueryResult<()> {
    diesel::insert_into(oauth_apps::table)
        .values(app)
        .execute(conn)
        .map(|_| ())
}

pub fn app_by_client_id(conn: &mut DbConn, client_id: &str) -> QueryResult<Option<App>> {
    oauth_apps::table
        .filter(oauth_apps::client_id.eq(client_id))
        .select(App::as_select())
        .first(conn)
        .optional()
}

pub fn app_by_name(conn: &mut DbConn, name: &str) -> QueryResult<Option<App>> {
    oauth_apps::table
        .filter(oauth_apps::name.eq(name))
        .select(App::as_select())
        .order(oauth_apps::id)
        .first(conn)
        .optional()
}

pub fn insert_code(conn: &mut DbConn, code: &Code) -> QueryResult<()> {
    diesel::insert_into(oauth_codes::table)
        .values(code)
        .execute(conn)
        .map(|_| ())
}

/// Marks an unused code as used and returns it; `None` if unknown or already used,
/// so a code can be exchanged once even under concurrent requests.
/// An unused code, read without using it up (the request is checked first).
pub fn unused_code(conn: &mut DbConn, code_hash: &str) -> QueryResult<Option<Code>> {
    oauth_codes::table
        .find(code_hash)
        .filter(oauth_codes::used_at.is_null())
        .select(Code::as_select())
        .first(conn)
        .optional()
}

pub fn take_code(
    conn: &mut DbConn,
    code_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<Code>> {
    let taken = diesel::update(
        oauth_codes::table
            .filter(oauth_codes::code_hash.eq(code_hash))
            .filter(oauth_codes::used_at.is_null()),
    )
    .set(oauth_codes::used_at.eq(now))
    .execute(conn)?;
    if taken == 0 {
        return Ok(None);
    }
    oauth_codes::table
        .find(code_hash)
        .select(Code::as_select())
        .first(conn)
        .optional()
}

pub fn insert_token(conn: &mut DbConn, token: &Token) -> QueryResult<()> {
    diesel::insert_into(oauth_tokens::table)
        .values(token)
        .execute(conn)
        .map(|_| ())
}

/// A live token, its app and, for a user's token, the user and their actor.
pub type Session = (
    Token,
    App,
    Option<(super::users::User, super::actors::Actor)>,
);

/// The session of a token: one statement, as every authenticated request asks it.
/// The lookup behind every signed-in request: the token by its (unique) hash,
/// then its app, user and actor by primary key. Flat left joins: nested in
/// `users JOIN actors`, SQLite materialised that join over every local user.
macro_rules! session_query {
    ($token_hash:expr) => {{
        use super::schema::{actors, users};
        oauth_tokens::table
            .inner_join(oauth_apps::table)
            .left_join(users::table.on(users::id.nullable().eq(oauth_tokens::user_id)))
            .left_join(actors::table.on(actors::id.eq(users::actor_id)))
            .filter(oauth_tokens::token_hash.eq($token_hash))
            .filter(oauth_tokens::revoked_at.is_null())
            .select((
                Token::as_select(),
                App::as_select(),
                Option::<super::users::User>::as_select(),
                Option::<super::actors::Actor>::as_select(),
            ))
            .limit(1)
    }};
}

pub fn session(conn: &mut DbConn, token_hash: &str) -> QueryResult<Option<Session>> {
    use super::{actors::Actor, users::User};
    let found: Option<(Token, App, Option<User>, Option<Actor>)> =
        session_query!(token_hash).first(conn).optional()?;
    Ok(found.map(|(token, app, user, actor)| (token, app, user.zip(actor))))
}

/// The plan of [`session`]'s query (for the query-plan test).
pub fn session_plan(conn: &mut DbConn, token_hash: String) -> QueryResult<Vec<String>> {
    super::explain::plan(conn, session_query!(token_hash))
}

pub fn live_token_by_refresh(conn: &mut DbConn, refresh_hash: &str) -> QueryResult<Option<Token>> {
    oauth_tokens::table
        .filter(oauth_tokens::refresh_hash.eq(refresh_hash))
        .filter(oauth_tokens::revoked_at.is_null())
        .select(Token::as_select())
        .first(conn)
        .optional()
}

/// Revokes the token whose access or refresh hash is `hash`, if it belongs to
/// `app_id`; its owner's open streams are told.
pub fn revoke(
    conn: &mut DbConn,
    app_id: i64,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let found: Vec<(i64, Option<i64>)> = oauth_tokens::table
        .filter(oauth_tokens::app_id.eq(app_id))
        .filter(
            oauth_tokens::token_hash
                .eq(hash)
                .or(oauth_tokens::refresh_hash.eq(hash)),
        )
        .filter(oauth_tokens::revoked_at.is_null())
        .select((oauth_tokens::id, oauth_tokens::user_id))
        .load(conn)?;
    let ids: Vec<i64> = found.iter().map(|(id, _)| *id).collect();
    let n = diesel::update(oauth_tokens::table.filter(oauth_tokens::id.eq_any(ids)))
        .set(oauth_tokens::revoked_at.eq(now))
        .execute(conn)?;
    for user in found.into_iter().filter_map(|(_, u)| u) {
        super::live::emit(conn, super::live::Live::Access { user })?;
    }
    Ok(n)
}

/// A user's live tokens with their apps, newest first.
pub fn live_tokens_of(conn: &mut DbConn, user_id: i64) -> QueryResult<Vec<(Token, App)>> {
    oauth_tokens::table
        .inner_join(oauth_apps::table)
        .filter(oauth_tokens::user_id.eq(user_id))
        .filter(oauth_tokens::revoked_at.is_null())
        .order(oauth_tokens::id.desc())
        .select((Token::as_select(), App::as_select()))
        .load(conn)
}

/// Revokes the given tokens of `user_id` (others' are left alone); their
/// owner's open streams are told.
pub fn revoke_ids(
    conn: &mut DbConn,
    user_id: i64,
    ids: &[i64],
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let n = diesel::update(
        oauth_tokens::table
            .filter(oauth_tokens::user_id.eq(user_id))
            .filter(oauth_tokens::id.eq_any(ids))
            .filter(oauth_tokens::revoked_at.is_null()),
    )
    .set(oauth_tokens::revoked_at.eq(now))
    .execute(conn)?;
    if n > 0 {
        super::live::emit(conn, super::live::Live::Access { user: user_id })?;
    }
    Ok(n)
}
