//! The inbox: shared (`/inbox`) and per actor, all handled alike.

use activitypub_federation::{
    axum::inbox::{ActivityData, receive_activity},
    config::Data,
    traits::Activity,
};
use axum::{
    Json,
    body::{Body, Bytes},
    extract::{FromRequest, Request, State},
    http::request::Parts,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use url::Url;

use super::{
    accept::Accept,
    acknowledged::Acknowledged,
    announce::Announce,
    create_or_update::CreateOrUpdate,
    delete::Delete,
    flag::Flag,
    follow::Follow,
    like::Like,
    moderation::{AddOrRemove, Block},
    participation::Participation,
    undo::Undo,
    update_actor::UpdateActor,
};
use crate::{
    error::AppError,
    federation::{message_signatures, objects::actor::DbActor, objects::authority},
    state::AppState,
};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
#[enum_delegate::implement(Activity)]
pub enum InboxActivity {
    Follow(Follow),
    Accept(Accept),
    Undo(Box<Undo>),
    CreateOrUpdate(Box<CreateOrUpdate>),
    UpdateActor(Box<UpdateActor>),
    Delete(Delete),
    Like(Like),
    Announce(Box<Announce>),
    AddOrRemove(Box<AddOrRemove>),
    Block(Box<Block>),
    Flag(Box<Flag>),
    Participation(Box<Participation>),
    /// Known, harmless and of no use here (an `EmojiReact`): 202, nothing done.
    Acknowledged(Box<Acknowledged>),
}

/// Queues an activity once: a replayed id is acknowledged and ignored (`intake`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Once(pub InboxActivity);

#[async_trait::async_trait]
impl Activity for Once {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        self.0.id()
    }

    fn actor(&self) -> &Url {
        self.0.actor()
    }

    async fn verify(&self, data: &Data<AppState>) -> Result<(), AppError> {
        refuse_suspended(&self.0, data).await?;
        self.0.verify(data).await
    }

    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        // Verified: stored now (unless seen before), applied by the inbound workers.
        crate::federation::inbound::enqueue(data, &self.0).await
    }
}

/// Nothing is taken from an account our moderators suspended (no status, no
/// follow, no notification), except its own deletion, which erases what we hold
/// of it. A suspension its own server made is lifted by that server's `Update`.
async fn refuse_suspended(activity: &InboxActivity, data: &Data<AppState>) -> Result<(), AppError> {
    use activitypub_federation::traits::Object;
    let Some(actor) = DbActor::read_from_id(activity.actor().clone(), data).await? else {
        return Ok(());
    };
    let own_deletion =
        matches!(activity, InboxActivity::Delete(d) if &d.object == activity.actor());
    if actor.row.suspended_here() && !own_deletion {
        return Err(AppError::forbidden(
            "This account is suspended on this server",
        ));
    }
    Ok(())
}

/// The federation library caps inbox bodies at 1 MiB but answers a larger one with
/// a 500; this reads the body first, within the cap, and answers 413 instead.
pub const MAX_INBOX_BODY: usize = 1024 * 1024;

pub async fn limit_body(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let (parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_INBOX_BODY) {
        return AppError::payload_too_large().into_response();
    }
    match axum::body::to_bytes(body, MAX_INBOX_BODY).await {
        Ok(bytes) => {
            next.run(axum::extract::Request::from_parts(
                parts,
                axum::body::Body::from(bytes),
            ))
            .await
        }
        Err(_) => AppError::payload_too_large().into_response(),
    }
}

/// The signing key's host (with its port, as destinations are keyed), read before
/// anything is fetched, so a server outside the federation policy costs us nothing.
pub fn key_authority(headers: &HeaderMap) -> Option<String> {
    if message_signatures::present(headers) {
        return message_signatures::key_id(headers).map(|k| authority(&k));
    }
    let sig = headers.get("signature")?.to_str().ok()?;
    let key_id = sig
        .split(',')
        .find_map(|part| part.trim().strip_prefix("keyId="))?
        .trim_matches('"');
    Url::parse(key_id)
        .ok()
        .filter(|u| u.host_str().is_some())
        .map(|u| authority(&u))
}

/// The host of the activity's actor (an id or an embedded object). Only that
/// field is kept: the rest of the body is skipped, not built into a tree.
fn actor_authority(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ActorRef {
        Id(String),
        Object { id: String },
    }
    #[derive(Deserialize)]
    struct OnlyActor {
        actor: ActorRef,
    }
    let actor = match serde_json::from_slice::<OnlyActor>(body).ok()?.actor {
        ActorRef::Id(id) | ActorRef::Object { id } => id,
    };
    Url::parse(&actor)
        .ok()
        .filter(|u| u.host_str().is_some())
        .map(|u| authority(&u))
}

/// Checks made on the raw request before the federation library parses and
/// verifies it: a signature whose key is on an allowed server, the actor's own
/// server, and a date within the window.
async fn precheck(state: &AppState, request: Request) -> Result<(Parts, Bytes), AppError> {
    let (parts, body) = request.into_parts();
    let key = key_authority(&parts.headers)
        .ok_or_else(|| AppError::unauthorized("Missing or malformed Signature header"))?;
    if !state.policy.allows_authority(&key) {
        return Err(AppError::forbidden(
            "Federation with this server is not allowed",
        ));
    }
    crate::federation::signed_fetch::check_date(&parts.headers)?;
    // The body is already in memory (`limit_body`).
    let bytes = axum::body::to_bytes(body, MAX_INBOX_BODY)
        .await
        .map_err(|_| AppError::payload_too_large())?;
    match actor_authority(&bytes) {
        Some(actor) if actor == key => {}
        Some(_) => {
            return Err(AppError::unauthorized(
                "The signing key is not on the actor's server",
            ));
        }
        None => return Err(AppError::bad_request("The activity has no valid actor")),
    }
    Ok((parts, bytes))
}

/// Draft-cavage: the federation library verifies and hands over.
async fn receive_cavage(state: &AppState, parts: Parts, body: Bytes) -> Result<(), AppError> {
    let activity = ActivityData::from_request(Request::from_parts(parts, Body::from(body)), state)
        .await
        .map_err(|_| AppError::bad_request("Unreadable activity"))?;
    receive_activity::<Once, DbActor, AppState>(activity, &state.fed()).await
}

/// RFC 9421: verified here, then the checks the library makes for draft-cavage.
async fn receive_rfc9421(state: &AppState, parts: Parts, body: Bytes) -> Result<(), AppError> {
    let target = message_signatures::target(state, &parts.uri)?;
    let signer =
        message_signatures::verify(state, &parts.method, &target, &parts.headers, Some(&body))
            .await?;
    let activity: Once =
        serde_json::from_slice(&body).map_err(|_| AppError::bad_request("Unreadable activity"))?;
    if activity.actor() != &signer.url {
        return Err(AppError::unauthorized(
            "The activity's actor is not the signer",
        ));
    }
    if authority(activity.id()) != authority(activity.actor())
        || authority(activity.id()) == state.urls.domain()
    {
        return Err(AppError::bad_request(
            "The activity's id is not on its actor's server",
        ));
    }
    let data = state.fed();
    activity.verify(&data).await?;
    activity.receive(&data).await
}

pub async fn post_inbox(State(state): State<AppState>, request: Request) -> Response {
    let _answering = crate::federation::inbound::Answering::new(&state);
    let (parts, body) = match precheck(&state, request).await {
        Ok(a) => a,
        Err(e) => {
            tracing::info!(status = %e.status, error = %e, "inbox refused a request");
            return e.into_response();
        }
    };
    // `@context` is not required: it is ignored on receipt.
    // Kept as sent, for a community of ours to forward unchanged (`inbound::as_sent`).
    let as_sent = serde_json::from_slice(&body).unwrap_or_default();
    let received = async {
        if message_signatures::present(&parts.headers) {
            receive_rfc9421(&state, parts, body.clone()).await
        } else {
            receive_cavage(&state, parts, body.clone()).await
        }
    };
    match crate::federation::inbound::with_as_sent(as_sent, received).await {
        // The sender's server, if we had given up on it, was revived as it was stored.
        Ok(()) => (StatusCode::ACCEPTED, Json(serde_json::json!({}))).into_response(),
        Err(e) => {
            let e = match (e.status, super::unreadable::why(&body)) {
                (StatusCode::BAD_REQUEST, Some(why)) => {
                    AppError::bad_request(format!("Unreadable activity: {why}"))
                }
                _ => e,
            };
            tracing::info!(status = %e.status, error = %e, "inbox refused an activity");
            e.into_response()
        }
    }
}
