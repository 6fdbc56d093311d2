//! `/admin/people`: the instance's accounts; creating one, inviting (by link or
//! by e-mail), suspending and reinstating, granting the administrator role and
//! the ambassador badge.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use serde::Deserialize;

use super::PageQuery;
use crate::{
    api::extract::Query,
    db,
    error::{AppError, AppResult},
    service::{
        accounts::{self, NewUser},
        administration, registration, roles,
    },
    state::AppState,
    web::{
        cards::ActorRef,
        form::{NoFields, Posted},
        i18n::Tr,
        page::{Chrome, back_to, html, urlencode},
        visitor::Visitor,
    },
};

pub struct PersonRow {
    pub id: i64,
    pub user_id: i64,
    pub who: ActorRef,
    pub email: String,
    pub admin: bool,
    pub ambassador: bool,
    pub suspended: bool,
    pub last_login: String,
}

#[derive(Template)]
#[template(path = "admin_people.html")]
struct PeoplePage {
    t: Tr,
    c: Chrome,
    query: String,
    people: Vec<PersonRow>,
    invite: Option<String>,
    /// What a form did (an invitation mailed).
    notice: Option<String>,
    /// Whether mail is set up (the form inviting by e-mail).
    mail_enabled: bool,
}

pub async fn get_people(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let (user, _) = v.require_admin()?;
    let query = q.q.unwrap_or_default();
    let found = administration::users(&state, user, &query, 200).await?;
    let ids: Vec<i64> = found.iter().map(|(_, a)| a.id).collect();
    let ambassadors = state
        .db
        .run(move |c| Ok(db::roles::holders(c, db::roles::AMBASSADOR, &ids)?))
        .await?;
    let people = found
        .into_iter()
        .map(|(u, a)| PersonRow {
            id: a.id,
            user_id: u.id,
            who: ActorRef::of(&state, &a),
            email: u.email.clone(),
            admin: u.admin,
            ambassador: ambassadors.contains(&a.id),
            suspended: a.suspended_at.is_some(),
            last_login: u
                .last_login_at
                .map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        })
        .collect();
    let invite = q
        .saved
        .as_deref()
        .and_then(|s| s.strip_prefix("invite:"))
        .map(|code| format!("{}/?invite={code}", state.urls.base()));
    let notice = q
        .saved
        .as_deref()
        .and_then(|s| s.strip_prefix("mailed:"))
        .filter(|to| to.contains('@') && to.len() <= 254)
        .map(|to| v.t.v("invite-sent", "email", to));
    let page = PeoplePage {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.s("admin-people")),
        query,
        people,
        invite,
        notice,
        mail_enabled: state.config.email.enabled(),
    };
    Ok(html(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct NewPersonForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    admin: Option<String>,
}

pub async fn post_person(
    State(state): State<AppState>,
    posted: Posted<NewPersonForm>,
) -> AppResult<Response> {
    posted.visitor.require_admin()?;
    let f = posted.form;
    accounts::create_user(
        &state,
        NewUser {
            name: f.name.trim().to_string(),
            email: f.email.trim().to_string(),
            password: f.password,
            admin: f.admin.is_some(),
        },
    )
    .await?;
    Ok(back_to("/admin/people"))
}

pub async fn post_invite(
    State(state): State<AppState>,
    posted: Posted<NoFields>,
) -> AppResult<Response> {
    let (_, me) = posted.visitor.require_admin()?;
    let (code, _) = registration::create_invite(&state, me.id, Some(1), Some(14)).await?;
    Ok(back_to(&format!(
        "/admin/people?saved=invite:{}",
        urlencode(&code)
    )))
}

#[derive(Deserialize)]
pub struct InviteEmailForm {
    #[serde(default)]
    email: String,
}

/// Mails a single-use invitation, in the instance's language (the invited
/// person has chosen none yet).
pub async fn post_invite_email(
    State(state): State<AppState>,
    posted: Posted<InviteEmailForm>,
) -> AppResult<Response> {
    let (_, me) = posted.visitor.require_admin()?;
    let t = crate::service::mail::tr_of(&state, "");
    registration::invite_by_email(&state, me, &posted.form.email, t).await?;
    let to = posted.form.email.trim().to_ascii_lowercase();
    Ok(back_to(&format!(
        "/admin/people?saved=mailed:{}",
        urlencode(&to)
    )))
}

/// `suspend`, `reinstate`, `make-admin`, `revoke-admin`, `make-ambassador`,
/// `revoke-ambassador` on an account.
pub async fn post_action(
    State(state): State<AppState>,
    Path((id, action)): Path<(String, String)>,
    posted: Posted<NoFields>,
) -> AppResult<Response> {
    let (user, me) = posted.visitor.require_admin()?;
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    let target = state.db.run(move |c| Ok(db::actors::by_id(c, id)?)).await?;
    if !target.local {
        return Err(AppError::not_found());
    }
    let user_id = || async {
        let name = target.name.clone();
        state
            .db
            .run(move |c| Ok(db::users::by_login(c, &name)?))
            .await?
            .map(|(u, _)| u.id)
            .ok_or_else(AppError::not_found)
    };
    match action.as_str() {
        "suspend" => administration::suspend(&state, me, &target, true).await?,
        "reinstate" => administration::suspend(&state, me, &target, false).await?,
        "make-admin" => administration::set_admin(&state, user, user_id().await?, true).await?,
        "revoke-admin" => administration::set_admin(&state, user, user_id().await?, false).await?,
        "make-ambassador" => roles::set_ambassador(&state, user, &target, true).await?,
        "revoke-ambassador" => roles::set_ambassador(&state, user, &target, false).await?,
        _ => return Err(AppError::not_found()),
    }
    Ok(back_to("/admin/people"))
}
