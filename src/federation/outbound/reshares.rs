//! A community's bare re-share of a post (the `Announce` of the object itself,
//! for software that shows only that), taken back when a moderator removes the
//! post and made again when it is restored. GoToSocial and Mastodon ignore a
//! removal by anyone but the author (`Announce{Delete}` from a moderator); undoing
//! the community's boost at least takes the post off their members' timelines.

use url::Url;

use super::send::Outgoing;
use crate::{
    db::{self, actors::Actor, statuses::Status},
    error::AppResult,
    federation::{
        activities::{
            announce::Announced,
            stored_url,
            undo::{Undo, Undoable},
        },
        objects::post,
    },
};

/// How many of the community's activities about one post are read to find its
/// latest bare re-share (a post rarely has more than a handful).
const LOOK_BACK: i64 = 50;

/// The moderator's removal of `status` (or its restoration, `restored`) as seen
/// by servers that show a community's posts through its bare re-share.
pub async fn removal(
    out: &mut Outgoing<'_>,
    community: &Actor,
    status: &Status,
    restored: bool,
) -> AppResult<()> {
    if !community.local || !community.federates() {
        return Ok(());
    }
    let everyone = out.members_inboxes(community, vec![]).await?;
    let takers = out.plain_takers(everyone).await?;
    if takers.is_empty() {
        return Ok(());
    }
    if restored {
        let object = post::to_ap(out.state, status).await?;
        let again = out.announce(community, Announced::Post(Box::new(object)))?;
        return out.send(community, &again, takers);
    }
    let (id, object) = (community.id, status.ap_id.clone());
    let inboxes = takers.clone();
    let bodies = out
        .state
        .db
        .run(move |c| {
            Ok(db::reshares::sent_about(
                c, id, &object, &inboxes, LOOK_BACK,
            )?)
        })
        .await?;
    let Some(shared) = latest_bare(&bodies) else {
        return Ok(());
    };
    let mut boost = out.announce(community, Announced::Id(stored_url(&status.ap_id)?))?;
    boost.id = shared;
    boost.published = None;
    let to = boost.to.clone();
    let undo = Undo::new(
        out.new_id("undo"),
        community,
        Undoable::Announce(Box::new(boost)),
        to,
    )?;
    out.send(community, &undo, takers)
}

/// The id of the newest bare re-share among `bodies` (newest first), unless an
/// `Undo` of it came after.
fn latest_bare(bodies: &[String]) -> Option<Url> {
    let mut undone = Vec::new();
    for body in bodies {
        let Ok(a) = serde_json::from_str::<serde_json::Value>(body) else {
            continue;
        };
        let object = &a["object"];
        match a["type"].as_str() {
            Some("Undo") if object["type"] == "Announce" => {
                undone.extend(object["id"].as_str().map(String::from));
            }
            Some("Announce") if is_post(object) => {
                let id = object_id(&a)?;
                return (!undone.contains(&id))
                    .then(|| Url::parse(&id).ok())
                    .flatten();
            }
            _ => {}
        }
    }
    None
}

/// A post, whole (ours) or by id (one from elsewhere); not an activity.
fn is_post(object: &serde_json::Value) -> bool {
    object.is_string()
        || matches!(
            object["type"].as_str(),
            Some("Note" | "Page" | "Article" | "Question" | "Event")
        )
}

fn object_id(activity: &serde_json::Value) -> Option<String> {
    activity["id"].as_str().map(String::from)
}

#[cfg(test)]
mod tests {
    use super::latest_bare;
    use serde_json::json;

    fn body(v: serde_json::Value) -> String {
        v.to_string()
    }

    #[test]
    fn finds_the_newest_bare_reshare_not_undone() {
        let wrapped = body(json!({"id": "https://a.example/a/1", "type": "Announce",
            "object": {"type": "Create", "object": {"type": "Page"}}}));
        let bare = |n: u8| {
            body(
                json!({"id": format!("https://a.example/a/{n}"), "type": "Announce",
                "object": {"id": "https://a.example/statuses/9", "type": "Page"}}),
            )
        };
        let undo = |n: u8| {
            body(json!({"id": "https://a.example/u", "type": "Undo",
                "object": {"id": format!("https://a.example/a/{n}"), "type": "Announce"}}))
        };
        // A remote member's post is re-shared by id.
        let by_id = body(json!({"id": "https://a.example/a/7", "type": "Announce",
            "object": "https://b.example/notes/1"}));
        let found = |b: &[String]| latest_bare(b).map(|u| u.to_string());
        assert_eq!(
            found(&[wrapped.clone(), bare(2)]),
            Some("https://a.example/a/2".into())
        );
        assert_eq!(found(&[undo(2), bare(2), wrapped.clone()]), None);
        // Restored after a removal: the new re-share is the one to take back.
        assert_eq!(
            found(&[bare(3), undo(2), bare(2)]),
            Some("https://a.example/a/3".into())
        );
        assert_eq!(found(&[wrapped.clone(), "not json".into()]), None);
        assert_eq!(
            found(&[wrapped, by_id]),
            Some("https://a.example/a/7".into())
        );
    }
}
