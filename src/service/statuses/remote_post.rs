//! Another server's post as the rules take it, read from the wire by
//! `federation::objects::received`.

use chrono::NaiveDateTime;
use url::Url;

use crate::{
    db::{events::Event, media::Media, polls::Poll},
    error::{AppError, AppResult},
    model::{content, format::Format, visibility::Visibility},
};

use super::{MAX_REMOTE_HTML, MAX_TITLE};

#[derive(Debug, Clone)]
pub struct RemotePost {
    pub ap_id: String,
    /// The page to link to in apps (http or https only).
    pub web_url: Option<String>,
    pub author: Url,
    pub in_reply_to: Option<Url>,
    pub audience: Option<Url>,
    /// Where it may say its community is: audience, addressees, mentions, in order.
    pub community_candidates: Vec<Url>,
    /// Addressed to the public collection (`to` or `cc`).
    pub to_public: bool,
    /// Its visibility by its addressing, when it is in no community.
    pub addressed: Visibility,
    pub addressees: Vec<String>,
    pub mentions: Vec<String>,
    pub tags: Vec<String>,
    pub name: Option<String>,
    /// HTML as sent (sanitised when stored).
    pub content: String,
    pub source: Option<(String, Format)>,
    pub summary: Option<String>,
    pub sensitive: bool,
    pub published: Option<NaiveDateTime>,
    pub updated: Option<NaiveDateTime>,
    /// A `Question`'s poll and results; its status is set by `poll_for`.
    pub poll: Option<Poll>,
    /// An `Event`'s date and place; its status is set by `event_for`.
    pub event: Option<Event>,
    /// A library document's folder and versions (its status is set when written).
    pub document: Option<crate::service::library::changes::DocumentRows>,
    /// Its attachments; owner and status are set by `files_for`.
    pub files: Vec<Media>,
    /// A partner Passerelle's survey; its rows are made by `survey_for`.
    pub survey: Option<crate::service::surveys::remote::RemoteSurvey>,
}

impl RemotePost {
    pub fn poll_for(&self, status_id: i64) -> Option<Poll> {
        self.poll.clone().map(|p| Poll { status_id, ..p })
    }

    pub fn event_for(&self, status_id: i64) -> Option<Event> {
        self.event.clone().map(|e| Event { status_id, ..e })
    }

    /// The survey's rows; a survey whose questions do not pass our checks is
    /// left out (the post is kept, with its link to the survey's page).
    pub fn survey_for(&self, status_id: i64) -> Option<crate::service::surveys::SurveyRows> {
        let rows = self.survey.as_ref()?.rows(status_id);
        if let Err(e) = &rows {
            tracing::info!(post = %self.ap_id, error = %e, "a remote survey was left out");
        }
        rows.ok()
    }

    pub fn files_for(&self, author_id: i64, status_id: i64) -> Vec<Media> {
        self.files
            .iter()
            .map(|m| Media {
                actor_id: author_id,
                status_id: Some(status_id),
                ..m.clone()
            })
            .collect()
    }

    /// Oversized posts are refused rather than stored (checked before anything
    /// is fetched too, by `precheck_remote`).
    pub fn check_size(&self) -> AppResult<()> {
        if self.content.len() > MAX_REMOTE_HTML
            || self.name.as_ref().is_some_and(|n| n.len() > 4 * MAX_TITLE)
        {
            return Err(AppError::payload_too_large());
        }
        Ok(())
    }

    /// NULs out: PostgreSQL refuses them in text, and no reader misses them.
    pub fn without_nul(mut self) -> RemotePost {
        let no_nul = |s: &mut String| s.retain(|c| c != '\0');
        self.name.iter_mut().for_each(no_nul);
        self.summary.iter_mut().for_each(no_nul);
        self.source.iter_mut().for_each(|s| no_nul(&mut s.0));
        self
    }
}

/// The text of a remote post as we keep it: sanitised HTML, and its source.
pub(super) struct Text {
    pub html: String,
    pub source: String,
    pub format: Format,
}

impl Text {
    pub fn of(post: &RemotePost) -> Text {
        let content = post.content.clone();
        let html = content::off_executor(|| content::sanitize(&content));
        let (source, format) = match &post.source {
            Some((s, f)) => (s.clone(), *f),
            None => (content::html_to_plain(&html), Format::default()),
        };
        Text {
            html,
            source,
            format,
        }
    }
}
