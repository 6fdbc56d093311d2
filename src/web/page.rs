//! What every page shares: the frame (instance, navigation, the reader), turning
//! a template into a response, and errors into readable pages.

use askama::Template;
use axum::{
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Redirect, Response},
};

use super::{i18n::Tr, visitor::Visitor};
use crate::{error::AppError, state::AppState};

/// The signed-in reader, as the frame shows them.
#[derive(Clone)]
pub struct Me {
    pub name: String,
    pub display: String,
    pub admin: bool,
}

/// The frame around a page.
#[derive(Clone)]
pub struct Chrome {
    pub instance: String,
    pub logo: String,
    pub title: String,
    pub me: Option<Me>,
    pub form_token: String,
    /// A link preview (OpenGraph) for shared pages.
    pub preview: Option<Preview>,
}

#[derive(Clone)]
pub struct Preview {
    pub title: String,
    pub description: String,
    pub url: String,
}

impl Chrome {
    pub fn new(state: &AppState, v: &Visitor, title: impl Into<String>) -> Self {
        Self {
            instance: state.instance().name.clone(),
            logo: state
                .instance()
                .logo_url
                .clone()
                .unwrap_or_else(|| "/static/logo.png".into()),
            title: title.into(),
            me: v.signed_in.as_ref().map(|(u, a)| Me {
                name: a.name.clone(),
                display: if a.display_name.is_empty() {
                    a.name.clone()
                } else {
                    a.display_name.clone()
                },
                admin: u.admin,
            }),
            form_token: v.form_token(),
            preview: None,
        }
    }
}

/// A rendered page with `status`.
pub fn html(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => AppError::internal(e).into_response(),
    }
}

/// After a form: back to a page (303, so a reload does not post again).
pub fn back_to(path: &str) -> Response {
    Redirect::to(path).into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    t: Tr,
    c: Chrome,
    code: String,
    heading: String,
    message: String,
}

/// Headers every page gets: a strict Content-Security-Policy (no inline script
/// or style anywhere), no framing, no sniffing, no referrer beyond this site.
pub async fn page_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src * data:; \
             connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        );
    }
    res
}

/// Errors of the pages (a handler's, or an extractor's) become readable pages
/// in the reader's language; a page that needs a session sends to the sign-in.
pub async fn errors_as_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let headers = req.headers().clone();
    let path = req.uri().path().to_string();
    let res = next.run(req).await;
    let status = res.status();
    let json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || !json {
        return res;
    }
    if status == StatusCode::UNAUTHORIZED {
        return Redirect::to(&format!("/?next={}", urlencode(&path))).into_response();
    }
    let body = axum::body::to_bytes(res.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let message = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_string))
        .unwrap_or_default();
    let t = Tr(super::visitor::request_lang(&state, &headers));
    let heading = match status {
        StatusCode::NOT_FOUND | StatusCode::GONE => t.s("error-not-found"),
        StatusCode::FORBIDDEN => t.s("error-forbidden"),
        StatusCode::TOO_MANY_REQUESTS => t.s("error-too-many"),
        s if s.is_server_error() => t.s("error-server"),
        _ => t.s("error-invalid"),
    };
    let visitor = Visitor::nobody(t);
    let page = ErrorPage {
        c: Chrome::new(&state, &visitor, heading.clone()),
        t,
        code: status.as_u16().to_string(),
        heading,
        // Server errors say nothing of their cause.
        message: if status.is_server_error() {
            String::new()
        } else {
            message
        },
    };
    html(status, &page)
}

pub fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
