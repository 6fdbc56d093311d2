//! argon2id password hashes, computed off the async executor.

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};

use crate::error::{AppError, AppResult};

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 256;

pub async fn hash(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::internal(anyhow::anyhow!("argon2: {e}")))
    })
    .await
    .map_err(AppError::internal)?
}

/// A hash of a random password, made once: checking a login for an unknown user
/// costs the same as for a known one, so timing does not reveal which names exist.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(crate::service::secrets::new_secret().as_bytes(), &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Verifies `password` against `hash`, or against a dummy hash when there is none.
pub async fn verify(password: String, hash: Option<String>) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| dummy_hash().to_string());
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        known
            && Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
    })
    .await
    .map_err(AppError::internal)
}
