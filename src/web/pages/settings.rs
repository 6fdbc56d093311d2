//! `/settings`: the reader's language and profile.

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};
use serde::Deserialize;

use crate::{
    error::AppResult,
    service::profile::{self, ProfileUpdate},
    state::AppState,
    web::{
        form::Posted,
        i18n::{Lang, Tr},
        page::{Chrome, back_to, html},
        visitor::Visitor,
    },
};

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    t: Tr,
    c: Chrome,
    notice: Option<String>,
    languages: Vec<(&'static str, &'static str)>,
    display_name: String,
    note: String,
}

pub async fn get_settings(State(state): State<AppState>, v: Visitor) -> AppResult<Response> {
    let (_, me) = v.require()?;
    let page = SettingsPage {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.s("settings-title")),
        notice: None,
        languages: Lang::ALL.iter().map(|l| (l.code(), l.name())).collect(),
        display_name: me.display_name.clone(),
        note: me.note_source.clone(),
    };
    Ok(html(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct ProfileForm {
    display_name: Option<String>,
    note: Option<String>,
}

pub async fn post_profile(
    State(state): State<AppState>,
    posted: Posted<ProfileForm>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (_, me) = visitor.require()?;
    let update = ProfileUpdate {
        display_name: form.display_name,
        note: form.note,
        ..ProfileUpdate::default()
    };
    profile::update(&state, me, update).await?;
    Ok(back_to("/settings"))
}
