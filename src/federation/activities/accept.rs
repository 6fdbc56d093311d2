//! `Accept` of one of our `Follow`s: the membership or follow becomes effective;
//! or `Reject` of it (a members-only community declined): it is removed.

use activitypub_federation::{config::Data, fetch::object_id::ObjectId, traits::Activity};
use serde::{Deserialize, Serialize};
use url::Url;

use super::follow::Follow;
use crate::{
    error::AppError, federation::objects::actor::DbActor, service::follows, state::AppState,
};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Accept {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: Answer,
    #[serde(deserialize_with = "crate::federation::protocol::refs::one")]
    pub actor: ObjectId<DbActor>,
    pub object: FollowRef,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    Accept,
    Reject,
}

/// The accepted Follow, embedded or by id.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FollowRef {
    Follow(Follow),
    Id(Url),
}

impl Accept {
    /// The followed actor's answer to `follow`.
    pub fn new(id: Url, answer: Answer, follow: Follow) -> Accept {
        Accept {
            id,
            kind: answer,
            actor: follow.object.inner().clone().into(),
            object: FollowRef::Follow(follow),
        }
    }
}

#[async_trait::async_trait]
impl Activity for Accept {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data<AppState>) -> Result<(), AppError> {
        super::same_host(self.actor.inner(), &self.id, "Accept")?;
        // Only the followed actor may accept (checked on receipt for a bare id).
        if let FollowRef::Follow(f) = &self.object
            && f.object.inner() != self.actor.inner()
        {
            return Err(AppError::forbidden("Accept: not the followed actor"));
        }
        Ok(())
    }

    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        let target = self.actor.dereference(data).await?;
        let follower_id = match &self.object {
            FollowRef::Follow(f) => f.actor.dereference_local(data).await?.row.id,
            FollowRef::Id(id) => {
                let (id, target_id) = (id.to_string(), target.row.id);
                let (found, answer) = data
                    .db
                    .run(move |c| {
                        Ok((
                            crate::db::follows::follower_by_ap_id(c, &id, target_id)?,
                            crate::db::events::answer_by_ap_id(c, &id)?,
                        ))
                    })
                    .await?;
                if found.is_none() && answer.is_some() {
                    // The organiser confirmed one of our people's `Join`: the
                    // answer stands as given.
                    return Ok(());
                }
                found.ok_or_else(AppError::not_found)?
            }
        };
        match self.kind {
            Answer::Accept => follows::remote_accepted(data, follower_id, &target.row).await,
            Answer::Reject => follows::remove_remote(data, follower_id, target.row.id).await,
        }
    }
}
