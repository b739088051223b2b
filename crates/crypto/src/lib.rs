//! Procap's cryptography: the key file and key ring, field encryption, blind
//! indexes, the audit-chain MAC, password hashing and the opaque secrets
//! handed to users.
//!
//! - [`Keyring`] loads, creates and rotates the key file and owns every key.
//!   It encrypts fields with XChaCha20-Poly1305 bound to table, column and
//!   row ([`Keyring::encrypt`], [`FieldContext`]), computes blind indexes for
//!   exact-match search ([`Keyring::blind_index`]) and keys the audit log's
//!   hash chain ([`Keyring::audit_mac`]).
//! - [`hash_password`] and [`verify_password`] use Argon2id.
//! - [`generate_api_token`], [`generate_recovery_codes`] and [`hash_secret`]
//!   make and store high-entropy secrets.
//! - [`badge`] signs Open Badges credentials with an Ed25519 key derived
//!   from the key file and checks their proofs.
//!
//! No key, password or plaintext reaches a `Debug` or `Display` output of
//! this crate.

pub mod badge;
mod field;
mod keyfile;
mod keyring;
mod password;
mod secret;

pub use field::{CryptoError, FieldContext};
pub use keyfile::KeyFileError;
pub use keyring::{KeyError, Keyring};
pub use password::{
    CONCURRENT_HASHES, hash_password, password_needs_rehash, verify_dummy_password, verify_password,
};
pub use secret::{
    API_TOKEN_PREFIX, constant_time_eq, generate_api_token, generate_recovery_codes, hash_secret,
    normalise_recovery_code,
};
pub use zeroize::Zeroizing;
