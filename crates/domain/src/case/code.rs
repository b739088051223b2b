//! The case code: the pseudonymous identifier that staff, interpreters and
//! reports use instead of the person's name.
//!
//! A case code has the form `{PREFIX}-{YEAR}-{SEQ}`, e.g. `ATH-2026-00042`.
//! The prefix names the organisation or office, the year is the year of
//! registration and the sequence counts cases within that prefix and year.
//! None of the three parts is derived from the person, so the code reveals
//! nothing about them. Callers must never build the prefix from a name.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Shortest allowed prefix, in characters.
pub const PREFIX_MIN_LEN: usize = 2;
/// Longest allowed prefix, in characters.
pub const PREFIX_MAX_LEN: usize = 6;
/// Largest sequence number. The sequence is written with five digits.
pub const SEQUENCE_MAX: u32 = 99_999;

/// Error of [`CaseCode::new`] and [`CaseCode::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CaseCodeError {
    /// The text does not have three parts separated by `-`.
    #[error("a case code has the form PREFIX-YEAR-SEQUENCE, e.g. ATH-2026-00042")]
    Format,
    /// The prefix is not 2 to 6 capital Latin letters (A–Z).
    #[error("the case code prefix must be 2 to 6 capital Latin letters (A-Z)")]
    Prefix,
    /// The year is not four digits from 1000 to 9999.
    #[error("the case code year must have four digits")]
    Year,
    /// The sequence is not five digits from 00001 to 99999.
    #[error("the case code sequence must be a number from 00001 to 99999")]
    Sequence,
}

/// A valid case code such as `ATH-2026-00042`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseCode(String);

impl CaseCode {
    /// Builds a case code from its parts.
    ///
    /// # Errors
    ///
    /// [`CaseCodeError::Prefix`] unless `prefix` is 2 to 6 letters A–Z,
    /// [`CaseCodeError::Year`] unless `year` is in 1000..=9999,
    /// [`CaseCodeError::Sequence`] unless `sequence` is in 1..=99999.
    pub fn new(prefix: &str, year: u16, sequence: u32) -> Result<CaseCode, CaseCodeError> {
        if !is_valid_prefix(prefix) {
            return Err(CaseCodeError::Prefix);
        }
        if !(1000..=9999).contains(&year) {
            return Err(CaseCodeError::Year);
        }
        if !(1..=SEQUENCE_MAX).contains(&sequence) {
            return Err(CaseCodeError::Sequence);
        }
        Ok(CaseCode(format!("{prefix}-{year}-{sequence:05}")))
    }

    /// Parses the written form. The text must be exact: no spaces, capital
    /// prefix, four-digit year and five-digit sequence (`ATH-2026-42` is
    /// rejected).
    ///
    /// # Errors
    ///
    /// [`CaseCodeError::Format`] unless there are exactly three parts, then
    /// the error of the first invalid part.
    pub fn parse(text: &str) -> Result<CaseCode, CaseCodeError> {
        let mut parts = text.split('-');
        let (Some(prefix), Some(year), Some(sequence), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(CaseCodeError::Format);
        };

        if !is_valid_prefix(prefix) {
            return Err(CaseCodeError::Prefix);
        }
        if year.len() != 4 || !year.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(CaseCodeError::Year);
        }
        if sequence.len() != 5 || !sequence.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(CaseCodeError::Sequence);
        }
        let year: u16 = year.parse().map_err(|_| CaseCodeError::Year)?;
        let sequence: u32 = sequence.parse().map_err(|_| CaseCodeError::Sequence)?;

        CaseCode::new(prefix, year, sequence)
    }

    /// Returns the written form, e.g. `ATH-2026-00042`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Returns the prefix, e.g. `ATH`.
    pub fn prefix(&self) -> &str {
        self.0.split('-').next().unwrap_or_default()
    }

    /// Returns the year of registration.
    pub fn year(&self) -> u16 {
        self.0
            .split('-')
            .nth(1)
            .and_then(|year| year.parse().ok())
            .unwrap_or_default()
    }

    /// Returns the sequence number within prefix and year.
    pub fn sequence(&self) -> u32 {
        self.0
            .split('-')
            .nth(2)
            .and_then(|sequence| sequence.parse().ok())
            .unwrap_or_default()
    }
}

fn is_valid_prefix(prefix: &str) -> bool {
    (PREFIX_MIN_LEN..=PREFIX_MAX_LEN).contains(&prefix.len())
        && prefix.bytes().all(|byte| byte.is_ascii_uppercase())
}

impl fmt::Display for CaseCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl TryFrom<String> for CaseCode {
    type Error = CaseCodeError;

    fn try_from(text: String) -> Result<CaseCode, CaseCodeError> {
        CaseCode::parse(&text)
    }
}

impl From<CaseCode> for String {
    fn from(code: CaseCode) -> String {
        code.0
    }
}
