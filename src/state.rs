//! Everything a request handler or background job needs, passed explicitly.

use std::{
    ops::Deref,
    sync::{Arc, OnceLock},
};

use activitypub_federation::config::{Data, FederationConfig};

use crate::{
    config::Config,
    db::Db,
    federation::{policy::Policy, urls::Urls},
};

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: Config,
    pub db: Db,
    pub urls: Urls,
    pub policy: Policy,
    pub limits: crate::rate_limit::Limits,
    /// Background work (deliveries): waited for at shutdown so nothing in flight is cut.
    pub tasks: tokio_util::task::TaskTracker,
    /// Wakes the inbound workers when the inbox stored an activity.
    pub inbound_wake: tokio::sync::Notify,
    /// Inbox requests being answered (see `federation::inbound::Answering`).
    pub inbox_in_flight: std::sync::atomic::AtomicUsize,
    /// Verified inbox activities being stored, in batches.
    pub intake: crate::federation::intake::Intake,
    /// Remote actors by id, for the signature check of each inbox request.
    pub remote_actors: crate::federation::objects::actor::ActorCache,
    /// Who holds each signing key seen on a signed GET (`federation::keys`).
    pub key_owners: crate::federation::keys::KeyOwners,
    /// Which HTTP signature scheme each server takes (`delivery::knock`).
    pub signature_schemes: crate::federation::delivery::knock::Schemes,
    /// The VAPID key pair for Web Push, loaded (or made) on first use.
    pub push_keys: tokio::sync::OnceCell<Arc<crate::service::push::Vapid>>,
    /// Renderings shared by anonymous stream listeners, and their count.
    pub anonymous_streams: crate::api::mastodon::AnonymousStreams,
    /// Uploaded bytes held in memory, bounded across requests.
    pub uploads: crate::api::upload_budget::UploadBudget,
    /// Name, branding, rules, registration: config.toml and runtime changes.
    settings: std::sync::RwLock<Arc<crate::service::instance_settings::Settings>>,
    /// Cancelled at shutdown: background loops stop taking new work.
    pub shutdown: tokio_util::sync::CancellationToken,
    /// Set once at startup: the federation library's configuration holds this state.
    federation: OnceLock<FederationConfig<AppState>>,
}

impl AppState {
    pub fn new(config: Config, db: Db) -> Self {
        let urls = Urls::new(config.scheme(), config.domain().as_str());
        let policy = Policy::from_config(&config.federation);
        let limits = crate::rate_limit::Limits::from_config(&config);
        let uploads =
            crate::api::upload_budget::UploadBudget::new(config.limits.upload_memory_bytes);
        let settings = crate::service::instance_settings::Settings::from_config(&config);
        Self(Arc::new(Inner {
            settings: std::sync::RwLock::new(Arc::new(settings)),
            limits,
            config,
            db,
            urls,
            policy,
            tasks: tokio_util::task::TaskTracker::new(),
            anonymous_streams: Default::default(),
            uploads,
            inbound_wake: tokio::sync::Notify::new(),
            inbox_in_flight: Default::default(),
            intake: Default::default(),
            remote_actors: crate::federation::objects::actor::actor_cache(),
            key_owners: Default::default(),
            signature_schemes: Default::default(),
            push_keys: tokio::sync::OnceCell::new(),
            shutdown: tokio_util::sync::CancellationToken::new(),
            federation: OnceLock::new(),
        }))
    }

    /// Wakes the delivery workers for work queued other than by an event (a
    /// retry, a server unblocked); events wake them themselves (`db::outbox`).
    pub fn wake_delivery(&self) {
        self.db.delivery_wake().notify_one();
    }

    /// Waits (at most `limit`) for background work to finish.
    pub async fn drain(&self, limit: std::time::Duration) {
        self.shutdown.cancel();
        self.tasks.close();
        if tokio::time::timeout(limit, self.tasks.wait())
            .await
            .is_err()
        {
            tracing::warn!(
                pending = self.tasks.len(),
                "background work still running at exit"
            );
        }
    }

    /// The instance's current settings (a snapshot: cheap to hold across awaits).
    pub fn instance(&self) -> Arc<crate::service::instance_settings::Settings> {
        self.settings
            .read()
            .map(|s| s.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    pub fn set_instance(&self, s: crate::service::instance_settings::Settings) {
        let mut slot = self.settings.write().unwrap_or_else(|e| e.into_inner());
        *slot = Arc::new(s);
    }

    pub fn set_federation(&self, config: FederationConfig<AppState>) {
        let _ = self.federation.set(config);
    }

    /// The federation library's request context (fetching, signing, sending).
    pub fn fed(&self) -> Data<AppState> {
        match self.federation.get() {
            Some(c) => c.to_request_data(),
            // build_state sets it before anything runs; reaching this is a bug.
            None => panic!("federation is not configured"),
        }
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
