//! Invitations to sign up (stored by the digest of their code).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{DbConn, schema::invites};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = invites)]
pub struct Invite {
    pub id: i64,
    pub code_hash: String,
    pub created_by: Option<i64>,
    pub max_uses: Option<i32>,
    pub uses: i32,
    pub expires_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    /// The address it was mailed to, if it was.
    pub email: Option<String>,
}

pub fn insert(conn: &mut DbConn, invite: &Invite) -> QueryResult<()> {
    diesel::insert_into(invites::table)
        .values(invite)
        .execute(conn)
        .map(|_| ())
}

/// Takes one use of a valid invitation; false if unknown, used up or expired.
pub fn use_one(conn: &mut DbConn, code_hash: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(
        invites::table
            .filter(invites::code_hash.eq(code_hash))
            .filter(
                invites::max_uses
                    .is_null()
                    .or(invites::uses.lt(invites::max_uses.assume_not_null())),
            )
            .filter(
                invites::expires_at
                    .is_null()
                    .or(invites::expires_at.gt(now)),
            ),
    )
    .set(invites::uses.eq(invites::uses + 1))
    .execute(conn)?;
    Ok(n == 1)
}

/// The address a valid invitation was mailed to (`None`: not mailed, or unknown).
pub fn mailed_to(conn: &mut DbConn, code_hash: &str) -> QueryResult<Option<String>> {
    invites::table
        .filter(invites::code_hash.eq(code_hash))
        .select(invites::email)
        .first::<Option<String>>(conn)
        .optional()
        .map(Option::flatten)
}

/// Returns a use taken for a sign-up that failed.
pub fn give_back(conn: &mut DbConn, code_hash: &str) -> QueryResult<()> {
    diesel::update(invites::table.filter(invites::code_hash.eq(code_hash)))
        .filter(invites::uses.gt(0))
        .set(invites::uses.eq(invites::uses - 1))
        .execute(conn)
        .map(|_| ())
}
