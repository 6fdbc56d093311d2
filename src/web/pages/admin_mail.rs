//! `/admin/mail`: whether mail is on, how much waits for the relay, and what
//! the relay refused (with its answer), each with a button to send it again.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};

use crate::{
    error::{AppError, AppResult},
    service::mail::failures,
    state::AppState,
    web::{
        cards::when,
        form::{NoFields, Posted},
        i18n::Tr,
        page::{Chrome, back_to, html},
        visitor::Visitor,
    },
};

/// A refused message, as the page lists it.
pub struct FailureRow {
    pub id: String,
    pub recipient: String,
    pub kind: String,
    pub subject: String,
    pub error: String,
    pub failed_at: String,
}

#[derive(Template)]
#[template(path = "admin_mail.html")]
struct MailPage {
    t: Tr,
    c: Chrome,
    enabled: bool,
    waiting: i64,
    failed: i64,
    failures: Vec<FailureRow>,
}

pub async fn get_mail(State(state): State<AppState>, v: Visitor) -> AppResult<Response> {
    v.require_admin()?;
    let o = failures::overview(&state).await?;
    let page = MailPage {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.s("admin-mail")),
        enabled: o.enabled,
        waiting: o.waiting,
        failed: o.failed,
        failures: o
            .failures
            .into_iter()
            .map(|m| FailureRow {
                id: m.id.to_string(),
                recipient: m.recipient,
                kind: m.kind,
                subject: m.subject,
                error: m.last_error.unwrap_or_default(),
                failed_at: when(m.failed_at),
            })
            .collect(),
    };
    Ok(html(StatusCode::OK, &page))
}

pub async fn post_retry(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<NoFields>,
) -> AppResult<Response> {
    posted.visitor.require_admin()?;
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    failures::retry(&state, id).await?;
    Ok(back_to("/admin/mail"))
}
