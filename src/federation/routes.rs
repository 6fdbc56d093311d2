//! GET endpoints of local actors and their collections.

use axum::{
    Router,
    extract::{Path, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use serde::Deserialize;
use serde_json::json;

use super::{
    activities::inbox,
    negotiate::{activity_json, wants_activity_json},
    profile_page,
    protocol::{actor::to_ap, collection, context::with_context},
    signed_fetch::{Audience, Fetcher, authorize},
};
use crate::{
    api::extract::Query,
    db::{self, actors::Actor},
    error::{AppError, AppResult},
    model::{actor::ActorKind, visibility::CommunityVisibility},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/actor", get(get_instance_actor))
        .route("/users/{name}", get(get_person))
        .route("/users/{name}/{collection}", get(get_person_collection))
        .route("/c/{name}", get(get_group))
        .route("/c/{name}/{collection}", get(get_group_collection))
        .route("/statuses/{id}", get(get_status))
        .merge(inbox_routes())
}

/// Every inbox, behind a body limit answered with 413.
fn inbox_routes() -> Router<AppState> {
    let post = || axum::routing::post(inbox::post_inbox);
    Router::new()
        .route("/inbox", post())
        .route("/actor/inbox", post())
        .route("/users/{name}/inbox", post())
        .route("/c/{name}/inbox", post())
        .layer(axum::middleware::from_fn(inbox::limit_body))
        .layer(axum::middleware::from_fn(require_activity_json))
}

/// The inbox reads ActivityPub JSON only: anything else (`text/plain` forms from
/// a browser, say) is refused with 415 before the body or a signature is looked at.
async fn require_activity_json(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let media_type = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase());
    match media_type.as_deref() {
        Some("application/activity+json" | "application/ld+json" | "application/json") => {
            next.run(req).await
        }
        _ => AppError::new(
            axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "The inbox accepts application/activity+json or application/ld+json",
        )
        .into_response(),
    }
}

/// A status as an ActivityPub object, to whoever may read it (see
/// `signed_fetch::authorize`); deleted statuses answer 410 with a `Tombstone`.
async fn get_status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    fetcher: Fetcher,
    headers: HeaderMap,
) -> AppResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    if !wants_activity_json(&headers) {
        // People get the web page, which decides with their session what they may read.
        return Ok(Redirect::to(&format!("/posts/{id}")).into_response());
    }
    let status = state
        .db
        .run(move |c| Ok(db::statuses::by_id(c, id)?))
        .await?
        .filter(|s| s.local)
        .ok_or_else(AppError::not_found)?;
    authorize(&state, &fetcher, Audience::Status(&status)).await?;
    if status.is_gone() {
        let tombstone = json!({ "id": status.ap_id, "type": "Tombstone" });
        let mut r = activity_json(with_context(tombstone));
        *r.status_mut() = axum::http::StatusCode::GONE;
        return Ok(r);
    }
    let object = super::objects::post::to_ap(&state, &status).await?;
    let doc = serde_json::to_value(object).map_err(AppError::internal)?;
    Ok(activity_json(with_context(doc)))
}

/// A local actor that may be served to other servers: internal communities never are.
async fn servable(state: &AppState, name: String, kind: ActorKind) -> AppResult<Actor> {
    let actor = state
        .db
        .run(move |c| Ok(db::actors::local_by_name_and_kind(c, &name, kind)?))
        .await?
        .ok_or_else(AppError::not_found)?;
    if actor.visibility.parse() == Ok(CommunityVisibility::Internal) {
        return Err(AppError::not_found());
    }
    // A deleted account is gone for good (its Delete has been sent).
    if actor.deleted_at.is_some() {
        return Err(AppError::new(axum::http::StatusCode::GONE, "Gone"));
    }
    Ok(actor)
}

async fn actor_response(
    state: &AppState,
    actor: Actor,
    fetcher: &Fetcher,
    headers: &HeaderMap,
) -> AppResult<Response> {
    let group = actor.kind() == ActorKind::Group;
    let audience = if group {
        Audience::Community(&actor)
    } else {
        Audience::Everyone
    };
    let allowed = match authorize(state, fetcher, audience).await {
        // A suspended account shows only its key.
        Ok(()) => actor.suspended_at.is_none(),
        // Refused by the federation policy: nothing at all.
        Err(e) if e.status == axum::http::StatusCode::FORBIDDEN => return Err(e),
        Err(_) if group && !state.config.federation.reveal_restricted_communities => {
            return Err(AppError::not_found());
        }
        Err(_) => false,
    };
    if wants_activity_json(headers) {
        let doc = if allowed {
            to_ap(&actor)
        } else {
            crate::federation::protocol::actor::key_only(&actor)
        };
        let doc = serde_json::to_value(doc).map_err(AppError::internal)?;
        return Ok(activity_json(with_context(doc)));
    }
    if actor.kind() == ActorKind::Person {
        return Ok(Redirect::to(&format!("/@{}", actor.name)).into_response());
    }
    // The web page shows the description: public communities only.
    if actor.reach() != CommunityVisibility::Public {
        return Err(AppError::not_found());
    }
    profile_page::render(state, actor).await
}

/// Always served, unsigned: it is what other servers verify our fetches with.
async fn get_instance_actor(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let actor = state
        .db
        .run(|c| Ok(db::actors::instance_actor(c)?))
        .await?
        .ok_or_else(AppError::not_found)?;
    if wants_activity_json(&headers) {
        // It only signs fetches: no collection to advertise (each would be a 404).
        let doc = crate::federation::protocol::actor::ApActor {
            outbox: None,
            followers: None,
            following: None,
            featured: None,
            ..to_ap(&actor)
        };
        let doc = serde_json::to_value(doc).map_err(AppError::internal)?;
        return Ok(activity_json(with_context(doc)));
    }
    profile_page::render(&state, actor).await
}

async fn get_person(
    State(state): State<AppState>,
    Path(name): Path<String>,
    fetcher: Fetcher,
    headers: HeaderMap,
) -> AppResult<Response> {
    let actor = servable(&state, name, ActorKind::Person).await?;
    actor_response(&state, actor, &fetcher, &headers).await
}

async fn get_group(
    State(state): State<AppState>,
    Path(name): Path<String>,
    fetcher: Fetcher,
    headers: HeaderMap,
) -> AppResult<Response> {
    if !wants_activity_json(&headers) {
        // The community's web page applies the reader's own access.
        return Ok(Redirect::to(&format!("/communities/{name}")).into_response());
    }
    let actor = servable(&state, name, ActorKind::Group).await?;
    actor_response(&state, actor, &fetcher, &headers).await
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<String>,
    max_id: Option<i64>,
}

const PAGE_SIZE: i64 = 40;

async fn get_person_collection(
    State(state): State<AppState>,
    Path((name, which)): Path<(String, String)>,
    fetcher: Fetcher,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let actor = servable(&state, name, ActorKind::Person).await?;
    authorize(&state, &fetcher, Audience::Everyone).await?;
    serve_collection(&state, actor, &which, q, &fetcher).await
}

async fn get_group_collection(
    State(state): State<AppState>,
    Path((name, which)): Path<(String, String)>,
    fetcher: Fetcher,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let actor = servable(&state, name, ActorKind::Group).await?;
    authorize(&state, &fetcher, Audience::Community(&actor)).await?;
    serve_collection(&state, actor, &which, q, &fetcher).await
}

/// Public statuses as the activities that published them: `Create` for a person,
/// the community's `Announce` of the `Create` for a group (FEP-1b12).
async fn outbox(
    state: &AppState,
    actor: &Actor,
    id: &str,
    group: bool,
    q: PageQuery,
) -> AppResult<serde_json::Value> {
    const OUTBOX_PAGE: i64 = 20;
    let (actor_id, before) = (actor.id, q.max_id);
    let (total, rows) = state
        .db
        .run(move |c| Ok(db::views::outbox(c, actor_id, group, before, OUTBOX_PAGE)?))
        .await?;
    if q.page.is_none() {
        return Ok(collection::collection(id, total));
    }
    let mut items = Vec::new();
    for s in &rows {
        let object = serde_json::to_value(super::objects::post::to_ap(state, s).await?)
            .map_err(AppError::internal)?;
        let create = json!({
            "id": format!("{}#create", s.ap_id),
            "type": "Create",
            "actor": object["attributedTo"],
            "to": object["to"],
            "cc": object["cc"],
            "audience": object["audience"],
            "object": object,
        });
        items.push(if group {
            json!({
                "id": format!("{}#announce", s.ap_id),
                "type": "Announce",
                "actor": actor.ap_id,
                "to": object["to"],
                "cc": [format!("{}/followers", actor.ap_id)],
                "object": create,
            })
        } else {
            create
        });
    }
    let next = (rows.len() as i64 == OUTBOX_PAGE)
        .then(|| rows.last().map(|s| s.id.to_string()))
        .flatten();
    Ok(collection::page(
        id,
        &page_url(id, before),
        total,
        items,
        next,
    ))
}

/// The address of a collection's page that starts before `before`.
fn page_url(id: &str, before: Option<i64>) -> String {
    match before {
        Some(b) => format!("{id}?page=true&max_id={b}"),
        None => format!("{id}?page=true"),
    }
}

/// The ids of the local communities `person` is a member of that `fetcher` may
/// not read (internal ones always; members and partners ones unless its server is
/// within reach): a following collection must not reveal them.
async fn unreadable_communities(
    state: &AppState,
    fetcher: &Fetcher,
    person: i64,
) -> AppResult<Vec<String>> {
    let groups = state
        .db
        .run(move |c| Ok(db::follows::non_public_local_communities(c, person)?))
        .await?;
    let mut hidden = Vec::new();
    for g in groups {
        if authorize(state, fetcher, Audience::Community(&g))
            .await
            .is_err()
        {
            hidden.push(g.ap_id);
        }
    }
    Ok(hidden)
}

async fn serve_collection(
    state: &AppState,
    actor: Actor,
    which: &str,
    q: PageQuery,
    fetcher: &Fetcher,
) -> AppResult<Response> {
    let id = format!("{}/{which}", actor.ap_id);
    let group = actor.kind() == ActorKind::Group;
    let doc = match which {
        "followers" | "following" => {
            let followers = which == "followers";
            follow_collection(state, &actor, &id, followers, q, fetcher).await?
        }
        "outbox" => outbox(state, &actor, &id, group, q).await?,
        "moderators" if group => {
            let community_id = actor.id;
            let mods = state
                .db
                .run(move |c| Ok(db::communities::moderator_ap_ids(c, community_id)?))
                .await?;
            collection::inline(&id, mods.into_iter().map(|m| json!(m)).collect())
        }
        "featured" => featured(state, &actor, &id).await?,
        _ => return Err(AppError::not_found()),
    };
    Ok(activity_json(with_context(doc)))
}

/// Followers, or followings (`followers` false): ids of the accounts, by page.
async fn follow_collection(
    state: &AppState,
    actor: &Actor,
    id: &str,
    followers: bool,
    q: PageQuery,
    fetcher: &Fetcher,
) -> AppResult<serde_json::Value> {
    let actor_id = actor.id;
    let counts = state
        .db
        .run(move |c| Ok(db::actors::counts(c, actor_id)?))
        .await?;
    // Communities the reader may not see are not listed, nor counted.
    let hidden = if followers {
        vec![]
    } else {
        unreadable_communities(state, fetcher, actor_id).await?
    };
    let total = if followers {
        counts.followers
    } else {
        counts.following - hidden.len() as i64
    };
    if q.page.is_none() {
        return Ok(collection::collection(id, total));
    }
    let before = q.max_id;
    let rows = state
        .db
        .run(move |c| {
            Ok(db::actors::follow_ids_page(
                c, actor_id, followers, before, PAGE_SIZE,
            )?)
        })
        .await?;
    let next = (rows.len() as i64 == PAGE_SIZE)
        .then(|| rows.last().map(|(fid, _)| fid.to_string()))
        .flatten();
    let items = rows
        .into_iter()
        .filter(|(_, url)| !hidden.contains(url))
        .map(|(_, url)| json!(url))
        .collect();
    Ok(collection::page(
        id,
        &page_url(id, before),
        total,
        items,
        next,
    ))
}

/// A person's pinned statuses, the public and unlisted ones (as Mastodon); a
/// community's pinned threads (whoever may read the community reads them).
async fn featured(state: &AppState, actor: &Actor, id: &str) -> AppResult<serde_json::Value> {
    let group = actor.kind() == ActorKind::Group;
    let actor_id = actor.id;
    let pinned = state
        .db
        .run(move |c| Ok(db::pins::of(c, actor_id)?))
        .await?;
    let mut items = Vec::new();
    for s in pinned
        .iter()
        .filter(|s| !s.is_gone() && (group || s.visibility.is_public()))
    {
        items.push(
            serde_json::to_value(super::objects::post::to_ap(state, s).await?)
                .map_err(AppError::internal)?,
        );
    }
    Ok(collection::inline(id, items))
}
