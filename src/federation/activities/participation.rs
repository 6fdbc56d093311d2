//! Answers to an event, both ways: `Join` (going) and `Leave` (no longer), as
//! Mobilizon sends them, and `TentativeAccept` (maybe), as Friendica does. Sent
//! by a person to the organiser, whose server counts them; received for our
//! events through the same rule as a local answer (`service::agenda::answers`).

use activitypub_federation::{config::Data, fetch::object_id::ObjectId, traits::Activity};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::{
    error::AppError,
    federation::objects::actor::DbActor,
    service::agenda::answers::{self, Choice},
    state::AppState,
};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Participation {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: ParticipationKind,
    #[serde(deserialize_with = "crate::federation::protocol::refs::one")]
    pub actor: ObjectId<DbActor>,
    /// The event, by id (or embedded).
    #[serde(deserialize_with = "crate::federation::protocol::refs::one_url")]
    pub object: Url,
    #[serde(
        default,
        deserialize_with = "crate::federation::protocol::post::addressees",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub to: Vec<Url>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ParticipationKind {
    Join,
    TentativeAccept,
    Leave,
}

impl ParticipationKind {
    /// What a local answer is sent as (`None`: no answer any more).
    pub fn of(choice: Option<Choice>) -> ParticipationKind {
        match choice {
            Some(Choice::Going) => ParticipationKind::Join,
            Some(Choice::Maybe) => ParticipationKind::TentativeAccept,
            Some(Choice::Declined) | None => ParticipationKind::Leave,
        }
    }
}

impl Participation {
    pub fn new(id: Url, kind: ParticipationKind, actor: Url, event: Url, organiser: Url) -> Self {
        Participation {
            id,
            kind,
            actor: actor.into(),
            object: event,
            to: vec![organiser],
        }
    }
}

#[async_trait::async_trait]
impl Activity for Participation {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data<AppState>) -> Result<(), AppError> {
        super::same_host(self.actor.inner(), &self.id, "Participation")
    }

    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        let ours = format!("{}/", data.urls.base());
        if !self.object.as_str().starts_with(&ours) {
            // A `Join` of a group, or an answer to another server's event: not ours to count.
            tracing::debug!(object = %self.object, "participation in something not ours ignored");
            return Ok(());
        }
        let actor = self.actor.dereference(data).await?;
        let choice = match self.kind {
            ParticipationKind::Join => Some(Choice::Going),
            ParticipationKind::TentativeAccept => Some(Choice::Maybe),
            ParticipationKind::Leave => None,
        };
        answers::answer_remote(
            data,
            &actor.row,
            self.object.as_str(),
            choice,
            self.id.as_str(),
        )
        .await?;
        data.wake_delivery();
        Ok(())
    }
}
