//! `Update` of an actor (a profile or community changed): its stored copy is refreshed.

use activitypub_federation::{
    config::Data,
    fetch::object_id::ObjectId,
    kinds::activity::UpdateType,
    traits::{Activity, Object},
};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::{
    error::AppError,
    federation::{objects::actor::DbActor, protocol::actor::ApActor},
    state::AppState,
};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateActor {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: UpdateType,
    pub actor: ObjectId<DbActor>,
    pub object: ApActor,
}

#[async_trait::async_trait]
impl Activity for UpdateActor {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, data: &Data<AppState>) -> Result<(), AppError> {
        super::same_host(self.actor.inner(), &self.id, "Update")?;
        // An actor updates itself only.
        if self.object.id != self.actor.inner().as_str() {
            return Err(AppError::forbidden(
                "Update: an actor may only update itself",
            ));
        }
        DbActor::verify(&self.object, &self.id, data).await
    }

    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        DbActor::from_json(self.object, data).await.map(|_| ())
    }
}
