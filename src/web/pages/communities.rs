//! The community directory, a community's page (a forum of threads), joining,
//! leaving and creating communities.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::Response,
};
use serde::Deserialize;

use super::{PER_PAGE, PageQuery, older, referer_path};
use crate::{
    api::extract::Query,
    db::{actors::Actor, forum::Rank, views::StatusView},
    error::{AppError, AppResult},
    model::visibility::CommunityVisibility,
    service::{communities, community_view, follows, reading},
    state::AppState,
    web::{
        cards::{ActorRef, PostCard},
        form::{NoFields, Posted},
        i18n::Tr,
        page::{Chrome, back_to, html},
        visitor::Visitor,
    },
};

/// A community as the directory and its page show it.
pub struct Entry {
    pub who: ActorRef,
    pub visibility: String,
    pub description: String,
    pub members: i64,
    pub threads: i64,
    pub membership: Option<String>,
    pub moderates: bool,
}

async fn entry(state: &AppState, c: &Actor, me: Option<&Actor>) -> AppResult<(Entry, bool)> {
    let o = community_view::overview(state, c, me).await?;
    Ok(entry_of(state, c, o))
}

fn entry_of(state: &AppState, c: &Actor, o: community_view::Overview) -> (Entry, bool) {
    let moderates = o.moderates();
    let member = o.is_member();
    (
        Entry {
            who: ActorRef::of(state, c),
            visibility: c.visibility.clone(),
            description: c.summary.clone(),
            members: o.counts.followers,
            threads: o.threads,
            membership: o.membership,
            moderates,
        },
        member || moderates,
    )
}

#[derive(Template)]
#[template(path = "communities.html")]
struct Directory {
    t: Tr,
    c: Chrome,
    query: String,
    entries: Vec<Entry>,
}

pub async fn get_directory(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let query = q.q.unwrap_or_default();
    let found = community_view::directory(&state, &query, v.actor(), 80).await?;
    let mut overviews = community_view::overviews(&state, &found, v.actor()).await?;
    let entries = found
        .iter()
        .filter_map(|c| Some(entry_of(&state, c, overviews.remove(&c.id)?).0))
        .collect();
    let page = Directory {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.s("communities-title")),
        query,
        entries,
    };
    Ok(html(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "community.html")]
struct CommunityPage {
    t: Tr,
    c: Chrome,
    e: Entry,
    moderators: Vec<ActorRef>,
    may_post: bool,
    posts: Vec<PostCard>,
    sorts: Vec<SortTab>,
    /// The query string of the next page, when there is one.
    next: Option<String>,
}

/// One of the community page's sorts, as a tab.
pub struct SortTab {
    pub key: &'static str,
    pub label: String,
    pub current: bool,
}

/// The threads of `community` in the sort asked for, and the next page's query.
async fn threads(
    state: &AppState,
    community: &Actor,
    me: Option<&Actor>,
    q: &PageQuery,
) -> AppResult<(Vec<StatusView>, Option<String>)> {
    let rank = match q.sort.as_deref().unwrap_or("active") {
        "new" => None,
        "top" => Some(Rank::Top),
        "active" => Some(Rank::Active),
        _ => return Err(AppError::unprocessable("Sort by active, new or top")),
    };
    let Some(rank) = rank else {
        let views = reading::community_threads(state, community, me, q.page()).await?;
        let next = older(&views, |v| v.status.id).map(|m| format!("sort=new&max_id={m}"));
        return Ok((views, next));
    };
    let n = q.p.unwrap_or(0).clamp(0, 10_000);
    let views =
        reading::community_threads_ranked(state, community, me, rank, n * PER_PAGE, PER_PAGE)
            .await?;
    let key = if rank == Rank::Top { "top" } else { "active" };
    let next = (views.len() as i64 >= PER_PAGE).then(|| format!("sort={key}&p={}", n + 1));
    Ok((views, next))
}

/// The pinned threads (on the first page), then the others, as cards; a
/// moderator of a local community may pin or unpin each.
fn forum_cards(
    state: &AppState,
    (pinned, views): (&[StatusView], &[StatusView]),
    me: Option<&Actor>,
    e: &Entry,
    community: &Actor,
) -> Vec<PostCard> {
    let mut cards: Vec<PostCard> = pinned
        .iter()
        .map(|p| PostCard {
            pinned: true,
            ..PostCard::of(state, p, me)
        })
        .collect();
    let ids: Vec<i64> = cards.iter().map(|c| c.id).collect();
    cards.extend(
        views
            .iter()
            .filter(|v| !ids.contains(&v.status.id))
            .map(|v| PostCard::of(state, v, me)),
    );
    for card in cards.iter_mut() {
        card.pinnable = e.moderates && community.local;
    }
    PostCard::moderated(cards, e.moderates.then_some(community.id))
}

fn sort_tabs(t: Tr, q: &PageQuery) -> Vec<SortTab> {
    let current = q.sort.as_deref().unwrap_or("active");
    ["active", "new", "top"]
        .into_iter()
        .map(|key| SortTab {
            key,
            label: t.s(&format!("sort-{key}")),
            current: key == current,
        })
        .collect()
}

pub async fn get_community(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    v: Visitor,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let me = v.actor();
    let community = community_view::by_handle(&state, &handle, me).await?;
    let (e, may_post) = entry(&state, &community, me).await?;
    let (views, next) = threads(&state, &community, me, &q).await?;
    let first_page = q.max_id.is_none() && q.p.unwrap_or(0) == 0;
    let pinned = if first_page {
        reading::community_pinned(&state, &community, me).await?
    } else {
        vec![]
    };
    let moderators = community_view::moderators(&state, &community)
        .await?
        .iter()
        .map(|m| ActorRef::of(&state, m))
        .collect();
    let page = CommunityPage {
        t: v.t,
        c: Chrome::new(&state, &v, e.who.display.clone()),
        moderators,
        may_post,
        sorts: sort_tabs(v.t, &q),
        next,
        posts: forum_cards(&state, (&pinned, &views), me, &e, &community),
        e,
    };
    Ok(html(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    t: Tr,
    c: Chrome,
    who: ActorRef,
    members: Vec<ActorRef>,
    older: Option<i64>,
}

/// `/communities/:handle/members`: who belongs (for members only, in a
/// members-only community).
pub async fn get_members(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    v: Visitor,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let me = v.actor();
    let community = community_view::by_handle(&state, &handle, me).await?;
    let rows = community_view::members(&state, &community, me, q.page()).await?;
    let who = ActorRef::of(&state, &community);
    let page = MembersPage {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.v("members-of", "name", &who.display)),
        older: older(&rows, |(mark, _)| *mark),
        members: rows.iter().map(|(_, a)| ActorRef::of(&state, a)).collect(),
        who,
    };
    Ok(html(StatusCode::OK, &page))
}

fn back(headers: &HeaderMap, handle: &str) -> Response {
    back_to(&referer_path(headers).unwrap_or_else(|| format!("/communities/{handle}")))
}

/// `join` or `leave` (the path's last segment), then back where the form was.
pub async fn post_membership(
    State(state): State<AppState>,
    Path((handle, action)): Path<(String, String)>,
    headers: HeaderMap,
    posted: Posted<NoFields>,
) -> AppResult<Response> {
    let (_, me) = posted.visitor.require()?;
    let community = community_view::by_handle(&state, &handle, Some(me)).await?;
    match action.as_str() {
        "join" => {
            follows::follow(&state, me, &community).await?;
        }
        "leave" => follows::unfollow(&state, me, &community).await?,
        _ => return Err(AppError::not_found()),
    };
    Ok(back(&headers, &handle))
}

#[derive(Deserialize)]
pub struct NewCommunityForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    visibility: String,
}

pub async fn post_community(
    State(state): State<AppState>,
    posted: Posted<NewCommunityForm>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (_, me) = visitor.require()?;
    let visibility: CommunityVisibility = form
        .visibility
        .parse()
        .map_err(|e: String| AppError::unprocessable(format!("Visibility {e}")))?;
    let c = communities::create_community(
        &state,
        communities::NewCommunity {
            name: form.name,
            owner: me.name.clone(),
            title: Some(form.title).filter(|t| !t.trim().is_empty()),
            visibility,
        },
    )
    .await?;
    Ok(back_to(&format!("/communities/{}", c.name)))
}
