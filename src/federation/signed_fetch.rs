//! Authorized fetch: who is asking for an ActivityPub document, read from the
//! HTTP signature of the GET (draft-cavage, as Mastodon and Lemmy sign fetches, or
//! RFC 9421, as Fedify does: `message_signatures`),
//! and whether that server may read it. The federation library verifies signed
//! GETs for actix-web only; this is the axum side.
//!
//! Answers: no signature where one is needed → 401; a signature that does not
//! verify → 401; a signer outside the federation policy → 403; a signer whose
//! server may not read the document → 404 (its existence is not revealed).

use std::{collections::BTreeMap, time::Duration};

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, Method, Uri, request::Parts},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use rsa::{Pkcs1v15Sign, RsaPublicKey, pkcs8::DecodePublicKey};
use sha2::{Digest, Sha256};
use url::Url;

use super::objects::authority;
pub use super::read_access::{Audience, authorize};
use crate::{
    db::actors::Actor,
    error::{AppError, AppResult},
    model::actor::ActorKind,
    state::AppState,
};

/// How old a signature's date may be (as the federation library allows for
/// deliveries), and how far ahead of our clock.
const MAX_AGE: Duration = Duration::from_secs(60 * 60);
const MAX_AHEAD: Duration = Duration::from_secs(5 * 60);

/// Who sent a GET: nobody in particular, or a server (its authority,
/// `host[:port]`) that proved it with a signature, maybe one of its people.
#[derive(Debug, Clone)]
pub enum Fetcher {
    Anonymous,
    /// A server speaking for itself (its instance or application actor).
    Server(String),
    /// A person of that server: what is addressed to people (followers-only and
    /// direct posts, a members community's threads) is for them only if they
    /// are among those people, whoever else their server hosts.
    Person(String, Box<Actor>),
}

impl Fetcher {
    /// The signer's server (`host[:port]`), if the request was signed.
    pub fn server(&self) -> Option<&str> {
        match self {
            Fetcher::Anonymous => None,
            Fetcher::Server(s) | Fetcher::Person(s, _) => Some(s),
        }
    }

    fn signed_by(server: String, signer: Actor) -> Fetcher {
        if signer.kind() == ActorKind::Person {
            Fetcher::Person(server, Box::new(signer))
        } else {
            Fetcher::Server(server)
        }
    }
}

impl FromRequestParts<AppState> for Fetcher {
    type Rejection = AppError;

    /// A signature that cannot be verified (a key we cannot find or read, a
    /// signing scheme we do not take) makes an anonymous read: public documents are
    /// served, the others are refused as they are without a signature. A server
    /// outside the federation policy is refused outright.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match identify(state, &parts.method, &parts.uri, &parts.headers).await {
            Err(e) if e.status == axum::http::StatusCode::UNAUTHORIZED => {
                tracing::info!(error = %e, uri = %parts.uri, "unverified signed fetch, read as anonymous");
                Ok(Fetcher::Anonymous)
            }
            other => other,
        }
    }
}

fn signature_param<'a>(signature: &'a str, name: &str) -> Option<&'a str> {
    signature.split(',').find_map(|part| {
        let (k, v) = part.trim().split_once('=')?;
        (k.trim() == name).then(|| v.trim().trim_matches('"'))
    })
}

/// Checks the `Date` header against our clock: not older than an hour, not more
/// than five minutes ahead. Used for signed GETs and the inbox alike.
pub fn check_date(headers: &HeaderMap) -> AppResult<()> {
    let Some(date) = headers.get("date").and_then(|d| d.to_str().ok()) else {
        return Ok(()); // then `(created)` carries the time, checked by the verifier
    };
    let date = httpdate::parse_http_date(date)
        .map_err(|_| AppError::unauthorized("Unreadable Date header"))?;
    if !within_window(date) {
        return Err(AppError::unauthorized(
            "The signature's date is outside the accepted window",
        ));
    }
    Ok(())
}

/// Whether a signature made at `at` is recent enough and not from the future:
/// one rule for draft-cavage dates and RFC 9421 `created` times.
pub fn within_window(at: std::time::SystemTime) -> bool {
    let now = std::time::SystemTime::now();
    let too_old = now.duration_since(at).is_ok_and(|age| age > MAX_AGE);
    let too_new = at.duration_since(now).is_ok_and(|ahead| ahead > MAX_AHEAD);
    !(too_old || too_new)
}

/// The key id of either scheme, as a URL with a host.
fn signing_key(headers: &HeaderMap, signature: &str, is_rfc9421: bool) -> Option<Url> {
    let key = if is_rfc9421 {
        super::message_signatures::key_id(headers)
    } else {
        signature_param(signature, "keyId").and_then(|k| Url::parse(k).ok())
    };
    key.filter(|u| u.host_str().is_some())
}

/// Verifies the signature of a GET, if any.
pub async fn identify(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> AppResult<Fetcher> {
    use super::message_signatures as rfc9421;
    let Some(signature) = headers.get("signature").and_then(|s| s.to_str().ok()) else {
        return Ok(Fetcher::Anonymous);
    };
    let invalid = || AppError::unauthorized("Invalid signature");
    let is_rfc9421 = rfc9421::present(headers);
    let key_url = signing_key(headers, signature, is_rfc9421).ok_or_else(invalid)?;
    let server = authority(&key_url);
    // Before anything is fetched: a server outside the policy costs nothing.
    if !state.policy.allows_authority(&server) {
        return Err(AppError::forbidden(
            "Federation with this server is not allowed",
        ));
    }
    if is_rfc9421 {
        let target = rfc9421::target(state, uri)?;
        let signer = rfc9421::verify(state, method, &target, headers, None).await?;
        return Ok(Fetcher::signed_by(server, signer.row));
    }
    // The signature must cover the request itself and a time, or it could be
    // replayed for another document or forever.
    let signed: Vec<&str> = signature_param(signature, "headers")
        .unwrap_or("date")
        .split_whitespace()
        .collect();
    if !signed.contains(&"(request-target)")
        || !(signed.contains(&"date") || signed.contains(&"(created)"))
    {
        return Err(AppError::unauthorized(
            "The signature must cover (request-target) and date",
        ));
    }
    check_date(headers)?;
    let mut map = BTreeMap::new();
    for (name, value) in headers {
        if let Ok(v) = value.to_str() {
            map.insert(name.to_string(), v.to_string());
        }
    }
    map.entry("host".into())
        .or_insert_with(|| state.urls.domain().to_string());
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let unverified = http_signature_normalization::Config::new()
        .set_expiration(MAX_AGE)
        .begin_verify(method.as_str(), path, map)
        .map_err(|e| AppError::unauthorized(format!("Invalid signature: {e}")))?;
    let actor = crate::federation::keys::owner(state, &key_url).await?;
    // The key's owner is on the key's host (an actor cannot lend its name).
    if actor.row.domain != server {
        return Err(invalid());
    }
    let public_key =
        RsaPublicKey::from_public_key_pem(&actor.row.public_key_pem).map_err(|_| invalid())?;
    let ok = unverified.verify(|sig, signing_string| {
        STANDARD.decode(sig).is_ok_and(|bytes| {
            public_key
                .verify(
                    Pkcs1v15Sign::new::<Sha256>(),
                    &Sha256::digest(signing_string.as_bytes()),
                    &bytes,
                )
                .is_ok()
        })
    });
    if !ok {
        return Err(invalid());
    }
    Ok(Fetcher::signed_by(server, actor.row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_parameters() {
        let sig = r#"keyId="https://a.example/users/x#main-key",algorithm="rsa-sha256",headers="(request-target) host date",signature="AAA=""#;
        assert_eq!(
            signature_param(sig, "keyId"),
            Some("https://a.example/users/x#main-key")
        );
        assert_eq!(
            signature_param(sig, "headers"),
            Some("(request-target) host date")
        );
        assert_eq!(signature_param(sig, "missing"), None);
    }

    #[test]
    fn dates_outside_the_window_are_refused() {
        let at = |offset: i64| {
            let mut h = HeaderMap::new();
            let t = std::time::SystemTime::now()
                .checked_add(Duration::from_secs(offset.max(0) as u64))
                .and_then(|t| t.checked_sub(Duration::from_secs((-offset).max(0) as u64)))
                .expect("time");
            h.insert("date", httpdate::fmt_http_date(t).parse().expect("header"));
            check_date(&h).is_ok()
        };
        assert!(at(0));
        assert!(at(-50 * 60));
        assert!(!at(-2 * 60 * 60), "two hours old");
        assert!(at(2 * 60));
        assert!(!at(30 * 60), "half an hour ahead");
        let mut h = HeaderMap::new();
        h.insert("date", "yesterday".parse().expect("header"));
        assert!(check_date(&h).is_err());
    }
}
