//! Browser sessions. A session is an access token of the built-in web app held
//! in an HttpOnly cookie, so sessions are listed, revoked and ended on
//! suspension exactly as apps' tokens are, and every request is authenticated
//! by the same lookup.

use crate::{
    db::{self, actors::Actor, users::User},
    error::AppResult,
    model::scope::Scopes,
    service::{accounts, now, oauth, secrets},
    state::AppState,
};

pub const WEB_APP: &str = oauth::BUILTIN_APPS[0];

/// What the web interface may do on its user's behalf (administration is
/// checked on the user, as for the API's admin scopes).
const WEB_SCOPES: &str = "read write follow push admin:read admin:write";

/// Checks the password (throttled as every login is) and opens a session;
/// returns its secret, for the cookie.
pub async fn sign_in(
    state: &AppState,
    login: &str,
    password: &str,
) -> AppResult<(String, User, Actor)> {
    let (user, actor) = accounts::authenticate(state, login, password).await?;
    let app = oauth::builtin_app(state, WEB_APP).await?;
    let scopes = Scopes::parse(WEB_SCOPES).unwrap_or_default();
    let issued = oauth::issue_token(state, app.id, Some(user.id), scopes).await?;
    Ok((issued.access_token, user, actor))
}

/// Ends the session whose secret is `token` (signing out).
pub async fn sign_out(state: &AppState, token: &str) -> AppResult<()> {
    let app = oauth::builtin_app(state, WEB_APP).await?;
    let hash = secrets::digest(token);
    state
        .db
        .write(move |c| Ok(db::oauth::revoke(c, app.id, &hash, now())?))
        .await?;
    Ok(())
}

/// The token that protects a session's forms from other sites: derived from the
/// session's secret, which only the cookie holds.
pub fn form_token(session_secret: &str) -> String {
    secrets::digest(&format!("passerelle-form:{session_secret}"))
}

/// Where someone is signed in: their browser sessions and the apps they
/// authorised, each with its tokens.
pub struct Access {
    pub sessions: Vec<db::oauth::Token>,
    pub apps: Vec<(db::oauth::App, Vec<db::oauth::Token>)>,
}

pub async fn access_of(state: &AppState, user_id: i64) -> AppResult<Access> {
    let rows = state
        .db
        .run(move |c| Ok(db::oauth::live_tokens_of(c, user_id)?))
        .await?;
    let mut access = Access {
        sessions: vec![],
        apps: vec![],
    };
    for (token, app) in rows {
        if app.name == WEB_APP {
            access.sessions.push(token);
        } else if let Some(entry) = access.apps.iter_mut().find(|(a, _)| a.id == app.id) {
            entry.1.push(token);
        } else {
            access.apps.push((app, vec![token]));
        }
    }
    Ok(access)
}

/// Ends one session or app authorisation of `user_id` (its tokens), by token ids.
pub async fn revoke(state: &AppState, user_id: i64, token_ids: Vec<i64>) -> AppResult<usize> {
    state
        .db
        .write(move |c| Ok(db::oauth::revoke_ids(c, user_id, &token_ids, now())?))
        .await
}
