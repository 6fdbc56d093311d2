//! Checking `GET /oauth/authorize` before any login page is shown.

use crate::{
    db::{self, oauth::App},
    error::AppError,
    model::scope::Scopes,
    state::AppState,
};

/// A validated `GET /oauth/authorize` request.
pub struct AuthorizeRequest {
    pub app: App,
    pub redirect_uri: String,
    pub scopes: Scopes,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
}

pub struct AuthorizeParams {
    pub response_type: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
}

/// Why an authorization request is refused: each is explained in its own words
/// to the person in the browser, who can do nothing about a code like
/// `invalid_client`.
#[derive(Debug)]
pub enum Refusal {
    /// `response_type` is not `code` (what was asked, if anything).
    ResponseType(Option<String>),
    NoClient,
    UnknownClient,
    /// No `redirect_uri`, and the app registered several.
    NoRedirectUri,
    /// A `redirect_uri` the app did not register (never redirected to).
    UnregisteredRedirectUri(String),
    /// A scope that does not exist (the parser's message).
    UnknownScope(String),
    /// Scopes beyond those the app registered.
    ScopeBeyondApp,
    /// PKCE parameters that cannot be used (what is wrong).
    CodeChallenge(&'static str),
    /// The server could not check the request (its database, say).
    Failed(AppError),
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Self {
        Refusal::Failed(e)
    }
}

/// Checks an authorization request; nothing is ever redirected to a URI the app
/// did not register.
pub async fn check_authorize(
    state: &AppState,
    p: AuthorizeParams,
) -> Result<AuthorizeRequest, Refusal> {
    if p.response_type.as_deref() != Some("code") {
        return Err(Refusal::ResponseType(p.response_type));
    }
    let client_id = p.client_id.ok_or(Refusal::NoClient)?;
    let app = state
        .db
        .run(move |c| Ok(db::oauth::app_by_client_id(c, &client_id)?))
        .await?
        .ok_or(Refusal::UnknownClient)?;
    let redirect_uri = match p.redirect_uri {
        Some(u) => u,
        None if app.redirect_uris().count() == 1 => app.redirect_uris().collect(),
        None => return Err(Refusal::NoRedirectUri),
    };
    if !app.redirect_uris().any(|u| u == redirect_uri) {
        return Err(Refusal::UnregisteredRedirectUri(redirect_uri));
    }
    let scopes = Scopes::parse(p.scope.as_deref().unwrap_or(""))
        .map_err(|e| Refusal::UnknownScope(e.to_string()))?;
    let registered = Scopes::parse(&app.scopes).unwrap_or_default();
    if !registered.covers(&scopes) {
        return Err(Refusal::ScopeBeyondApp);
    }
    let code_challenge = match (p.code_challenge, p.code_challenge_method.as_deref()) {
        (None, _) => None,
        (Some(c), Some("S256")) if (43..=128).contains(&c.len()) => Some(c),
        (Some(_), Some("S256")) => {
            return Err(Refusal::CodeChallenge(
                "code_challenge must have 43 to 128 characters",
            ));
        }
        (Some(_), _) => {
            return Err(Refusal::CodeChallenge("code_challenge_method must be S256"));
        }
    };
    Ok(AuthorizeRequest {
        app,
        redirect_uri,
        scopes,
        state: p.state,
        code_challenge,
    })
}
