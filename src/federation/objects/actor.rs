//! Actors (people, groups, the instance) as ActivityPub objects.

use crate::model::visibility::CommunityVisibility;
use activitypub_federation::{
    config::Data,
    protocol::verification::verify_domains_match,
    traits::{Actor as ApActorTrait, Object},
};
use chrono::{DateTime, Utc};
use url::Url;

use super::authority;
use crate::{
    db::{self, actors::Actor},
    error::AppError,
    federation::protocol::{
        actor::{ApActor, to_ap},
        web_url,
    },
    model::{actor::ActorKind, id::new_id},
    service::now,
    state::AppState,
};

/// An actor row with its URL parsed, as the federation library wants it.
#[derive(Debug, Clone)]
pub struct DbActor {
    pub row: Actor,
    pub url: Url,
}

impl DbActor {
    pub fn new(row: Actor) -> Result<Self, AppError> {
        let url = Url::parse(&row.ap_id).map_err(AppError::internal)?;
        Ok(Self { row, url })
    }
}

/// Remote actor rows, so that each inbox request does not read its sender's key
/// from the database. Every write of a remote actor on this node goes through
/// `from_json`, which refreshes its entry; a change made by another node on the
/// same database is seen here after at most the time to live.
pub type ActorCache = moka::sync::Cache<String, Actor>;

pub fn actor_cache() -> ActorCache {
    moka::sync::Cache::builder()
        .max_capacity(10_000)
        .time_to_live(std::time::Duration::from_secs(60))
        .build()
}

const MAX_NAME: usize = 200;
const MAX_SUMMARY: usize = 20_000;

/// At most `max` characters, without NULs (which PostgreSQL refuses in text).
fn cut(s: Option<String>, max: usize) -> String {
    s.unwrap_or_default()
        .chars()
        .filter(|c| *c != '\0')
        .take(max)
        .collect()
}

#[async_trait::async_trait]
impl Object for DbActor {
    type DataType = AppState;
    type Kind = ApActor;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.url
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        // Local actors never need a refresh; remote ones are refetched after a day.
        if self.row.local {
            Some(Utc::now())
        } else {
            self.row.fetched_at.map(|t| t.and_utc())
        }
    }

    async fn read_from_id(id: Url, data: &Data<AppState>) -> Result<Option<Self>, AppError> {
        let id = id.to_string();
        if let Some(row) = data.remote_actors.get(&id) {
            return DbActor::new(row).map(Some);
        }
        let key = id.clone();
        let row = data
            .db
            .run(move |c| Ok(db::actors::by_ap_id(c, &key)?))
            .await?;
        if let Some(row) = row.as_ref().filter(|r| !r.local) {
            data.remote_actors.insert(id, row.clone());
        }
        row.map(DbActor::new).transpose()
    }

    async fn into_json(self, _data: &Data<AppState>) -> Result<ApActor, AppError> {
        Ok(to_ap(&self.row))
    }

    async fn verify(
        json: &ApActor,
        expected_domain: &Url,
        _data: &Data<AppState>,
    ) -> Result<(), AppError> {
        let id =
            Url::parse(&json.id).map_err(|_| AppError::bad_request("actor id is not a URL"))?;
        verify_domains_match(&id, expected_domain).map_err(|_| super::origin_mismatch("actor"))?;
        let key_owner = Url::parse(&json.public_key.owner)
            .map_err(|_| AppError::bad_request("bad key owner"))?;
        verify_domains_match(&id, &key_owner).map_err(|_| super::origin_mismatch("actor key"))?;
        json.kind
            .parse::<ActorKind>()
            .map_err(|_| AppError::bad_request(format!("unsupported actor type {}", json.kind)))?;
        Ok(())
    }

    async fn from_json(json: ApActor, data: &Data<AppState>) -> Result<Self, AppError> {
        let id =
            Url::parse(&json.id).map_err(|_| AppError::bad_request("actor id is not a URL"))?;
        let kind: ActorKind = json.kind.parse().map_err(AppError::bad_request)?;
        let at = now();
        let row = Actor {
            id: new_id(),
            ap_id: json.id.clone(),
            kind: kind.as_str().to_string(),
            name: cut(Some(json.preferred_username), 100),
            domain: authority(&id),
            local: false,
            display_name: cut(json.name, MAX_NAME),
            summary: crate::model::content::sanitize(&cut(json.summary, MAX_SUMMARY)),
            url: json.url.as_deref().and_then(web_url),
            inbox_url: json.inbox,
            shared_inbox_url: json
                .endpoints
                .and_then(|e| e.shared_inbox)
                .as_deref()
                .and_then(web_url),
            outbox_url: json.outbox.as_deref().and_then(web_url),
            followers_url: json.followers.as_deref().and_then(web_url),
            following_url: json.following.as_deref().and_then(web_url),
            public_key_pem: json.public_key.public_key_pem,
            private_key_pem: None,
            // Shown in apps: http(s) only (no `javascript:` or `data:` avatars).
            avatar_url: json.icon.and_then(|i| web_url(&i.url)),
            header_url: json.image.and_then(|i| web_url(&i.url)),
            locked: json.manually_approves_followers.unwrap_or(false),
            discoverable: json.discoverable.unwrap_or(false),
            // What a remote community says of itself; `internal` is never federated
            // and anything unknown counts as public.
            visibility: match json.visibility.as_deref() {
                Some(v @ ("partners" | "members")) if kind == ActorKind::Group => v.into(),
                _ => CommunityVisibility::Public.as_str().into(),
            },
            instance_id: None,
            created_at: at,
            updated_at: at,
            fetched_at: Some(at),
            note_source: String::new(),
            fields: fields_from_ap(&json.attachment),
            // Its own server suspended it: hidden here too, until it says otherwise.
            suspended_at: (json.suspended == Some(true)).then_some(at),
            suspension_origin: (json.suspended == Some(true)).then(|| "remote".into()),
            deleted_at: None,
        };
        if row.ap_id.starts_with(data.urls.base()) {
            return Err(AppError::bad_request(
                "a remote actor may not claim a local id",
            ));
        }
        let saved = data
            .db
            .write(move |c| Ok(db::actors::upsert_remote(c, &row)?))
            .await?;
        data.remote_actors
            .insert(saved.ap_id.clone(), saved.clone());
        DbActor::new(saved)
    }
}

impl ApActorTrait for DbActor {
    fn public_key_pem(&self) -> &str {
        &self.row.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        self.row.private_key_pem.clone()
    }

    fn inbox(&self) -> Url {
        Url::parse(&self.row.inbox_url).unwrap_or_else(|_| self.url.clone())
    }

    fn shared_inbox(&self) -> Option<Url> {
        self.row
            .shared_inbox_url
            .as_deref()
            .and_then(|u| Url::parse(u).ok())
    }
}

/// Profile fields from `PropertyValue` attachments (as Mastodon publishes
/// them): a few, short, values sanitised.
fn fields_from_ap(attachment: &[serde_json::Value]) -> String {
    let fields: Vec<serde_json::Value> = attachment
        .iter()
        .filter(|a| a.get("type").and_then(|t| t.as_str()) == Some("PropertyValue"))
        .filter_map(|a| {
            let name = cut(Some(a.get("name")?.as_str()?.to_string()), 255);
            let value = cut(Some(a.get("value")?.as_str()?.to_string()), 2048);
            Some(serde_json::json!({
                "name": name,
                "value": crate::model::content::sanitize(&value),
            }))
        })
        .take(crate::service::profile::MAX_FIELDS)
        .collect();
    serde_json::Value::Array(fields).to_string()
}
