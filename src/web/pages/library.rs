//! A community's document library: a folder (or the top) with its path, its
//! folders and documents, a search, and the forms to make, rename, move and
//! delete folders and to upload a document. Through the same
//! `service::library` functions as the API.

use askama::Template;
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use serde::Deserialize;

use crate::{
    api::extract::Query,
    db::{actors::Actor, library::Folder},
    error::{AppError, AppResult, invalid_field},
    service::{
        community_view,
        library::{self, Library, changes::NewDocument, folders},
    },
    state::AppState,
    web::{
        cards::ActorRef,
        document_card::DocumentLine,
        form::{NoFields, Posted, PostedFile},
        i18n::Tr,
        page::{Chrome, back_to, html},
        visitor::Visitor,
    },
};

#[derive(Template)]
#[template(path = "library.html")]
struct LibraryPage {
    t: Tr,
    c: Chrome,
    community: ActorRef,
    /// The library's address (`/communities/{handle}/library`).
    base: String,
    /// The folder shown: (id, name); `None` at the top.
    folder: Option<(i64, String)>,
    /// From the top down to the folder shown (excluded).
    path: Vec<(i64, String)>,
    folders: Vec<(i64, String)>,
    documents: Vec<DocumentLine>,
    /// A search's words (its results replace the folder's contents).
    q: String,
    searching: bool,
    may_add: bool,
    /// The reader may rename, move and delete the folder shown.
    manages_folder: bool,
    /// Where the folder shown may move: (id or "" for the top, path), and its parent.
    move_targets: Vec<(String, String)>,
    parent_id: String,
    /// The folder uploads and new folders go into ("" for the top).
    here: String,
}

#[derive(Deserialize, Default)]
pub struct LibraryQuery {
    folder: Option<String>,
    q: Option<String>,
}

/// A folder id as links and forms give it: blank for the top.
pub(super) fn folder_id(raw: Option<&str>) -> AppResult<Option<i64>> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(id) => id
            .parse()
            .map(Some)
            .map_err(|_| invalid_field("folder_id", "is not a folder id")),
    }
}

/// The community of `handle`, if the reader may see its library (else 404).
async fn community(state: &AppState, handle: &str, me: Option<&Actor>) -> AppResult<Actor> {
    let c = community_view::by_handle(state, handle, me).await?;
    library::community(state, c.id, me).await
}

/// Where a folder may move: the top or any folder not inside it, by path.
fn move_targets(t: Tr, all: &[Folder], id: i64) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), t.s("library-top-level"))];
    for f in all {
        let inside = f.id == id || folders::path_to(all, Some(f.id)).iter().any(|p| p.id == id);
        if !inside {
            let path = folders::path_name(all, Some(f.id)).unwrap_or_default();
            out.push((f.id.to_string(), path));
        }
    }
    out
}

fn manages(l: &Library, me: Option<&Actor>) -> bool {
    match (&l.folder, me) {
        (Some(f), Some(m)) => l.moderates || f.created_by == Some(m.id),
        _ => false,
    }
}

pub async fn get_library(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    Query(query): Query<LibraryQuery>,
    v: Visitor,
) -> AppResult<Response> {
    let me = v.actor();
    let c = community(&state, &handle, me).await?;
    let folder = folder_id(query.folder.as_deref()).map_err(|_| AppError::not_found())?;
    let l = library::library(&state, &c, me, folder).await?;
    let q = query.q.unwrap_or_default().trim().to_string();
    let documents = if q.is_empty() {
        l.documents.clone()
    } else {
        library::search(&state, Some(&c), me, &q).await?
    };
    let community = ActorRef::of(&state, &c);
    let manages_folder = manages(&l, me);
    let page = LibraryPage {
        c: Chrome::new(&state, &v, v.t.v("library-of", "name", &community.display)),
        base: format!("/communities/{}/library", community.handle),
        folder: l.folder.as_ref().map(|f| (f.id, f.name.clone())),
        path: l.path.iter().map(|f| (f.id, f.name.clone())).collect(),
        folders: l.folders.iter().map(|f| (f.id, f.name.clone())).collect(),
        documents: documents
            .iter()
            .map(|d| DocumentLine::of(&state, v.t, d))
            .collect(),
        searching: !q.is_empty(),
        q,
        may_add: l.may_add && c.local,
        manages_folder,
        move_targets: match &l.folder {
            Some(f) if manages_folder => move_targets(v.t, &l.all_folders, f.id),
            _ => vec![],
        },
        parent_id: l
            .folder
            .as_ref()
            .and_then(|f| f.parent_id)
            .map(|p| p.to_string())
            .unwrap_or_default(),
        here: folder.map(|f| f.to_string()).unwrap_or_default(),
        community,
        t: v.t,
    };
    Ok(html(StatusCode::OK, &page))
}

/// The library's page at a folder (`None`: the top).
fn at(handle: &str, folder: Option<i64>) -> Response {
    match folder {
        Some(f) => back_to(&format!("/communities/{handle}/library?folder={f}")),
        None => back_to(&format!("/communities/{handle}/library")),
    }
}

#[derive(Deserialize)]
pub struct FolderForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    parent_id: String,
}

/// A new folder, in the folder the form was on.
pub async fn post_folder(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    posted: Posted<FolderForm>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (_, me) = visitor.require()?;
    let c = community(&state, &handle, Some(me)).await?;
    let parent = folder_id(Some(&form.parent_id))?;
    folders::create(&state, me, &c, parent, &form.name).await?;
    Ok(at(&handle, parent))
}

#[derive(Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    name: String,
}

pub async fn post_folder_rename(
    State(state): State<AppState>,
    Path((handle, id)): Path<(String, String)>,
    posted: Posted<RenameForm>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (_, me) = visitor.require()?;
    let id = super::posting::post_id(&id)?;
    folders::update(&state, me, id, Some(&form.name), None).await?;
    Ok(at(&handle, Some(id)))
}

pub async fn post_folder_move(
    State(state): State<AppState>,
    Path((handle, id)): Path<(String, String)>,
    posted: Posted<FolderForm>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (_, me) = visitor.require()?;
    let id = super::posting::post_id(&id)?;
    let parent = folder_id(Some(&form.parent_id))?;
    folders::update(&state, me, id, None, Some(parent)).await?;
    Ok(at(&handle, Some(id)))
}

/// Deletes an empty folder; back to where it was. One with something in it
/// is refused (409), which the error page explains.
pub async fn post_folder_delete(
    State(state): State<AppState>,
    Path((handle, id)): Path<(String, String)>,
    posted: Posted<NoFields>,
) -> AppResult<Response> {
    let (_, me) = posted.visitor.require()?;
    let id = super::posting::post_id(&id)?;
    let c = community(&state, &handle, Some(me)).await?;
    let l = library::library(&state, &c, Some(me), Some(id)).await?;
    folders::delete(&state, me, id).await?;
    Ok(at(&handle, l.path.last().map(|p| p.id)))
}

#[derive(Deserialize)]
pub struct UploadForm {
    title: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    folder_id: String,
}

/// A new document (multipart): back to its folder, where it is listed.
pub async fn post_document(
    State(state): State<AppState>,
    Path(handle): Path<String>,
    posted: PostedFile<UploadForm>,
) -> AppResult<Response> {
    let PostedFile {
        visitor,
        form,
        file,
        reserved,
    } = posted;
    let (_, me) = visitor.require()?;
    let c = community(&state, &handle, Some(me)).await?;
    let upload = file.ok_or_else(|| invalid_field("file", "can't be blank"))?;
    let folder = folder_id(Some(&form.folder_id))?;
    let new = NewDocument {
        community_id: c.id,
        folder_id: folder,
        title: form.title,
        description: form.description,
        upload,
    };
    library::add(&state, me, new).await?;
    drop(reserved);
    state.wake_delivery();
    Ok(at(&handle, folder))
}
