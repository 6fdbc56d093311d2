//! `Like`: a remote person likes a status. Likes in our communities are announced.

use activitypub_federation::{
    config::Data, fetch::object_id::ObjectId, kinds::activity::LikeType, traits::Activity,
};
use serde::{Deserialize, Serialize};
use url::Url;

use super::stored_url;
use crate::{
    db::{actors::Actor, statuses::Status},
    error::AppError,
    federation::objects::{actor::DbActor, post::DbStatus},
    service::statuses,
    state::AppState,
};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Like {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: LikeType,
    #[serde(deserialize_with = "crate::federation::protocol::refs::one")]
    pub actor: ObjectId<DbActor>,
    #[serde(deserialize_with = "crate::federation::protocol::refs::one")]
    pub object: ObjectId<DbStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Url>,
}

impl Like {
    /// `actor` likes `status`, in `community` if it has one.
    pub fn new(
        id: Url,
        actor: &Actor,
        status: &Status,
        community: Option<&Actor>,
    ) -> Result<Like, AppError> {
        Ok(Like {
            id,
            kind: LikeType::Like,
            actor: stored_url(&actor.ap_id)?.into(),
            object: stored_url(&status.ap_id)?.into(),
            audience: community.map(|c| stored_url(&c.ap_id)).transpose()?,
        })
    }
}

#[async_trait::async_trait]
impl Activity for Like {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data<AppState>) -> Result<(), AppError> {
        super::same_host(self.actor.inner(), &self.id, "Like")
    }

    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        let actor = self.actor.dereference(data).await?;
        let status = self.object.dereference(data).await?.row;
        let received = super::as_received(&self)?;
        statuses::favourite_remote(data, &actor.row, &status, received).await?;
        Ok(())
    }
}
