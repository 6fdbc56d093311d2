//! `Create` / `Update` of a `Page` or `Note`. In one of our communities the
//! community then announces the activity to its members (FEP-1b12).

use activitypub_federation::{
    config::Data,
    fetch::object_id::ObjectId,
    traits::{Activity, Object},
};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::{
    db::{self, actors::Actor},
    error::AppError,
    federation::{
        objects::{actor::DbActor, post::DbStatus, received, survey},
        protocol::post::ApPost,
    },
    service::{events, statuses},
    state::AppState,
};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum CreateOrUpdateType {
    Create,
    Update,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateOrUpdate {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: CreateOrUpdateType,
    #[serde(deserialize_with = "crate::federation::protocol::refs::one")]
    pub actor: ObjectId<DbActor>,
    #[serde(
        default,
        deserialize_with = "crate::federation::protocol::post::addressees"
    )]
    pub to: Vec<Url>,
    /// Always sent, if empty: Lemmy refuses a `Create` or `Update` without it
    /// (a members community's posts have nobody in `cc`).
    #[serde(
        default,
        deserialize_with = "crate::federation::protocol::post::addressees"
    )]
    pub cc: Vec<Url>,
    pub object: ApPost,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Url>,
}

impl CreateOrUpdate {
    /// `actor` creates or updates `object`, addressed as the object is.
    pub fn new(
        id: Url,
        kind: CreateOrUpdateType,
        actor: &Actor,
        object: ApPost,
    ) -> Result<CreateOrUpdate, AppError> {
        Ok(CreateOrUpdate {
            id,
            kind,
            actor: super::stored_url(&actor.ap_id)?.into(),
            to: object.to.clone(),
            cc: object.cc.clone(),
            audience: object.audience.clone(),
            object,
        })
    }
}

#[async_trait::async_trait]
impl Activity for CreateOrUpdate {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, data: &Data<AppState>) -> Result<(), AppError> {
        super::same_host(self.actor.inner(), &self.id, "Create")?;
        super::same_host(self.actor.inner(), &self.object.id, "Create")?;
        if &self.object.attributed_to != self.actor.inner() {
            return Err(AppError::forbidden("Create: the actor is not the author"));
        }
        if self.object.is_vote() {
            // A vote in one of our polls: counted, never stored as a status.
            let vote = received::vote(&self.object);
            return crate::service::polls::check_remote_vote(data, &vote).await;
        }
        if self.object.is_survey_answer() {
            // Answers to one of our surveys: recorded apart from who gave them.
            let answer = survey::answer_from_ap(&self.object);
            return crate::service::surveys::remote::check_remote_answer(data, &answer).await;
        }
        DbStatus::verify(&self.object, &self.id, data).await?;
        if self.kind == CreateOrUpdateType::Create {
            crate::service::statuses::precheck_remote(data, received::post(&self.object)).await?;
        }
        Ok(())
    }

    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        if self.object.is_vote() {
            let voter = self.actor.dereference(data).await?.row;
            let vote = received::vote(&self.object);
            return crate::service::polls::accept_remote_vote(data, vote, voter.id).await;
        }
        if self.object.is_survey_answer() {
            // The respondent is known already: `verify` found them.
            let answer = survey::answer_from_ap(&self.object);
            return crate::service::surveys::remote::accept_remote_answer(data, answer).await;
        }
        if self.kind == CreateOrUpdateType::Create {
            let (id, actor) = (self.object.id.to_string(), self.actor.inner().to_string());
            let known = data
                .db
                .run(move |c| {
                    let Some(s) = db::statuses::by_ap_id(c, &id)? else {
                        return Ok(None);
                    };
                    if db::actors::by_id(c, s.actor_id)?.ap_id != actor {
                        return Err(AppError::forbidden("Create: the actor is not the author"));
                    }
                    Ok(Some(s))
                })
                .await?;
            // Known already: a second copy, or fetched before its Create came (the
            // community then forwards it now; the Announce is keyed, sent once).
            if let Some(s) = known {
                let received = super::as_received(&self)?;
                return data
                    .db
                    .write(move |c| events::forward(c, s.community_id, &received))
                    .await;
            }
        }
        let post = received::post(&self.object);
        let received = super::as_received(&self)?;
        statuses::accept_remote(data, post, Some(received)).await?;
        Ok(())
    }
}
