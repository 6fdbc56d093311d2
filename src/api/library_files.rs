//! A library's files (`/documents/{id}/file` for the current version,
//! `/documents/{id}/versions/{n}` for any): served only to whoever may read
//! the document, unlike `/media/`, whose unguessable names are the only key.
//! Our people are known by their session or token; another server by the
//! signature of its GET, checked against the community's reach (so a link
//! passed outside a confidential community opens nothing). A partner's file is
//! fetched from its server, signed, for our people who may read it there.

use axum::{
    body::Body,
    extract::{Path, Request, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use futures_util::StreamExt;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::{
    api::auth::Auth,
    db::{self, actors::Actor, library::Version},
    error::{AppError, AppResult},
    federation::{
        remote_files,
        signed_fetch::{Audience, Fetcher, authorize},
    },
    service::{library::files, statuses},
    state::AppState,
    web::visitor::Visitor,
};

/// Who asks for a file.
enum Reader {
    /// One of our people (or nobody signed in).
    Person(Option<Box<Actor>>),
    /// Another server, by the signature of its request.
    Server(Fetcher),
}

pub async fn get_current_file(
    State(state): State<AppState>,
    Path(id): Path<String>,
    auth: Option<Auth>,
    visitor: Visitor,
    fetcher: Fetcher,
    request: Request,
) -> Response {
    let reader = reader(auth, visitor, fetcher);
    answer(serve(&state, &id, None, reader, request).await)
}

pub async fn get_version_file(
    State(state): State<AppState>,
    Path((id, number)): Path<(String, String)>,
    auth: Option<Auth>,
    visitor: Visitor,
    fetcher: Fetcher,
    request: Request,
) -> Response {
    let reader = reader(auth, visitor, fetcher);
    let Ok(number) = number.parse::<i32>() else {
        return AppError::not_found().into_response();
    };
    answer(serve(&state, &id, Some(number), reader, request).await)
}

fn answer(r: AppResult<Response>) -> Response {
    r.unwrap_or_else(IntoResponse::into_response)
}

fn reader(auth: Option<Auth>, visitor: Visitor, fetcher: Fetcher) -> Reader {
    if let Some(me) = Auth::viewer(&auth) {
        return Reader::Person(Some(Box::new(me)));
    }
    if let Some((_, me)) = visitor.signed_in {
        return Reader::Person(Some(Box::new(me)));
    }
    match fetcher {
        Fetcher::Anonymous => Reader::Person(None),
        signed => Reader::Server(signed),
    }
}

async fn serve(
    state: &AppState,
    id: &str,
    number: Option<i32>,
    reader: Reader,
    request: Request,
) -> AppResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    let status = match &reader {
        Reader::Person(me) => statuses::visible(state, id, me.as_deref()).await?,
        Reader::Server(fetcher) => {
            let s = state
                .db
                .run(move |c| Ok(db::statuses::by_id(c, id)?))
                .await?
                .filter(|s| s.local && !s.is_gone())
                .ok_or_else(AppError::not_found)?;
            authorize(state, fetcher, Audience::Status(&s)).await?;
            s
        }
    };
    let versions = state
        .db
        .run(move |c| Ok(db::library::versions(c, status.id)?))
        .await?;
    let version = match number {
        None => versions.first(),
        Some(n) => versions.iter().find(|v| v.number == n),
    }
    .cloned()
    .ok_or_else(AppError::not_found)?;
    let mut response = match (&version.file_key, &version.remote_url, &reader) {
        (Some(key), _, _) => local(state, key, request).await?,
        (None, Some(url), Reader::Person(Some(_))) => remote(state, url).await?,
        _ => return Err(AppError::not_found()),
    };
    if response.status().is_success() || response.status() == StatusCode::PARTIAL_CONTENT {
        headers(&mut response, &version);
    }
    Ok(response)
}

async fn local(state: &AppState, key: &str, request: Request) -> AppResult<Response> {
    if !crate::service::media::store::is_key(key) {
        return Err(AppError::not_found());
    }
    let path = files::root(state).join(key);
    match ServeFile::new(path).oneshot(request).await {
        Ok(r) if r.status() == StatusCode::NOT_FOUND => Err(AppError::not_found()),
        Ok(r) => Ok(r.map(Body::new)),
        Err(e) => Err(AppError::internal(e)),
    }
}

/// A partner's file, passed on as it arrives and cut off past our size limit.
async fn remote(state: &AppState, url: &str) -> AppResult<Response> {
    let upstream = remote_files::get(state, url).await?;
    let max = state.config.media.max_document_bytes as u64;
    if upstream.content_length().is_some_and(|l| l > max) {
        return Err(AppError::payload_too_large());
    }
    let mut seen = 0u64;
    let stream = upstream.bytes_stream().map(move |chunk| {
        let chunk = chunk.map_err(std::io::Error::other)?;
        seen += chunk.len() as u64;
        if seen > max {
            return Err(std::io::Error::other("file larger than the size limit"));
        }
        Ok(chunk)
    });
    Ok(Body::from_stream(stream).into_response())
}

/// The type we recorded (never one guessed from the name), a download under
/// its own name, and no caching by anything shared.
fn headers(response: &mut Response, version: &Version) {
    let h = response.headers_mut();
    if let Ok(t) = HeaderValue::from_str(&version.content_type) {
        h.insert(header::CONTENT_TYPE, t);
    }
    if let Ok(d) = HeaderValue::from_str(&disposition(&version.file_name)) {
        h.insert(header::CONTENT_DISPOSITION, d);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
}

/// `attachment` with the file's name: plain ASCII for old clients, RFC 5987 for all.
fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_given_safely() {
        assert_eq!(
            super::disposition("Plan \"final\" é.pdf"),
            "attachment; filename=\"Plan _final_ _.pdf\"; filename*=UTF-8''Plan%20%22final%22%20%C3%A9.pdf"
        );
    }
}
