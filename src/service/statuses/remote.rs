//! A remote post from the inbox or a fetch: checked, then stored or updated.

use activitypub_federation::{config::Data, fetch::object_id::ObjectId};

use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::{AppError, AppResult},
    federation::objects::{actor::DbActor, post::DbStatus},
    model::{content, id::new_id, visibility::Visibility},
    service::{events, now},
    state::AppState,
};

use super::place::{check_addressing, community_of};
use super::remote_post::{RemotePost, Text};
use super::write::{self, Files, NewRow};
use super::{MAX_TITLE, check_may_post, thread_title};

/// A remote post: stored (or updated) through the same rules as local posts. With
/// `forward`, the activity that brought it, which its community (if ours) announces
/// in the same transaction.
pub async fn accept_remote(
    data: &Data<AppState>,
    post: RemotePost,
    forward: Option<serde_json::Value>,
) -> AppResult<Status> {
    post.check_size()?;
    let post = post.without_nul();
    let author = ObjectId::<DbActor>::from(post.author.clone())
        .dereference(data)
        .await?
        .row;
    let ap_id = post.ap_id.clone();
    let existing = data
        .db
        .run(move |c| Ok(db::statuses::by_ap_id(c, &ap_id)?))
        .await?;
    let text = Text::of(&post);
    match existing {
        Some(current) => update(data, &post, (&author, current), text, forward).await,
        None => insert(data, &post, &author, text, forward).await,
    }
}

/// An `Update` (or a repeated `Create`) of a status we hold: by its author only.
async fn update(
    data: &Data<AppState>,
    post: &RemotePost,
    (author, current): (&Actor, Status),
    text: Text,
    forward: Option<serde_json::Value>,
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
    let sensitive = post.sensitive;
    let (id, community_id) = (current.id, current.community_id);
    let poll = post.poll_for(id);
    let event = post.event_for(id);
    let document = post.document.clone();
    let survey = post.survey_for(id);
    let media = post.files_for(author.id, id);
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
            if let Some(e) = &event {
                db::events::set_remote(c, e)?;
            }
            if let Some(d) = &document {
                let s = db::statuses::by_id(c, id)?.ok_or_else(AppError::not_found)?;
                d.write(c, &s)?;
            }
            if let Some(s) = &survey {
                // New results, or the closing time moved.
                db::surveys::set_remote(c, &s.survey)?;
            }
            replace_files(c, id, &media)?;
            if let Some(activity) = &forward {
                events::forward(c, community_id, activity)?;
            }
            db::statuses::by_id(c, id)?.ok_or_else(AppError::not_found)
        })
        .await
}

/// The attachments of an edited remote post, when they changed.
fn replace_files(c: &mut db::DbConn, id: i64, media: &[db::media::Media]) -> AppResult<()> {
    let current = db::media::by_status_ids(c, &[id])?;
    let same = |a: &db::media::Media, b: &db::media::Media| {
        (&a.remote_url, &a.description) == (&b.remote_url, &b.description)
    };
    if current.len() != media.len() || !current.iter().zip(media).all(|(a, b)| same(a, b)) {
        db::media::replace_remote(c, id, media)?;
    }
    Ok(())
}

/// Where a new remote post goes: under its parent (fetched if need be) and in its
/// community, which must accept it when it is ours.
async fn place(
    data: &Data<AppState>,
    post: &RemotePost,
    author: &Actor,
) -> AppResult<(Option<Status>, Option<Actor>)> {
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
    Ok((parent, community))
}

/// The row of a new remote post.
fn row(
    post: &RemotePost,
    author: &Actor,
    (parent, community): (Option<&Status>, Option<&Actor>),
    text: Text,
) -> Status {
    let at = now();
    let mut title = post
        .name
        .clone()
        .map(|t| t.chars().take(MAX_TITLE).collect::<String>());
    if community.is_some() && parent.is_none() && title.is_none() {
        title = Some(thread_title(&content::html_to_plain(&text.html)));
    }
    Status {
        id: new_id(),
        url: post.web_url.clone().or(Some(post.ap_id.clone())),
        ap_id: post.ap_id.clone(),
        actor_id: author.id,
        community_id: community.map(|c| c.id),
        in_reply_to_id: parent.map(|p| p.id),
        thread_root_id: parent.map(|p| p.thread_root_id.unwrap_or(p.id)),
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
        sensitive: post.sensitive,
        language: None,
        visibility: match community {
            Some(c) => c.reach().into(),
            None => post.addressed,
        },
        local: false,
        replies_count: 0,
        favourites_count: 0,
        reblogs_count: 0,
        created_at: post.published.filter(|p| *p < at).unwrap_or(at),
        updated_at: at,
        edited_at: post.updated,
        deleted_at: None,
        removed: false,
    }
}

/// A status we did not hold: placed in its community (which must accept it),
/// then written as a local one is (`write.rs`).
async fn insert(
    data: &Data<AppState>,
    post: &RemotePost,
    author: &Actor,
    text: Text,
    forward: Option<serde_json::Value>,
) -> AppResult<Status> {
    let (parent, community) = place(data, post, author).await?;
    let status = row(post, author, (parent.as_ref(), community.as_ref()), text);
    let (row, poll) = (status.clone(), post.poll_for(status.id));
    let event = post.event_for(status.id);
    let document = post.document.clone();
    let survey = post.survey_for(status.id);
    let media = post.files_for(author.id, status.id);
    let (tags, mentions) = (post.tags.clone(), post.mentions.clone());
    // A direct status is for the people it mentions and those it is addressed to.
    let addressed = match status.visibility {
        Visibility::Direct => post.addressees.clone(),
        _ => vec![],
    };
    data.db
        .write(move |c| {
            let mut ids = Vec::new();
            for url in mentions.iter().chain(&addressed).take(50) {
                if let Some(a) = db::actors::by_ap_id(c, url)?
                    && !ids.contains(&a.id)
                {
                    ids.push(a.id);
                }
            }
            let new = NewRow {
                status: &row,
                poll: poll.as_ref(),
                event: event.as_ref(),
                survey: survey.as_ref(),
                document: document.as_ref(),
                files: Files::Remote(media),
                mentions: &ids,
                tags: &tags,
                idempotency_key: None,
            };
            write::insert(c, new)?;
            if let Some(activity) = &forward {
                events::forward(c, row.community_id, activity)?;
            }
            Ok(())
        })
        .await?;
    tracing::debug!(status = %status.ap_id, "remote status stored");
    Ok(status)
}
