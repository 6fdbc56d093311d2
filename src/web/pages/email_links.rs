//! The pages that links in mail open: confirming an address, a forgotten
//! password and its reset link, unsubscribing from a kind of mail; and the
//! notice page they (and other forms) end on.

use askama::Template;
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use serde::Deserialize;

use crate::{
    error::{AppError, AppResult},
    service::mail::{account, reset, settings},
    state::AppState,
    web::{
        form::Posted,
        i18n::Tr,
        page::{Chrome, html},
        visitor::Visitor,
    },
};

#[derive(Template)]
#[template(path = "notice.html")]
struct NoticePage {
    t: Tr,
    c: Chrome,
    heading: String,
    paragraphs: Vec<String>,
    /// A link onwards: `(href, label)`.
    link: Option<(String, String)>,
}

/// A page that says what happened, and where to go next.
pub fn notice(
    state: &AppState,
    v: &Visitor,
    heading: String,
    paragraphs: Vec<String>,
    link: Option<(&str, String)>,
) -> Response {
    let page = NoticePage {
        t: v.t,
        c: Chrome::new(state, v, heading.clone()),
        heading,
        paragraphs,
        link: link.map(|(href, label)| (href.to_string(), label)),
    };
    html(StatusCode::OK, &page)
}

/// Sign in (signed out) or the home page (signed in).
fn onwards(v: &Visitor) -> (&'static str, String) {
    if v.signed_in.is_some() {
        ("/", v.t.s("error-home"))
    } else {
        ("/#sign-in", v.t.s("sign-in-title"))
    }
}

pub async fn get_confirm(
    State(state): State<AppState>,
    v: Visitor,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let user = account::confirm(&state, &token).await?;
    Ok(notice(
        &state,
        &v,
        v.t.s("email-confirmed-title"),
        vec![v.t.v("email-confirmed-text", "email", &user.email)],
        Some(onwards(&v)),
    ))
}

#[derive(Template)]
#[template(path = "password_forgot.html")]
struct ForgotPage {
    t: Tr,
    c: Chrome,
    enabled: bool,
}

fn forgot_page(state: &AppState, v: &Visitor) -> Response {
    let page = ForgotPage {
        t: v.t,
        c: Chrome::new(state, v, v.t.s("forgot-title")),
        enabled: state.config.email.enabled(),
    };
    html(StatusCode::OK, &page)
}

pub async fn get_forgot(State(state): State<AppState>, v: Visitor) -> Response {
    forgot_page(&state, &v)
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// Mails a reset link if the address is an account's; the same page either way.
pub async fn post_forgot(
    State(state): State<AppState>,
    posted: Posted<ForgotForm>,
) -> AppResult<Response> {
    let Posted { visitor: v, form } = posted;
    if !state.config.email.enabled() {
        return Ok(forgot_page(&state, &v));
    }
    reset::request_reset(&state, &form.email).await?;
    Ok(notice(
        &state,
        &v,
        v.t.s("forgot-sent-title"),
        vec![v.t.s("forgot-sent-text")],
        Some(("/", v.t.s("error-home"))),
    ))
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    t: Tr,
    c: Chrome,
    token: String,
}

pub async fn get_reset(
    State(state): State<AppState>,
    v: Visitor,
    Path(token): Path<String>,
) -> AppResult<Response> {
    if !reset::reset_link_valid(&state, &token).await? {
        return Err(account::expired());
    }
    let page = ResetPage {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.s("reset-title")),
        token,
    };
    Ok(html(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirmation: String,
}

/// Sets the new password (signing out everywhere); the person then signs in.
pub async fn post_reset(
    State(state): State<AppState>,
    Path(token): Path<String>,
    posted: Posted<ResetForm>,
) -> AppResult<Response> {
    let Posted { visitor: v, form } = posted;
    if form.password != form.confirmation {
        return Err(AppError::unprocessable(
            "The new password and its confirmation differ",
        ));
    }
    reset::reset_password(&state, &token, &form.password).await?;
    // Every session of the account ended: this page is a signed-out one.
    let v = Visitor::nobody(v.t);
    Ok(notice(
        &state,
        &v,
        v.t.s("reset-done-title"),
        vec![v.t.s("reset-done-text")],
        Some(onwards(&v)),
    ))
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    t: Tr,
    c: Chrome,
    kind: String,
    action: String,
}

/// What a kind of mail is called, in a sentence.
pub fn kind_name(t: &Tr, category: settings::Category) -> String {
    t.s(&format!(
        "email-kind-{}",
        category.as_str().replace('_', "-")
    ))
}

/// The page of an unsubscribe link: says what it stops and asks for a click
/// (link checkers open links; only the button's POST unsubscribes).
pub async fn get_unsubscribe(
    State(state): State<AppState>,
    v: Visitor,
    Path((key, category)): Path<(String, String)>,
) -> AppResult<Response> {
    let category = settings::check_link(&state, &key, &category).await?;
    let page = UnsubscribePage {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.s("unsubscribe-title")),
        kind: kind_name(&v.t, category),
        action: format!(
            "/email/unsubscribe/{}/{}",
            crate::web::page::urlencode(&key),
            category.as_str()
        ),
    };
    Ok(html(StatusCode::OK, &page))
}

/// Unsubscribes: from the page's button, or a mail provider's one-click POST
/// (RFC 8058: `List-Unsubscribe=One-Click`, no cookie, no form token). The key
/// in the URL is the authorisation; the body is not read beyond its limit.
pub async fn post_unsubscribe(
    State(state): State<AppState>,
    v: Visitor,
    Path((key, category)): Path<(String, String)>,
    _body: Bytes,
) -> AppResult<Response> {
    let category = settings::unsubscribe(&state, &key, &category).await?;
    let kind = kind_name(&v.t, category);
    Ok(notice(
        &state,
        &v,
        v.t.s("unsubscribe-done-title"),
        vec![
            v.t.v("unsubscribe-done-text", "kind", &kind),
            v.t.s("unsubscribe-settings"),
        ],
        Some(("/settings", v.t.s("nav-settings"))),
    ))
}
