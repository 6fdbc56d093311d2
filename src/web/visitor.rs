//! Who is reading a page: the session cookie's person (or nobody), and the
//! language the page is in.

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, HeaderValue, header, request::Parts},
};

use super::i18n::{Lang, Tr};
use crate::{
    db::{actors::Actor, users::User},
    error::{AppError, AppResult},
    service::{oauth, web_sessions},
    state::AppState,
};

pub const SESSION_COOKIE: &str = "passerelle_session";
pub const LANG_COOKIE: &str = "passerelle_lang";
/// How long a browser keeps a session (the session itself lasts until revoked).
const SESSION_DAYS: i64 = 30;

pub struct Visitor {
    pub signed_in: Option<(User, Actor)>,
    pub t: Tr,
    /// The session's secret, when signed in.
    secret: Option<String>,
}

/// The value of cookie `name`, if the request carries it.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"').to_string())
        .filter(|v| !v.is_empty())
}

/// The language of a request before its session is known: the language cookie,
/// then `Accept-Language`, then the instance's default.
pub fn request_lang(state: &AppState, headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE)
        .and_then(|c| Lang::parse(&c))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept)
        })
        .or_else(|| Lang::parse(&state.instance().default_language))
        .unwrap_or(Lang::En)
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let mut lang = request_lang(state, &parts.headers);
        let Some(secret) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Ok(Self::anonymous(lang));
        };
        match oauth::authenticate(state, &secret).await {
            // Only a session of the pages' own app: a client app's token (of
            // narrower scopes) in the cookie opens no session.
            Ok(found) if found.app.name == web_sessions::WEB_APP => {
                let Some((user, actor)) = found.user else {
                    return Ok(Self::anonymous(lang));
                };
                if let Some(chosen) = Lang::parse(&user.locale) {
                    lang = chosen;
                }
                Ok(Self {
                    signed_in: Some((user, actor)),
                    t: Tr(lang),
                    secret: Some(secret),
                })
            }
            Ok(_) => Ok(Self::anonymous(lang)),
            // An ended session (signed out elsewhere, suspended), or one whose
            // address awaits confirmation since mail was turned on: signed out
            // here too (signing in again mails the link).
            Err(e)
                if e.status == axum::http::StatusCode::UNAUTHORIZED
                    || e.status == axum::http::StatusCode::FORBIDDEN =>
            {
                Ok(Self::anonymous(lang))
            }
            Err(e) => Err(e),
        }
    }
}

impl Visitor {
    /// A reader known only by language (the error pages).
    pub fn nobody(t: Tr) -> Self {
        Self::anonymous(t.0)
    }

    fn anonymous(lang: Lang) -> Self {
        Self {
            signed_in: None,
            t: Tr(lang),
            secret: None,
        }
    }

    pub fn actor(&self) -> Option<&Actor> {
        self.signed_in.as_ref().map(|(_, a)| a)
    }

    /// The signed-in person, or a 401 (which the pages turn into the sign-in page).
    pub fn require(&self) -> AppResult<&(User, Actor)> {
        self.signed_in
            .as_ref()
            .ok_or_else(|| AppError::unauthorized("Sign in to continue"))
    }

    /// An administrator, or 403.
    pub fn require_admin(&self) -> AppResult<&(User, Actor)> {
        let found = self.require()?;
        if !found.0.admin {
            return Err(AppError::forbidden("Administrators only"));
        }
        Ok(found)
    }

    /// The token this session's forms carry (empty when signed out).
    pub fn form_token(&self) -> String {
        self.secret
            .as_deref()
            .map(web_sessions::form_token)
            .unwrap_or_default()
    }

    pub fn secret(&self) -> Option<&str> {
        self.secret.as_deref()
    }
}

/// `Set-Cookie` for a new session (or, with `None`, one that ends it).
pub fn session_cookie(state: &AppState, secret: Option<&str>) -> HeaderValue {
    // Browsers treat localhost as secure; a test instance on http elsewhere is not.
    let domain = &state.config.instance.domain;
    let local = domain.starts_with("localhost") || domain.starts_with("127.");
    let secure = if state.config.scheme() == "https" && !local {
        "; Secure"
    } else {
        ""
    };
    let value = match secret {
        Some(s) => format!(
            "{SESSION_COOKIE}={s}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            SESSION_DAYS * 24 * 60 * 60
        ),
        None => format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// `Set-Cookie` remembering a language choice (a year).
pub fn lang_cookie(lang: Lang) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000",
        lang.code()
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}
