//! Media (`/api/v1/media`, `/api/v2/media`): upload, read and describe one's
//! uploads before (or after) a status takes them.

use axum::{
    Json,
    extract::{Multipart, State},
    http::HeaderMap,
};
use serde::Deserialize;
use serde_json::Value;

use super::entities::media::attachment;
use crate::{
    api::id_path::IdPath,
    api::{
        auth::Auth,
        extract::Body,
        multipart::{count_part, malformed, read_file_field, read_text_field, reserve},
    },
    error::{AppError, AppResult, invalid_field},
    service::media::{self, Upload},
    state::AppState,
};

/// Reads the multipart upload, counting bytes as they come: the route has no
/// global body limit, so the largest file allowed (`max`) is enforced here (413).
/// `expected` sizes the file's buffer.
async fn read_upload(mut form: Multipart, max: usize, expected: usize) -> AppResult<Upload> {
    let mut upload = Upload {
        bytes: Vec::new(),
        content_type: None,
        file_name: None,
        description: None,
        focus: None,
    };
    let mut got_file = false;
    let mut parts = 0;
    while let Some(mut field) = form.next_field().await.map_err(malformed)? {
        count_part(&mut parts)?;
        match field.name().unwrap_or("") {
            "file" => {
                got_file = true;
                upload.content_type = field.content_type().map(str::to_string);
                upload.file_name = field.file_name().map(str::to_string);
                upload.bytes = read_file_field(&mut field, max, expected).await?;
            }
            "description" => upload.description = Some(read_text_field(&mut field).await?),
            "focus" => upload.focus = Some(read_text_field(&mut field).await?),
            // A client-made thumbnail (for audio, video): we make our own for images.
            _ => while field.chunk().await.map_err(malformed)?.is_some() {},
        }
    }
    if !got_file {
        return Err(invalid_field("file", "can't be blank"));
    }
    Ok(upload)
}

pub async fn create_media(
    State(state): State<AppState>,
    auth: Auth,
    headers: HeaderMap,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:media")?.clone();
    let form = form.map_err(|e| {
        AppError::unprocessable(format!(
            "Validation failed: a multipart/form-data body with a file is expected ({})",
            e.body_text()
        ))
    })?;
    let limits = &state.config.media;
    let max = limits.max_image_bytes.max(limits.max_document_bytes);
    // Held until the file is stored: the body is read (into memory) only after it.
    let reserved = reserve(&state, &headers, max).await?;
    let upload = read_upload(form, max, reserved.bytes()).await?;
    let row = media::upload(&state, &me, upload).await?;
    drop(reserved);
    Ok(Json(attachment(&state, &row)))
}

pub async fn get_media(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:media")?.clone();
    let row = media::owned(&state, &me, id).await?;
    Ok(Json(attachment(&state, &row)))
}

#[derive(Deserialize, Default)]
pub struct UpdateMedia {
    description: Option<String>,
    focus: Option<String>,
}

pub async fn update_media(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    Body(form): Body<UpdateMedia>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:media")?.clone();
    let row = media::update(&state, &me, id, form.description, form.focus).await?;
    Ok(Json(attachment(&state, &row)))
}
