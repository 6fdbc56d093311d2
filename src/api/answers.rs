//! Answers hardened in one place: headers that stop framing and MIME sniffing on
//! every response, and a JSON body for errors the framework answered in plain text
//! (axum's own rejections), so clients always get `{"error": …}`.

use axum::{
    body::Body,
    extract::Request,
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};

/// Error bodies longer than this are not worth quoting back.
const MAX_QUOTED: usize = 4096;

pub async fn harden(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let mut response = json_error_body(response).await;
    let headers = response.headers_mut();
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let csp = match headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
    {
        None => Some("frame-ancestors 'none'".to_string()),
        Some(p) if !p.contains("frame-ancestors") => Some(format!("{p}; frame-ancestors 'none'")),
        Some(_) => None,
    };
    if let Some(value) = csp.and_then(|p| HeaderValue::from_str(&p).ok()) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// An error answered in plain text or with no body gets the JSON body every other
/// error has; JSON and HTML answers pass unchanged.
async fn json_error_body(response: Response) -> Response {
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let keep = !(status.is_client_error() || status.is_server_error())
        || content_type.contains("json")
        || content_type.starts_with("text/html");
    if keep {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, MAX_QUOTED)
        .await
        .ok()
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .filter(|t| !t.is_empty());
    let message = text.unwrap_or_else(|| {
        status
            .canonical_reason()
            .unwrap_or("Request refused")
            .to_string()
    });
    let body = serde_json::json!({ "error": message }).to_string();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(body))
}
