//! What a mail may say about a post. Mail leaves the instance (the company's
//! relay, then the reader's mailbox, perhaps on a phone): unless the
//! organisation allows it (`email.include_confidential_content`), it quotes
//! only what is public here — public and unlisted posts outside `members` and
//! `internal` communities — and otherwise says that there is something new.

use crate::{
    db::{actors::Actor, statuses::Status},
    model::{
        content::{html_to_plain, truncate},
        visibility::Visibility,
    },
    state::AppState,
    web::i18n::Tr,
};

const EXCERPT_CHARS: usize = 280;
const TITLE_CHARS: usize = 120;

/// Whether the post's words may appear in a mail.
pub fn may_quote(state: &AppState, status: &Status, community: Option<&Actor>) -> bool {
    if state.config.email.include_confidential_content {
        return true;
    }
    matches!(status.visibility, Visibility::Public | Visibility::Unlisted)
        && community.is_none_or(|c| matches!(c.visibility.as_str(), "public" | "partners"))
}

/// The post's title (a thread's, or its first words), or a neutral line when
/// it may not be quoted.
pub fn title(state: &AppState, t: Tr, status: &Status, community: Option<&Actor>) -> String {
    if !may_quote(state, status, community) {
        return match community {
            Some(c) => t.v("mail-confidential-in", "community", &name_of(c)),
            None => t.s("mail-confidential"),
        };
    }
    match status
        .title
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(title) => truncate(title, TITLE_CHARS),
        None if !status.spoiler_text.trim().is_empty() => {
            truncate(&status.spoiler_text, TITLE_CHARS)
        }
        None => truncate(&html_to_plain(&status.content), TITLE_CHARS),
    }
}

/// An excerpt of the post's text (empty when it may not be quoted, or when it
/// hides behind a content warning).
pub fn excerpt(state: &AppState, status: &Status, community: Option<&Actor>) -> String {
    if !may_quote(state, status, community) || !status.spoiler_text.trim().is_empty() {
        return String::new();
    }
    if status.title.is_none() {
        // The title line is the text already.
        return String::new();
    }
    truncate(&html_to_plain(&status.content), EXCERPT_CHARS)
}

/// How a person or community is named in a mail.
pub fn name_of(a: &Actor) -> String {
    if a.display_name.trim().is_empty() {
        a.name.clone()
    } else {
        a.display_name.clone()
    }
}
