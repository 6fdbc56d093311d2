//! What a reader sees: the home feed, a community's threads, an account's posts
//! and a thread's tree. The client API and the web pages read through here, so
//! who may see what (blocks, suspensions, visibility) is decided once.

use std::collections::HashMap;

use crate::{
    db::{
        self,
        actors::Actor,
        statuses::Status,
        views::{Narrow, Page, StatusView},
    },
    error::{AppError, AppResult},
    model::actor::ActorKind,
    service::{blocks, statuses::can_see},
    state::AppState,
};

/// The most comments a thread page loads.
const THREAD_LIMIT: i64 = 2_000;

/// Views of `rows` as `viewer` sees them (their likes, boosts, votes).
pub async fn views(
    state: &AppState,
    rows: Vec<Status>,
    viewer: Option<&Actor>,
) -> AppResult<Vec<StatusView>> {
    let viewer_id = viewer.map(|v| v.id);
    state
        .db
        .run(move |c| Ok(db::views::load(c, rows, viewer_id)?))
        .await
}

/// One status as `viewer` sees it, or 404 when they may not.
pub async fn post(state: &AppState, id: i64, viewer: Option<&Actor>) -> AppResult<StatusView> {
    let row = super::statuses::visible(state, id, viewer).await?;
    views(state, vec![row], viewer)
        .await?
        .pop()
        .ok_or_else(AppError::not_found)
}

/// The signed-in person's home feed: people followed, communities joined, tags followed.
pub async fn home(state: &AppState, me: &Actor, page: Page) -> AppResult<Vec<StatusView>> {
    let viewer = me.clone();
    let rows = state
        .db
        .run(move |c| {
            let hidden = blocks::hidden(c, Some(&viewer))?;
            Ok(db::views::home(c, viewer.id, &hidden, page)?)
        })
        .await?;
    views(state, rows, Some(me)).await
}

/// The rows among `rows` that `viewer` may see.
fn seen(c: &mut db::DbConn, rows: Vec<Status>, viewer: Option<&Actor>) -> AppResult<Vec<Status>> {
    let mut out = Vec::with_capacity(rows.len());
    for s in rows {
        if can_see(c, &s, viewer)? {
            out.push(s);
        }
    }
    Ok(out)
}

/// Threads of `community` as `viewer` may see them: `load` reads them, given
/// the community's id and the authors the viewer hides.
async fn community_rows(
    state: &AppState,
    community: &Actor,
    viewer: Option<&Actor>,
    load: impl FnOnce(&mut db::DbConn, i64, &[i64]) -> diesel::QueryResult<Vec<Status>> + Send + 'static,
) -> AppResult<Vec<StatusView>> {
    if !super::community_view::may_see(community, viewer) {
        return Err(AppError::not_found());
    }
    let (cid, who) = (community.id, viewer.cloned());
    let rows = state
        .db
        .run(move |c| {
            let hidden = blocks::hidden(c, who.as_ref())?;
            let rows = load(c, cid, &hidden)?;
            seen(c, rows, who.as_ref())
        })
        .await?;
    views(state, rows, viewer).await
}

/// A community's threads, newest first, as `viewer` may see them.
pub async fn community_threads(
    state: &AppState,
    community: &Actor,
    viewer: Option<&Actor>,
    page: Page,
) -> AppResult<Vec<StatusView>> {
    community_rows(state, community, viewer, move |c, cid, hidden| {
        db::views::community_threads(c, cid, hidden, page)
    })
    .await
}

/// The threads a community's moderators pinned first, newest pin first.
pub async fn community_pinned(
    state: &AppState,
    community: &Actor,
    viewer: Option<&Actor>,
) -> AppResult<Vec<StatusView>> {
    community_rows(state, community, viewer, |c, cid, hidden| {
        let pinned = db::pins::of(c, cid)?;
        Ok(pinned
            .into_iter()
            .filter(|s| !hidden.contains(&s.actor_id))
            .collect())
    })
    .await
}

/// A community's threads by latest activity or by reactions (the forum's sorts
/// besides newest first), `limit` of them from `offset`.
pub async fn community_threads_ranked(
    state: &AppState,
    community: &Actor,
    viewer: Option<&Actor>,
    rank: db::forum::Rank,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<StatusView>> {
    community_rows(state, community, viewer, move |c, cid, hidden| {
        db::forum::community_threads_ranked(c, cid, hidden, rank, offset, limit)
    })
    .await
}

/// What an account page lists: a person's posts, or a community's threads.
pub async fn account_posts(
    state: &AppState,
    actor: &Actor,
    viewer: Option<&Actor>,
    exclude_replies: bool,
    narrow: Narrow,
    page: Page,
) -> AppResult<Vec<StatusView>> {
    if actor.kind() == ActorKind::Group {
        return community_threads(state, actor, viewer, page).await;
    }
    let (target, who) = (actor.clone(), viewer.cloned());
    let rows = state
        .db
        .run(move |c| {
            // A suspended account, or someone who blocked the reader, shows nothing.
            let blocked = match &who {
                Some(v) => db::blocks::find_block(c, target.id, v.id)?.is_some(),
                None => false,
            };
            if target.suspended_at.is_some() || blocked {
                return Ok(vec![]);
            }
            let rows = db::views::by_account(c, target.id, exclude_replies, &narrow, page)?;
            seen(c, rows, who.as_ref())
        })
        .await?;
    views(state, rows, viewer).await
}

/// A thread as its reader sees it: the root and the comments they may read, in
/// the order they were written. Deleted comments keep their place (their
/// replies hang under them) and are shown as gone.
pub struct Thread {
    pub root_id: i64,
    pub views: Vec<StatusView>,
    children: HashMap<i64, Vec<usize>>,
}

impl Thread {
    pub fn get(&self, id: i64) -> Option<&StatusView> {
        self.views.iter().find(|v| v.status.id == id)
    }

    /// The replies to `id` that the reader may see, oldest first.
    pub fn children(&self, id: i64) -> impl Iterator<Item = &StatusView> {
        self.children
            .get(&id)
            .into_iter()
            .flatten()
            .map(|&i| &self.views[i])
    }

    /// Every node depth first, with its depth (the root at 0), as a page lists them.
    pub fn walk(&self) -> Vec<(usize, &StatusView)> {
        let mut out = Vec::with_capacity(self.views.len());
        let mut stack: Vec<(usize, i64)> = vec![(0, self.root_id)];
        while let Some((depth, id)) = stack.pop() {
            let Some(v) = self.get(id) else { continue };
            out.push((depth, v));
            let kids: Vec<i64> = self.children(id).map(|c| c.status.id).collect();
            stack.extend(kids.into_iter().rev().map(|k| (depth + 1, k)));
        }
        out
    }
}

/// The thread that `id` belongs to, or 404 when the reader may not see it.
pub async fn thread(state: &AppState, id: i64, viewer: Option<&Actor>) -> AppResult<Thread> {
    let root = super::statuses::visible(state, id, viewer).await?;
    let root_id = root.thread_root_id.unwrap_or(root.id);
    let who = viewer.cloned();
    let rows = state
        .db
        .run(move |c| {
            let mut all = Vec::new();
            for s in db::views::thread(c, root_id, THREAD_LIMIT)? {
                if s.is_gone() || can_see(c, &s, who.as_ref())? {
                    all.push(s);
                }
            }
            Ok(all)
        })
        .await?;
    let views = views(state, rows, viewer).await?;
    if !views.iter().any(|v| v.status.id == root_id) {
        return Err(AppError::not_found());
    }
    let mut children: HashMap<i64, Vec<usize>> = HashMap::new();
    for (i, v) in views.iter().enumerate() {
        if let Some(parent) = v.status.in_reply_to_id.filter(|_| v.status.id != root_id) {
            children.entry(parent).or_default().push(i);
        }
    }
    Ok(Thread {
        root_id,
        views,
        children,
    })
}
