use super::*;
use crate::federation::delivery::sign::SigningKey;
use base64::{Engine, engine::general_purpose::STANDARD};

const KEY: &str = "https://peer.example/users/bob#main-key";

fn headers(pairs: &[(&str, String)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        h.append(
            axum::http::HeaderName::from_bytes(k.as_bytes()).expect("name"),
            v.parse().expect("value"),
        );
    }
    h
}

/// RFC 9421 §2.5's example request, with a URL for a key id: the base is built
/// line by line as the RFC writes it, ending with the parameters re-serialised.
#[test]
fn signature_base_as_the_rfc_builds_it() {
    let digest = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:";
    let input = format!(
        r#"sig1=("@method" "@authority" "@path" "content-digest" "content-length" "content-type");created=1618884473;keyid="{KEY}""#
    );
    let h = headers(&[
        ("signature-input", input),
        ("signature", "sig1=:AAAA:".into()),
        ("content-digest", digest.into()),
        ("content-length", "18".into()),
        ("content-type", "application/json".into()),
    ]);
    let signed = Signed::read(&h).expect("read");
    assert_eq!(signed.key_id.as_str(), KEY);
    let target = Url::parse("https://example.com/foo?param=Value&Pet=dog").expect("url");
    let base = signed.base(&Method::POST, &target, &h).expect("base");
    let want = format!(
        "\"@method\": POST\n\"@authority\": example.com\n\"@path\": /foo\n\"content-digest\": {digest}\n\"content-length\": 18\n\"content-type\": application/json\n\"@signature-params\": (\"@method\" \"@authority\" \"@path\" \"content-digest\" \"content-length\" \"content-type\");created=1618884473;keyid=\"{KEY}\""
    );
    assert_eq!(base, want);
}

/// A request as Fedify signs it verifies; a changed method, body or time does not.
#[test]
fn fresh_covering_signatures_verify_and_others_do_not() {
    let keys = crate::service::keys::generate().expect("keys");
    let signer = SigningKey::from_pem(&keys.private_pem).expect("key");
    let body = br#"{"type":"Follow"}"#;
    let target = Url::parse("http://localhost:8080/users/alice/inbox").expect("url");
    let sign = |created: i64, components: &str| {
        let input =
            format!(r#"sig1=({components});created={created};keyid="{KEY}";alg="rsa-v1_5-sha256""#);
        let digest = format!("sha-256=:{}:", STANDARD.encode(Sha256::digest(body)));
        let unsigned = headers(&[
            ("signature-input", input.clone()),
            ("signature", "sig1=:AAAA:".into()),
            ("content-digest", digest.clone()),
        ]);
        let base = Signed::read(&unsigned)
            .expect("read")
            .base(&Method::POST, &target, &unsigned)
            .expect("base");
        let sig = STANDARD.encode(signer.sign(base.as_bytes()).expect("sign"));
        headers(&[
            ("signature-input", input),
            ("signature", format!("sig1=:{sig}:")),
            ("content-digest", digest),
        ])
    };
    let verify = |h: &HeaderMap, method: &Method, body: &[u8]| -> AppResult<()> {
        let signed = Signed::read(h)?;
        signed.check(true)?;
        check_digest(h, body)?;
        check_rsa(
            &keys.public_pem,
            &signed.base(method, &target, h)?,
            &signed.signature,
        )
    };
    let now = chrono::Utc::now().timestamp();
    let all = r#""@method" "@target-uri" "content-digest""#;
    let good = sign(now, all);
    assert!(verify(&good, &Method::POST, body).is_ok());
    assert!(verify(&good, &Method::PUT, body).is_err(), "another method");
    assert!(verify(&good, &Method::POST, b"{}").is_err(), "another body");
    assert!(
        verify(&sign(now - 2 * 3600, all), &Method::POST, body).is_err(),
        "stale"
    );
    let partial = sign(now, r#""@method" "content-digest""#);
    assert!(
        verify(&partial, &Method::POST, body).is_err(),
        "target not covered"
    );
}

/// What we send verifies as what we receive is checked.
#[test]
fn our_own_signatures_verify() {
    let keys = crate::service::keys::generate().expect("keys");
    let signer = SigningKey::from_pem(&keys.private_pem).expect("key");
    let inbox = Url::parse("https://peer.example/inbox").expect("url");
    let body = br#"{"type":"Like"}"#;
    let h = crate::federation::delivery::sign::sign_post_rfc9421(&inbox, body, KEY, &signer)
        .expect("signed");
    let headers = headers(&[
        ("signature-input", h.signature_input),
        ("signature", h.signature),
        ("content-digest", h.content_digest),
    ]);
    let signed = Signed::read(&headers).expect("read");
    signed.check(true).expect("covers and is fresh");
    check_digest(&headers, body).expect("digest");
    let base = signed.base(&Method::POST, &inbox, &headers).expect("base");
    check_rsa(&keys.public_pem, &base, &signed.signature).expect("verifies");
}
