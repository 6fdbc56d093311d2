//! `Follow`: a remote person follows one of ours, or joins one of our communities.

use activitypub_federation::{
    config::Data, fetch::object_id::ObjectId, kinds::activity::FollowType, traits::Activity,
};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::{
    db::{self, actors::Actor},
    error::AppError,
    federation::{
        objects::{actor::DbActor, authority},
        reach::Reach,
    },
    model::actor::ActorKind,
    service::follows,
    state::AppState,
};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Follow {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: FollowType,
    #[serde(deserialize_with = "crate::federation::protocol::refs::one")]
    pub actor: ObjectId<DbActor>,
    #[serde(deserialize_with = "crate::federation::protocol::refs::one")]
    pub object: ObjectId<DbActor>,
}

impl Follow {
    pub fn new(id: Url, actor: &Actor, object: &Actor) -> Result<Follow, AppError> {
        Ok(Follow {
            id,
            kind: FollowType::Follow,
            actor: super::stored_url(&actor.ap_id)?.into(),
            object: super::stored_url(&object.ap_id)?.into(),
        })
    }
}

#[async_trait::async_trait]
impl Activity for Follow {
    type DataType = AppState;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, data: &Data<AppState>) -> Result<(), AppError> {
        super::same_host(self.actor.inner(), &self.id, "Follow")?;
        // One of our communities: is it open to people of that server? Answered
        // here so a refused join gets its 403 (or 404) at once.
        let (target, from) = (
            self.object.inner().to_string(),
            authority(self.actor.inner()),
        );
        let policy = data.policy.clone();
        data.db
            .run(move |c| match db::actors::by_ap_id(c, &target)? {
                Some(a) if a.local && a.kind() == ActorKind::Group => {
                    Reach::load(c, &policy, &a)?.may_join(&from)
                }
                _ => Ok(()),
            })
            .await
    }

    async fn receive(self, data: &Data<AppState>) -> Result<(), AppError> {
        let follower = self.actor.dereference(data).await?;
        // Only local targets are followed through our inbox; unknown ones are 404.
        let target = self.object.dereference_local(data).await?;
        if target.row.kind() == ActorKind::Group {
            // A member's server: what it runs decides how re-shares reach it, so
            // it is known before the first one (once a day per server at most).
            crate::federation::nodeinfo::learn(data, &follower.row.ap_id).await;
        }
        follows::accept_remote(data, &follower.row, &target.row, self.id.as_str()).await
    }
}
