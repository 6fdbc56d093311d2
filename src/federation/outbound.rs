//! Events → activities, routed as FEP-1b12 wants. `publish` makes events durable;
//! the delivery workers (`federation::delivery`) turn them into activities with
//! `activities_for` and deliver them: a client request never waits on a remote server.
//!
//! Content of an `internal` community never gets here as an activity: every path
//! checks the community before building anything.

use serde_json::{Value, json};
use url::Url;

use super::{
    objects::post,
    protocol::{context::with_context, post::PUBLIC},
    reach::Reach,
};
use crate::{
    db::{self, actors::Actor, outbox::NewActivity, statuses::Status},
    error::{AppError, AppResult},
    model::id::new_id,
    service::events::Event,
    state::AppState,
};

fn activity_id(state: &AppState, kind: &str) -> String {
    format!("{}/activities/{kind}/{}", state.urls.base(), new_id())
}

/// Makes events durable and wakes the delivery workers: for events that arise
/// outside a service transaction (a community's Announce of what its inbox
/// accepted). Nothing is sent from the request itself. An Announce is keyed by
/// the activity it forwards, so applying an inbound job twice announces once.
pub async fn publish(state: &AppState, events: Vec<Event>) -> AppResult<()> {
    if events.is_empty() || state.config.federation.mode == crate::config::FederationMode::Closed {
        return Ok(());
    }
    let payloads = events
        .iter()
        .map(|e| {
            let key = match e {
                Event::Announce {
                    community_id,
                    activity,
                } => activity["id"]
                    .as_str()
                    .map(|id| format!("announce:{community_id}:{id}")),
                _ => None,
            };
            serde_json::to_string(e).map(|p| (p, key))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(AppError::internal)?;
    state
        .db
        .write(move |c| {
            let now = crate::service::now();
            for (p, key) in &payloads {
                db::outbox::enqueue_keyed_event(c, p, key.as_deref(), now)?;
            }
            Ok(())
        })
        .await?;
    state.wake_delivery();
    Ok(())
}

/// Wakes the delivery workers for events a service already stored in its own
/// transaction (`service::events::store`).
pub fn notify(state: &AppState, events: &[Event]) {
    if !events.is_empty() {
        state.wake_delivery();
    }
}

/// The activities an event becomes, with their destinations (none sent yet).
pub async fn activities_for(state: &AppState, event: Event) -> AppResult<Vec<NewActivity>> {
    let mut out = Vec::new();
    handle(&mut out, state, event).await?;
    Ok(out)
}

/// Queues `body` as `sender` for each inbox the policy allows.
async fn send(
    out: &mut Vec<NewActivity>,
    state: &AppState,
    sender: &Actor,
    body: Value,
    inboxes: Vec<String>,
) -> AppResult<()> {
    let mut targets: Vec<Url> = inboxes
        .iter()
        .filter_map(|i| Url::parse(i).ok())
        .filter(|u| state.policy.allows_url(u))
        // Our own inboxes never go through the network.
        .filter(|u| super::objects::authority(u) != state.urls.domain())
        .collect();
    targets.sort();
    targets.dedup();
    let ap_id = body["id"].as_str().unwrap_or_default().to_string();
    // What the activity is about, for causal order per object and inbox: the
    // object, or for a wrapper (Announce, Undo, Accept) the object it wraps.
    let object_ap_id = match &body["object"] {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => match o.get("object") {
            Some(Value::String(inner)) => Some(inner.clone()),
            Some(Value::Object(inner)) => inner.get("id").and_then(Value::as_str).map(String::from),
            _ => o.get("id").and_then(Value::as_str).map(String::from),
        },
        _ => None,
    };
    out.push(NewActivity {
        ap_id,
        actor_id: sender.id,
        object_ap_id,
        body: serde_json::to_string(&with_context(body)).map_err(AppError::internal)?,
        inboxes: targets
            .into_iter()
            .map(|u| (super::objects::authority(&u), u.to_string()))
            .map(|(d, u)| (u, d))
            .collect(),
    });
    Ok(())
}

/// Keeps the inboxes of servers that may hold `community`'s content (its
/// visibility, partners, members' servers; never a revoked server).
async fn within_reach(
    state: &AppState,
    community: &Actor,
    inboxes: Vec<String>,
) -> AppResult<Vec<String>> {
    let (policy, c) = (state.policy.clone(), community.clone());
    let reach = state
        .db
        .run(move |conn| Reach::load(conn, &policy, &c))
        .await?;
    Ok(inboxes
        .into_iter()
        .filter(|i| Url::parse(i).is_ok_and(|u| reach.may_receive(&super::objects::authority(&u))))
        .collect())
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
    ctx.status.confidential(ctx.community.as_ref())
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
    out: &mut Vec<NewActivity>,
    state: &AppState,
    ctx: &Context,
    activity: Value,
    also_plain_object: Option<Value>,
) -> AppResult<()> {
    let mentioned: Vec<String> = ctx.mentioned.iter().map(inbox_of).collect();
    match &ctx.community {
        Some(c) if c.local => {
            // A mention never carries a community's content past its reach.
            let mentioned = within_reach(state, c, mentioned).await?;
            send(out, state, &ctx.author, activity.clone(), mentioned).await?;
            announce(out, state, c, activity).await?;
            if let Some(object) = also_plain_object {
                announce(out, state, c, object).await?;
            }
        }
        Some(c) => {
            let mut inboxes = mentioned;
            inboxes.push(c.inbox_url.clone());
            send(out, state, &ctx.author, activity, inboxes).await?;
        }
        None => {
            let mut inboxes = mentioned;
            if ctx.status.visibility != "direct" {
                inboxes.extend(ctx.followers.iter().map(inbox_of));
            }
            send(out, state, &ctx.author, activity, inboxes).await?;
        }
    }
    Ok(())
}

async fn announce(
    out: &mut Vec<NewActivity>,
    state: &AppState,
    community: &Actor,
    object: Value,
) -> AppResult<()> {
    announce_to(out, state, community, object, vec![]).await
}

/// Announces `object` to the community's members' servers and to `extra` inboxes.
async fn announce_to(
    out: &mut Vec<NewActivity>,
    state: &AppState,
    community: &Actor,
    object: Value,
    extra: Vec<String>,
) -> AppResult<()> {
    let followers = community_followers(state, community.id).await?;
    let members_only = community.visibility != "public";
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
    let inboxes = within_reach(state, community, inboxes).await?;
    send(out, state, community, body, inboxes).await
}

async fn handle(out: &mut Vec<NewActivity>, state: &AppState, event: Event) -> AppResult<()> {
    let like = matches!(event, Event::Liked { .. });
    let request = matches!(event, Event::FollowRequested { .. } | Event::Blocked { .. });
    let kind = match event {
        Event::Blocked { .. } | Event::Unblocked { .. } => "Block",
        _ => "Follow",
    };
    let accepted = matches!(event, Event::FollowAccepted { .. });
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
            route(out, state, &ctx, activity, plain).await
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
            route(out, state, &ctx, activity, None).await
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
                        out,
                        state,
                        &ctx.author,
                        activity,
                        author_inbox.into_iter().collect(),
                    )
                    .await
                }
                Some(_) => route(out, state, &ctx, activity, None).await,
            }
        }
        Event::Reblogged { status_id } => boost(out, state, status_id, false).await,
        Event::Unreblogged { status_id } => boost(out, state, status_id, true).await,
        Event::Reported { report_id } => {
            let found = state
                .db
                .run(move |c| {
                    let Some(r) = db::reports::by_id(c, report_id)? else {
                        return Ok(None);
                    };
                    let target = db::actors::by_id(c, r.target_id)?;
                    let statuses = db::statuses::by_ids(c, &r.statuses())?;
                    Ok(Some((r, target, statuses, db::actors::instance_actor(c)?)))
                })
                .await?;
            let Some((r, target, statuses, Some(instance))) = found else {
                return Ok(());
            };
            if target.local {
                return Ok(());
            }
            // From the instance actor (the reporter stays anonymous there), to
            // the reported account's server; only that server's statuses.
            let mut object = vec![json!(target.ap_id)];
            object.extend(
                statuses
                    .iter()
                    .filter(|s| !s.local && s.actor_id == target.id)
                    .map(|s| json!(s.ap_id)),
            );
            let flag = json!({
                "id": r.ap_id,
                "type": "Flag",
                "actor": instance.ap_id,
                "object": object,
                "content": r.comment,
                "to": [target.ap_id],
            });
            send(out, state, &instance, flag, vec![inbox_of(&target)]).await
        }
        Event::Voted {
            status_id,
            actor_id,
            choices,
        } => {
            let Some(ctx) = load(state, status_id).await? else {
                return Ok(());
            };
            if confidential(&ctx) || ctx.author.local {
                return Ok(());
            }
            let voter = state
                .db
                .run(move |c| Ok(db::actors::by_id(c, actor_id)?))
                .await?;
            // Votes go to the poll's author only (not its community, which would
            // show everyone who chose what).
            for (id, name) in choices {
                let note = json!({
                    "id": id,
                    "type": "Note",
                    "name": name,
                    "attributedTo": voter.ap_id,
                    "inReplyTo": ctx.status.ap_id,
                    "to": [ctx.author.ap_id],
                });
                let activity = json!({
                    "id": format!("{id}/activity"),
                    "type": "Create",
                    "actor": voter.ap_id,
                    "to": [ctx.author.ap_id],
                    "object": note,
                });
                send(
                    out,
                    state,
                    &voter,
                    activity,
                    vec![ctx.author.inbox_url.clone()],
                )
                .await?;
            }
            Ok(())
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
        }
        | Event::Blocked {
            actor_id: follower_id,
            target_id,
            activity_id,
        }
        | Event::Unblocked {
            actor_id: follower_id,
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
                "type": kind,
                "actor": follower.ap_id,
                "object": target.ap_id,
            });
            let body = if request {
                follow
            } else {
                json!({ "id": activity_id_for(state, "undo"), "type": "Undo", "actor": follower.ap_id, "object": follow })
            };
            send(out, state, &follower, body, vec![target.inbox_url.clone()]).await
        }
        Event::FollowAccepted {
            follower_id,
            target_id,
            activity_id,
        }
        | Event::FollowRejected {
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
                "id": activity_id_for(state, if accepted { "accept" } else { "reject" }),
                "type": if accepted { "Accept" } else { "Reject" },
                "actor": target.ap_id,
                "object": { "id": activity_id, "type": "Follow", "actor": follower.ap_id, "object": target.ap_id },
            });
            send(out, state, &target, body, vec![follower.inbox_url.clone()]).await
        }
        Event::Announce {
            community_id,
            activity,
        } => {
            let community = state
                .db
                .run(move |c| Ok(db::actors::by_id(c, community_id)?))
                .await?;
            if !community.local || !community.federates() {
                return Ok(());
            }
            announce(out, state, &community, activity).await
        }
        Event::ActorDeleted { actor_id, inboxes } => {
            let actor = state
                .db
                .run(move |c| Ok(db::actors::by_id(c, actor_id)?))
                .await?;
            let body = json!({
                "id": activity_id_for(state, "delete"),
                "type": "Delete",
                "actor": actor.ap_id,
                "object": actor.ap_id,
                "to": [PUBLIC],
            });
            send(out, state, &actor, body, inboxes).await
        }
        Event::ActorUpdated { actor_id } => {
            let (actor, followers) = state
                .db
                .run(move |c| {
                    Ok((
                        db::actors::by_id(c, actor_id)?,
                        db::follows::remote_followers(c, actor_id)?,
                    ))
                })
                .await?;
            if !actor.local || !actor.federates() {
                return Ok(());
            }
            let to = if actor.visibility == "public" {
                PUBLIC.to_string()
            } else {
                format!("{}/followers", actor.ap_id)
            };
            let body = json!({
                "id": activity_id_for(state, "update"),
                "type": "Update",
                "actor": actor.ap_id,
                "to": [to],
                // A suspension travels as the key-only actor with `suspended`,
                // its end as the whole actor again (as Mastodon).
                "object": super::protocol::actor::public_doc(&actor),
            });
            let mut inboxes: Vec<String> = followers.iter().map(inbox_of).collect();
            if actor.kind() == crate::model::actor::ActorKind::Group {
                inboxes = within_reach(state, &actor, inboxes).await?;
            }
            send(out, state, &actor, body, inboxes).await
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
            moderation(out, state, &community, &person, body).await
        }
        Event::Revoked {
            community_id,
            domain,
        } => {
            let (community, (objects, inboxes)) = state
                .db
                .run(move |c| {
                    let community = db::actors::by_id(c, community_id)?;
                    let held = db::outbox::delivered_to(c, community_id, &domain)?;
                    Ok((community, held))
                })
                .await?;
            let statuses = format!("{}/statuses/", state.urls.base());
            for object in objects.iter().filter(|o| o.starts_with(&statuses)) {
                let body = json!({
                    "id": activity_id_for(state, "delete"),
                    "type": "Delete",
                    "actor": community.ap_id,
                    "to": [PUBLIC],
                    "object": object,
                    "audience": community.ap_id,
                });
                send(out, state, &community, body, inboxes.clone()).await?;
            }
            Ok(())
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
            moderation(out, state, &community, &person, body).await
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
    out: &mut Vec<NewActivity>,
    state: &AppState,
    community: &Actor,
    person: &Actor,
    body: Value,
) -> AppResult<()> {
    if !community.local || !community.federates() {
        return Ok(());
    }
    let extra = if person.local {
        vec![]
    } else {
        vec![inbox_of(person)]
    };
    announce_to(out, state, community, body, extra).await
}

fn activity_id_for(state: &AppState, kind: &str) -> String {
    activity_id(state, kind)
}

/// A boost (`Announce`) or its `Undo`, to the booster's followers' servers and
/// the boosted author's.
async fn boost(
    out: &mut Vec<NewActivity>,
    state: &AppState,
    status_id: i64,
    undo: bool,
) -> AppResult<()> {
    let found = state
        .db
        .run(move |c| {
            let Some(boost) = db::statuses::by_id(c, status_id)? else {
                return Ok(None);
            };
            let Some(original) = boost
                .reblog_of_id
                .map(|o| db::statuses::by_id(c, o))
                .transpose()?
                .flatten()
            else {
                return Ok(None);
            };
            let booster = db::actors::by_id(c, boost.actor_id)?;
            let author = db::actors::by_id(c, original.actor_id)?;
            let followers = db::follows::remote_followers(c, booster.id)?;
            Ok(Some((boost, original, booster, author, followers)))
        })
        .await?;
    let Some((boost, original, booster, author, followers)) = found else {
        return Ok(());
    };
    // Only public statuses are boosted; checked again where data leaves.
    if !booster.local || !matches!(original.visibility.as_str(), "public" | "unlisted") {
        return Ok(());
    }
    // Addressed as the boost's own visibility says.
    let collection: Vec<Value> = booster.followers_url.iter().map(|f| json!(f)).collect();
    let (to, mut cc) = match boost.visibility.as_str() {
        "public" => (vec![json!(PUBLIC)], collection),
        "unlisted" => (collection, vec![json!(PUBLIC)]),
        _ => (collection, vec![]),
    };
    cc.push(json!(author.ap_id));
    let announce = json!({
        "id": boost.ap_id,
        "type": "Announce",
        "actor": booster.ap_id,
        "object": original.ap_id,
        "to": to,
        "cc": cc,
        "published": boost.created_at.and_utc().to_rfc3339(),
    });
    let body = if undo {
        json!({
            "id": format!("{}/undo", boost.ap_id),
            "type": "Undo",
            "actor": booster.ap_id,
            "object": announce,
            "to": [PUBLIC],
        })
    } else {
        announce
    };
    let mut inboxes: Vec<String> = followers.iter().map(inbox_of).collect();
    if !author.local {
        inboxes.push(inbox_of(&author));
    }
    inboxes.sort();
    inboxes.dedup();
    send(out, state, &booster, body, inboxes).await
}
