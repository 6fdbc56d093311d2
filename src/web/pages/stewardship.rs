//! What the owner of a community changes from its moderation page: description,
//! visibility, partner servers, moderators.

use axum::{
    extract::{Path, State},
    response::Response,
};
use serde::Deserialize;

use super::moderation::moderated;
use crate::{
    error::{AppError, AppResult},
    model::visibility::CommunityVisibility,
    service::{communities, people},
    state::AppState,
    web::{form::Posted, page::back_to},
};

fn back(handle: &str) -> Response {
    back_to(&format!("/communities/{handle}/moderation"))
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    description: String,
    #[serde(default)]
    visibility: String,
}

pub async fn post_settings(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    posted: Posted<SettingsForm>,
) -> AppResult<Response> {
    let (mut community, _) = moderated(&state, &posted.visitor, &handle).await?;
    let (_, me) = posted.visitor.require()?;
    let visibility: CommunityVisibility = posted
        .form
        .visibility
        .parse()
        .map_err(|e: String| AppError::unprocessable(format!("Visibility {e}")))?;
    if community.visibility != visibility.as_str() {
        community = communities::set_visibility(&state, me, &community, visibility).await?;
    }
    if community.note_source != posted.form.description {
        communities::describe(&state, me, &community, &posted.form.description).await?;
    }
    Ok(back(&handle))
}

#[derive(Deserialize)]
pub struct PartnerForm {
    #[serde(default)]
    domain: String,
    #[serde(default)]
    remove: bool,
}

pub async fn post_partner(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    posted: Posted<PartnerForm>,
) -> AppResult<Response> {
    let (community, _) = moderated(&state, &posted.visitor, &handle).await?;
    let (_, me) = posted.visitor.require()?;
    let f = &posted.form;
    communities::set_partner_domain(&state, me, &community, &f.domain, !f.remove).await?;
    Ok(back(&handle))
}

#[derive(Deserialize)]
pub struct ModeratorForm {
    #[serde(default)]
    account: String,
    #[serde(default)]
    remove: bool,
}

#[derive(Deserialize)]
pub struct OwnerForm {
    #[serde(default)]
    account: String,
}

/// The owner hands the community over (and stays a moderator).
pub async fn post_owner(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    posted: Posted<OwnerForm>,
) -> AppResult<Response> {
    let (community, _) = moderated(&state, &posted.visitor, &handle).await?;
    let (_, me) = posted.visitor.require()?;
    let person = people::by_handle(&state, posted.form.account.trim()).await?;
    crate::service::stewardship::transfer(
        &state,
        &community,
        person.id,
        crate::service::stewardship::Handover::Owner(me),
    )
    .await?;
    state.wake_delivery();
    Ok(back(&handle))
}

pub async fn post_moderator(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    posted: Posted<ModeratorForm>,
) -> AppResult<Response> {
    let (community, _) = moderated(&state, &posted.visitor, &handle).await?;
    let (_, me) = posted.visitor.require()?;
    let f = &posted.form;
    let person = people::by_handle(&state, &f.account).await?;
    communities::set_moderator(&state, me, &community, person.id, !f.remove).await?;
    Ok(back(&handle))
}
