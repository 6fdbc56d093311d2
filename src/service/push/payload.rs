//! What a push says: Mastodon's push payload (`notification_id`,
//! `notification_type`, `preferred_locale`, `icon`, `title`, `body`), short enough
//! for any push service (they take 4 KiB), in the recipient's language.

use serde_json::{Value, json};

use crate::{
    db::{notifications as kinds, push::PushContext},
    model::content::{html_to_plain, truncate as cut},
};

const BODY_CHARS: usize = 140;
const NAME_CHARS: usize = 60;

/// The title, in French for `fr*` locales and in English otherwise.
fn title(kind: &str, name: &str, own_poll: bool, french: bool) -> String {
    match (kind, french) {
        (kinds::MENTION, false) => format!("{name} mentioned you"),
        (kinds::MENTION, true) => format!("{name} vous a mentionné·e"),
        (kinds::STATUS, false) => format!("{name} just posted"),
        (kinds::STATUS, true) => format!("{name} vient de publier"),
        (kinds::REBLOG, false) => format!("{name} boosted your post"),
        (kinds::REBLOG, true) => format!("{name} a partagé votre message"),
        (kinds::FOLLOW, false) => format!("{name} is now following you"),
        (kinds::FOLLOW, true) => format!("{name} vous suit"),
        (kinds::FOLLOW_REQUEST, false) => format!("{name} asks to follow you"),
        (kinds::FOLLOW_REQUEST, true) => format!("{name} demande à vous suivre"),
        (kinds::FAVOURITE, false) => format!("{name} liked your post"),
        (kinds::FAVOURITE, true) => format!("{name} a aimé votre message"),
        (kinds::UPDATE, false) => format!("{name} edited a post"),
        (kinds::UPDATE, true) => format!("{name} a modifié un message"),
        (kinds::POLL, false) if own_poll => "Your poll has ended".into(),
        (kinds::POLL, true) if own_poll => "Votre sondage est terminé".into(),
        (kinds::POLL, false) => "A poll you voted in has ended".into(),
        (kinds::POLL, true) => "Un sondage auquel vous avez répondu est terminé".into(),
        (_, false) => format!("New notification from {name}"),
        (_, true) => format!("Nouvelle notification de {name}"),
    }
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
        "title": title(&n.kind, &name, own_poll, ctx.locale.starts_with("fr")),
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
        assert_eq!(
            title(kinds::FAVOURITE, "Ada", false, false),
            "Ada liked your post"
        );
        assert_eq!(title(kinds::FOLLOW, "Ada", false, true), "Ada vous suit");
        assert_eq!(
            title(kinds::POLL, "Ada", true, false),
            "Your poll has ended"
        );
    }
}
