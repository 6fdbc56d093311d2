//! Another server's `Page`/`Note`/`Question` as the service takes it: what the
//! wire says, read once here so the rules never see a protocol type.

use crate::{
    federation::protocol::{
        post::{ApPost, Tag, is_public},
        web_url,
    },
    model::{format::Format, visibility::Visibility},
    service::{polls::RemoteVote, statuses::RemotePost},
};

use super::{attachments, document, event, question, survey};

/// Hashtags kept from a remote post.
const MAX_TAGS: usize = 50;

pub fn post(p: &ApPost) -> RemotePost {
    RemotePost {
        ap_id: p.id.to_string(),
        web_url: p.url.as_ref().and_then(|u| u.as_str()).and_then(web_url),
        author: p.attributed_to.clone(),
        in_reply_to: p.in_reply_to.clone(),
        audience: p.audience.clone(),
        community_candidates: community_candidates(p),
        to_public: p.addressees().any(is_public),
        addressed: addressed(p),
        addressees: p.addressees().map(url::Url::to_string).collect(),
        mentions: mentions(p).map(|u| u.to_string()).collect(),
        tags: hashtags(p),
        name: p.title(),
        // A survey's link line is for software without the extension.
        content: match &p.survey.survey {
            Some(_) => survey::without_link_line(&p.text()).to_string(),
            None => p.text(),
        },
        source: p.source.as_ref().map(|s| {
            let format = Format::from_mime(&s.media_type).unwrap_or_default();
            (s.content.clone(), format)
        }),
        // An event's summary is its date in words (for Mastodon), not a warning.
        summary: p.summary.clone().filter(|_| p.kind != "Event"),
        sensitive: p.sensitive.unwrap_or(false),
        published: p.published.map(|t| t.naive_utc()),
        updated: p.updated.map(|t| t.naive_utc()),
        poll: question::from_ap(p),
        event: event::from_ap(p),
        document: document::from_ap(p),
        files: attachments::from_ap(
            &p.attachment
                .iter()
                .filter(|a| !document::is_version_file(p, a))
                .cloned()
                .collect::<Vec<_>>(),
        ),
        survey: survey::from_ap(p),
    }
}

/// A vote in a poll, as Mastodon sends it (see `ApPost::is_vote`).
pub fn vote(p: &ApPost) -> RemoteVote {
    RemoteVote {
        ap_id: p.id.to_string(),
        voter: p.attributed_to.to_string(),
        poll: p.in_reply_to.as_ref().map(url::Url::to_string),
        choice: p.title().unwrap_or_default(),
    }
}

/// The visibility its addressing gives a post that is in no community.
fn addressed(p: &ApPost) -> Visibility {
    if p.to.iter().any(is_public) {
        Visibility::Public
    } else if p.cc.iter().any(is_public) {
        Visibility::Unlisted
    } else if p.addressees().any(|u| u.path().ends_with("/followers")) {
        Visibility::Private
    } else {
        Visibility::Direct
    }
}

fn mentions(p: &ApPost) -> impl Iterator<Item = &url::Url> {
    p.tag.iter().filter_map(|t| match t {
        Tag::Mention { href, .. } => Some(href),
        _ => None,
    })
}

/// Where a remote post may say its community is: audience, addressees, mentions.
fn community_candidates(p: &ApPost) -> Vec<url::Url> {
    let mut candidates: Vec<url::Url> = p.audience.iter().cloned().collect();
    candidates.extend(p.addressees().filter(|u| !is_public(u)).cloned());
    candidates.extend(mentions(p).cloned());
    candidates
}

fn hashtags(p: &ApPost) -> Vec<String> {
    p.tag
        .iter()
        .filter_map(|t| match t {
            Tag::Hashtag { name, .. } => Some(name.trim_start_matches('#').to_lowercase()),
            _ => None,
        })
        .filter(|t| !t.is_empty() && t.len() <= 100)
        .take(MAX_TAGS)
        .collect()
}
