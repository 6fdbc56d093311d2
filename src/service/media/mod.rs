//! Media attachments: the rules for uploads (types, sizes, images cleaned of
//! their metadata), for giving them to a status, and for other servers'
//! attachments, which stay where they are (we keep their URL, not a copy).

pub mod image;
pub mod store;

use std::path::PathBuf;

use super::now;
use crate::{
    db::{self, actors::Actor, media::Media},
    error::{AppError, AppResult, invalid_field},
    model::id::new_id,
    state::AppState,
};

pub const MAX_PER_STATUS: usize = 4;
pub const MAX_DESCRIPTION: usize = 1500;
/// Attachments kept from another server's post.
pub const MAX_REMOTE: usize = 8;

/// Files other than images that may be uploaded: type, extension, Mastodon kind.
/// Anything that a browser would run (HTML, SVG, scripts) is absent on purpose.
pub const DOCUMENT_TYPES: &[(&str, &str, &str)] = &[
    ("video/mp4", "mp4", "video"),
    ("video/webm", "webm", "video"),
    ("video/quicktime", "mov", "video"),
    ("audio/mpeg", "mp3", "audio"),
    ("audio/ogg", "ogg", "audio"),
    ("audio/wav", "wav", "audio"),
    ("audio/flac", "flac", "audio"),
    ("audio/mp4", "m4a", "audio"),
    ("application/pdf", "pdf", "unknown"),
    ("text/plain", "txt", "unknown"),
    ("text/csv", "csv", "unknown"),
    ("application/zip", "zip", "unknown"),
    ("application/msword", "doc", "unknown"),
    ("application/vnd.ms-excel", "xls", "unknown"),
    ("application/vnd.ms-powerpoint", "ppt", "unknown"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        "unknown",
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        "unknown",
    ),
    (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
        "unknown",
    ),
    ("application/vnd.oasis.opendocument.text", "odt", "unknown"),
    (
        "application/vnd.oasis.opendocument.spreadsheet",
        "ods",
        "unknown",
    ),
    (
        "application/vnd.oasis.opendocument.presentation",
        "odp",
        "unknown",
    ),
];

/// An upload as the client sent it.
pub struct Upload {
    pub bytes: Vec<u8>,
    /// The type the client declared, if any.
    pub content_type: Option<String>,
    pub file_name: Option<String>,
    pub description: Option<String>,
    pub focus: Option<String>,
}

pub(crate) fn root(state: &AppState) -> PathBuf {
    PathBuf::from(&state.config.media.path)
}

/// Where a stored file is served.
pub fn file_url(state: &AppState, key: &str) -> String {
    format!("{}/media/{key}", state.urls.base())
}

/// The stored file behind `url`, when it is one of ours (a remote person's
/// picture is not).
pub fn own_key(state: &AppState, url: &str) -> Option<String> {
    url.strip_prefix(&file_url(state, ""))
        .filter(|k| store::is_key(k))
        .map(str::to_string)
}

/// The document type of an upload: the declared one, or by file extension
/// when the client did not say (or said `application/octet-stream`).
pub(crate) fn document_type(
    upload: &Upload,
) -> Option<&'static (&'static str, &'static str, &'static str)> {
    let declared = upload
        .content_type
        .as_deref()
        .map(|t| {
            t.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|t| !t.is_empty() && t != "application/octet-stream");
    match declared {
        Some(t) => DOCUMENT_TYPES.iter().find(|d| d.0 == t),
        None => {
            let ext = upload
                .file_name
                .as_deref()?
                .rsplit_once('.')?
                .1
                .to_ascii_lowercase();
            DOCUMENT_TYPES.iter().find(|d| d.1 == ext)
        }
    }
}

/// `focus` as Mastodon sends it: "x,y", each in -1..1.
fn parse_focus(focus: Option<&str>) -> AppResult<Option<(f64, f64)>> {
    let Some(f) = focus.map(str::trim).filter(|f| !f.is_empty()) else {
        return Ok(None);
    };
    let parsed = f
        .split_once(',')
        .and_then(|(x, y)| Some((x.trim().parse::<f64>().ok()?, y.trim().parse::<f64>().ok()?)));
    match parsed {
        Some((x, y)) if (-1.0..=1.0).contains(&x) && (-1.0..=1.0).contains(&y) => Ok(Some((x, y))),
        _ => Err(invalid_field(
            "focus",
            "must be two numbers from -1 to 1, as \"x,y\"",
        )),
    }
}

fn check_description(d: Option<String>) -> AppResult<String> {
    let d = d.unwrap_or_default().trim().to_string();
    if d.chars().count() > MAX_DESCRIPTION {
        return Err(invalid_field(
            "description",
            format!("is too long (maximum is {MAX_DESCRIPTION} characters)"),
        ));
    }
    Ok(d)
}

/// Stores an upload of `owner`: an image is cleaned and given a preview; another
/// file is kept as sent, if its type is one we take.
pub async fn upload(state: &AppState, owner: &Actor, upload: Upload) -> AppResult<Media> {
    let description = check_description(upload.description.clone())?;
    let focus = parse_focus(upload.focus.as_deref())?;
    if upload.bytes.is_empty() {
        return Err(invalid_field("file", "can't be blank"));
    }
    let declared_image = matches!(&upload.content_type, Some(t) if t.starts_with("image/"));
    let mut row = Media {
        id: new_id(),
        actor_id: owner.id,
        status_id: None,
        position: 0,
        kind: String::new(),
        content_type: String::new(),
        file_key: None,
        preview_key: None,
        remote_url: None,
        description,
        blurhash: None,
        width: None,
        height: None,
        file_size: None,
        focus_x: focus.map(|f| f.0),
        focus_y: focus.map(|f| f.1),
        created_at: now(),
    };
    let files = if declared_image || image::sniff(&upload.bytes).is_some() {
        image_files(state, &mut row, upload.bytes).await?
    } else {
        document_files(state, &mut row, upload)?
    };
    save(state, row.clone(), files).await?;
    Ok(row)
}

/// An image cleaned, with its preview: the files to store, by key.
async fn image_files(state: &AppState, row: &mut Media, bytes: Vec<u8>) -> AppResult<Files> {
    let limits = &state.config.media;
    if bytes.len() > limits.max_image_bytes {
        return Err(too_large(limits.max_image_bytes));
    }
    let max_pixels = limits.max_image_pixels;
    let p = tokio::task::spawn_blocking(move || image::process(&bytes, max_pixels))
        .await
        .map_err(AppError::internal)?
        .map_err(|e| invalid_field("file", e))?;
    let (key, preview_key) = (store::new_key(p.extension), store::new_key("jpg"));
    row.kind = "image".into();
    row.content_type = p.content_type.into();
    row.width = Some(p.width as i32);
    row.height = Some(p.height as i32);
    row.blurhash = p.blurhash;
    row.file_size = Some(p.bytes.len() as i64);
    row.file_key = Some(key.clone());
    row.preview_key = Some(preview_key.clone());
    Ok(vec![(key, p.bytes), (preview_key, p.preview)])
}

/// Another file, kept as sent if its type is one we take.
fn document_files(state: &AppState, row: &mut Media, upload: Upload) -> AppResult<Files> {
    let Some(&(content_type, extension, kind)) = document_type(&upload) else {
        return Err(invalid_field(
            "file",
            "is not a type we take (images, video, audio, PDF, office documents, text)",
        ));
    };
    if upload.bytes.len() > state.config.media.max_document_bytes {
        return Err(too_large(state.config.media.max_document_bytes));
    }
    let key = store::new_key(extension);
    row.kind = kind.into();
    row.content_type = content_type.into();
    row.file_size = Some(upload.bytes.len() as i64);
    row.file_key = Some(key.clone());
    Ok(vec![(key, upload.bytes)])
}

/// Files to store: `(key, bytes)`.
type Files = Vec<(String, Vec<u8>)>;

/// Stores the files, then the row: all or nothing (the preview goes with the file).
async fn save(state: &AppState, row: Media, files: Files) -> AppResult<()> {
    let root = root(state);
    let mut keys = Vec::with_capacity(files.len());
    for (key, bytes) in files {
        keys.push(key.clone());
        if let Err(e) = store::put(&root, &key, bytes).await {
            store::delete(&root, &keys).await;
            return Err(AppError::internal(e));
        }
    }
    let inserted = state
        .db
        .write(move |c| Ok(db::media::insert(c, std::slice::from_ref(&row))?))
        .await;
    if inserted.is_err() {
        store::delete(&root, &keys).await;
    }
    inserted
}

fn too_large(max: usize) -> AppError {
    invalid_field(
        "file",
        format!("must be smaller than {} MB", max / (1024 * 1024)),
    )
}

/// An upload, for its owner only (others get 404, as if it did not exist).
pub async fn owned(state: &AppState, owner: &Actor, id: i64) -> AppResult<Media> {
    let owner_id = owner.id;
    state
        .db
        .run(move |c| {
            db::media::by_id(c, id)?
                .filter(|m| m.actor_id == owner_id && m.remote_url.is_none())
                .ok_or_else(AppError::not_found)
        })
        .await
}

/// The owner describes an upload (and where its focal point is).
pub async fn update(
    state: &AppState,
    owner: &Actor,
    id: i64,
    description: Option<String>,
    focus: Option<String>,
) -> AppResult<Media> {
    let current = owned(state, owner, id).await?;
    let description = match description {
        Some(d) => check_description(Some(d))?,
        None => current.description.clone(),
    };
    let focus = match focus {
        Some(f) => parse_focus(Some(&f))?,
        None => current.focus_x.zip(current.focus_y),
    };
    state
        .db
        .write(move |c| {
            db::media::set_description(c, id, &description, focus)?;
            db::media::by_id(c, id)?.ok_or_else(AppError::not_found)
        })
        .await
}

/// Checks the media a new status asks for (before its transaction takes them).
pub fn check_for_status(ids: &[i64], with_poll: bool) -> AppResult<()> {
    if ids.len() > MAX_PER_STATUS {
        return Err(invalid_field(
            "media_ids",
            format!("at most {MAX_PER_STATUS} files per status"),
        ));
    }
    if with_poll && !ids.is_empty() {
        return Err(invalid_field(
            "media_ids",
            "a status with a poll cannot have files",
        ));
    }
    Ok(())
}

/// Inside the status's transaction: the uploads become its attachments. Each
/// must be the author's and not yet used.
pub fn attach(conn: &mut db::DbConn, author_id: i64, status_id: i64, ids: &[i64]) -> AppResult<()> {
    if db::media::attach(conn, author_id, status_id, ids)? != ids.len() {
        return Err(invalid_field(
            "media_ids",
            "unknown, or already attached to a status",
        ));
    }
    Ok(())
}

/// Uploads no status took within a day are removed (with their files),
/// hourly, until shutdown.
pub fn spawn_sweeper(state: AppState) {
    const EVERY: std::time::Duration = std::time::Duration::from_secs(3600);
    let tasks = state.tasks.clone();
    tasks.spawn(async move {
        loop {
            tokio::select! {
                () = tokio::time::sleep(EVERY) => {
                    if let Err(e) = sweep(&state, now() - chrono::Duration::days(1)).await {
                        tracing::warn!(error = %e, "could not sweep unused uploads");
                    }
                }
                () = state.shutdown.cancelled() => break,
            }
        }
    });
}

/// Removes the uploads left unused since `before`; returns how many files went.
pub async fn sweep(state: &AppState, before: chrono::NaiveDateTime) -> AppResult<usize> {
    let mut removed = 0;
    loop {
        let keys = state
            .db
            .write(move |c| Ok(db::media::delete_unattached(c, before, 500)?))
            .await?;
        if keys.is_empty() {
            return Ok(removed);
        }
        removed += keys.len();
        store::delete(&root(state), &keys).await;
    }
}

#[cfg(test)]
mod tests;
