//! Accounts: the signed-in user, lookups by id or handle, preferences.

use axum::{
    Json,
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    entities::{
        account::{self, Account},
        relationship::{Filters, relationship},
    },
    pagination::{PageQuery, paged},
    statuses::render,
};
use crate::{
    api::{
        auth::Auth,
        extract::{Body, Query},
    },
    db,
    error::{AppError, AppResult},
    model::name::Handle,
    service::follows,
    state::AppState,
};

pub async fn verify_credentials(
    State(state): State<AppState>,
    auth: Auth,
) -> AppResult<Json<Account>> {
    let (user, actor) = auth.user_with("read:accounts")?.clone();
    let id = actor.id;
    let counts = state
        .db
        .run(move |c| Ok(db::actors::counts(c, id)?))
        .await?;
    Ok(Json(account::credential(
        &state,
        &actor,
        counts,
        &user.locale,
    )))
}

/// Whether an anonymous or signed-in client may see this actor through the API.
fn visible(actor: &db::actors::Actor, auth: Option<&Auth>) -> bool {
    // The instance actor is plumbing, not an account; a deleted one is gone.
    actor.kind() != crate::model::actor::ActorKind::Application
        && actor.deleted_at.is_none()
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
        "posting:default:visibility": crate::model::visibility::Visibility::Public.as_str(),
        "posting:default:sensitive": false,
        "posting:default:language": Value::Null,
        "reading:expand:media": "default",
        "reading:expand:spoilers": false,
    })))
}

pub(crate) async fn account_row(
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

pub(crate) async fn relationship_of(state: &AppState, me: i64, other: i64) -> AppResult<Value> {
    let (mine, to_me, (blocking, blocked_by, muting, muting_notifications)) = state
        .db
        .run(move |c| {
            Ok((
                db::follows::find(c, me, other)?,
                db::follows::find(c, other, me)?.map(|f| f.state),
                db::blocks::relation(c, me, other, crate::service::now())?,
            ))
        })
        .await?;
    let notifying = mine.as_ref().is_some_and(|f| f.notify);
    let to_them = mine.map(|f| f.state);
    let filters = Filters {
        notifying,
        blocking,
        blocked_by,
        muting,
        muting_notifications,
    };
    Ok(relationship(
        other,
        to_them.as_deref(),
        to_me.as_deref(),
        filters,
    ))
}

#[derive(Deserialize, Default)]
pub struct FollowForm {
    /// Be told of each new status (`status` notifications).
    #[serde(default, deserialize_with = "crate::api::extract::lenient_bool")]
    notify: Option<bool>,
}

/// Follow a person, or join a community (Mastodon apps see communities as
/// accounts); following again changes `notify`.
pub async fn follow_account(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(form): Body<FollowForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:follows")?.clone();
    let target = account_row(&state, &id, Some(&auth)).await?;
    follows::follow(&state, &me, &target).await?;
    if let Some(notify) = form.notify {
        follows::set_notify(&state, &me, &target, notify).await?;
    }
    Ok(Json(relationship_of(&state, me.id, target.id).await?))
}

pub async fn unfollow_account(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:follows")?.clone();
    let target = account_row(&state, &id, Some(&auth)).await?;
    follows::unfollow(&state, &me, &target).await?;
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
    #[serde(default, deserialize_with = "crate::api::extract::lenient_bool")]
    only_media: Option<bool>,
    /// Only the statuses with this hashtag.
    tagged: Option<String>,
}

pub async fn account_statuses(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Path(id): Path<String>,
    Query(q): Query<AccountStatusesQuery>,
) -> AppResult<Response> {
    let me = Auth::viewer(&auth);
    let actor = account_row(&state, &id, auth.as_ref()).await?;
    let page = q.page.page(20, 40);
    let path = format!("/api/v1/accounts/{}/statuses", actor.id);
    if q.pinned.unwrap_or(false) {
        // A handful at most: one page, no Link header.
        let rows = crate::service::pins::of(&state, actor.id, me.as_ref()).await?;
        return Ok(Json(render(&state, rows, me.as_ref()).await?).into_response());
    }
    let narrow = db::views::Narrow {
        only_media: q.only_media.unwrap_or(false),
        tagged: q
            .tagged
            .as_deref()
            .map(|t| t.trim_start_matches('#').to_lowercase())
            .filter(|t| !t.is_empty()),
    };
    let exclude = q.exclude_replies.unwrap_or(false);
    let views =
        crate::service::reading::account_posts(&state, &actor, me.as_ref(), exclude, narrow, page)
            .await?;
    let ids: Vec<i64> = views.iter().map(|v| v.status.id).collect();
    let items = super::statuses::entities(&state, &views);
    Ok(paged(state.urls.base(), &path, items, &ids))
}

/// Accounts with their figures, as a page with a `Link` header (`marks`: the
/// ids the list is paged by).
pub(crate) async fn account_page(
    state: &AppState,
    path: &str,
    rows: Vec<(i64, db::actors::Actor)>,
    auth: Option<&Auth>,
) -> AppResult<Response> {
    let rows: Vec<(i64, db::actors::Actor)> =
        rows.into_iter().filter(|(_, a)| visible(a, auth)).collect();
    let ids: Vec<i64> = rows.iter().map(|(_, a)| a.id).collect();
    let counts = state
        .db
        .run(move |c| Ok(db::actors::counts_of(c, &ids)?))
        .await?;
    let marks: Vec<i64> = rows.iter().map(|(m, _)| *m).collect();
    let items: Vec<Value> = rows
        .iter()
        .map(|(_, a)| {
            json!(account::from_actor(
                state,
                a,
                counts.get(&a.id).copied().unwrap_or_default()
            ))
        })
        .collect();
    Ok(paged(state.urls.base(), path, items, &marks))
}

async fn follow_list(
    state: AppState,
    auth: Option<Auth>,
    id: String,
    q: PageQuery,
    side: db::follows::Side,
) -> AppResult<Response> {
    let actor = account_row(&state, &id, auth.as_ref()).await?;
    let (aid, page) = (actor.id, q.page(40, 80));
    let rows = if actor.kind() == crate::model::actor::ActorKind::Group
        && side == db::follows::Side::Followers
    {
        let me = Auth::viewer(&auth);
        crate::service::community_view::members(&state, &actor, me.as_ref(), page).await?
    } else {
        state
            .db
            .run(move |c| Ok(db::follows::page(c, aid, side, page)?))
            .await?
    };
    let which = match side {
        db::follows::Side::Followers => "followers",
        db::follows::Side::Following => "following",
    };
    let path = format!("/api/v1/accounts/{aid}/{which}");
    account_page(&state, &path, rows, auth.as_ref()).await
}

pub async fn account_followers(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    follow_list(state, auth, id, q, db::follows::Side::Followers).await
}

pub async fn account_following(
    State(state): State<AppState>,
    auth: Option<Auth>,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    follow_list(state, auth, id, q, db::follows::Side::Following).await
}

/// `GET /api/v1/accounts/familiar_followers?id[]=`: for each account, the people
/// I follow who follow it.
pub async fn familiar_followers(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<RelationshipsQuery>,
) -> AppResult<Json<Vec<Value>>> {
    let (_, me) = auth.user_with("read:follows")?.clone();
    let ids: Vec<i64> =
        q.id.iter()
            .take(40)
            .filter_map(|i| i.parse().ok())
            .collect();
    let me_id = me.id;
    let found = state
        .db
        .run(move |c| {
            let mut out = Vec::new();
            for id in ids {
                let people = db::follows::familiar_followers(c, me_id, id, 10)?;
                let counts =
                    db::actors::counts_of(c, &people.iter().map(|a| a.id).collect::<Vec<_>>())?;
                out.push((id, people, counts));
            }
            Ok(out)
        })
        .await?;
    Ok(Json(
        found
            .into_iter()
            .map(|(id, people, counts)| {
                let accounts: Vec<Value> = people
                    .iter()
                    .filter(|a| visible(a, Some(&auth)))
                    .map(|a| {
                        json!(account::from_actor(
                            &state,
                            a,
                            counts.get(&a.id).copied().unwrap_or_default()
                        ))
                    })
                    .collect();
                json!({ "id": id.to_string(), "accounts": accounts })
            })
            .collect(),
    ))
}

#[derive(Deserialize, Default)]
pub struct SignUpForm {
    username: Option<String>,
    email: Option<String>,
    password: Option<String>,
    #[serde(default, deserialize_with = "crate::api::extract::lenient_bool")]
    agreement: Option<bool>,
    invite_code: Option<String>,
    locale: Option<String>,
}

/// `POST /api/v1/accounts`: sign up with an app token (client credentials);
/// answers with a token for the new account, with the app token's scopes.
pub async fn register_account(
    State(state): State<AppState>,
    auth: Auth,
    crate::api::extract::Body(form): crate::api::extract::Body<SignUpForm>,
) -> AppResult<Json<Value>> {
    auth.require("write:accounts")?;
    let required = |v: Option<String>, field: &str| {
        v.filter(|s| !s.trim().is_empty())
            .ok_or_else(|| crate::error::invalid_field(field, "can't be blank"))
    };
    let signed_up = crate::service::registration::sign_up(
        &state,
        crate::service::registration::SignUp {
            username: required(form.username, "username")?,
            email: required(form.email, "email")?,
            password: required(form.password, "password")?,
            agreement: form.agreement.unwrap_or(false),
            invite_code: form.invite_code,
            locale: form.locale,
        },
    )
    .await?;
    // As Mastodon: a token is issued, and works once the address is confirmed.
    let user_id = signed_up.user_id;
    let issued = crate::service::oauth::issue_token(
        &state,
        auth.0.app.id,
        Some(user_id),
        auth.0.scopes.clone(),
    )
    .await?;
    Ok(Json(json!({
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "scope": issued.scopes.to_string(),
        "created_at": issued.created_at,
    })))
}
