//! Misskey's and Akkoma's documents (`tests/fixtures/misskey`, `…/akkoma`,
//! written from their renderers) read as the wire types. Through the real
//! inbox: `federation-tests/tests/federation/fixtures_misskey_akkoma.rs`.

use passerelle::federation::{
    activities::{
        acknowledged::AcknowledgedType, announce::Announced, create_or_update::CreateOrUpdateType,
        inbox::InboxActivity, undo::Undoable,
    },
    protocol::{
        actor::ApActor,
        post::{ApPost, PUBLIC, Tag},
    },
};

use super::interop::{activity, assert_key, hashtags, mentions, parse, shared_inbox};

const BOB: &str = "https://passerelle.example/users/bob";
const OURS: &str = "https://passerelle.example/statuses/31337";

fn created(path: &str) -> ApPost {
    let InboxActivity::CreateOrUpdate(c) = activity(path) else {
        panic!("{path}: not a Create");
    };
    assert_eq!(c.kind, CreateOrUpdateType::Create, "{path}");
    assert_eq!(&c.object.attributed_to, c.actor.inner(), "{path}");
    c.object
}

fn reply_to(post: &ApPost) -> Option<&str> {
    post.in_reply_to.as_ref().map(|u| u.as_str())
}

// --- Misskey ---

#[test]
fn misskey_person() {
    let p: ApActor = parse("misskey/person.json");
    assert_eq!(p.kind, "Person");
    assert_eq!(p.preferred_username, "mika");
    assert_eq!(p.url.as_deref(), Some("https://misskey.example/@mika"));
    assert_eq!(shared_inbox(&p), Some("https://misskey.example/inbox"));
    assert_eq!(p.manually_approves_followers, Some(false));
    assert_eq!(p.discoverable, Some(true));
    assert!(p.icon.is_some() && p.image.is_none());
    assert_eq!(p.attachment.len(), 1);
    assert_key(&p);
}

/// MFM source and a quote: `_misskey_content`, `source` in its own media type,
/// `_misskey_quote`/`quoteUrl` (the quote also as a link in `content`).
#[test]
fn misskey_note_with_its_extensions() {
    let n = created("misskey/create_note.json");
    assert_eq!(n.kind, "Note");
    assert!(reply_to(&n).is_none() && n.summary.is_none() && !n.is_vote());
    assert_eq!(mentions(&n), [BOB]);
    assert_eq!(hashtags(&n), ["#fediverse"]);
    assert_eq!(n.tag[2], Tag::Other, "the custom emoji");
    let source = n.source.as_ref().expect("source");
    assert_eq!(source.media_type, "text/x.misskeymarkdown");
    assert!(source.content.contains("**It should.**"));
    assert!(n.text().contains(&format!("RE: <a href=\"{OURS}\">")));
    assert_eq!(n.to[0].as_str(), PUBLIC);
}

#[test]
fn misskey_reply_behind_a_content_warning() {
    let n = created("misskey/create_reply.json");
    assert_eq!(reply_to(&n), Some(OURS));
    assert_eq!(n.summary.as_deref(), Some("self-hosting talk"));
    assert_eq!(n.sensitive, Some(true));
    assert!(n.source.is_none(), "plain text: no MFM source sent");
    assert_eq!(mentions(&n), [BOB]);
}

/// A reaction is a `Like` with the emoji in `content` and `_misskey_reaction`;
/// its `Undo` embeds it.
#[test]
fn misskey_reaction_and_its_undo() {
    let InboxActivity::Like(like) = activity("misskey/like.json") else {
        panic!("a reaction is a Like");
    };
    assert_eq!(like.object.inner().as_str(), OURS);
    let InboxActivity::Undo(undo) = activity("misskey/undo_like.json") else {
        panic!("not an Undo");
    };
    let Undoable::Like(inner) = &undo.object else {
        panic!("Undo of something else than a Like");
    };
    assert_eq!(inner.id, like.id);
    assert_eq!(undo.id.as_str(), format!("{}/undo", like.id));
}

#[test]
fn misskey_vote_renote_and_delete() {
    let vote = created("misskey/vote.json");
    assert!(vote.is_vote());
    assert_eq!(vote.title().as_deref(), Some("June"));
    assert_eq!(
        reply_to(&vote),
        Some("https://passerelle.example/statuses/31338")
    );
    assert_eq!(vote.to.len(), 1);
    assert_eq!(vote.to[0].as_str(), BOB);

    let InboxActivity::Announce(renote) = activity("misskey/announce.json") else {
        panic!("a renote is an Announce");
    };
    assert!(matches!(&renote.object, Announced::Id(id) if id.as_str() == OURS));
    assert!(renote.published.is_some());

    let InboxActivity::Delete(d) = activity("misskey/delete.json") else {
        panic!("not a Delete");
    };
    assert_eq!(
        d.object.as_str(),
        "https://misskey.example/notes/9x3m4s5t6u"
    );
    assert!(d.to.is_empty());
}

// --- Akkoma ---

/// Posts carry `source` (the text as typed), `contentMap`, `context` and
/// `conversation`; the `Create` says whether it is a `directMessage`.
#[test]
fn akkoma_note_reply_and_direct_message() {
    let n = created("akkoma/create_note.json");
    assert_eq!(
        n.source.as_ref().map(|s| s.media_type.as_str()),
        Some("text/plain")
    );
    assert!(n.content_map.as_ref().is_some_and(|m| m.contains_key("en")));
    assert_eq!(mentions(&n), [BOB]);
    assert_eq!(hashtags(&n), ["#passerelle"]);
    let to: Vec<&str> = n.to.iter().map(|u| u.as_str()).collect();
    assert_eq!(to, [PUBLIC, BOB]);

    assert_eq!(reply_to(&created("akkoma/create_reply.json")), Some(OURS));

    let direct = created("akkoma/create_direct.json");
    assert_eq!(direct.to.len(), 1);
    assert_eq!(direct.to[0].as_str(), BOB);
    assert!(direct.cc.is_empty());
}

#[test]
fn akkoma_follow_like_and_repeat() {
    let InboxActivity::Follow(f) = activity("akkoma/follow.json") else {
        panic!("not a Follow");
    };
    assert_eq!(f.object.inner().as_str(), BOB);
    let InboxActivity::Like(like) = activity("akkoma/like.json") else {
        panic!("not a Like");
    };
    assert_eq!(like.object.inner().as_str(), OURS);
    let InboxActivity::Announce(a) = activity("akkoma/announce.json") else {
        panic!("not an Announce");
    };
    assert!(matches!(&a.object, Announced::Id(id) if id.as_str() == OURS));
}

/// An emoji reaction is read, to be acknowledged and ignored.
#[test]
fn akkoma_emoji_reaction_is_acknowledged() {
    let InboxActivity::Acknowledged(a) = activity("akkoma/emoji_react.json") else {
        panic!("an EmojiReact is acknowledged");
    };
    assert_eq!(a.kind, AcknowledgedType::EmojiReact);
    assert_eq!(
        a.actor.inner().as_str(),
        "https://akkoma.example/users/lain"
    );
}

/// Akkoma's `Undo` and `Delete` name their object by id alone.
#[test]
fn akkoma_undo_and_delete_name_their_object_by_id() {
    let InboxActivity::Like(like) = activity("akkoma/like.json") else {
        panic!("not a Like");
    };
    let InboxActivity::Undo(undo) = activity("akkoma/undo_like.json") else {
        panic!("not an Undo");
    };
    assert!(
        matches!(&undo.object, Undoable::Other(serde_json::Value::String(id)) if id == like.id.as_str()),
        "{:?}",
        undo.object
    );
    let InboxActivity::Announce(repeat) = activity("akkoma/announce.json") else {
        panic!("not an Announce");
    };
    let InboxActivity::Undo(undo) = activity("akkoma/undo_announce.json") else {
        panic!("not an Undo");
    };
    assert!(
        matches!(&undo.object, Undoable::Other(serde_json::Value::String(id)) if id == repeat.id.as_str())
    );
    let InboxActivity::Delete(d) = activity("akkoma/delete.json") else {
        panic!("not a Delete");
    };
    assert_eq!(d.object, created("akkoma/create_note.json").id);
}
