//! Activities other servers commonly send that we have no use for: verified
//! like any other (signature, actor on the activity's host), then answered 202
//! and left alone, so their senders neither see an error nor retry.

use activitypub_federation::{config::Data, fetch::object_id::ObjectId, traits::Activity};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::{error::AppError, federation::objects::actor::DbActor, state::AppState};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AcknowledgedType {
    /// An emoji reaction to a status (Pleroma, Akkoma; `content` is the emoji).
    /// Misskey sends its reactions as a `Like` with the emoji in `content`,
    /// counted as a favourite; these were refused with a 400 ("not an activity
    /// this server takes"). Their `Undo` names the reaction by id: also ignored.
    EmojiReact,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Acknowledged {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: AcknowledgedType,
    #[serde(deserialize_with = "crate::federation::protocol::refs::one")]
    pub actor: ObjectId<DbActor>,
}

#[async_trait::async_trait]
impl Activity for Acknowledged {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data<AppState>) -> Result<(), AppError> {
        super::same_host(self.actor.inner(), &self.id, "EmojiReact")
    }

    async fn receive(self, _data: &Data<AppState>) -> Result<(), AppError> {
        Ok(())
    }
}
