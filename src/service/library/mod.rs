//! Communities' document libraries. A document is a thread of its community
//! (its title the document's name, its text the description; comments, likes,
//! visibility, deletion and federation are a thread's) with a folder and
//! versions. Reading a library, adding and changing documents, for the API, the
//! pages and the inbox alike.

use crate::{
    db::{
        self,
        actors::Actor,
        library::{Document, Folder, Version},
        statuses::Status,
    },
    error::{AppError, AppResult},
    model::visibility::CommunityVisibility,
    service::{community_view, search::like_pattern},
    state::AppState,
};

pub mod changes;
pub mod files;
pub mod folders;
pub mod text;

pub use changes::{add, add_version, move_to, rename, restore};

/// Documents listed per folder, and found per search.
pub const PAGE: i64 = 500;
pub const SEARCH_LIMIT: i64 = 100;

/// A document as a reader sees it.
#[derive(Debug, Clone)]
pub struct DocumentView {
    pub status: Status,
    pub document: Document,
    pub current: Version,
    pub author: Actor,
    pub community: Actor,
    /// Whether the reader may rename, move or delete it (its uploader, a moderator).
    pub manages: bool,
}

/// A folder of a library (or its top) as a reader sees it.
pub struct Library {
    pub community: Actor,
    pub folder: Option<Folder>,
    /// From the top down to `folder` (excluded).
    pub path: Vec<Folder>,
    pub folders: Vec<Folder>,
    /// Every folder of the library, by name (to move things into).
    pub all_folders: Vec<Folder>,
    pub documents: Vec<DocumentView>,
    /// Whether the reader may add documents and folders (a member).
    pub may_add: bool,
    pub moderates: bool,
}

/// Whether `me` may see a community's library at all: its folders are as
/// confidential as its threads.
pub(crate) fn may_read(conn: &mut db::DbConn, c: &Actor, me: Option<&Actor>) -> AppResult<bool> {
    let visibility = c.visibility.parse().unwrap_or(CommunityVisibility::Members);
    Ok(match (visibility, me) {
        (CommunityVisibility::Public, _) => true,
        (_, None) => false,
        (CommunityVisibility::Partners | CommunityVisibility::Internal, Some(m)) if m.local => {
            c.local || db::follows::is_accepted(conn, m.id, c.id)?
        }
        (_, Some(m)) => db::follows::is_accepted(conn, m.id, c.id)?,
    })
}

/// The community of a library the reader may see, or 404.
pub async fn community(state: &AppState, id: i64, me: Option<&Actor>) -> AppResult<Actor> {
    let c = community_view::by_id(state, id, me).await?;
    let (row, me) = (c.clone(), me.cloned());
    let ok = state
        .db
        .run(move |conn| may_read(conn, &row, me.as_ref()))
        .await?;
    if ok {
        Ok(c)
    } else {
        Err(AppError::not_found())
    }
}

/// A folder of a library (the top when `folder_id` is `None`).
pub async fn library(
    state: &AppState,
    community: &Actor,
    me: Option<&Actor>,
    folder_id: Option<i64>,
) -> AppResult<Library> {
    let (c, me) = (community.clone(), me.cloned());
    state
        .db
        .run(move |conn| {
            if !may_read(conn, &c, me.as_ref())? {
                return Err(AppError::not_found());
            }
            let all_folders = db::library::folders_of(conn, c.id)?;
            let folder = match folder_id {
                Some(id) => Some(
                    all_folders
                        .iter()
                        .find(|f| f.id == id)
                        .cloned()
                        .ok_or_else(AppError::not_found)?,
                ),
                None => None,
            };
            let path = folders::path_to(&all_folders, folder_id);
            let folders = all_folders
                .iter()
                .filter(|f| f.parent_id == folder_id)
                .cloned()
                .collect();
            let rows = db::library::in_folder(conn, c.id, folder_id, PAGE)?;
            let documents = views(conn, rows, me.as_ref())?;
            let (may_add, moderates) = match &me {
                Some(m) => (
                    db::follows::is_accepted(conn, m.id, c.id)?
                        && !db::communities::is_banned(conn, c.id, m.id)?,
                    db::communities::role(conn, c.id, m.id)?.is_some(),
                ),
                None => (false, false),
            };
            Ok(Library {
                community: c,
                folder,
                path,
                folders,
                all_folders,
                documents,
                may_add,
                moderates,
            })
        })
        .await
}

/// Documents whose name, description or text holds `q`: in one community's
/// library, or (`None`) in those of the communities the reader belongs to.
pub async fn search(
    state: &AppState,
    community: Option<&Actor>,
    me: Option<&Actor>,
    q: &str,
) -> AppResult<Vec<DocumentView>> {
    let pattern = like_pattern(&q.trim().to_lowercase());
    if pattern == "%%" {
        return Ok(vec![]);
    }
    let (c, me) = (community.cloned(), me.cloned());
    state
        .db
        .run(move |conn| {
            let ids = match (&c, &me) {
                (Some(c), _) if may_read(conn, c, me.as_ref())? => vec![c.id],
                (Some(_), _) | (None, None) => vec![],
                (None, Some(m)) => db::follows::followed_ids(conn, m.id)?,
            };
            let rows = db::library::search(conn, &ids, &pattern, SEARCH_LIMIT)?;
            views(conn, rows, me.as_ref())
        })
        .await
}

/// One document and all its versions (newest first), for a reader who may see it.
pub async fn document(
    state: &AppState,
    me: Option<&Actor>,
    status_id: i64,
) -> AppResult<(DocumentView, Vec<Version>)> {
    let me = me.cloned();
    state
        .db
        .run(move |conn| {
            let status = db::statuses::by_id(conn, status_id)?.ok_or_else(AppError::not_found)?;
            let document =
                db::library::document(conn, status_id)?.ok_or_else(AppError::not_found)?;
            let mut found = views(conn, vec![(document, status)], me.as_ref())?;
            let view = found.pop().ok_or_else(AppError::not_found)?;
            let versions = db::library::versions(conn, status_id)?;
            Ok((view, versions))
        })
        .await
}

/// The documents the reader may see among `rows`, with their current version,
/// uploader and community, in a fixed number of queries.
pub(crate) fn views(
    conn: &mut db::DbConn,
    rows: Vec<(Document, Status)>,
    me: Option<&Actor>,
) -> AppResult<Vec<DocumentView>> {
    let mut seen = Vec::with_capacity(rows.len());
    for (d, s) in rows {
        if db::visibility::can_see(conn, &s, me)? {
            seen.push((d, s));
        }
    }
    let ids: Vec<i64> = seen.iter().map(|(_, s)| s.id).collect();
    let mut current = db::library::current_versions(conn, &ids)?;
    let mut managers =
        crate::service::managers::Managers::load(conn, seen.iter().map(|(_, s)| s), me)?;
    let mut out = Vec::with_capacity(seen.len());
    for (document, status) in seen {
        let (Some(author), Some(community), Some(version)) = (
            managers.actor(status.actor_id),
            status.community_id.and_then(|c| managers.actor(c)),
            current.remove(&status.id),
        ) else {
            continue;
        };
        let manages = managers.manages(conn, &status)?;
        out.push(DocumentView {
            status,
            document,
            current: version,
            author,
            community,
            manages,
        });
    }
    Ok(out)
}
