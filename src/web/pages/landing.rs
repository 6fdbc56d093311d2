//! `/`: the organisation's landing page and sign-in when signed out, the home
//! feed when signed in; signing in and out; the language menu.

use askama::Template;
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use super::{PageQuery, feed};
use crate::{
    api::extract::Query,
    config::RegistrationMode,
    error::AppResult,
    service::{community_view, profile, registration, web_sessions},
    state::AppState,
    web::{
        cards::ActorRef,
        form::{NoFields, Posted},
        i18n::{Lang, Tr},
        page::{Chrome, back_to, html},
        visitor::{Visitor, lang_cookie, session_cookie},
    },
};

#[derive(Template)]
#[template(path = "landing.html")]
struct Landing {
    t: Tr,
    c: Chrome,
    description: String,
    domain: String,
    rules: Vec<String>,
    registration: &'static str,
    communities: Vec<ActorRef>,
    error: Option<String>,
    login: String,
    next: String,
    /// The sign-up form: shown unless registration is closed; with a code
    /// field when it is by invitation.
    signup: bool,
    invite_needed: bool,
    invite: String,
}

/// A path on this site to go back to after signing in (never another site).
fn safe_next(next: Option<&str>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .unwrap_or("/")
        .to_string()
}

/// What the landing page shows besides the instance: a message, and what the
/// visitor typed (kept when a form comes back with an error).
#[derive(Default)]
struct Filled {
    error: Option<String>,
    login: String,
    next: Option<String>,
    invite: Option<String>,
}

async fn landing(
    state: &AppState,
    v: &Visitor,
    status: StatusCode,
    filled: Filled,
) -> AppResult<Response> {
    let instance = state.instance();
    let communities = community_view::directory(state, "", None, 12)
        .await?
        .iter()
        .filter(|c| c.local && c.visibility == "public")
        .map(|c| ActorRef::of(state, c))
        .collect();
    let page = Landing {
        t: v.t,
        c: Chrome::new(state, v, v.t.s("sign-in-title")),
        description: instance.description.clone(),
        domain: state.urls.domain().to_string(),
        rules: instance.rules.clone(),
        signup: instance.registration != RegistrationMode::Closed,
        invite_needed: instance.registration == RegistrationMode::Invite,
        invite: filled.invite.unwrap_or_default(),
        registration: match instance.registration {
            RegistrationMode::Open => "registration-open",
            RegistrationMode::Invite => "registration-invite",
            RegistrationMode::Closed => "registration-closed",
        },
        communities,
        error: filled.error,
        login: filled.login,
        next: safe_next(filled.next.as_deref()),
    };
    Ok(html(status, &page))
}

pub async fn get_root(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    if v.signed_in.is_some() {
        return feed::home(&state, &v, q).await;
    }
    let filled = Filled {
        next: q.next,
        invite: q.invite,
        ..Filled::default()
    };
    landing(&state, &v, StatusCode::OK, filled).await
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn post_login(
    State(state): State<AppState>,
    posted: Posted<SignInForm>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    match web_sessions::sign_in(&state, &form.login, &form.password).await {
        Ok((secret, user, _)) => {
            let mut r = back_to(&safe_next(form.next.as_deref()));
            let h = r.headers_mut();
            h.append(header::SET_COOKIE, session_cookie(&state, Some(&secret)));
            if let Some(lang) = Lang::parse(&user.locale) {
                h.append(header::SET_COOKIE, lang_cookie(lang));
            }
            Ok(r)
        }
        // The same words whether the account exists or not; throttled logins
        // too. The right password of an unconfirmed address (403) mailed a new link.
        Err(e)
            if e.status == StatusCode::UNAUTHORIZED
                || e.status == StatusCode::TOO_MANY_REQUESTS
                || e.status == StatusCode::FORBIDDEN =>
        {
            let message = visitor.t.s(match e.status {
                StatusCode::UNAUTHORIZED => "sign-in-failed",
                StatusCode::FORBIDDEN => "sign-in-unconfirmed",
                _ => "sign-in-throttled",
            });
            let filled = Filled {
                error: Some(message),
                login: form.login,
                next: form.next,
                invite: None,
            };
            landing(&state, &visitor, e.status, filled).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct SignUpForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    invite: String,
    #[serde(default)]
    agreement: Option<String>,
}

/// Signs up (open or by invitation, as the API does) and signs in; or, when
/// the address waits for confirmation, says where the link went.
pub async fn post_signup(
    State(state): State<AppState>,
    posted: Posted<SignUpForm>,
) -> AppResult<Response> {
    let Posted {
        visitor: v,
        form: f,
    } = posted;
    let signed_up = registration::sign_up(
        &state,
        registration::SignUp {
            username: f.username.trim().to_string(),
            email: f.email.trim().to_string(),
            password: f.password.clone(),
            agreement: f.agreement.is_some(),
            invite_code: Some(f.invite).filter(|c| !c.trim().is_empty()),
            locale: Some(v.t.lang().to_string()),
        },
    )
    .await?;
    if signed_up.awaiting_confirmation {
        let email = f.email.trim().to_ascii_lowercase();
        return Ok(super::email_links::notice(
            &state,
            &v,
            v.t.s("signup-confirm-title"),
            vec![v.t.v("signup-confirm-text", "email", &email)],
            Some(("/#sign-in", v.t.s("sign-in-title"))),
        ));
    }
    let (secret, _, _) = web_sessions::sign_in(&state, f.username.trim(), &f.password).await?;
    let mut r = back_to("/");
    r.headers_mut()
        .append(header::SET_COOKIE, session_cookie(&state, Some(&secret)));
    Ok(r)
}

pub async fn post_logout(
    State(state): State<AppState>,
    posted: Posted<NoFields>,
) -> AppResult<Response> {
    if let Some(secret) = posted.visitor.secret() {
        web_sessions::sign_out(&state, secret).await?;
    }
    let mut r = back_to("/");
    r.headers_mut()
        .append(header::SET_COOKIE, session_cookie(&state, None));
    Ok(r)
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    lang: String,
    next: Option<String>,
}

/// Chooses the interface's language: remembered in a cookie, and on the account.
pub async fn post_language(
    State(state): State<AppState>,
    headers: HeaderMap,
    posted: Posted<LanguageForm>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let lang = Lang::parse(&form.lang)
        .ok_or_else(|| crate::error::AppError::unprocessable("Unknown language"))?;
    if let Some((user, _)) = &visitor.signed_in {
        profile::set_language(&state, user.id, Some(lang.code())).await?;
    }
    let next = form
        .next
        .or_else(|| super::referer_path(&headers))
        .unwrap_or_else(|| "/".into());
    let mut r = back_to(&safe_next(Some(&next)));
    r.headers_mut()
        .append(header::SET_COOKIE, lang_cookie(lang));
    Ok(r.into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/communities/dev")), "/communities/dev");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
