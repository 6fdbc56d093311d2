//! What the pages show of a post, a person or a community: plain values for the
//! templates, made from the same views the client API renders.

use crate::{
    db::{actors::Actor, media::Media, reports::Report, views::StatusView},
    model::{actor::ActorKind, content},
    service::media::file_url,
    state::AppState,
};

/// A moment as pages show it (UTC, to the minute); empty for none.
pub fn when(t: impl Into<Option<chrono::NaiveDateTime>>) -> String {
    t.into()
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// A report as the moderation and administration pages list it.
pub struct ReportCard {
    pub id: i64,
    pub reporter: ActorRef,
    pub target: ActorRef,
    /// About a community's posts (its moderators see it too).
    pub community: bool,
    pub category: String,
    pub comment: String,
    pub created_at: String,
    pub statuses: Vec<i64>,
}

impl ReportCard {
    pub fn of(state: &AppState, (r, reporter, target): &(Report, Actor, Actor)) -> Self {
        Self {
            id: r.id,
            reporter: ActorRef::of(state, reporter),
            target: ActorRef::of(state, target),
            community: r.community_id.is_some(),
            category: r.category.clone(),
            comment: r.comment.clone(),
            created_at: when(r.created_at),
            statuses: serde_json::from_str::<Vec<String>>(&r.status_ids)
                .unwrap_or_default()
                .iter()
                .filter_map(|s| s.parse().ok())
                .collect(),
        }
    }
}

/// How a person or community is named and linked on a page.
pub struct ActorRef {
    pub display: String,
    /// `name` for ours, `name@domain` for others'.
    pub handle: String,
    pub href: String,
    pub avatar: String,
}

impl ActorRef {
    pub fn of(state: &AppState, a: &Actor) -> Self {
        let handle = if a.local {
            a.name.clone()
        } else {
            format!("{}@{}", a.name, a.domain)
        };
        let href = match a.kind() {
            ActorKind::Group => format!("/communities/{handle}"),
            _ if a.local => format!("/@{}", a.name),
            _ => a.url.clone().unwrap_or_else(|| a.ap_id.clone()),
        };
        let display = if a.display_name.trim().is_empty() {
            a.name.clone()
        } else {
            a.display_name.clone()
        };
        Self {
            display,
            handle,
            href,
            avatar: a
                .avatar_url
                .clone()
                .unwrap_or_else(|| state.urls.avatar_default()),
        }
    }
}

pub struct Picture {
    pub url: String,
    pub alt: String,
}

/// A post, thread or comment as a page shows it.
pub struct PostCard {
    pub id: i64,
    pub thread_id: i64,
    pub author: ActorRef,
    pub community: Option<ActorRef>,
    pub community_id: Option<i64>,
    pub title: Option<String>,
    /// Sanitised HTML (the same as the API serves).
    pub content: String,
    pub spoiler: String,
    pub pictures: Vec<Picture>,
    pub poll: Option<super::poll_card::PollCard>,
    pub event: Option<super::event_card::EventLine>,
    pub created_at: String,
    pub edited: bool,
    pub visibility: &'static str,
    pub replies: i64,
    pub likes: i64,
    pub liked: bool,
    /// The reader may delete it (their own) or remove it (they moderate its community).
    pub deletable: bool,
    /// The reader wrote it: they may edit it.
    pub editable: bool,
    /// Someone else's, for a signed-in reader: they may report it.
    pub reportable: bool,
    /// Pinned first in its community; `pinnable`: the reader may pin or unpin it.
    pub pinned: bool,
    pub pinnable: bool,
    pub gone: bool,
    /// Who boosted it into the feed, when it came as a boost.
    pub boosted_by: Option<ActorRef>,
}

fn picture(state: &AppState, m: &Media) -> Option<Picture> {
    let url = m
        .file_key
        .as_deref()
        .map(|k| file_url(state, k))
        .or_else(|| m.remote_url.clone())?;
    (m.kind == "image").then(|| Picture {
        url,
        alt: m.description.clone(),
    })
}

impl PostCard {
    pub fn of(state: &AppState, v: &StatusView, me: Option<&Actor>) -> Self {
        if let Some(original) = &v.reblog {
            let mut card = Self::of(state, original, me);
            card.boosted_by = Some(ActorRef::of(state, &v.author));
            return card;
        }
        let s = &v.status;
        Self {
            id: s.id,
            thread_id: s.thread_root_id.unwrap_or(s.id),
            author: ActorRef::of(state, &v.author),
            community: v.community.as_ref().map(|c| ActorRef::of(state, c)),
            community_id: s.community_id,
            title: s.title.clone().filter(|t| !t.is_empty()),
            content: if s.is_gone() {
                String::new()
            } else {
                s.content.clone()
            },
            spoiler: s.spoiler_text.clone(),
            pictures: v.media.iter().filter_map(|m| picture(state, m)).collect(),
            poll: v
                .poll
                .as_ref()
                .map(|p| super::poll_card::PollCard::of(p, s.actor_id, me)),
            event: v.event.as_ref().map(super::event_card::EventLine::of),
            created_at: when(s.created_at),
            edited: s.edited_at.is_some(),
            visibility: s.visibility.as_str(),
            replies: s.replies_count,
            likes: s.favourites_count,
            liked: v.favourited,
            deletable: me.is_some_and(|m| m.id == s.actor_id),
            editable: me.is_some_and(|m| m.id == s.actor_id) && !s.is_gone(),
            reportable: me.is_some_and(|m| m.id != s.actor_id) && !s.is_gone(),
            pinned: false,
            pinnable: false,
            gone: s.is_gone(),
            boosted_by: None,
        }
    }

    /// Cards whose community `moderated` is: removable by the reader.
    pub fn moderated(mut cards: Vec<PostCard>, moderated: Option<i64>) -> Vec<PostCard> {
        for card in cards.iter_mut() {
            if moderated.is_some() && card.community_id == moderated && !card.gone {
                card.deletable = true;
            }
        }
        cards
    }

    /// A short plain-text summary, for link previews.
    pub fn excerpt(v: &StatusView) -> String {
        content::truncate(&v.status.source.replace(['\n', '\r'], " "), 200)
    }
}
