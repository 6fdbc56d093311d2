//! The home feed of a signed-in person, with the composer.

use askama::Template;
use axum::{http::StatusCode, response::Response};

use super::{PageQuery, older};
use crate::{
    error::AppResult,
    service::{community_view, reading},
    state::AppState,
    web::{
        cards::{ActorRef, PostCard},
        i18n::Tr,
        page::{Chrome, html},
        visitor::Visitor,
    },
};

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    t: Tr,
    c: Chrome,
    posts: Vec<PostCard>,
    joined: Vec<ActorRef>,
    older: Option<i64>,
}

pub async fn home(state: &AppState, v: &Visitor, q: PageQuery) -> AppResult<Response> {
    let (_, me) = v.require()?;
    let views = reading::home(state, me, q.page()).await?;
    let joined = community_view::joined(state, me)
        .await?
        .iter()
        .map(|c| ActorRef::of(state, c))
        .collect();
    let page = Home {
        t: v.t,
        c: Chrome::new(state, v, v.t.s("nav-home")),
        older: older(&views, |v| v.status.id),
        posts: views
            .iter()
            .map(|p| PostCard::of(state, p, Some(me)))
            .collect(),
        joined,
    };
    Ok(html(StatusCode::OK, &page))
}
