//! Reports (`POST /api/v1/reports`).

use axum::{Json, extract::State};
use serde::Deserialize;
use serde_json::Value;

use super::entities::report::report;
use crate::{
    api::{
        auth::Auth,
        extract::{Body, lenient_bool},
    },
    db,
    error::{AppResult, invalid_field},
    service::reports::{self, NewReport},
    state::AppState,
};

#[derive(Deserialize, Default)]
pub struct ReportForm {
    account_id: Option<String>,
    #[serde(default)]
    status_ids: Vec<String>,
    #[serde(default)]
    comment: String,
    category: Option<String>,
    #[serde(default)]
    rule_ids: Vec<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    forward: Option<bool>,
}

fn ids(field: &str, values: &[String]) -> AppResult<Vec<i64>> {
    values
        .iter()
        .map(|v| v.parse().map_err(|_| invalid_field(field, "must be ids")))
        .collect()
}

pub async fn create_report(
    State(state): State<AppState>,
    auth: Auth,
    Body(form): Body<ReportForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:reports")?.clone();
    let account_id = form
        .account_id
        .as_deref()
        .ok_or_else(|| invalid_field("account_id", "can't be blank"))?
        .parse::<i64>()
        .map_err(|_| invalid_field("account_id", "is not an account"))?;
    let row = reports::create(
        &state,
        &me,
        NewReport {
            account_id,
            status_ids: ids("status_ids", &form.status_ids)?,
            comment: form.comment,
            category: form.category,
            rule_ids: ids("rule_ids", &form.rule_ids)?,
            forward: form.forward.unwrap_or(false),
        },
    )
    .await?;
    let target = state
        .db
        .run(move |c| Ok(db::actors::by_id(c, account_id)?))
        .await?;
    Ok(Json(report(&state, &row, &target)))
}
