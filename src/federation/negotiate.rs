//! Content negotiation: ActivityPub JSON for servers, HTML for browsers.

use axum::{
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use serde_json::Value;

pub const ACTIVITY_JSON: &str = "application/activity+json";

/// Whether the client asked for an ActivityPub document.
pub fn wants_activity_json(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("application/activity+json") || v.contains("application/ld+json")
        })
}

/// A JSON document served as `application/activity+json`.
pub fn activity_json(body: Value) -> Response {
    let mut r = axum::Json(body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/activity+json; charset=utf-8"),
    );
    r.headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    r
}
