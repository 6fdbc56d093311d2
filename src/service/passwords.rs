//! argon2id password hashes, computed off the async executor.

use argon2::{
    PasswordHash,
    password_hash::{SaltString, rand_core::OsRng},
};

use crate::error::{AppError, AppResult};

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 256;

/// A new password's length: long enough, and not so long that hashing it costs.
pub fn check_new(password: &str) -> crate::error::AppResult<()> {
    if password.chars().count() < MIN_LEN {
        return Err(crate::error::invalid_field(
            "password",
            "is too short (minimum is 8 characters)",
        ));
    }
    if password.len() > MAX_LEN {
        return Err(crate::error::invalid_field("password", "is too long"));
    }
    Ok(())
}

mod argon;
mod gate;
use gate::Gate;

pub async fn hash(password: String) -> AppResult<String> {
    Gate::global()
        .run(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon::hash(password.as_bytes(), salt.as_salt())
                .map(|h| h.to_string())
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("argon2 failed")))
        })
        .await?
}

/// A hash of a random password, made once: checking a login for an unknown user
/// costs the same as for a known one, so timing does not reveal which names exist.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon::hash(
            crate::service::secrets::new_secret().as_bytes(),
            salt.as_salt(),
        )
        .map(|h| h.to_string())
        .unwrap_or_default()
    })
}

/// Verifies `password` against `hash`, or against a dummy hash when there is none.
pub async fn verify(password: String, hash: Option<String>) -> AppResult<bool> {
    Gate::global()
        .run(move || check(&password, hash.as_deref(), argon::verify))
        .await
}

/// Runs `argon` exactly once whether or not the account exists; an unknown
/// account never matches.
fn check(
    password: &str,
    hash: Option<&str>,
    argon: impl FnOnce(&[u8], &PasswordHash) -> bool,
) -> bool {
    let known = hash.is_some();
    let Ok(parsed) = PasswordHash::new(hash.unwrap_or_else(|| dummy_hash())) else {
        return false;
    };
    // Verify first: `known && argon(..)` would skip the work for unknown names.
    let matches = argon(password.as_bytes(), &parsed);
    known && matches
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    #[test]
    fn unknown_accounts_cost_one_verification_too() {
        let hash = dummy_hash().to_string();
        for (stored, matches) in [(Some(hash.as_str()), true), (None, false)] {
            let calls = Cell::new(0);
            let ok = check("pw", stored, |_, _| {
                calls.set(calls.get() + 1);
                true
            });
            assert_eq!(calls.get(), 1, "known: {}", stored.is_some());
            assert_eq!(ok, matches);
        }
    }

    #[tokio::test]
    async fn wrong_and_right_passwords() {
        let h = hash("correct horse".into()).await.expect("hash");
        assert!(
            verify("correct horse".into(), Some(h.clone()))
                .await
                .expect("v")
        );
        assert!(!verify("wrong".into(), Some(h)).await.expect("v"));
        assert!(!verify("x".into(), None).await.expect("v"));
    }
}
