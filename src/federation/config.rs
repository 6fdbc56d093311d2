//! The federation library's configuration: our domain, HTTP client, signed fetches.

use std::time::Duration;

use activitypub_federation::config::{FederationConfig, UrlVerifier};
use url::Url;

use super::{objects::actor::DbActor, policy::Policy};
use crate::{db::actors::Actor, state::AppState};

/// Refuses every URL outside the federation policy, before any request is made.
#[derive(Clone)]
struct PolicyVerifier(Policy);

#[async_trait::async_trait]
impl UrlVerifier for PolicyVerifier {
    async fn verify(&self, url: &Url) -> Result<(), activitypub_federation::error::Error> {
        if self.0.allows_url(url) {
            Ok(())
        } else {
            Err(activitypub_federation::error::Error::UrlVerificationError(
                "federation with this domain is not allowed",
            ))
        }
    }
}

/// The HTTP client for everything federation sends: no redirects followed, timeouts,
/// and (unless `allow_insecure`) no loopback or private addresses after DNS resolution.
pub fn http_client(state: &AppState) -> anyhow::Result<reqwest::Client> {
    let timeout = Duration::from_secs(10);
    let mut client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(format!(
            "Passerelle/{} (+{})",
            env!("CARGO_PKG_VERSION"),
            state.urls.base()
        ));
    if !state.config.federation.allow_insecure {
        client = client.dns_resolver(std::sync::Arc::new(
            activitypub_federation::resolver::ValidatingDnsResolver::new(vec![], true),
        ));
    }
    Ok(client.build()?)
}

pub async fn build(
    state: &AppState,
    instance_actor: Actor,
) -> anyhow::Result<FederationConfig<AppState>> {
    let insecure = state.config.federation.allow_insecure;
    let timeout = Duration::from_secs(10);
    let signer = DbActor::new(instance_actor).map_err(|e| anyhow::anyhow!("{e}"))?;
    let config = FederationConfig::builder()
        .domain(state.urls.domain())
        .app_data(state.clone())
        .client(
            reqwest_middleware::ClientBuilder::new(http_client(state)?)
                .with(super::fetch_guard::FetchGuard)
                .build(),
        )
        .debug(insecure)
        .allow_http_urls(insecure)
        .url_verifier(Box::new(PolicyVerifier(state.policy.clone())))
        .request_timeout(timeout)
        .http_fetch_limit(50)
        .signed_fetch_actor(&signer)
        .build()
        .await?;
    Ok(config)
}
