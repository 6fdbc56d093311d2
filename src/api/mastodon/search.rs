//! `GET /api/v2/search`: accounts (people and communities), statuses, hashtags;
//! `resolve=true` fetches a remote `@name@domain` or URL.

use axum::{Json, extract::State};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{entities::account, statuses::render};
use crate::{
    api::{
        auth::Auth,
        extract::{Query, lenient_bool},
    },
    db::{self, actors::Actor, statuses::Status},
    error::{AppError, AppResult},
    service::{
        resolve::{Resolved, resolve},
        statuses,
    },
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
    // Fetching remote objects is for signed-in users only, as on Mastodon.
    let fetch = q.resolve.unwrap_or(false) && me.is_some();
    let (mut found_actors, mut found_statuses) =
        resolved(&state, &text, fetch, me.as_ref()).await?;
    let offset = q
        .offset
        .and_then(|o| o.parse::<i64>().ok())
        .unwrap_or(0)
        .clamp(0, 10_000);
    // Full text; anonymous readers find public statuses only.
    if found_statuses.is_empty() && wants("statuses") {
        let (words, viewer) = (text.clone(), me.as_ref().map(|m| m.id));
        found_statuses = state
            .db
            .run(move |c| Ok(db::search::statuses(c, &words, viewer, limit, offset)?))
            .await?;
    }
    let pattern = format!(
        "%{}%",
        text.trim_start_matches(['@', '#']).replace(['%', '_'], "")
    );
    if found_actors.is_empty() && wants("accounts") {
        let p = pattern.to_lowercase();
        found_actors = state
            .db
            .run(move |c| Ok(db::actors::search_accounts(c, &p, limit)?))
            .await?;
    }
    let accounts = account_entities(&state, found_actors, me.as_ref()).await?;
    let hashtags = if wants("hashtags") {
        hashtags(&state, &pattern, limit).await?
    } else {
        vec![]
    };
    Ok(Json(json!({
        "accounts": if wants("accounts") { accounts } else { vec![] },
        "statuses": if wants("statuses") { render(&state, found_statuses, me.as_ref()).await? } else { vec![] },
        "hashtags": hashtags,
    })))
}

/// What `text` names, if it is a handle or URL (fetched when `fetch`): an
/// account, or a status the reader may see.
async fn resolved(
    state: &AppState,
    text: &str,
    fetch: bool,
    me: Option<&Actor>,
) -> AppResult<(Vec<Actor>, Vec<Status>)> {
    Ok(match resolve(state, text, fetch).await? {
        Some(Resolved::Actor(a)) => (vec![*a], vec![]),
        Some(Resolved::Status(s)) if statuses::visible(state, s.id, me).await.is_ok() => {
            (vec![], vec![*s])
        }
        Some(Resolved::Status(_)) | None => (vec![], vec![]),
    })
}

/// The accounts found as entities; internal communities only for local users.
async fn account_entities(
    state: &AppState,
    found: Vec<Actor>,
    me: Option<&Actor>,
) -> AppResult<Vec<account::Account>> {
    let local_user = me.is_some_and(|m| m.local);
    let found: Vec<Actor> = found
        .into_iter()
        .filter(|a| local_user || a.visibility != "internal")
        .collect();
    let ids: Vec<i64> = found.iter().map(|a| a.id).collect();
    let counts = state
        .db
        .run(move |c| Ok(db::actors::counts_of(c, &ids)?))
        .await?;
    Ok(found
        .iter()
        .map(|a| account::from_actor(state, a, counts.get(&a.id).copied().unwrap_or_default()))
        .collect())
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
