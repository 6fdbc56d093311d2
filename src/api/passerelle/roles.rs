//! Administrators give and take instance roles: the ambassador badge and the
//! administrator role (`POST` gives, `DELETE` takes).

use axum::{
    Json,
    extract::{Path, State},
    http::Method,
};
use serde_json::{Value, json};

use crate::{
    api::{auth::Auth, id_path::parse_id},
    error::AppResult,
    service::roles,
    state::AppState,
};

/// `POST|DELETE /api/passerelle/v1/admin/accounts/:id/ambassador`
pub async fn ambassador(
    State(state): State<AppState>,
    method: Method,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let (user, _) = auth.admin_with("admin:write")?;
    let (_, target) = roles::local_person(&state, parse_id(&id)?).await?;
    let on = method == Method::POST;
    roles::set_ambassador(&state, user, &target, on).await?;
    Ok(Json(
        json!({ "id": target.id.to_string(), "ambassador": on }),
    ))
}

/// `POST|DELETE /api/passerelle/v1/admin/accounts/:id/admin`
pub async fn admin(
    State(state): State<AppState>,
    method: Method,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let (user, _) = auth.admin_with("admin:write")?;
    let (_, target) = roles::local_person(&state, parse_id(&id)?).await?;
    let on = method == Method::POST;
    roles::set_admin(&state, user, &target, on).await?;
    Ok(Json(json!({ "id": target.id.to_string(), "admin": on })))
}
