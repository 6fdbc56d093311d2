//! Direct conversations, for each local person in them: the list (by newest
//! status, with the others in each), one conversation's messages (reading it
//! marks it read), replying in it and starting one. The client API and the web
//! pages both go through here, so who is in a conversation is decided once.

use std::collections::HashMap;

use crate::{
    db::{
        self,
        actors::{Actor, Counts},
        conversations::Conversation,
        statuses::Status,
        views::{Page, StatusView},
    },
    error::{AppError, AppResult, invalid_field},
    model::{actor::ActorKind, content, format::Format, visibility::Visibility},
    service::{
        people, reading,
        resolve::{self, Resolved},
        statuses::{self, NewStatus, can_see},
    },
    state::AppState,
};

/// The most messages a conversation page loads.
const MESSAGES_LIMIT: i64 = 500;
/// The most people a new message may be addressed to.
const MAX_RECIPIENTS: usize = 20;

/// A conversation as its reader sees it.
pub struct ConversationView {
    pub conversation: Conversation,
    /// Its newest status.
    pub last: StatusView,
    /// The others in it: the newest status's author and those it mentions,
    /// without the reader.
    pub others: Vec<(Actor, Counts)>,
}

impl ConversationView {
    /// How to address each of the others in a text (`@name`, `@name@domain`).
    pub fn mentions(&self) -> Vec<String> {
        self.others.iter().map(|(a, _)| mention_of(a)).collect()
    }
}

fn mention_of(a: &Actor) -> String {
    if a.local {
        format!("@{}", a.name)
    } else {
        format!("@{}@{}", a.name, a.domain)
    }
}

/// Views of `me`'s conversations `rows`, in order; those whose newest status
/// cannot be loaded are left out.
pub async fn views(
    state: &AppState,
    me: &Actor,
    rows: Vec<Conversation>,
) -> AppResult<Vec<ConversationView>> {
    let me_id = me.id;
    state
        .db
        .run(move |c| {
            let ids: Vec<i64> = rows.iter().map(|r| r.last_status_id).collect();
            let statuses = db::statuses::by_ids(c, &ids)?;
            let mut views: HashMap<i64, StatusView> = db::views::load(c, statuses, Some(me_id))?
                .into_iter()
                .map(|v| (v.status.id, v))
                .collect();
            let people: Vec<i64> = views
                .values()
                .flat_map(|v| v.mentions.iter().map(|a| a.id))
                .collect();
            let counts = db::actors::counts_of(c, &people)?;
            Ok(rows
                .into_iter()
                .filter_map(|conversation| {
                    let last = views.remove(&conversation.last_status_id)?;
                    let others = others(me_id, &last, &counts);
                    Some(ConversationView {
                        conversation,
                        last,
                        others,
                    })
                })
                .collect())
        })
        .await
}

/// The author and the people mentioned, each once, without the reader.
fn others(me_id: i64, v: &StatusView, counts: &HashMap<i64, Counts>) -> Vec<(Actor, Counts)> {
    let mut seen = vec![me_id];
    let mut out = Vec::new();
    let people = std::iter::once((&v.author, v.author_counts)).chain(
        v.mentions
            .iter()
            .map(|a| (a, counts.get(&a.id).copied().unwrap_or_default())),
    );
    for (a, n) in people {
        if !seen.contains(&a.id) {
            seen.push(a.id);
            out.push((a.clone(), n));
        }
    }
    out
}

/// A page of `me`'s conversations, by newest status.
pub async fn page(state: &AppState, me: &Actor, page: Page) -> AppResult<Vec<ConversationView>> {
    let me_id = me.id;
    let rows = state
        .db
        .run(move |c| Ok(db::conversations::page(c, me_id, page)?))
        .await?;
    views(state, me, rows).await
}

/// One of `me`'s conversations; 404 for anyone not in it.
async fn one(state: &AppState, me: &Actor, id: i64) -> AppResult<ConversationView> {
    let me_id = me.id;
    let row = state
        .db
        .run(move |c| db::conversations::by_id(c, me_id, id)?.ok_or_else(AppError::not_found))
        .await?;
    views(state, me, vec![row])
        .await?
        .pop()
        .ok_or_else(AppError::not_found)
}

/// `me` has read the conversation.
pub async fn mark_read(state: &AppState, me: &Actor, id: i64) -> AppResult<ConversationView> {
    let me_id = me.id;
    state
        .db
        .write(move |c| Ok(db::conversations::mark_read(c, me_id, id)?))
        .await?;
    one(state, me, id).await
}

/// `me` leaves the conversation out of their list (until a new message).
pub async fn remove(state: &AppState, me: &Actor, id: i64) -> AppResult<()> {
    let me_id = me.id;
    let removed = state
        .db
        .write(move |c| Ok(db::conversations::remove(c, me_id, id)?))
        .await?;
    if removed == 0 {
        return Err(AppError::not_found());
    }
    Ok(())
}

/// A conversation, marked read, and its direct messages `me` may read (deleted
/// ones are not), oldest first; a direct reply to a public post does not bring
/// the public thread with it.
pub async fn open(
    state: &AppState,
    me: &Actor,
    id: i64,
) -> AppResult<(ConversationView, Vec<StatusView>)> {
    let view = mark_read(state, me, id).await?;
    let (root, who) = (view.conversation.root_status_id, me.clone());
    let rows = state
        .db
        .run(move |c| {
            let mut out = Vec::new();
            for s in db::views::thread(c, root, MESSAGES_LIMIT)? {
                if s.visibility == Visibility::Direct && can_see(c, &s, Some(&who))? {
                    out.push(s);
                }
            }
            out.sort_by_key(|s| s.id);
            Ok(out)
        })
        .await?;
    let messages = reading::views(state, rows, Some(me)).await?;
    Ok((view, messages))
}

/// A direct status: `text` addressed to `to` (those it does not mention yet).
fn direct(to: &[String], text: &str) -> NewStatus {
    let named = content::extract_mentions(text);
    let missing: Vec<&str> = to
        .iter()
        .filter(|m| {
            let handle = crate::model::name::Handle::parse(m);
            !named.iter().any(|n| {
                handle
                    .as_ref()
                    .is_some_and(|h| h.name == n.name && h.domain == n.domain)
            })
        })
        .map(String::as_str)
        .collect();
    let text = if missing.is_empty() || text.trim().is_empty() {
        text.to_string()
    } else {
        format!("{} {text}", missing.join(" "))
    };
    NewStatus {
        community_id: None,
        in_reply_to_id: None,
        title: None,
        text,
        format: Format::Plain,
        spoiler_text: String::new(),
        sensitive: false,
        language: None,
        visibility: Some(Visibility::Direct),
        idempotency_key: None,
        poll: None,
        event: None,
        survey: None,
        document: None,
        media_ids: vec![],
    }
}

/// `me` answers in a conversation: a direct status to the same people, in
/// reply to its newest status.
pub async fn reply(state: &AppState, me: &Actor, id: i64, text: &str) -> AppResult<Status> {
    let view = one(state, me, id).await?;
    let mut new = direct(&view.mentions(), text);
    new.in_reply_to_id = Some(view.conversation.last_status_id);
    statuses::create(state, me, new).await
}

/// `me` writes to people named in `recipients` (`@name` or `@name@server`,
/// separated by spaces or commas); the new conversation's id.
pub async fn start(state: &AppState, me: &Actor, recipients: &str, text: &str) -> AppResult<i64> {
    let to = recipients_of(state, me, recipients).await?;
    let status = statuses::create(state, me, direct(&to, text)).await?;
    let (me_id, root) = (me.id, status.thread_root_id.unwrap_or(status.id));
    state
        .db
        .run(move |c| db::conversations::of_root(c, me_id, root)?.ok_or_else(AppError::not_found))
        .await
}

/// The people named, each known here (or found on their server); the first
/// unknown one is refused rather than the message silently going to fewer.
async fn recipients_of(state: &AppState, me: &Actor, raw: &str) -> AppResult<Vec<String>> {
    let names: Vec<&str> = raw
        .split([' ', ',', ';', '\n', '\r', '\t'])
        .filter(|n| !n.trim_start_matches('@').is_empty())
        .collect();
    if names.is_empty() {
        return Err(invalid_field("recipients", "can't be blank"));
    }
    if names.len() > MAX_RECIPIENTS {
        return Err(invalid_field(
            "recipients",
            format!("at most {MAX_RECIPIENTS}"),
        ));
    }
    let mut to = Vec::new();
    for name in names {
        let who = person(state, name)
            .await?
            .filter(|a| a.id != me.id)
            .ok_or_else(|| AppError::unprocessable(format!("Nobody is known as {name} here")))?;
        let mention = mention_of(&who);
        if !to.contains(&mention) {
            to.push(mention);
        }
    }
    Ok(to)
}

/// A person by handle: known here, else looked up on their server.
async fn person(state: &AppState, handle: &str) -> AppResult<Option<Actor>> {
    match people::by_handle(state, handle).await {
        Ok(a) => return Ok(Some(a)),
        Err(e) if e.status != axum::http::StatusCode::NOT_FOUND => return Err(e),
        Err(_) => {}
    }
    if !handle.trim_start_matches('@').contains('@') {
        return Ok(None);
    }
    Ok(match resolve::resolve(state, handle, true).await? {
        Some(Resolved::Actor(a)) if a.kind() == ActorKind::Person && a.suspended_at.is_none() => {
            Some(*a)
        }
        _ => None,
    })
}
