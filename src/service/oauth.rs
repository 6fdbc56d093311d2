//! The Mastodon subset of OAuth 2: apps, authorization codes (with PKCE S256),
//! client credentials, revocation, and bearer-token authentication.

use axum::http::StatusCode;
use chrono::Duration;

use crate::{
    db::{
        self,
        actors::Actor,
        oauth::{App, Code, Token},
        users::User,
    },
    error::{AppError, AppResult, invalid_field},
    model::{id::new_id, scope::Scopes},
    service::{now, secrets},
    state::AppState,
};

mod authorize;
pub use authorize::{AuthorizeParams, AuthorizeRequest, Refusal, check_authorize};

pub const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";
const CODE_LIFETIME_MINUTES: i64 = 10;

pub struct NewApp {
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub scopes: String,
    pub website: Option<String>,
}

fn valid_redirect_uri(uri: &str) -> bool {
    // Apps use http(s) or their own scheme (`com.example.app://callback`).
    uri == OOB
        || url::Url::parse(uri).is_ok_and(|u| {
            u.fragment().is_none()
                && !matches!(u.scheme(), "javascript" | "data" | "file" | "vbscript")
        })
}

/// Names of the apps Passerelle makes for itself: the web pages' sessions are
/// tokens of "Passerelle web", so no client may register under these names.
pub const BUILTIN_APPS: [&str; 2] = ["Passerelle web", "Passerelle CLI"];

/// Registers a client app; returns it with its secret (shown only this once).
pub async fn register_app(state: &AppState, new: NewApp) -> AppResult<(App, String)> {
    let name = new.name.trim();
    if BUILTIN_APPS.iter().any(|b| b.eq_ignore_ascii_case(name)) {
        return Err(invalid_field("client_name", "is reserved"));
    }
    insert_app(state, new).await
}

async fn insert_app(state: &AppState, new: NewApp) -> AppResult<(App, String)> {
    let name = new.name.trim().to_string();
    if name.is_empty() {
        return Err(invalid_field("client_name", "can't be blank"));
    }
    if name.chars().count() > 200 {
        return Err(invalid_field("client_name", "is too long"));
    }
    if new.redirect_uris.is_empty() {
        return Err(invalid_field("redirect_uris", "can't be blank"));
    }
    if let Some(bad) = new.redirect_uris.iter().find(|u| !valid_redirect_uri(u)) {
        return Err(invalid_field(
            "redirect_uris",
            format!("`{bad}` must be an absolute URI"),
        ));
    }
    let scopes = Scopes::parse(&new.scopes).map_err(|e| invalid_field("scopes", e))?;
    let website = new.website.filter(|w| !w.trim().is_empty());
    if let Some(w) = &website
        && url::Url::parse(w).is_err()
    {
        return Err(invalid_field("website", "must be a URL"));
    }
    let secret = secrets::new_secret();
    let app = App {
        id: new_id(),
        client_id: secrets::new_secret(),
        client_secret_hash: secrets::digest(&secret),
        name,
        website,
        redirect_uris: new.redirect_uris.join("\n"),
        scopes: scopes.to_string(),
        created_at: now(),
    };
    let a = app.clone();
    state
        .db
        .write(move |c| Ok(db::oauth::insert_app(c, &a)?))
        .await?;
    Ok((app, secret))
}

fn invalid_request(description: impl Into<String>) -> AppError {
    AppError::oauth(StatusCode::BAD_REQUEST, "invalid_request", description)
}

/// Issues a one-time authorization code for a logged-in user who consented.
pub async fn issue_code(
    state: &AppState,
    req: &AuthorizeRequest,
    user: &User,
) -> AppResult<String> {
    let code = secrets::new_secret();
    let at = now();
    let row = Code {
        code_hash: secrets::digest(&code),
        app_id: req.app.id,
        user_id: user.id,
        redirect_uri: req.redirect_uri.clone(),
        scopes: req.scopes.to_string(),
        code_challenge: req.code_challenge.clone(),
        created_at: at,
        expires_at: at + Duration::minutes(CODE_LIFETIME_MINUTES),
        used_at: None,
    };
    state
        .db
        .write(move |c| Ok(db::oauth::insert_code(c, &row)?))
        .await?;
    Ok(code)
}

pub struct TokenParams {
    pub grant_type: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub scope: Option<String>,
}

pub struct IssuedToken {
    pub access_token: String,
    pub scopes: Scopes,
    pub created_at: i64,
}

fn invalid_client() -> AppError {
    AppError::oauth(
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
    )
}

fn invalid_grant(why: &str) -> AppError {
    AppError::oauth(
        StatusCode::BAD_REQUEST,
        "invalid_grant",
        format!("The provided authorization grant is invalid: {why}"),
    )
}

async fn find_app(state: &AppState, client_id: Option<String>) -> AppResult<App> {
    let client_id = client_id.ok_or_else(invalid_client)?;
    state
        .db
        .run(move |c| Ok(db::oauth::app_by_client_id(c, &client_id)?))
        .await?
        .ok_or_else(invalid_client)
}

fn secret_matches(app: &App, secret: Option<&str>) -> bool {
    secret.is_some_and(|s| secrets::constant_time_eq(&secrets::digest(s), &app.client_secret_hash))
}

pub async fn exchange(state: &AppState, p: TokenParams) -> AppResult<IssuedToken> {
    match p.grant_type.as_deref() {
        Some("authorization_code") => exchange_code(state, p).await,
        Some("client_credentials") => {
            let app = find_app(state, p.client_id).await?;
            if !secret_matches(&app, p.client_secret.as_deref()) {
                return Err(invalid_client());
            }
            let requested = Scopes::parse(p.scope.as_deref().unwrap_or("")).map_err(|e| {
                AppError::oauth(StatusCode::BAD_REQUEST, "invalid_scope", e.to_string())
            })?;
            if !Scopes::parse(&app.scopes)
                .unwrap_or_default()
                .covers(&requested)
            {
                return Err(AppError::oauth(
                    StatusCode::BAD_REQUEST,
                    "invalid_scope",
                    "scope not registered",
                ));
            }
            issue_token(state, app.id, None, requested).await
        }
        Some(_) => Err(AppError::oauth(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be authorization_code or client_credentials",
        )),
        None => Err(invalid_request("grant_type is missing")),
    }
}

async fn exchange_code(state: &AppState, p: TokenParams) -> AppResult<IssuedToken> {
    let app = find_app(state, p.client_id).await?;
    let secret_ok = secret_matches(&app, p.client_secret.as_deref());
    // A wrong secret is always refused; a missing one only with PKCE (public clients).
    if p.client_secret.is_some() && !secret_ok {
        return Err(invalid_client());
    }
    let code = p.code.ok_or_else(|| invalid_request("code is missing"))?;
    let hash = secrets::digest(&code);
    let lookup = hash.clone();
    let found = state
        .db
        .run(move |c| Ok(db::oauth::unused_code(c, &lookup)?))
        .await?
        .ok_or_else(|| invalid_grant("unknown or already used code"))?;
    // Everything is checked before the code is used up, so a request by another
    // app (or a mistaken one) does not spoil it for the app it was issued to.
    check_code_request(
        &found,
        &app,
        secret_ok,
        p.redirect_uri.as_deref(),
        p.code_verifier.as_deref(),
    )?;
    // Used up atomically: of two concurrent redemptions, one wins.
    let taken = state
        .db
        .write(move |c| Ok(db::oauth::take_code(c, &hash, now())?))
        .await?
        .ok_or_else(|| invalid_grant("unknown or already used code"))?;
    let scopes = Scopes::parse(&taken.scopes).unwrap_or_default();
    issue_token(state, app.id, Some(taken.user_id), scopes).await
}

fn check_code_request(
    code: &Code,
    app: &App,
    secret_ok: bool,
    redirect_uri: Option<&str>,
    code_verifier: Option<&str>,
) -> AppResult<()> {
    if code.app_id != app.id {
        return Err(invalid_grant("code issued to another client"));
    }
    if code.expires_at < now() {
        return Err(invalid_grant("code expired"));
    }
    if redirect_uri.is_some_and(|u| u != code.redirect_uri) {
        return Err(invalid_grant(
            "redirect_uri does not match the authorization request",
        ));
    }
    match (&code.code_challenge, code_verifier) {
        (Some(challenge), Some(verifier)) => {
            if !secrets::constant_time_eq(&secrets::pkce_s256(verifier), challenge) {
                return Err(invalid_grant(
                    "code_verifier does not match the code_challenge",
                ));
            }
        }
        (Some(_), None) => return Err(invalid_grant("code_verifier is missing")),
        (None, _) if !secret_ok => return Err(invalid_client()),
        (None, _) => {}
    }
    Ok(())
}

pub(crate) async fn issue_token(
    state: &AppState,
    app_id: i64,
    user_id: Option<i64>,
    scopes: Scopes,
) -> AppResult<IssuedToken> {
    let access = secrets::new_secret();
    let at = now();
    let row = Token {
        id: new_id(),
        token_hash: secrets::digest(&access),
        refresh_hash: None,
        app_id,
        user_id,
        scopes: scopes.to_string(),
        created_at: at,
        revoked_at: None,
        last_used_at: None,
    };
    state
        .db
        .write(move |c| Ok(db::oauth::insert_token(c, &row)?))
        .await?;
    Ok(IssuedToken {
        access_token: access,
        scopes,
        created_at: at.and_utc().timestamp(),
    })
}

/// A token for a user, made by an operator (`passerelle admin create-token`).
pub async fn issue_admin_token(
    state: &AppState,
    user_id: i64,
    scopes: Scopes,
) -> AppResult<IssuedToken> {
    let app = builtin_app(state, "Passerelle CLI").await?;
    issue_token(state, app.id, Some(user_id), scopes).await
}

/// An app of the server's own (the CLI, the web interface), registered on first use.
pub(crate) async fn builtin_app(state: &AppState, name: &'static str) -> AppResult<App> {
    let existing = state
        .db
        .run(move |c| Ok(db::oauth::app_by_name(c, name)?))
        .await?;
    match existing {
        Some(app) => Ok(app),
        None => Ok(insert_app(
            state,
            NewApp {
                name: name.into(),
                redirect_uris: vec![OOB.into()],
                scopes: "read write follow push admin:read admin:write".into(),
                website: None,
            },
        )
        .await?
        .0),
    }
}

/// RFC 7009: an unknown token is not an error; a bad client is.
pub async fn revoke(
    state: &AppState,
    client_id: Option<String>,
    client_secret: Option<String>,
    token: Option<String>,
) -> AppResult<()> {
    let app = find_app(state, client_id).await?;
    if !secret_matches(&app, client_secret.as_deref()) {
        return Err(AppError::oauth(
            StatusCode::FORBIDDEN,
            "unauthorized_client",
            "You are not authorized to revoke this token",
        ));
    }
    let token = token.ok_or_else(|| invalid_request("token is missing"))?;
    let hash = secrets::digest(&token);
    state
        .db
        .write(move |c| Ok(db::oauth::revoke(c, app.id, &hash, now())?))
        .await?;
    Ok(())
}

/// What a valid bearer token grants.
#[derive(Clone)]
pub struct Authenticated {
    pub token: Token,
    pub app: App,
    pub scopes: Scopes,
    pub user: Option<(User, Actor)>,
}

pub async fn authenticate(state: &AppState, bearer: &str) -> AppResult<Authenticated> {
    authenticate_hash(state, secrets::digest(bearer)).await
}

/// [`authenticate`], also for a person whose address awaits confirmation: for
/// the one thing they may do, ask for the link again.
pub async fn authenticate_unconfirmed(state: &AppState, bearer: &str) -> AppResult<Authenticated> {
    check(state, secrets::digest(bearer), false).await
}

/// Records that the person is using an app or the web (at most once a minute):
/// alerts they could have seen meanwhile are not mailed.
async fn note_activity(state: &AppState, user: &db::users::User) -> AppResult<()> {
    let at = super::now();
    if user
        .last_active_at
        .is_some_and(|last| at - last < chrono::Duration::seconds(60))
    {
        return Ok(());
    }
    let id = user.id;
    state
        .db
        .write(move |c| Ok(db::users::touch_active(c, id, at)?))
        .await
}

/// [`authenticate`] by the token's stored digest (a session checked again).
pub async fn authenticate_hash(state: &AppState, hash: String) -> AppResult<Authenticated> {
    check(state, hash, true).await
}

async fn check(state: &AppState, hash: String, confirmed_only: bool) -> AppResult<Authenticated> {
    let digest = hash.clone();
    let found = state
        .db
        .run(move |c| Ok(db::oauth::session(c, &hash)?))
        .await?;
    let Some((token, app, user)) = found else {
        state.limits.token_checked(&digest, false);
        return Err(AppError::unauthorized("The access token is invalid"));
    };
    if user.as_ref().is_some_and(|(u, _)| u.disabled) {
        state.limits.token_checked(&digest, false);
        return Err(AppError::unauthorized("Your login is currently disabled"));
    }
    if let Some((u, _)) = &user {
        if confirmed_only && state.config.email.enabled() && u.email_confirmed_at.is_none() {
            return Err(AppError::forbidden(
                "Your login is missing a confirmed e-mail address",
            ));
        }
        note_activity(state, u).await?;
    }
    state.limits.token_checked(&digest, true);
    let scopes = Scopes::parse(&token.scopes).unwrap_or_default();
    Ok(Authenticated {
        token,
        app,
        scopes,
        user,
    })
}
