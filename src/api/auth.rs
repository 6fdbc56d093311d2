//! Bearer-token authentication for the client API, with scope checks.

use axum::{
    extract::{FromRequestParts, OptionalFromRequestParts},
    http::{header, request::Parts},
};

use crate::{
    db::{actors::Actor, users::User},
    error::{AppError, AppResult},
    service::oauth::{self, Authenticated},
    state::AppState,
};

/// A request made with a valid token (an app's, or a user's).
pub struct Auth(pub Authenticated);

pub fn bearer(headers: &axum::http::HeaderMap) -> Option<String> {
    let header = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = header.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
        .filter(|t| !t.is_empty())
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = bearer(&parts.headers)
            .ok_or_else(|| AppError::unauthorized("The access token is invalid"))?;
        oauth::authenticate(state, &token).await.map(Auth)
    }
}

impl OptionalFromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    /// No token: anonymous. A token that is present but invalid is still a 401.
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, AppError> {
        match bearer(&parts.headers) {
            None => Ok(None),
            Some(token) => oauth::authenticate(state, &token)
                .await
                .map(|a| Some(Auth(a))),
        }
    }
}

impl Auth {
    /// Who reads, for routes open to anyone: the signed-in person, or nobody
    /// (anonymous, or an app-only token).
    pub fn viewer(auth: &Option<Auth>) -> Option<Actor> {
        auth.as_ref()
            .and_then(|a| a.0.user.as_ref())
            .map(|(_, a)| a.clone())
    }

    /// 403 unless the token's scopes grant `scope`.
    pub fn require(&self, scope: &str) -> AppResult<&Self> {
        if self.0.scopes.grants(scope) {
            Ok(self)
        } else {
            Err(AppError::forbidden(
                "This action is outside the authorized scopes",
            ))
        }
    }

    /// The user behind the token; app-only tokens get Mastodon's 422.
    pub fn user(&self) -> AppResult<&(User, Actor)> {
        self.0
            .user
            .as_ref()
            .ok_or_else(|| AppError::unprocessable("This method requires an authenticated user"))
    }

    /// `require(scope)` then `user()`.
    pub fn user_with(&self, scope: &str) -> AppResult<&(User, Actor)> {
        self.require(scope)?.user()
    }

    /// `user_with(scope)` for an administrator; 403 for anyone else.
    pub fn admin_with(&self, scope: &str) -> AppResult<&(User, Actor)> {
        let found = self.user_with(scope)?;
        if !found.0.admin {
            return Err(crate::error::AppError::forbidden("Administrators only"));
        }
        Ok(found)
    }
}
