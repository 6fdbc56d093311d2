//! `Flag`: another server reports one of our accounts or statuses (Mastodon
//! sends it from its instance actor, Lemmy from the reporter). It joins the
//! reports our moderators see.

use activitypub_federation::{
    config::Data, fetch::object_id::ObjectId, kinds::activity::FlagType, traits::Activity,
};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::{
    db::actors::Actor,
    error::AppError,
    federation::{objects::actor::DbActor, protocol::post::addressees},
    service::reports,
    state::AppState,
};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: FlagType,
    #[serde(deserialize_with = "crate::federation::protocol::refs::one")]
    pub actor: ObjectId<DbActor>,
    /// The account and statuses reported (one URL or a list).
    #[serde(deserialize_with = "addressees")]
    pub object: Vec<Url>,
    #[serde(default)]
    pub content: Option<String>,
    /// Lemmy puts the reason here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::federation::protocol::post::addressees"
    )]
    pub to: Vec<Url>,
}

impl Flag {
    /// `actor` reports `object` (an account, then its statuses) to `to`.
    pub fn new(
        id: Url,
        actor: &Actor,
        object: Vec<Url>,
        content: String,
        to: Vec<Url>,
    ) -> Result<Flag, AppError> {
        Ok(Flag {
            id,
            kind: FlagType::Flag,
            actor: super::stored_url(&actor.ap_id)?.into(),
            object,
            content: Some(content),
            summary: None,
            to,
        })
    }
}

#[async_trait::async_trait]
impl Activity for Flag {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &Data<AppState>) -> Result<(), AppError> {
        super::same_host(self.actor.inner(), &self.id, "Flag")
    }

    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        let flagger = self.actor.dereference(data).await?;
        let text = self
            .content
            .as_deref()
            .or(self.summary.as_deref())
            .unwrap_or("");
        let objects = self.object.iter().map(Url::to_string).collect();
        reports::accept_flag(data, &flagger.row, self.id.as_str(), objects, text).await
    }
}
