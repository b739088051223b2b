//! Opaque secrets handed to users (API tokens, session ids, recovery codes):
//! their generation, the hash stored in their place, and constant-time
//! comparison.
//!
//! These secrets carry at least 60 random bits, so a single SHA-256 is enough
//! to store them: unlike passwords, they cannot be guessed from a list.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use rand::rngs::OsRng;
use sha2::{Digest as _, Sha256};
use zeroize::Zeroizing;

/// Prefix of every API token, so that a leaked token is easy to recognise
/// (for example by secret scanners) and to tell apart from other strings.
pub const API_TOKEN_PREFIX: &str = "pcp_";

/// Characters of recovery codes: Crockford's base32 alphabet in lower case,
/// which leaves out `i`, `l`, `o` and `u` so that no two characters look alike.
const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
/// Groups per recovery code and characters per group: 3 × 4 characters of 5
/// bits each give 60 random bits.
const RECOVERY_GROUPS: usize = 3;
const RECOVERY_GROUP_LEN: usize = 4;

/// Generates a new API token: [`API_TOKEN_PREFIX`] followed by 32 random bytes
/// in unpadded base64url (43 characters), 47 characters in all. Returns the
/// token, to show the user once, and [`hash_secret`] of it, to store.
pub fn generate_api_token() -> (String, String) {
    let mut random = Zeroizing::new([0u8; 32]);
    OsRng.fill_bytes(&mut random[..]);

    let mut token = String::with_capacity(API_TOKEN_PREFIX.len() + 43);
    token.push_str(API_TOKEN_PREFIX);
    URL_SAFE_NO_PAD.encode_string(&random[..], &mut token);
    let hash = hash_secret(&token);
    (token, hash)
}

/// Hashes an API token, session id or recovery code for storage and lookup:
/// lower-case hex of SHA-256 of its UTF-8 bytes, 64 characters. Fit only for
/// high-entropy secrets: passwords go through [`crate::hash_password`].
/// Recovery codes should be passed through [`normalise_recovery_code`] first.
pub fn hash_secret(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

/// Generates `count` distinct recovery codes such as `k7qd-2mxp-9hfa`: three
/// groups of four characters from Crockford's lower-case base32 alphabet,
/// 60 random bits each.
pub fn generate_recovery_codes(count: usize) -> Vec<String> {
    let mut codes: Vec<String> = Vec::with_capacity(count);
    while codes.len() < count {
        let code = generate_recovery_code();
        // A repeat has a probability of about count² / 2^61. Skipping it
        // keeps the promise that the codes are distinct.
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// Turns a recovery code as a user typed it into the form that
/// [`generate_recovery_codes`] produced: case, spaces and hyphens are
/// ignored, and `o` is read as `0`, `i` and `l` as `1`, as Crockford's
/// base32 prescribes. Returns `None` if the input is not twelve characters of
/// that alphabet.
pub fn normalise_recovery_code(input: &str) -> Option<String> {
    let mut characters = Vec::with_capacity(RECOVERY_GROUPS * RECOVERY_GROUP_LEN);
    for character in input.chars() {
        let character = match character.to_ascii_lowercase() {
            ' ' | '-' => continue,
            'o' => '0',
            'i' | 'l' => '1',
            other => other,
        };
        let in_alphabet =
            u8::try_from(character).is_ok_and(|byte| RECOVERY_ALPHABET.contains(&byte));
        if !in_alphabet {
            return None;
        }
        characters.push(character);
    }
    if characters.len() != RECOVERY_GROUPS * RECOVERY_GROUP_LEN {
        return None;
    }
    Some(group(&characters))
}

/// Compares two byte strings in time that depends on their lengths but not on
/// their contents. Unequal lengths return `false` at once, so the length is
/// not secret.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    // `black_box` hides each intermediate value from the optimiser, so that it
    // cannot turn the loop into an early exit. This is best effort, because
    // Rust makes no timing guarantees.
    let difference = a.iter().zip(b).fold(0u8, |accumulated, (x, y)| {
        std::hint::black_box(accumulated | (x ^ y))
    });
    difference == 0
}

fn generate_recovery_code() -> String {
    let mut random = Zeroizing::new([0u8; RECOVERY_GROUPS * RECOVERY_GROUP_LEN]);
    OsRng.fill_bytes(&mut random[..]);
    // 256 is a multiple of 32, so taking the low five bits of a byte picks
    // every character with equal probability.
    let characters: Vec<char> = random
        .iter()
        .map(|byte| char::from(RECOVERY_ALPHABET[usize::from(byte % 32)]))
        .collect();
    group(&characters)
}

fn group(characters: &[char]) -> String {
    let groups: Vec<String> = characters
        .chunks(RECOVERY_GROUP_LEN)
        .map(|chunk| chunk.iter().collect())
        .collect();
    groups.join("-")
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn is_well_formed_code(code: &str) -> bool {
        let groups: Vec<&str> = code.split('-').collect();
        groups.len() == 3
            && groups.iter().all(|group| {
                group.len() == 4 && group.bytes().all(|byte| RECOVERY_ALPHABET.contains(&byte))
            })
    }

    #[test]
    fn api_token_has_prefix_and_43_base64url_characters() {
        let (token, hash) = generate_api_token();
        let body = token.strip_prefix("pcp_").expect("token starts with pcp_");

        assert_eq!(token.len(), 47);
        assert_eq!(body.len(), 43);
        assert!(
            body.bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'),
            "{token}"
        );
        assert_eq!(URL_SAFE_NO_PAD.decode(body).unwrap().len(), 32);
        assert_eq!(hash, hash_secret(&token));
    }

    #[test]
    fn api_tokens_differ() {
        let (first, first_hash) = generate_api_token();
        let (second, second_hash) = generate_api_token();

        assert_ne!(first, second);
        assert_ne!(first_hash, second_hash);
    }

    #[test]
    fn hash_secret_is_lower_hex_sha256() {
        assert_eq!(
            hash_secret("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hash_secret(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn recovery_codes_are_distinct_and_well_formed() {
        let codes = generate_recovery_codes(200);

        assert_eq!(codes.len(), 200);
        assert_eq!(codes.iter().collect::<HashSet<_>>().len(), 200);
        for code in &codes {
            assert!(is_well_formed_code(code), "{code}");
            assert_eq!(
                normalise_recovery_code(code).as_deref(),
                Some(code.as_str())
            );
        }
        assert!(generate_recovery_codes(0).is_empty());
    }

    #[test]
    fn recovery_codes_use_whole_alphabet() {
        let codes = generate_recovery_codes(100);
        let used: HashSet<u8> = codes
            .iter()
            .flat_map(|code| code.bytes())
            .filter(|byte| *byte != b'-')
            .collect();

        // 1200 draws from 32 characters miss one with probability below 1e-14.
        assert_eq!(used.len(), 32);
    }

    #[test]
    fn recovery_code_input_is_normalised() {
        assert_eq!(
            normalise_recovery_code("K7QD-2MXP-9HFA").as_deref(),
            Some("k7qd-2mxp-9hfa")
        );
        assert_eq!(
            normalise_recovery_code(" k7qd 2mxp 9hfa ").as_deref(),
            Some("k7qd-2mxp-9hfa")
        );
        assert_eq!(
            normalise_recovery_code("k7qd2mxp9hfa").as_deref(),
            Some("k7qd-2mxp-9hfa")
        );
        assert_eq!(
            normalise_recovery_code("kOqd-ImxL-9hfa").as_deref(),
            Some("k0qd-1mx1-9hfa")
        );
    }

    #[test]
    fn invalid_recovery_code_input_is_rejected() {
        for input in [
            "",
            "k7qd-2mxp",
            "k7qd-2mxp-9hfa-x",
            "k7qd-2mxp-9hfu",
            "k7qd-2mxp-9hf!",
            "κ7qd-2mxp-9hfa",
        ] {
            assert_eq!(normalise_recovery_code(input), None, "{input}");
        }
    }

    #[test]
    fn constant_time_eq_compares_bytes() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"same", b"same"));
        assert!(!constant_time_eq(b"same", b"samf"));
        assert!(!constant_time_eq(b"same", b"same "));
        assert!(!constant_time_eq(b"\x00", b"\x80"));
    }
}
