//! Accounts: the signed-in user, lookups by id or handle, preferences.

use axum::{
    Json,
    extract::{Path, State},
    response::Response,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    entities::{
        account::{self, Account},
        relationship::relationship,
    },
    pagination::{PageQuery, paged},
    statuses::render,
};
use crate::{
    api::{auth::Auth, extract::Query},
    db,
    error::{AppError, AppResult},
    federation::outbound,
    model::name::Handle,
    service::follows,
    state::AppState,
};

pub async fn verify_credentials(
    State(state): State<AppState>,
    auth: Auth,
) -> AppResult<Json<Account>> {
    let (_, actor) = auth.user_with("read:accounts")?.clone();
    let id = actor.id;
    let counts = state
        .db
        .run(move |c| Ok(db::actors::counts(c, id)?))
        .await?;
    Ok(Json(account::credential(&state, &actor, counts)))
}

/// Whether an anonymous or signed-in client may see this actor through the API.
fn visible(actor: &db::actors::Actor, auth: Option<&Auth>) -> bool {
    // The instance actor is plumbing, not an account.
    actor.kind() != crate::model::actor::ActorKind::Application
        && (actor.visibility != "internal" || auth.is_some_and(|a| a.0.user.is_some()))
}

pub async fn get_account(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Path(id): Path<String>,
) -> AppResult<Json<Account>> {
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    let (actor, counts) = state
        .db
        .run(move |c| {
            let actor = db::actors::by_id(c, id)?;
            let counts = db::actors::counts(c, id)?;
            Ok((actor, counts))
        })
        .await?;
    if !visible(&actor, auth.as_ref()) {
        return Err(AppError::not_found());
    }
    Ok(Json(account::from_actor(&state, &actor, counts)))
}

#[derive(Deserialize)]
pub struct LookupQuery {
    acct: Option<String>,
}

pub async fn lookup_account(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Query(q): Query<LookupQuery>,
) -> AppResult<Json<Account>> {
    let acct = q
        .acct
        .ok_or_else(|| AppError::bad_request("Missing parameter: acct"))?;
    let handle = Handle::parse(&acct).ok_or_else(AppError::not_found)?;
    let local = handle
        .domain
        .as_deref()
        .is_none_or(|d| state.config.domain().matches(d));
    if !local {
        // Known remote accounts only; `/api/v2/search?resolve=true` fetches new ones.
        let (name, domain) = (handle.name, handle.domain.unwrap_or_default());
        let (actor, counts) = state
            .db
            .run(move |c| {
                let actor = db::actors::remote_by_handle(c, &name, &domain)?
                    .ok_or_else(AppError::not_found)?;
                let counts = db::actors::counts(c, actor.id)?;
                Ok((actor, counts))
            })
            .await?;
        return Ok(Json(account::from_actor(&state, &actor, counts)));
    }
    let name = handle.name;
    let (actor, counts) = state
        .db
        .run(move |c| {
            let actor = db::actors::local_by_name(c, &name)?.ok_or_else(AppError::not_found)?;
            let counts = db::actors::counts(c, actor.id)?;
            Ok((actor, counts))
        })
        .await?;
    if !visible(&actor, auth.as_ref()) {
        return Err(AppError::not_found());
    }
    Ok(Json(account::from_actor(&state, &actor, counts)))
}

pub async fn preferences(auth: Auth) -> AppResult<Json<Value>> {
    auth.user_with("read:accounts")?;
    Ok(Json(json!({
        "posting:default:visibility": "public",
        "posting:default:sensitive": false,
        "posting:default:language": Value::Null,
        "reading:expand:media": "default",
        "reading:expand:spoilers": false,
    })))
}

async fn account_row(
    state: &AppState,
    id: &str,
    auth: Option<&Auth>,
) -> AppResult<db::actors::Actor> {
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    let actor = state.db.run(move |c| Ok(db::actors::by_id(c, id)?)).await?;
    if !visible(&actor, auth) {
        return Err(AppError::not_found());
    }
    Ok(actor)
}

async fn relationship_of(state: &AppState, me: i64, other: i64) -> AppResult<Value> {
    let (to_them, to_me) = state
        .db
        .run(move |c| {
            Ok((
                db::follows::find(c, me, other)?.map(|f| f.state),
                db::follows::find(c, other, me)?.map(|f| f.state),
            ))
        })
        .await?;
    Ok(relationship(other, to_them.as_deref(), to_me.as_deref()))
}

/// Follow a person, or join a community (Mastodon apps see communities as accounts).
pub async fn follow_account(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:follows")?.clone();
    let target = account_row(&state, &id, Some(&auth)).await?;
    let (_, events) = follows::follow(&state, &me, &target).await?;
    outbound::notify(&state, &events);
    Ok(Json(relationship_of(&state, me.id, target.id).await?))
}

pub async fn unfollow_account(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:follows")?.clone();
    let target = account_row(&state, &id, Some(&auth)).await?;
    let events = follows::unfollow(&state, &me, &target).await?;
    outbound::notify(&state, &events);
    Ok(Json(relationship_of(&state, me.id, target.id).await?))
}

#[derive(Deserialize)]
pub struct RelationshipsQuery {
    #[serde(default)]
    id: Vec<String>,
}

pub async fn relationships(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<RelationshipsQuery>,
) -> AppResult<Json<Vec<Value>>> {
    let (_, me) = auth.user_with("read:follows")?.clone();
    let mut out = Vec::new();
    for id in q.id.iter().take(100) {
        if let Ok(other) = id.parse::<i64>() {
            out.push(relationship_of(&state, me.id, other).await?);
        }
    }
    Ok(Json(out))
}

#[derive(Deserialize, Default)]
pub struct AccountStatusesQuery {
    #[serde(flatten)]
    page: PageQuery,
    #[serde(default, deserialize_with = "crate::api::extract::lenient_bool")]
    exclude_replies: Option<bool>,
    #[serde(default, deserialize_with = "crate::api::extract::lenient_bool")]
    pinned: Option<bool>,
}

pub async fn account_statuses(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Path(id): Path<String>,
    Query(q): Query<AccountStatusesQuery>,
) -> AppResult<Response> {
    let me = auth
        .as_ref()
        .and_then(|a| a.0.user.as_ref())
        .map(|(_, a)| a.clone());
    let actor = account_row(&state, &id, auth.as_ref()).await?;
    let page = q.page.page(20, 40);
    let path = format!("/api/v1/accounts/{}/statuses", actor.id);
    if q.pinned.unwrap_or(false) {
        // Pinning comes with the rest of the client API; nothing is pinned yet.
        return Ok(paged(state.urls.base(), &path, "", vec![], &[]));
    }
    let (aid, exclude, viewer) = (actor.id, q.exclude_replies.unwrap_or(false), me.clone());
    let rows = state
        .db
        .run(move |c| {
            let rows = if actor.kind() == crate::model::actor::ActorKind::Group {
                db::views::community_threads(c, aid, page)?
            } else {
                db::views::by_account(c, aid, exclude, page)?
            };
            let mut out = Vec::new();
            for s in rows {
                if crate::service::statuses::can_see(c, &s, viewer.as_ref())? {
                    out.push(s);
                }
            }
            Ok(out)
        })
        .await?;
    let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
    let items = render(&state, rows, me.as_ref()).await?;
    Ok(paged(state.urls.base(), &path, "", items, &ids))
}
