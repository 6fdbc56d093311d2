//! Library documents on the wire, both ways. Ours: the thread with its folder
//! and versions (Passerelle's extension) and the current file as a `Document`
//! attachment. A partner's: its versions kept by URL (fetched, signed, when
//! one of our people downloads one), its folder made in our copy of its library.

use serde_json::json;

use crate::{
    db::library::{Folder, Version},
    federation::protocol::{
        document::{DocumentFields, VersionRef},
        post::ApPost,
        web_url,
    },
    service::library::{
        changes::{DocumentRows, Place},
        files::MAX_FILE_NAME,
        folders,
    },
    state::AppState,
};

/// Versions kept of a partner's document.
const MAX_VERSIONS: usize = 100;

fn file_url(state: &AppState, v: &Version) -> Option<url::Url> {
    url::Url::parse(&format!(
        "{}/documents/{}/versions/{}",
        state.urls.base(),
        v.status_id,
        v.number
    ))
    .ok()
}

/// Adds a document's folder, versions (newest first) and current file to `post`.
pub fn to_ap(
    state: &AppState,
    post: &mut ApPost,
    folder_id: Option<i64>,
    all_folders: &[Folder],
    versions: &[Version],
) {
    let refs: Vec<VersionRef> = versions
        .iter()
        .filter_map(|v| {
            Some(VersionRef {
                kind: "Document".into(),
                url: file_url(state, v)?,
                name: v.file_name.clone(),
                media_type: v.content_type.clone(),
                version_number: v.number,
                file_size: v.file_size,
                restored_from: v.restored_from,
                published: Some(v.created_at.and_utc()),
            })
        })
        .collect();
    if let Some(current) = refs.first() {
        post.attachment.push(json!({
            "type": "Document",
            "mediaType": current.media_type,
            "url": current.url,
            "name": current.name,
        }));
    }
    post.document = DocumentFields {
        library_folder: folders::path_name(all_folders, folder_id),
        document_versions: Some(refs),
    };
}

/// A partner's document, if `post` is one: versions on the server of the post
/// only (we never fetch, signed, from a third server on a peer's word).
pub fn from_ap(post: &ApPost) -> Option<DocumentRows> {
    let refs = post.document.document_versions.as_ref()?;
    let origin = post.id.origin();
    let mut versions: Vec<Version> = refs
        .iter()
        .filter(|r| r.url.origin() == origin && r.version_number > 0)
        .filter_map(|r| {
            Some(Version {
                status_id: 0,
                number: r.version_number,
                file_name: r.name.chars().take(MAX_FILE_NAME).collect(),
                content_type: r.media_type.chars().take(100).collect(),
                file_size: r.file_size.max(0),
                file_key: None,
                remote_url: Some(web_url(r.url.as_str())?),
                uploaded_by: None,
                restored_from: r.restored_from,
                created_at: r
                    .published
                    .map(|t| t.naive_utc())
                    .unwrap_or_else(crate::service::now),
            })
        })
        .take(MAX_VERSIONS)
        .collect();
    versions.sort_by_key(|v| v.number);
    versions.dedup_by_key(|v| v.number);
    if versions.is_empty() {
        return None;
    }
    Some(DocumentRows {
        place: Place::Path(post.document.library_folder.clone()),
        text: String::new(),
        versions,
    })
}

/// The attachments of a partner's document that are its versions (shown as
/// the document, not again as files).
pub fn is_version_file(post: &ApPost, attachment: &serde_json::Value) -> bool {
    let Some(refs) = &post.document.document_versions else {
        return false;
    };
    let url = attachment.get("url").and_then(|u| u.as_str());
    refs.iter().any(|r| Some(r.url.as_str()) == url)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn page(extra: serde_json::Value) -> ApPost {
        let mut doc = json!({
            "type": "Page", "id": "https://a.example/statuses/1",
            "attributedTo": "https://a.example/users/alice",
            "to": ["https://a.example/c/board"], "name": "Contract",
            "content": "<p>Signed</p>",
            "attachment": [{"type": "Document", "mediaType": "application/pdf",
                            "url": "https://a.example/documents/1/versions/2", "name": "c.pdf"}],
        });
        for (k, v) in extra.as_object().unwrap() {
            doc[k] = v.clone();
        }
        serde_json::from_value(doc).unwrap()
    }

    #[test]
    fn a_partners_document_is_read_from_its_own_server_only() {
        let post = page(json!({
            "libraryFolder": "Legal/2027",
            "documentVersions": [
                {"type": "Document", "url": "https://a.example/documents/1/versions/2",
                 "name": "c.pdf", "mediaType": "application/pdf", "versionNumber": 2,
                 "fileSize": 2048, "restoredFrom": 1, "published": "2026-12-01T10:00:00Z"},
                {"type": "Document", "url": "https://elsewhere.example/steal",
                 "name": "x.pdf", "mediaType": "application/pdf", "versionNumber": 3, "fileSize": 1},
                {"type": "Document", "url": "https://a.example/documents/1/versions/1",
                 "name": "c.pdf", "mediaType": "application/pdf", "versionNumber": 1, "fileSize": 1024},
            ],
        }));
        let rows = from_ap(&post).expect("a document");
        assert!(matches!(&rows.place, Place::Path(Some(p)) if p == "Legal/2027"));
        let numbers: Vec<i32> = rows.versions.iter().map(|v| v.number).collect();
        assert_eq!(
            numbers,
            vec![1, 2],
            "a version on another server is dropped"
        );
        assert_eq!(rows.versions[1].restored_from, Some(1));
        assert!(rows.versions.iter().all(|v| v.file_key.is_none()));
        assert!(is_version_file(&post, &post.attachment[0]));
    }

    #[test]
    fn other_softwares_pages_are_posts_not_documents() {
        // A Page with a file attachment but no extension (Lemmy, Mbin, PeerTube's shapes).
        assert!(from_ap(&page(json!({}))).is_none());
        let mbin: ApPost =
            serde_json::from_str(include_str!("../../../tests/fixtures/mbin/page.json"))
                .expect("mbin page");
        assert!(from_ap(&mbin).is_none());
        let lemmy: ApPost =
            serde_json::from_str(include_str!("../../../tests/fixtures/lemmy/page.json"))
                .expect("lemmy page");
        assert!(from_ap(&lemmy).is_none());
        // Versions all elsewhere: not a document either.
        let post = page(json!({"documentVersions": [{"type": "Document",
            "url": "https://b.example/f", "name": "f", "mediaType": "text/plain",
            "versionNumber": 1, "fileSize": 1}]}));
        assert!(from_ap(&post).is_none());
    }
}
