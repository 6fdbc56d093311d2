//! `/@name`: a person's page (their profile and posts), following them.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};

use super::{PageQuery, older};
use crate::{
    api::extract::Query,
    db::{self, views::Narrow},
    error::AppResult,
    service::{directory, follows, people, reading},
    state::AppState,
    web::{
        cards::{ActorRef, PostCard},
        form::{NoFields, Posted},
        i18n::Tr,
        page::{Chrome, back_to, html},
        visitor::Visitor,
    },
};

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    t: Tr,
    c: Chrome,
    who: ActorRef,
    bio: String,
    fields: Vec<(String, String)>,
    /// The directory's fields and skills (for the instance's own people).
    directory: Vec<(String, String)>,
    skills: Vec<(String, String)>,
    ambassador: bool,
    followers: i64,
    posts_count: i64,
    is_me: bool,
    following: Option<String>,
    posts: Vec<PostCard>,
    older: Option<i64>,
}

pub async fn get_profile(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    v: Visitor,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let me = v.actor();
    let who = people::by_handle(&state, &handle).await?;
    let views =
        reading::account_posts(&state, &who, me, false, Narrow::default(), q.page()).await?;
    let (wid, mid) = (who.id, me.map(|m| m.id));
    let (counts, following) = state
        .db
        .run(move |c| {
            let following = match mid {
                Some(m) => db::follows::find(c, m, wid)?.map(|f| f.state),
                None => None,
            };
            Ok((db::actors::counts(c, wid)?, following))
        })
        .await?;
    let r = ActorRef::of(&state, &who);
    let card = match directory::profile::read(&state, &who, me).await? {
        Some(shown) => super::directory::PersonCard::of(
            &state,
            &v.t,
            &directory::listing::Person {
                actor: who.clone(),
                shown,
                ambassador: counts.ambassador,
            },
        ),
        None => super::directory::PersonCard {
            who: ActorRef::of(&state, &who),
            fields: vec![],
            skills: vec![],
            ambassador: counts.ambassador,
            matched: vec![],
        },
    };
    let page = ProfilePage {
        directory: card.fields,
        skills: card.skills,
        ambassador: card.ambassador,
        t: v.t,
        c: Chrome::new(&state, &v, r.display.clone()),
        bio: who.summary.clone(),
        fields: who.field_pairs(),
        who: r,
        followers: counts.followers,
        posts_count: counts.statuses,
        is_me: mid == Some(wid),
        following,
        older: older(&views, |v| v.status.id),
        posts: views.iter().map(|p| PostCard::of(&state, p, me)).collect(),
    };
    Ok(html(StatusCode::OK, &page))
}

/// `follow` or `unfollow` (the path's last segment), then back to the profile.
pub async fn post_follow(
    State(state): State<AppState>,
    Path((handle, action)): Path<(String, String)>,
    posted: Posted<NoFields>,
) -> AppResult<Response> {
    let (_, me) = posted.visitor.require()?;
    let who = people::by_handle(&state, &handle).await?;
    match action.as_str() {
        "follow" => {
            follows::follow(&state, me, &who).await?;
        }
        "unfollow" => follows::unfollow(&state, me, &who).await?,
        _ => return Err(crate::error::AppError::not_found()),
    };
    Ok(back_to(&format!("/@{}", ActorRef::of(&state, &who).handle)))
}
