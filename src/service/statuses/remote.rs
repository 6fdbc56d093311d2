//! A remote `Page`/`Note` from the inbox: checked, then stored or updated.

use activitypub_federation::{config::Data, fetch::object_id::ObjectId};

use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::{AppError, AppResult},
    federation::{
        objects::{actor::DbActor, authority, post::DbStatus},
        protocol::post::{ApPost, Tag, is_public},
    },
    model::{
        content::{self},
        id::new_id,
    },
    model::{format::Format, visibility::Visibility},
    service::now,
    state::AppState,
};

use super::place::{check_addressing, community_of};
use super::write::{self, Files, NewRow};
use super::{MAX_REMOTE_HTML, MAX_TITLE, check_may_post, thread_title};

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
    clean(&mut post)?;
    let author = ObjectId::<DbActor>::from(post.attributed_to.clone())
        .dereference(data)
        .await?
        .row;
    let ap_id = post.id.to_string();
    let existing = data
        .db
        .run(move |c| Ok(db::statuses::by_ap_id(c, &ap_id)?))
        .await?;
    let text = Text::of(&post);
    match existing {
        Some(current) => update(data, &post, &author, current, text).await,
        None => insert(data, &post, &author, text).await,
    }
}

/// NULs out (PostgreSQL refuses them in text, and no reader misses them), and
/// oversized objects refused rather than stored.
fn clean(post: &mut ApPost) -> AppResult<()> {
    let no_nul = |s: &mut String| s.retain(|c| c != '\0');
    post.name.iter_mut().for_each(no_nul);
    post.summary.iter_mut().for_each(no_nul);
    post.source.iter_mut().for_each(|s| no_nul(&mut s.content));
    if post.content.len() > MAX_REMOTE_HTML
        || post.name.as_ref().is_some_and(|n| n.len() > 4 * MAX_TITLE)
    {
        return Err(AppError::payload_too_large());
    }
    Ok(())
}

/// The text of a remote post as we keep it: sanitised HTML, and its source.
struct Text {
    html: String,
    source: String,
    format: Format,
}

impl Text {
    fn of(post: &ApPost) -> Text {
        let content = post.content.clone();
        let html = content::off_executor(|| content::sanitize(&content));
        let source = post
            .source
            .as_ref()
            .map(|s| s.content.clone())
            .unwrap_or_else(|| content::html_to_plain(&html));
        let format = post
            .source
            .as_ref()
            .and_then(|s| Format::from_mime(&s.media_type))
            .unwrap_or_default();
        Text {
            html,
            source,
            format,
        }
    }
}

/// An `Update` (or a repeated `Create`) of a status we hold: by its author only.
async fn update(
    data: &Data<AppState>,
    post: &ApPost,
    author: &Actor,
    current: Status,
    text: Text,
) -> AppResult<Status> {
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
    let poll = crate::service::polls::from_remote(post, id);
    let media = crate::service::media::from_remote(&post.attachment, author.id, id);
    // A poll's new results come as an Update of the unchanged text: not an edit.
    let edited = text.html != current.content
        || title != current.title
        || spoiler != current.spoiler_text
        || sensitive != current.sensitive;
    data.db
        .write(move |c| {
            let edit = db::statuses::Edit {
                title: title.as_deref(),
                content: &text.html,
                source: &text.source,
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
            if current.len() != media.len() || !current.iter().zip(&media).all(|(a, b)| same(a, b))
            {
                db::media::replace_remote(c, id, &media)?;
            }
            db::statuses::by_id(c, id)?.ok_or_else(AppError::not_found)
        })
        .await
}

/// A status we did not hold: placed in its community (which must accept it),
/// then written as a local one is (`write.rs`).
async fn insert(
    data: &Data<AppState>,
    post: &ApPost,
    author: &Actor,
    text: Text,
) -> AppResult<Status> {
    let ap_id = post.id.to_string();
    let parent = match &post.in_reply_to {
        Some(url) => Some(
            ObjectId::<DbStatus>::from(url.clone())
                .dereference(data)
                .await?
                .row,
        ),
        None => None,
    };
    let community = community_of(data, post, parent.as_ref()).await?;
    if let Some(c) = community.as_ref().filter(|c| c.local) {
        if !c.federates() {
            return Err(AppError::not_found());
        }
        check_addressing(post, c)?;
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
        title = Some(thread_title(&content::html_to_plain(&text.html)));
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
        content: text.html,
        source: text.source,
        source_type: text.format,
        spoiler_text: post
            .summary
            .clone()
            .unwrap_or_default()
            .chars()
            .take(MAX_TITLE)
            .collect(),
        sensitive: post.sensitive.unwrap_or(false),
        language: None,
        visibility: remote_visibility(post, community.as_ref()),
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
    let poll = crate::service::polls::from_remote(post, status.id);
    let media = crate::service::media::from_remote(&post.attachment, author.id, status.id);
    let addressees: Vec<String> = post.addressees().map(url::Url::to_string).collect();
    data.db
        .write(move |c| {
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
            let new = NewRow {
                status: &row,
                poll: poll.as_ref(),
                files: Files::Remote(media),
                mentions: &ids,
                tags: &tags,
                idempotency_key: None,
            };
            write::insert(c, new)
        })
        .await?;
    tracing::debug!(status = %status.ap_id, from = %domain, "remote status stored");
    Ok(status)
}
