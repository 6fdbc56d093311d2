//! Cursor pagination as Mastodon clients use it: `max_id`, `since_id`, `min_id`,
//! `limit`, and a `Link` header with `next` and `prev`.

use axum::{
    Json,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use serde::Deserialize;
use serde_json::Value;

use crate::db::views::Page;

#[derive(Debug, Deserialize, Default)]
pub struct PageQuery {
    pub max_id: Option<String>,
    pub since_id: Option<String>,
    pub min_id: Option<String>,
    pub limit: Option<String>,
}

fn id(v: &Option<String>) -> Option<i64> {
    v.as_deref().and_then(|s| s.parse().ok())
}

impl PageQuery {
    pub fn page(&self, default: i64, max: i64) -> Page {
        Page {
            max_id: id(&self.max_id),
            since_id: id(&self.since_id),
            min_id: id(&self.min_id),
            limit: self
                .limit
                .as_deref()
                .and_then(|l| l.parse::<i64>().ok())
                .unwrap_or(default)
                .clamp(1, max),
        }
    }
}

/// The items as JSON, with a `Link` header built from the first and last ids.
pub fn paged(
    base: &str,
    path: &str,
    extra_query: &str,
    items: Vec<Value>,
    ids: &[i64],
) -> Response {
    let mut r = Json(items).into_response();
    if let (Some(first), Some(last)) = (ids.first(), ids.last()) {
        let sep = if extra_query.is_empty() {
            String::new()
        } else {
            format!("{extra_query}&")
        };
        let link = format!(
            "<{base}{path}?{sep}max_id={last}>; rel=\"next\", <{base}{path}?{sep}min_id={first}>; rel=\"prev\""
        );
        if let Ok(v) = HeaderValue::from_str(&link) {
            r.headers_mut().insert(header::LINK, v);
        }
    }
    r
}
