//! What a community's owner changes after creation: its visibility, and the
//! servers a `partners` community is opened to beyond the instance's partners.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::communities::{community, entity};
use crate::{
    api::{auth::Auth, extract::Body},
    error::{AppError, AppResult},
    model::visibility::CommunityVisibility,
    service::communities,
    state::AppState,
};

#[derive(Debug, Deserialize)]
pub struct CommunityChanges {
    visibility: Option<String>,
    description: Option<String>,
}

pub async fn update_community(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(changes): Body<CommunityChanges>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:accounts")?.clone();
    let mut c = community(&state, &id, Some(&me)).await?;
    if let Some(v) = changes.visibility.as_deref() {
        let visibility: CommunityVisibility = v.parse().map_err(|e: String| {
            AppError::unprocessable(format!("Validation failed: visibility {e}"))
        })?;
        let updated = communities::set_visibility(&state, &me, &c, visibility).await?;
        c = updated;
    }
    if let Some(d) = changes.description.as_deref() {
        c = communities::describe(&state, &me, &c, d).await?;
    }
    Ok(Json(entity(&state, &c, Some(&me)).await?))
}

pub async fn list_partners(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<Value>>> {
    let (_, me) = auth.user_with("read:accounts")?.clone();
    let c = community(&state, &id, Some(&me)).await?;
    let list = communities::partner_domains(&state, &me, &c).await?;
    Ok(Json(
        list.into_iter().map(|d| json!({ "domain": d })).collect(),
    ))
}

#[derive(Debug, Deserialize)]
pub struct PartnerForm {
    domain: String,
}

pub async fn add_partner(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(form): Body<PartnerForm>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let (_, me) = auth.user_with("write:accounts")?.clone();
    let c = community(&state, &id, Some(&me)).await?;
    let domain = communities::set_partner_domain(&state, &me, &c, &form.domain, true).await?;
    Ok((StatusCode::CREATED, Json(json!({ "domain": domain }))))
}

pub async fn remove_partner(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, domain)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:accounts")?.clone();
    let c = community(&state, &id, Some(&me)).await?;
    let domain = communities::set_partner_domain(&state, &me, &c, &domain, false).await?;
    Ok(Json(json!({ "domain": domain, "removed": true })))
}
