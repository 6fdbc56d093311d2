//! `/search`: people, communities and posts, as the reader may see them.

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};

use super::PageQuery;
use crate::{
    api::extract::Query,
    error::AppResult,
    model::actor::ActorKind,
    service::search,
    state::AppState,
    web::{
        cards::{ActorRef, PostCard},
        i18n::Tr,
        page::{Chrome, html},
        visitor::Visitor,
    },
};

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    t: Tr,
    c: Chrome,
    query: String,
    people: Vec<ActorRef>,
    communities: Vec<ActorRef>,
    posts: Vec<PostCard>,
}

pub async fn get_search(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let query = q.q.unwrap_or_default().trim().to_string();
    let me = v.actor();
    let mut page = SearchPage {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.s("search-title")),
        query: query.clone(),
        people: vec![],
        communities: vec![],
        posts: vec![],
    };
    if !query.is_empty() {
        let found = search::search(
            &state,
            me,
            search::Request {
                text: query,
                accounts: true,
                statuses: true,
                fetch: me.is_some(),
                limit: 20,
                offset: 0,
            },
        )
        .await?;
        for a in &found.accounts {
            match a.kind() {
                ActorKind::Group => page.communities.push(ActorRef::of(&state, a)),
                ActorKind::Person => page.people.push(ActorRef::of(&state, a)),
                ActorKind::Application => {}
            }
        }
        page.posts = found
            .statuses
            .iter()
            .map(|s| PostCard::of(&state, s, me))
            .collect();
    }
    Ok(html(StatusCode::OK, &page))
}
