//! `/admin`: the instance's settings (name, description, logo, accent colour,
//! rules, default language, registration), changed at runtime, and the reports.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use serde::Deserialize;

use super::PageQuery;
use crate::{
    api::extract::Query,
    config::RegistrationMode,
    error::{AppError, AppResult},
    service::{instance_settings, reports},
    state::AppState,
    web::{
        cards::ReportCard,
        form::{NoFields, Posted},
        i18n::Tr,
        page::{Chrome, back_to, html},
        visitor::Visitor,
    },
};

#[derive(Template)]
#[template(path = "admin_settings.html")]
struct SettingsPage {
    t: Tr,
    c: Chrome,
    notice: Option<String>,
    name: String,
    description: String,
    contact_email: String,
    logo_url: String,
    accent_color: String,
    default_language: String,
    rules: String,
    registration: &'static str,
    registrations: Vec<(&'static str, String)>,
}

pub async fn get_admin(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    v.require_admin()?;
    let s = state.instance();
    let page = SettingsPage {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.s("admin-title")),
        notice: q.saved.is_some().then(|| v.t.s("saved-settings")),
        name: s.name.clone(),
        description: s.description.clone(),
        contact_email: s.contact_email.clone(),
        logo_url: s.logo_url.clone().unwrap_or_default(),
        accent_color: s.accent_color.clone(),
        default_language: s.default_language.clone(),
        rules: s.rules.join("\n"),
        registration: match s.registration {
            RegistrationMode::Open => "open",
            RegistrationMode::Invite => "invite",
            RegistrationMode::Closed => "closed",
        },
        registrations: ["closed", "invite", "open"]
            .into_iter()
            .map(|m| (m, v.t.s(&format!("registration-mode-{m}"))))
            .collect(),
    };
    Ok(html(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    contact_email: String,
    #[serde(default)]
    logo_url: String,
    #[serde(default)]
    accent_color: String,
    #[serde(default)]
    default_language: String,
    /// One rule per line.
    #[serde(default)]
    rules: String,
    #[serde(default)]
    registration: String,
}

pub async fn post_settings(
    State(state): State<AppState>,
    posted: Posted<SettingsForm>,
) -> AppResult<Response> {
    let (user, _) = posted.visitor.require_admin()?;
    let f = posted.form;
    let change = instance_settings::Change {
        name: f.name,
        description: f.description,
        contact_email: f.contact_email,
        logo_url: f.logo_url,
        accent_color: f.accent_color,
        default_language: f.default_language,
        rules: f.rules.lines().map(str::to_string).collect(),
        registration: f.registration,
    };
    instance_settings::update(&state, user, change).await?;
    Ok(back_to("/admin?saved=settings"))
}

#[derive(Template)]
#[template(path = "admin_reports.html")]
struct ReportsPage {
    t: Tr,
    c: Chrome,
    reports: Vec<ReportCard>,
}

pub async fn get_reports(State(state): State<AppState>, v: Visitor) -> AppResult<Response> {
    v.require_admin()?;
    let reports = reports::list(&state, None, false)
        .await?
        .iter()
        .map(|r| ReportCard::of(&state, r))
        .collect();
    let page = ReportsPage {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.s("admin-reports")),
        reports,
    };
    Ok(html(StatusCode::OK, &page))
}

pub async fn post_resolve(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<NoFields>,
) -> AppResult<Response> {
    let (_, me) = posted.visitor.require_admin()?;
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    reports::resolve(&state, me, true, id).await?;
    Ok(back_to("/admin/reports"))
}
