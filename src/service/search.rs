//! Search: people and communities by name, posts by their words, or what a
//! handle or URL names (fetched from its server when `fetch`). The reader finds
//! only what they may see. The client API and the web pages share it.

use crate::{
    db::{self, actors::Actor, statuses::Status, views::StatusView},
    error::AppResult,
    service::{
        resolve::{Resolved, resolve},
        statuses,
    },
    state::AppState,
};

pub struct Request {
    pub text: String,
    pub accounts: bool,
    pub statuses: bool,
    /// Fetch a remote handle or URL (signed-in readers only, as on Mastodon).
    pub fetch: bool,
    pub limit: i64,
    pub offset: i64,
}

pub struct Found {
    pub accounts: Vec<Actor>,
    pub statuses: Vec<StatusView>,
}

pub async fn search(state: &AppState, me: Option<&Actor>, r: Request) -> AppResult<Found> {
    let fetch = r.fetch && me.is_some();
    let (mut actors, mut found) = resolved(state, &r.text, fetch, me).await?;
    // Full text; anonymous readers find public statuses only.
    if found.is_empty() && r.statuses {
        let (words, viewer, limit, offset) = (r.text.clone(), me.map(|m| m.id), r.limit, r.offset);
        found = state
            .db
            .run(move |c| Ok(db::search::statuses(c, &words, viewer, limit, offset)?))
            .await?;
    }
    if actors.is_empty() && r.accounts {
        let pattern = like_pattern(&r.text).to_lowercase();
        let limit = r.limit;
        // The directory's fields are for the instance's own people.
        let directory = me.is_some_and(|m| m.local);
        actors = state
            .db
            .run(move |c| Ok(db::actors::search_accounts(c, &pattern, directory, limit)?))
            .await?;
    }
    // Internal communities exist only for the instance's own people.
    let local_user = me.is_some_and(|m| m.local);
    actors.retain(|a| local_user || a.visibility != "internal");
    if !r.accounts {
        actors.clear();
    }
    if !r.statuses {
        found.clear();
    }
    Ok(Found {
        accounts: actors,
        statuses: super::reading::views(state, found, me).await?,
    })
}

/// `%text%` for a LIKE, without a leading `@` or `#` and without wildcards.
pub fn like_pattern(text: &str) -> String {
    format!(
        "%{}%",
        text.trim_start_matches(['@', '#'])
            .replace(['%', '_', '\\'], "")
    )
}

/// What `text` names, if it is a handle or URL: an account, or a status the
/// reader may see.
async fn resolved(
    state: &AppState,
    text: &str,
    fetch: bool,
    me: Option<&Actor>,
) -> AppResult<(Vec<Actor>, Vec<Status>)> {
    Ok(match resolve(state, text, fetch).await? {
        Some(Resolved::Actor(a)) => (vec![*a], vec![]),
        Some(Resolved::Status(s)) if statuses::visible(state, s.id, me).await.is_ok() => {
            (vec![], vec![*s])
        }
        Some(Resolved::Status(_)) | None => (vec![], vec![]),
    })
}
