//! RSA-2048 key pairs for actors' HTTP signatures, as PEM (PKCS#8 private, SPKI public).
//!
//! Generated with aws-lc-rs (already linked through rustls): about ten times
//! faster than the pure-Rust `rsa` crate, which still parses and uses the keys.

use aws_lc_rs::{
    encoding::AsDer,
    rsa::{KeyPair, KeySize},
};

pub struct Keys {
    pub private_pem: String,
    pub public_pem: String,
}

pub fn generate() -> anyhow::Result<Keys> {
    let pair = KeyPair::generate(KeySize::Rsa2048)
        .map_err(|_| anyhow::anyhow!("RSA key generation failed"))?;
    let private = AsDer::<aws_lc_rs::encoding::Pkcs8V1Der>::as_der(&pair)
        .map_err(|_| anyhow::anyhow!("private key encoding failed"))?;
    let public = AsDer::<aws_lc_rs::encoding::PublicKeyX509Der>::as_der(
        aws_lc_rs::signature::KeyPair::public_key(&pair),
    )
    .map_err(|_| anyhow::anyhow!("public key encoding failed"))?;
    let lf = pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF);
    Ok(Keys {
        private_pem: pem::encode_config(
            &pem::Pem::new("PRIVATE KEY", private.as_ref().to_vec()),
            lf,
        ),
        public_pem: pem::encode_config(&pem::Pem::new("PUBLIC KEY", public.as_ref().to_vec()), lf),
    })
}

/// Off the async executor: key generation takes tens of milliseconds.
pub async fn generate_blocking() -> anyhow::Result<Keys> {
    tokio::task::spawn_blocking(generate).await?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_pem_the_signature_library_reads() {
        use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
        let keys = generate().expect("keys");
        assert!(keys.public_pem.starts_with("-----BEGIN PUBLIC KEY-----"));
        let private = rsa::RsaPrivateKey::from_pkcs8_pem(&keys.private_pem).expect("pkcs8");
        let public = rsa::RsaPublicKey::from_public_key_pem(&keys.public_pem).expect("spki");
        assert_eq!(rsa::RsaPublicKey::from(&private), public);
        assert_eq!(rsa::traits::PublicKeyParts::size(&public), 256);
    }
}
