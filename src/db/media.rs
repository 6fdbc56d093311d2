//! Media attachments: uploads waiting for a status, and the attachments of
//! statuses (ours with their files here, others' by their origin's URL).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{DbConn, schema::media_attachments as media};

#[derive(Debug, Clone, Queryable, Selectable, Insertable, PartialEq)]
#[diesel(table_name = media)]
pub struct Media {
    pub id: i64,
    pub actor_id: i64,
    pub status_id: Option<i64>,
    pub position: i32,
    /// Mastodon's attachment type: `image`, `gifv`, `video`, `audio`, `unknown`.
    pub kind: String,
    pub content_type: String,
    /// Names in the media store of the file and of its preview (local uploads).
    pub file_key: Option<String>,
    pub preview_key: Option<String>,
    /// Where another server serves it (remote attachments).
    pub remote_url: Option<String>,
    pub description: String,
    pub blurhash: Option<String>,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub file_size: Option<i64>,
    pub focus_x: Option<f64>,
    pub focus_y: Option<f64>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, rows: &[Media]) -> QueryResult<()> {
    // One statement per row: batch inserts do not compile for both backends at once.
    for row in rows {
        diesel::insert_into(media::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

pub fn by_id(conn: &mut DbConn, id: i64) -> QueryResult<Option<Media>> {
    media::table
        .find(id)
        .select(Media::as_select())
        .first(conn)
        .optional()
}

/// The attachments of these statuses, in each status's order.
pub fn by_status_ids(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Media>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    media::table
        .filter(media::status_id.eq_any(ids))
        .order((media::status_id, media::position))
        .select(Media::as_select())
        .load(conn)
}

/// Gives `status_id` the uploads `ids` (in that order) of `actor_id` that no
/// status has taken yet; returns how many it took.
pub fn attach(conn: &mut DbConn, actor_id: i64, status_id: i64, ids: &[i64]) -> QueryResult<usize> {
    let mut taken = 0;
    for (position, id) in ids.iter().enumerate() {
        taken += diesel::update(
            media::table
                .find(id)
                .filter(media::actor_id.eq(actor_id))
                .filter(media::status_id.is_null()),
        )
        .set((
            media::status_id.eq(status_id),
            media::position.eq(position as i32),
        ))
        .execute(conn)?;
    }
    Ok(taken)
}

pub fn set_description(
    conn: &mut DbConn,
    id: i64,
    description: &str,
    focus: Option<(f64, f64)>,
) -> QueryResult<()> {
    diesel::update(media::table.find(id))
        .set((
            media::description.eq(description),
            media::focus_x.eq(focus.map(|f| f.0)),
            media::focus_y.eq(focus.map(|f| f.1)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Replaces a remote status's attachments with what its server now sends.
pub fn replace_remote(conn: &mut DbConn, status_id: i64, rows: &[Media]) -> QueryResult<()> {
    diesel::delete(media::table.filter(media::status_id.eq(status_id))).execute(conn)?;
    insert(conn, rows)
}

/// Removes the attachments of a status; returns the store keys whose files go.
pub fn delete_for_status(conn: &mut DbConn, status_id: i64) -> QueryResult<Vec<String>> {
    let rows = by_status_ids(conn, &[status_id])?;
    diesel::delete(media::table.filter(media::status_id.eq(status_id))).execute(conn)?;
    Ok(rows.into_iter().flat_map(Media::keys).collect())
}

/// A deleted status gives its files back to its author (a client may post them
/// again: "delete and redraft").
pub fn detach(conn: &mut DbConn, status_id: i64) -> QueryResult<usize> {
    diesel::update(media::table.filter(media::status_id.eq(status_id)))
        .set(media::status_id.eq(None::<i64>))
        .execute(conn)
}

/// Removes up to `limit` uploads that no status took before `before`; returns
/// their files.
pub fn delete_unattached(
    conn: &mut DbConn,
    before: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<String>> {
    let rows: Vec<Media> = media::table
        .filter(media::status_id.is_null())
        .filter(media::created_at.lt(before))
        .order(media::created_at)
        .limit(limit)
        .select(Media::as_select())
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|m| m.id).collect();
    diesel::delete(
        media::table
            .filter(media::id.eq_any(&ids))
            .filter(media::status_id.is_null()),
    )
    .execute(conn)?;
    Ok(rows.into_iter().flat_map(Media::keys).collect())
}

impl Media {
    /// Its files in the media store.
    pub fn keys(self) -> impl Iterator<Item = String> {
        self.file_key.into_iter().chain(self.preview_key)
    }
}
