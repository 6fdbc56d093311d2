//! `GET /api/v2/search`: accounts (people and communities), statuses, hashtags;
//! `resolve=true` fetches a remote `@name@domain` or URL.

use axum::{Json, extract::State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::entities::account;
use crate::{
    api::{
        auth::Auth,
        extract::{Query, lenient_bool},
    },
    db,
    error::{AppError, AppResult},
    service::search,
    state::AppState,
};

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    resolve: Option<bool>,
    limit: Option<String>,
    offset: Option<String>,
}

pub async fn search(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Query(q): Query<SearchQuery>,
) -> AppResult<Json<Value>> {
    let me = Auth::viewer(&auth);
    if let Some(a) = &auth {
        a.require("read:search")?;
    }
    let text = q.q.unwrap_or_default().trim().to_string();
    if text.is_empty() {
        return Err(AppError::bad_request("Missing parameter: q"));
    }
    let limit = q
        .limit
        .and_then(|l| l.parse::<i64>().ok())
        .unwrap_or(20)
        .clamp(1, 40);
    let kind = q.kind.unwrap_or_default();
    let wants = |k: &str| kind.is_empty() || kind == k;
    let offset = q
        .offset
        .and_then(|o| o.parse::<i64>().ok())
        .unwrap_or(0)
        .clamp(0, 10_000);
    let found = search::search(
        &state,
        me.as_ref(),
        search::Request {
            text: text.clone(),
            accounts: wants("accounts"),
            statuses: wants("statuses"),
            fetch: q.resolve.unwrap_or(false),
            limit,
            offset,
        },
    )
    .await?;
    let hashtags = if wants("hashtags") {
        hashtags(&state, &search::like_pattern(&text), limit).await?
    } else {
        vec![]
    };
    let ids: Vec<i64> = found.accounts.iter().map(|a| a.id).collect();
    let counts = state
        .db
        .run(move |c| Ok(db::actors::counts_of(c, &ids)?))
        .await?;
    let accounts: Vec<account::Account> = found
        .accounts
        .iter()
        .map(|a| account::from_actor(&state, a, counts.get(&a.id).copied().unwrap_or_default()))
        .collect();
    Ok(Json(json!({
        "accounts": accounts,
        "statuses": super::statuses::entities(&state, &found.statuses),
        "hashtags": hashtags,
    })))
}

/// Tags whose name is like `pattern`, as entities.
async fn hashtags(state: &AppState, pattern: &str, limit: i64) -> AppResult<Vec<Value>> {
    let p = pattern.to_lowercase();
    let names = state
        .db
        .run(move |c| Ok(db::tags::names_like(c, &p, limit)?))
        .await?;
    Ok(names
        .into_iter()
        .map(|n| super::entities::tag::tag(state.urls.base(), &n, None))
        .collect())
}

#[derive(Deserialize)]
pub struct AccountSearchQuery {
    q: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    resolve: Option<bool>,
    limit: Option<String>,
    offset: Option<String>,
}

/// `GET /api/v1/accounts/search`: the accounts part of the search above.
pub async fn search_accounts(
    state: State<AppState>,
    auth: Auth,
    Query(q): Query<AccountSearchQuery>,
) -> AppResult<Json<Value>> {
    auth.require("read:accounts")?;
    let query = SearchQuery {
        q: q.q,
        kind: Some("accounts".into()),
        resolve: q.resolve,
        limit: q.limit,
        offset: q.offset,
    };
    let Json(mut found) = search(state, Some(auth), Query(query)).await?;
    Ok(Json(found["accounts"].take()))
}
