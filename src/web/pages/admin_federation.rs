//! `/admin/federation`: the federation mode, the allow, block and partner lists
//! (entries from config.toml are fixed, an administrator's are removable), and
//! the delivery queue per server with a retry.

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};
use serde::Deserialize;

use crate::{
    config::FederationMode,
    error::AppResult,
    service::{administration, federation_lists, instance_settings},
    state::AppState,
    web::{
        cards::when,
        form::Posted,
        i18n::Tr,
        page::{Chrome, back_to, html},
        visitor::Visitor,
    },
};

pub struct EntryRow {
    pub list: &'static str,
    pub label: String,
    pub pattern: String,
    pub from_config: bool,
}

pub struct DestinationRow {
    pub domain: String,
    pub pending: i64,
    pub oldest: String,
}

pub struct ModeChoice {
    pub value: &'static str,
    pub label: String,
    pub help: String,
    pub current: bool,
}

fn modes(t: Tr, current: FederationMode) -> Vec<ModeChoice> {
    [
        (
            FederationMode::Open,
            "open",
            t.s("federation-mode-open"),
            t.s("federation-mode-open-help"),
        ),
        (
            FederationMode::Allowlist,
            "allowlist",
            t.s("federation-mode-allowlist"),
            t.s("federation-mode-allowlist-help"),
        ),
        (
            FederationMode::Closed,
            "closed",
            t.s("federation-mode-closed"),
            t.s("federation-mode-closed-help"),
        ),
    ]
    .into_iter()
    .map(|(mode, value, label, help)| ModeChoice {
        value,
        label,
        help,
        current: mode == current,
    })
    .collect()
}

#[derive(Template)]
#[template(path = "admin_federation.html")]
struct FederationPage {
    t: Tr,
    c: Chrome,
    modes: Vec<ModeChoice>,
    entries: Vec<EntryRow>,
    destinations: Vec<DestinationRow>,
    failing: i64,
    unreachable: i64,
    inbound_pending: i64,
    inbound_failed: i64,
}

pub async fn get_federation(State(state): State<AppState>, v: Visitor) -> AppResult<Response> {
    v.require_admin()?;
    let q = administration::queue(&state).await?;
    let entries = state
        .policy
        .entries()
        .into_iter()
        .map(|e| EntryRow {
            list: e.list.as_str(),
            label: v.t.s(&format!("list-{}", e.list.as_str())),
            pattern: e.pattern,
            from_config: e.from_config,
        })
        .collect();
    let page = FederationPage {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.s("admin-federation")),
        modes: modes(v.t, state.policy.mode()),
        entries,
        destinations: q
            .destinations
            .into_iter()
            .map(|(domain, pending, oldest)| DestinationRow {
                domain,
                pending,
                oldest: when(oldest),
            })
            .collect(),
        failing: q.totals.failing,
        unreachable: q.totals.unreachable,
        inbound_pending: q.inbound_pending,
        inbound_failed: q.inbound_failed,
    };
    Ok(html(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct ListForm {
    #[serde(default)]
    list: String,
    #[serde(default)]
    domain: String,
    #[serde(default)]
    remove: bool,
}

pub async fn post_list(
    State(state): State<AppState>,
    posted: Posted<ListForm>,
) -> AppResult<Response> {
    posted.visitor.require_admin()?;
    let f = &posted.form;
    if f.remove {
        federation_lists::remove(&state, &f.list, &f.domain).await?;
    } else {
        federation_lists::add(&state, &f.list, &f.domain).await?;
    }
    Ok(back_to("/admin/federation"))
}

#[derive(Deserialize)]
pub struct ModeForm {
    #[serde(default)]
    mode: String,
}

pub async fn post_mode(
    State(state): State<AppState>,
    posted: Posted<ModeForm>,
) -> AppResult<Response> {
    let (user, _) = posted.visitor.require_admin()?;
    instance_settings::set_federation_mode(&state, user, &posted.form.mode).await?;
    Ok(back_to("/admin/federation"))
}

#[derive(Deserialize)]
pub struct RetryForm {
    #[serde(default)]
    domain: String,
}

pub async fn post_retry(
    State(state): State<AppState>,
    posted: Posted<RetryForm>,
) -> AppResult<Response> {
    posted.visitor.require_admin()?;
    administration::retry(&state, &posted.form.domain).await?;
    Ok(back_to("/admin/federation"))
}
