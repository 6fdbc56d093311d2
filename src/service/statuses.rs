//! The rulebook of what people write: local posts from the APIs and remote objects
//! from the inbox pass through here.

use activitypub_federation::{config::Data, fetch::object_id::ObjectId};

use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::{AppError, AppResult, invalid_field},
    federation::{
        objects::{actor::DbActor, authority, post::DbStatus},
        protocol::post::{ApPost, Tag, is_public},
    },
    model::{
        actor::ActorKind,
        content::{self, MentionRef},
        id::new_id,
    },
    model::{
        format::Format,
        visibility::{CommunityVisibility, Visibility},
    },
    service::{
        events::{self, Event},
        now,
    },
    state::AppState,
};

pub const MAX_TEXT: usize = 5_000;
pub const MAX_MARKDOWN: usize = 50_000;
pub const MAX_TITLE: usize = 200;
/// Remote HTML above this is refused rather than stored.
const MAX_REMOTE_HTML: usize = 200_000;

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

/// Known actors for the mentions of a text (local by name, remote by handle).
async fn resolve_mentions(state: &AppState, text: &str) -> AppResult<Vec<(MentionRef, Actor)>> {
    let refs = content::extract_mentions(text);
    let domain = state.config.domain();
    let mut found = Vec::new();
    for r in refs.into_iter().take(50) {
        let (name, d) = (r.name.clone(), r.domain.clone());
        let local = d.as_deref().is_none_or(|d| domain.matches(d));
        let actor = state
            .db
            .run(move |c| {
                Ok(if local {
                    db::actors::local_by_name(c, &name)?
                } else {
                    db::actors::remote_by_handle(c, &name, d.as_deref().unwrap_or(""))?
                })
            })
            .await?;
        let actor = match (actor, local) {
            (Some(a), _) => Some(a),
            // Unknown remote people are looked up once, by WebFinger; failures leave plain text.
            (None, false) => {
                let handle = format!("{}@{}", r.name, r.domain.clone().unwrap_or_default());
                activitypub_federation::fetch::webfinger::webfinger_resolve_actor::<AppState, DbActor>(&handle, &state.fed())
                    .await
                    .ok()
                    .map(|a| a.row)
            }
            (None, true) => None,
        };
        if let Some(a) = actor.filter(|a| a.kind() != ActorKind::Application) {
            found.push((r, a));
        }
    }
    Ok(found)
}

fn render(text: &str, format: Format, mentions: &[(MentionRef, Actor)], tag_base: &str) -> String {
    let resolver = |m: &MentionRef| {
        mentions
            .iter()
            .find(|(r, _)| r == m)
            .map(|(_, a)| a.url.clone().unwrap_or_else(|| a.ap_id.clone()))
    };
    content::off_executor(|| match format {
        Format::Plain => content::plain_to_html(text, &resolver, tag_base),
        Format::Markdown => content::markdown_to_html(text, &resolver, tag_base),
    })
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

/// A local person writes a post, thread or comment.
pub async fn create(state: &AppState, author: &Actor, new: NewStatus) -> AppResult<Status> {
    if let Some(posted) = posted_with_key(state, author.id, &new.idempotency_key).await? {
        return Ok(posted);
    }
    let text = new.text.trim().to_string();
    super::media::check_for_status(&new.media_ids, new.poll.is_some())?;
    if text.is_empty() && new.media_ids.is_empty() {
        return Err(invalid_field("text", "can't be blank"));
    }
    let max = if new.format == Format::Markdown {
        MAX_MARKDOWN
    } else {
        MAX_TEXT
    };
    if text.chars().count() > max {
        return Err(invalid_field(
            "text",
            format!("is too long (maximum is {max} characters)"),
        ));
    }
    let mut title = new
        .title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    if title
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_TITLE)
    {
        return Err(invalid_field(
            "title",
            format!("is too long (maximum is {MAX_TITLE} characters)"),
        ));
    }
    let viewer = author.clone();
    let parent = match new.in_reply_to_id {
        Some(id) => Some(visible(state, id, Some(&viewer)).await?),
        None => None,
    };
    let mentions = resolve_mentions(state, &text).await?;
    let mut community_id = parent.as_ref().map_or(new.community_id, |p| p.community_id);
    // A post that mentions a community becomes a thread in it (as on Lemmy).
    if community_id.is_none()
        && parent.is_none()
        && let Some((_, group)) = mentions.iter().find(|(_, a)| a.kind() == ActorKind::Group)
    {
        community_id = Some(group.id);
        title = title.or_else(|| Some(thread_title(&text)));
    }
    let author_id = author.id;
    let community = match community_id {
        Some(id) => Some(
            state
                .db
                .run(move |c| {
                    let community = db::actors::by_id(c, id)?;
                    if community.kind() != ActorKind::Group {
                        return Err(AppError::unprocessable(
                            "Validation failed: not a community",
                        ));
                    }
                    check_may_post(c, &community, author_id)?;
                    Ok(community)
                })
                .await?,
        ),
        None => None,
    };
    if community.is_some() && parent.is_none() && title.is_none() {
        return Err(invalid_field("title", "can't be blank for a thread"));
    }
    let tag_base = format!("{}/tags", state.urls.base());
    let html = render(&text, new.format, &mentions, &tag_base);
    let id = new_id();
    let at = now();
    let ap_id = format!("{}/statuses/{id}", state.urls.base());
    let status = Status {
        id,
        url: Some(ap_id.clone()),
        ap_id,
        actor_id: author.id,
        community_id: community.as_ref().map(|c| c.id),
        in_reply_to_id: parent.as_ref().map(|p| p.id),
        thread_root_id: parent.as_ref().map(|p| p.thread_root_id.unwrap_or(p.id)),
        reblog_of_id: None,
        title: if parent.is_some() { None } else { title },
        content: html,
        source: text.clone(),
        source_type: new.format,
        spoiler_text: new.spoiler_text.chars().take(MAX_TITLE).collect(),
        sensitive: new.sensitive || !new.spoiler_text.is_empty(),
        language: new.language.filter(|l| l.len() <= 8),
        visibility: match (&community, &parent) {
            (Some(c), _) => c.reach().into(),
            (None, Some(p)) if p.visibility == Visibility::Direct => Visibility::Direct,
            (None, _) => new.visibility.unwrap_or(Visibility::Public),
        },
        local: true,
        replies_count: 0,
        favourites_count: 0,
        reblogs_count: 0,
        created_at: at,
        updated_at: at,
        edited_at: None,
        deleted_at: None,
        removed: false,
    };
    let mention_ids: Vec<i64> = mentions.iter().map(|(_, a)| a.id).collect();
    let tags = content::extract_hashtags(&text);
    let poll = new.poll.as_ref().map(|p| p.row(id, at)).transpose()?;
    let row = status.clone();
    let created = Event::StatusCreated {
        status_id: status.id,
    };
    let key = new.idempotency_key.clone();
    let media_ids = new.media_ids.clone();
    let written = state
        .db
        .write(move |c| {
            db::statuses::insert(c, &row)?;
            if let Some(key) = &key
                && !db::idempotency::claim(c, row.actor_id, key, row.id, row.created_at)?
            {
                // The same request, sent twice at once: the first one stands.
                return Err(AppError::new(
                    axum::http::StatusCode::CONFLICT,
                    "This Idempotency-Key is being used by another request",
                ));
            }
            if let Some(poll) = &poll {
                db::polls::insert(c, poll)?;
            }
            super::media::attach(c, row.actor_id, row.id, &media_ids)?;
            db::statuses::set_mentions(c, row.id, &mention_ids)?;
            db::statuses::set_tags(c, row.id, &tags, row.created_at)?;
            db::notifications::status_created(c, &row, &mention_ids)?;
            db::conversations::status_created(c, &row, &mention_ids)?;
            events::store(c, &[created])
        })
        .await;
    match written {
        Ok(()) => Ok(status),
        Err(e) if e.status == axum::http::StatusCode::CONFLICT => {
            match posted_with_key(state, author.id, &new.idempotency_key).await? {
                Some(posted) => Ok(posted),
                None => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// The live status this author posted with this `Idempotency-Key` in the last hour.
async fn posted_with_key(
    state: &AppState,
    author_id: i64,
    key: &Option<String>,
) -> AppResult<Option<Status>> {
    let Some(key) = key.clone() else {
        return Ok(None);
    };
    state
        .db
        .run(move |c| {
            let Some(id) = db::idempotency::find(c, author_id, &key, now())? else {
                return Ok(None);
            };
            Ok(db::statuses::by_id(c, id)?.filter(|s| !s.is_gone()))
        })
        .await
}

/// The author edits a status.
/// What an edit changes besides the text.
#[derive(Debug, Default)]
pub struct EditExtras {
    pub title: Option<String>,
    pub spoiler_text: String,
    pub sensitive: bool,
    /// The attachments after the edit, in order (the author's uploads, new or
    /// already on this status); `None`: unchanged.
    pub media_ids: Option<Vec<i64>>,
    /// The poll after the edit (votes reset if its options changed); `None`:
    /// unchanged.
    pub poll: Option<super::polls::NewPoll>,
}

pub async fn edit(
    state: &AppState,
    author: &Actor,
    id: i64,
    text: String,
    extras: EditExtras,
) -> AppResult<Status> {
    let EditExtras {
        title,
        spoiler_text,
        sensitive,
        media_ids,
        poll,
    } = extras;
    let current = visible(state, id, Some(author)).await?;
    if current.actor_id != author.id {
        return Err(AppError::forbidden("Only the author can edit this"));
    }
    let (has_poll, media_count) = state
        .db
        .run(move |c| {
            Ok((
                db::polls::by_status(c, id)?.is_some(),
                db::media::by_status_ids(c, &[id])?.len(),
            ))
        })
        .await?;
    let files_after = media_ids.as_ref().map_or(media_count, Vec::len);
    let poll_row = match &poll {
        Some(p) => Some(p.row(id, now())?),
        None => None,
    };
    if let Some(ids) = &media_ids {
        super::media::check_for_status(ids, has_poll || poll_row.is_some())?;
    } else if poll_row.is_some() && files_after > 0 {
        return Err(invalid_field(
            "poll",
            "a status with files cannot have a poll",
        ));
    }
    let text = text.trim().to_string();
    if text.is_empty() && files_after == 0 {
        return Err(invalid_field("text", "can't be blank"));
    }
    let format = current.source_type;
    let max = if format == Format::Markdown {
        MAX_MARKDOWN
    } else {
        MAX_TEXT
    };
    if text.chars().count() > max {
        return Err(invalid_field(
            "text",
            format!("is too long (maximum is {max} characters)"),
        ));
    }
    let title = match (current.title.clone(), title) {
        (Some(_), Some(t)) if !t.trim().is_empty() => {
            Some(t.trim().chars().take(MAX_TITLE).collect())
        }
        (old, _) => old,
    };
    let mentions = resolve_mentions(state, &text).await?;
    let html = render(
        &text,
        format,
        &mentions,
        &format!("{}/tags", state.urls.base()),
    );
    let mention_ids: Vec<i64> = mentions.iter().map(|(_, a)| a.id).collect();
    let tags = content::extract_hashtags(&text);
    let author_id = author.id;
    let updated = state
        .db
        .write(move |c| {
            let at = now();
            let edit = db::statuses::Edit {
                title: title.as_deref(),
                content: &html,
                source: &text,
                spoiler_text: &spoiler_text,
                sensitive,
                at,
            };
            if let Some(ids) = &media_ids {
                // Those left out go back to the author's uploads (swept later).
                db::media::detach(c, id)?;
                super::media::attach(c, author_id, id, ids)?;
            }
            if let Some(p) = &poll_row {
                db::polls::replace(c, p)?;
            }
            db::statuses::update_content(c, id, &edit)?;
            db::statuses::set_mentions(c, id, &mention_ids)?;
            db::statuses::set_tags(c, id, &tags, at)?;
            events::store(c, &[Event::StatusUpdated { status_id: id }])?;
            db::statuses::by_id(c, id)?.ok_or_else(AppError::not_found)
        })
        .await?;
    Ok(updated)
}

/// Whether `actor` moderates `community_id` (owner or moderator).
fn moderates(conn: &mut db::DbConn, community_id: Option<i64>, actor_id: i64) -> AppResult<bool> {
    Ok(match community_id {
        Some(c) => db::communities::role(conn, c, actor_id)?.is_some(),
        None => false,
    })
}

/// The author deletes, or a moderator of its community removes, a status.
pub async fn delete(state: &AppState, actor: &Actor, id: i64) -> AppResult<Status> {
    let s = visible(state, id, Some(actor)).await?;
    let actor_id = actor.id;
    let row = s.clone();
    state
        .db
        .write(move |c| {
            let by_author = row.actor_id == actor_id;
            if !by_author && !moderates(c, row.community_id, actor_id)? {
                return Err(AppError::forbidden(
                    "Only the author or a moderator can delete this",
                ));
            }
            db::statuses::mark_deleted(c, row.id, !by_author, now())?;
            if by_author {
                db::media::detach(c, row.id)?;
            }
            events::store(
                c,
                &[Event::StatusDeleted {
                    status_id: row.id,
                    by: actor_id,
                }],
            )
        })
        .await?;
    Ok(s)
}

/// A remote `Delete`: by the author, or by a moderator of the status's community.
pub async fn delete_remote(
    state: &AppState,
    actor: &Actor,
    ap_id: &str,
) -> AppResult<Option<Status>> {
    let (ap_id, actor_id) = (ap_id.to_string(), actor.id);
    state
        .db
        .write(move |c| {
            let Some(s) = db::statuses::by_ap_id(c, &ap_id)? else {
                return Ok(None);
            };
            let by_author = s.actor_id == actor_id;
            if !by_author && !moderates(c, s.community_id, actor_id)? {
                return Err(AppError::forbidden(
                    "Only the author or a moderator can delete this",
                ));
            }
            db::statuses::mark_deleted(c, s.id, !by_author, now())?;
            Ok(Some(s))
        })
        .await
}

pub async fn favourite(state: &AppState, actor: &Actor, id: i64) -> AppResult<Status> {
    let s = visible(state, id, Some(actor)).await?;
    let (actor_id, aid) = (actor.id, state.urls.new_activity("like").to_string());
    state
        .db
        .write(move |c| {
            let added = db::statuses::add_favourite(c, actor_id, id, Some(&aid), now())?;
            if added {
                db::notifications::favourited(c, actor_id, id, now())?;
                events::store(
                    c,
                    &[Event::Liked {
                        actor_id,
                        status_id: id,
                        activity_id: aid,
                    }],
                )?;
            }
            Ok(())
        })
        .await?;
    visible(state, s.id, Some(actor)).await
}

pub async fn unfavourite(state: &AppState, actor: &Actor, id: i64) -> AppResult<Status> {
    visible(state, id, Some(actor)).await?;
    let actor_id = actor.id;
    state
        .db
        .write(move |c| {
            let removed = db::statuses::remove_favourite(c, actor_id, id)?;
            if let Some(Some(activity_id)) = &removed {
                let activity_id = activity_id.clone();
                events::store(
                    c,
                    &[Event::Unliked {
                        actor_id,
                        status_id: id,
                        activity_id,
                    }],
                )?;
            }
            Ok(())
        })
        .await?;
    visible(state, id, Some(actor)).await
}

/// A remote `Like`; false when it was already counted.
pub async fn favourite_remote(
    state: &AppState,
    actor: &Actor,
    status: &Status,
    activity_id: &str,
) -> AppResult<bool> {
    remote_may_see(state, actor, status).await?;
    let (actor_id, id, aid) = (actor.id, status.id, activity_id.to_string());
    state
        .db
        .write(move |c| {
            let added = db::statuses::add_favourite(c, actor_id, id, Some(&aid), now())?;
            if added {
                db::notifications::favourited(c, actor_id, id, now())?;
            }
            Ok(added)
        })
        .await
}

/// A remote actor acting on `status` must be able to see it: the rule of reads
/// (follower of a followers-only author, member of a members community,
/// addressee of a direct status), and for a partners community, a server within
/// its reach (as for signed fetches). 403 otherwise.
async fn remote_may_see(state: &AppState, actor: &Actor, status: &Status) -> AppResult<()> {
    let (reader, s) = (actor.clone(), status.clone());
    let seen = state
        .db
        .run(move |c| Ok(db::visibility::can_see(c, &s, Some(&reader))?))
        .await?;
    let partner = !status.is_gone()
        && status.visibility == Visibility::Partners
        && crate::federation::signed_fetch::authorize(
            state,
            &crate::federation::signed_fetch::Fetcher::Server(actor.domain.clone()),
            crate::federation::signed_fetch::Audience::Status(status),
        )
        .await
        .is_ok();
    if seen || partner {
        Ok(())
    } else {
        Err(AppError::forbidden("This status is not addressed to you"))
    }
}

pub async fn unfavourite_remote(state: &AppState, actor: &Actor, status: &Status) -> AppResult<()> {
    let (actor_id, id) = (actor.id, status.id);
    state
        .db
        .write(move |c| Ok(db::statuses::remove_favourite(c, actor_id, id).map(|_| ())?))
        .await
}

/// Where a remote object belongs: its `audience`, a group among its addressees, or
/// a local group it mentions (Mastodon users posting to a community).
async fn community_of(
    data: &Data<AppState>,
    post: &ApPost,
    parent: Option<&Status>,
) -> AppResult<Option<Actor>> {
    if let Some(p) = parent {
        let id = p.community_id;
        return data
            .db
            .run(move |c| Ok(id.map(|i| db::actors::by_id(c, i)).transpose()?))
            .await;
    }
    for url in community_candidates(post) {
        let id = url.to_string();
        let known = data
            .db
            .run(move |c| Ok(db::actors::by_ap_id(c, &id)?))
            .await?;
        let actor = match known {
            Some(a) => Some(a),
            None if post.audience.as_ref() == Some(&url) => ObjectId::<DbActor>::from(url.clone())
                .dereference(data)
                .await
                .ok()
                .map(|a| a.row),
            None => None,
        };
        if let Some(a) = actor.filter(|a| a.kind() == ActorKind::Group) {
            return Ok(Some(a));
        }
    }
    Ok(None)
}

/// A remote post in one of our communities must be addressed as the community
/// addresses its own content: only a public community's posts may go to Public.
fn check_addressing(post: &ApPost, community: &Actor) -> AppResult<()> {
    if community.reach() != CommunityVisibility::Public
        && post.to.iter().chain(&post.cc).any(is_public)
    {
        return Err(AppError::forbidden(format!(
            "Posts in a {} community may not be addressed to Public",
            community.visibility
        )));
    }
    Ok(())
}

/// Where a remote post may say its community is: audience, addressees, mentions.
fn community_candidates(post: &ApPost) -> Vec<url::Url> {
    let mut candidates: Vec<url::Url> = post.audience.iter().cloned().collect();
    candidates.extend(post.addressees().filter(|u| !is_public(u)).cloned());
    candidates.extend(post.tag.iter().filter_map(|t| match t {
        Tag::Mention { href, .. } => Some(href.clone()),
        _ => None,
    }));
    candidates
}

/// The checks on a remote post that need nothing fetched, run by the inbox before
/// it answers, so a post refused for size, membership or a ban gets its 4xx there
/// (`accept_remote` checks again when the post is applied).
pub async fn precheck_remote(data: &Data<AppState>, post: &ApPost) -> AppResult<()> {
    if post.content.len() > MAX_REMOTE_HTML
        || post.name.as_ref().is_some_and(|n| n.len() > 4 * MAX_TITLE)
    {
        return Err(AppError::payload_too_large());
    }
    let parent = post.in_reply_to.as_ref().map(|u| u.to_string());
    let candidates: Vec<String> = community_candidates(post)
        .iter()
        .map(|u| u.to_string())
        .collect();
    let author = post.attributed_to.to_string();
    let post = post.clone();
    data.db
        .run(move |c| {
            let community = match parent {
                Some(p) => match db::statuses::by_ap_id(c, &p)? {
                    Some(s) => s
                        .community_id
                        .map(|i| db::actors::by_id(c, i))
                        .transpose()?,
                    // An unknown parent is fetched later; the post is checked then.
                    None => return Ok(()),
                },
                None => {
                    let mut found = None;
                    for url in &candidates {
                        if let Some(a) = db::actors::by_ap_id(c, url)?
                            && a.kind() == ActorKind::Group
                        {
                            found = Some(a);
                            break;
                        }
                    }
                    found
                }
            };
            let Some(community) = community.filter(|c| c.local) else {
                return Ok(());
            };
            if !community.federates() {
                return Err(AppError::not_found());
            }
            check_addressing(&post, &community)?;
            match db::actors::by_ap_id(c, &author)? {
                Some(a) => check_may_post(c, &community, a.id),
                None => Err(AppError::forbidden("Join the community to post in it")),
            }
        })
        .await
}

fn remote_visibility(post: &ApPost, community: Option<&Actor>) -> Visibility {
    if let Some(c) = community {
        return c.reach().into();
    }
    if post.to.iter().any(is_public) {
        Visibility::Public
    } else if post.cc.iter().any(is_public) {
        Visibility::Unlisted
    } else if post.addressees().any(|u| u.path().ends_with("/followers")) {
        Visibility::Private
    } else {
        Visibility::Direct
    }
}

/// A remote `Page`/`Note`: stored (or updated) through the same rules as local posts.
pub async fn accept_remote(data: &Data<AppState>, mut post: ApPost) -> AppResult<Status> {
    // NULs: PostgreSQL refuses them in text, and no reader misses them.
    let no_nul = |s: &mut String| s.retain(|c| c != '\0');
    post.name.iter_mut().for_each(no_nul);
    post.summary.iter_mut().for_each(no_nul);
    post.source.iter_mut().for_each(|s| no_nul(&mut s.content));
    if post.content.len() > MAX_REMOTE_HTML
        || post.name.as_ref().is_some_and(|n| n.len() > 4 * MAX_TITLE)
    {
        return Err(AppError::payload_too_large());
    }
    let author = ObjectId::<DbActor>::from(post.attributed_to.clone())
        .dereference(data)
        .await?
        .row;
    let ap_id = post.id.to_string();
    let existing = {
        let id = ap_id.clone();
        data.db
            .run(move |c| Ok(db::statuses::by_ap_id(c, &id)?))
            .await?
    };
    let html = content::off_executor(|| content::sanitize(&post.content));
    let source = post
        .source
        .as_ref()
        .map(|s| s.content.clone())
        .unwrap_or_else(|| content::html_to_plain(&html));
    let source_type = post
        .source
        .as_ref()
        .and_then(|s| Format::from_mime(&s.media_type))
        .unwrap_or_default();
    if let Some(current) = existing {
        if current.actor_id != author.id {
            return Err(AppError::forbidden("Only the author can edit this"));
        }
        let title = current
            .title
            .as_ref()
            .and(post.name.clone())
            .map(|t| t.chars().take(MAX_TITLE).collect::<String>());
        let spoiler = post.summary.clone().unwrap_or_default();
        let sensitive = post.sensitive.unwrap_or(false);
        let id = current.id;
        let poll = super::polls::from_remote(&post, id);
        let media = super::media::from_remote(&post.attachment, author.id, id);
        // A poll's new results come as an Update of the unchanged text: not an edit.
        let edited = html != current.content
            || title != current.title
            || spoiler != current.spoiler_text
            || sensitive != current.sensitive;
        return data
            .db
            .write(move |c| {
                let edit = db::statuses::Edit {
                    title: title.as_deref(),
                    content: &html,
                    source: &source,
                    spoiler_text: &spoiler,
                    sensitive,
                    at: now(),
                };
                if edited {
                    db::statuses::update_content(c, id, &edit)?;
                }
                if let Some(p) = &poll {
                    // New results: the counts as the author's server sees them.
                    db::polls::set_remote_results(c, p)?;
                }
                let current = db::media::by_status_ids(c, &[id])?;
                let same = |a: &db::media::Media, b: &db::media::Media| {
                    (&a.remote_url, &a.description) == (&b.remote_url, &b.description)
                };
                if current.len() != media.len()
                    || !current.iter().zip(&media).all(|(a, b)| same(a, b))
                {
                    db::media::replace_remote(c, id, &media)?;
                }
                db::statuses::by_id(c, id)?.ok_or_else(AppError::not_found)
            })
            .await;
    }
    let parent = match &post.in_reply_to {
        Some(url) => Some(
            ObjectId::<DbStatus>::from(url.clone())
                .dereference(data)
                .await?
                .row,
        ),
        None => None,
    };
    let community = community_of(data, &post, parent.as_ref()).await?;
    if let Some(c) = community.as_ref().filter(|c| c.local) {
        if !c.federates() {
            return Err(AppError::not_found());
        }
        check_addressing(&post, c)?;
        let (cc, aid) = (c.clone(), author.id);
        data.db
            .run(move |conn| check_may_post(conn, &cc, aid))
            .await?;
    }
    let mut title = post
        .name
        .clone()
        .map(|t| t.chars().take(MAX_TITLE).collect::<String>());
    if community.is_some() && parent.is_none() && title.is_none() {
        title = Some(thread_title(&content::html_to_plain(&html)));
    }
    let mention_urls: Vec<String> = post
        .tag
        .iter()
        .filter_map(|t| match t {
            Tag::Mention { href, .. } => Some(href.to_string()),
            _ => None,
        })
        .collect();
    let tags: Vec<String> = post
        .tag
        .iter()
        .filter_map(|t| match t {
            Tag::Hashtag { name, .. } => Some(name.trim_start_matches('#').to_lowercase()),
            _ => None,
        })
        .filter(|t| !t.is_empty() && t.len() <= 100)
        .take(50)
        .collect();
    let at = now();
    let status = Status {
        id: new_id(),
        url: post
            .url
            .as_ref()
            .and_then(|u| u.as_str())
            // Shown as a link in apps: http(s) only, else the object's id.
            .and_then(crate::federation::protocol::web_url)
            .or(Some(ap_id.clone())),
        ap_id,
        actor_id: author.id,
        community_id: community.as_ref().map(|c| c.id),
        in_reply_to_id: parent.as_ref().map(|p| p.id),
        thread_root_id: parent.as_ref().map(|p| p.thread_root_id.unwrap_or(p.id)),
        reblog_of_id: None,
        title: if parent.is_some() { None } else { title },
        content: html,
        source,
        source_type,
        spoiler_text: post
            .summary
            .clone()
            .unwrap_or_default()
            .chars()
            .take(MAX_TITLE)
            .collect(),
        sensitive: post.sensitive.unwrap_or(false),
        language: None,
        visibility: remote_visibility(&post, community.as_ref()),
        local: false,
        replies_count: 0,
        favourites_count: 0,
        reblogs_count: 0,
        created_at: post
            .published
            .map(|p| p.naive_utc())
            .filter(|p| *p < at)
            .unwrap_or(at),
        updated_at: at,
        edited_at: post.updated.map(|u| u.naive_utc()),
        deleted_at: None,
        removed: false,
    };
    let row = status.clone();
    let domain = authority(&post.id);
    let poll = super::polls::from_remote(&post, status.id);
    let media = super::media::from_remote(&post.attachment, author.id, status.id);
    let addressees: Vec<String> = post.addressees().map(url::Url::to_string).collect();
    data.db
        .write(move |c| {
            db::statuses::insert(c, &row)?;
            if let Some(p) = &poll {
                db::polls::insert(c, p)?;
            }
            db::media::insert(c, &media)?;
            let mut ids = Vec::new();
            // A direct status is for the people it mentions and those it is addressed to.
            let addressed = (row.visibility == Visibility::Direct).then_some(&addressees);
            for url in mention_urls
                .iter()
                .chain(addressed.into_iter().flatten())
                .take(50)
            {
                if let Some(a) = db::actors::by_ap_id(c, url)?
                    && !ids.contains(&a.id)
                {
                    ids.push(a.id);
                }
            }
            db::statuses::set_mentions(c, row.id, &ids)?;
            db::statuses::set_tags(c, row.id, &tags, row.created_at)?;
            db::notifications::status_created(c, &row, &ids)?;
            db::conversations::status_created(c, &row, &ids)?;
            Ok(())
        })
        .await?;
    tracing::debug!(status = %status.ap_id, from = %domain, "remote status stored");
    Ok(status)
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
