//! `Accept` of one of our `Follow`s: the membership or follow becomes effective.

use activitypub_federation::{
    config::Data, fetch::object_id::ObjectId, kinds::activity::AcceptType, traits::Activity,
};
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
    pub kind: AcceptType,
    pub actor: ObjectId<DbActor>,
    pub object: Follow,
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
        // Only the followed actor may accept.
        if self.object.object.inner() != self.actor.inner() {
            return Err(AppError::forbidden("Accept: not the followed actor"));
        }
        Ok(())
    }

    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        let target = self.actor.dereference(data).await?;
        let follower = self.object.actor.dereference_local(data).await?;
        follows::remote_accepted(data, follower.row.id, &target.row).await
    }
}
