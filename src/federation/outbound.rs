//! Events → activities → signed deliveries. Runs in background tasks so a client
//! request never waits on a remote server.
//!
//! Content of an `internal` community never gets here as an activity: every path
//! checks the community before building anything.

use activitypub_federation::{activity_sending::SendActivityTask, config::Data, traits::Activity};
use serde_json::{Value, json};
use url::Url;

use super::{
    objects::{actor::DbActor, post},
    protocol::{context::with_context, post::PUBLIC},
};
use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::{AppError, AppResult},
    model::{id::new_id, visibility::CommunityVisibility},
    service::events::Event,
    state::AppState,
};

/// An activity ready to send: its JSON (with `@context`), id and actor.
#[derive(Debug, Clone)]
pub struct Outgoing {
    id: Url,
    actor: Url,
    body: Value,
}

impl serde::Serialize for Outgoing {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.body.serialize(s)
    }
}

#[async_trait::async_trait]
impl Activity for Outgoing {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        &self.actor
    }

    async fn verify(&self, _: &Data<AppState>) -> Result<(), AppError> {
        Err(AppError::bad_request(
            "outgoing activities are not received",
        ))
    }

    async fn receive(self, _: &Data<AppState>) -> Result<(), AppError> {
        Err(AppError::bad_request(
            "outgoing activities are not received",
        ))
    }
}

fn url(s: &str) -> AppResult<Url> {
    Url::parse(s).map_err(AppError::internal)
}

fn activity_id(state: &AppState, kind: &str) -> String {
    format!("{}/activities/{kind}/{}", state.urls.base(), new_id())
}

/// Hands events to a background task; errors are logged, never returned to the client.
pub fn publish(state: &AppState, events: Vec<Event>) {
    if events.is_empty() || state.config.federation.mode == crate::config::FederationMode::Closed {
        return;
    }
    let state = state.clone();
    let tasks = state.tasks.clone();
    tasks.spawn(async move {
        for event in events {
            if let Err(e) = handle(&state, event).await {
                tracing::warn!(error = %e, "could not federate an event");
            }
        }
    });
}

/// Signs and sends `body` as `sender` to each inbox the policy allows.
async fn send(
    state: &AppState,
    sender: &Actor,
    body: Value,
    inboxes: Vec<String>,
) -> AppResult<()> {
    let data = state.fed();
    let mut targets: Vec<Url> = inboxes
        .iter()
        .filter_map(|i| Url::parse(i).ok())
        .filter(|u| state.policy.allows_url(u))
        .collect();
    targets.sort();
    targets.dedup();
    if targets.is_empty() {
        return Ok(());
    }
    let id = url(body["id"].as_str().unwrap_or_default())?;
    let activity = Outgoing {
        id,
        actor: url(&sender.ap_id)?,
        body: with_context(body),
    };
    let sender = DbActor::new(sender.clone())?;
    for task in SendActivityTask::prepare(&activity, &sender, targets, &data).await? {
        let data: Data<AppState> = data.reset_request_count();
        state.tasks.spawn(async move {
            if let Err(e) = task.sign_and_send(&data).await {
                tracing::warn!(error = %e, "delivery failed");
            }
        });
    }
    Ok(())
}

fn inbox_of(a: &Actor) -> String {
    a.shared_inbox_url
        .clone()
        .unwrap_or_else(|| a.inbox_url.clone())
}

struct Context {
    status: Status,
    author: Actor,
    community: Option<Actor>,
    mentioned: Vec<Actor>,
    /// Remote followers of the author (posts outside communities).
    followers: Vec<Actor>,
}

async fn load(state: &AppState, status_id: i64) -> AppResult<Option<Context>> {
    state
        .db
        .run(move |c| {
            let Some(status) = db::statuses::by_id(c, status_id)? else {
                return Ok(None);
            };
            let author = db::actors::by_id(c, status.actor_id)?;
            let community = status
                .community_id
                .map(|i| db::actors::by_id(c, i))
                .transpose()?;
            let ids: Vec<i64> = db::statuses::mentioned_actor_ids(c, &[status_id])?
                .into_iter()
                .map(|(_, a)| a)
                .collect();
            let mentioned = db::actors::by_ids(c, &ids)?
                .into_iter()
                .filter(|a| !a.local)
                .collect();
            let followers = db::follows::remote_followers(c, author.id)?;
            Ok(Some(Context {
                status,
                author,
                community,
                mentioned,
                followers,
            }))
        })
        .await
}

/// Internal communities and internal statuses never leave the instance.
fn confidential(ctx: &Context) -> bool {
    ctx.status.visibility == "internal"
        || ctx.community.as_ref().is_some_and(|c| {
            !c.visibility
                .parse::<CommunityVisibility>()
                .is_ok_and(|v| v.federates())
        })
}

async fn community_followers(state: &AppState, community_id: i64) -> AppResult<Vec<Actor>> {
    state
        .db
        .run(move |c| Ok(db::follows::remote_followers(c, community_id)?))
        .await
}

/// Sends an activity about a status the way FEP-1b12 routes it: to the remote
/// community, or as an Announce from our community to its members' servers, or to
/// the author's followers; always to mentioned people.
async fn route(
    state: &AppState,
    ctx: &Context,
    activity: Value,
    also_plain_object: Option<Value>,
) -> AppResult<()> {
    let mentioned: Vec<String> = ctx.mentioned.iter().map(inbox_of).collect();
    match &ctx.community {
        Some(c) if c.local => {
            send(state, &ctx.author, activity.clone(), mentioned).await?;
            announce(state, c, activity).await?;
            if let Some(object) = also_plain_object {
                announce(state, c, object).await?;
            }
        }
        Some(c) => {
            let mut inboxes = mentioned;
            inboxes.push(c.inbox_url.clone());
            send(state, &ctx.author, activity, inboxes).await?;
        }
        None => {
            let mut inboxes = mentioned;
            if ctx.status.visibility != "direct" {
                inboxes.extend(ctx.followers.iter().map(inbox_of));
            }
            send(state, &ctx.author, activity, inboxes).await?;
        }
    }
    Ok(())
}

async fn announce(state: &AppState, community: &Actor, object: Value) -> AppResult<()> {
    announce_to(state, community, object, vec![]).await
}

/// Announces `object` to the community's members' servers and to `extra` inboxes.
async fn announce_to(
    state: &AppState,
    community: &Actor,
    object: Value,
    extra: Vec<String>,
) -> AppResult<()> {
    let followers = community_followers(state, community.id).await?;
    let members_only = community.visibility == "members";
    let body = json!({
        "id": activity_id(state, "announce"),
        "type": "Announce",
        "actor": community.ap_id,
        "to": if members_only { json!([format!("{}/followers", community.ap_id)]) } else { json!([PUBLIC]) },
        "cc": [format!("{}/followers", community.ap_id)],
        "object": object,
    });
    let mut inboxes: Vec<String> = followers.iter().map(inbox_of).collect();
    inboxes.extend(extra);
    send(state, community, body, inboxes).await
}

async fn handle(state: &AppState, event: Event) -> AppResult<()> {
    let like = matches!(event, Event::Liked { .. });
    let request = matches!(event, Event::FollowRequested { .. });
    match event {
        Event::StatusCreated { status_id } | Event::StatusUpdated { status_id } => {
            let created = matches!(event, Event::StatusCreated { .. });
            let Some(ctx) = load(state, status_id).await? else {
                return Ok(());
            };
            if confidential(&ctx) {
                return Ok(());
            }
            let object = serde_json::to_value(post::to_ap(state, &ctx.status).await?)
                .map_err(AppError::internal)?;
            let activity = json!({
                "id": activity_id(state, if created { "create" } else { "update" }),
                "type": if created { "Create" } else { "Update" },
                "actor": ctx.author.ap_id,
                "to": object["to"],
                "cc": object["cc"],
                "audience": object["audience"],
                "object": object,
            });
            let plain = created.then(|| object.clone());
            route(state, &ctx, activity, plain).await
        }
        Event::StatusDeleted { status_id, by } => {
            let Some(ctx) = load(state, status_id).await? else {
                return Ok(());
            };
            if confidential(&ctx) {
                return Ok(());
            }
            let deleter = state.db.run(move |c| Ok(db::actors::by_id(c, by)?)).await?;
            let activity = json!({
                "id": activity_id(state, "delete"),
                "type": "Delete",
                "actor": deleter.ap_id,
                "to": [PUBLIC],
                "cc": ctx.community.as_ref().map(|c| vec![c.ap_id.clone()]).unwrap_or_default(),
                "audience": ctx.community.as_ref().map(|c| c.ap_id.clone()),
                "object": ctx.status.ap_id,
            });
            let ctx = Context {
                author: deleter,
                ..ctx
            };
            route(state, &ctx, activity, None).await
        }
        Event::Liked {
            actor_id,
            status_id,
            activity_id,
        }
        | Event::Unliked {
            actor_id,
            status_id,
            activity_id,
        } => {
            let Some(ctx) = load(state, status_id).await? else {
                return Ok(());
            };
            if confidential(&ctx) {
                return Ok(());
            }
            let liker = state
                .db
                .run(move |c| Ok(db::actors::by_id(c, actor_id)?))
                .await?;
            let like_json = json!({
                "id": activity_id,
                "type": "Like",
                "actor": liker.ap_id,
                "object": ctx.status.ap_id,
                "audience": ctx.community.as_ref().map(|c| c.ap_id.clone()),
            });
            let activity = if like {
                like_json
            } else {
                json!({
                    "id": activity_id_for(state, "undo"),
                    "type": "Undo",
                    "actor": liker.ap_id,
                    "object": like_json,
                    "audience": ctx.community.as_ref().map(|c| c.ap_id.clone()),
                })
            };
            // Likes go to the community (or the author), not to mentioned people.
            let author_inbox = (!ctx.author.local).then(|| inbox_of(&ctx.author));
            let ctx = Context {
                author: liker,
                mentioned: vec![],
                followers: vec![],
                ..ctx
            };
            match &ctx.community {
                None => {
                    send(
                        state,
                        &ctx.author,
                        activity,
                        author_inbox.into_iter().collect(),
                    )
                    .await
                }
                Some(_) => route(state, &ctx, activity, None).await,
            }
        }
        Event::FollowRequested {
            follower_id,
            target_id,
            activity_id,
        }
        | Event::Unfollowed {
            follower_id,
            target_id,
            activity_id,
        } => {
            let (follower, target) = state
                .db
                .run(move |c| {
                    Ok((
                        db::actors::by_id(c, follower_id)?,
                        db::actors::by_id(c, target_id)?,
                    ))
                })
                .await?;
            let follow = json!({
                "id": activity_id,
                "type": "Follow",
                "actor": follower.ap_id,
                "object": target.ap_id,
            });
            let body = if request {
                follow
            } else {
                json!({ "id": activity_id_for(state, "undo"), "type": "Undo", "actor": follower.ap_id, "object": follow })
            };
            send(state, &follower, body, vec![target.inbox_url.clone()]).await
        }
        Event::FollowAccepted {
            follower_id,
            target_id,
            activity_id,
        } => {
            let (follower, target) = state
                .db
                .run(move |c| {
                    Ok((
                        db::actors::by_id(c, follower_id)?,
                        db::actors::by_id(c, target_id)?,
                    ))
                })
                .await?;
            let body = json!({
                "id": activity_id_for(state, "accept"),
                "type": "Accept",
                "actor": target.ap_id,
                "object": { "id": activity_id, "type": "Follow", "actor": follower.ap_id, "object": target.ap_id },
            });
            send(state, &target, body, vec![follower.inbox_url.clone()]).await
        }
        Event::Announce {
            community_id,
            activity,
        } => {
            let community = state
                .db
                .run(move |c| Ok(db::actors::by_id(c, community_id)?))
                .await?;
            if !community.local
                || !community
                    .visibility
                    .parse::<CommunityVisibility>()
                    .is_ok_and(|v| v.federates())
            {
                return Ok(());
            }
            announce(state, &community, activity).await
        }
        Event::ModeratorChanged {
            community_id,
            actor_id,
            added,
            by,
        } => {
            let (community, person, moderator) = three(state, community_id, actor_id, by).await?;
            let body = json!({
                "id": activity_id_for(state, if added { "add" } else { "remove" }),
                "type": if added { "Add" } else { "Remove" },
                "actor": moderator.ap_id,
                "object": person.ap_id,
                "target": format!("{}/moderators", community.ap_id),
                "audience": community.ap_id,
            });
            moderation(state, &community, &person, body).await
        }
        Event::Banned {
            community_id,
            actor_id,
            by,
            reason,
        } => {
            let (community, person, moderator) = three(state, community_id, actor_id, by).await?;
            let body = json!({
                "id": activity_id_for(state, "block"),
                "type": "Block",
                "actor": moderator.ap_id,
                "object": person.ap_id,
                "target": community.ap_id,
                "summary": reason,
                "audience": community.ap_id,
            });
            moderation(state, &community, &person, body).await
        }
    }
}

async fn three(state: &AppState, a: i64, b: i64, c: i64) -> AppResult<(Actor, Actor, Actor)> {
    state
        .db
        .run(move |conn| {
            Ok((
                db::actors::by_id(conn, a)?,
                db::actors::by_id(conn, b)?,
                db::actors::by_id(conn, c)?,
            ))
        })
        .await
}

/// A moderation activity of a local community, announced by the community (which
/// vouches for it) to its members' servers and to the person concerned, who may
/// no longer be a member.
async fn moderation(
    state: &AppState,
    community: &Actor,
    person: &Actor,
    body: Value,
) -> AppResult<()> {
    if !community.local
        || !community
            .visibility
            .parse::<CommunityVisibility>()
            .is_ok_and(|v| v.federates())
    {
        return Ok(());
    }
    let extra = if person.local {
        vec![]
    } else {
        vec![inbox_of(person)]
    };
    announce_to(state, community, body, extra).await
}

fn activity_id_for(state: &AppState, kind: &str) -> String {
    activity_id(state, kind)
}
