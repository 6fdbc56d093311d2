//! Which HTTP signature scheme a delivery is signed with. Every server takes
//! draft-cavage; RFC 9421 goes to the servers that have signed to us that way
//! (a server that signs with it verifies it). A server that refuses an RFC 9421
//! delivery gets it again at once as draft-cavage (double knocking, as Fedify
//! and Mastodon 4.5 do) and draft-cavage from then on, until it signs to us
//! with RFC 9421 again. Kept in `instances.signatures`, cached per node.

use std::time::Duration;

use moka::sync::Cache;

use crate::{db, service::now, state::AppState};

pub const RFC9421: &str = "rfc9421";

/// What each destination takes, remembered for a few minutes per node.
#[derive(Clone)]
pub struct Schemes(Cache<String, bool>);

impl Default for Schemes {
    fn default() -> Self {
        Schemes(
            Cache::builder()
                .max_capacity(10_000)
                .time_to_live(Duration::from_secs(5 * 60))
                .build(),
        )
    }
}

/// Whether deliveries to `domain` are signed the RFC 9421 way.
pub async fn rfc9421(state: &AppState, domain: &str) -> bool {
    let schemes = &state.signature_schemes.0;
    if let Some(known) = schemes.get(domain) {
        return known;
    }
    let at = domain.to_string();
    let takes = state
        .db
        .run(move |c| Ok(db::instances::signatures(c, &at)?))
        .await
        .is_ok_and(|s| s.as_deref() == Some(RFC9421));
    schemes.insert(domain.to_string(), takes);
    takes
}

/// `domain` refused an RFC 9421 delivery: draft-cavage from now on.
pub async fn refused(state: &AppState, domain: &str) {
    state.signature_schemes.0.insert(domain.to_string(), false);
    record(state, domain, None).await;
}

/// A request from `domain` verified as RFC 9421: it takes it. Written when this
/// node did not already know it.
pub async fn heard(state: &AppState, domain: &str) {
    let schemes = &state.signature_schemes.0;
    if schemes.get(domain) == Some(true) {
        return;
    }
    schemes.insert(domain.to_string(), true);
    record(state, domain, Some(RFC9421)).await;
}

async fn record(state: &AppState, domain: &str, scheme: Option<&'static str>) {
    let at = domain.to_string();
    let saved = state
        .db
        .write(move |c| Ok(db::instances::set_signatures(c, &at, scheme, now())?))
        .await;
    if let Err(e) = saved {
        tracing::warn!(error = %e, "could not record a server's signature scheme");
    }
}
