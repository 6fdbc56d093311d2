//! Our rows as ActivityPub objects: the library's `Object`/`Actor` traits.

pub mod actor;
pub mod attachments;
pub mod document;
pub mod event;
pub mod post;
pub mod question;
pub mod received;
pub mod survey;

use crate::error::AppError;

/// The host (and port) of a URL, as ids are compared: `localhost:8080`, `social.example`.
pub fn authority(url: &url::Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => String::new(),
    }
}

/// 400: the object does not come from where it claims.
#[track_caller]
pub fn origin_mismatch(what: &str) -> AppError {
    AppError::bad_request(format!("{what} is not on the same host as its origin"))
}
