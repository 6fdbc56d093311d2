//! `/communities/:handle/moderation`: the stewards' page. Moderators handle join
//! requests and reports, ban members and see which servers hold the community's
//! content; the owner also edits the description, visibility, partner servers
//! and moderators (`stewardship.rs`). Every rule is the service's.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use serde::Deserialize;

use crate::{
    db::{actors::Actor, communities::OWNER},
    error::{AppError, AppResult},
    service::{bans, community_view, join_requests, ledger, people, reports, statuses},
    state::AppState,
    web::{
        cards::{ActorRef, ReportCard, when},
        form::{NoFields, Posted},
        i18n::Tr,
        page::{Chrome, back_to, html},
        visitor::Visitor,
    },
};

pub struct RequestRow {
    pub who: ActorRef,
    pub id: i64,
    pub when: String,
    pub first_from_server: bool,
}

pub struct LedgerRow {
    pub domain: String,
    pub objects: i64,
    pub last: String,
}

#[derive(Template)]
#[template(path = "moderation.html")]
struct ModerationPage {
    t: Tr,
    c: Chrome,
    who: ActorRef,
    owner: bool,
    description: String,
    visibility: String,
    requests: Vec<RequestRow>,
    reports: Vec<ReportCard>,
    moderators: Vec<(i64, ActorRef)>,
    /// `(account id, who, reason, since)`.
    bans: Vec<(i64, ActorRef, String, String)>,
    /// `(post id, author, title or excerpt)` of the removed posts.
    removed: Vec<(i64, ActorRef, String)>,
    partners: Vec<String>,
    ledger: Vec<LedgerRow>,
}

/// The community, if the reader moderates it (403 otherwise), and whether they own it.
pub async fn moderated(state: &AppState, v: &Visitor, handle: &str) -> AppResult<(Actor, bool)> {
    let (_, me) = v.require()?;
    let community = community_view::by_handle(state, handle, Some(me)).await?;
    let o = community_view::overview(state, &community, Some(me)).await?;
    if !o.moderates() {
        return Err(AppError::forbidden("Moderators of this community only"));
    }
    Ok((community, o.role.as_deref() == Some(OWNER)))
}

pub async fn get_moderation(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    v: Visitor,
) -> AppResult<Response> {
    let (community, owner) = moderated(&state, &v, &handle).await?;
    let signed = v.require()?;
    let me = &signed.1;
    let requests = join_requests::list(&state, me, &community)
        .await?
        .into_iter()
        .map(|r| RequestRow {
            who: ActorRef::of(&state, &r.account),
            id: r.account.id,
            when: when(Some(r.requested_at)),
            first_from_server: r.first_from_server,
        })
        .collect();
    let reports = reports::for_community(&state, me, signed.0.admin, &community, false)
        .await?
        .iter()
        .map(|r| ReportCard::of(&state, r))
        .collect();
    let moderators = community_view::moderators(&state, &community)
        .await?
        .iter()
        .map(|m| (m.id, ActorRef::of(&state, m)))
        .collect();
    let bans = bans::list(&state, me, &community)
        .await?
        .into_iter()
        .map(|b| {
            (
                b.person.id,
                ActorRef::of(&state, &b.person),
                b.reason,
                when(b.created_at),
            )
        })
        .collect();
    let removed = removed_posts(&state, me, &community).await?;
    let partners = if owner {
        crate::service::communities::partner_domains(&state, me, &community).await?
    } else {
        vec![]
    };
    let ledger = ledger::ledger(&state, Some(signed), &community)
        .await?
        .into_iter()
        .map(|l| LedgerRow {
            domain: l.domain,
            objects: l.objects,
            last: when(l.last_delivered_at),
        })
        .collect();
    let who = ActorRef::of(&state, &community);
    let page = ModerationPage {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.v("moderation-title", "name", &who.display)),
        who,
        owner,
        description: community.note_source.clone(),
        visibility: community.visibility.clone(),
        requests,
        reports,
        moderators,
        bans,
        removed,
        partners,
        ledger,
    };
    Ok(html(StatusCode::OK, &page))
}

fn back(handle: &str) -> Response {
    back_to(&format!("/communities/{handle}/moderation"))
}

pub async fn post_decide(
    State(state): State<AppState>,
    Path((handle, account, decision)): Path<(String, String, String)>,
    posted: Posted<NoFields>,
) -> AppResult<Response> {
    let (community, _) = moderated(&state, &posted.visitor, &handle).await?;
    let (_, me) = posted.visitor.require()?;
    let account: i64 = account.parse().map_err(|_| AppError::not_found())?;
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::not_found()),
    };
    join_requests::decide(&state, me, &community, account, approve).await?;
    Ok(back(&handle))
}

pub async fn post_resolve(
    State(state): State<AppState>,
    Path((handle, id)): Path<(String, String)>,
    posted: Posted<NoFields>,
) -> AppResult<Response> {
    let (user, me) = posted.visitor.require()?;
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    reports::resolve(&state, me, user.admin, id).await?;
    Ok(back(&handle))
}

#[derive(Deserialize)]
pub struct BanForm {
    #[serde(default)]
    account: String,
    #[serde(default)]
    reason: String,
}

pub async fn post_ban(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    posted: Posted<BanForm>,
) -> AppResult<Response> {
    let (community, _) = moderated(&state, &posted.visitor, &handle).await?;
    let (_, me) = posted.visitor.require()?;
    let person = people::by_handle(&state, &posted.form.account).await?;
    bans::ban(&state, me, &community, person.id, &posted.form.reason).await?;
    Ok(back(&handle))
}

/// The posts removed from `community`, each with its author and what it said.
async fn removed_posts(
    state: &AppState,
    me: &Actor,
    community: &Actor,
) -> AppResult<Vec<(i64, ActorRef, String)>> {
    let rows = statuses::removed(state, me, community).await?;
    let ids: Vec<i64> = rows.iter().map(|s| s.actor_id).collect();
    let authors = state
        .db
        .run(move |c| Ok(crate::db::actors::by_ids(c, &ids)?))
        .await?;
    Ok(rows
        .iter()
        .filter_map(|s| {
            let author = authors.iter().find(|a| a.id == s.actor_id)?;
            let what = s
                .title
                .clone()
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| crate::model::content::truncate(&s.source, 120));
            Some((s.id, ActorRef::of(state, author), what))
        })
        .collect())
}

#[derive(Deserialize)]
pub struct UnbanForm {
    #[serde(default)]
    account: String,
}

pub async fn post_unban(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    posted: Posted<UnbanForm>,
) -> AppResult<Response> {
    let (community, _) = moderated(&state, &posted.visitor, &handle).await?;
    let (_, me) = posted.visitor.require()?;
    let account = posted
        .form
        .account
        .parse()
        .map_err(|_| AppError::not_found())?;
    bans::unban(&state, me, &community, account).await?;
    Ok(back(&handle))
}

#[derive(Deserialize)]
pub struct DomainForm {
    #[serde(default)]
    domain: String,
}

pub async fn post_revoke_server(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    posted: Posted<DomainForm>,
) -> AppResult<Response> {
    let (community, _) = moderated(&state, &posted.visitor, &handle).await?;
    ledger::revoke(
        &state,
        posted.visitor.signed_in.as_ref(),
        &community,
        &posted.form.domain,
    )
    .await?;
    Ok(back(&handle))
}
