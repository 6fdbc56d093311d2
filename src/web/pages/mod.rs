//! The pages, by area. Each handler reads through `service::`, as the client
//! API does, and renders a template.

pub mod admin;
pub mod admin_federation;
pub mod admin_mail;
pub mod admin_people;
pub mod agenda;
pub mod calendar_feeds;
pub mod communities;
pub mod composer;
pub mod conversations;
pub mod directory;
pub mod documents;
pub mod editing;
pub mod email_links;
pub mod feed;
pub mod landing;
pub mod library;
pub mod live;
pub mod moderation;
pub mod notifications;
pub mod posting;
pub mod profile;
pub mod reporting;
pub mod search;
pub mod settings;
pub mod settings_email;
pub mod settings_profile;
pub mod stewardship;
pub mod surveys;
pub mod thread;

use axum::http::{HeaderMap, header};
use serde::Deserialize;

use crate::db::views::Page;

/// Query of a listing page: `?max_id=` for older entries; `next` after signing in.
#[derive(Deserialize, Default)]
pub struct PageQuery {
    pub max_id: Option<String>,
    pub next: Option<String>,
    pub q: Option<String>,
    /// What a settings form saved, for its notice.
    pub saved: Option<String>,
    /// An invitation code, from an invitation link.
    pub invite: Option<String>,
    /// How a community page sorts its threads: `active` (default), `new`, `top`.
    pub sort: Option<String>,
    /// A page number, for the sorts that are not by date.
    pub p: Option<i64>,
}

/// Entries a listing page shows at once.
pub const PER_PAGE: i64 = 20;

impl PageQuery {
    pub fn page(&self) -> Page {
        Page {
            max_id: self.max_id.as_deref().and_then(|m| m.parse().ok()),
            limit: PER_PAGE,
            ..Page::default()
        }
    }
}

/// The id to ask for older entries, when the page is full.
pub fn older<T>(items: &[T], id: impl Fn(&T) -> i64) -> Option<i64> {
    (items.len() as i64 >= PER_PAGE)
        .then(|| items.last().map(id))
        .flatten()
}

/// The page a form was sent from, if it is ours: where to go back to.
pub fn referer_path(headers: &HeaderMap) -> Option<String> {
    let referer = url::Url::parse(headers.get(header::REFERER)?.to_str().ok()?).ok()?;
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let authority = match referer.port() {
        Some(p) => format!("{}:{p}", referer.host_str()?),
        None => referer.host_str()?.to_string(),
    };
    if !authority.eq_ignore_ascii_case(host) {
        return None;
    }
    Some(match referer.query() {
        Some(q) => format!("{}?{q}", referer.path()),
        None => referer.path().to_string(),
    })
}
