//! Where activities go: `send` to inboxes the policy allows, `route` as FEP-1b12
//! wants, `announce_to` a community's members' servers, `within_reach` of a
//! community. Nothing leaves from here: the activities are stored for delivery.

use serde::Serialize;
use serde_json::Value;
use url::Url;

use crate::{
    db::{self, actors::Actor, outbox::NewActivity, statuses::Status},
    error::{AppError, AppResult},
    federation::{
        activities::{
            announce::{Announce, Announced},
            stored_url,
        },
        nodeinfo,
        objects::authority,
        protocol::{
            context::with_context,
            post::{ApPost, PUBLIC},
        },
        reach::Reach,
    },
    model::visibility::{CommunityVisibility, Visibility},
    state::AppState,
};

/// The activities one event becomes, with their destinations.
pub struct Outgoing<'a> {
    pub state: &'a AppState,
    pub activities: Vec<NewActivity>,
}

/// A status and who it concerns: what `route` needs.
pub struct Context {
    pub status: Status,
    /// Who acts (the author; the deleter or liker when they send).
    pub author: Actor,
    pub community: Option<Actor>,
    /// Remote people mentioned in the status.
    pub mentioned: Vec<Actor>,
    /// Remote followers of the author (posts outside communities).
    pub followers: Vec<Actor>,
}

pub fn inbox_of(a: &Actor) -> String {
    a.shared_inbox_url
        .clone()
        .unwrap_or_else(|| a.inbox_url.clone())
}

/// The server (`host[:port]`) of a received activity's actor.
fn origin_of(activity: &serde_json::Value) -> Option<String> {
    let actor = &activity["actor"];
    let id = actor.as_str().or_else(|| actor["id"].as_str())?;
    Url::parse(id).ok().map(|u| authority(&u))
}

/// A member's activity, forwarded, is not echoed to the server it came from:
/// that server has it (and Lemmy refuses its own activities back).
fn not_back_to_origin(mut inboxes: Vec<String>, object: &Announced) -> Vec<String> {
    if let Announced::Other(received) = object {
        let origin = origin_of(received);
        inboxes.retain(|i| Url::parse(i).ok().map(|u| authority(&u)) != origin);
    }
    inboxes
}

pub fn public() -> Url {
    Url::parse(PUBLIC).unwrap_or_else(|_| unreachable!("a constant URL"))
}

impl<'a> Outgoing<'a> {
    pub fn new(state: &'a AppState) -> Self {
        Outgoing {
            state,
            activities: Vec::new(),
        }
    }

    pub fn new_id(&self, kind: &str) -> Url {
        self.state.urls.new_activity(kind)
    }

    pub async fn actor(&self, id: i64) -> AppResult<Actor> {
        self.state
            .db
            .run(move |c| Ok(db::actors::by_id(c, id)?))
            .await
    }

    /// Queues `activity` as `sender` for each inbox the policy allows.
    pub fn send(
        &mut self,
        sender: &Actor,
        activity: &impl Serialize,
        inboxes: Vec<String>,
    ) -> AppResult<()> {
        let mut body = serde_json::to_value(activity).map_err(AppError::internal)?;
        stamp(&mut body);
        let mut targets: Vec<Url> = inboxes
            .iter()
            .filter_map(|i| Url::parse(i).ok())
            .filter(|u| self.state.policy.allows_url(u))
            // Our own inboxes never go through the network.
            .filter(|u| authority(u) != self.state.urls.domain())
            .collect();
        targets.sort();
        targets.dedup();
        self.activities.push(NewActivity {
            ap_id: body["id"].as_str().unwrap_or_default().to_string(),
            actor_id: sender.id,
            object_ap_id: about(&body),
            body: serde_json::to_string(&with_context(body)).map_err(AppError::internal)?,
            inboxes: targets
                .into_iter()
                .map(|u| (u.to_string(), authority(&u)))
                .collect(),
        });
        Ok(())
    }

    /// Keeps the inboxes of servers that may hold `community`'s content (its
    /// visibility, partners, members' servers; never a revoked server).
    pub async fn within_reach(
        &self,
        community: &Actor,
        inboxes: Vec<String>,
    ) -> AppResult<Vec<String>> {
        let (policy, c) = (self.state.policy.clone(), community.clone());
        let reach = self
            .state
            .db
            .run(move |conn| Reach::load(conn, &policy, &c))
            .await?;
        Ok(inboxes
            .into_iter()
            .filter(|i| Url::parse(i).is_ok_and(|u| reach.may_receive(&authority(&u))))
            .collect())
    }

    /// The community announces `object` to its members' servers and to `extra` inboxes.
    pub async fn announce_to(
        &mut self,
        community: &Actor,
        object: Announced,
        extra: Vec<String>,
    ) -> AppResult<()> {
        let inboxes = self.members_inboxes(community, extra).await?;
        let inboxes = not_back_to_origin(inboxes, &object);
        let announce = self.announce(community, object)?;
        self.send(community, &announce, inboxes)
    }

    /// A new post in the community, local or from a member elsewhere: the
    /// activity that made it, wrapped, to every member's server, and the post
    /// bare to those whose software shows only that (`nodeinfo`).
    pub async fn announce_post(
        &mut self,
        community: &Actor,
        activity: Announced,
        post: Announced,
    ) -> AppResult<()> {
        let everyone = self.members_inboxes(community, vec![]).await?;
        // The bare re-share is the community's own boost, new to every server,
        // the author's too (its other users see the post through it there).
        let bare = self.plain_takers(everyone.clone()).await?;
        let wrapped = self.announce(community, activity)?;
        let inboxes = not_back_to_origin(everyone, &wrapped.object);
        self.send(community, &wrapped, inboxes)?;
        let plain = self.announce(community, post)?;
        self.send(community, &plain, bare)
    }

    pub fn announce(&self, community: &Actor, object: Announced) -> AppResult<Announce> {
        let members = stored_url(&format!("{}/followers", community.ap_id))?;
        let to = if community.reach() == CommunityVisibility::Public {
            public()
        } else {
            members.clone()
        };
        Announce::new(
            self.new_id("announce"),
            community,
            object,
            vec![to],
            vec![members],
            Some(chrono::Utc::now()),
        )
    }

    /// The inboxes of the community's members' servers and `extra`, within its
    /// reach.
    pub async fn members_inboxes(
        &self,
        community: &Actor,
        extra: Vec<String>,
    ) -> AppResult<Vec<String>> {
        let id = community.id;
        let followers = self
            .state
            .db
            .run(move |c| Ok(db::follows::remote_followers(c, id)?))
            .await?;
        let mut inboxes: Vec<String> = followers.iter().map(inbox_of).collect();
        inboxes.extend(extra);
        self.within_reach(community, inboxes).await
    }

    /// Those of `inboxes` on servers that want a community's posts bare.
    pub async fn plain_takers(&self, inboxes: Vec<String>) -> AppResult<Vec<String>> {
        let domains: Vec<String> = inboxes
            .iter()
            .filter_map(|i| Url::parse(i).ok().map(|u| authority(&u)))
            .collect();
        let software = self
            .state
            .db
            .run(move |c| Ok(db::instances::software_of(c, &domains)?))
            .await?;
        Ok(inboxes
            .into_iter()
            .filter(|i| {
                let domain = Url::parse(i).ok().map(|u| authority(&u));
                let runs = domain.and_then(|d| software.get(&d).map(String::as_str));
                nodeinfo::takes_plain_objects(runs)
            })
            .collect())
    }

    /// Sends an activity about a status the way FEP-1b12 routes it: to the remote
    /// community, or as an Announce from our community to its members' servers
    /// (with the post itself when it is new), or to the author's followers;
    /// always to mentioned people.
    pub async fn route(
        &mut self,
        ctx: &Context,
        activity: Announced,
        new_post: Option<ApPost>,
    ) -> AppResult<()> {
        let mut inboxes: Vec<String> = ctx.mentioned.iter().map(inbox_of).collect();
        match &ctx.community {
            Some(c) if c.local => {
                // A mention never carries a community's content past its reach.
                let inboxes = self.within_reach(c, inboxes).await?;
                self.send(&ctx.author, &activity, inboxes)?;
                match new_post {
                    Some(post) => {
                        self.announce_post(c, activity, Announced::Post(Box::new(post)))
                            .await
                    }
                    None => self.announce_to(c, activity, vec![]).await,
                }
            }
            Some(c) => {
                inboxes.push(c.inbox_url.clone());
                self.send(&ctx.author, &activity, inboxes)
            }
            None => {
                if ctx.status.visibility != Visibility::Direct {
                    inboxes.extend(ctx.followers.iter().map(inbox_of));
                }
                self.send(&ctx.author, &activity, inboxes)
            }
        }
    }
}

/// Every activity we send says when it was made (GoToSocial and others log an
/// error for one without `published`); one made earlier keeps its time.
fn stamp(body: &mut Value) {
    if let Some(o) = body.as_object_mut() {
        o.entry("published").or_insert_with(|| {
            Value::String(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        });
    }
}

/// What an activity is about, for causal order per object and inbox: the object,
/// or for a wrapper (Announce, Undo, Accept) the object it wraps.
fn about(body: &Value) -> Option<String> {
    match &body["object"] {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => match o.get("object") {
            Some(Value::String(inner)) => Some(inner.clone()),
            Some(Value::Object(inner)) => inner.get("id").and_then(Value::as_str).map(String::from),
            _ => o.get("id").and_then(Value::as_str).map(String::from),
        },
        _ => None,
    }
}
