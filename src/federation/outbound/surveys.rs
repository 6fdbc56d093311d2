//! A local person's answers to another server's survey: a `Create` of a `Note`
//! with the answers, to the survey's author only (never its community, whose
//! members would read who answered what).

use super::send::Outgoing;
use crate::{
    db,
    error::{AppError, AppResult},
    federation::{
        activities::{
            create_or_update::{CreateOrUpdate, CreateOrUpdateType},
            stored_url,
        },
        objects::survey,
    },
    service::surveys::Reply,
};

pub async fn answered(
    out: &mut Outgoing<'_>,
    (status_id, actor_id): (i64, i64),
    activity_id: &str,
    replies: &[Reply],
) -> AppResult<()> {
    let status = out
        .state
        .db
        .run(move |c| db::statuses::by_id(c, status_id)?.ok_or_else(AppError::not_found))
        .await?;
    if status.local {
        return Ok(());
    }
    let (person, author) = (
        out.actor(actor_id).await?,
        out.actor(status.actor_id).await?,
    );
    let note = survey::answer_to_ap(
        stored_url(activity_id)?,
        stored_url(&person.ap_id)?,
        (stored_url(&status.ap_id)?, stored_url(&author.ap_id)?),
        replies,
    );
    let id = stored_url(&format!("{activity_id}/activity"))?;
    let create = CreateOrUpdate::new(id, CreateOrUpdateType::Create, &person, note)?;
    out.send(&person, &create, vec![author.inbox_url.clone()])
}
