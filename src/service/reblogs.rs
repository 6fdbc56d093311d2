//! Boosts (Mastodon's reblogs): a person shares a public status with their
//! followers. Only public and unlisted statuses can be boosted, so a boost
//! never carries anything confidential further than it already goes.

use super::{
    events::{self, Event},
    now,
    statuses::visible,
};
use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::{AppError, AppResult},
    model::{id::new_id, visibility::Visibility},
    state::AppState,
};

/// A boost's row: no content of its own, the status boosted in `reblog_of_id`.
fn boost_row(
    id: i64,
    ap_id: String,
    actor_id: i64,
    original_id: i64,
    visibility: Visibility,
    local: bool,
) -> Status {
    let at = now();
    Status {
        id,
        ap_id,
        url: None,
        actor_id,
        community_id: None,
        in_reply_to_id: None,
        thread_root_id: None,
        reblog_of_id: Some(original_id),
        title: None,
        content: String::new(),
        source: String::new(),
        source_type: crate::model::format::Format::Plain,
        spoiler_text: String::new(),
        sensitive: false,
        language: None,
        visibility,
        local,
        replies_count: 0,
        favourites_count: 0,
        reblogs_count: 0,
        created_at: at,
        updated_at: at,
        edited_at: None,
        deleted_at: None,
        removed: false,
    }
}

/// Boosts status `id` (idempotent); returns the boost and what to deliver.
pub async fn reblog(
    state: &AppState,
    actor: &Actor,
    id: i64,
    visibility: Option<String>,
) -> AppResult<Status> {
    let original = visible(state, id, Some(actor)).await?;
    if original.reblog_of_id.is_some() {
        return Err(AppError::unprocessable(
            "Validation failed: a boost cannot be boosted",
        ));
    }
    if !original.visibility.is_public() {
        return Err(AppError::unprocessable(
            "Validation failed: only public statuses can be boosted",
        ));
    }
    let visibility = match visibility.as_deref().filter(|v| !v.is_empty()) {
        None => Visibility::Public,
        Some(v) => match Visibility::from_mastodon(v) {
            Some(v) if v != Visibility::Direct => v,
            _ => {
                return Err(crate::error::invalid_field(
                    "visibility",
                    "is not one of public, unlisted, private",
                ));
            }
        },
    };
    let rid = new_id();
    let at = now();
    let boost = boost_row(
        rid,
        format!("{}/activities/announce/{rid}", state.urls.base()),
        actor.id,
        original.id,
        visibility,
        true,
    );
    let (actor_id, oid) = (actor.id, original.id);
    state
        .db
        .write(move |c| {
            if let Some(existing) = db::statuses::reblog_by(c, actor_id, oid)? {
                return Ok(existing);
            }
            db::statuses::insert(c, &boost)?;
            db::statuses::add_reblogs(c, oid, 1)?;
            db::notifications::reblogged(c, actor_id, oid, at)?;
            events::store(
                c,
                &[Event::Reblogged {
                    status_id: boost.id,
                }],
            )?;
            Ok(boost)
        })
        .await
}

/// Takes a boost back (nothing happens if there was none); returns the original.
pub async fn unreblog(state: &AppState, actor: &Actor, id: i64) -> AppResult<Status> {
    let original = visible(state, id, Some(actor)).await?;
    let (actor_id, oid) = (actor.id, original.id);
    state
        .db
        .write(move |c| {
            let Some(boost) = db::statuses::reblog_by(c, actor_id, oid)? else {
                return Ok(());
            };
            db::statuses::mark_deleted(c, boost.id, false, now())?;
            db::statuses::add_reblogs(c, oid, -1)?;
            events::store(
                c,
                &[Event::Unreblogged {
                    status_id: boost.id,
                }],
            )
        })
        .await?;
    visible(state, oid, Some(actor)).await
}

/// Another server's person boosted `original` (an `Announce`, whose id the boost
/// keeps). Idempotent; only public statuses.
pub async fn accept_remote(
    state: &AppState,
    booster: &Actor,
    original: &Status,
    announce_id: &str,
) -> AppResult<()> {
    if original.reblog_of_id.is_some() || original.is_gone() || !original.visibility.is_public() {
        return Ok(());
    }
    let at = now();
    let boost = boost_row(
        new_id(),
        announce_id.into(),
        booster.id,
        original.id,
        Visibility::Public,
        false,
    );
    let (oid, bid) = (original.id, booster.id);
    state
        .db
        .write(move |c| {
            if db::statuses::by_ap_id(c, &boost.ap_id)?.is_some()
                || db::statuses::reblog_by(c, bid, oid)?.is_some()
            {
                return Ok(());
            }
            db::statuses::insert(c, &boost)?;
            db::statuses::add_reblogs(c, oid, 1)?;
            db::notifications::reblogged(c, bid, oid, at)?;
            Ok(())
        })
        .await
}

/// An `Undo` of a remote boost, by its booster.
pub async fn remove_remote(state: &AppState, booster: &Actor, announce_id: &str) -> AppResult<()> {
    let (bid, aid) = (booster.id, announce_id.to_string());
    state
        .db
        .write(move |c| {
            let Some(boost) =
                db::statuses::by_ap_id(c, &aid)?.filter(|s| s.actor_id == bid && !s.is_gone())
            else {
                return Ok(());
            };
            let Some(oid) = boost.reblog_of_id else {
                return Ok(());
            };
            db::statuses::mark_deleted(c, boost.id, false, now())?;
            db::statuses::add_reblogs(c, oid, -1)?;
            Ok(())
        })
        .await
}
