//! What a status view shows besides the status itself, loaded for a whole page
//! at once: one query per kind of thing, whatever the page size.

use std::collections::HashMap;

use diesel::prelude::*;

use super::{PollView, StatusView, own_ids};
use crate::db::{
    DbConn,
    actors::{self, Actor, Counts},
    media::Media,
    statuses::{self as st, Status},
};

/// Views of the statuses that `rows` boost, by id, if they are still there and
/// public. Nor boosts of a suspended account, or of someone the reader blocks or
/// mutes, or who blocks them.
pub(super) fn boosted_views(
    conn: &mut DbConn,
    rows: &[Status],
    viewer: Option<i64>,
) -> QueryResult<HashMap<i64, StatusView>> {
    let boosted_ids: Vec<i64> = rows.iter().filter_map(|s| s.reblog_of_id).collect();
    if boosted_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut hidden = crate::db::erasure::suspended_ids(conn)?;
    if let Some(v) = viewer {
        let now = chrono::Utc::now().naive_utc();
        hidden.extend(crate::db::blocks::hidden_authors(conn, v, now)?);
    }
    let originals: Vec<Status> = st::by_ids(conn, &boosted_ids)?
        .into_iter()
        .filter(|s| {
            !s.is_gone()
                && !hidden.contains(&s.actor_id)
                && s.reblog_of_id.is_none()
                && s.visibility.is_public()
        })
        .collect();
    Ok(super::load(conn, originals, viewer)?
        .into_iter()
        .map(|v| (v.status.id, v))
        .collect())
}

/// Everything shown with a page of statuses, keyed by status or actor id.
pub(super) struct Related {
    /// The author of each status replied to.
    parents: HashMap<i64, i64>,
    /// (status id, actor id) of each mention.
    mentions: Vec<(i64, i64)>,
    /// Authors, communities and people mentioned.
    actors: HashMap<i64, Actor>,
    counts: HashMap<i64, Counts>,
    /// (status id, tag name).
    tags: Vec<(i64, String)>,
    polls: HashMap<i64, PollView>,
    events: HashMap<i64, crate::db::events::Event>,
    surveys: HashMap<i64, crate::db::surveys::Survey>,
    documents: HashMap<i64, crate::db::library::Version>,
    media: HashMap<i64, Vec<Media>>,
    flags: ViewerFlags,
}

impl Related {
    pub(super) fn load(
        conn: &mut DbConn,
        rows: &[Status],
        viewer: Option<i64>,
    ) -> QueryResult<Related> {
        let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
        let parent_ids: Vec<i64> = rows.iter().filter_map(|s| s.in_reply_to_id).collect();
        let parents = st::authors_of(conn, &parent_ids)?;
        let mentions = st::mentioned_actor_ids(conn, &ids)?;
        let actors = actors_shown(conn, rows, &mentions)?;
        let authors: Vec<i64> = rows.iter().map(|s| s.actor_id).collect();
        let counts = actors::counts_of(conn, &authors)?;
        let tags = st::tag_names(conn, &ids)?;
        let polls = poll_views(conn, &ids, viewer)?;
        let events = crate::db::events::by_status_ids(conn, &ids)?
            .into_iter()
            .map(|e| (e.status_id, e))
            .collect();
        let surveys = crate::db::surveys::by_status_ids(conn, &ids)?
            .into_iter()
            .map(|s| (s.status_id, s))
            .collect();
        let documents = crate::db::library::current_versions(conn, &ids)?;
        let media = media_by_status(conn, &ids)?;
        let flags = ViewerFlags::load(conn, rows, &ids, viewer)?;
        Ok(Related {
            parents,
            mentions,
            actors,
            counts,
            tags,
            polls,
            events,
            surveys,
            documents,
            media,
            flags,
        })
    }

    /// The views of `rows`, in order; a status whose author is missing is left out.
    pub(super) fn into_views(
        mut self,
        rows: Vec<Status>,
        boosted: &HashMap<i64, StatusView>,
    ) -> Vec<StatusView> {
        rows.into_iter()
            .filter_map(|s| {
                let author = self.actors.get(&s.actor_id)?.clone();
                Some(StatusView {
                    author_counts: self.counts.get(&s.actor_id).copied().unwrap_or_default(),
                    community: s.community_id.and_then(|c| self.actors.get(&c).cloned()),
                    parent_author_id: s.in_reply_to_id.and_then(|p| self.parents.get(&p).copied()),
                    mentions: self
                        .mentions
                        .iter()
                        .filter(|(sid, _)| *sid == s.id)
                        .filter_map(|(_, a)| self.actors.get(a).cloned())
                        .collect(),
                    tags: self
                        .tags
                        .iter()
                        .filter(|(sid, _)| *sid == s.id)
                        .map(|(_, t)| t.clone())
                        .collect(),
                    poll: self.polls.remove(&s.id),
                    event: self.events.remove(&s.id),
                    survey: self.surveys.remove(&s.id),
                    document: self.documents.remove(&s.id),
                    media: self.media.remove(&s.id).unwrap_or_default(),
                    reblog: s
                        .reblog_of_id
                        .and_then(|o| boosted.get(&o).cloned())
                        .map(Box::new),
                    reblogged: self.flags.reblogged.contains(&s.id),
                    pinned: self.flags.pinned.contains(&s.id),
                    favourited: self.flags.favourited.contains(&s.id),
                    bookmarked: self.flags.bookmarked.contains(&s.id),
                    author,
                    status: s,
                })
            })
            .collect()
    }
}

/// Authors, communities and mentioned people of `rows`, by id.
fn actors_shown(
    conn: &mut DbConn,
    rows: &[Status],
    mentions: &[(i64, i64)],
) -> QueryResult<HashMap<i64, Actor>> {
    let mut actor_ids: Vec<i64> = rows.iter().map(|s| s.actor_id).collect();
    actor_ids.extend(rows.iter().filter_map(|s| s.community_id));
    actor_ids.extend(mentions.iter().map(|(_, a)| *a));
    actor_ids.sort_unstable();
    actor_ids.dedup();
    Ok(actors::by_ids(conn, &actor_ids)?
        .into_iter()
        .map(|a| (a.id, a))
        .collect())
}

/// The polls of statuses `ids`, by status id, with results and the viewer's choices.
fn poll_views(
    conn: &mut DbConn,
    ids: &[i64],
    viewer: Option<i64>,
) -> QueryResult<HashMap<i64, PollView>> {
    let polls = crate::db::polls::by_status_ids(conn, ids)?;
    let poll_ids: Vec<i64> = polls.iter().map(|p| p.status_id).collect();
    let mut results = crate::db::polls::results(conn, &polls)?;
    let own_choices = match viewer {
        Some(v) => crate::db::polls::own_choices(conn, v, &poll_ids)?,
        None => vec![],
    };
    Ok(polls
        .into_iter()
        .map(|p| {
            let id = p.status_id;
            let view = PollView {
                results: results.remove(&id).unwrap_or_default(),
                own_choices: own_choices
                    .iter()
                    .filter(|(s, _)| *s == id)
                    .map(|(_, c)| *c)
                    .collect(),
                poll: p,
            };
            (id, view)
        })
        .collect())
}

/// The media attached to statuses `ids`, by status id.
fn media_by_status(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, Vec<Media>>> {
    let mut media: HashMap<i64, Vec<Media>> = HashMap::new();
    for m in crate::db::media::by_status_ids(conn, ids)? {
        if let Some(s) = m.status_id {
            media.entry(s).or_default().push(m);
        }
    }
    Ok(media)
}

/// Which statuses the viewer favourited, bookmarked, boosted or pinned (none
/// for an anonymous reader).
struct ViewerFlags {
    favourited: Vec<i64>,
    bookmarked: Vec<i64>,
    reblogged: Vec<i64>,
    pinned: Vec<i64>,
}

impl ViewerFlags {
    fn load(
        conn: &mut DbConn,
        rows: &[Status],
        ids: &[i64],
        viewer: Option<i64>,
    ) -> QueryResult<ViewerFlags> {
        let Some(v) = viewer else {
            return Ok(ViewerFlags {
                favourited: vec![],
                bookmarked: vec![],
                reblogged: vec![],
                pinned: vec![],
            });
        };
        Ok(ViewerFlags {
            favourited: st::favourited_ids(conn, v, ids)?,
            bookmarked: crate::db::bookmarks::bookmarked_ids(conn, v, ids)?,
            reblogged: st::reblogged_ids(conn, v, ids)?,
            // Only one's own statuses are pinned: most pages need no query.
            pinned: crate::db::pins::pinned_ids(conn, v, &own_ids(rows, v))?,
        })
    }
}
