//! Lists: a person groups accounts they follow (people or communities) and reads
//! each group as its own timeline, as in Mastodon.

use super::now;
use crate::{
    db::{self, actors::Actor, lists::List, statuses::Status, views::Page},
    error::{AppError, AppResult},
    model::id::new_id,
    state::AppState,
};

pub const MAX_TITLE: usize = 256;
/// Enough for anyone; bounds what one account can store.
pub const MAX_LISTS: i64 = 100;
pub const MAX_MEMBERS: usize = 500;
pub const REPLIES_POLICIES: [&str; 3] = ["followed", "list", "none"];

/// A list's settings as a client sends them (absent: unchanged, or the default).
#[derive(Debug, Default)]
pub struct Settings {
    pub title: Option<String>,
    pub replies_policy: Option<String>,
    pub exclusive: Option<bool>,
}

fn apply(list: &mut List, s: Settings) -> AppResult<()> {
    if let Some(t) = s.title {
        let t = t.trim().to_string();
        if t.is_empty() || t.chars().count() > MAX_TITLE {
            return Err(AppError::unprocessable(format!(
                "Validation failed: title must be 1 to {MAX_TITLE} characters"
            )));
        }
        list.title = t;
    }
    if let Some(p) = s.replies_policy {
        if !REPLIES_POLICIES.contains(&p.as_str()) {
            return Err(AppError::unprocessable(
                "Validation failed: replies_policy must be followed, list or none",
            ));
        }
        list.replies_policy = p;
    }
    if let Some(e) = s.exclusive {
        list.exclusive = e;
    }
    Ok(())
}

pub async fn create(state: &AppState, me: &Actor, s: Settings) -> AppResult<List> {
    if s.title.is_none() {
        return Err(AppError::unprocessable(
            "Validation failed: title is missing",
        ));
    }
    let mut list = List {
        id: new_id(),
        actor_id: me.id,
        title: String::new(),
        replies_policy: "list".into(),
        exclusive: false,
        created_at: now(),
    };
    apply(&mut list, s)?;
    state
        .db
        .write(move |c| {
            if db::lists::count(c, list.actor_id)? >= MAX_LISTS {
                return Err(AppError::unprocessable(format!(
                    "Validation failed: at most {MAX_LISTS} lists"
                )));
            }
            db::lists::insert(c, &list)?;
            Ok(list)
        })
        .await
}

/// `me`'s list `id`, or 404.
pub async fn owned(state: &AppState, me: &Actor, id: i64) -> AppResult<List> {
    let owner = me.id;
    state
        .db
        .run(move |c| db::lists::owned(c, owner, id)?.ok_or_else(AppError::not_found))
        .await
}

pub async fn update(state: &AppState, me: &Actor, id: i64, s: Settings) -> AppResult<List> {
    let mut list = owned(state, me, id).await?;
    apply(&mut list, s)?;
    let saved = list.clone();
    state
        .db
        .write(move |c| Ok(db::lists::update(c, &saved)?))
        .await?;
    Ok(list)
}

pub async fn delete(state: &AppState, me: &Actor, id: i64) -> AppResult<()> {
    owned(state, me, id).await?;
    state.db.write(move |c| Ok(db::lists::delete(c, id)?)).await
}

/// Adds accounts `me` follows; 404 for an unknown one, 422 for one not followed.
pub async fn add(state: &AppState, me: &Actor, id: i64, accounts: Vec<i64>) -> AppResult<()> {
    owned(state, me, id).await?;
    let owner = me.id;
    state
        .db
        .write(move |c| {
            for &a in &accounts {
                db::actors::by_id(c, a).map_err(|_| AppError::not_found())?;
                if !db::follows::is_accepted(c, owner, a)? {
                    return Err(AppError::unprocessable(
                        "Validation failed: only accounts you follow can be listed",
                    ));
                }
            }
            if db::lists::member_ids(c, id)?.len() + accounts.len() > MAX_MEMBERS {
                return Err(AppError::unprocessable(format!(
                    "Validation failed: at most {MAX_MEMBERS} accounts in a list"
                )));
            }
            Ok(db::lists::add(c, id, &accounts)?)
        })
        .await
}

pub async fn remove(state: &AppState, me: &Actor, id: i64, accounts: Vec<i64>) -> AppResult<()> {
    owned(state, me, id).await?;
    state
        .db
        .write(move |c| Ok(db::lists::remove(c, id, &accounts)?))
        .await
}

/// A page of the list's timeline as `me` sees it: (the statuses shown, the ids of
/// every status read, for the `Link` header). Replies follow the list's policy.
pub async fn timeline(
    state: &AppState,
    me: &Actor,
    id: i64,
    page: Page,
) -> AppResult<(Vec<Status>, Vec<i64>)> {
    let list = owned(state, me, id).await?;
    let viewer = me.clone();
    state
        .db
        .run(move |c| {
            let hidden = super::blocks::hidden(c, Some(&viewer))?;
            let rows = db::views::list(c, list.id, &hidden, page)?;
            let read: Vec<i64> = rows.iter().map(|s| s.id).collect();
            let parents: Vec<i64> = rows.iter().filter_map(|s| s.in_reply_to_id).collect();
            let parent_authors = db::statuses::authors_of(c, &parents)?;
            let members = db::lists::member_ids(c, list.id)?;
            let allowed: Vec<i64> = match list.replies_policy.as_str() {
                "followed" => db::follows::followed_ids(c, viewer.id)?,
                _ => members.clone(),
            };
            let policy = list.replies_policy.as_str();
            let shown = rows
                .into_iter()
                .filter(|s| {
                    let Some(parent) = s.in_reply_to_id else {
                        return true;
                    };
                    if policy == "none" {
                        return false;
                    }
                    // A listed community's comments are its conversation.
                    if s.community_id.is_some_and(|cid| members.contains(&cid)) {
                        return true;
                    }
                    parent_authors
                        .get(&parent)
                        .is_none_or(|a| *a == viewer.id || allowed.contains(a))
                })
                .collect();
            Ok((shown, read))
        })
        .await
}
