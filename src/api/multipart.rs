//! Multipart bodies, read a part at a time with every size bounded as it arrives:
//! the number of parts, each text field, each file, and (through the node's
//! [`UploadBudget`](super::upload_budget::UploadBudget), reserved before the
//! body is read) the bytes held by all requests together.

use axum::{
    extract::{
        FromRequest, Multipart, Request,
        multipart::{Field, MultipartError},
    },
    http::{HeaderMap, StatusCode, header},
};
use serde::de::DeserializeOwned;

use super::{
    extract::{Body, parse_form},
    upload_budget::Reservation,
};
use crate::{
    error::{AppError, AppResult},
    state::AppState,
};

/// Parts a multipart body may have, and the size of one text field: a profile
/// note or media description is a few KB, so a 400 MB one is refused early.
pub const MAX_PARTS: usize = 100;
pub const MAX_TEXT_FIELD_BYTES: usize = 256 * 1024;
/// File parts kept from one form (a profile has two pictures).
pub const MAX_FILE_PARTS: usize = 4;

/// A body like [`Body`], with the files of a multipart one (profile pictures):
/// `(field name, bytes)`, each at most the media image limit (413 beyond it).
/// Its route lifts the global body limit. The files' bytes stay reserved in the
/// upload budget while this lives.
pub struct BodyWithFiles<T> {
    pub form: T,
    pub files: Vec<(String, Vec<u8>)>,
    pub reserved: Reservation,
}

impl<T: DeserializeOwned> FromRequest<AppState> for BodyWithFiles<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.to_ascii_lowercase().starts_with("multipart/form-data"));
        if !multipart {
            // Without the global limit on this route, plain bodies keep it.
            let limit = state.config.server.max_body_bytes;
            let req = req.map(|b| axum::body::Body::new(http_body_util::Limited::new(b, limit)));
            let Body(form) = Body::from_request(req, state).await?;
            return Ok(BodyWithFiles {
                form,
                files: vec![],
                reserved: Reservation::default(),
            });
        }
        let max = state.config.media.max_image_bytes;
        let reserved = reserve(state, req.headers(), MAX_FILE_PARTS * max).await?;
        let mut multipart = Multipart::from_request(req, state)
            .await
            .map_err(rejected)?;
        let (mut pairs, mut files): (Vec<_>, Vec<(String, Vec<u8>)>) = (Vec::new(), Vec::new());
        let mut parts = 0;
        while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
            count_part(&mut parts)?;
            let Some(name) = field.name().map(str::to_string) else {
                continue;
            };
            if field.file_name().is_some() {
                if files.len() >= MAX_FILE_PARTS {
                    return Err(too_large(format!(
                        "Too many files (at most {MAX_FILE_PARTS})"
                    )));
                }
                let held: usize = files.iter().map(|(_, b)| b.len()).sum();
                let expected = reserved.bytes().saturating_sub(held);
                let bytes = read_file_field(&mut field, max, expected).await?;
                files.push((name, bytes));
            } else {
                pairs.push((name, read_text_field(&mut field).await?));
            }
        }
        let mut encoded = url::form_urlencoded::Serializer::new(String::new());
        encoded.extend_pairs(pairs);
        let form = parse_form(encoded.finish().as_bytes())?;
        Ok(BodyWithFiles {
            form,
            files,
            reserved,
        })
    }
}

/// A multipart body with one file (`file`: a library's upload, up to the
/// largest media size) and text fields, read into `T`. Its route lifts the
/// global body limit; the file's bytes stay reserved while this lives.
pub struct BodyWithFile<T> {
    pub form: T,
    pub file: Option<crate::service::media::Upload>,
    pub reserved: Reservation,
}

impl<T: DeserializeOwned> FromRequest<AppState> for BodyWithFile<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let limits = &state.config.media;
        let max = limits.max_image_bytes.max(limits.max_document_bytes);
        let reserved = reserve(state, req.headers(), max).await?;
        let mut multipart = Multipart::from_request(req, state)
            .await
            .map_err(rejected)?;
        let (mut pairs, mut file) = (Vec::new(), None);
        let mut parts = 0;
        while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
            count_part(&mut parts)?;
            let Some(name) = field.name().map(str::to_string) else {
                continue;
            };
            if field.file_name().is_none() {
                pairs.push((name, read_text_field(&mut field).await?));
                continue;
            }
            if name != "file" || file.is_some() {
                return Err(AppError::unprocessable(
                    "Validation failed: one file is expected, in the field `file`",
                ));
            }
            let content_type = field.content_type().map(str::to_string);
            let file_name = field.file_name().map(str::to_string);
            let bytes = read_file_field(&mut field, max, reserved.bytes()).await?;
            // A form's empty file input sends an empty part: no file.
            if !bytes.is_empty() {
                file = Some(crate::service::media::Upload {
                    bytes,
                    content_type,
                    file_name,
                    description: None,
                    focus: None,
                });
            }
        }
        let mut encoded = url::form_urlencoded::Serializer::new(String::new());
        encoded.extend_pairs(pairs);
        let form = parse_form(encoded.finish().as_bytes())?;
        Ok(BodyWithFile {
            form,
            file,
            reserved,
        })
    }
}

/// The text fields of a multipart body, encoded as a form so one parser reads both.
pub async fn text_fields_as_form(mut multipart: Multipart) -> AppResult<String> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut parts = 0;
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        count_part(&mut parts)?;
        let Some(name) = field.name().map(str::to_string) else {
            continue;
        };
        if field.file_name().is_some() {
            // File parts belong to the media endpoints, which read them themselves.
            continue;
        }
        pairs.push((name, read_text_field(&mut field).await?));
    }
    // Built after the last await: the serializer is not Send.
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.extend_pairs(pairs);
    Ok(form.finish())
}

/// A body that is not multipart at all, or whose boundary is missing.
pub fn rejected(e: axum::extract::multipart::MultipartRejection) -> AppError {
    AppError::bad_request(format!("Malformed multipart body: {}", e.body_text()))
}

#[track_caller]
fn too_large(message: String) -> AppError {
    AppError::new(StatusCode::PAYLOAD_TOO_LARGE, message)
}

/// A multipart error as the client should see it: 413 past a size limit.
pub fn malformed(e: MultipartError) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::payload_too_large()
    } else {
        AppError::bad_request(format!("Malformed multipart body: {}", e.body_text()))
    }
}

/// Counts one more part of a multipart body, refusing the one past [`MAX_PARTS`].
pub fn count_part(parts: &mut usize) -> AppResult<()> {
    *parts += 1;
    if *parts > MAX_PARTS {
        return Err(too_large(format!(
            "Too many multipart fields (at most {MAX_PARTS})"
        )));
    }
    Ok(())
}

/// A multipart text field, read a chunk at a time and refused (413) as soon as it
/// passes [`MAX_TEXT_FIELD_BYTES`], without reading the rest.
pub async fn read_text_field(field: &mut Field<'_>) -> AppResult<String> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(malformed)? {
        if bytes.len() + chunk.len() > MAX_TEXT_FIELD_BYTES {
            return Err(too_large(format!(
                "A form field is too large (at most {} KB)",
                MAX_TEXT_FIELD_BYTES / 1024
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes)
        .map_err(|_| AppError::bad_request("Malformed multipart field: not UTF-8"))
}

/// Reserves, in the node's upload budget, what the request may hold: its
/// `Content-Length` when it declares one, else `limit`.
pub async fn reserve(
    state: &AppState,
    headers: &HeaderMap,
    limit: usize,
) -> AppResult<Reservation> {
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    state.uploads.reserve(length, limit).await
}

/// A file part, at most `max` bytes (413 past it). `expected` (what is left of
/// the request's reservation) sizes the buffer once: grown by doubling, a 40 MiB
/// file would take 64 MiB.
pub async fn read_file_field(
    field: &mut Field<'_>,
    max: usize,
    expected: usize,
) -> AppResult<Vec<u8>> {
    let mut bytes = Vec::with_capacity(expected.min(max));
    while let Some(chunk) = field.chunk().await.map_err(malformed)? {
        if bytes.len() + chunk.len() > max {
            return Err(AppError::payload_too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}
