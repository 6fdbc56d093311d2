//! Lists: `/api/v1/lists` (CRUD), their accounts, `/api/v1/accounts/:id/lists`
//! and `/api/v1/timelines/list/:id`.

use axum::{
    Json,
    extract::{Path, State},
    response::Response,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    accounts::{account_page, account_row},
    pagination::{PageQuery, paged},
    statuses::render,
};
use crate::{
    api::id_path::parse_id,
    api::{
        auth::Auth,
        extract::{Body, Query, lenient_bool, lenient_i64_list},
    },
    db::{self, lists::List},
    error::AppResult,
    service::lists::{self, Settings},
    state::AppState,
};

fn entity(l: &List) -> Value {
    json!({
        "id": l.id.to_string(),
        "title": l.title,
        "replies_policy": l.replies_policy,
        "exclusive": l.exclusive,
    })
}

#[derive(Deserialize, Default)]
pub struct ListForm {
    title: Option<String>,
    replies_policy: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    exclusive: Option<bool>,
}

impl From<ListForm> for Settings {
    fn from(f: ListForm) -> Self {
        Settings {
            title: f.title,
            replies_policy: f.replies_policy,
            exclusive: f.exclusive,
        }
    }
}

pub async fn index(State(state): State<AppState>, auth: Auth) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("read:lists")?.clone();
    let rows = state.db.run(move |c| Ok(db::lists::of(c, me.id)?)).await?;
    Ok(Json(rows.iter().map(entity).collect()))
}

pub async fn show(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("read:lists")?.clone();
    Ok(Json(entity(
        &lists::owned(&state, &me, parse_id(&id)?).await?,
    )))
}

pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Body(form): Body<ListForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:lists")?.clone();
    Ok(Json(entity(
        &lists::create(&state, &me, form.into()).await?,
    )))
}

pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Body(form): Body<ListForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:lists")?.clone();
    let list = lists::update(&state, &me, parse_id(&id)?, form.into()).await?;
    Ok(Json(entity(&list)))
}

pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:lists")?.clone();
    lists::delete(&state, &me, parse_id(&id)?).await?;
    Ok(Json(json!({})))
}

#[derive(Deserialize, Default)]
pub struct MembersQuery {
    #[serde(flatten)]
    page: PageQuery,
}

/// `GET /api/v1/lists/:id/accounts`: `limit=0` gives them all, as in Mastodon.
pub async fn accounts(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<MembersQuery>,
) -> AppResult<Response> {
    let (_, me) = auth.user_with("read:lists")?.clone();
    let list = lists::owned(&state, &me, parse_id(&id)?).await?;
    let page = (q.page.limit.as_deref() != Some("0")).then(|| q.page.page(40, 80));
    let rows = state
        .db
        .run(move |c| Ok(db::lists::members_page(c, list.id, page)?))
        .await?;
    let path = format!("/api/v1/lists/{}/accounts", list.id);
    account_page(&state, &path, rows, Some(&auth)).await
}

#[derive(Deserialize, Default)]
pub struct AccountIds {
    #[serde(default, deserialize_with = "lenient_i64_list")]
    account_ids: Vec<i64>,
}

/// The ids from the body, or (some apps send them so with DELETE) the query.
fn ids(body: AccountIds, query: AccountIds) -> AppResult<Vec<i64>> {
    let ids = if body.account_ids.is_empty() {
        query.account_ids
    } else {
        body.account_ids
    };
    if ids.is_empty() {
        return Err(crate::error::AppError::unprocessable(
            "Validation failed: account_ids is missing",
        ));
    }
    Ok(ids)
}

pub async fn add_accounts(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<AccountIds>,
    Body(b): Body<AccountIds>,
) -> AppResult<Json<Value>> {
    change_members(&state, &auth, &id, ids(b, q)?, true).await
}

pub async fn remove_accounts(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<AccountIds>,
    Body(b): Body<AccountIds>,
) -> AppResult<Json<Value>> {
    change_members(&state, &auth, &id, ids(b, q)?, false).await
}

async fn change_members(
    state: &AppState,
    auth: &Auth,
    id: &str,
    accounts: Vec<i64>,
    add: bool,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:lists")?.clone();
    let id = parse_id(id)?;
    if add {
        lists::add(state, &me, id, accounts).await?;
    } else {
        lists::remove(state, &me, id, accounts).await?;
    }
    Ok(Json(json!({})))
}

/// `GET /api/v1/accounts/:id/lists`: one's lists that hold this account.
pub async fn of_account(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("read:lists")?.clone();
    let account = account_row(&state, &id, Some(&auth)).await?;
    let rows = state
        .db
        .run(move |c| Ok(db::lists::holding(c, me.id, account.id)?))
        .await?;
    Ok(Json(rows.iter().map(entity).collect()))
}

/// `GET /api/v1/timelines/list/:id`.
pub async fn timeline(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let (_, me) = auth.user_with("read:lists")?.clone();
    let id = parse_id(&id)?;
    let (rows, read) = lists::timeline(&state, &me, id, q.page(20, 40)).await?;
    let items = render(&state, rows, Some(&me)).await?;
    Ok(paged(
        state.urls.base(),
        &format!("/api/v1/timelines/list/{id}"),
        items,
        &read,
    ))
}
