//! Which software another server runs, from its NodeInfo (`/.well-known/nodeinfo`,
//! then the 2.x document it links), learnt once per server and kept in
//! `instances`. It decides the form of a community's re-shares: group-aware
//! software (Lemmy and its kin) takes a member's activity wrapped in the
//! community's `Announce` and refuses the bare object, which Mastodon-style
//! software (Mastodon, GoToSocial, Fedify-based servers) needs to show the post.

use serde_json::Value;
use url::Url;

use crate::{db, federation::objects::authority, service::now, state::AppState};

/// Software that implements FEP-1b12 groups itself: sent the wrapped form only.
const GROUP_AWARE: &[&str] = &["lemmy", "mbin", "kbin", "piefed"];

/// NodeInfo documents are a few kilobytes; anything past this is not one.
const MAX_BYTES: usize = 64 * 1024;

/// Whether a server running `software` (unknown: `None`) wants a community's new
/// posts announced as bare objects too.
pub fn takes_plain_objects(software: Option<&str>) -> bool {
    !software.is_some_and(|s| GROUP_AWARE.contains(&s))
}

/// Learns what the server of `actor` (an actor's URL) runs, unless it was asked
/// within a day. A server without NodeInfo is recorded as unknown, and asked
/// again the next day. Never fails: what cannot be learnt stays unknown.
pub async fn learn(state: &AppState, actor: &str) {
    let Ok(url) = Url::parse(actor) else {
        return;
    };
    let domain = authority(&url);
    let (at, since) = (domain.clone(), now() - chrono::Duration::days(1));
    let asked = state
        .db
        .run(move |c| Ok(db::instances::asked_since(c, &at, since)?))
        .await;
    if !matches!(asked, Ok(false)) {
        return;
    }
    let name = match software(state, &url).await {
        Ok(name) => Some(name),
        Err(e) => {
            tracing::info!(server = %domain, error = %e, "no NodeInfo");
            None
        }
    };
    let saved = state
        .db
        .write(move |c| {
            Ok(db::instances::set_software(
                c,
                &domain,
                name.as_deref(),
                now(),
            )?)
        })
        .await;
    if let Err(e) = saved {
        tracing::warn!(error = %e, "could not record a server's software");
    }
}

/// The `software.name` of the server `at` lives on, lowercase.
async fn software(state: &AppState, at: &Url) -> anyhow::Result<String> {
    let mut well_known = at.clone();
    well_known.set_path("/.well-known/nodeinfo");
    well_known.set_query(None);
    well_known.set_fragment(None);
    let client = super::config::http_client(state)?;
    let index = get_json(state, &client, &well_known).await?;
    let href = index["links"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|l| {
            l["rel"]
                .as_str()
                .is_some_and(|r| r.starts_with("http://nodeinfo.diaspora.software/ns/schema/2."))
        })
        .find_map(|l| l["href"].as_str().and_then(|h| Url::parse(h).ok()))
        .ok_or_else(|| anyhow::anyhow!("no NodeInfo 2.x link"))?;
    if authority(&href) != authority(at) {
        anyhow::bail!("the NodeInfo link leaves the server");
    }
    let doc = get_json(state, &client, &href).await?;
    doc["software"]["name"]
        .as_str()
        .filter(|n| !n.is_empty() && n.len() <= 64)
        .map(str::to_ascii_lowercase)
        .ok_or_else(|| anyhow::anyhow!("NodeInfo names no software"))
}

async fn get_json(state: &AppState, client: &reqwest::Client, url: &Url) -> anyhow::Result<Value> {
    if !state.policy.allows_url(url) {
        anyhow::bail!("federation with this server is not allowed");
    }
    let mut response = client
        .get(url.clone())
        .header("accept", "application/json")
        .send()
        .await?
        .error_for_status()?;
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_BYTES {
            anyhow::bail!("NodeInfo document over {MAX_BYTES} bytes");
        }
    }
    Ok(serde_json::from_slice(&body)?)
}

#[cfg(test)]
mod tests {
    use super::takes_plain_objects;

    #[test]
    fn group_aware_software_gets_the_wrapped_form_only() {
        for s in ["lemmy", "mbin", "piefed"] {
            assert!(!takes_plain_objects(Some(s)), "{s}");
        }
        for s in [Some("mastodon"), Some("gotosocial"), Some("hollo"), None] {
            assert!(takes_plain_objects(s), "{s:?}");
        }
    }
}
