//! The few HTML pages of the OAuth flow, in the instance's colours. Every value
//! that reaches the page is escaped.

use axum::{
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use html_escape::encode_safe as esc;

use crate::state::AppState;

pub fn layout(state: &AppState, status: StatusCode, title: &str, body: &str) -> Response {
    let instance = state.instance();
    let logo = instance
        .logo_url
        .as_deref()
        .map(|u| format!(r#"<img src="{}" alt="" height="48">"#, esc(u)))
        .unwrap_or_default();
    let html = format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · {name}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; color: #222; }}
header {{ display: flex; gap: .75rem; align-items: center; border-bottom: 4px solid {accent}; padding-bottom: .5rem; }}
label {{ display: block; margin-top: 1rem; }}
input[type=text], input[type=password] {{ width: 100%; padding: .5rem; box-sizing: border-box; }}
button {{ margin-top: 1.25rem; padding: .6rem 1.2rem; background: {accent}; color: #fff; border: 0; border-radius: 4px; }}
button.secondary {{ background: #777; }}
.error {{ color: #a00; }}
code {{ display: block; padding: 1rem; background: #f3f3f3; word-break: break-all; font-size: 1.1rem; }}
</style></head>
<body><header>{logo}<h1>{name}</h1></header>
<main><h2>{title}</h2>{body}</main></body></html>"#,
        title = esc(title),
        name = esc(&instance.name),
        accent = esc(&instance.accent_color),
    );
    (status, Html(html)).into_response()
}

pub fn error_page(state: &AppState, status: StatusCode, message: &str) -> Response {
    layout(
        state,
        status,
        "Authorization failed",
        &format!(r#"<p class="error">{}</p>"#, esc(message)),
    )
}
