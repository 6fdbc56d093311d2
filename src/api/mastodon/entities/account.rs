//! The `Account` entity, for people and communities (`group: true`).

use serde::Serialize;
use serde_json::Value;

use super::timestamp;
use crate::{
    db::actors::{Actor, Counts},
    model::actor::ActorKind,
    state::AppState,
};

#[derive(Serialize)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub acct: String,
    pub display_name: String,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub group: bool,
    pub created_at: String,
    pub note: String,
    pub url: String,
    pub uri: String,
    pub avatar: String,
    pub avatar_static: String,
    pub header: String,
    pub header_static: String,
    pub followers_count: i64,
    pub following_count: i64,
    pub statuses_count: i64,
    pub last_status_at: Option<String>,
    pub emojis: Vec<Value>,
    pub fields: Vec<Value>,
    /// Mastodon 4's highlighted roles: the ambassador badge.
    pub roles: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Only when suspended by an administrator (as Mastodon shows it).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suspended: bool,
}

/// Only in `verify_credentials` and `update_credentials`.
#[derive(Serialize)]
pub struct Source {
    pub privacy: &'static str,
    pub sensitive: bool,
    pub language: Option<String>,
    pub note: String,
    pub fields: Vec<Value>,
    pub follow_requests_count: i64,
}

pub fn from_actor(state: &AppState, actor: &Actor, counts: Counts) -> Account {
    let acct = if actor.local {
        actor.name.clone()
    } else {
        format!("{}@{}", actor.name, actor.domain)
    };
    let avatar = actor
        .avatar_url
        .clone()
        .unwrap_or_else(|| state.urls.avatar_default());
    let header = actor
        .header_url
        .clone()
        .unwrap_or_else(|| state.urls.header_default());
    // Apps show `statuses_count` as a community's posts: what is posted in it,
    // not the little the group itself writes.
    let group = actor.kind() == ActorKind::Group;
    let (statuses, last_status_at) = if group {
        (counts.threads, counts.last_thread_at)
    } else {
        (counts.statuses, counts.last_status_at)
    };
    let display_name = if actor.display_name.is_empty() {
        actor.name.clone()
    } else {
        actor.display_name.clone()
    };
    Account {
        id: actor.id.to_string(),
        username: actor.name.clone(),
        acct,
        display_name,
        locked: actor.locked,
        bot: actor.kind() == ActorKind::Application,
        discoverable: actor.discoverable,
        group,
        created_at: timestamp(actor.created_at),
        note: actor.summary.clone(),
        url: actor.url.clone().unwrap_or_else(|| actor.ap_id.clone()),
        uri: actor.ap_id.clone(),
        avatar: avatar.clone(),
        avatar_static: avatar,
        header: header.clone(),
        header_static: header,
        followers_count: counts.followers,
        following_count: counts.following,
        statuses_count: statuses,
        last_status_at: last_status_at.map(|t| t.date().to_string()),
        emojis: vec![],
        fields: actor
            .field_pairs()
            .into_iter()
            .map(|(name, value)| serde_json::json!({ "name": name, "value": value, "verified_at": null }))
            .collect(),
        roles: roles(&counts),
        source: None,
        suspended: actor.suspended_at.is_some(),
    }
}

/// The badges an account shows, as Mastodon's `AccountRole` (id, name, colour).
fn roles(counts: &Counts) -> Vec<Value> {
    if counts.ambassador {
        vec![serde_json::json!({ "id": "ambassador", "name": "Ambassador", "color": "" })]
    } else {
        vec![]
    }
}

/// The signed-in user's own account, with `source`.
/// `locale`: the language the person chose (`users.locale`; empty: none).
pub fn credential(state: &AppState, actor: &Actor, counts: Counts, locale: &str) -> Account {
    let mut account = from_actor(state, actor, counts);
    account.source = Some(Source {
        privacy: crate::model::visibility::Visibility::Public.as_str(),
        sensitive: false,
        language: Some(locale.to_string()).filter(|l| !l.is_empty()),
        note: actor.note_source.clone(),
        fields: actor
            .field_sources()
            .into_iter()
            .map(|(name, value)| serde_json::json!({ "name": name, "value": value, "verified_at": null }))
            .collect(),
        follow_requests_count: 0,
    });
    account
}
