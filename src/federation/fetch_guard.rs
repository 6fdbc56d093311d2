//! What a fetched document must be before the federation library parses it: an
//! answer from a server that is up (5xx, 408 and 429 become errors that are
//! retried later, rather than bodies that fail to parse), and an ActivityPub or
//! JSON document (a page or an image at an object's URL is refused).

use axum::http::{StatusCode, header::CONTENT_TYPE};
use reqwest_middleware::{Middleware, Next};

#[derive(Debug, thiserror::Error)]
pub enum FetchRefused {
    /// The server is down or overloaded: try again later.
    #[error("remote server answered {0}")]
    Unavailable(StatusCode),
    /// Not an ActivityPub document: never accepted.
    #[error("remote document is {0}, not ActivityPub JSON")]
    WrongContentType(String),
    /// 401, 403 or 404: the server does not let us read it (or it does not exist).
    #[error("remote server answered {0}")]
    Denied(StatusCode),
}

/// Media types an ActivityPub, WebFinger or NodeInfo document may have.
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "application/activity+json"
            | "application/ld+json"
            | "application/json"
            | "application/jrd+json"
    )
}

pub struct FetchGuard;

#[async_trait::async_trait]
impl Middleware for FetchGuard {
    async fn handle(
        &self,
        req: reqwest::Request,
        extensions: &mut axum::http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let res = next.run(req, extensions).await?;
        let status = res.status();
        if status.is_server_error()
            || status == StatusCode::REQUEST_TIMEOUT
            || status == StatusCode::TOO_MANY_REQUESTS
        {
            return Err(reqwest_middleware::Error::middleware(
                FetchRefused::Unavailable(status),
            ));
        }
        if matches!(
            status,
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
        ) {
            return Err(reqwest_middleware::Error::middleware(FetchRefused::Denied(
                status,
            )));
        }
        if status.is_success() {
            let content_type = res
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !is_json(content_type) {
                return Err(reqwest_middleware::Error::middleware(
                    FetchRefused::WrongContentType(if content_type.is_empty() {
                        "untyped".into()
                    } else {
                        content_type.into()
                    }),
                ));
            }
        }
        Ok(res)
    }
}

#[cfg(test)]
mod tests {
    use super::is_json;

    #[test]
    fn only_json_documents_pass() {
        for ok in [
            "application/activity+json",
            "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
            "application/json; charset=utf-8",
            "Application/JRD+JSON",
        ] {
            assert!(is_json(ok), "{ok}");
        }
        for bad in [
            "text/html",
            "image/png",
            "",
            "application/activity+json-evil",
            "text/plain",
        ] {
            assert!(!is_json(bad), "{bad}");
        }
    }
}
