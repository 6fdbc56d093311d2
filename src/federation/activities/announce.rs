//! `Announce` by a remote community of its members' activities (FEP-1b12), or of a
//! plain object. The inner activity is not signed by its author: it is accepted only
//! from a group someone here follows, and the inner checks (same host for actor and
//! object) still apply; plain objects are fetched again from their origin.

use activitypub_federation::{
    config::Data, fetch::object_id::ObjectId, kinds::activity::AnnounceType, traits::Activity,
};
use serde::{Deserialize, Serialize};
use url::Url;

use super::{
    create_or_update::CreateOrUpdate,
    delete::Delete,
    like::Like,
    moderation::{AddOrRemove, Block},
    undo::Undo,
    vouch::Origin,
};
use crate::{
    db::{self, actors::Actor},
    error::AppError,
    federation::{
        objects::{actor::DbActor, post::DbStatus},
        protocol::post::ApPost,
    },
    model::actor::ActorKind,
    state::AppState,
};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Announced {
    CreateOrUpdate(Box<CreateOrUpdate>),
    Delete(Box<Delete>),
    Like(Box<Like>),
    Undo(Box<Undo>),
    AddOrRemove(Box<AddOrRemove>),
    Block(Box<Block>),
    /// A bare object or its id: fetched from its origin, never trusted as sent.
    Object(Box<IdOnly>),
    Id(Url),
    /// Anything else (a downvote, an activity we do not know): acknowledged, ignored;
    /// and a member's activity we forward as received.
    Other(serde_json::Value),
    /// Sent only: one of our new posts, announced whole beside its `Create`
    /// (received ones parse as `Object` above and are fetched again).
    Post(Box<ApPost>),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdOnly {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: ObjectKind,
}

/// The object types that can be announced as content.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub enum ObjectKind {
    Page,
    Note,
    Article,
    Question,
    Video,
    Event,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Announce {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: AnnounceType,
    #[serde(deserialize_with = "crate::federation::protocol::refs::one")]
    pub actor: ObjectId<DbActor>,
    pub object: Announced,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::federation::protocol::post::addressees"
    )]
    pub to: Vec<Url>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::federation::protocol::post::addressees"
    )]
    pub cc: Vec<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<chrono::DateTime<chrono::Utc>>,
}

impl Announce {
    pub fn new(
        id: Url,
        actor: &Actor,
        object: Announced,
        to: Vec<Url>,
        cc: Vec<Url>,
        published: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<Announce, AppError> {
        Ok(Announce {
            id,
            kind: AnnounceType::Announce,
            actor: super::stored_url(&actor.ap_id)?.into(),
            object,
            to,
            cc,
            published,
        })
    }
}

impl Announced {
    /// The status a person's boost is of.
    fn boosted(&self) -> Option<&Url> {
        match self {
            Announced::Object(o) => Some(&o.id),
            Announced::Id(id) => Some(id),
            _ => None,
        }
    }

    /// The actor of an announced activity (not of a bare object).
    pub fn actor(&self) -> Option<&Url> {
        match self {
            Announced::CreateOrUpdate(a) => Some(a.actor.inner()),
            Announced::Delete(a) => Some(a.actor.inner()),
            Announced::Like(a) => Some(a.actor.inner()),
            Announced::Undo(a) => Some(a.actor.inner()),
            Announced::AddOrRemove(a) => Some(a.actor.inner()),
            Announced::Block(a) => Some(a.actor.inner()),
            Announced::Object(_) | Announced::Id(_) | Announced::Other(_) | Announced::Post(_) => {
                None
            }
        }
    }

    /// A ban of one of our people (`base`: our URLs' start), or a ban lifted.
    fn bans_one_of(&self, base: &str) -> bool {
        let block = match self {
            Announced::Block(b) => b,
            Announced::Undo(u) => match &u.object {
                super::undo::Undoable::Block(b) => b,
                _ => return false,
            },
            _ => return false,
        };
        block.target.is_some() && block.object.inner().as_str().starts_with(base)
    }

    /// The status an announced like, unlike or deletion acts on.
    fn acted_on(&self) -> Option<&Url> {
        match self {
            Announced::Delete(a) => Some(&a.object),
            Announced::Like(a) => Some(a.object.inner()),
            Announced::Undo(a) => match &a.object {
                super::undo::Undoable::Like(l) => Some(l.object.inner()),
                super::undo::Undoable::Delete(d) => Some(&d.object),
                _ => None,
            },
            _ => None,
        }
    }

    fn inner_id(&self) -> Option<&Url> {
        match self {
            Announced::CreateOrUpdate(a) => Some(&a.id),
            Announced::Delete(a) => Some(&a.id),
            Announced::Like(a) => Some(&a.id),
            Announced::Undo(a) => Some(&a.id),
            Announced::AddOrRemove(a) => Some(&a.id),
            Announced::Block(a) => Some(&a.id),
            Announced::Object(_) | Announced::Id(_) | Announced::Other(_) | Announced::Post(_) => {
                None
            }
        }
    }
}

#[async_trait::async_trait]
impl Activity for Announce {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, data: &Data<AppState>) -> Result<(), AppError> {
        super::same_host(self.actor.inner(), &self.id, "Announce")?;
        let actor = self.actor.inner().to_string();
        let (group, followed) = data
            .db
            .run(move |c| {
                let Some(a) = db::actors::by_ap_id(c, &actor)? else {
                    return Ok((false, false));
                };
                Ok((
                    a.kind() == ActorKind::Group,
                    db::follows::has_local_follower(c, a.id)?,
                ))
            })
            .await?;
        if !group {
            // A person's boost: of a status of ours, or by someone followed here.
            let object_ours = self
                .object
                .boosted()
                .is_some_and(|u| u.as_str().starts_with(data.urls.base()));
            return match self.object.boosted() {
                Some(_) if followed || object_ours => Ok(()),
                Some(_) => Err(AppError::forbidden(
                    "Announce from an account nobody here follows",
                )),
                None => Err(AppError::forbidden("Announce: a person boosts a status")),
            };
        }
        // A ban or its lifting reaches the person concerned even when nobody here
        // follows the group any more (a ban ends their membership).
        if !followed && !self.object.bans_one_of(data.urls.base()) {
            return Err(AppError::forbidden(
                "Announce from a group nobody here follows",
            ));
        }
        super::vouch::check(data, self.actor.inner(), &self.object)?;
        match &self.object {
            Announced::CreateOrUpdate(a) => {
                // A group forwards what was posted in it, nothing else: content
                // addressed to another community is not its to announce.
                let group = self.actor.inner();
                let addressed = a.audience.as_ref() == Some(group)
                    || a.object.audience.as_ref() == Some(group)
                    || a.object.addressees().any(|u| u == group)
                    || a.to.iter().chain(&a.cc).any(|u| u == group);
                if !addressed {
                    return Err(AppError::forbidden(
                        "Announce: the object was not posted in this group",
                    ));
                }
                a.verify(data).await
            }
            Announced::Delete(a) => a.verify(data).await,
            Announced::Like(a) => a.verify(data).await,
            Announced::Undo(a) => a.verify(data).await,
            Announced::AddOrRemove(a) => a.verify(data).await,
            Announced::Block(a) => a.verify(data).await,
            Announced::Object(_) | Announced::Id(_) | Announced::Other(_) | Announced::Post(_) => {
                Ok(())
            }
        }
    }

    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        if let Some(id) = self.object.inner_id()
            && super::seen(data, id).await?
        {
            return Ok(());
        }
        let group = self.actor.dereference(data).await?.row;
        if group.kind() != ActorKind::Group {
            let Some(url) = self.object.boosted().cloned() else {
                return Ok(());
            };
            let status = ObjectId::<DbStatus>::from(url).dereference(data).await?.row;
            return crate::service::reblogs::accept_remote(data, &group, &status, self.id.as_str())
                .await;
        }
        let inner_id = self.object.inner_id().cloned();
        let origin = super::vouch::check(data, self.actor.inner(), &self.object)?;
        if origin == Origin::Elsewhere
            && let Some(object) = self.object.acted_on()
            && !super::vouch::in_group(data, &group, object).await?
        {
            return Err(AppError::forbidden(
                "Announce: a third server's activity about a status outside the group",
            ));
        }
        match self.object {
            Announced::CreateOrUpdate(mut a) => {
                if origin == Origin::Elsewhere
                    && let Some(post) = super::vouch::fetch_post(data, &group, &a.object).await?
                {
                    a.object = post;
                    a.verify(data).await?;
                }
                a.receive(data).await?
            }
            Announced::Delete(a) => a.apply(data, Some(&group)).await?,
            Announced::Like(a) => a.receive(data).await?,
            Announced::Undo(a) => a.apply(data, Some(&group)).await?,
            Announced::AddOrRemove(a) => a.apply(data, Some(&group)).await?,
            Announced::Block(a) => a.apply(data, Some(&group)).await?,
            Announced::Object(o) => {
                ObjectId::<DbStatus>::from(o.id).dereference(data).await?;
            }
            Announced::Id(id) => {
                ObjectId::<DbStatus>::from(id).dereference(data).await?;
            }
            Announced::Other(v) => {
                tracing::debug!(kind = %v["type"], "announced activity ignored");
            }
            // Never parsed from the wire (`Other` comes first).
            Announced::Post(_) => {}
        }
        if let Some(id) = inner_id {
            super::mark_seen(data, &id).await?;
        }
        Ok(())
    }
}
