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

pub const WEB_APP: &str = "Passerelle web";

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
