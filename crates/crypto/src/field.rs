//! Field encryption: XChaCha20-Poly1305 with a fresh random 24-byte nonce per
//! call, bound to the table, column and row that hold the value.
//!
//! Ciphertext layout (format 1):
//!
//! ```text
//! 0x01 | key id (u32, big-endian) | nonce (24 bytes) | ciphertext and 16-byte tag
//! ```
//!
//! The associated data covers a domain label, the table, column and row id
//! (each prefixed with its length, so no two contexts encode alike) and the
//! five header bytes. A ciphertext copied to another row, column or table,
//! or with a changed key id, fails authentication.

use chacha20poly1305::aead::{Aead as _, KeyInit as _, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use rand::RngCore as _;
use rand::rngs::OsRng;
use thiserror::Error;
use zeroize::{Zeroize as _, Zeroizing};

use crate::keyring::{Keyring, SecretKey};

const FORMAT_V1: u8 = 1;
const HEADER_LEN: usize = 1 + 4;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
/// Length of the ciphertext of an empty plaintext, the shortest valid one.
const MIN_LEN: usize = HEADER_LEN + NONCE_LEN + TAG_LEN;
const AAD_LABEL: &[u8] = b"procap field v1\0";

/// The location of an encrypted value. Decryption succeeds only with the same
/// table, column and row id as encryption. Use the row's permanent id (for
/// example its UUID), never a value that can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldContext<'a> {
    pub table: &'a str,
    pub column: &'a str,
    pub row_id: &'a str,
}

/// Reason a ciphertext could not be decrypted. Messages contain no plaintext.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum CryptoError {
    /// Too short to be a ciphertext, or its format byte is not 1.
    #[error("encrypted value is malformed: too short or of an unknown format")]
    Malformed,
    /// Made with a field key id that the key ring does not hold.
    #[error(
        "encrypted value was made with field key {0}, which the key file does not hold: restore the key file that contains it"
    )]
    UnknownKey(u32),
    /// The tag did not verify: the bytes were altered, or they belong to
    /// another table, column or row.
    #[error(
        "encrypted value failed authentication: it was altered or belongs to another table, column or row"
    )]
    Authentication,
    /// Decrypted correctly, but [`Keyring::decrypt_string`] found bytes that
    /// are not UTF-8.
    #[error("decrypted value is not UTF-8 text")]
    NotUtf8,
}

impl Keyring {
    /// Encrypts `plaintext` with the current field key and a fresh random
    /// nonce, bound to `context`. Encrypting the same value twice gives
    /// different ciphertexts. The result is 45 bytes longer than `plaintext`.
    pub fn encrypt(&self, context: &FieldContext<'_>, plaintext: &[u8]) -> Vec<u8> {
        let (key_id, key) = self.current_field_key();
        let header = header(key_id);
        let mut nonce = [0; NONCE_LEN];
        OsRng.fill_bytes(&mut nonce);
        let aad = associated_data(context, &header);

        let sealed = cipher(key)
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .expect("XChaCha20-Poly1305 encrypts any plaintext shorter than 256 GiB");

        let mut ciphertext = Vec::with_capacity(HEADER_LEN + NONCE_LEN + sealed.len());
        ciphertext.extend_from_slice(&header);
        ciphertext.extend_from_slice(&nonce);
        ciphertext.extend_from_slice(&sealed);
        ciphertext
    }

    /// Decrypts a ciphertext made by [`Keyring::encrypt`] with any key id this
    /// key ring holds. The plaintext is zeroed when dropped.
    ///
    /// Errors: [`CryptoError::Malformed`] for bytes that are not a format-1
    /// ciphertext, [`CryptoError::UnknownKey`] for a key id not in the key
    /// ring, [`CryptoError::Authentication`] if the bytes were altered or
    /// `context` differs from the one used to encrypt.
    pub fn decrypt(
        &self,
        context: &FieldContext<'_>,
        ciphertext: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let key_id = Keyring::key_id_of(ciphertext).ok_or(CryptoError::Malformed)?;
        let key = self
            .field_key(key_id)
            .ok_or(CryptoError::UnknownKey(key_id))?;
        let (header, rest) = ciphertext.split_at(HEADER_LEN);
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let aad = associated_data(context, header);

        cipher(key)
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: &aad,
                },
            )
            .map(Zeroizing::new)
            .map_err(|_| CryptoError::Authentication)
    }

    /// Encrypts the UTF-8 bytes of `plaintext`, as [`Keyring::encrypt`] does.
    pub fn encrypt_str(&self, context: &FieldContext<'_>, plaintext: &str) -> Vec<u8> {
        self.encrypt(context, plaintext.as_bytes())
    }

    /// Decrypts as [`Keyring::decrypt`] does and checks that the plaintext is
    /// UTF-8 ([`CryptoError::NotUtf8`] otherwise). The text is zeroed when
    /// dropped.
    pub fn decrypt_string(
        &self,
        context: &FieldContext<'_>,
        ciphertext: &[u8],
    ) -> Result<Zeroizing<String>, CryptoError> {
        let mut bytes = self.decrypt(context, ciphertext)?;
        match String::from_utf8(std::mem::take(&mut *bytes)) {
            Ok(text) => Ok(Zeroizing::new(text)),
            Err(error) => {
                error.into_bytes().zeroize();
                Err(CryptoError::NotUtf8)
            }
        }
    }

    /// Returns the key id named in a ciphertext's header, or `None` if the
    /// bytes are too short or not format 1. Does not check the tag.
    pub fn key_id_of(ciphertext: &[u8]) -> Option<u32> {
        if ciphertext.len() < MIN_LEN || ciphertext[0] != FORMAT_V1 {
            return None;
        }
        let id_bytes: [u8; 4] = ciphertext[1..HEADER_LEN].try_into().ok()?;
        Some(u32::from_be_bytes(id_bytes))
    }

    /// Decrypts `ciphertext` with the key it names and encrypts the plaintext
    /// again with the current key and a fresh nonce, in the same `context`.
    /// Errors as [`Keyring::decrypt`]. Used to move stored values to the
    /// current key after [`Keyring::rotate`].
    pub fn reencrypt(
        &self,
        context: &FieldContext<'_>,
        ciphertext: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let plaintext = self.decrypt(context, ciphertext)?;
        Ok(self.encrypt(context, &plaintext))
    }
}

fn header(key_id: u32) -> [u8; HEADER_LEN] {
    let mut header = [0; HEADER_LEN];
    header[0] = FORMAT_V1;
    header[1..].copy_from_slice(&key_id.to_be_bytes());
    header
}

/// Builds the cipher for `key`. The cipher zeroes its own copy of the key when
/// dropped.
fn cipher(key: &SecretKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(Key::from_slice(key.as_bytes()))
}

fn associated_data(context: &FieldContext<'_>, header: &[u8]) -> Vec<u8> {
    let parts = [context.table, context.column, context.row_id];
    let parts_len: usize = parts.iter().map(|part| 8 + part.len()).sum();
    let mut aad = Vec::with_capacity(AAD_LABEL.len() + parts_len + header.len());

    aad.extend_from_slice(AAD_LABEL);
    for part in parts {
        aad.extend_from_slice(&(part.len() as u64).to_be_bytes());
        aad.extend_from_slice(part.as_bytes());
    }
    aad.extend_from_slice(header);
    aad
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const CONTEXT: FieldContext<'static> = FieldContext {
        table: "person",
        column: "full_name",
        row_id: "p-1",
    };

    proptest! {
        #[test]
        fn round_trip_of_any_bytes(plaintext in proptest::collection::vec(any::<u8>(), 0..512)) {
            let keyring = Keyring::for_tests(1);
            let ciphertext = keyring.encrypt(&CONTEXT, &plaintext);

            prop_assert_eq!(ciphertext.len(), plaintext.len() + MIN_LEN);
            prop_assert_eq!(&keyring.decrypt(&CONTEXT, &ciphertext).unwrap()[..], &plaintext[..]);
        }

        #[test]
        fn round_trip_of_any_text(plaintext in "\\PC{0,80}") {
            let keyring = Keyring::for_tests(1);
            let ciphertext = keyring.encrypt_str(&CONTEXT, &plaintext);

            let decrypted = keyring.decrypt_string(&CONTEXT, &ciphertext).unwrap();
            prop_assert_eq!(decrypted.as_str(), plaintext.as_str());
        }

        #[test]
        fn any_changed_byte_is_detected(
            plaintext in proptest::collection::vec(any::<u8>(), 0..64),
            position in any::<prop::sample::Index>(),
            flip in 1..=255u8,
        ) {
            let keyring = Keyring::for_tests(1);
            let mut ciphertext = keyring.encrypt(&CONTEXT, &plaintext);
            let position = position.index(ciphertext.len());
            ciphertext[position] ^= flip;

            prop_assert!(keyring.decrypt(&CONTEXT, &ciphertext).is_err());
        }

        #[test]
        fn truncated_ciphertext_is_rejected(plaintext in proptest::collection::vec(any::<u8>(), 0..64), cut in 1..64usize) {
            let keyring = Keyring::for_tests(1);
            let ciphertext = keyring.encrypt(&CONTEXT, &plaintext);
            let kept = ciphertext.len().saturating_sub(cut);

            prop_assert!(keyring.decrypt(&CONTEXT, &ciphertext[..kept]).is_err());
        }
    }

    #[test]
    fn changed_byte_in_each_region_gives_expected_error() {
        let keyring = Keyring::for_tests(1);
        let ciphertext = keyring.encrypt(&CONTEXT, b"Maria");
        let flipped = |position: usize| {
            let mut changed = ciphertext.clone();
            changed[position] ^= 0x01;
            keyring.decrypt(&CONTEXT, &changed).unwrap_err()
        };

        assert_eq!(flipped(0), CryptoError::Malformed);
        assert_eq!(flipped(4), CryptoError::UnknownKey(0));
        assert_eq!(flipped(HEADER_LEN), CryptoError::Authentication);
        assert_eq!(flipped(HEADER_LEN + NONCE_LEN), CryptoError::Authentication);
        assert_eq!(flipped(ciphertext.len() - 1), CryptoError::Authentication);
    }

    #[test]
    fn other_row_column_or_table_is_rejected() {
        let keyring = Keyring::for_tests(1);
        let ciphertext = keyring.encrypt(&CONTEXT, b"Maria");
        let others = [
            FieldContext {
                row_id: "p-2",
                ..CONTEXT
            },
            FieldContext {
                column: "birth_place",
                ..CONTEXT
            },
            FieldContext {
                table: "contact",
                ..CONTEXT
            },
            // Moving characters between parts must not give the same context.
            FieldContext {
                table: "person",
                column: "full_namep",
                row_id: "-1",
            },
        ];

        for other in others {
            assert_eq!(
                keyring.decrypt(&other, &ciphertext).unwrap_err(),
                CryptoError::Authentication,
                "{other:?}"
            );
        }
        assert_eq!(
            &keyring.decrypt(&CONTEXT, &ciphertext).unwrap()[..],
            b"Maria"
        );
    }

    #[test]
    fn other_key_ring_is_rejected() {
        let ciphertext = Keyring::for_tests(1).encrypt(&CONTEXT, b"Maria");

        assert_eq!(
            Keyring::for_tests(2)
                .decrypt(&CONTEXT, &ciphertext)
                .unwrap_err(),
            CryptoError::Authentication
        );
    }

    #[test]
    fn unknown_key_id_is_reported() {
        let mut newer = Keyring::for_tests(1);
        newer.insert_test_field_key(7);
        let ciphertext = newer.encrypt(&CONTEXT, b"Maria");

        assert_eq!(Keyring::key_id_of(&ciphertext), Some(7));
        assert_eq!(
            Keyring::for_tests(1)
                .decrypt(&CONTEXT, &ciphertext)
                .unwrap_err(),
            CryptoError::UnknownKey(7)
        );
    }

    #[test]
    fn same_plaintext_encrypts_differently() {
        let keyring = Keyring::for_tests(1);

        assert_ne!(
            keyring.encrypt(&CONTEXT, b"Maria"),
            keyring.encrypt(&CONTEXT, b"Maria")
        );
    }

    #[test]
    fn layout_has_format_key_id_and_nonce() {
        let mut keyring = Keyring::for_tests(1);
        keyring.insert_test_field_key(0x0102_0304);
        let ciphertext = keyring.encrypt(&CONTEXT, b"");

        assert_eq!(ciphertext.len(), 1 + 4 + 24 + 16);
        assert_eq!(ciphertext[..5], [1, 1, 2, 3, 4]);
        assert_eq!(Keyring::key_id_of(&ciphertext), Some(0x0102_0304));
    }

    #[test]
    fn key_id_of_rejects_short_or_unknown_format() {
        let ciphertext = Keyring::for_tests(1).encrypt(&CONTEXT, b"");

        assert_eq!(Keyring::key_id_of(&ciphertext[..MIN_LEN - 1]), None);
        assert_eq!(Keyring::key_id_of(&[]), None);
        let mut other_format = ciphertext.clone();
        other_format[0] = 2;
        assert_eq!(Keyring::key_id_of(&other_format), None);
        assert_eq!(
            Keyring::for_tests(1)
                .decrypt(&CONTEXT, &other_format)
                .unwrap_err(),
            CryptoError::Malformed
        );
    }

    #[test]
    fn reencrypt_moves_to_current_key() {
        let mut keyring = Keyring::for_tests(1);
        let old = keyring.encrypt(&CONTEXT, b"Maria");
        keyring.insert_test_field_key(2);

        let moved = keyring.reencrypt(&CONTEXT, &old).unwrap();

        assert_eq!(Keyring::key_id_of(&moved), Some(2));
        assert_eq!(&keyring.decrypt(&CONTEXT, &moved).unwrap()[..], b"Maria");
        assert_eq!(&keyring.decrypt(&CONTEXT, &old).unwrap()[..], b"Maria");
        let other_row = FieldContext {
            row_id: "p-2",
            ..CONTEXT
        };
        assert_eq!(
            keyring.reencrypt(&other_row, &old).unwrap_err(),
            CryptoError::Authentication
        );
    }

    #[test]
    fn decrypt_string_rejects_invalid_utf8() {
        let keyring = Keyring::for_tests(1);
        let ciphertext = keyring.encrypt(&CONTEXT, &[0xce, 0xff]);

        assert_eq!(
            keyring.decrypt_string(&CONTEXT, &ciphertext).unwrap_err(),
            CryptoError::NotUtf8
        );
    }

    #[test]
    fn greek_text_round_trips() {
        let keyring = Keyring::for_tests(1);
        let ciphertext = keyring.encrypt_str(&CONTEXT, "Μαρία Παπαδοπούλου");

        assert_eq!(
            keyring
                .decrypt_string(&CONTEXT, &ciphertext)
                .unwrap()
                .as_str(),
            "Μαρία Παπαδοπούλου"
        );
    }
}
