//! Communities' document libraries: folders, documents (statuses with a place
//! in a library) and their versions.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

use super::{
    DbConn,
    schema::{document_versions, documents, library_folders, statuses},
    statuses::Status,
};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = library_folders)]
pub struct Folder {
    pub id: i64,
    pub community_id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = documents)]
pub struct Document {
    pub status_id: i64,
    pub folder_id: Option<i64>,
    /// Words of the current version's file, for search.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = document_versions)]
pub struct Version {
    pub status_id: i64,
    pub number: i32,
    pub file_name: String,
    pub content_type: String,
    pub file_size: i64,
    /// Ours: the file in the media store's library folder.
    pub file_key: Option<String>,
    /// Another server's: where it keeps the file.
    pub remote_url: Option<String>,
    pub uploaded_by: Option<i64>,
    pub restored_from: Option<i32>,
    pub created_at: NaiveDateTime,
}

pub fn insert_folder(conn: &mut DbConn, f: &Folder) -> QueryResult<()> {
    diesel::insert_into(library_folders::table)
        .values(f)
        .execute(conn)
        .map(|_| ())
}

pub fn folder(conn: &mut DbConn, id: i64) -> QueryResult<Option<Folder>> {
    library_folders::table
        .find(id)
        .select(Folder::as_select())
        .first(conn)
        .optional()
}

/// Every folder of a community's library (a library holds tens, not thousands).
pub fn folders_of(conn: &mut DbConn, community_id: i64) -> QueryResult<Vec<Folder>> {
    library_folders::table
        .filter(library_folders::community_id.eq(community_id))
        .order(lower(library_folders::name).asc())
        .select(Folder::as_select())
        .load(conn)
}

pub fn update_folder(
    conn: &mut DbConn,
    id: i64,
    name: &str,
    parent_id: Option<i64>,
) -> QueryResult<()> {
    diesel::update(library_folders::table.find(id))
        .set((
            library_folders::name.eq(name),
            library_folders::parent_id.eq(parent_id),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Removes a folder if nothing is in it; whether it was removed.
pub fn delete_empty_folder(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
    let children: i64 = library_folders::table
        .filter(library_folders::parent_id.eq(id))
        .count()
        .get_result(conn)?;
    let documents: i64 = documents::table
        .inner_join(statuses::table)
        .filter(documents::folder_id.eq(id))
        .filter(statuses::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    if children + documents > 0 {
        return Ok(false);
    }
    // Deleted documents that were in it go to the top of the library.
    diesel::update(documents::table.filter(documents::folder_id.eq(id)))
        .set(documents::folder_id.eq(None::<i64>))
        .execute(conn)?;
    diesel::delete(library_folders::table.find(id)).execute(conn)?;
    Ok(true)
}

pub fn insert_document(conn: &mut DbConn, d: &Document, v: &Version) -> QueryResult<()> {
    diesel::insert_into(documents::table)
        .values(d)
        .execute(conn)?;
    insert_version(conn, v)
}

pub fn insert_version(conn: &mut DbConn, v: &Version) -> QueryResult<()> {
    diesel::insert_into(document_versions::table)
        .values(v)
        .execute(conn)
        .map(|_| ())
}

pub fn set_text(conn: &mut DbConn, status_id: i64, text: &str) -> QueryResult<()> {
    diesel::update(documents::table.find(status_id))
        .set(documents::text.eq(text))
        .execute(conn)
        .map(|_| ())
}

pub fn set_folder(conn: &mut DbConn, status_id: i64, folder_id: Option<i64>) -> QueryResult<()> {
    diesel::update(documents::table.find(status_id))
        .set(documents::folder_id.eq(folder_id))
        .execute(conn)
        .map(|_| ())
}

pub fn document(conn: &mut DbConn, status_id: i64) -> QueryResult<Option<Document>> {
    documents::table
        .find(status_id)
        .select(Document::as_select())
        .first(conn)
        .optional()
}

/// A document's versions, newest first.
pub fn versions(conn: &mut DbConn, status_id: i64) -> QueryResult<Vec<Version>> {
    document_versions::table
        .filter(document_versions::status_id.eq(status_id))
        .order(document_versions::number.desc())
        .select(Version::as_select())
        .load(conn)
}

/// The current (highest) version of each of these documents.
pub fn current_versions(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, Version>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let all: Vec<Version> = document_versions::table
        .filter(document_versions::status_id.eq_any(ids))
        .order(document_versions::number.asc())
        .select(Version::as_select())
        .load(conn)?;
    // Ascending: the last one written for each document is its current one.
    Ok(all.into_iter().map(|v| (v.status_id, v)).collect())
}

/// Replaces a remote document's versions with those its server now lists.
pub fn replace_remote_versions(
    conn: &mut DbConn,
    status_id: i64,
    versions: &[Version],
) -> QueryResult<()> {
    diesel::delete(
        document_versions::table
            .filter(document_versions::status_id.eq(status_id))
            .filter(document_versions::file_key.is_null()),
    )
    .execute(conn)?;
    for v in versions {
        insert_version(conn, v)?;
    }
    Ok(())
}

/// Forgets a document's place and versions; the files to remove.
pub fn forget(conn: &mut DbConn, status_id: i64) -> QueryResult<Vec<String>> {
    let keys: Vec<Option<String>> = document_versions::table
        .filter(document_versions::status_id.eq(status_id))
        .select(document_versions::file_key)
        .load(conn)?;
    diesel::delete(documents::table.find(status_id)).execute(conn)?;
    let mut keys: Vec<String> = keys.into_iter().flatten().collect();
    keys.sort();
    keys.dedup();
    Ok(keys)
}

/// Live documents of a community, in a folder (`None`: at the top), by name.
pub fn in_folder(
    conn: &mut DbConn,
    community_id: i64,
    folder_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<(Document, Status)>> {
    let q = documents::table
        .inner_join(statuses::table)
        .filter(statuses::community_id.eq(community_id))
        .filter(statuses::deleted_at.is_null())
        .order(lower(statuses::title.assume_not_null()).asc())
        .limit(limit)
        .select((Document::as_select(), Status::as_select()))
        .into_boxed();
    match folder_id {
        Some(f) => q.filter(documents::folder_id.eq(f)).load(conn),
        None => q.filter(documents::folder_id.is_null()).load(conn),
    }
}

/// Live documents of these communities whose name, description or file text
/// is like `pattern` (lower case), newest first.
pub fn search(
    conn: &mut DbConn,
    community_ids: &[i64],
    pattern: &str,
    limit: i64,
) -> QueryResult<Vec<(Document, Status)>> {
    if community_ids.is_empty() {
        return Ok(vec![]);
    }
    documents::table
        .inner_join(statuses::table)
        .filter(
            statuses::community_id
                .assume_not_null()
                .eq_any(community_ids),
        )
        .filter(statuses::deleted_at.is_null())
        .filter(
            lower(statuses::title.assume_not_null())
                .like(pattern)
                .or(lower(statuses::source).like(pattern))
                .or(lower(documents::text).like(pattern)),
        )
        // By the documents' key, so SQLite walks documents newest first and
        // stops at the limit (ordering by the statuses' id sorted every match).
        .order(documents::status_id.desc())
        .limit(limit)
        .select((Document::as_select(), Status::as_select()))
        .load(conn)
}
