//! The document library's API: a community's folders and documents, search,
//! uploads (multipart: `file` and text fields), versions, rename, move.
//! Files themselves are at `/documents/{id}/file` (see `api::library_files`).

use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::{
    api::{
        auth::Auth,
        extract::{Body, Query},
        id_path::IdPath,
        mastodon::entities::{account, timestamp},
        multipart::BodyWithFile,
    },
    db::library::{Folder, Version},
    error::{AppError, AppResult, invalid_field},
    service::{
        library::{self, DocumentView, changes::NewDocument, folders},
        statuses,
    },
    state::AppState,
};

/// `folder_id` as forms send it: absent, blank (the top) or an id.
fn folder_param(raw: Option<&str>) -> AppResult<Option<Option<i64>>> {
    match raw.map(str::trim) {
        None => Ok(None),
        Some("" | "root" | "null") => Ok(Some(None)),
        Some(id) => id
            .parse()
            .map(|i| Some(Some(i)))
            .map_err(|_| invalid_field("folder_id", "is not a folder id")),
    }
}

pub fn folder_entity(f: &Folder) -> Value {
    json!({
        "id": f.id.to_string(),
        "name": f.name,
        "parent_id": f.parent_id.map(|p| p.to_string()),
        "created_at": timestamp(f.created_at),
    })
}

pub fn version_entity(state: &AppState, v: &Version) -> Value {
    json!({
        "number": v.number,
        "file_name": v.file_name,
        "content_type": v.content_type,
        "size": v.file_size,
        "url": format!("{}/documents/{}/versions/{}", state.urls.base(), v.status_id, v.number),
        "uploaded_by_id": v.uploaded_by.map(|a| a.to_string()),
        "restored_from": v.restored_from,
        "created_at": timestamp(v.created_at),
    })
}

/// A document as this reader sees it (with its versions when given).
pub fn document_entity(state: &AppState, d: &DocumentView, versions: Option<&[Version]>) -> Value {
    let base = state.urls.base();
    let mut e = json!({
        "id": d.status.id.to_string(),
        "title": d.status.title,
        "description": d.status.source,
        "description_html": d.status.content,
        "community_id": d.community.id.to_string(),
        "folder_id": d.document.folder_id.map(|f| f.to_string()),
        "author": account::from_actor(state, &d.author, Default::default()),
        "created_at": timestamp(d.status.created_at),
        "edited_at": d.status.edited_at.map(timestamp),
        "url": format!("{base}/posts/{}", d.status.id),
        "uri": d.status.ap_id,
        "file_url": format!("{base}/documents/{}/file", d.status.id),
        "current": version_entity(state, &d.current),
        "replies_count": d.status.replies_count,
        "favourites_count": d.status.favourites_count,
        "manages": d.manages,
    });
    if let Some(v) = versions {
        e["versions"] = v.iter().map(|v| version_entity(state, v)).collect();
    }
    e
}

#[derive(Deserialize)]
pub struct LibraryQuery {
    folder_id: Option<String>,
    q: Option<String>,
}

/// `GET …/communities/:id/library`: a folder (the top by default), or with
/// `q` the documents of the whole library that match.
pub async fn get_library(
    State(state): State<AppState>,
    auth: Option<Auth>,
    IdPath(id): IdPath,
    Query(query): Query<LibraryQuery>,
) -> AppResult<Json<Value>> {
    let me = Auth::viewer(&auth);
    let community = library::community(&state, id, me.as_ref()).await?;
    if let Some(q) = query.q.as_deref().filter(|q| !q.trim().is_empty()) {
        let found = library::search(&state, Some(&community), me.as_ref(), q).await?;
        let documents: Vec<Value> = found
            .iter()
            .map(|d| document_entity(&state, d, None))
            .collect();
        return Ok(Json(json!({ "documents": documents })));
    }
    let folder = folder_param(query.folder_id.as_deref())?.flatten();
    let l = library::library(&state, &community, me.as_ref(), folder).await?;
    Ok(Json(json!({
        "folder": l.folder.as_ref().map(folder_entity),
        "path": l.path.iter().map(folder_entity).collect::<Vec<_>>(),
        "folders": l.folders.iter().map(folder_entity).collect::<Vec<_>>(),
        "documents": l.documents.iter().map(|d| document_entity(&state, d, None)).collect::<Vec<_>>(),
        "may_add": l.may_add,
    })))
}

#[derive(Deserialize, Default)]
pub struct DocumentForm {
    title: Option<String>,
    #[serde(default)]
    description: String,
    folder_id: Option<String>,
}

/// `POST …/communities/:id/library` (multipart): a new document.
pub async fn add_document(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    body: BodyWithFile<DocumentForm>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let upload = body
        .file
        .ok_or_else(|| invalid_field("file", "can't be blank"))?;
    let new = NewDocument {
        community_id: id,
        folder_id: folder_param(body.form.folder_id.as_deref())?.flatten(),
        title: body.form.title,
        description: body.form.description,
        upload,
    };
    let status = library::add(&state, &me, new).await?;
    drop(body.reserved);
    state.wake_delivery();
    let (d, versions) = library::document(&state, Some(&me), status.id).await?;
    Ok((
        StatusCode::CREATED,
        Json(document_entity(&state, &d, Some(&versions))),
    ))
}

pub async fn get_document(
    State(state): State<AppState>,
    auth: Option<Auth>,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let me = Auth::viewer(&auth);
    let (d, versions) = library::document(&state, me.as_ref(), id).await?;
    Ok(Json(document_entity(&state, &d, Some(&versions))))
}

#[derive(Deserialize, Default)]
pub struct ChangeForm {
    title: Option<String>,
    folder_id: Option<String>,
}

/// `PATCH …/documents/:id`: rename (`title`) and move (`folder_id`, blank for the top).
pub async fn change_document(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    Body(form): Body<ChangeForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    if let Some(t) = &form.title {
        library::rename(&state, &me, id, t).await?;
    }
    if let Some(folder) = folder_param(form.folder_id.as_deref())? {
        library::move_to(&state, &me, id, folder).await?;
    }
    state.wake_delivery();
    let (d, versions) = library::document(&state, Some(&me), id).await?;
    Ok(Json(document_entity(&state, &d, Some(&versions))))
}

/// `DELETE …/documents/:id`: the thread's deletion rule (its uploader, or a moderator).
pub async fn delete_document(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    library::document(&state, Some(&me), id).await?;
    statuses::delete(&state, &me, id).await?;
    state.wake_delivery();
    Ok(Json(json!({})))
}

/// `POST …/documents/:id/versions` (multipart `file`): a new version.
pub async fn add_version(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    body: BodyWithFile<DocumentForm>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let upload = body
        .file
        .ok_or_else(|| invalid_field("file", "can't be blank"))?;
    let v = library::add_version(&state, &me, id, upload).await?;
    drop(body.reserved);
    state.wake_delivery();
    Ok((StatusCode::CREATED, Json(version_entity(&state, &v))))
}

/// `POST …/documents/:id/versions/:n/restore`: that version again, on top.
pub async fn restore_version(
    State(state): State<AppState>,
    auth: Auth,
    axum::extract::Path((id, number)): axum::extract::Path<(String, String)>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    let number: i32 = number.parse().map_err(|_| AppError::not_found())?;
    let v = library::restore(&state, &me, id, number).await?;
    state.wake_delivery();
    Ok(Json(version_entity(&state, &v)))
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// `GET …/documents?q=`: documents of the libraries of one's communities.
pub async fn search_documents(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<SearchQuery>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("read:statuses")?.clone();
    let found = library::search(&state, None, Some(&me), &query.q).await?;
    Ok(Json(
        found
            .iter()
            .map(|d| document_entity(&state, d, None))
            .collect(),
    ))
}

#[derive(Deserialize, Default)]
pub struct FolderForm {
    name: Option<String>,
    parent_id: Option<String>,
}

/// `POST …/communities/:id/library/folders`.
pub async fn create_folder(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    Body(form): Body<FolderForm>,
) -> AppResult<(StatusCode, Json<Value>)> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let community = library::community(&state, id, Some(&me)).await?;
    let parent = folder_param(form.parent_id.as_deref())?.flatten();
    let name = form.name.unwrap_or_default();
    let f = folders::create(&state, &me, &community, parent, &name).await?;
    Ok((StatusCode::CREATED, Json(folder_entity(&f))))
}

/// `PATCH …/library/folders/:id`: rename (`name`), move (`parent_id`, blank for the top).
pub async fn change_folder(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
    Body(form): Body<FolderForm>,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    let parent = folder_param(form.parent_id.as_deref())?;
    let f = folders::update(&state, &me, id, form.name.as_deref(), parent).await?;
    Ok(Json(folder_entity(&f)))
}

pub async fn delete_folder(
    State(state): State<AppState>,
    auth: Auth,
    IdPath(id): IdPath,
) -> AppResult<Json<Value>> {
    let (_, me) = auth.user_with("write:statuses")?.clone();
    folders::delete(&state, &me, id).await?;
    Ok(Json(json!({})))
}
