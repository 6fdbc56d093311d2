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
    db::actors::Actor,
    error::AppError,
    federation::{
        objects::actor::DbActor,
        protocol::actor::{ApActor, public_doc},
    },
    state::AppState,
};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateActor {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: UpdateType,
    #[serde(deserialize_with = "crate::federation::protocol::refs::one")]
    pub actor: ObjectId<DbActor>,
    pub object: ApActor,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::federation::protocol::post::addressees"
    )]
    pub to: Vec<Url>,
}

impl UpdateActor {
    /// The actor's document as everyone may see it (`public_doc`), to `to`.
    pub fn new(id: Url, actor: &Actor, to: Vec<Url>) -> Result<UpdateActor, AppError> {
        Ok(UpdateActor {
            id,
            kind: UpdateType::Update,
            actor: super::stored_url(&actor.ap_id)?.into(),
            object: public_doc(actor),
            to,
        })
    }
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
