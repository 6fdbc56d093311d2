//! A library's folders: made by members, renamed, moved and removed (when
//! empty) by whoever made them or a moderator.

use crate::{
    db::{self, actors::Actor, library::Folder},
    error::{AppError, AppResult, invalid_field},
    model::id::new_id,
    service::now,
    state::AppState,
};

pub const MAX_NAME: usize = 100;

/// The folders from the top of the library down to `id` (excluded).
pub fn path_to(all: &[Folder], id: Option<i64>) -> Vec<Folder> {
    let mut path = Vec::new();
    let mut next = id.and_then(|i| all.iter().find(|f| f.id == i)?.parent_id);
    // Bounded by the number of folders: a cycle (never written) cannot loop.
    while let Some(i) = next {
        if path.len() >= all.len() {
            break;
        }
        let Some(f) = all.iter().find(|f| f.id == i) else {
            break;
        };
        path.push(f.clone());
        next = f.parent_id;
    }
    path.reverse();
    path
}

/// `a/b/c`: where a folder is, as it travels to other servers.
pub fn path_name(all: &[Folder], id: Option<i64>) -> Option<String> {
    let folder = all.iter().find(|f| Some(f.id) == id)?;
    let mut names: Vec<String> = path_to(all, id).into_iter().map(|f| f.name).collect();
    names.push(folder.name.clone());
    Some(names.join("/"))
}

/// A folder name as given: trimmed, no slash (it separates folders on the
/// wire), not empty, not too long.
pub fn check_name(name: &str) -> AppResult<String> {
    let name: String = name.chars().filter(|c| !c.is_control()).collect();
    let name = name.trim();
    if name.is_empty() {
        return Err(invalid_field("name", "can't be blank"));
    }
    if name.contains('/') {
        return Err(invalid_field("name", "can't contain a slash"));
    }
    if name.chars().count() > MAX_NAME {
        return Err(invalid_field(
            "name",
            format!("is too long (maximum is {MAX_NAME} characters)"),
        ));
    }
    Ok(name.to_string())
}

/// In the caller's transaction: `parent` must be a folder of the community.
pub(crate) fn check_parent(
    conn: &mut db::DbConn,
    community_id: i64,
    parent: Option<i64>,
) -> AppResult<()> {
    if let Some(p) = parent {
        let ok = db::library::folder(conn, p)?.is_some_and(|f| f.community_id == community_id);
        if !ok {
            return Err(invalid_field(
                "folder_id",
                "is not a folder of this library",
            ));
        }
    }
    Ok(())
}

fn taken(e: diesel::result::Error) -> AppError {
    match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => invalid_field("name", "is taken by another folder here"),
        other => other.into(),
    }
}

/// A member makes a folder in a local community's library.
pub async fn create(
    state: &AppState,
    me: &Actor,
    community: &Actor,
    parent_id: Option<i64>,
    name: &str,
) -> AppResult<Folder> {
    let name = check_name(name)?;
    if !community.local {
        return Err(AppError::unprocessable(
            "Validation failed: this library is kept by another server",
        ));
    }
    let folder = Folder {
        id: new_id(),
        community_id: community.id,
        parent_id,
        name,
        created_by: Some(me.id),
        created_at: now(),
    };
    let (row, me) = (folder.clone(), me.clone());
    state
        .db
        .write(move |c| {
            let community = db::actors::by_id(c, row.community_id)?;
            crate::service::statuses::check_may_post(c, &community, me.id)?;
            check_parent(c, row.community_id, row.parent_id)?;
            db::library::insert_folder(c, &row).map_err(taken)
        })
        .await?;
    Ok(folder)
}

/// The folder, if `me` may change it (its maker or a moderator).
fn managed(conn: &mut db::DbConn, me: &Actor, id: i64) -> AppResult<Folder> {
    let f = db::library::folder(conn, id)?.ok_or_else(AppError::not_found)?;
    let c = db::actors::by_id(conn, f.community_id)?;
    if !super::may_read(conn, &c, Some(me))? {
        return Err(AppError::not_found());
    }
    let moderator = db::communities::role(conn, f.community_id, me.id)?.is_some();
    if f.created_by != Some(me.id) && !moderator {
        return Err(AppError::forbidden(
            "Only whoever made this folder or a moderator can change it",
        ));
    }
    Ok(f)
}

/// Renames and moves a folder (`parent_id`: `Some(None)` for the top); never
/// into itself or one of its own folders.
pub async fn update(
    state: &AppState,
    me: &Actor,
    id: i64,
    name: Option<&str>,
    parent_id: Option<Option<i64>>,
) -> AppResult<Folder> {
    let name = name.map(check_name).transpose()?;
    let me = me.clone();
    state
        .db
        .write(move |c| {
            let f = managed(c, &me, id)?;
            let parent = parent_id.unwrap_or(f.parent_id);
            check_parent(c, f.community_id, parent)?;
            let all = db::library::folders_of(c, f.community_id)?;
            let mut under = parent;
            while let Some(p) = under {
                if p == id {
                    return Err(invalid_field(
                        "parent_id",
                        "can't be the folder itself or inside it",
                    ));
                }
                under = all.iter().find(|x| x.id == p).and_then(|x| x.parent_id);
            }
            let name = name.unwrap_or_else(|| f.name.clone());
            db::library::update_folder(c, id, &name, parent).map_err(taken)?;
            db::library::folder(c, id)?.ok_or_else(AppError::not_found)
        })
        .await
}

/// Removes an empty folder (409 while something is in it).
pub async fn delete(state: &AppState, me: &Actor, id: i64) -> AppResult<()> {
    let me = me.clone();
    state
        .db
        .write(move |c| {
            managed(c, &me, id)?;
            if db::library::delete_empty_folder(c, id)? {
                Ok(())
            } else {
                Err(AppError::new(
                    axum::http::StatusCode::CONFLICT,
                    "This folder is not empty: move or delete what is in it first",
                ))
            }
        })
        .await
}

/// In the caller's transaction: the folder at `path` (`a/b/c`) in a
/// community's library, made as needed when `make` (else the top when it
/// does not exist).
pub(crate) fn find_or_make(
    conn: &mut db::DbConn,
    community_id: i64,
    path: &str,
    make: bool,
) -> AppResult<Option<i64>> {
    let mut all = db::library::folders_of(conn, community_id)?;
    let mut parent = None;
    for name in path.split('/').take(10) {
        let Ok(name) = check_name(name) else { continue };
        let found = all
            .iter()
            .find(|f| f.parent_id == parent && f.name.to_lowercase() == name.to_lowercase());
        parent = Some(match found {
            Some(f) => f.id,
            None if !make => return Ok(None),
            None => {
                let f = Folder {
                    id: new_id(),
                    community_id,
                    parent_id: parent,
                    name,
                    created_by: None,
                    created_at: now(),
                };
                db::library::insert_folder(conn, &f)?;
                let id = f.id;
                all.push(f);
                id
            }
        });
    }
    Ok(parent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(id: i64, parent: Option<i64>, name: &str) -> Folder {
        Folder {
            id,
            community_id: 1,
            parent_id: parent,
            name: name.into(),
            created_by: None,
            created_at: now(),
        }
    }

    #[test]
    fn paths_and_names() {
        let all = vec![
            folder(1, None, "Finance"),
            folder(2, Some(1), "2027"),
            folder(3, Some(2), "Q1"),
        ];
        let path: Vec<i64> = path_to(&all, Some(3)).iter().map(|f| f.id).collect();
        assert_eq!(path, vec![1, 2]);
        assert_eq!(path_name(&all, Some(3)).as_deref(), Some("Finance/2027/Q1"));
        assert_eq!(path_name(&all, None), None);
        assert!(check_name(" a/b ").is_err());
        assert!(check_name("  ").is_err());
        assert_eq!(check_name(" Plans ").expect("name"), "Plans");
    }
}
