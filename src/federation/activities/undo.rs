//! `Undo` of a `Follow` (leaving), a `Like`, a boost, a block or a community
//! ban, or a moderator's removal (`Delete`).

use activitypub_federation::{
    config::Data, fetch::object_id::ObjectId, kinds::activity::UndoType, traits::Activity,
};
use serde::{Deserialize, Serialize};
use url::Url;

use super::{announce::Announce, delete::Delete, follow::Follow, like::Like, moderation::Block};
use crate::{
    db::{self, actors::Actor},
    error::AppError,
    federation::objects::actor::DbActor,
    service::{follows, statuses},
    state::AppState,
};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Undoable {
    Follow(Follow),
    Like(Like),
    /// A person's block lifted, or a community's ban (with a target).
    Block(Block),
    /// A boost taken back.
    Announce(Box<Announce>),
    /// A moderator's removal undone: the post is restored.
    Delete(Box<Delete>),
    /// Anything else (an undone vote…): acknowledged and ignored, except an
    /// activity named by its id only (see `Undo::by_id`).
    Other(serde_json::Value),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Undo {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: UndoType,
    #[serde(deserialize_with = "crate::federation::protocol::refs::one")]
    pub actor: ObjectId<DbActor>,
    pub object: Undoable,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::federation::protocol::post::addressees"
    )]
    pub to: Vec<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Url>,
}

impl Undo {
    /// `actor` takes back `object`, which it sent.
    pub fn new(id: Url, actor: &Actor, object: Undoable, to: Vec<Url>) -> Result<Undo, AppError> {
        let audience = match &object {
            Undoable::Like(l) => l.audience.clone(),
            Undoable::Block(b) => b.audience.clone(),
            Undoable::Delete(d) => d.audience.clone(),
            Undoable::Follow(_) | Undoable::Announce(_) | Undoable::Other(_) => None,
        };
        Ok(Undo {
            id,
            kind: UndoType::Undo,
            actor: super::stored_url(&actor.ap_id)?.into(),
            object,
            to,
            audience,
        })
    }
}

#[async_trait::async_trait]
impl Activity for Undo {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data<AppState>) -> Result<(), AppError> {
        super::same_host(self.actor.inner(), &self.id, "Undo")?;
        let inner_actor = match &self.object {
            Undoable::Follow(f) => Some(f.actor.inner().as_str()),
            Undoable::Like(l) => Some(l.actor.inner().as_str()),
            Undoable::Block(b) => Some(b.actor.inner().as_str()),
            Undoable::Announce(a) => Some(a.actor.inner().as_str()),
            Undoable::Delete(d) => Some(d.actor.inner().as_str()),
            Undoable::Other(v) => v.get("actor").and_then(|a| a.as_str()),
        };
        // Only the actor of an activity may undo it.
        if inner_actor.is_some_and(|a| a != self.actor.inner().as_str()) {
            return Err(AppError::forbidden(
                "Undo: not the actor of the undone activity",
            ));
        }
        Ok(())
    }

    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        self.apply(data, None).await
    }
}

impl Undo {
    /// Applies the undo; `vouched_by`: the community that announced it (a ban
    /// lifted by one of its moderators).
    pub async fn apply(
        self,
        data: &Data<AppState>,
        vouched_by: Option<&crate::db::actors::Actor>,
    ) -> Result<(), AppError> {
        if let Undoable::Block(b) = &self.object
            && b.target.is_some()
        {
            let received = super::as_received(&self)?;
            return b.lift(data, received, vouched_by).await;
        }
        if let Undoable::Delete(d) = &self.object {
            let by = self.actor.dereference(data).await?.row;
            let received = super::as_received(&self)?;
            let object = d.object.to_string();
            return statuses::restore_remote(data, &by, &object, vouched_by, received).await;
        }
        let actor = self.actor.dereference(data).await?;
        match &self.object {
            Undoable::Follow(f) => {
                let target = f.object.dereference_local(data).await?;
                follows::remove_remote(data, actor.row.id, target.row.id).await
            }
            Undoable::Like(l) => {
                let status = l.object.dereference(data).await?.row;
                let received = super::as_received(&self)?;
                statuses::unfavourite_remote(data, &actor.row, &status, received).await
            }
            Undoable::Announce(a) => {
                crate::service::reblogs::remove_remote(data, &actor.row, a.id.as_str()).await
            }
            // A person's block of one of ours lifted (a community's ban has a target).
            Undoable::Block(b) if b.target.is_none() => {
                let object = b.object.inner().to_string();
                let found = data
                    .db
                    .run(move |c| Ok(db::actors::by_ap_id(c, &object)?))
                    .await?;
                match found {
                    Some(blocked) if blocked.local => {
                        crate::service::blocks::unblocked_by_remote(data, &actor.row, &blocked)
                            .await
                    }
                    _ => Ok(()),
                }
            }
            Undoable::Other(serde_json::Value::String(id)) => {
                let received = super::as_received(&self)?;
                Self::by_id(data, &actor.row, id, received).await
            }
            Undoable::Block(_) | Undoable::Delete(_) | Undoable::Other(_) => Ok(()),
        }
    }

    /// Pleroma and Akkoma name the activity they take back by its id alone
    /// (`"object": "https://akkoma.example/activities/…"`, their `Builder.undo`)
    /// when unliking, un-boosting or un-reacting: this was ignored, so their
    /// likes and boosts were never taken back here. What we keep by id is looked
    /// up among the actor's own: a like, else a boost; anything else (a reaction
    /// we ignored) stays acknowledged and ignored.
    async fn by_id(
        data: &Data<AppState>,
        actor: &Actor,
        id: &str,
        received: serde_json::Value,
    ) -> Result<(), AppError> {
        let (actor_id, like) = (actor.id, id.to_string());
        let liked = data
            .db
            .run(move |c| Ok(db::statuses::favourited_by_ap_id(c, actor_id, &like)?))
            .await?;
        match liked {
            Some(status) => statuses::unfavourite_remote(data, actor, &status, received).await,
            None => crate::service::reblogs::remove_remote(data, actor, id).await,
        }
    }
}
