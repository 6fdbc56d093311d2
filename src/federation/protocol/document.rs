//! What makes a thread a library document on the wire: Passerelle's extension
//! (`libraryFolder`, `documentVersions`), flattened into the post object. The
//! current file also travels as a `Document` attachment, which Lemmy and
//! others read; Mastodon shows the thread's name and link.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use super::post::lenient;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DocumentFields {
    /// Where the document is in its library: folder names from the top, `/`-separated.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub library_folder: Option<String>,
    /// Every version, newest first: present exactly when the thread is a document.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient"
    )]
    pub document_versions: Option<Vec<VersionRef>>,
}

/// One version of a document: a `Document` with its number and size.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VersionRef {
    #[serde(rename = "type")]
    pub kind: String,
    pub url: Url,
    pub name: String,
    pub media_type: String,
    pub version_number: i32,
    pub file_size: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restored_from: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateTime<Utc>>,
}
