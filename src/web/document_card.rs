//! A document as the pages show it: a line of a library's listing, and on its
//! thread's page the current file, the version history and the forms to add a
//! version, restore one, rename and move it.

use std::collections::HashMap;

use crate::{
    db::{
        actors::Actor,
        library::{Folder, Version},
    },
    service::library::{DocumentView, folders},
    state::AppState,
    web::{
        cards::{ActorRef, when},
        i18n::{Lang, Tr},
    },
};

/// A size in bytes as people read it: `512 B`, `1.5 KB`, `12 MB` (`Ko`, `Mo`
/// and a decimal comma in French).
pub fn human_size(t: Tr, bytes: i64) -> String {
    const UNITS: [&str; 4] = ["size-b", "size-kb", "size-mb", "size-gb"];
    let mut value = bytes.max(0) as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    // One decimal only where it says something (below 10, and not `.0`).
    let mut n = if unit > 0 && value < 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    };
    if let Some(whole) = n.strip_suffix(".0") {
        n = whole.to_string();
    }
    if t.0 == Lang::Fr {
        n = n.replace('.', ",");
    }
    t.v(UNITS[unit], "n", &n)
}

/// A file's type in a word: its extension (`PDF`, `DOCX`), else its media
/// type's subtype; people know files by their extension.
pub fn kind(file_name: &str, content_type: &str) -> String {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, e)| e)
        .filter(|e| (1..=5).contains(&e.len()) && e.chars().all(|c| c.is_ascii_alphanumeric()));
    match extension {
        Some(e) => e.to_ascii_uppercase(),
        None => content_type
            .split('/')
            .nth(1)
            .unwrap_or(content_type)
            .to_string(),
    }
}

/// A document in a library's listing.
pub struct DocumentLine {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub size: String,
    pub number: i32,
    pub author: ActorRef,
    pub updated: String,
}

impl DocumentLine {
    pub fn of(state: &AppState, t: Tr, d: &DocumentView) -> Self {
        Self {
            id: d.status.id,
            title: d.status.title.clone().unwrap_or_default(),
            kind: kind(&d.current.file_name, &d.current.content_type),
            size: human_size(t, d.current.file_size),
            number: d.current.number,
            author: ActorRef::of(state, &d.author),
            updated: when(d.current.created_at),
        }
    }
}

/// One version in a document's history.
pub struct VersionLine {
    pub number: i32,
    pub file_name: String,
    pub size: String,
    pub by: Option<ActorRef>,
    pub when: String,
    pub restored_from: Option<String>,
    pub current: bool,
}

/// The document box of a thread's page.
pub struct DocumentBox {
    pub id: i64,
    pub title: String,
    pub file_name: String,
    pub kind: String,
    pub size: String,
    pub number: String,
    pub versions: Vec<VersionLine>,
    /// Its library's page, at its folder.
    pub library: String,
    pub community: String,
    /// Kept by another server: versions are added and restored there.
    pub remote: bool,
    /// The reader may add and restore versions (a member).
    pub may_add: bool,
    /// The reader may rename and move it (its uploader, a moderator).
    pub manages: bool,
    /// Where it may be moved: (folder id or "", path), and its own folder.
    pub folders: Vec<(String, String)>,
    pub folder_id: String,
}

impl DocumentBox {
    /// `people`: who uploaded the versions; `all_folders`: its library's
    /// folders (empty unless the reader manages it).
    pub fn of(
        state: &AppState,
        t: Tr,
        view: &DocumentView,
        versions: &[Version],
        people: &HashMap<i64, Actor>,
        all_folders: &[Folder],
        may_add: bool,
    ) -> Self {
        let c = &view.community;
        let handle = ActorRef::of(state, c).handle;
        let folder = view.document.folder_id;
        let library = match folder {
            Some(f) => format!("/communities/{handle}/library?folder={f}"),
            None => format!("/communities/{handle}/library"),
        };
        let mut choices = vec![(String::new(), t.s("library-top-level"))];
        choices.extend(all_folders.iter().map(|f| {
            let path = folders::path_name(all_folders, Some(f.id)).unwrap_or_default();
            (f.id.to_string(), path)
        }));
        let current = &view.current;
        Self {
            id: view.status.id,
            title: view.status.title.clone().unwrap_or_default(),
            file_name: current.file_name.clone(),
            kind: kind(&current.file_name, &current.content_type),
            size: human_size(t, current.file_size),
            number: current.number.to_string(),
            versions: versions
                .iter()
                .map(|v| VersionLine {
                    number: v.number,
                    file_name: v.file_name.clone(),
                    size: human_size(t, v.file_size),
                    by: v
                        .uploaded_by
                        .and_then(|id| people.get(&id))
                        .map(|a| ActorRef::of(state, a)),
                    when: when(v.created_at),
                    restored_from: v.restored_from.map(|n| n.to_string()),
                    current: v.number == current.number,
                })
                .collect(),
            library,
            community: ActorRef::of(state, c).display,
            remote: !view.status.local,
            may_add: may_add && view.status.local,
            manages: view.manages && view.status.local,
            folders: choices,
            folder_id: folder.map(|f| f.to_string()).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        let (en, fr) = (Tr(Lang::En), Tr(Lang::Fr));
        assert_eq!(human_size(en, 0), "0 B");
        assert_eq!(human_size(en, 1023), "1023 B");
        assert_eq!(human_size(en, 1536), "1.5 KB");
        assert_eq!(human_size(en, 5 * 1024 * 1024), "5 MB");
        assert_eq!(human_size(en, 25 * 1024 * 1024 + 300_000), "25 MB");
        assert_eq!(human_size(fr, 1536), "1,5 Ko");
        assert_eq!(human_size(fr, 3 * 1024 * 1024 * 1024), "3 Go");
    }

    #[test]
    fn types_by_extension() {
        assert_eq!(kind("Plan 2027.docx", "application/msword"), "DOCX");
        assert_eq!(kind("notes", "text/plain"), "plain");
        assert_eq!(kind("archive.tar.gz", "application/gzip"), "GZ");
        assert_eq!(kind("weird.name with space", "application/pdf"), "pdf");
    }
}
