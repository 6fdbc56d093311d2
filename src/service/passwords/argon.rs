//! argon2 computed in one block of memory per worker thread, allocated once and
//! reused: allocating 19 MiB per check and freeing it left the allocator's
//! arenas fragmented (a burst of checks grew the resident set by ~200 MB).

use std::cell::RefCell;

use argon2::{
    Algorithm, Argon2, Block, Params, Version,
    password_hash::{Output, ParamsString, PasswordHash, Salt},
};

thread_local! {
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// The raw argon2 output for `argon`'s parameters, in this thread's memory.
fn compute(argon: &Argon2, password: &[u8], salt: &Salt, out_len: usize) -> Option<Output> {
    let mut salt_buf = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_buf).ok()?;
    MEMORY.with_borrow_mut(|memory| {
        let needed = argon.params().block_count();
        if memory.len() < needed {
            memory.resize(needed, Block::default());
        }
        Output::init_with(out_len, |out| {
            argon
                .hash_password_into_with_memory(password, salt, out, &mut memory[..])
                .map_err(|_| argon2::password_hash::Error::Crypto)
        })
        .ok()
    })
}

/// A PHC string (`$argon2id$v=19$m=…`) for `password` with the default parameters.
pub fn hash<'a>(password: &[u8], salt: Salt<'a>) -> Option<PasswordHash<'a>> {
    let argon = Argon2::default();
    let output = compute(&argon, password, &salt, Params::DEFAULT_OUTPUT_LEN)?;
    Some(PasswordHash {
        algorithm: Algorithm::default().ident(),
        version: Some(Version::default().into()),
        params: ParamsString::try_from(argon.params()).ok()?,
        salt: Some(salt),
        hash: Some(output),
    })
}

/// Whether `password` matches `stored`, with the parameters written in it
/// (compared in constant time).
pub fn verify(password: &[u8], stored: &PasswordHash) -> bool {
    let (Some(salt), Some(expected)) = (&stored.salt, &stored.hash) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(stored.algorithm),
        Params::try_from(stored),
    ) else {
        return false;
    };
    let version = match stored.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let argon = Argon2::new(algorithm, version, params);
    compute(&argon, password, salt, expected.len()).is_some_and(|out| out == *expected)
}

#[cfg(test)]
mod tests {
    use argon2::{
        PasswordHasher, PasswordVerifier,
        password_hash::{SaltString, rand_core::OsRng},
    };

    use super::*;

    #[test]
    fn agrees_with_the_argon2_crate_both_ways() {
        let salt = SaltString::generate(&mut OsRng);
        let ours = hash(b"correct horse", salt.as_salt()).expect("hash");
        let theirs = Argon2::default()
            .hash_password(b"correct horse", &salt)
            .expect("hash");
        assert_eq!(ours.to_string(), theirs.to_string());
        assert!(
            Argon2::default()
                .verify_password(b"correct horse", &ours)
                .is_ok()
        );
        assert!(verify(b"correct horse", &theirs));
        assert!(!verify(b"correct hors", &theirs));
    }

    #[test]
    fn hashes_with_other_parameters_are_verified_with_theirs() {
        let salt = SaltString::generate(&mut OsRng);
        let params = Params::new(8 * 1024, 3, 1, None).expect("params");
        let argon = Argon2::new(Algorithm::Argon2i, Version::V0x10, params);
        let stored = argon.hash_password(b"pw", &salt).expect("hash");
        assert!(verify(b"pw", &stored));
        assert!(!verify(b"pv", &stored));
    }
}
