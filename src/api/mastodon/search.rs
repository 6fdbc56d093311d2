//! `GET /api/v2/search`: accounts (people and communities), statuses, hashtags;
//! `resolve=true` fetches a remote `@name@domain` or URL.

use axum::{Json, extract::State};
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{entities::account, statuses::render};
use crate::{
    api::{
        auth::Auth,
        extract::{Query, lenient_bool},
    },
    db::{
        self,
        actors::Actor,
        schema::{actors, tags},
    },
    error::{AppError, AppResult},
    model::actor::ActorKind,
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
    // Fetching remote objects is for signed-in users only, as on Mastodon.
    let fetch = q.resolve.unwrap_or(false) && me.is_some();
    let mut found_actors: Vec<Actor> = Vec::new();
    let mut found_statuses = Vec::new();
    match resolve(&state, &text, fetch).await? {
        Some(Resolved::Actor(a)) => found_actors.push(*a),
        Some(Resolved::Status(s)) if statuses::visible(&state, s.id, me.as_ref()).await.is_ok() => {
            found_statuses.push(*s);
        }
        Some(Resolved::Status(_)) => {}
        None => {}
    }
    let offset = q
        .offset
        .and_then(|o| o.parse::<i64>().ok())
        .unwrap_or(0)
        .clamp(0, 10_000);
    // Full text; anonymous readers find public statuses only.
    if found_statuses.is_empty() && (kind.is_empty() || kind == "statuses") {
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
    if found_actors.is_empty() && (kind.is_empty() || kind == "accounts") {
        let p = pattern.clone();
        found_actors = state
            .db
            .run(move |c| {
                Ok(actors::table
                    .filter(actors::kind.ne(ActorKind::Application.as_str()))
                    .filter(
                        db::actors::lower(actors::name)
                            .like(p.to_lowercase())
                            .or(db::actors::lower(actors::display_name).like(p.to_lowercase())),
                    )
                    .order(actors::local.desc())
                    .limit(limit)
                    .select(Actor::as_select())
                    .load(c)?)
            })
            .await?;
    }
    let local_user = me.as_ref().is_some_and(|m| m.local);
    found_actors.retain(|a| local_user || a.visibility != "internal");
    let mut accounts = Vec::new();
    for a in found_actors {
        let id = a.id;
        let counts = state
            .db
            .run(move |c| Ok(db::actors::counts(c, id)?))
            .await?;
        accounts.push(account::from_actor(&state, &a, counts));
    }
    let hashtags: Vec<Value> = if kind.is_empty() || kind == "hashtags" {
        let p = pattern.to_lowercase();
        let names: Vec<String> = state
            .db
            .run(move |c| {
                Ok(tags::table
                    .filter(tags::name.like(&p))
                    .limit(limit)
                    .select(tags::name)
                    .load(c)?)
            })
            .await?;
        names
            .into_iter()
            .map(|n| super::entities::tag::tag(state.urls.base(), &n, None))
            .collect()
    } else {
        vec![]
    };
    Ok(Json(json!({
        "accounts": if kind.is_empty() || kind == "accounts" { accounts } else { vec![] },
        "statuses": if kind.is_empty() || kind == "statuses" { render(&state, found_statuses, me.as_ref()).await? } else { vec![] },
        "hashtags": hashtags,
    })))
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
