//! `Person`, `Group` and `Application` actors as we publish them.

use serde::{Deserialize, Serialize};

use crate::{
    db::actors::Actor,
    model::{actor::ActorKind, visibility::CommunityVisibility},
};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKey {
    pub id: String,
    pub owner: String,
    pub public_key_pem: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Endpoints {
    #[serde(rename = "sharedInbox", skip_serializing_if = "Option::is_none")]
    pub shared_inbox: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Image {
    #[serde(rename = "type")]
    pub kind: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApActor {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub preferred_username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub inbox: String,
    // Other software may omit these: accepted when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outbox: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub followers: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub following: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Endpoints>,
    pub public_key: PublicKey,
    #[serde(default)]
    pub manually_approves_followers: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discoverable: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_image"
    )]
    pub icon: Option<Image>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_image"
    )]
    pub image: Option<Image>,
    /// Groups: the moderators collection (FEP-1b12, as Lemmy publishes it).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(default, deserialize_with = "super::refs::maybe")]
    pub attributed_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moderators: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub featured: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posting_restricted_to_mods: Option<bool>,
    /// Groups: Passerelle's community visibility (`public`, `partners`, `members`),
    /// so members' servers address what they send as the community does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    /// `toot:suspended`: the account's own server suspended it (Mastodon 3.5+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspended: Option<bool>,
    /// Profile fields, as `PropertyValue`s (Mastodon's convention).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::post::list"
    )]
    pub attachment: Vec<serde_json::Value>,
}

/// An image given as an object, a list of objects, or a bare URL; anything else is ignored.
fn lenient_image<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Image>, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    let first = match &v {
        serde_json::Value::Array(items) => items.first().cloned().unwrap_or_default(),
        other => other.clone(),
    };
    Ok(match first {
        serde_json::Value::String(url) => Some(Image {
            kind: "Image".into(),
            url,
        }),
        serde_json::Value::Object(map) => {
            map.get("url").and_then(|u| u.as_str()).map(|url| Image {
                kind: "Image".into(),
                url: url.to_string(),
            })
        }
        _ => None,
    })
}

pub fn main_key_id(actor_id: &str) -> String {
    format!("{actor_id}#main-key")
}

/// Our local actor row → its ActivityPub document.
pub fn to_ap(actor: &Actor) -> ApActor {
    let group = actor.kind() == ActorKind::Group;
    let image = |url: &Option<String>| {
        url.clone().map(|url| Image {
            kind: "Image".into(),
            url,
        })
    };
    ApActor {
        id: actor.ap_id.clone(),
        kind: actor.kind.clone(),
        preferred_username: actor.name.clone(),
        name: Some(if actor.display_name.is_empty() {
            actor.name.clone()
        } else {
            actor.display_name.clone()
        }),
        summary: Some(actor.summary.clone()),
        url: actor.url.clone(),
        inbox: actor.inbox_url.clone(),
        outbox: actor.outbox_url.clone(),
        followers: actor.followers_url.clone(),
        following: actor.following_url.clone(),
        endpoints: Some(Endpoints {
            shared_inbox: actor.shared_inbox_url.clone(),
        }),
        public_key: PublicKey {
            id: main_key_id(&actor.ap_id),
            owner: actor.ap_id.clone(),
            public_key_pem: actor.public_key_pem.clone(),
        },
        // A community beyond public is private as Lemmy 1.0 reads it: it then
        // takes posts addressed to members only (partners' servers are
        // accepted at once all the same).
        manually_approves_followers: Some(
            actor.locked || (group && actor.reach() != CommunityVisibility::Public),
        ),
        discoverable: Some(actor.discoverable),
        published: Some(crate::api::mastodon::entities::timestamp(actor.created_at)),
        icon: image(&actor.avatar_url),
        image: image(&actor.header_url),
        attributed_to: group.then(|| format!("{}/moderators", actor.ap_id)),
        moderators: group.then(|| format!("{}/moderators", actor.ap_id)),
        featured: Some(format!("{}/featured", actor.ap_id)),
        posting_restricted_to_mods: group.then_some(false),
        visibility: group.then(|| actor.visibility.clone()),
        suspended: actor.suspended_at.is_some().then_some(true),
        attachment: actor
            .field_pairs()
            .into_iter()
            .map(|(name, value)| serde_json::json!({"type": "PropertyValue", "name": name, "value": value}))
            .collect(),
    }
}

/// What a server that may not read an actor still gets: that it exists, and its
/// key, so that verifying a signature never needs a signature. A suspended
/// account shows only this, with `suspended: true`. A community also names its
/// outbox and members collections (which answer members' servers only): Lemmy
/// cannot read a group without them, and so could never ask to join.
pub fn key_only(actor: &Actor) -> ApActor {
    let full = to_ap(actor);
    let group = actor.kind() == ActorKind::Group;
    ApActor {
        name: None,
        summary: None,
        url: None,
        outbox: full.outbox.clone().filter(|_| group),
        followers: full.followers.clone().filter(|_| group),
        following: None,
        discoverable: None,
        published: None,
        icon: None,
        image: None,
        attributed_to: None,
        moderators: None,
        featured: None,
        posting_restricted_to_mods: None,
        visibility: None,
        attachment: vec![],
        ..full
    }
}

/// The actor as everyone may see it: whole, or only its key while suspended.
pub fn public_doc(actor: &Actor) -> ApActor {
    if actor.suspended_at.is_some() {
        key_only(actor)
    } else {
        to_ap(actor)
    }
}
