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
    client_with_timeout(state, Duration::from_secs(10))
}

/// The federation client with another timeout (a file takes longer than a document).
pub fn client_with_timeout(state: &AppState, timeout: Duration) -> anyhow::Result<reqwest::Client> {
    let mut client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(format!(
            "Passerelle/{} (+{})",
            env!("CARGO_PKG_VERSION"),
            state.urls.base()
        ));
    if let Some(resolver) = resolver(state.config.federation.allow_insecure) {
        client = client.dns_resolver(resolver);
    }
    Ok(client.build()?)
}

/// The resolver behind every federation request: it refuses names that resolve to
/// loopback, private, link-local, unique-local or IPv4-mapped internal addresses,
/// at every connection (so on every redirect too). IP literals never reach it:
/// `Policy::allows_url` refuses them.
fn resolver(
    allow_insecure: bool,
) -> Option<std::sync::Arc<activitypub_federation::resolver::ValidatingDnsResolver>> {
    (!allow_insecure).then(|| {
        std::sync::Arc::new(
            activitypub_federation::resolver::ValidatingDnsResolver::new(vec![], true),
        )
    })
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

#[cfg(test)]
mod tests {
    use reqwest::dns::{Name, Resolve};

    use super::resolver;

    #[tokio::test]
    async fn internal_addresses_are_refused_after_resolution() {
        let r = resolver(false).expect("a validating resolver");
        let refused = [
            "127.0.0.1",
            "127.1.2.3",
            "0.0.0.0",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.10",
            "169.254.169.254",
            "100.64.0.1",
            "::1",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "localhost",
        ];
        for host in refused {
            let name: Name = host.parse().expect("name");
            assert!(r.resolve(name).await.is_err(), "{host} was allowed");
        }
        for host in ["93.184.216.34", "2606:4700:4700::1111", "8.8.8.8"] {
            let name: Name = host.parse().expect("name");
            assert!(r.resolve(name).await.is_ok(), "{host} was refused");
        }
        assert!(resolver(true).is_none(), "allow_insecure skips the checks");
    }

    /// End to end: a name that resolves to loopback is never connected to.
    #[tokio::test]
    async fn the_client_never_connects_to_loopback() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let accepted = tokio::spawn(async move {
            tokio::time::timeout(std::time::Duration::from_millis(500), listener.accept())
                .await
                .is_ok()
        });
        let client = reqwest::Client::builder()
            .dns_resolver(resolver(false).expect("resolver"))
            .build()
            .expect("client");
        let result = client
            .get(format!("http://localhost:{port}/secret"))
            .send()
            .await;
        assert!(result.is_err());
        assert!(
            !accepted.await.expect("join"),
            "a connection reached loopback"
        );
    }
}
