//! Single-use links mailed to people (confirming an address, resetting a
//! password), stored by their digest.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{DbConn, schema::email_tokens};

pub const CONFIRM: &str = "confirm";
pub const RESET: &str = "reset";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = email_tokens)]
pub struct EmailToken {
    pub token_hash: String,
    pub user_id: i64,
    pub purpose: String,
    /// The address the link was mailed to (for a confirmation, the one confirmed).
    pub email: String,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, t: &EmailToken) -> QueryResult<()> {
    diesel::insert_into(email_tokens::table)
        .values(t)
        .execute(conn)
        .map(|_| ())
}

/// Uses a valid token: the token, if it was unused and unexpired (it is not
/// any more); `None` otherwise.
pub fn take(
    conn: &mut DbConn,
    hash: &str,
    purpose: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<EmailToken>> {
    let n = diesel::update(
        email_tokens::table
            .find(hash)
            .filter(email_tokens::purpose.eq(purpose))
            .filter(email_tokens::used_at.is_null())
            .filter(email_tokens::expires_at.gt(now)),
    )
    .set(email_tokens::used_at.eq(now))
    .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    email_tokens::table
        .find(hash)
        .select(EmailToken::as_select())
        .first(conn)
        .optional()
}

/// Whether a token would be taken (for the page that asks for a new password).
pub fn is_valid(
    conn: &mut DbConn,
    hash: &str,
    purpose: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        email_tokens::table
            .find(hash)
            .filter(email_tokens::purpose.eq(purpose))
            .filter(email_tokens::used_at.is_null())
            .filter(email_tokens::expires_at.gt(now)),
    ))
    .get_result(conn)
}

/// Ends the person's other links of that kind (a used reset link ends the others).
pub fn expire_all(
    conn: &mut DbConn,
    user_id: i64,
    purpose: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        email_tokens::table
            .filter(email_tokens::user_id.eq(user_id))
            .filter(email_tokens::purpose.eq(purpose))
            .filter(email_tokens::used_at.is_null()),
    )
    .set(email_tokens::used_at.eq(now))
    .execute(conn)
}

/// Links of that kind made for the person since `since` (to limit how many are mailed).
pub fn count_since(
    conn: &mut DbConn,
    user_id: i64,
    purpose: &str,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    email_tokens::table
        .filter(email_tokens::user_id.eq(user_id))
        .filter(email_tokens::purpose.eq(purpose))
        .filter(email_tokens::created_at.ge(since))
        .count()
        .get_result(conn)
}
