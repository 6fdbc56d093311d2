//! People's lists of the accounts they follow.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{
    DbConn,
    actors::Actor,
    schema::{list_members, lists},
    views::Page,
};
use crate::model::id::new_id;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = lists)]
pub struct List {
    pub id: i64,
    pub actor_id: i64,
    pub title: String,
    pub replies_policy: String,
    pub exclusive: bool,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, list: &List) -> QueryResult<()> {
    diesel::insert_into(lists::table)
        .values(list)
        .execute(conn)
        .map(|_| ())
}

pub fn update(conn: &mut DbConn, list: &List) -> QueryResult<()> {
    diesel::update(lists::table.find(list.id))
        .set((
            lists::title.eq(&list.title),
            lists::replies_policy.eq(&list.replies_policy),
            lists::exclusive.eq(list.exclusive),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn delete(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(list_members::table.filter(list_members::list_id.eq(id))).execute(conn)?;
    diesel::delete(lists::table.find(id))
        .execute(conn)
        .map(|_| ())
}

/// `owner`'s list `id`, if it is theirs.
pub fn owned(conn: &mut DbConn, owner: i64, id: i64) -> QueryResult<Option<List>> {
    lists::table
        .find(id)
        .filter(lists::actor_id.eq(owner))
        .select(List::as_select())
        .first(conn)
        .optional()
}

/// `owner`'s lists, oldest first (as Mastodon orders them).
pub fn of(conn: &mut DbConn, owner: i64) -> QueryResult<Vec<List>> {
    lists::table
        .filter(lists::actor_id.eq(owner))
        .order(lists::id.asc())
        .select(List::as_select())
        .load(conn)
}

/// `owner`'s lists that hold `account_id`.
pub fn holding(conn: &mut DbConn, owner: i64, account_id: i64) -> QueryResult<Vec<List>> {
    lists::table
        .inner_join(list_members::table)
        .filter(lists::actor_id.eq(owner))
        .filter(list_members::account_id.eq(account_id))
        .order(lists::id.asc())
        .select(List::as_select())
        .load(conn)
}

pub fn count(conn: &mut DbConn, owner: i64) -> QueryResult<i64> {
    lists::table
        .filter(lists::actor_id.eq(owner))
        .count()
        .get_result(conn)
}

/// Adds the accounts (already checked); those already there are skipped.
pub fn add(conn: &mut DbConn, list_id: i64, accounts: &[i64]) -> QueryResult<()> {
    let present: Vec<i64> = list_members::table
        .filter(list_members::list_id.eq(list_id))
        .filter(list_members::account_id.eq_any(accounts))
        .select(list_members::account_id)
        .load(conn)?;
    for &a in accounts.iter().filter(|a| !present.contains(a)) {
        diesel::insert_into(list_members::table)
            .values((
                list_members::id.eq(new_id()),
                list_members::list_id.eq(list_id),
                list_members::account_id.eq(a),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn remove(conn: &mut DbConn, list_id: i64, accounts: &[i64]) -> QueryResult<()> {
    diesel::delete(
        list_members::table
            .filter(list_members::list_id.eq(list_id))
            .filter(list_members::account_id.eq_any(accounts)),
    )
    .execute(conn)
    .map(|_| ())
}

/// Takes `account_id` out of every list of `owner` (who stopped following it).
pub fn forget_member(conn: &mut DbConn, owner: i64, account_id: i64) -> QueryResult<()> {
    let theirs = lists::table
        .filter(lists::actor_id.eq(owner))
        .select(lists::id);
    diesel::delete(
        list_members::table
            .filter(list_members::account_id.eq(account_id))
            .filter(list_members::list_id.eq_any(theirs)),
    )
    .execute(conn)
    .map(|_| ())
}

/// The ids of a list's accounts.
pub fn member_ids(conn: &mut DbConn, list_id: i64) -> QueryResult<Vec<i64>> {
    list_members::table
        .filter(list_members::list_id.eq(list_id))
        .select(list_members::account_id)
        .load(conn)
}

/// A page of a list's accounts, newest addition first: `(membership id, account)`;
/// `None`: all of them.
pub fn members_page(
    conn: &mut DbConn,
    list_id: i64,
    page: Option<Page>,
) -> QueryResult<Vec<(i64, Actor)>> {
    let q = list_members::table
        .filter(list_members::list_id.eq(list_id))
        .select((list_members::id, list_members::account_id))
        .into_boxed();
    let rows: Vec<(i64, i64)> = match page {
        Some(page) => page.newest_first(paginate!(q, page, list_members::id).load(conn)?),
        None => q.order(list_members::id.desc()).load(conn)?,
    };
    super::actors::with_marks(conn, rows)
}

/// Accounts in `owner`'s exclusive lists: kept out of their home timeline.
pub fn exclusive_members(conn: &mut DbConn, owner: i64) -> QueryResult<Vec<i64>> {
    list_members::table
        .inner_join(lists::table)
        .filter(lists::actor_id.eq(owner))
        .filter(lists::exclusive.eq(true))
        .select(list_members::account_id)
        .load(conn)
}
