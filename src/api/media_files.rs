//! Serving the media store (`/media/{key}`): by unguessable name only, with
//! ranges for video, cached for good (a name never changes content), and with
//! headers that keep a browser from running anything it is sent.

use axum::{
    body::Body,
    extract::{Path, Request, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::{error::AppError, service::media::store, state::AppState};

pub async fn get_media_file(
    State(state): State<AppState>,
    Path(key): Path<String>,
    request: Request,
) -> Response {
    if !store::is_key(&key) {
        return AppError::not_found().into_response();
    }
    let path = std::path::Path::new(&state.config.media.path).join(&key);
    let mut response = match ServeFile::new(path).oneshot(request).await {
        Ok(r) if r.status() == StatusCode::NOT_FOUND => {
            return AppError::not_found().into_response();
        }
        Ok(r) => r.map(Body::new),
        Err(e) => return AppError::internal(e).into_response(),
    };
    let headers = response.headers_mut();
    // Documents (PDFs, office files…) are downloaded, never shown in our origin.
    let shown = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            let t = t.to_ascii_lowercase();
            (t.starts_with("image/") && !t.starts_with("image/svg"))
                || t.starts_with("video/")
                || t.starts_with("audio/")
        });
    if !shown {
        headers.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment"),
        );
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        // No `sandbox`: it stops browsers' PDF viewers; only inert types are stored.
        HeaderValue::from_static("default-src 'none'; img-src 'self'; media-src 'self'"),
    );
    response
}
