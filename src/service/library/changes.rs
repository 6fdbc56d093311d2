//! Changing a library: a new document (a thread written through
//! `service::statuses`, so its rules and federation are every thread's), a new
//! version, an earlier version restored, a document renamed or moved. Each
//! change of a document is an edit of its thread: it federates as an `Update`.

use crate::{
    db::{
        self,
        actors::Actor,
        library::{Document, Version},
        statuses::Status,
    },
    error::{AppError, AppResult, invalid_field},
    model::format::Format,
    service::{
        events::{self, Event},
        media::Upload,
        now,
        statuses::{self, MAX_TITLE, NewStatus},
    },
    state::AppState,
};

use super::{files, folders};

/// Where a document goes in its library.
#[derive(Debug, Clone)]
pub enum Place {
    /// A folder of ours, by id (`None`: the top).
    Folder(Option<i64>),
    /// A folder of another server's library, by path (`a/b`), made as needed.
    Path(Option<String>),
}

/// A document's rows, written with its status (`service::statuses::write`).
#[derive(Debug, Clone)]
pub struct DocumentRows {
    pub place: Place,
    pub text: String,
    /// Its versions (their status id is set when written).
    pub versions: Vec<Version>,
}

impl DocumentRows {
    /// In the status's transaction: the document's place and versions (for a
    /// remote one held already, replaced by what its server now says).
    pub fn write(&self, conn: &mut db::DbConn, status: &Status) -> AppResult<()> {
        let Some(community_id) = status.community_id else {
            return Err(invalid_field(
                "community_id",
                "a document belongs to a community",
            ));
        };
        let folder_id = match &self.place {
            Place::Folder(id) => {
                folders::check_parent(conn, community_id, *id)?;
                *id
            }
            // A partner's library is copied as its server describes it; in ours,
            // another server's member files into an existing folder only.
            Place::Path(Some(path)) => {
                let ours = db::actors::by_id(conn, community_id)?.local;
                folders::find_or_make(conn, community_id, path, !ours)?
            }
            Place::Path(None) => None,
        };
        let versions: Vec<Version> = self
            .versions
            .iter()
            .map(|v| Version {
                status_id: status.id,
                ..v.clone()
            })
            .collect();
        if db::library::document(conn, status.id)?.is_some() {
            db::library::set_folder(conn, status.id, folder_id)?;
            db::library::set_text(conn, status.id, &self.text)?;
            return Ok(db::library::replace_remote_versions(
                conn, status.id, &versions,
            )?);
        }
        let document = Document {
            status_id: status.id,
            folder_id,
            text: self.text.clone(),
        };
        let Some((first, rest)) = versions.split_first() else {
            return Err(invalid_field("file", "a document needs a file"));
        };
        db::library::insert_document(conn, &document, first)?;
        for v in rest {
            db::library::insert_version(conn, v)?;
        }
        Ok(())
    }
}

/// What a person gives for a new document.
pub struct NewDocument {
    pub community_id: i64,
    pub folder_id: Option<i64>,
    /// The document's name; its file's name when blank.
    pub title: Option<String>,
    /// Markdown.
    pub description: String,
    pub upload: Upload,
}

/// A member adds a document to a library: the file is stored first and removed
/// again if the thread cannot be written.
pub async fn add(state: &AppState, me: &Actor, new: NewDocument) -> AppResult<Status> {
    let community = super::community(state, new.community_id, Some(me)).await?;
    if !community.local {
        return Err(AppError::unprocessable(
            "Validation failed: this library is kept by another server",
        ));
    }
    let stored = files::store(state, me.id, 1, new.upload).await?;
    let key = stored.version.file_key.clone();
    let title = new
        .title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| stored.version.file_name.clone())
        .chars()
        .take(MAX_TITLE)
        .collect();
    let status = NewStatus {
        community_id: Some(community.id),
        in_reply_to_id: None,
        title: Some(title),
        text: new.description,
        format: Format::Markdown,
        spoiler_text: String::new(),
        sensitive: false,
        language: None,
        visibility: None,
        idempotency_key: None,
        poll: None,
        event: None,
        survey: None,
        document: Some(DocumentRows {
            place: Place::Folder(new.folder_id),
            text: stored.text,
            versions: vec![stored.version],
        }),
        media_ids: vec![],
    };
    let created = statuses::create(state, me, status).await;
    if created.is_err() {
        files::remove(state, &key.into_iter().collect::<Vec<_>>()).await;
    }
    created
}

/// A document of ours that `me` may see, with its current version.
async fn local_document(state: &AppState, me: &Actor, id: i64) -> AppResult<super::DocumentView> {
    let (view, _) = super::document(state, Some(me), id).await?;
    if !view.status.local {
        return Err(AppError::unprocessable(
            "Validation failed: this document is kept by another server",
        ));
    }
    Ok(view)
}

/// In a transaction: a new version on top, the thread marked edited (which
/// federates the document as it now is).
fn put_version(
    conn: &mut db::DbConn,
    status_id: i64,
    version: &Version,
    text: Option<&str>,
) -> AppResult<()> {
    db::library::insert_version(conn, version)?;
    if let Some(t) = text {
        db::library::set_text(conn, status_id, t)?;
    }
    touch(conn, status_id, None)
}

/// Marks a document's thread edited (with a new title, if given).
fn touch(conn: &mut db::DbConn, status_id: i64, title: Option<&str>) -> AppResult<()> {
    let s = db::statuses::by_id(conn, status_id)?.ok_or_else(AppError::not_found)?;
    let edit = db::statuses::Edit {
        title: title.or(s.title.as_deref()),
        content: &s.content,
        source: &s.source,
        spoiler_text: &s.spoiler_text,
        sensitive: s.sensitive,
        at: now(),
    };
    db::statuses::update_content(conn, status_id, &edit)?;
    events::store(conn, &[Event::StatusUpdated { status_id }])
}

/// A member uploads a new version of a document; the earlier ones stay.
pub async fn add_version(
    state: &AppState,
    me: &Actor,
    id: i64,
    upload: Upload,
) -> AppResult<Version> {
    let view = local_document(state, me, id).await?;
    check_member(state, me, &view.community).await?;
    let stored = files::store(state, me.id, view.current.number + 1, upload).await?;
    let version = Version {
        status_id: id,
        ..stored.version
    };
    let (row, text) = (version.clone(), stored.text);
    let written = state
        .db
        .write(move |c| put_version(c, id, &row, Some(&text)))
        .await;
    if let Err(e) = written {
        files::remove(state, &version.file_key.into_iter().collect::<Vec<_>>()).await;
        // Two uploads at once: the second finds its number taken.
        return Err(match e.status {
            axum::http::StatusCode::CONFLICT => AppError::new(
                e.status,
                "Another version was uploaded at the same time; try again",
            ),
            _ => e,
        });
    }
    Ok(version)
}

/// Restoring an earlier version adds it again on top (history is never rewritten).
pub async fn restore(state: &AppState, me: &Actor, id: i64, number: i32) -> AppResult<Version> {
    let view = local_document(state, me, id).await?;
    check_member(state, me, &view.community).await?;
    let versions = state
        .db
        .run(move |c| Ok(db::library::versions(c, id)?))
        .await?;
    let old = versions
        .iter()
        .find(|v| v.number == number)
        .ok_or_else(AppError::not_found)?;
    if number == view.current.number {
        return Err(invalid_field("version", "is already the current version"));
    }
    let text = match &old.file_key {
        Some(k) => {
            let bytes = files::read(state, k).await?;
            let t = old.content_type.clone();
            tokio::task::spawn_blocking(move || super::text::extract(&t, &bytes))
                .await
                .map_err(AppError::internal)?
        }
        None => String::new(),
    };
    let version = Version {
        number: view.current.number + 1,
        uploaded_by: Some(me.id),
        restored_from: Some(number),
        created_at: now(),
        ..old.clone()
    };
    let row = version.clone();
    state
        .db
        .write(move |c| put_version(c, id, &row, Some(&text)))
        .await?;
    Ok(version)
}

async fn check_member(state: &AppState, me: &Actor, community: &Actor) -> AppResult<()> {
    let (c, me) = (community.clone(), me.id);
    state
        .db
        .run(move |conn| statuses::check_may_post(conn, &c, me))
        .await
}

fn check_manages(view: &super::DocumentView) -> AppResult<()> {
    if view.manages {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "Only whoever added this document or a moderator can change it",
        ))
    }
}

/// Its uploader or a moderator renames a document.
pub async fn rename(state: &AppState, me: &Actor, id: i64, title: &str) -> AppResult<()> {
    let view = local_document(state, me, id).await?;
    check_manages(&view)?;
    let title: String = title.trim().chars().take(MAX_TITLE).collect();
    if title.is_empty() {
        return Err(invalid_field("title", "can't be blank"));
    }
    state.db.write(move |c| touch(c, id, Some(&title))).await
}

/// Its uploader or a moderator moves a document to another folder (`None`: the top).
pub async fn move_to(
    state: &AppState,
    me: &Actor,
    id: i64,
    folder_id: Option<i64>,
) -> AppResult<()> {
    let view = local_document(state, me, id).await?;
    check_manages(&view)?;
    let community_id = view.community.id;
    state
        .db
        .write(move |c| {
            folders::check_parent(c, community_id, folder_id)?;
            db::library::set_folder(c, id, folder_id)?;
            touch(c, id, None)
        })
        .await
}
