//! `/settings`, its "E-mail" section: the address (confirmed or not, changed
//! through a link to the new one) and which mail one wants (alerts, digest).

use std::collections::HashMap;

use axum::{extract::State, response::Response};
use serde::Deserialize;

use super::email_links::{kind_name, notice};
use crate::{
    db::users::User,
    error::{AppError, AppResult},
    service::mail::{
        account,
        settings::{self, Category, DIGESTS},
    },
    state::AppState,
    web::{
        form::{NoFields, Posted},
        i18n::Tr,
        page::back_to,
    },
};

/// An alert's checkbox.
pub struct AlertChoice {
    pub name: &'static str,
    pub label: String,
    pub on: bool,
}

/// What the section shows.
pub struct EmailSection {
    /// Whether mail is set up on this server (else: no address forms).
    pub enabled: bool,
    pub address: String,
    pub confirmed: bool,
    pub alerts: Vec<AlertChoice>,
    /// The digest's options: `(value, label, selected)`.
    pub digests: Vec<(&'static str, String, bool)>,
}

pub async fn section(state: &AppState, t: &Tr, user: &User) -> AppResult<EmailSection> {
    let s = settings::of_user(state, user.id).await?;
    let alerts = Category::ALERTS
        .into_iter()
        .map(|c| AlertChoice {
            name: c.as_str(),
            label: kind_name(t, c),
            on: c.wanted(&s),
        })
        .collect();
    let digests = DIGESTS
        .into_iter()
        .map(|d| (d, t.s(&format!("email-digest-{d}")), s.digest == d))
        .collect();
    Ok(EmailSection {
        enabled: state.config.email.enabled(),
        address: user.email.clone(),
        confirmed: user.email_confirmed_at.is_some(),
        alerts,
        digests,
    })
}

/// Mails the confirmation link of the current address again.
pub async fn post_resend(
    State(state): State<AppState>,
    posted: Posted<NoFields>,
) -> AppResult<Response> {
    let (user, _) = posted.visitor.require()?;
    if !state.config.email.enabled() {
        return Err(mail_off());
    }
    if user.email_confirmed_at.is_none() {
        account::send_confirmation(&state, user, &user.email).await?;
    }
    Ok(back_to("/settings?saved=confirmation"))
}

fn mail_off() -> AppError {
    AppError::unprocessable(
        "E-mail is not set up on this server: ask an administrator to change your address",
    )
}

#[derive(Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// Asks to change the address: it changes once the link mailed to it is opened.
pub async fn post_change(
    State(state): State<AppState>,
    posted: Posted<ChangeForm>,
) -> AppResult<Response> {
    let v = &posted.visitor;
    let (user, _) = v.require()?;
    let f = &posted.form;
    account::change_email(&state, user, &f.password, &f.email).await?;
    let email = f.email.trim().to_ascii_lowercase();
    Ok(notice(
        &state,
        v,
        v.t.s("email-change-sent-title"),
        vec![v.t.v("email-change-sent-text", "email", &email)],
        Some(("/settings", v.t.s("email-back-settings"))),
    ))
}

/// Saves the alerts (a checkbox each, named after its kind) and the digest.
pub async fn post_preferences(
    State(state): State<AppState>,
    posted: Posted<HashMap<String, String>>,
) -> AppResult<Response> {
    let (user, _) = posted.visitor.require()?;
    let form = posted.form;
    let mut s = settings::of_user(&state, user.id).await?;
    for c in Category::ALERTS {
        c.set(&mut s, form.contains_key(c.as_str()));
    }
    s.digest = form.get("digest").cloned().unwrap_or_else(|| "off".into());
    settings::save(&state, s).await?;
    Ok(back_to("/settings?saved=email"))
}
