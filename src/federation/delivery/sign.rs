//! HTTP signatures for deliveries (draft-cavage, `rsa-sha256`, with `Digest`),
//! as Mastodon, Lemmy and our own inbox verify them.

use base64::{Engine, engine::general_purpose::STANDARD};
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use sha2::{Digest, Sha256};
use url::Url;

pub struct SignedHeaders {
    pub host: String,
    pub date: String,
    pub digest: String,
    pub signature: String,
}

/// Signs a POST of `body` to `inbox` with `key` (CPU work: call off the executor).
pub fn sign_post(
    inbox: &Url,
    body: &[u8],
    key_id: &str,
    key: &RsaPrivateKey,
) -> anyhow::Result<SignedHeaders> {
    let host = match inbox.port() {
        Some(p) => format!("{}:{p}", inbox.host_str().unwrap_or_default()),
        None => inbox.host_str().unwrap_or_default().to_string(),
    };
    let date = chrono::Utc::now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let digest = format!("SHA-256={}", STANDARD.encode(Sha256::digest(body)));
    let target = match inbox.query() {
        Some(q) => format!("{}?{q}", inbox.path()),
        None => inbox.path().to_string(),
    };
    let signing_string =
        format!("(request-target): post {target}\nhost: {host}\ndate: {date}\ndigest: {digest}");
    let signed = key.sign(
        Pkcs1v15Sign::new::<Sha256>(),
        &Sha256::digest(signing_string.as_bytes()),
    )?;
    let signature = format!(
        "keyId=\"{key_id}\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"{}\"",
        STANDARD.encode(signed)
    );
    Ok(SignedHeaders {
        host,
        date,
        digest,
        signature,
    })
}
