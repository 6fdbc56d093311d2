//! A document's forms on its thread's page: a new version, an earlier version
//! restored, rename and move; and the document box that page shows. Through the
//! same `service::library` functions as the API (deleting is the thread's).

use std::collections::HashMap;

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use serde::Deserialize;

use super::{library::folder_id, posting::post_id};
use crate::{
    db::{self, actors::Actor},
    error::{AppError, AppResult, invalid_field},
    service::{community_view, library},
    state::AppState,
    web::{
        document_card::DocumentBox,
        form::{NoFields, Posted, PostedFile},
        i18n::Tr,
        page::back_to,
    },
};

/// The document box of a thread whose root is `id`, if it is a document.
pub async fn document_box(
    state: &AppState,
    t: Tr,
    me: Option<&Actor>,
    id: i64,
) -> AppResult<Option<DocumentBox>> {
    let (view, versions) = match library::document(state, me, id).await {
        Ok(found) => found,
        // Not a document (the thread itself was readable).
        Err(e) if e.status == StatusCode::NOT_FOUND => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut ids: Vec<i64> = versions.iter().filter_map(|v| v.uploaded_by).collect();
    ids.sort_unstable();
    ids.dedup();
    let (community_id, manages) = (view.community.id, view.manages);
    let (people, all_folders) = state
        .db
        .run(move |c| {
            let people = db::actors::by_ids(c, &ids)?;
            // Only who may move it needs the folders to move it into.
            let all = if manages {
                db::library::folders_of(c, community_id)?
            } else {
                vec![]
            };
            Ok((people, all))
        })
        .await?;
    let people: HashMap<i64, Actor> = people.into_iter().map(|a| (a.id, a)).collect();
    let may_add = match me {
        Some(_) => {
            let o = community_view::overview(state, &view.community, me).await?;
            o.is_member() || o.moderates()
        }
        None => false,
    };
    Ok(Some(DocumentBox::of(
        state,
        t,
        &view,
        &versions,
        &people,
        &all_folders,
        may_add,
    )))
}

fn to_document(id: i64) -> Response {
    back_to(&format!("/posts/{id}#document"))
}

/// A new version (multipart `file`).
pub async fn post_version(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: PostedFile<NoFields>,
) -> AppResult<Response> {
    let PostedFile {
        visitor,
        file,
        reserved,
        ..
    } = posted;
    let (_, me) = visitor.require()?;
    let id = post_id(&id)?;
    let upload = file.ok_or_else(|| invalid_field("file", "can't be blank"))?;
    library::add_version(&state, me, id, upload).await?;
    drop(reserved);
    state.wake_delivery();
    Ok(to_document(id))
}

/// An earlier version again, on top.
pub async fn post_restore(
    State(state): State<AppState>,
    Path((id, number)): Path<(String, String)>,
    posted: Posted<NoFields>,
) -> AppResult<Response> {
    let (_, me) = posted.visitor.require()?;
    let id = post_id(&id)?;
    let number: i32 = number.parse().map_err(|_| AppError::not_found())?;
    library::restore(&state, me, id, number).await?;
    state.wake_delivery();
    Ok(to_document(id))
}

#[derive(Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    title: String,
}

pub async fn post_rename(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<RenameForm>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (_, me) = visitor.require()?;
    let id = post_id(&id)?;
    library::rename(&state, me, id, &form.title).await?;
    state.wake_delivery();
    Ok(to_document(id))
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    folder_id: String,
}

pub async fn post_move(
    State(state): State<AppState>,
    Path(id): Path<String>,
    posted: Posted<MoveForm>,
) -> AppResult<Response> {
    let Posted { visitor, form } = posted;
    let (_, me) = visitor.require()?;
    let id = post_id(&id)?;
    library::move_to(&state, me, id, folder_id(Some(&form.folder_id))?).await?;
    state.wake_delivery();
    Ok(to_document(id))
}
