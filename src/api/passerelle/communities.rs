//! Communities: list, search, create, join, leave, moderators, bans.

use axum::{
    Json,
    extract::{Path, State},
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    api::{
        auth::Auth,
        extract::{Body, Query},
        mastodon::entities::{account, timestamp},
    },
    db::{self, actors::Actor},
    error::{AppError, AppResult},
    model::visibility::CommunityVisibility,
    service::stewardship::Handover,
    service::{bans, communities, community_view, follows, ledger, resolve},
    state::AppState,
};

pub async fn entity(state: &AppState, c: &Actor, me: Option<&Actor>) -> AppResult<Value> {
    let community_view::Overview {
        counts,
        threads,
        membership,
        role,
    } = community_view::overview(state, c, me).await?;
    Ok(json!({
        "id": c.id.to_string(),
        "name": c.name,
        "acct": if c.local { c.name.clone() } else { format!("{}@{}", c.name, c.domain) },
        "title": if c.display_name.is_empty() { c.name.clone() } else { c.display_name.clone() },
        "description": c.summary,
        "visibility": c.visibility,
        "local": c.local,
        "uri": c.ap_id,
        "url": c.url.clone().unwrap_or_else(|| c.ap_id.clone()),
        "created_at": timestamp(c.created_at),
        // Aggregate figures only: never who did what.
        "members_count": counts.followers,
        "threads_count": threads,
        "membership": membership,
        "role": role,
        "account": account::from_actor(state, c, counts),
    }))
}

pub(super) async fn community(state: &AppState, id: &str, me: Option<&Actor>) -> AppResult<Actor> {
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    community_view::by_id(state, id, me).await
}

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    limit: Option<String>,
}

pub async fn list_communities(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Query(q): Query<ListQuery>,
) -> AppResult<Json<Vec<Value>>> {
    let me = Auth::viewer(&auth);
    let limit = q
        .limit
        .and_then(|l| l.parse::<i64>().ok())
        .unwrap_or(40)
        .clamp(1, 80);
    let rows =
        community_view::directory(&state, &q.q.unwrap_or_default(), me.as_ref(), limit).await?;
    let mut out = Vec::new();
    for c in &rows {
        out.push(entity(&state, c, me.as_ref()).await?);
    }
    Ok(Json(out))
}

#[derive(Deserialize)]
pub struct LookupQuery {
    acct: Option<String>,
    #[serde(default, deserialize_with = "crate::api::extract::lenient_bool")]
    resolve: Option<bool>,
}

/// By `name`, `name@domain` or URL; `resolve=true` fetches a remote community.
pub async fn lookup_community(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Query(q): Query<LookupQuery>,
) -> AppResult<Json<Value>> {
    let me = Auth::viewer(&auth);
    let acct = q
        .acct
        .ok_or_else(|| AppError::bad_request("Missing parameter: acct"))?;
    let query = if acct.contains('@') || acct.contains("://") {
        acct
    } else {
        format!("{acct}@{}", state.urls.domain())
    };
    let fetch = q.resolve.unwrap_or(false) && me.is_some();
    match resolve::resolve(&state, &query, fetch).await? {
        Some(resolve::Resolved::Actor(a)) if community_view::may_see(&a, me.as_ref()) => {
            Ok(Json(entity(&state, &a, me.as_ref()).await?))
        }
        _ => Err(AppError::not_found()),
    }
}

pub async fn get_community(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let me = Auth::viewer(&auth);
    let c = community(&state, &id, me.as_ref()).await?;
    Ok(Json(entity(&state, &c, me.as_ref()).await?))
}

#[derive(Deserialize)]
pub struct CreateCommunity {
    name: Option<String>,
    title: Option<String>,
    description: Option<String>,
    visibility: Option<String>,
}

pub async fn create_community(
    State(state): State<AppState>,
    auth: Auth,
    Body(form): Body<CreateCommunity>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:accounts")?.clone();
    let visibility = match form.visibility.as_deref() {
        None | Some("") => CommunityVisibility::default(),
        Some(v) => v.parse().map_err(|e: String| {
            AppError::unprocessable(format!("Validation failed: visibility {e}"))
        })?,
    };
    let c = communities::create_community(
        &state,
        communities::NewCommunity {
            name: form.name.unwrap_or_default(),
            owner: me.name.clone(),
            title: form.title,
            visibility,
        },
    )
    .await?;
    let c = match form.description.filter(|d| !d.trim().is_empty()) {
        Some(d) => communities::set_description(&state, &c, &d).await?,
        None => c,
    };
    Ok(Json(entity(&state, &c, Some(&me)).await?))
}

pub async fn join_community(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:follows")?.clone();
    let c = community(&state, &id, Some(&me)).await?;
    follows::follow(&state, &me, &c).await?;
    Ok(Json(entity(&state, &c, Some(&me)).await?))
}

pub async fn leave_community(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:follows")?.clone();
    let c = community(&state, &id, Some(&me)).await?;
    follows::unfollow(&state, &me, &c).await?;
    Ok(Json(entity(&state, &c, Some(&me)).await?))
}

pub async fn list_moderators(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Path(id): Path<String>,
) -> AppResult<Json<Vec<Value>>> {
    let me = Auth::viewer(&auth);
    let c = community(&state, &id, me.as_ref()).await?;
    let mods = community_view::moderators(&state, &c).await?;
    let mut out = Vec::new();
    for m in mods {
        let mid = m.id;
        let counts = state
            .db
            .run(move |conn| Ok(db::actors::counts(conn, mid)?))
            .await?;
        out.push(
            serde_json::to_value(account::from_actor(&state, &m, counts))
                .map_err(AppError::internal)?,
        );
    }
    Ok(Json(out))
}

#[derive(Deserialize)]
pub struct AccountForm {
    account_id: Option<String>,
    #[serde(default)]
    reason: String,
}

fn account_id(form: &AccountForm) -> AppResult<i64> {
    form.account_id
        .as_deref()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| AppError::unprocessable("Validation failed: account_id is missing"))
}

pub async fn add_moderator(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(form): Body<AccountForm>,
) -> AppResult<Json<Vec<Value>>> {
    let (_, me) = auth.user_with("write:accounts")?.clone();
    let c = community(&state, &id, Some(&me)).await?;
    communities::set_moderator(&state, &me, &c, account_id(&form)?, true).await?;
    list_moderators(State(state), Some(auth), Path(id)).await
}

/// `POST …/communities/:id/owner`: the owner hands the community over to a
/// local member (`account_id`), and stays a moderator.
pub async fn transfer_ownership(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(form): Body<AccountForm>,
) -> AppResult<Json<Vec<Value>>> {
    let (_, me) = auth.user_with("write:accounts")?.clone();
    hand_over(state, auth, id, &form, &me, Handover::Owner(&me)).await
}

/// `POST …/admin/communities/:id/owner`: an administrator names the owner
/// (a community whose owner left, an organisation's decision).
pub async fn assign_ownership(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(form): Body<AccountForm>,
) -> AppResult<Json<Vec<Value>>> {
    let (_, me) = auth.admin_with("admin:write")?.clone();
    hand_over(state, auth, id, &form, &me, Handover::Administrator).await
}

async fn hand_over(
    state: AppState,
    auth: Auth,
    id: String,
    form: &AccountForm,
    me: &Actor,
    by: Handover<'_>,
) -> AppResult<Json<Vec<Value>>> {
    let c = community(&state, &id, Some(me)).await?;
    crate::service::stewardship::transfer(&state, &c, account_id(form)?, by).await?;
    state.wake_delivery();
    list_moderators(State(state), Some(auth), Path(id)).await
}

pub async fn remove_moderator(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, account)): Path<(String, String)>,
) -> AppResult<Json<Vec<Value>>> {
    let (_, me) = auth.user_with("write:accounts")?.clone();
    let c = community(&state, &id, Some(&me)).await?;
    let account: i64 = account.parse().map_err(|_| AppError::not_found())?;
    communities::set_moderator(&state, &me, &c, account, false).await?;
    list_moderators(State(state), Some(auth), Path(id)).await
}

pub async fn ban_member(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(form): Body<AccountForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:accounts")?.clone();
    let c = community(&state, &id, Some(&me)).await?;
    bans::ban(&state, &me, &c, account_id(&form)?, &form.reason).await?;
    Ok(Json(json!({})))
}

/// The community's bans, for its moderators: who, why, since when.
pub async fn list_bans(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("read:accounts")?.clone();
    let c = community(&state, &id, Some(&me)).await?;
    let list = bans::list(&state, &me, &c).await?;
    Ok(Json(json!(
        list.iter()
            .map(|b| json!({
                "account": crate::api::mastodon::entities::account::from_actor(&state, &b.person, Default::default()),
                "reason": b.reason,
                "created_at": timestamp(b.created_at),
            }))
            .collect::<Vec<_>>()
    )))
}

/// Lifts a ban: 404 when the account is not banned.
pub async fn unban_member(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, account)): Path<(String, String)>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:accounts")?.clone();
    let c = community(&state, &id, Some(&me)).await?;
    let account: i64 = account.parse().map_err(|_| AppError::not_found())?;
    bans::unban(&state, &me, &c, account).await?;
    Ok(Json(json!({})))
}

/// Which servers hold this community's content (moderators and administrators).
pub async fn get_ledger(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let by = auth.user_with("read:accounts")?.clone();
    let c = community(&state, &id, Some(&by.1)).await?;
    let lines = ledger::ledger(&state, Some(&by), &c).await?;
    Ok(Json(json!(
        lines
            .iter()
            .map(|l| json!({
                "domain": l.domain,
                "objects": l.objects,
                "first_delivered_at": l.first_delivered_at.map(timestamp),
                "last_delivered_at": l.last_delivered_at.map(timestamp),
            }))
            .collect::<Vec<_>>()
    )))
}

#[derive(Deserialize)]
pub struct RevokeForm {
    domain: Option<String>,
}

/// Revokes a partner server from the community.
pub async fn revoke_server(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(form): Body<RevokeForm>,
) -> AppResult<Json<Value>> {
    let by = auth.user_with("write:accounts")?.clone();
    let c = community(&state, &id, Some(&by.1)).await?;
    let domain = form
        .domain
        .ok_or_else(|| AppError::unprocessable("Validation failed: domain is missing"))?;
    ledger::revoke(&state, Some(&by), &c, &domain).await?;
    Ok(Json(
        json!({ "revoked": domain.trim().to_ascii_lowercase() }),
    ))
}
