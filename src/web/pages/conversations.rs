//! `/conversations`: the reader's direct conversations (as
//! `GET /api/v1/conversations` lists them), one conversation's messages with a
//! reply form, and a form to write to someone new; all through
//! `service::conversations`, shared with the client API.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use serde::Deserialize;

use super::{PageQuery, older};
use crate::{
    api::extract::Query,
    error::{AppError, AppResult},
    service::conversations::{self, ConversationView},
    state::AppState,
    web::{
        cards::{ActorRef, PostCard, when},
        form::Posted,
        i18n::Tr,
        page::{Chrome, back_to, html},
        visitor::Visitor,
    },
};

/// A conversation as the list shows it.
pub struct Item {
    pub id: i64,
    pub others: Vec<ActorRef>,
    /// Who wrote the newest message, and its beginning.
    pub last_author: String,
    pub excerpt: String,
    pub when: String,
    pub unread: bool,
}

impl Item {
    fn of(state: &AppState, v: &ConversationView) -> Self {
        Self {
            id: v.conversation.id,
            others: v
                .others
                .iter()
                .map(|(a, _)| ActorRef::of(state, a))
                .collect(),
            last_author: ActorRef::of(state, &v.last.author).display,
            excerpt: PostCard::excerpt(&v.last),
            when: when(v.last.status.created_at),
            unread: v.conversation.unread,
        }
    }
}

#[derive(Template)]
#[template(path = "conversations.html")]
struct ListPage {
    t: Tr,
    c: Chrome,
    items: Vec<Item>,
    older: Option<i64>,
}

#[derive(Template)]
#[template(path = "conversation.html")]
struct ConversationPage {
    t: Tr,
    c: Chrome,
    id: i64,
    others: Vec<ActorRef>,
    posts: Vec<PostCard>,
}

fn conversation_id(id: &str) -> AppResult<i64> {
    id.parse().map_err(|_| AppError::not_found())
}

pub async fn get_conversations(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let (_, me) = v.require()?;
    let views = conversations::page(&state, me, q.page()).await?;
    let page = ListPage {
        c: Chrome::new(&state, &v, v.t.s("conversations-title")),
        t: v.t,
        older: older(&views, |c| c.conversation.last_status_id),
        items: views.iter().map(|c| Item::of(&state, c)).collect(),
    };
    Ok(html(StatusCode::OK, &page))
}

pub async fn get_conversation(
    State(state): State<AppState>,
    Path(id): Path<String>,
    v: Visitor,
) -> AppResult<Response> {
    let (_, me) = v.require()?;
    let (view, messages) = conversations::open(&state, me, conversation_id(&id)?).await?;
    let others: Vec<ActorRef> = view
        .others
        .iter()
        .map(|(a, _)| ActorRef::of(&state, a))
        .collect();
    let names: Vec<&str> = others.iter().map(|o| o.display.as_str()).collect();
    let page = ConversationPage {
        c: Chrome::new(
            &state,
            &v,
            v.t.v("conversation-with", "names", &names.join(", ")),
        ),
        t: v.t,
        id: view.conversation.id,
        others,
        posts: messages
            .iter()
            .map(|m| PostCard::of(&state, m, Some(me)))
            .collect(),
    };
    Ok(html(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    text: String,
}

pub async fn post_reply(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<ReplyForm>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (_, me) = visitor.require()?;
    let id = conversation_id(&id)?;
    let row = conversations::reply(&state, me, id, &form.text).await?;
    Ok(back_to(&format!("/conversations/{id}#post-{}", row.id)))
}

#[derive(Deserialize)]
pub struct NewMessageForm {
    #[serde(default)]
    recipients: String,
    #[serde(default)]
    text: String,
}

pub async fn post_message(
    State(state): State<AppState>,
    posted: Posted<NewMessageForm>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (_, me) = visitor.require()?;
    let id = conversations::start(&state, me, &form.recipients, &form.text).await?;
    Ok(back_to(&format!("/conversations/{id}")))
}
