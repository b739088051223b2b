//! Password hashing with Argon2id (version 0x13) in PHC string format, with
//! m = 19456 KiB, t = 2, p = 1 and a 16-byte random salt.
//!
//! Hashing and verifying each fill 19 MiB of memory twice, which blocks the
//! calling thread for a noticeable time, so async callers should run these
//! functions on a blocking thread (for example with `spawn_blocking`). At
//! most two run at once in a process; others wait, which bounds the memory
//! that a burst of sign-ins takes.

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;
use std::sync::{Condvar, Mutex, PoisonError};

/// Argon2 memory cost in KiB.
const MEMORY_KIB: u32 = 19_456;
/// Argon2 number of passes.
const ITERATIONS: u32 = 2;
/// Argon2 lanes.
const PARALLELISM: u32 = 1;

/// The hash of 32 random bytes (hex-encoded) that were discarded after
/// hashing, made with the parameters above, so that verifying against it
/// costs the same as a real verification.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$2BjfLq9ClWrAXqDNh8ZMuA$n8DM/oqSJABaNd7agZADB08OMeZvC9UdNmc1p0HUdyc";

/// How many hashes may be computed at once in this process.
pub const CONCURRENT_HASHES: usize = 2;

/// A counting gate: each hash fills 19 MiB, so thirty sign-ins at once
/// would hold 570 MiB while two cores finish no sooner. Callers beyond
/// [`CONCURRENT_HASHES`] wait their turn.
static HASHING: Gate = Gate {
    running: Mutex::new(0),
    freed: Condvar::new(),
};

struct Gate {
    running: Mutex<usize>,
    freed: Condvar,
}

struct Turn;

impl Gate {
    fn enter(&self) -> Turn {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        while *running >= CONCURRENT_HASHES {
            running = self
                .freed
                .wait(running)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *running += 1;
        Turn
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        let mut running = HASHING
            .running
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *running -= 1;
        HASHING.freed.notify_one();
    }
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None)
        .expect("the Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes `password` with Argon2id and a fresh random salt, returning the PHC
/// string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`) to store. Hashing
/// the same password twice gives different strings.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    let _turn = HASHING.enter();
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2 hashes any password shorter than 4 GiB")
        .to_string()
}

/// Checks `password` against a stored PHC string, using the algorithm and
/// parameters recorded in that string. Returns `false` for a wrong password
/// and for a string that is not a valid Argon2 PHC hash.
pub fn verify_password(phc_hash: &str, password: &str) -> bool {
    let Ok(hash) = PasswordHash::new(phc_hash) else {
        return false;
    };
    let _turn = HASHING.enter();
    argon2().verify_password(password.as_bytes(), &hash).is_ok()
}

/// Runs one verification of `password` against a fixed hash that no password
/// matches, and discards the result. Call it when a login names an unknown
/// user, so that the response takes as long as for a wrong password and does
/// not reveal which usernames exist.
pub fn verify_dummy_password(password: &str) {
    let matched = verify_password(DUMMY_HASH, password);
    std::hint::black_box(matched);
}

/// Returns `true` if `phc_hash` was made with another algorithm, version or
/// parameters than [`hash_password`] uses now, or cannot be parsed. After a
/// successful login, a caller can then store `hash_password(password)` in its
/// place.
pub fn password_needs_rehash(phc_hash: &str) -> bool {
    let Ok(hash) = PasswordHash::new(phc_hash) else {
        return true;
    };
    let Ok(params) = Params::try_from(&hash) else {
        return true;
    };
    hash.algorithm != Algorithm::Argon2id.ident()
        || hash.version != Some(Version::V0x13.into())
        || params.m_cost() != MEMORY_KIB
        || params.t_cost() != ITERATIONS
        || params.p_cost() != PARALLELISM
}

#[cfg(test)]
mod tests {
    use super::*;

    // Argon2 is slow in debug builds, so only one test computes a new hash.

    #[test]
    fn hash_verifies_its_password_only() {
        let hash = hash_password("καλημέρα-ήλιε-2024");

        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password(&hash, "καλημέρα-ήλιε-2024"));
        assert!(!verify_password(&hash, "καλημερα-ηλιε-2024"));
        assert!(!verify_password(&hash, ""));
        assert!(!password_needs_rehash(&hash));
    }

    #[test]
    fn malformed_hash_never_verifies() {
        assert!(!verify_password("", "password"));
        assert!(!verify_password("password", "password"));
        assert!(!verify_password(
            "$argon2id$v=19$m=19456,t=2,p=1$",
            "password"
        ));
        assert!(password_needs_rehash("not a hash"));
    }

    #[test]
    fn dummy_hash_uses_current_parameters() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!password_needs_rehash(DUMMY_HASH));
        verify_dummy_password("anything");
    }

    #[test]
    fn older_parameters_need_rehash() {
        let weaker = "$argon2id$v=19$m=4096,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$cXVpdGUgYSBoYXNoIGluZGVlZCBpcyB0aGlz";
        let argon2i = "$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$cXVpdGUgYSBoYXNoIGluZGVlZCBpcyB0aGlz";

        assert!(password_needs_rehash(weaker));
        assert!(password_needs_rehash(argon2i));
    }
}
