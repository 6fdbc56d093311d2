//! Community moderation across instances: `Add`/`Remove` on a group's moderators
//! collection or on its `featured` collection (threads pinned first, as Lemmy
//! sends them), and `Block` of a person from a group (a community ban).
//!
//! Trust: the group itself vouches (it signed, or it announced the activity), or
//! the actor moderates the group here.

use activitypub_federation::{
    config::Data, fetch::object_id::ObjectId, kinds::activity::BlockType, traits::Activity,
};
use serde::{Deserialize, Serialize};
use url::Url;

use super::stored_url;
use crate::{
    db::{self, actors::Actor},
    error::AppError,
    federation::objects::{actor::DbActor, post::DbStatus},
    model::actor::ActorKind,
    service::{communities, events::Origin, featured},
    state::AppState,
};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum AddOrRemoveType {
    Add,
    Remove,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddOrRemove {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: AddOrRemoveType,
    #[serde(deserialize_with = "crate::federation::protocol::refs::one")]
    pub actor: ObjectId<DbActor>,
    /// A person (moderators) or a thread (featured).
    #[serde(deserialize_with = "crate::federation::protocol::refs::one_url")]
    pub object: Url,
    pub target: Url,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Url>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Block {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: BlockType,
    #[serde(deserialize_with = "crate::federation::protocol::refs::one")]
    pub actor: ObjectId<DbActor>,
    #[serde(deserialize_with = "crate::federation::protocol::refs::one")]
    pub object: ObjectId<DbActor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Url>,
}

impl AddOrRemove {
    /// `actor` adds `person` to (or removes them from) `community`'s moderators.
    pub fn new(
        id: Url,
        kind: AddOrRemoveType,
        actor: &Actor,
        person: &Actor,
        community: &Actor,
    ) -> Result<AddOrRemove, AppError> {
        let community_id = stored_url(&community.ap_id)?;
        Ok(AddOrRemove {
            id,
            kind,
            actor: stored_url(&actor.ap_id)?.into(),
            object: stored_url(&person.ap_id)?,
            target: stored_url(&format!("{}/moderators", community.ap_id))?,
            audience: Some(community_id),
        })
    }

    /// `actor` pins thread `post` (its URL) in `community`, or unpins it.
    pub fn featured(
        id: Url,
        kind: AddOrRemoveType,
        actor: &Actor,
        post: &str,
        community: &Actor,
    ) -> Result<AddOrRemove, AppError> {
        Ok(AddOrRemove {
            id,
            kind,
            actor: stored_url(&actor.ap_id)?.into(),
            object: stored_url(post)?,
            target: stored_url(&format!("{}/featured", community.ap_id))?,
            audience: Some(stored_url(&community.ap_id)?),
        })
    }
}

impl Block {
    /// `actor` blocks `person`: from `community` with a reason (a ban), or
    /// personally (no community).
    pub fn new(
        id: Url,
        actor: &Actor,
        person: &Actor,
        community: Option<(&Actor, &str)>,
    ) -> Result<Block, AppError> {
        let community_id = community.map(|(c, _)| stored_url(&c.ap_id)).transpose()?;
        Ok(Block {
            id,
            kind: BlockType::Block,
            actor: stored_url(&actor.ap_id)?.into(),
            object: stored_url(&person.ap_id)?.into(),
            target: community_id.clone(),
            summary: community.map(|(_, reason)| reason.to_string()),
            audience: community_id,
        })
    }
}

/// The group a moderation activity is about, if we know it.
async fn group(data: &Data<AppState>, url: &Url) -> Result<Actor, AppError> {
    let id = url.to_string();
    let g = ObjectId::<DbActor>::from(Url::parse(&id).map_err(AppError::internal)?)
        .dereference(data)
        .await?
        .row;
    if g.kind() != ActorKind::Group {
        return Err(AppError::bad_request("target is not a community"));
    }
    Ok(g)
}

/// Whether `actor` may moderate `group`: the group itself, one who vouches for
/// it, or a moderator we know of.
async fn authorised(
    data: &Data<AppState>,
    group: &Actor,
    actor: &Actor,
    vouched_by: Option<&Actor>,
) -> Result<bool, AppError> {
    if actor.id == group.id || vouched_by.is_some_and(|v| v.id == group.id) {
        return Ok(true);
    }
    let (g, a) = (group.id, actor.id);
    data.db
        .run(move |c| Ok(db::communities::role(c, g, a)?.is_some()))
        .await
}

impl AddOrRemove {
    pub async fn apply(
        &self,
        data: &Data<AppState>,
        vouched_by: Option<&Actor>,
    ) -> Result<(), AppError> {
        let target = self.target.as_str();
        let (group_url, featured) = match target.strip_suffix("/featured") {
            Some(g) => (g, true),
            None => (
                target.strip_suffix("/moderators").ok_or_else(|| {
                    AppError::bad_request("only a moderators or featured collection can be changed")
                })?,
                false,
            ),
        };
        let group_url = Url::parse(group_url).map_err(|_| AppError::bad_request("bad target"))?;
        let group = group(data, &group_url).await?;
        let actor = self.actor.dereference(data).await?.row;
        if !authorised(data, &group, &actor, vouched_by).await? {
            return Err(AppError::forbidden("not a moderator of this community"));
        }
        let add = self.kind == AddOrRemoveType::Add;
        if featured {
            let post = ObjectId::<DbStatus>::from(self.object.clone())
                .dereference(data)
                .await?
                .row;
            let origin = Origin::Remote(super::as_received(self)?);
            return featured::record(data, &group, &post, (&actor, add), origin).await;
        }
        let person = ObjectId::<DbActor>::from(self.object.clone())
            .dereference(data)
            .await?
            .row;
        if group.local {
            // Only the owner appoints moderators of our communities, through our API.
            return Err(AppError::forbidden(
                "moderators of this community are appointed here",
            ));
        }
        communities::remote_role(data, &group, &person, add).await
    }
}

impl Block {
    pub async fn apply(
        &self,
        data: &Data<AppState>,
        vouched_by: Option<&Actor>,
    ) -> Result<(), AppError> {
        // Without a target, a person blocks a person: ours, or nobody here.
        let Some(target) = &self.target else {
            if vouched_by.is_some() {
                return Ok(());
            }
            let Ok(blocked) = self.object.dereference_local(data).await else {
                return Ok(());
            };
            let actor = self.actor.dereference(data).await?.row;
            return crate::service::blocks::blocked_by_remote(
                data,
                &actor,
                &blocked.row,
                self.id.as_str(),
            )
            .await;
        };
        let group = group(data, target).await?;
        let actor = self.actor.dereference(data).await?.row;
        if !authorised(data, &group, &actor, vouched_by).await? {
            return Err(AppError::forbidden("not a moderator of this community"));
        }
        let person = self.object.dereference(data).await?.row;
        let reason = self.summary.clone().unwrap_or_default();
        let origin = Origin::Remote(super::as_received(self)?);
        crate::service::bans::record_ban(data, &group, &person, (&actor, &reason), origin).await
    }

    /// This ban lifted by `undo` (its actor is this block's, checked by `Undo::verify`);
    /// a person's own block has no target and is handled by the undo itself.
    pub async fn lift(
        &self,
        data: &Data<AppState>,
        undo: serde_json::Value,
        vouched_by: Option<&Actor>,
    ) -> Result<(), AppError> {
        let Some(target) = &self.target else {
            return Ok(());
        };
        let group = group(data, target).await?;
        let actor = self.actor.dereference(data).await?.row;
        if !authorised(data, &group, &actor, vouched_by).await? {
            return Err(AppError::forbidden("not a moderator of this community"));
        }
        let Ok(person) = self.object.dereference(data).await else {
            return Ok(());
        };
        let origin = Origin::Remote(undo);
        crate::service::bans::record_unban(data, &group, &person.row, &actor, origin).await?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl Activity for AddOrRemove {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data<AppState>) -> Result<(), AppError> {
        super::same_host(self.actor.inner(), &self.id, "Add/Remove")
    }

    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        self.apply(data, None).await
    }
}

#[async_trait::async_trait]
impl Activity for Block {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data<AppState>) -> Result<(), AppError> {
        super::same_host(self.actor.inner(), &self.id, "Block")
    }

    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        self.apply(data, None).await
    }
}
