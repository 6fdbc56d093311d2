//! The composer (home feed and community pages): a post on one's profile or a
//! thread in a community, with images, a poll and a content warning; and voting
//! in a poll. Through the same `service::` functions as the API.

use axum::{
    extract::{Path, State},
    http::HeaderMap,
    response::Response,
};
use serde::Deserialize;

use super::{posting::back_at_post, posting::post_id};
use crate::{
    db::actors::Actor,
    error::{AppError, AppResult, invalid_field},
    model::{format::Format, visibility::Visibility},
    service::{
        community_view,
        media::{self, Upload},
        polls::{self, NewPoll},
        statuses::{self, NewStatus},
    },
    state::AppState,
    web::{
        form::{Posted, PostedFiles},
        page::back_to,
    },
};

/// Poll choices a page offers (the API takes more).
const POLL_OPTIONS: usize = 4;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ComposeForm {
    community: String,
    title: String,
    text: String,
    format: String,
    visibility: String,
    spoiler: String,
    alt1: String,
    alt2: String,
    alt3: String,
    alt4: String,
    poll1: String,
    poll2: String,
    poll3: String,
    poll4: String,
    poll_expires: String,
    poll_multiple: String,
}

impl ComposeForm {
    fn alt(&self, field: &str) -> Option<String> {
        let alt = match field {
            "media1" => &self.alt1,
            "media2" => &self.alt2,
            "media3" => &self.alt3,
            "media4" => &self.alt4,
            _ => return None,
        };
        Some(alt.trim().to_string()).filter(|a| !a.is_empty())
    }

    /// The poll, if any choice was written: at least two, as the API requires.
    fn poll(&self) -> AppResult<Option<NewPoll>> {
        let options: Vec<String> = [&self.poll1, &self.poll2, &self.poll3, &self.poll4]
            .iter()
            .map(|o| o.trim().to_string())
            .filter(|o| !o.is_empty())
            .take(POLL_OPTIONS)
            .collect();
        if options.is_empty() {
            return Ok(None);
        }
        let expires_in = self
            .poll_expires
            .parse()
            .map_err(|_| invalid_field("poll", "choose how long it stays open"))?;
        Ok(Some(NewPoll {
            options,
            expires_in,
            multiple: !self.poll_multiple.is_empty(),
            hide_totals: false,
        }))
    }
}

/// Stores the chosen images (each with its description), in the order of the form.
async fn uploads(
    state: &AppState,
    me: &Actor,
    form: &ComposeForm,
    mut files: Vec<(String, Vec<u8>)>,
) -> AppResult<Vec<i64>> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut ids = Vec::with_capacity(files.len());
    for (field, bytes) in files {
        if !matches!(field.as_str(), "media1" | "media2" | "media3" | "media4") {
            continue;
        }
        let upload = Upload {
            bytes,
            content_type: None,
            file_name: None,
            description: form.alt(&field),
            focus: None,
        };
        ids.push(media::upload(state, me, upload).await?.id);
    }
    Ok(ids)
}

pub async fn post_compose(
    State(state): State<AppState>,
    posted: PostedFiles<ComposeForm>,
) -> AppResult<Response> {
    let PostedFiles {
        visitor,
        form,
        files,
    } = posted;
    let (_, me) = visitor.require()?;
    let mut new = NewStatus {
        community_id: None,
        in_reply_to_id: None,
        title: None,
        // The community form sends no format: threads are Markdown there.
        format: match (form.format.as_str(), form.community.is_empty()) {
            ("markdown", _) | ("", false) => Format::Markdown,
            _ => Format::Plain,
        },
        text: form.text.clone(),
        spoiler_text: form.spoiler.trim().to_string(),
        sensitive: !form.spoiler.trim().is_empty(),
        language: None,
        visibility: None,
        idempotency_key: None,
        poll: form.poll()?,
        event: None,
        survey: None,
        document: None,
        media_ids: vec![],
    };
    if form.community.is_empty() {
        new.visibility = Some(
            Visibility::from_mastodon(&form.visibility)
                .ok_or_else(|| AppError::unprocessable("Choose who can see this post"))?,
        );
    } else {
        if form.title.trim().is_empty() {
            return Err(AppError::unprocessable("A thread needs a title"));
        }
        let community = community_view::by_handle(&state, &form.community, Some(me)).await?;
        new.community_id = Some(community.id);
        new.title = Some(form.title.clone());
    }
    new.media_ids = uploads(&state, me, &form, files).await?;
    let row = statuses::create(&state, me, new).await?;
    Ok(back_to(&format!("/posts/{}", row.id)))
}

/// A ballot: every `choice` field (one radio button, or the boxes ticked).
pub async fn post_vote(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    posted: Posted<Vec<(String, String)>>,
) -> AppResult<Response> {
    let (_, me) = posted.visitor.require()?;
    let id = post_id(&id)?;
    let choices = posted
        .form
        .iter()
        .filter(|(k, _)| k == "choice")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    polls::vote(&state, me, id, choices).await?;
    Ok(back_at_post(&headers, id))
}
