//! `Delete` of a status by its author, or its removal by a community moderator.

use activitypub_federation::{
    config::Data, fetch::object_id::ObjectId, kinds::activity::DeleteType, traits::Activity,
};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::{
    db::{self, actors::Actor},
    error::AppError,
    federation::objects::actor::DbActor,
    service::statuses,
    state::AppState,
};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delete {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: DeleteType,
    #[serde(deserialize_with = "crate::federation::protocol::refs::one")]
    pub actor: ObjectId<DbActor>,
    /// The deleted object's id (given bare or as a `Tombstone`).
    #[serde(deserialize_with = "crate::federation::protocol::refs::one_url")]
    pub object: Url,
    #[serde(
        default,
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
    pub audience: Option<Url>,
    /// Present (if empty) on a moderator's removal: Lemmy tells a removal from
    /// an author's own deletion by it, and refuses the removal without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl Delete {
    pub fn new(
        id: Url,
        actor: &Actor,
        object: Url,
        to: Vec<Url>,
        cc: Vec<Url>,
        audience: Option<Url>,
    ) -> Result<Delete, AppError> {
        Ok(Delete {
            id,
            kind: DeleteType::Delete,
            actor: super::stored_url(&actor.ap_id)?.into(),
            object,
            to,
            cc,
            audience,
            summary: None,
        })
    }

    /// A moderator's removal, with its reason (empty when none was given).
    pub fn as_removal(self, reason: &str) -> Delete {
        Delete {
            summary: Some(reason.to_string()),
            ..self
        }
    }

    /// Applies the deletion; `announced_by` is the group whose Announce carried it,
    /// which vouches for its own moderators' removals.
    pub async fn apply(
        &self,
        data: &Data<AppState>,
        announced_by: Option<&Actor>,
    ) -> Result<(), AppError> {
        if &self.object == self.actor.inner() {
            // A person deleted their account on their server: what we hold of
            // them goes. Read from our copy (fetching it again would find it gone).
            if announced_by.is_some() {
                return Ok(());
            }
            let id = self.object.to_string();
            let known = data
                .db
                .run(move |c| Ok(db::actors::by_ap_id(c, &id)?))
                .await?;
            return match known {
                Some(a) if !a.local && a.kind() == crate::model::actor::ActorKind::Person => {
                    crate::service::account_life::erase(data, &a)
                        .await
                        .map(|_| ())
                }
                _ => Ok(()),
            };
        }
        let actor = self.actor.dereference(data).await?.row;
        let target = self.object.to_string();
        let status = data
            .db
            .run(move |c| Ok(db::statuses::by_ap_id(c, &target)?))
            .await?;
        let Some(status) = status else { return Ok(()) };
        // The community vouches for removals it announces, or sends itself.
        let vouched = announced_by.is_some_and(|g| Some(g.id) == status.community_id)
            || Some(actor.id) == status.community_id;
        if vouched && status.actor_id != actor.id {
            let id = status.id;
            data.db
                .write(move |c| {
                    Ok(db::statuses::mark_deleted(
                        c,
                        id,
                        true,
                        crate::service::now(),
                    )?)
                })
                .await?;
            return Ok(());
        }
        let received = super::as_received(self)?;
        statuses::delete_remote(data, &actor, self.object.as_str(), received).await
    }
}

#[async_trait::async_trait]
impl Activity for Delete {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data<AppState>) -> Result<(), AppError> {
        // The object may be on another host (a moderator's removal); who may delete
        // what is checked on receipt against authorship and moderation rights.
        super::same_host(self.actor.inner(), &self.id, "Delete")
    }

    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        self.apply(data, None).await
    }
}
