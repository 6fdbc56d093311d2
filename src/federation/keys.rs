//! Whose key signed a request, for key ids as servers write them: Mastodon's are
//! the actor's URL with `#main-key`; GoToSocial's are a path of their own that
//! answers a key stub (an actor document without an inbox); others answer a
//! `CryptographicKey` with an `owner`. The owner found for a key is remembered, and
//! so, briefly, is a key that led nowhere: one sender cannot make us fetch its key
//! document on every request.

use std::time::Duration;

use activitypub_federation::fetch::{fetch_object_http, object_id::ObjectId};
use moka::sync::Cache;
use serde_json::Value;
use url::Url;

use crate::{
    db,
    error::{AppError, AppResult},
    federation::objects::actor::DbActor,
    state::AppState,
};

/// Owners by key id, and the key ids that led to no key.
#[derive(Clone)]
pub struct KeyOwners {
    found: Cache<String, Url>,
    failed: Cache<String, ()>,
}

impl Default for KeyOwners {
    fn default() -> Self {
        KeyOwners {
            found: Cache::builder()
                .max_capacity(10_000)
                .time_to_live(Duration::from_secs(60 * 60))
                .build(),
            failed: Cache::builder()
                .max_capacity(10_000)
                .time_to_live(Duration::from_secs(5 * 60))
                .build(),
        }
    }
}

/// The actor that holds the key `key`; 401 when there is none to be found.
pub async fn owner(state: &AppState, key: &Url) -> AppResult<DbActor> {
    let owners = &state.key_owners;
    let id = key.to_string();
    if owners.failed.contains_key(&id) {
        return Err(AppError::unauthorized("Unknown signing key"));
    }
    let found = match owners.found.get(&id) {
        Some(owner) => Ok(owner),
        None => owner_url(state, key).await,
    };
    let actor = match found {
        Ok(owner) => {
            ObjectId::<DbActor>::from(owner)
                .dereference(&state.fed())
                .await
        }
        Err(e) => Err(e),
    };
    match actor {
        Ok(a) => {
            owners.found.insert(id, a.url.clone());
            Ok(a)
        }
        Err(e) => {
            tracing::info!(key = %id, error = %e, "no actor found for a signing key");
            owners.failed.insert(id, ());
            Err(AppError::unauthorized("Unknown signing key"))
        }
    }
}

/// The URL of the key's owner: the key without its fragment, an actor we hold at
/// that URL, or what the key's own document says.
async fn owner_url(state: &AppState, key: &Url) -> AppResult<Url> {
    let mut actor = key.clone();
    actor.set_fragment(None);
    if key.fragment().is_some() {
        return Ok(actor);
    }
    let at = actor.to_string();
    let known = state
        .db
        .run(move |c| Ok(db::actors::by_ap_id(c, &at)?))
        .await?;
    if known.is_some() {
        return Ok(actor);
    }
    // A key stub names its actor as its id: the library then fetches that id, so
    // `doc` is the actor itself. A `CryptographicKey` names its `owner`.
    let doc: Value = fetch_object_http(key, &state.fed()).await?.object;
    let owner = match doc.get("owner") {
        Some(owner) => owner.as_str(),
        None if doc.get("publicKey").is_some() => doc["id"].as_str(),
        None => None,
    };
    owner
        .and_then(|o| Url::parse(o).ok())
        .ok_or_else(|| AppError::unauthorized("The signing key names no owner"))
}
