//! What a push says: Mastodon's push payload (`notification_id`,
//! `notification_type`, `preferred_locale`, `icon`, `title`, `body`), short enough
//! for any push service (they take 4 KiB), in the recipient's language.

use serde_json::{Value, json};

use crate::{
    db::{notifications as kinds, push::PushContext},
    model::content::{html_to_plain, truncate as cut},
    web::i18n::{Lang, Tr},
};

const BODY_CHARS: usize = 140;
const NAME_CHARS: usize = 60;

/// The title, in the reader's language (the one-line texts mail alerts use too).
fn title(kind: &str, name: &str, own_poll: bool, t: Tr) -> String {
    let key = match kind {
        kinds::MENTION => "alert-mention",
        kinds::STATUS => "alert-status",
        kinds::REBLOG => "alert-reblog",
        kinds::FOLLOW => "alert-follow",
        kinds::FOLLOW_REQUEST => "alert-follow-request",
        kinds::FAVOURITE => "alert-favourite",
        kinds::UPDATE => "alert-update",
        kinds::POLL if own_poll => "alert-poll-own",
        kinds::POLL => "alert-poll",
        kinds::EVENT_REMINDER => "alert-event",
        _ => "alert-other",
    };
    t.v(key, "name", name)
}

/// The payload for one notification. `avatar_default` is the icon for people
/// without an avatar.
///
/// What a confidential status says (an internal one, or one in an internal
/// community) is left out: the push travels, encrypted, through a push service
/// outside the instance; the app shows it once it fetches the notification.
pub fn build(ctx: &PushContext, avatar_default: &str) -> Value {
    let n = &ctx.notification;
    let name = if ctx.from.display_name.trim().is_empty() {
        ctx.from.name.clone()
    } else {
        cut(&ctx.from.display_name, NAME_CHARS)
    };
    let own_poll = ctx
        .status
        .as_ref()
        .is_some_and(|s| s.actor_id == n.recipient_id);
    let body = match &ctx.status {
        Some(s) if s.confidential(ctx.community.as_ref()) => String::new(),
        Some(s) if !s.spoiler_text.trim().is_empty() => cut(&s.spoiler_text, BODY_CHARS),
        Some(s) => cut(&html_to_plain(&s.content), BODY_CHARS),
        None => cut(&html_to_plain(&ctx.from.summary), BODY_CHARS),
    };
    json!({
        "notification_id": n.id.to_string(),
        "notification_type": n.kind,
        "preferred_locale": ctx.locale,
        "icon": ctx.from.avatar_url.clone().unwrap_or_else(|| avatar_default.to_string()),
        "title": title(&n.kind, &name, own_poll, Tr(Lang::parse(&ctx.locale).unwrap_or(Lang::En))),
        "body": body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(cut("  short  ", 10), "short");
        let long = "a".repeat(200);
        let c = cut(&long, BODY_CHARS);
        assert_eq!(c.chars().count(), BODY_CHARS);
        assert!(c.ends_with('…'));
    }

    #[test]
    fn titles_follow_the_locale() {
        let (en, fr) = (Tr(Lang::En), Tr(Lang::Fr));
        assert_eq!(
            title(kinds::FAVOURITE, "Ada", false, en),
            "Ada liked your post"
        );
        assert_eq!(title(kinds::FOLLOW, "Ada", false, fr), "Ada vous suit");
        assert_eq!(title(kinds::POLL, "Ada", true, en), "Your poll has ended");
        assert_eq!(
            title("other", "Ada", false, fr),
            "Nouvelle notification de Ada"
        );
    }
}
