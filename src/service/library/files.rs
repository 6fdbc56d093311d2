//! A library's files: which are taken, where they are kept, what they are read
//! for. Kept byte for byte as uploaded (a version must download as it was
//! sent), in the `library` folder of the media store, which `/media/` does not
//! serve: a library file is read through `/documents/`, where the reader's
//! right to the community is checked.

use std::path::PathBuf;

use super::text;
use crate::{
    db::library::Version,
    error::{AppError, AppResult, invalid_field},
    service::{
        media::{self, Upload, image, store},
        now,
    },
    state::AppState,
};

/// Longest file name kept.
pub const MAX_FILE_NAME: usize = 255;

/// Images a library takes (as they are: a library keeps what it is given).
const IMAGE_TYPES: &[(&str, &str)] = &[
    ("image/jpeg", "jpg"),
    ("image/png", "png"),
    ("image/gif", "gif"),
    ("image/webp", "webp"),
];

pub fn root(state: &AppState) -> PathBuf {
    media::root(state).join("library")
}

/// A file checked and stored: its version row (numbered by the caller) and
/// the words it holds.
pub struct Stored {
    pub version: Version,
    pub text: String,
}

/// The type and extension of an upload, if a library takes it.
fn kind_of(upload: &Upload) -> Option<(&'static str, &'static str)> {
    if let Some(format) = image::sniff(&upload.bytes) {
        let mime = format.to_mime_type();
        return IMAGE_TYPES.iter().find(|(t, _)| *t == mime).copied();
    }
    let declared_image = upload
        .content_type
        .as_deref()
        .is_some_and(|t| t.starts_with("image/"));
    if declared_image {
        return None; // says it is an image and is not one we can read
    }
    media::document_type(upload).map(|&(t, ext, _)| (t, ext))
}

/// A file name as people see it: the base name, without control characters,
/// at most [`MAX_FILE_NAME`] characters; `fallback.ext` when there is none.
fn clean_name(name: Option<&str>, extension: &str) -> String {
    let base = name
        .unwrap_or("")
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_FILE_NAME)
        .collect::<String>()
        .trim()
        .to_string();
    if base.is_empty() || base.starts_with('.') {
        format!("document.{extension}")
    } else {
        base
    }
}

/// Checks an upload and stores its file; the caller inserts the version (and
/// removes the file with [`remove`] if that fails).
pub async fn store(
    state: &AppState,
    uploader: i64,
    number: i32,
    upload: Upload,
) -> AppResult<Stored> {
    if upload.bytes.is_empty() {
        return Err(invalid_field("file", "can't be blank"));
    }
    let max = state.config.media.max_document_bytes;
    if upload.bytes.len() > max {
        return Err(invalid_field(
            "file",
            format!("must be smaller than {} MB", max / (1024 * 1024)),
        ));
    }
    let Some((content_type, extension)) = kind_of(&upload) else {
        return Err(invalid_field(
            "file",
            "is not a type we take (images, video, audio, PDF, office documents, text)",
        ));
    };
    let file_name = clean_name(upload.file_name.as_deref(), extension);
    let key = store::new_key(extension);
    let size = upload.bytes.len() as i64;
    let bytes = upload.bytes;
    let (bytes, words) = tokio::task::spawn_blocking(move || {
        let words = text::extract(content_type, &bytes);
        (bytes, words)
    })
    .await
    .map_err(AppError::internal)?;
    store::put(&root(state), &key, bytes)
        .await
        .map_err(AppError::internal)?;
    Ok(Stored {
        version: Version {
            status_id: 0,
            number,
            file_name,
            content_type: content_type.into(),
            file_size: size,
            file_key: Some(key),
            remote_url: None,
            uploaded_by: Some(uploader),
            restored_from: None,
            created_at: now(),
        },
        text: words,
    })
}

/// Removes stored files (a failed upload's, a deleted document's).
pub async fn remove(state: &AppState, keys: &[String]) {
    store::delete(&root(state), keys).await;
}

/// Reads a stored file back (to extract its words again on a restore).
pub async fn read(state: &AppState, key: &str) -> AppResult<Vec<u8>> {
    if !store::is_key(key) {
        return Err(AppError::not_found());
    }
    tokio::fs::read(root(state).join(key))
        .await
        .map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned() {
        assert_eq!(
            clean_name(Some("../../etc/passwd.txt"), "txt"),
            "passwd.txt"
        );
        assert_eq!(
            clean_name(Some("C:\\Users\\a\\Plan.docx"), "docx"),
            "Plan.docx"
        );
        assert_eq!(clean_name(Some("a\u{0}b\n.pdf"), "pdf"), "ab.pdf");
        assert_eq!(clean_name(None, "pdf"), "document.pdf");
        assert_eq!(clean_name(Some(".htaccess"), "txt"), "document.txt");
        assert_eq!(
            clean_name(Some(&"x".repeat(400)), "txt").chars().count(),
            MAX_FILE_NAME
        );
    }

    #[test]
    fn types_are_checked_by_content_for_images() {
        let upload = |bytes: &[u8], t: &str, name: &str| Upload {
            bytes: bytes.to_vec(),
            content_type: Some(t.into()),
            file_name: Some(name.into()),
            description: None,
            focus: None,
        };
        assert_eq!(
            kind_of(&upload(b"%PDF-1.4", "application/pdf", "a.pdf")),
            Some(("application/pdf", "pdf"))
        );
        assert_eq!(kind_of(&upload(b"<svg/>", "image/svg+xml", "a.svg")), None);
        assert_eq!(kind_of(&upload(b"<html>", "text/html", "a.html")), None);
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(
            kind_of(&upload(png, "application/octet-stream", "x.bin")),
            Some(("image/png", "png"))
        );
    }
}
