//! HTTP signatures for deliveries (draft-cavage, `rsa-sha256`, with `Digest`),
//! as Mastodon, Lemmy and our own inbox verify them.

use aws_lc_rs::{rand::SystemRandom, signature};
use base64::{Engine, engine::general_purpose::STANDARD};
use sha2::{Digest, Sha256};
use url::Url;

/// An actor's private key, parsed once, for signing with aws-lc-rs: about five
/// times faster than the `rsa` crate, and constant-time (the `rsa` crate's
/// signing carries RUSTSEC-2023-0071). Verification stays with the federation
/// library.
pub struct SigningKey(signature::RsaKeyPair);

impl SigningKey {
    /// From a PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), as stored for actors.
    pub fn from_pem(pem: &str) -> anyhow::Result<SigningKey> {
        let der = pem::parse(pem)?;
        signature::RsaKeyPair::from_pkcs8(der.contents())
            .map(SigningKey)
            .map_err(|e| anyhow::anyhow!("unusable private key: {e}"))
    }

    /// An `rsa-sha256` (PKCS#1 v1.5) signature of `message`.
    pub fn sign(&self, message: &[u8]) -> anyhow::Result<Vec<u8>> {
        let mut out = vec![0; self.0.public_modulus_len()];
        self.0
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &SystemRandom::new(),
                message,
                &mut out,
            )
            .map_err(|_| anyhow::anyhow!("signing failed"))?;
        Ok(out)
    }
}

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
    key: &SigningKey,
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
    let signed = key.sign(signing_string.as_bytes())?;
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

/// Signs a GET of `url` (draft-cavage: `(request-target) host date`), as
/// servers that need authorized fetch verify it: for files of a partner's
/// library. Returns `(host, date, signature)`.
pub fn sign_get(
    url: &Url,
    key_id: &str,
    key: &SigningKey,
) -> anyhow::Result<(String, String, String)> {
    let host = match url.port() {
        Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
        None => url.host_str().unwrap_or_default().to_string(),
    };
    let date = chrono::Utc::now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string();
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    let signing_string = format!("(request-target): get {target}\nhost: {host}\ndate: {date}");
    let signed = key.sign(signing_string.as_bytes())?;
    let signature = format!(
        "keyId=\"{key_id}\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date\",signature=\"{}\"",
        STANDARD.encode(signed)
    );
    Ok((host, date, signature))
}

/// RFC 9421 headers of a delivery: `Content-Digest`, `Signature-Input`, `Signature`.
pub struct MessageSignature {
    pub content_digest: String,
    pub signature_input: String,
    pub signature: String,
}

/// Signs a POST of `body` to `inbox` the RFC 9421 way (`rsa-v1_5-sha256` over
/// `@method`, `@target-uri` and `content-digest`, with `created`), as Mastodon
/// 4.5 and Fedify verify it.
pub fn sign_post_rfc9421(
    inbox: &Url,
    body: &[u8],
    key_id: &str,
    key: &SigningKey,
) -> anyhow::Result<MessageSignature> {
    use crate::federation::message_signatures::{LABEL, base_to_sign};
    let content_digest = format!("sha-256=:{}:", STANDARD.encode(Sha256::digest(body)));
    let signature_input = format!(
        "{LABEL}=(\"@method\" \"@target-uri\" \"content-digest\");created={};keyid=\"{key_id}\";alg=\"rsa-v1_5-sha256\"",
        chrono::Utc::now().timestamp()
    );
    let mut headers = axum::http::HeaderMap::new();
    headers.insert("content-digest", content_digest.parse()?);
    let base = base_to_sign(&signature_input, &axum::http::Method::POST, inbox, &headers)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let signature = format!("{LABEL}=:{}:", STANDARD.encode(key.sign(base.as_bytes())?));
    Ok(MessageSignature {
        content_digest,
        signature_input,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use rsa::{Pkcs1v15Sign, RsaPublicKey, pkcs8::DecodePublicKey};
    use sha2::{Digest, Sha256};

    use super::*;

    /// What we sign verifies as `rsa-sha256` does everywhere (here with the `rsa`
    /// crate, as the federation library verifies), and the headers cover the body.
    #[test]
    fn signatures_verify_elsewhere() {
        let keys = crate::service::keys::generate().expect("keys");
        let key = SigningKey::from_pem(&keys.private_pem).expect("key");
        let inbox = Url::parse("https://example.com:8443/inbox?x=1").expect("url");
        let h = sign_post(&inbox, b"{}", "https://us/a#main-key", &key).expect("signed");
        assert_eq!(h.host, "example.com:8443");
        assert_eq!(
            h.digest,
            format!("SHA-256={}", STANDARD.encode(Sha256::digest(b"{}")))
        );
        let signature = h
            .signature
            .split("signature=\"")
            .nth(1)
            .and_then(|s| s.strip_suffix('"'))
            .expect("signature field");
        let signed = format!(
            "(request-target): post /inbox?x=1\nhost: {}\ndate: {}\ndigest: {}",
            h.host, h.date, h.digest
        );
        let public = RsaPublicKey::from_public_key_pem(&keys.public_pem).expect("public");
        let ok = public.verify(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(signed.as_bytes()),
            &STANDARD.decode(signature).expect("base64"),
        );
        assert!(ok.is_ok());
        assert!(SigningKey::from_pem("not a key").is_err());
    }
}
