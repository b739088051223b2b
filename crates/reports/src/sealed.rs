//! Files sealed for their recipients with age (X25519 recipients only):
//! the HTCDS export and the scheduled report attachments. Only the holders
//! of the matching identities can open them.

use std::io::Write;
use std::str::FromStr;

/// An age public key (`age1…`), checked.
#[derive(Clone)]
pub struct Recipient(age::x25519::Recipient);

impl Recipient {
    /// Parses a public key, ignoring surrounding white space.
    ///
    /// # Errors
    ///
    /// [`SealError::InvalidRecipient`] when the text is not an age X25519
    /// public key.
    pub fn parse(text: &str) -> Result<Recipient, SealError> {
        age::x25519::Recipient::from_str(text.trim())
            .map(Recipient)
            .map_err(|_| SealError::InvalidRecipient)
    }

    /// The key as written, `age1…`.
    pub fn to_text(&self) -> String {
        self.0.to_string()
    }
}

impl std::fmt::Debug for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Recipient({})", self.0)
    }
}

/// Why a file could not be sealed.
#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("not an age public key (age1…)")]
    InvalidRecipient,
    #[error("no recipient to encrypt to")]
    NoRecipient,
    #[error("age encryption failed: {0}")]
    Encrypt(String),
}

/// Encrypts `bytes` to every recipient (binary age format).
///
/// # Errors
///
/// [`SealError::NoRecipient`] for an empty list, [`SealError::Encrypt`]
/// when age fails.
pub fn seal(recipients: &[Recipient], bytes: &[u8]) -> Result<Vec<u8>, SealError> {
    if recipients.is_empty() {
        return Err(SealError::NoRecipient);
    }
    let encryptor = age::Encryptor::with_recipients(
        recipients
            .iter()
            .map(|recipient| &recipient.0 as &dyn age::Recipient),
    )
    .map_err(|error| SealError::Encrypt(error.to_string()))?;
    let mut out = Vec::new();
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|error| SealError::Encrypt(error.to_string()))?;
    writer
        .write_all(bytes)
        .and_then(|()| writer.finish().map(|_| ()))
        .map_err(|error| SealError::Encrypt(error.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn sealed_bytes_open_with_the_identity() {
        let identity = age::x25519::Identity::generate();
        let recipient = Recipient::parse(&identity.to_public().to_string()).unwrap();
        let sealed = seal(&[recipient], b"figures").unwrap();
        let decryptor = age::Decryptor::new(sealed.as_slice()).unwrap();
        let mut reader = decryptor
            .decrypt(std::iter::once(&identity as &dyn age::Identity))
            .unwrap();
        let mut plain = Vec::new();
        reader.read_to_end(&mut plain).unwrap();
        assert_eq!(plain, b"figures");
    }

    #[test]
    fn rejects_what_is_not_a_key() {
        assert!(Recipient::parse("age1notakey").is_err());
        assert!(Recipient::parse("").is_err());
        assert!(seal(&[], b"x").is_err());
    }
}
