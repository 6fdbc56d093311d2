//! The rulebook of what people write: local posts from the APIs and remote objects
//! from the inbox pass through here.

use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::{AppError, AppResult, invalid_field},
    model::content::{self},
    model::{format::Format, visibility::Visibility},
    state::AppState,
};

mod create;
mod delete;
mod edit;
mod favourite;
mod place;
mod remote;
mod remote_post;
mod restore;
mod write;

pub use create::create;
pub use delete::{delete, delete_remote};
pub use edit::{EditExtras, edit, editable};
pub use favourite::{favourite, favourite_remote, unfavourite, unfavourite_remote};
pub use place::precheck_remote;
pub use remote::accept_remote;
pub use remote_post::RemotePost;
pub use restore::{removed, restore, restore_remote};

pub const MAX_TEXT: usize = 5_000;
pub const MAX_MARKDOWN: usize = 50_000;
pub const MAX_TITLE: usize = 200;
/// Remote HTML above this is refused rather than stored.
pub(crate) const MAX_REMOTE_HTML: usize = 200_000;

pub struct NewStatus {
    pub community_id: Option<i64>,
    pub in_reply_to_id: Option<i64>,
    pub title: Option<String>,
    pub text: String,
    pub format: Format,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub language: Option<String>,
    /// Mastodon visibility for posts outside communities.
    pub visibility: Option<Visibility>,
    /// The client's `Idempotency-Key`: a retry returns the status already posted.
    pub idempotency_key: Option<String>,
    pub poll: Option<super::polls::NewPoll>,
    /// A date, place and capacity: the status is an event (it needs a title).
    pub event: Option<super::agenda::NewEvent>,
    /// Questions and settings: the status is a survey (it needs a title).
    pub survey: Option<super::surveys::NewSurvey>,
    /// A file and its place in the library: the status is a document (in a community).
    pub document: Option<super::library::changes::DocumentRows>,
    /// Uploads of the author to attach, in order.
    pub media_ids: Vec<i64>,
}

/// The title of a thread made from a post: its first line, without the leading
/// mentions that addressed it to the community.
pub fn thread_title(text: &str) -> String {
    let mut rest = text.trim_start();
    while rest.starts_with('@') {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        rest = rest[end..].trim_start();
    }
    let title = content::first_line(rest, MAX_TITLE);
    if title.is_empty() {
        content::first_line(text, MAX_TITLE)
    } else {
        title
    }
}

/// Whether `viewer` (a local actor, or anonymous) may see `s` (the rule is in
/// `db::visibility`, shared with notifications).
pub fn can_see(conn: &mut db::DbConn, s: &Status, viewer: Option<&Actor>) -> AppResult<bool> {
    Ok(db::visibility::can_see(conn, s, viewer)?)
}

/// A status the viewer may see, or 404 (never 403: existence is not revealed).
pub async fn visible(state: &AppState, id: i64, viewer: Option<&Actor>) -> AppResult<Status> {
    let viewer = viewer.cloned();
    state
        .db
        .run(move |c| {
            let s = db::statuses::by_id(c, id)?.ok_or_else(AppError::not_found)?;
            // Someone who blocked the reader is not seen by them (as in Mastodon),
            // nor is a suspended account by anyone.
            let blocked = match &viewer {
                Some(v) if v.id != s.actor_id => {
                    db::blocks::find_block(c, s.actor_id, v.id)?.is_some()
                }
                _ => false,
            } || db::actors::by_id(c, s.actor_id)?.suspended_at.is_some();
            if !blocked && can_see(c, &s, viewer.as_ref())? {
                Ok(s)
            } else {
                Err(AppError::not_found())
            }
        })
        .await
}

/// The longest text a person may write in `format` (Markdown threads run longer).
pub(super) fn check_length(text: &str, format: Format) -> AppResult<()> {
    let max = match format {
        Format::Markdown => MAX_MARKDOWN,
        Format::Plain => MAX_TEXT,
    };
    if text.chars().count() > max {
        return Err(invalid_field(
            "text",
            format!("is too long (maximum is {max} characters)"),
        ));
    }
    Ok(())
}

/// May `actor` post in `community`? Members only, and never banned ones.
pub fn check_may_post(conn: &mut db::DbConn, community: &Actor, actor_id: i64) -> AppResult<()> {
    if db::communities::is_banned(conn, community.id, actor_id)? {
        return Err(AppError::forbidden("You are banned from this community"));
    }
    if !db::follows::is_accepted(conn, actor_id, community.id)? {
        return Err(AppError::forbidden("Join the community to post in it"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn thread_titles_skip_leading_mentions() {
        assert_eq!(
            super::thread_title("@devs@a.example  Standup at 10\nmore"),
            "Standup at 10"
        );
        assert_eq!(super::thread_title("Plain title"), "Plain title");
        assert_eq!(super::thread_title("@devs"), "@devs");
    }
}
