//! Signing and checking Open Badges credentials with an Ed25519 Data
//! Integrity proof (cryptosuite `eddsa-jcs-2022`).
//!
//! The issuer's signing key is derived from the key file's audit key with
//! HMAC-SHA256 over a fixed label, each time it is needed, and dropped (and
//! zeroed) right after. It is never stored anywhere, and it stays the same
//! across field-key rotations, so badges issued earlier keep verifying. The
//! public half is published as a Multikey and a JWK on the issuer page.
//!
//! The proof follows the `eddsa-jcs-2022` steps: the proof options (with the
//! credential's `@context`) and the credential without its proof are each
//! written in the JSON Canonicalization Scheme (RFC 8785), hashed with
//! SHA-256, and the two hashes, options first, are signed. The signature is
//! stored as `proofValue` in multibase base58btc (`z…`). Canonical JSON here
//! accepts integers only (no fractions), which is all a credential needs.

use std::fmt;

use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use hmac::{Hmac, Mac as _};
use serde_json::{Map, Value};
use sha2::{Digest as _, Sha256};
use zeroize::Zeroize as _;

use crate::keyring::Keyring;

/// The proof type of every badge proof.
pub const PROOF_TYPE: &str = "DataIntegrityProof";
/// The cryptosuite of every badge proof.
pub const CRYPTOSUITE: &str = "eddsa-jcs-2022";
/// The proof purpose of a credential issued by the key's holder.
pub const PROOF_PURPOSE: &str = "assertionMethod";

/// The HMAC label the signing key is derived with. Changing it changes the
/// issuer's key and invalidates every badge issued before.
const SIGNING_KEY_LABEL: &[u8] = b"procap badge issuer signing key\0ed25519\0v1";

/// The multicodec prefix of an Ed25519 public key (0xed as a varint).
const ED25519_PUB_PREFIX: [u8; 2] = [0xed, 0x01];

/// The largest integer JSON canonicalization writes exactly (2⁵³ − 1).
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

type HmacSha256 = Hmac<Sha256>;

/// Why a credential could not be signed or did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadgeError {
    /// The credential holds a value canonical JSON here does not write: a
    /// fraction or an integer beyond 2⁵³ − 1.
    #[error("the credential holds a number that cannot be canonicalised")]
    Number,
    /// The credential is not a JSON object.
    #[error("a credential must be a JSON object")]
    NotAnObject,
    /// There is no proof, or it is not an `eddsa-jcs-2022` Data Integrity
    /// proof.
    #[error("the credential has no eddsa-jcs-2022 proof")]
    NoProof,
    /// The proof's `@context` does not start the credential's.
    #[error("the proof's context does not match the credential's")]
    Context,
    /// `proofValue` is not a base58btc multibase Ed25519 signature.
    #[error("the proof value is malformed")]
    ProofValue,
    /// The signature does not match the credential and the key.
    #[error("the signature does not verify")]
    Signature,
    /// A multibase public key that is not an Ed25519 Multikey.
    #[error("the public key is not an Ed25519 multikey")]
    PublicKey,
}

/// The issuer's Ed25519 public key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct BadgePublicKey([u8; 32]);

impl fmt::Debug for BadgePublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BadgePublicKey({})", self.to_multibase())
    }
}

impl BadgePublicKey {
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The Multikey form: `z` and base58btc of the Ed25519 multicodec
    /// prefix and the key, as `publicKeyMultibase` carries it.
    pub fn to_multibase(&self) -> String {
        let mut bytes = Vec::with_capacity(34);
        bytes.extend_from_slice(&ED25519_PUB_PREFIX);
        bytes.extend_from_slice(&self.0);
        format!("z{}", base58_encode(&bytes))
    }

    /// Reads a Multikey `publicKeyMultibase`.
    ///
    /// # Errors
    ///
    /// [`BadgeError::PublicKey`] unless the text is `z`, base58btc, the
    /// Ed25519 prefix and 32 bytes.
    pub fn from_multibase(text: &str) -> Result<BadgePublicKey, BadgeError> {
        let bytes = text
            .strip_prefix('z')
            .and_then(base58_decode)
            .ok_or(BadgeError::PublicKey)?;
        let key = bytes
            .strip_prefix(&ED25519_PUB_PREFIX[..])
            .and_then(|key| <[u8; 32]>::try_from(key).ok())
            .ok_or(BadgeError::PublicKey)?;
        Ok(BadgePublicKey(key))
    }

    /// The key as a JSON Web Key (RFC 8037): `{"kty":"OKP","crv":"Ed25519","x":…}`.
    pub fn to_jwk(&self) -> Value {
        use base64::Engine as _;
        let x = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(self.0);
        serde_json::json!({ "kty": "OKP", "crv": "Ed25519", "x": x })
    }
}

/// What the proof states besides the signature.
#[derive(Debug, Clone, Copy)]
pub struct ProofOptions<'a> {
    /// The URL of the verification method (the issuer page and a fragment).
    pub verification_method: &'a str,
    /// The signing time, an XML Schema `dateTimeStamp` in UTC
    /// (`2026-12-05T10:00:00Z`).
    pub created: &'a str,
}

impl Keyring {
    /// Derives the badge signing key. The caller drops it at once; the
    /// key zeroes itself when dropped.
    fn badge_signing_key(&self) -> SigningKey {
        let mut mac = HmacSha256::new_from_slice(self.audit_key.as_bytes())
            .expect("HMAC takes keys of any length");
        mac.update(SIGNING_KEY_LABEL);
        let mut seed: [u8; 32] = mac.finalize().into_bytes().into();
        let key = SigningKey::from_bytes(&seed);
        seed.zeroize();
        key
    }

    /// The public key of the badge issuer, derived from the key file.
    pub fn badge_public_key(&self) -> BadgePublicKey {
        BadgePublicKey(self.badge_signing_key().verifying_key().to_bytes())
    }

    /// Returns `credential` with an `eddsa-jcs-2022` proof added. An
    /// existing `proof` member is replaced.
    ///
    /// # Errors
    ///
    /// [`BadgeError::NotAnObject`] for a credential that is not an object,
    /// [`BadgeError::Number`] for a number canonical JSON cannot write.
    pub fn sign_credential(
        &self,
        credential: &Value,
        options: ProofOptions<'_>,
    ) -> Result<Value, BadgeError> {
        let Value::Object(document) = credential else {
            return Err(BadgeError::NotAnObject);
        };
        let mut document = document.clone();
        document.remove("proof");

        let mut proof = Map::new();
        proof.insert("type".into(), PROOF_TYPE.into());
        proof.insert("cryptosuite".into(), CRYPTOSUITE.into());
        proof.insert("created".into(), options.created.into());
        proof.insert(
            "verificationMethod".into(),
            options.verification_method.into(),
        );
        proof.insert("proofPurpose".into(), PROOF_PURPOSE.into());
        if let Some(context) = document.get("@context") {
            proof.insert("@context".into(), context.clone());
        }

        let data = hash_data(&proof, &document)?;
        let signature = self.badge_signing_key().sign(&data);
        proof.insert(
            "proofValue".into(),
            format!("z{}", base58_encode(&signature.to_bytes())).into(),
        );
        document.insert("proof".into(), Value::Object(proof));
        Ok(Value::Object(document))
    }
}

/// Checks the `eddsa-jcs-2022` proof of `secured` against `key`.
///
/// # Errors
///
/// [`BadgeError::NoProof`] without a matching proof, [`BadgeError::Context`]
/// when the proof's context does not start the credential's,
/// [`BadgeError::ProofValue`] for a malformed signature, and
/// [`BadgeError::Signature`] when any signed member was changed or the key is
/// another one.
pub fn verify_credential(secured: &Value, key: &BadgePublicKey) -> Result<(), BadgeError> {
    let Value::Object(document) = secured else {
        return Err(BadgeError::NotAnObject);
    };
    let mut document = document.clone();
    let Some(Value::Object(mut proof)) = document.remove("proof") else {
        return Err(BadgeError::NoProof);
    };
    if proof.get("type").and_then(Value::as_str) != Some(PROOF_TYPE)
        || proof.get("cryptosuite").and_then(Value::as_str) != Some(CRYPTOSUITE)
    {
        return Err(BadgeError::NoProof);
    }
    let Some(Value::String(proof_value)) = proof.remove("proofValue") else {
        return Err(BadgeError::ProofValue);
    };
    if let Some(context) = proof.get("@context") {
        if !context_starts(document.get("@context"), context) {
            return Err(BadgeError::Context);
        }
        document.insert("@context".into(), context.clone());
    }

    let signature = proof_value
        .strip_prefix('z')
        .and_then(base58_decode)
        .and_then(|bytes| <[u8; 64]>::try_from(bytes.as_slice()).ok())
        .map(|bytes| Signature::from_bytes(&bytes))
        .ok_or(BadgeError::ProofValue)?;
    let verifying = VerifyingKey::from_bytes(key.as_bytes()).map_err(|_| BadgeError::PublicKey)?;
    let data = hash_data(&proof, &document)?;
    verifying
        .verify(&data, &signature)
        .map_err(|_| BadgeError::Signature)
}

/// Whether the credential's context begins with every entry of the proof's,
/// in order.
fn context_starts(document: Option<&Value>, proof: &Value) -> bool {
    let as_list = |value: &Value| match value {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    let Some(document) = document else {
        return false;
    };
    let document = as_list(document);
    let proof = as_list(proof);
    proof.len() <= document.len() && document.iter().zip(&proof).all(|(a, b)| a == b)
}

/// SHA-256 of the canonical proof options followed by SHA-256 of the
/// canonical credential: the 64 bytes that are signed.
fn hash_data(
    proof: &Map<String, Value>,
    document: &Map<String, Value>,
) -> Result<Vec<u8>, BadgeError> {
    let proof = canonical_json(&Value::Object(proof.clone()))?;
    let document = canonical_json(&Value::Object(document.clone()))?;
    let mut data = Sha256::digest(proof.as_bytes()).to_vec();
    data.extend_from_slice(&Sha256::digest(document.as_bytes()));
    Ok(data)
}

/// Writes `value` in the JSON Canonicalization Scheme (RFC 8785): no
/// whitespace, object members sorted by the UTF-16 code units of their
/// names, strings escaped as ECMAScript does.
///
/// # Errors
///
/// [`BadgeError::Number`] for a fraction or an integer whose magnitude is
/// above 2⁵³ − 1, which this writer does not format.
pub fn canonical_json(value: &Value) -> Result<String, BadgeError> {
    let mut out = String::new();
    write_canonical(value, &mut out)?;
    Ok(out)
}

fn write_canonical(value: &Value, out: &mut String) -> Result<(), BadgeError> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        Value::Number(number) => {
            let fits = number
                .as_u64()
                .map(|n| n <= MAX_SAFE_INTEGER)
                .or_else(|| {
                    number
                        .as_i64()
                        .map(|n| n.unsigned_abs() <= MAX_SAFE_INTEGER)
                })
                .unwrap_or(false);
            if !fits {
                return Err(BadgeError::Number);
            }
            out.push_str(&number.to_string());
        }
        // serde_json escapes exactly what ECMAScript's JSON.stringify does:
        // the quote, the backslash, and control characters (short forms
        // for \b \f \n \r \t, lower-case \u00xx for the rest).
        Value::String(text) => out.push_str(&Value::String(text.clone()).to_string()),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_canonical(item, out)?;
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut sorted: Vec<(&String, &Value)> = members.iter().collect();
            sorted.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (index, (name, member)) in sorted.into_iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(name.clone()).to_string());
                out.push(':');
                write_canonical(member, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

const BASE58_ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Base58 in the Bitcoin alphabet: each leading zero byte is a `1`, the
/// rest is the big-endian number written in base 58.
pub fn base58_encode(bytes: &[u8]) -> String {
    let zeros = bytes.iter().take_while(|&&byte| byte == 0).count();
    // Little-endian base-58 digits of the number.
    let mut digits: Vec<u8> = Vec::with_capacity(bytes.len() * 138 / 100 + 1);
    for &byte in &bytes[zeros..] {
        let mut carry = u32::from(byte);
        for digit in &mut digits {
            carry += u32::from(*digit) << 8;
            *digit = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let mut out = String::with_capacity(zeros + digits.len());
    out.extend(std::iter::repeat_n('1', zeros));
    out.extend(
        digits
            .iter()
            .rev()
            .map(|&digit| char::from(BASE58_ALPHABET[usize::from(digit)])),
    );
    out
}

/// Reads base58 (Bitcoin alphabet); `None` for a character outside it.
pub fn base58_decode(text: &str) -> Option<Vec<u8>> {
    let zeros = text.bytes().take_while(|&byte| byte == b'1').count();
    // Little-endian bytes of the number.
    let mut bytes: Vec<u8> = Vec::with_capacity(text.len());
    for character in text.bytes().skip(zeros) {
        let value = BASE58_ALPHABET.iter().position(|&c| c == character)?;
        let mut carry = value as u32;
        for byte in &mut bytes {
            carry += u32::from(*byte) * 58;
            *byte = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            bytes.push((carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let mut out = vec![0u8; zeros];
    out.extend(bytes.iter().rev());
    Some(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn credential() -> Value {
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "issuer": { "id": "http://127.0.0.1/badges/issuer", "type": ["Profile"], "name": "Κέντρο Δοκιμών" },
            "validFrom": "2026-12-05T00:00:00Z",
            "credentialSubject": { "type": ["AchievementSubject"], "name": "Δοκιμαστική Εκπαιδευόμενη" },
        })
    }

    const OPTIONS: ProofOptions<'static> = ProofOptions {
        verification_method: "http://127.0.0.1/badges/issuer#key-1",
        created: "2026-12-05T10:00:00Z",
    };

    #[test]
    fn signed_credential_verifies_with_the_public_key() {
        let keys = Keyring::for_tests(1);
        let signed = keys.sign_credential(&credential(), OPTIONS).unwrap();
        let proof = &signed["proof"];
        assert_eq!(proof["cryptosuite"], CRYPTOSUITE);
        assert!(proof["proofValue"].as_str().unwrap().starts_with('z'));
        verify_credential(&signed, &keys.badge_public_key()).unwrap();
    }

    #[test]
    fn any_change_breaks_the_signature() {
        let keys = Keyring::for_tests(1);
        let signed = keys.sign_credential(&credential(), OPTIONS).unwrap();
        let key = keys.badge_public_key();

        let mut renamed = signed.clone();
        renamed["credentialSubject"]["name"] = json!("Άλλο Όνομα");
        assert_eq!(
            verify_credential(&renamed, &key),
            Err(BadgeError::Signature)
        );

        let mut redated = signed.clone();
        redated["proof"]["created"] = json!("2027-01-01T00:00:00Z");
        assert_eq!(
            verify_credential(&redated, &key),
            Err(BadgeError::Signature)
        );

        let mut added = signed.clone();
        added["extra"] = json!(1);
        assert_eq!(verify_credential(&added, &key), Err(BadgeError::Signature));

        let other = Keyring::for_tests(2).badge_public_key();
        assert_ne!(other, key);
        assert_eq!(
            verify_credential(&signed, &other),
            Err(BadgeError::Signature)
        );

        let mut unsigned = signed;
        unsigned.as_object_mut().unwrap().remove("proof");
        assert_eq!(verify_credential(&unsigned, &key), Err(BadgeError::NoProof));
    }

    #[test]
    fn member_order_does_not_matter() {
        let keys = Keyring::for_tests(3);
        let signed = keys.sign_credential(&credential(), OPTIONS).unwrap();
        let reordered: Value = serde_json::from_str(&canonical_json(&signed).unwrap()).unwrap();
        verify_credential(&reordered, &keys.badge_public_key()).unwrap();
    }

    #[test]
    fn the_key_is_stable_per_key_file() {
        assert_eq!(
            Keyring::for_tests(4).badge_public_key(),
            Keyring::for_tests(4).badge_public_key()
        );
    }

    #[test]
    fn canonical_json_sorts_and_escapes() {
        let value = json!({ "b": [1, "x\n\u{1}"], "a": { "é": true, "Z": null }, "€": -3 });
        assert_eq!(
            canonical_json(&value).unwrap(),
            "{\"a\":{\"Z\":null,\"é\":true},\"b\":[1,\"x\\n\\u0001\"],\"€\":-3}"
        );
        assert_eq!(canonical_json(&json!(1.5)), Err(BadgeError::Number));
        assert_eq!(canonical_json(&json!(1u64 << 60)), Err(BadgeError::Number));
    }

    #[test]
    fn canonical_json_orders_names_by_utf16_units() {
        // U+FF61 sorts after U+1F600 by code point but before it in UTF-16,
        // where the emoji starts with a surrogate (0xD83D).
        let value = json!({ "\u{ff61}": 1, "\u{1f600}": 2 });
        assert_eq!(
            canonical_json(&value).unwrap(),
            "{\"\u{1f600}\":2,\"\u{ff61}\":1}"
        );
    }

    #[test]
    fn base58_round_trips() {
        assert_eq!(base58_encode(b"Hello World!"), "2NEpo7TZRRrLZSi2U");
        assert_eq!(base58_encode(&[0, 0, 1]), "112");
        for bytes in [&b""[..], &[0][..], &[0, 0, 255, 1][..], &[255; 40][..]] {
            assert_eq!(base58_decode(&base58_encode(bytes)).unwrap(), bytes);
        }
        assert_eq!(base58_decode("0OIl"), None);
    }

    #[test]
    fn multikey_round_trips() {
        let key = Keyring::for_tests(5).badge_public_key();
        let text = key.to_multibase();
        assert!(text.starts_with("z6Mk"), "{text}");
        assert_eq!(BadgePublicKey::from_multibase(&text).unwrap(), key);
        assert_eq!(
            BadgePublicKey::from_multibase("zabc"),
            Err(BadgeError::PublicKey)
        );
        assert_eq!(key.to_jwk()["crv"], "Ed25519");
    }
}
