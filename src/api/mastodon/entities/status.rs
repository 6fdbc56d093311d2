//! The `Status` entity, for posts, threads and comments alike.

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use serde_json::{Value, json};

use super::{account, timestamp};
use crate::{
    db::{
        actors::Actor,
        statuses::Status,
        views::{PollView, StatusView},
    },
    state::AppState,
};

/// The HTML apps show. No Mastodon app reads `passerelle.title`, so a thread
/// root carries its title and its community (linked) above its body. The title
/// and names are escaped here; `body` is sanitised HTML already.
pub fn content(s: &Status, title: Option<&str>, community: Option<&Actor>, body: &str) -> String {
    let root = s.community_id.is_some() && s.in_reply_to_id.is_none();
    let Some(title) = title.filter(|t| root && !t.is_empty()) else {
        return body.to_string();
    };
    let community = community
        .map(|c| {
            let name = if c.display_name.is_empty() {
                &c.name
            } else {
                &c.display_name
            };
            let href = c.url.as_deref().unwrap_or(&c.ap_id);
            format!("<p><a href=\"{}\">{}</a></p>", attr(href), text(name))
        })
        .unwrap_or_default();
    format!("<h2>{}</h2>{community}{body}", text(title))
}

pub fn status(state: &AppState, v: &StatusView) -> Value {
    let s = &v.status;
    let acct = |a: &crate::db::actors::Actor| {
        if a.local {
            a.name.clone()
        } else {
            format!("{}@{}", a.name, a.domain)
        }
    };
    let mentions: Vec<Value> = v
        .mentions
        .iter()
        .map(|a| {
            json!({
                "id": a.id.to_string(),
                "username": a.name,
                "acct": acct(a),
                "url": a.url.clone().unwrap_or_else(|| a.ap_id.clone()),
            })
        })
        .collect();
    let tags: Vec<Value> = v
        .tags
        .iter()
        .map(|t| json!({ "name": t, "url": format!("{}/tags/{t}", state.urls.base()) }))
        .collect();
    let community = v.community.as_ref().map(|c| {
        json!({ "id": c.id.to_string(), "acct": acct(c), "title": c.display_name, "visibility": c.visibility })
    });
    json!({
        "id": s.id.to_string(),
        "uri": s.ap_id,
        "url": s.url.clone().unwrap_or_else(|| s.ap_id.clone()),
        "created_at": timestamp(s.created_at),
        "edited_at": s.edited_at.map(timestamp),
        "account": account::from_actor(state, &v.author, v.author_counts),
        "content": content(s, s.title.as_deref(), v.community.as_ref(), &event_body(state, v)),
        "visibility": s.visibility.to_mastodon(),
        "sensitive": s.sensitive,
        "spoiler_text": s.spoiler_text,
        "language": s.language,
        "in_reply_to_id": s.in_reply_to_id.map(|i| i.to_string()),
        "in_reply_to_account_id": v.parent_author_id.map(|i| i.to_string()),
        "replies_count": s.replies_count,
        "reblogs_count": s.reblogs_count,
        "favourites_count": s.favourites_count,
        "favourited": v.favourited,
        "reblogged": v.reblogged,
        "muted": false,
        "bookmarked": v.bookmarked,
        "pinned": v.pinned,
        "reblog": v.reblog.as_ref().map(|r| status(state, r)),
        "application": Value::Null,
        "media_attachments": v.media.iter().map(|m| super::media::attachment(state, m)).collect::<Vec<_>>(),
        "mentions": mentions,
        "tags": tags,
        "emojis": [],
        "card": Value::Null,
        "poll": v.poll.as_ref().map(poll),
        "filtered": [],
        // Passerelle extension: threads have a title and belong to a community.
        "passerelle": {
            "title": s.title,
            "community": community,
            "visibility": s.visibility,
            "thread_id": s.thread_root_id.unwrap_or(s.id).to_string(),
            "event": v.event.as_ref().map(|e| event(state, e)),
        },
    })
}

/// An event's or a survey's body as apps show it: its date and place (or a
/// link to answer the survey) first (apps know neither), then its description.
fn event_body<'a>(state: &AppState, v: &'a StatusView) -> std::borrow::Cow<'a, str> {
    match (&v.event, &v.survey) {
        (Some(e), _) => format!(
            "<p>📅 {}</p>{}",
            text(&crate::service::agenda::when_and_where(e)),
            v.status.content
        )
        .into(),
        (None, Some(s)) => {
            let url = format!("{}/posts/{}", state.urls.base(), s.status_id);
            format!(
                "<p>📋 Survey, open until {}: <a href=\"{url}\">{url}</a></p>{}",
                s.closes_at.format("%Y-%m-%d %H:%M UTC"),
                v.status.content
            )
            .into()
        }
        (None, None) => match &v.document {
            Some(d) => format!(
                "<p>📄 <a href=\"{}/documents/{}/file\">{}</a> · {} · v{}</p>{}",
                state.urls.base(),
                v.status.id,
                text(&d.file_name),
                crate::web::document_card::human_size(
                    crate::web::i18n::Tr(crate::web::i18n::Lang::En),
                    d.file_size
                ),
                d.number,
                v.status.content
            )
            .into(),
            None => v.status.content.as_str().into(),
        },
    }
}

/// Passerelle's `Event` entity: the date, place and capacity (answers and
/// counts come from `/api/passerelle/v1/events/ID`).
pub fn event(state: &AppState, e: &crate::db::events::Event) -> Value {
    json!({
        "starts_at": timestamp(e.starts_at),
        "ends_at": e.ends_at.map(timestamp),
        "time_zone": e.time_zone,
        "all_day": e.all_day,
        "location": e.location,
        "online_url": e.online_url,
        "capacity": e.capacity,
        "cancelled": e.cancelled_at.is_some(),
        "ics_url": format!("{}/events/{}.ics", state.urls.base(), e.status_id),
    })
}

/// The `Poll` entity (its id is its status's). Totals an author asked to hide
/// stay hidden until the poll ends.
pub fn poll(v: &PollView) -> Value {
    let p = &v.poll;
    let expired = p.expired(crate::service::now());
    let hidden = p.hide_totals && !expired;
    let options: Vec<Value> = p
        .titles()
        .into_iter()
        .enumerate()
        .map(|(i, title)| {
            let count = v.results.counts.get(i).copied().unwrap_or(0);
            json!({ "title": title, "votes_count": (!hidden).then_some(count) })
        })
        .collect();
    json!({
        "id": p.status_id.to_string(),
        "expires_at": p.expires_at.map(timestamp),
        "expired": expired,
        "multiple": p.multiple,
        "votes_count": v.results.counts.iter().sum::<i64>(),
        "voters_count": p.multiple.then_some(v.results.voters),
        "options": options,
        "emojis": [],
        "voted": !v.own_choices.is_empty(),
        "own_votes": v.own_choices,
    })
}
