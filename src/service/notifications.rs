//! Reading one's notifications: each with who caused it and the status it is
//! about, as the reader may see it now. The client API and the web pages share it.

use std::collections::HashMap;

use crate::{
    db::{
        self,
        actors::{Actor, Counts},
        notifications::Notification,
        views::{Page, StatusView},
    },
    error::AppResult,
    state::AppState,
};

pub struct NotificationView {
    pub notification: Notification,
    pub from: Actor,
    pub from_counts: Counts,
    pub status: Option<StatusView>,
    /// The community it is about (a request to join it, a report in it).
    pub community: Option<Actor>,
}

/// A page of `me`'s notifications of `kinds` (from one account, if `from`).
pub async fn page(
    state: &AppState,
    me: &Actor,
    kinds: Vec<String>,
    from: Option<i64>,
    page: Page,
) -> AppResult<Vec<NotificationView>> {
    let id = me.id;
    let rows = state
        .db
        .run(move |c| Ok(db::notifications::page(c, id, &kinds, from, page)?))
        .await?;
    views(state, me, rows).await
}

/// `rows` with their accounts and statuses, in order. A notification whose
/// status cannot be shown (its author gone, or no longer readable by `me`: a
/// member who left a community) is left out, as Mastodon drops those whose
/// status is gone.
pub async fn views(
    state: &AppState,
    me: &Actor,
    rows: Vec<Notification>,
) -> AppResult<Vec<NotificationView>> {
    let from: Vec<i64> = rows.iter().map(|n| n.from_id).collect();
    let named: Vec<i64> = from
        .iter()
        .copied()
        .chain(rows.iter().filter_map(|n| n.community_id))
        .collect();
    let status_ids: Vec<i64> = rows.iter().filter_map(|n| n.status_id).collect();
    let reader = me.clone();
    let (actors, counts, statuses) = state
        .db
        .run(move |c| {
            let actors = db::actors::by_ids(c, &named)?;
            let counts = db::actors::counts_of(c, &from)?;
            let mut statuses = Vec::new();
            for s in db::statuses::by_ids(c, &status_ids)? {
                if db::visibility::can_see(c, &s, Some(&reader))? {
                    statuses.push(s);
                }
            }
            Ok((actors, counts, statuses))
        })
        .await?;
    let mut statuses: HashMap<i64, StatusView> = super::reading::views(state, statuses, Some(me))
        .await?
        .into_iter()
        .map(|v| (v.status.id, v))
        .collect();
    let actors: HashMap<i64, Actor> = actors.into_iter().map(|a| (a.id, a)).collect();
    Ok(rows
        .into_iter()
        .filter_map(|n| {
            let from = actors.get(&n.from_id)?.clone();
            let status = match n.status_id {
                Some(sid) => Some(statuses.remove(&sid)?),
                None => None,
            };
            Some(NotificationView {
                from_counts: counts.get(&n.from_id).copied().unwrap_or_default(),
                from,
                status,
                community: n.community_id.and_then(|c| actors.get(&c).cloned()),
                notification: n,
            })
        })
        .collect())
}
