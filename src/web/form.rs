//! Form posts: checked to come from our own pages before anything is read.
//! Signed-in forms carry the session's form token; every post's `Origin`, when
//! the browser sends one (all current browsers do), must be this site.

use axum::{
    extract::{FromRequest, Request},
    http::{HeaderMap, header},
};
use serde::{Deserialize, de::DeserializeOwned};

use super::visitor::Visitor;
use crate::{
    error::{AppError, AppResult},
    state::AppState,
};

/// The largest form a page sends (a long thread's text and its fields).
const MAX_FORM_BYTES: usize = 256 * 1024;

/// A form posted by one of our pages, and who posted it.
pub struct Posted<T> {
    pub visitor: Visitor,
    pub form: T,
}

/// A form whose only field is its token (like, join, sign out…).
#[derive(Deserialize)]
pub struct NoFields {}

#[derive(Deserialize)]
struct Token {
    #[serde(default)]
    csrf: String,
}

/// Whether `Origin` (if any) names the host the request was sent to.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    url::Url::parse(origin).is_ok_and(|u| {
        let authority = match u.port() {
            Some(p) => format!("{}:{p}", u.host_str().unwrap_or_default()),
            None => u.host_str().unwrap_or_default().to_string(),
        };
        authority.eq_ignore_ascii_case(host)
    })
}

fn forged() -> AppError {
    AppError::forbidden(
        "This form has expired or was not sent from this site. Go back, reload the page and try again.",
    )
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for Posted<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> AppResult<Self> {
        let (mut parts, body) = req.into_parts();
        if !same_origin(&parts.headers) {
            return Err(forged());
        }
        let visitor = Visitor::from_request_parts(&mut parts, state).await?;
        let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| {
                AppError::new(
                    axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                    "This form is too large",
                )
            })?;
        let token: Token = serde_urlencoded::from_bytes(&bytes).map_err(|_| forged())?;
        if visitor.signed_in.is_some() && !constant_eq(&token.csrf, &visitor.form_token()) {
            return Err(forged());
        }
        let form = serde_urlencoded::from_bytes(&bytes)
            .map_err(|e| AppError::unprocessable(format!("This form is not valid: {e}")))?;
        Ok(Self { visitor, form })
    }
}

use axum::extract::FromRequestParts;

/// A signed-in form with files (the composer, profile pictures): `multipart/form-data`
/// read through the API's bounded reader (the upload budget, at most four files
/// of the image size limit). The origin and the session are checked before the
/// body is read; the form token, once its fields are.
pub struct PostedFiles<T> {
    pub visitor: Visitor,
    pub form: T,
    /// `(field name, bytes)` of each file chosen; empty file inputs are left out.
    pub files: Vec<(String, Vec<u8>)>,
}

#[derive(Deserialize)]
struct Tokened<T> {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    form: T,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for PostedFiles<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> AppResult<Self> {
        let (visitor, req) = signed_in(req, state).await?;
        let read =
            crate::api::multipart::BodyWithFiles::<Tokened<T>>::from_request(req, state).await?;
        if !constant_eq(&read.form.csrf, &visitor.form_token()) {
            return Err(forged());
        }
        let files = read
            .files
            .into_iter()
            .filter(|(_, bytes)| !bytes.is_empty())
            .collect();
        Ok(Self {
            visitor,
            form: read.form.form,
            files,
        })
    }
}

/// A signed-in form with one file (a library's upload): `multipart/form-data`
/// read through the API's one-file reader (a `file` part with its name and type,
/// up to the document size limit). Checked as [`PostedFiles`]: origin and
/// session before the body is read, the form token once its fields are.
pub struct PostedFile<T> {
    pub visitor: Visitor,
    pub form: T,
    /// The file chosen, if any (an empty file input sends none).
    pub file: Option<crate::service::media::Upload>,
    /// The file's bytes stay counted in the upload budget while this lives.
    pub reserved: crate::api::upload_budget::Reservation,
}

impl<T: DeserializeOwned + Send> FromRequest<AppState> for PostedFile<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> AppResult<Self> {
        let (visitor, req) = signed_in(req, state).await?;
        let read =
            crate::api::multipart::BodyWithFile::<Tokened<T>>::from_request(req, state).await?;
        if !constant_eq(&read.form.csrf, &visitor.form_token()) {
            return Err(forged());
        }
        Ok(Self {
            visitor,
            form: read.form.form,
            file: read.file,
            reserved: read.reserved,
        })
    }
}

/// A form with files: same origin and a session, checked before its body is read.
async fn signed_in(req: Request, state: &AppState) -> AppResult<(Visitor, Request)> {
    let (mut parts, body) = req.into_parts();
    if !same_origin(&parts.headers) {
        return Err(forged());
    }
    let visitor = Visitor::from_request_parts(&mut parts, state).await?;
    visitor.require()?;
    Ok((visitor, Request::from_parts(parts, body)))
}

fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, host.parse().expect("host"));
        if let Some(o) = origin {
            h.insert(header::ORIGIN, o.parse().expect("origin"));
        }
        h
    }

    #[test]
    fn origin_must_be_this_site() {
        assert!(same_origin(&headers(None, "a.example")));
        assert!(same_origin(&headers(
            Some("https://a.example"),
            "a.example"
        )));
        assert!(same_origin(&headers(
            Some("http://127.0.0.1:8080"),
            "127.0.0.1:8080"
        )));
        assert!(!same_origin(&headers(
            Some("https://evil.example"),
            "a.example"
        )));
        assert!(!same_origin(&headers(Some("null"), "a.example")));
        assert!(!same_origin(&headers(
            Some("http://127.0.0.1:9"),
            "127.0.0.1:8080"
        )));
        assert!(constant_eq("abc", "abc") && !constant_eq("abc", "abd") && !constant_eq("a", "ab"));
    }
}
