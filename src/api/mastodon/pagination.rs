//! Cursor pagination as Mastodon clients use it: `max_id`, `since_id`, `min_id`,
//! `limit`, and a `Link` header with `next` and `prev`.

use axum::{
    Json,
    extract::Request,
    http::{HeaderValue, header},
    middleware::Next,
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

/// The items as JSON, with a `Link` header built from the first and last ids. The
/// request's other parameters (`limit`, filters) are added to both links by
/// [`keep_query`], for every paged list alike.
pub fn paged(base: &str, path: &str, items: Vec<Value>, ids: &[i64]) -> Response {
    let mut r = Json(items).into_response();
    if let (Some(first), Some(last)) = (ids.first(), ids.last()) {
        let link = format!(
            "<{base}{path}?max_id={last}>; rel=\"next\", <{base}{path}?min_id={first}>; rel=\"prev\""
        );
        if let Ok(v) = HeaderValue::from_str(&link) {
            r.headers_mut().insert(header::LINK, v);
        }
    }
    r
}

/// Parameters that are not carried over to the next page: the cursors (each
/// link sets its own) and a token given in the query.
const NOT_KEPT: [&str; 4] = ["max_id", "min_id", "since_id", "access_token"];

/// Middleware: a paged answer's links keep the request's parameters, as
/// Mastodon's do, so that the next page has the same `limit`, `types[]`,
/// `local`… (apps such as masto.js follow the links as they are).
pub async fn keep_query(req: Request, next: Next) -> Response {
    let query = req.uri().query().map(str::to_owned);
    let mut res = next.run(req).await;
    let Some(query) = query else { return res };
    let Some(link) = res
        .headers()
        .get(header::LINK)
        .and_then(|v| v.to_str().ok())
    else {
        return res;
    };
    let kept: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| !NOT_KEPT.contains(&k.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        return res;
    }
    let rewritten = with_params(link, &kept);
    if let Ok(v) = HeaderValue::from_str(&rewritten) {
        res.headers_mut().insert(header::LINK, v);
    }
    res
}

/// Each `<url>` of a `Link` header with `params` added before its own.
fn with_params(link: &str, params: &[(String, String)]) -> String {
    link.split(", ")
        .map(|part| {
            let Some((target, rest)) = part.strip_prefix('<').and_then(|p| p.split_once('>'))
            else {
                return part.to_string();
            };
            let Ok(mut url) = url::Url::parse(target) else {
                return part.to_string();
            };
            let own: Vec<(String, String)> = url.query_pairs().into_owned().collect();
            url.query_pairs_mut()
                .clear()
                .extend_pairs(params)
                .extend_pairs(&own);
            format!("<{url}>{rest}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_limit_and_filters_but_not_cursors() {
        let link = "<https://x.example/api/v1/notifications?max_id=9>; rel=\"next\", \
                    <https://x.example/api/v1/notifications?min_id=12>; rel=\"prev\"";
        let params = vec![
            ("limit".to_string(), "2".to_string()),
            ("types[]".to_string(), "mention".to_string()),
            ("types[]".to_string(), "follow".to_string()),
        ];
        let out = with_params(link, &params);
        assert_eq!(
            out,
            "<https://x.example/api/v1/notifications?limit=2&types%5B%5D=mention&types%5B%5D=follow&max_id=9>; rel=\"next\", \
             <https://x.example/api/v1/notifications?limit=2&types%5B%5D=mention&types%5B%5D=follow&min_id=12>; rel=\"prev\""
        );
    }
}
