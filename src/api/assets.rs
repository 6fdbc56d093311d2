//! Built-in files: the default avatar, header and logo clients expect to exist,
//! and the web interface's style sheet and scripts.

use axum::{
    extract::Path,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};

use crate::error::AppError;

const AVATAR: &[u8] = include_bytes!("../../assets/avatar.png");
const HEADER: &[u8] = include_bytes!("../../assets/header.png");
const LOGO: &[u8] = include_bytes!("../../assets/logo.png");
const WEB_CSS: &[u8] = include_bytes!("../../assets/web/web.css");
const WEB_JS: &[u8] = include_bytes!("../../assets/web/web.js");
const LIBRARY_JS: &[u8] = include_bytes!("../../assets/web/library.js");

pub async fn get_asset(Path(name): Path<String>) -> Result<Response, AppError> {
    let (bytes, kind) = match name.as_str() {
        "avatar.png" => (AVATAR, "image/png"),
        "header.png" => (HEADER, "image/png"),
        "logo.png" => (LOGO, "image/png"),
        "web.css" => (WEB_CSS, "text/css; charset=utf-8"),
        "web.js" => (WEB_JS, "text/javascript; charset=utf-8"),
        "library.js" => (LIBRARY_JS, "text/javascript; charset=utf-8"),
        _ => return Err(AppError::not_found()),
    };
    Ok(file(bytes, kind))
}

/// The logo stands for the site in browser tabs.
pub async fn get_favicon() -> Response {
    file(LOGO, "image/png")
}

fn file(bytes: &'static [u8], kind: &'static str) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    // Short enough that an upgrade's new style sheet and script arrive the same day.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    r
}
