//! `/notifications`: what happened to the reader (mentions, replies, likes,
//! follows, join requests…), each with the post it is about.

use askama::Template;
use axum::{extract::State, http::StatusCode, response::Response};

use super::{PageQuery, older};
use crate::{
    api::extract::Query,
    db::notifications::KINDS,
    error::AppResult,
    service::notifications,
    state::AppState,
    web::{
        cards::{ActorRef, PostCard, when},
        i18n::Tr,
        page::{Chrome, html},
        visitor::Visitor,
    },
};

pub struct Item {
    /// What happened, in the reader's language.
    pub kind: String,
    pub who: ActorRef,
    pub when: String,
    pub post: Option<PostCard>,
    /// The community a join request or report is about, and its moderation page.
    pub community: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    t: Tr,
    c: Chrome,
    items: Vec<Item>,
    older: Option<i64>,
}

pub async fn get_notifications(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<PageQuery>,
) -> AppResult<Response> {
    let (_, me) = v.require()?;
    let kinds = KINDS
        .iter()
        .chain(&[
            crate::db::notifications::EVENT_REMINDER,
            crate::db::notifications::JOIN_REQUEST,
            crate::db::notifications::REPORT,
        ])
        .map(|k| k.to_string())
        .collect();
    let views = notifications::page(&state, me, kinds, None, q.page()).await?;
    let older = older(&views, |n| n.notification.id);
    let items = views
        .iter()
        .map(|n| Item {
            kind: {
                let key = format!("notification-{}", n.notification.kind.replace('.', "-"));
                // A report names its community when it has one: "…, in Design".
                match &n.community {
                    Some(_) if n.notification.kind == crate::db::notifications::REPORT => {
                        v.t.s(&format!("{key}-in"))
                    }
                    _ => v.t.s(&key),
                }
            },
            who: ActorRef::of(&state, &n.from),
            when: when(n.notification.created_at),
            post: n.status.as_ref().map(|s| PostCard::of(&state, s, Some(me))),
            community: n.community.as_ref().map(|c| {
                let r = ActorRef::of(&state, c);
                (format!("{}/moderation", r.href), r.display)
            }),
        })
        .collect();
    let page = NotificationsPage {
        t: v.t,
        c: Chrome::new(&state, &v, v.t.s("notifications-title")),
        items,
        older,
    };
    Ok(html(StatusCode::OK, &page))
}
