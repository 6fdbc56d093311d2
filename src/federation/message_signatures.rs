//! RFC 9421 HTTP Message Signatures on requests we receive, as Fedify and
//! Mastodon 4.5 send them: `Signature-Input` and `Signature` (structured-field
//! dictionaries keyed by a label), an RSA key (`rsa-v1_5-sha256`), `created`
//! required, and a body bound by `Content-Digest` (RFC 9530). Draft-cavage
//! signatures are verified by `signed_fetch` (GETs) and the federation library
//! (the inbox).
//!
//! What a signature must cover: `@method` and `@target-uri` (so it cannot be
//! replayed on another document), and `content-digest` when there is a body.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, Method};
use rsa::{Pkcs1v15Sign, RsaPublicKey, pkcs8::DecodePublicKey};
use sfv::{BareItem, Dictionary, FieldType, InnerList, Key, ListEntry, Parser};
use sha2::{Digest, Sha256, Sha512};
use url::Url;

use super::{keys, objects::actor::DbActor, objects::authority};
use crate::{
    error::{AppError, AppResult},
    state::AppState,
};

/// Whether a request carries an RFC 9421 signature (draft-cavage has no `Signature-Input`).
pub fn present(headers: &HeaderMap) -> bool {
    headers.contains_key("signature-input")
}

/// The key id of the signature that would be verified, read before anything is
/// fetched (so a server outside the federation policy costs nothing).
pub fn key_id(headers: &HeaderMap) -> Option<Url> {
    Signed::read(headers).ok().map(|s| s.key_id)
}

/// One signature, as read from the headers.
struct Signed {
    key_id: Url,
    components: Vec<String>,
    params: InnerList,
    signature: Vec<u8>,
    label: Key,
}

fn invalid(why: &str) -> AppError {
    AppError::unauthorized(format!("Invalid signature: {why}"))
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> AppResult<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| invalid(&format!("no {name} header")))
}

impl Signed {
    /// The first signature whose input names a key and has a value in `Signature`.
    fn read(headers: &HeaderMap) -> AppResult<Signed> {
        Self::parse(
            header(headers, "signature-input")?,
            header(headers, "signature")?,
        )
    }

    fn parse(input: &str, signature: &str) -> AppResult<Signed> {
        let inputs: Dictionary = Parser::new(input)
            .parse()
            .map_err(|_| invalid("unreadable Signature-Input"))?;
        let values: Dictionary = Parser::new(signature)
            .parse()
            .map_err(|_| invalid("unreadable Signature"))?;
        inputs
            .into_iter()
            .find_map(|(label, entry)| {
                let ListEntry::InnerList(params) = entry else {
                    return None;
                };
                let Some(ListEntry::Item(value)) = values.get(&label) else {
                    return None;
                };
                let signature = value.bare_item.as_byte_sequence()?.to_vec();
                let key_id = params.params.get("keyid")?.as_string()?.as_str();
                let key_id = Url::parse(key_id).ok().filter(|u| u.host_str().is_some())?;
                let components = params
                    .items
                    .iter()
                    .map(|i| match (&i.bare_item, i.params.is_empty()) {
                        (BareItem::String(s), true) => Some(s.as_str().to_string()),
                        _ => None, // component parameters (`;sf`, `;req`…) are not taken
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some(Signed {
                    key_id,
                    components,
                    params,
                    signature,
                    label,
                })
            })
            .ok_or_else(|| invalid("no usable signature in Signature-Input"))
    }

    fn param(&self, name: &str) -> Option<&BareItem> {
        self.params.params.get(name)
    }

    /// Covers the request and is fresh.
    fn check(&self, has_body: bool) -> AppResult<()> {
        for needed in ["@method", "@target-uri"]
            .into_iter()
            .chain(has_body.then_some("content-digest"))
        {
            if !self.components.iter().any(|c| c == needed) {
                return Err(invalid(&format!("{needed} is not covered")));
            }
        }
        match self.param("alg").and_then(|a| a.as_string()) {
            None => {}
            Some(alg) if alg.as_str() == "rsa-v1_5-sha256" => {}
            Some(_) => return Err(invalid("unsupported algorithm")),
        }
        let at = |name: &str| {
            let seconds = i64::from(self.param(name)?.as_integer()?);
            let offset = Duration::from_secs(seconds.unsigned_abs());
            if seconds >= 0 {
                UNIX_EPOCH.checked_add(offset)
            } else {
                UNIX_EPOCH.checked_sub(offset)
            }
        };
        let created = at("created").ok_or_else(|| invalid("no created time"))?;
        let expired = at("expires").is_some_and(|e| e < SystemTime::now());
        if expired || !super::signed_fetch::within_window(created) {
            return Err(invalid("outside the accepted time window"));
        }
        Ok(())
    }

    /// The signature base (RFC 9421 §2.5).
    fn base(&self, method: &Method, target: &Url, headers: &HeaderMap) -> AppResult<String> {
        let mut base = String::new();
        for name in &self.components {
            let value = component(name, method, target, headers)?;
            base.push_str(&format!("\"{name}\": {value}\n"));
        }
        let mut dict = Dictionary::new();
        dict.insert(self.label.clone(), self.params.clone().into());
        let serialized = dict.serialize().unwrap_or_default();
        let params = serialized
            .strip_prefix(&format!("{}=", self.label.as_str()))
            .unwrap_or_default();
        base.push_str(&format!("\"@signature-params\": {params}"));
        Ok(base)
    }
}

/// A component's value: derived (`@…`) or a header's values joined by ", ".
fn component(name: &str, method: &Method, target: &Url, headers: &HeaderMap) -> AppResult<String> {
    let query = target.query();
    Ok(match name {
        "@method" => method.as_str().to_string(),
        "@target-uri" => target.to_string(),
        "@authority" => authority(target).to_ascii_lowercase(),
        "@scheme" => target.scheme().to_string(),
        "@path" => target.path().to_string(),
        "@query" => format!("?{}", query.unwrap_or_default()),
        "@request-target" => match query {
            Some(q) => format!("{}?{q}", target.path()),
            None => target.path().to_string(),
        },
        derived if derived.starts_with('@') => {
            return Err(invalid(&format!("unsupported component {derived}")));
        }
        field => {
            let values: Vec<&str> = headers
                .get_all(field)
                .iter()
                .map(|v| v.to_str().map(str::trim))
                .collect::<Result<_, _>>()
                .map_err(|_| invalid(&format!("unreadable {field} header")))?;
            if values.is_empty() {
                return Err(invalid(&format!("no {field} header")));
            }
            values.join(", ")
        }
    })
}

/// The body matches a `Content-Digest` in an algorithm we know (SHA-256 or -512).
fn check_digest(headers: &HeaderMap, body: &[u8]) -> AppResult<()> {
    let digests: Dictionary = Parser::new(header(headers, "content-digest")?)
        .parse()
        .map_err(|_| invalid("unreadable Content-Digest"))?;
    let mut known = false;
    for (alg, entry) in &digests {
        let ListEntry::Item(item) = entry else {
            continue;
        };
        let Some(given) = item.bare_item.as_byte_sequence() else {
            continue;
        };
        let ours = match alg.as_str() {
            "sha-256" => Sha256::digest(body).to_vec(),
            "sha-512" => Sha512::digest(body).to_vec(),
            _ => continue,
        };
        if given != ours.as_slice() {
            return Err(AppError::bad_request(
                "Content-Digest does not match the body",
            ));
        }
        known = true;
    }
    if known {
        Ok(())
    } else {
        Err(invalid("no Content-Digest in SHA-256 or SHA-512"))
    }
}

/// Verifies the request's RFC 9421 signature; returns the key's owner. `target`
/// is the full URL the request was sent to; `body` is `None` for a GET.
pub async fn verify(
    state: &AppState,
    method: &Method,
    target: &Url,
    headers: &HeaderMap,
    body: Option<&[u8]>,
) -> AppResult<DbActor> {
    let signed = Signed::read(headers)?;
    signed.check(body.is_some())?;
    if let Some(body) = body {
        check_digest(headers, body)?;
    }
    let base = signed.base(method, target, headers)?;
    let actor = keys::owner(state, &signed.key_id).await?;
    // The key's owner is on the key's host (an actor cannot lend its name).
    if actor.row.domain != authority(&signed.key_id) {
        return Err(invalid("the key's owner is on another server"));
    }
    let pem = &actor.row.public_key_pem;
    let mut verified = check_rsa(pem, &base, &signed.signature);
    if verified.is_err() && body.is_none() && target.fragment().is_none() {
        // Fedify signs a key fetch with the key id's fragment in `@target-uri`
        // (`…/users/alice#main-key`), though no fragment travels in a request.
        let mut keyed = target.clone();
        keyed.set_fragment(Some("main-key"));
        verified = check_rsa(
            pem,
            &signed.base(method, &keyed, headers)?,
            &signed.signature,
        );
    }
    verified?;
    // It signs this way, so it verifies this way: our deliveries to it may too.
    super::delivery::knock::heard(state, &actor.row.domain).await;
    Ok(actor)
}

/// `rsa-v1_5-sha256`: PKCS#1 v1.5 over the SHA-256 of the signature base.
fn check_rsa(public_pem: &str, base: &str, signature: &[u8]) -> AppResult<()> {
    let key = RsaPublicKey::from_public_key_pem(public_pem)
        .map_err(|_| invalid("the signer's key is not an RSA key"))?;
    key.verify(
        Pkcs1v15Sign::new::<Sha256>(),
        &Sha256::digest(base.as_bytes()),
        signature,
    )
    .map_err(|_| invalid("the signature does not match"))
}

/// The label of the signatures we make.
pub const LABEL: &str = "sig1";

/// The signature base of a request we sign with `input` (a `Signature-Input`
/// value labelled [`LABEL`]): built as the base of what we verify is.
pub fn base_to_sign(
    input: &str,
    method: &Method,
    target: &Url,
    headers: &HeaderMap,
) -> AppResult<String> {
    Signed::parse(input, &format!("{LABEL}=:AA==:"))?.base(method, target, headers)
}

/// The full URL a request was sent to: our base URL and its path and query.
pub fn target(state: &AppState, uri: &axum::http::Uri) -> AppResult<Url> {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    Url::parse(&format!("{}{path}", state.urls.base())).map_err(AppError::internal)
}

#[cfg(test)]
#[path = "message_signatures_tests.rs"]
mod tests;
