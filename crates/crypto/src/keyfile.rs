//! The key file's text format: parsing and writing, without file I/O (the
//! key ring opens, checks and replaces the file).
//!
//! ```text
//! # Procap key file: keep secret, back up separately from the database,
//! # losing it makes encrypted fields unreadable.
//! format = 1
//! current_field_key = 2
//! field_key.1 = <32 bytes in standard base64>
//! field_key.2 = <32 bytes in standard base64>
//! index_key = <32 bytes in standard base64>
//! audit_key = <32 bytes in standard base64>
//! ```
//!
//! Blank lines and lines starting with `#` are ignored, spaces around `=` are
//! optional, and every entry may appear only once. Error messages name lines
//! and entries but never repeat a value, because a value may be a key.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use thiserror::Error;
use zeroize::Zeroizing;

use crate::keyring::{KEY_LEN, Keyring, SecretKey};

/// The only key file format version this code reads and writes.
pub(crate) const FORMAT_VERSION: u32 = 1;

const HEADER: &str = "\
# Procap key file: keep secret, back up separately from the database,
# losing it makes encrypted fields unreadable.
#
# field_key.N are the field-encryption keys (XChaCha20-Poly1305); new data is
# encrypted with current_field_key, older keys stay to decrypt older data.
# index_key keys the blind indexes, audit_key keys the audit-log hash chain.
# Edit only to restore from a backup: Procap rewrites this file on rotation.
";

/// Problem found in the text of a key file. Line numbers start at 1.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KeyFileError {
    /// The file is not UTF-8 text.
    #[error("the file is not UTF-8 text")]
    NotText,
    /// A line that is neither blank, a comment nor an `entry = value` pair.
    #[error("line {line} is not an `entry = value` pair")]
    MissingSeparator { line: usize },
    /// An entry name this format does not define. `name` is `(hidden)` when the
    /// name could be key material.
    #[error("line {line} has the unknown entry `{name}`")]
    UnknownEntry { line: usize, name: String },
    /// An entry that appears a second time.
    #[error("line {line} repeats the entry `{name}`")]
    DuplicateEntry { line: usize, name: String },
    /// A required entry that does not appear.
    #[error("the entry `{name}` is missing")]
    MissingEntry { name: &'static str },
    /// A `format` other than 1, the only version this code reads. `found` is
    /// `None` when the value is not a number.
    #[error(
        "line {line} declares format {}, but this version of Procap reads format {FORMAT_VERSION} only",
        found.map_or_else(|| "(not a number)".to_owned(), |n| n.to_string())
    )]
    UnsupportedFormat { line: usize, found: Option<u32> },
    /// A `field_key.N` or `current_field_key` whose key id is not a whole
    /// number from 1 to 4294967295.
    #[error(
        "line {line} has an invalid key id: key ids are whole numbers from 1 to {}",
        u32::MAX
    )]
    InvalidKeyId { line: usize },
    /// A key value that is not standard base64 of exactly 32 bytes.
    #[error("line {line}: the value of `{name}` is not {KEY_LEN} bytes in standard base64")]
    InvalidKey { line: usize, name: String },
    /// `current_field_key` names a key id that has no `field_key.N` line.
    #[error("current_field_key is {id}, but there is no field_key.{id} entry")]
    UnknownCurrentKey { id: u32 },
}

/// Parses the text of a key file into a key ring.
pub(crate) fn parse(bytes: &[u8]) -> Result<Keyring, KeyFileError> {
    let text = std::str::from_utf8(bytes).map_err(|_| KeyFileError::NotText)?;
    let entries = split_entries(text)?;

    // The format is checked before anything else, so that a file written by a
    // newer version reports its version rather than its unknown entries.
    let format = entries.iter().find(|entry| entry.name == "format");
    let Some(format) = format else {
        return Err(KeyFileError::MissingEntry { name: "format" });
    };
    let found = format.value.parse::<u32>().ok();
    if found != Some(FORMAT_VERSION) {
        return Err(KeyFileError::UnsupportedFormat {
            line: format.line,
            found,
        });
    }

    let mut seen: Vec<&str> = Vec::new();
    let mut current_field_key_id = None;
    let mut field_keys = BTreeMap::new();
    let mut index_key = None;
    let mut audit_key = None;
    for entry in &entries {
        if seen.contains(&entry.name) {
            return Err(KeyFileError::DuplicateEntry {
                line: entry.line,
                name: entry.name.to_owned(),
            });
        }
        seen.push(entry.name);

        match entry.name {
            "format" => {}
            "current_field_key" => {
                current_field_key_id = Some(parse_key_id(entry.value, entry.line)?)
            }
            "index_key" => index_key = Some(decode_key(entry)?),
            "audit_key" => audit_key = Some(decode_key(entry)?),
            name => match name.strip_prefix("field_key.") {
                Some(id) => {
                    let id = parse_key_id(id, entry.line)?;
                    field_keys.insert(id, decode_key(entry)?);
                }
                None => {
                    return Err(KeyFileError::UnknownEntry {
                        line: entry.line,
                        name: printable_name(name),
                    });
                }
            },
        }
    }

    let current_field_key_id = current_field_key_id.ok_or(KeyFileError::MissingEntry {
        name: "current_field_key",
    })?;
    if !field_keys.contains_key(&current_field_key_id) {
        return Err(KeyFileError::UnknownCurrentKey {
            id: current_field_key_id,
        });
    }
    Ok(Keyring {
        field_keys,
        current_field_key_id,
        index_key: index_key.ok_or(KeyFileError::MissingEntry { name: "index_key" })?,
        audit_key: audit_key.ok_or(KeyFileError::MissingEntry { name: "audit_key" })?,
    })
}

/// Writes a key ring as key file text. The result contains key material and
/// is zeroed when dropped.
pub(crate) fn write(keyring: &Keyring) -> Zeroizing<String> {
    let mut text = Zeroizing::new(String::with_capacity(capacity_for(keyring)));

    text.push_str(HEADER);
    push_line(&mut text, "format", &FORMAT_VERSION.to_string());
    push_line(
        &mut text,
        "current_field_key",
        &keyring.current_field_key_id.to_string(),
    );
    for (id, key) in &keyring.field_keys {
        push_key_line(&mut text, &format!("field_key.{id}"), key);
    }
    push_key_line(&mut text, "index_key", &keyring.index_key);
    push_key_line(&mut text, "audit_key", &keyring.audit_key);
    text
}

/// Bytes to reserve for the text of `keyring`, so that the buffer never
/// reallocates and leaves a copy of key material in freed memory.
fn capacity_for(keyring: &Keyring) -> usize {
    // Each key line is at most "field_key.4294967295 = " plus 44 base64
    // characters and a newline. The two numeric lines are under 60 bytes.
    let key_count = keyring.field_keys.len() + 2;
    HEADER.len() + 60 + key_count * 80
}

struct Entry<'a> {
    line: usize,
    name: &'a str,
    value: &'a str,
}

fn split_entries(text: &str) -> Result<Vec<Entry<'_>>, KeyFileError> {
    let mut entries = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (name, value) = trimmed
            .split_once('=')
            .ok_or(KeyFileError::MissingSeparator { line })?;
        entries.push(Entry {
            line,
            name: name.trim(),
            value: value.trim(),
        });
    }
    Ok(entries)
}

fn parse_key_id(value: &str, line: usize) -> Result<u32, KeyFileError> {
    // `u32::from_str` accepts a leading `+`, but key ids are plain digits only.
    if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(KeyFileError::InvalidKeyId { line });
    }
    match value.parse::<u32>() {
        Ok(id) if id > 0 => Ok(id),
        _ => Err(KeyFileError::InvalidKeyId { line }),
    }
}

fn decode_key(entry: &Entry<'_>) -> Result<SecretKey, KeyFileError> {
    let invalid = || KeyFileError::InvalidKey {
        line: entry.line,
        name: entry.name.to_owned(),
    };
    let bytes = Zeroizing::new(BASE64.decode(entry.value).map_err(|_| invalid())?);
    SecretKey::from_slice(&bytes).ok_or_else(invalid)
}

/// Returns `name` if it cannot be key material (short, lower-case ASCII,
/// digits, `_` and `.`), otherwise `(hidden)`. A base64 key is 44 characters
/// long, so a pasted key never passes.
fn printable_name(name: &str) -> String {
    let plain = name.len() <= 32
        && name.bytes().all(|byte| {
            byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_' || byte == b'.'
        });
    if plain {
        name.to_owned()
    } else {
        "(hidden)".to_owned()
    }
}

fn push_line(text: &mut String, name: &str, value: &str) {
    // Writing to a String cannot fail.
    let _ = writeln!(text, "{name} = {value}");
}

fn push_key_line(text: &mut String, name: &str, key: &SecretKey) {
    text.push_str(name);
    text.push_str(" = ");
    BASE64.encode_string(key.as_bytes(), text);
    text.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_A: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const KEY_B: &str = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

    fn valid_lines() -> Vec<String> {
        vec![
            "# comment".to_owned(),
            String::new(),
            "format = 1".to_owned(),
            "current_field_key=2".to_owned(),
            format!("field_key.1 = {KEY_A}"),
            format!("  field_key.2 =  {KEY_B}  "),
            format!("index_key = {KEY_A}"),
            format!("audit_key = {KEY_B}"),
        ]
    }

    fn parse_lines(lines: &[String]) -> Result<Keyring, KeyFileError> {
        parse(lines.join("\n").as_bytes())
    }

    #[test]
    fn valid_file_parses_with_comments_and_spaces() {
        let keyring = parse_lines(&valid_lines()).unwrap();

        assert_eq!(keyring.current_field_key_id, 2);
        assert_eq!(
            keyring.field_keys.keys().copied().collect::<Vec<_>>(),
            vec![1, 2]
        );
        assert_eq!(keyring.field_keys[&1].as_bytes()[31], 31);
        assert_eq!(keyring.field_keys[&2].as_bytes()[0], 32);
        assert_eq!(keyring.index_key.as_bytes()[1], 1);
        assert_eq!(keyring.audit_key.as_bytes()[1], 33);
    }

    #[test]
    fn written_text_parses_back_to_same_keys() {
        let keyring = Keyring::for_tests(7);
        let text = write(&keyring);
        let parsed = parse(text.as_bytes()).unwrap();

        assert!(text.starts_with("# Procap key file: keep secret"));
        assert_eq!(parsed.current_field_key_id, keyring.current_field_key_id);
        assert!(parsed.same_keys_as(&keyring));
    }

    #[test]
    fn write_never_grows_its_buffer() {
        let mut keyring = Keyring::for_tests(1);
        keyring.insert_test_field_key(u32::MAX);
        let text = write(&keyring);

        assert_eq!(text.capacity(), capacity_for(&keyring));
    }

    #[test]
    fn missing_entries_are_named() {
        for name in ["format", "current_field_key", "index_key", "audit_key"] {
            let lines: Vec<String> = valid_lines()
                .into_iter()
                .filter(|line| !line.trim_start().starts_with(name))
                .collect();
            let error = parse_lines(&lines).unwrap_err();
            assert_eq!(error, KeyFileError::MissingEntry { name }, "without {name}");
        }
    }

    #[test]
    fn current_key_must_exist() {
        let mut lines = valid_lines();
        lines[3] = "current_field_key = 3".to_owned();

        assert_eq!(
            parse_lines(&lines).unwrap_err(),
            KeyFileError::UnknownCurrentKey { id: 3 }
        );
    }

    #[test]
    fn other_format_versions_are_rejected() {
        let mut lines = valid_lines();
        lines[2] = "format = 2".to_owned();
        lines.push("new_entry = x".to_owned());

        assert_eq!(
            parse_lines(&lines).unwrap_err(),
            KeyFileError::UnsupportedFormat {
                line: 3,
                found: Some(2)
            }
        );

        lines[2] = "format = one".to_owned();
        assert_eq!(
            parse_lines(&lines).unwrap_err(),
            KeyFileError::UnsupportedFormat {
                line: 3,
                found: None
            }
        );
    }

    #[test]
    fn duplicate_entries_are_rejected() {
        let mut lines = valid_lines();
        lines.push(format!("field_key.1 = {KEY_B}"));

        assert_eq!(
            parse_lines(&lines).unwrap_err(),
            KeyFileError::DuplicateEntry {
                line: 9,
                name: "field_key.1".to_owned()
            }
        );
    }

    #[test]
    fn invalid_key_ids_are_rejected() {
        for id in ["0", "+1", "-1", "x", "", "4294967296"] {
            let mut lines = valid_lines();
            lines[4] = format!("field_key.{id} = {KEY_A}");
            assert_eq!(
                parse_lines(&lines).unwrap_err(),
                KeyFileError::InvalidKeyId { line: 5 },
                "id {id:?}"
            );
        }
    }

    #[test]
    fn keys_must_be_32_bytes_of_base64() {
        let short = &KEY_A[..40];
        for value in ["not base64!", short, "", "AAEC"] {
            let mut lines = valid_lines();
            lines[6] = format!("index_key = {value}");
            assert_eq!(
                parse_lines(&lines).unwrap_err(),
                KeyFileError::InvalidKey {
                    line: 7,
                    name: "index_key".to_owned()
                },
                "value {value:?}"
            );
        }
    }

    #[test]
    fn line_without_separator_is_rejected() {
        let mut lines = valid_lines();
        lines.push("just some words".to_owned());

        assert_eq!(
            parse_lines(&lines).unwrap_err(),
            KeyFileError::MissingSeparator { line: 9 }
        );
    }

    #[test]
    fn unknown_entry_name_is_shown_only_if_plain() {
        let mut lines = valid_lines();
        lines.push("colour = blue".to_owned());
        assert_eq!(
            parse_lines(&lines).unwrap_err(),
            KeyFileError::UnknownEntry {
                line: 9,
                name: "colour".to_owned()
            }
        );

        // A key pasted on a line of its own splits at its base64 padding.
        let mut lines = valid_lines();
        lines.push(KEY_B.to_owned());
        let error = parse_lines(&lines).unwrap_err();
        assert_eq!(
            error,
            KeyFileError::UnknownEntry {
                line: 9,
                name: "(hidden)".to_owned()
            }
        );
        assert!(!error.to_string().contains(&KEY_B[..20]));
    }

    #[test]
    fn non_utf8_file_is_rejected() {
        let mut bytes = b"format = 1\n".to_vec();
        bytes.push(0xff);

        assert_eq!(parse(&bytes).unwrap_err(), KeyFileError::NotText);
    }

    #[test]
    fn error_messages_never_contain_values() {
        let mut lines = valid_lines();
        lines[7] = format!("audit_key = {}", &KEY_B[..43]);
        let message = parse_lines(&lines).unwrap_err().to_string();

        assert!(message.contains("audit_key"), "{message}");
        assert!(!message.contains(&KEY_B[..20]), "{message}");
    }
}
