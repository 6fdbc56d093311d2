//! `/settings`: the reader's language, profile, password and e-mail (see
//! `settings_email`), and where they are signed in (browser sessions and
//! authorised apps), with revocation.

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};
use serde::Deserialize;

use super::PageQuery;
use crate::{
    api::extract::Query,
    error::{AppError, AppResult},
    service::{account_life, profile, secrets, web_sessions},
    state::AppState,
    web::{
        cards::when,
        form::Posted,
        i18n::{Lang, Tr},
        page::{Chrome, back_to, html},
        visitor::Visitor,
    },
};

/// A browser session or an app, as the list shows it.
pub struct AccessRow {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub last_used_at: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    t: Tr,
    c: Chrome,
    notice: Option<String>,
    languages: Vec<(&'static str, &'static str)>,
    display_name: String,
    note: String,
    avatar: String,
    header: Option<String>,
    /// Four rows `(number, name, value)`, blank ones to fill.
    fields: Vec<(usize, String, String)>,
    directory: Vec<super::settings_profile::DirectoryInput>,
    sessions: Vec<AccessRow>,
    apps: Vec<AccessRow>,
    email: super::settings_email::EmailSection,
}

pub async fn get_settings(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let (user, me) = v.require()?;
    let access = web_sessions::access_of(&state, user.id).await?;
    let current = v.secret().map(secrets::digest).unwrap_or_default();
    let sessions = access
        .sessions
        .iter()
        .map(|s| AccessRow {
            id: s.id.to_string(),
            name: String::new(),
            created_at: when(Some(s.created_at)),
            last_used_at: when(s.last_used_at),
            current: s.token_hash == current,
        })
        .collect();
    let apps = access
        .apps
        .iter()
        .map(|(app, tokens)| AccessRow {
            id: tokens
                .iter()
                .map(|t| t.id.to_string())
                .collect::<Vec<_>>()
                .join(","),
            name: app.name.clone(),
            created_at: when(tokens.iter().map(|t| t.created_at).min()),
            last_used_at: when(tokens.iter().filter_map(|t| t.last_used_at).max()),
            current: false,
        })
        .collect();
    let notice = match q.saved.as_deref() {
        Some("profile") => Some(v.t.s("saved-profile")),
        Some("password") => Some(v.t.s("saved-password")),
        Some("revoked") => Some(v.t.s("saved-revoked")),
        Some("email") => Some(v.t.s("saved-email")),
        Some("confirmation") => Some(v.t.s("saved-confirmation")),
        _ => None,
    };
    let page = SettingsPage {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.s("settings-title")),
        notice,
        languages: Lang::ALL.iter().map(|l| (l.code(), l.name())).collect(),
        display_name: me.display_name.clone(),
        note: me.note_source.clone(),
        avatar: crate::web::cards::ActorRef::of(&state, me).avatar,
        header: me.header_url.clone(),
        fields: field_rows(me),
        directory: super::settings_profile::directory_inputs(&state, &v.t, me).await?,
        sessions,
        apps,
        email: super::settings_email::section(&state, &v.t, user).await?,
    };
    Ok(html(StatusCode::OK, &page))
}

fn field_rows(me: &crate::db::actors::Actor) -> Vec<(usize, String, String)> {
    let mut sources = me.field_sources().into_iter();
    (0..profile::MAX_FIELDS)
        .map(|i| {
            let (n, v) = sources.next().unwrap_or_default();
            (i, n, v)
        })
        .collect()
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirmation: String,
}

pub async fn post_password(
    State(state): State<AppState>,
    posted: Posted<PasswordForm>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (user, _) = visitor.require()?;
    if form.password != form.confirmation {
        return Err(AppError::unprocessable(
            "The new password and its confirmation differ",
        ));
    }
    account_life::change_password(&state, user, &form.current_password, &form.password).await?;
    Ok(back_to("/settings?saved=password"))
}

#[derive(Deserialize)]
pub struct RevokeForm {
    /// Token ids, comma-separated (an app's tokens), or `others`: every other session.
    #[serde(default)]
    tokens: String,
}

pub async fn post_revoke(
    State(state): State<AppState>,
    posted: Posted<RevokeForm>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (user, _) = visitor.require()?;
    let ids: Vec<i64> = if form.tokens == "others" {
        let current = visitor.secret().map(secrets::digest).unwrap_or_default();
        web_sessions::access_of(&state, user.id)
            .await?
            .sessions
            .into_iter()
            .filter(|s| s.token_hash != current)
            .map(|s| s.id)
            .collect()
    } else {
        form.tokens
            .split(',')
            .filter_map(|t| t.trim().parse().ok())
            .collect()
    };
    web_sessions::revoke(&state, user.id, ids).await?;
    Ok(back_to("/settings?saved=revoked"))
}
