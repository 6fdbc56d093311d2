//! A local person writes a post, thread or comment.

use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::{AppError, AppResult, invalid_field},
    federation::objects::actor::DbActor,
    model::{
        actor::ActorKind,
        content::{self, MentionRef},
        id::new_id,
    },
    model::{format::Format, visibility::Visibility},
    service::now,
    state::AppState,
};

use super::write::{self, Files, NewRow};
use super::{MAX_TITLE, NewStatus, check_length, check_may_post, thread_title, visible};

/// Known actors for the mentions of a text (local by name, remote by handle).
pub(super) async fn resolve_mentions(
    state: &AppState,
    text: &str,
) -> AppResult<Vec<(MentionRef, Actor)>> {
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

pub(super) fn render(
    text: &str,
    format: Format,
    mentions: &[(MentionRef, Actor)],
    tag_base: &str,
) -> String {
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

/// Where a new status goes: under its parent, in its community, with its title.
struct Placed {
    parent: Option<Status>,
    community: Option<Actor>,
    title: Option<String>,
}

/// A local person writes a post, thread or comment.
pub async fn create(state: &AppState, author: &Actor, new: NewStatus) -> AppResult<Status> {
    if let Some(posted) = posted_with_key(state, author.id, &new.idempotency_key).await? {
        return Ok(posted);
    }
    let text = new.text.trim().to_string();
    crate::service::media::check_for_status(&new.media_ids, new.poll.is_some())?;
    if text.is_empty() && new.media_ids.is_empty() && new.document.is_none() {
        return Err(invalid_field("text", "can't be blank"));
    }
    check_length(&text, new.format)?;
    let mentions = resolve_mentions(state, &text).await?;
    let placed = place(state, author, &new, &text, &mentions).await?;
    let tag_base = format!("{}/tags", state.urls.base());
    let html = render(&text, new.format, &mentions, &tag_base);
    let status = row(state, author, &new, (text, html), placed);
    let mention_ids: Vec<i64> = mentions.iter().map(|(_, a)| a.id).collect();
    let tags = content::extract_hashtags(&status.source);
    let poll = new.poll.as_ref();
    let poll = poll
        .map(|p| p.row(status.id, status.created_at))
        .transpose()?;
    let event = match &new.event {
        Some(_) if status.title.is_none() => {
            return Err(invalid_field("title", "can't be blank for an event"));
        }
        Some(e) => Some(e.row(status.id, &state.config.instance.time_zone)?),
        None => None,
    };
    let survey = match &new.survey {
        Some(_) if status.title.is_none() => {
            return Err(invalid_field("title", "can't be blank for a survey"));
        }
        Some(s) => Some(s.rows(
            status.id,
            status.created_at,
            &state.config.instance.time_zone,
        )?),
        None => None,
    };
    let (row, key) = (status.clone(), new.idempotency_key.clone());
    let media_ids = new.media_ids.clone();
    let document = new.document.clone();
    if document.is_some() && (status.community_id.is_none() || status.in_reply_to_id.is_some()) {
        return Err(invalid_field(
            "community_id",
            "a document is a thread of a community",
        ));
    }
    let written = state
        .db
        .write(move |c| {
            let new = NewRow {
                status: &row,
                poll: poll.as_ref(),
                event: event.as_ref(),
                survey: survey.as_ref(),
                document: document.as_ref(),
                files: Files::Uploads(media_ids),
                mentions: &mention_ids,
                tags: &tags,
                idempotency_key: key.as_deref(),
            };
            write::insert(c, new)
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

/// The parent (which the author must see), the community (where the author must
/// be allowed to post) and the title (a thread needs one).
async fn place(
    state: &AppState,
    author: &Actor,
    new: &NewStatus,
    text: &str,
    mentions: &[(MentionRef, Actor)],
) -> AppResult<Placed> {
    let mut title = new
        .title
        .as_ref()
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
    let parent = match new.in_reply_to_id {
        Some(id) => Some(visible(state, id, Some(author)).await?),
        None => None,
    };
    let mut community_id = parent.as_ref().map_or(new.community_id, |p| p.community_id);
    // A post that mentions a community becomes a thread in it (as on Lemmy).
    if community_id.is_none()
        && parent.is_none()
        && let Some((_, group)) = mentions.iter().find(|(_, a)| a.kind() == ActorKind::Group)
    {
        community_id = Some(group.id);
        title = title.or_else(|| Some(thread_title(text)));
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
    Ok(Placed {
        parent,
        community,
        title,
    })
}

/// The row of a new local status; its visibility is its community's, or a direct
/// conversation's, or the one asked for.
fn row(
    state: &AppState,
    author: &Actor,
    new: &NewStatus,
    (text, html): (String, String),
    placed: Placed,
) -> Status {
    let Placed {
        parent,
        community,
        title,
    } = placed;
    let (id, at) = (new_id(), now());
    let ap_id = format!("{}/statuses/{id}", state.urls.base());
    Status {
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
        source: text,
        source_type: new.format,
        spoiler_text: new.spoiler_text.chars().take(MAX_TITLE).collect(),
        sensitive: new.sensitive || !new.spoiler_text.is_empty(),
        language: new.language.clone().filter(|l| l.len() <= 8),
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
