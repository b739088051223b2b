//! The WebAuthn relying party: Procap's identity towards passkeys, built
//! from the public origin, and the conversions between Procap's user and
//! credential ids and WebAuthn's.
//!
//! The relying-party id is the host of the public origin, so a passkey made
//! on `https://procap.example.org` works only there. Browsers refuse
//! WebAuthn on an IP address, so an origin such as `http://127.0.0.1:8080`
//! has no relying party and passkeys are unavailable on it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use url::Url;
use webauthn_rs::prelude::{CredentialID, Uuid};
use webauthn_rs::{Webauthn, WebauthnBuilder};

/// The name authenticators show next to the passkey.
const RP_NAME: &str = "Procap";

/// Session key of a passkey registration in progress (serialised state).
pub const SESSION_PASSKEY_REGISTRATION: &str = "passkey_registration";
/// Session key of a passkey login in progress (serialised state).
pub const SESSION_PASSKEY_AUTHENTICATION: &str = "passkey_authentication";

/// Why the public origin cannot serve as a WebAuthn relying party.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("public origin {0:?} has no host name that WebAuthn accepts")]
pub struct NoRelyingParty(pub String);

/// The relying party for `public_origin` (`scheme://host[:port]`).
///
/// Fails when the origin is not a URL or its host is an IP address.
pub fn relying_party(public_origin: &str) -> Result<Webauthn, NoRelyingParty> {
    let unavailable = || NoRelyingParty(public_origin.to_owned());
    let origin = Url::parse(public_origin).map_err(|_| unavailable())?;
    let rp_id = origin
        .domain()
        .ok_or_else(unavailable)?
        .to_ascii_lowercase();
    WebauthnBuilder::new(&rp_id, &origin)
        .and_then(|builder| builder.rp_name(RP_NAME).build())
        .map_err(|_| unavailable())
}

/// The user handle WebAuthn stores on the authenticator: the user id when
/// it is a UUID (as Procap creates them), otherwise a UUID derived from a
/// SHA-256 of the id, so the handle never changes for one account.
pub fn user_handle(user_id: &str) -> Uuid {
    Uuid::parse_str(user_id).unwrap_or_else(|_| {
        let digest = Sha256::digest(user_id.as_bytes());
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    })
}

/// A credential id as stored in `passkeys.credential_id`: base64url
/// without padding.
pub fn credential_id_text(id: &CredentialID) -> String {
    URL_SAFE_NO_PAD.encode(id.as_ref() as &[u8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relying_party_id_is_the_host() {
        let rp = relying_party("https://procap.example.org").expect("domain origin");
        let (challenge, _) = rp
            .start_passkey_registration(user_handle("u1"), "maria", "Μαρία", None)
            .expect("challenge");
        assert_eq!(challenge.public_key.rp.id, "procap.example.org");
        assert_eq!(challenge.public_key.rp.name, RP_NAME);
    }

    #[test]
    fn ip_origin_has_no_relying_party() {
        assert!(relying_party("http://127.0.0.1:8080").is_err());
        assert!(relying_party("not a url").is_err());
        assert!(relying_party("http://localhost:8080").is_ok());
    }

    #[test]
    fn user_handle_is_stable() {
        let id = "3f0c6a8e-6b1e-4c55-9d7a-2f4e1b0c9a11";
        assert_eq!(user_handle(id).to_string(), id);
        assert_eq!(user_handle("admin"), user_handle("admin"));
        assert_ne!(user_handle("admin"), user_handle("admin2"));
    }
}
