//! Problems found in an HTCDS file, as data. Each problem names a Fluent
//! message key and its arguments, so the command line and the upload page
//! show it in the user's language.

use std::fmt;

use procap_domain::case::dates::DateRuleError;

/// A value inserted into a problem's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageArg {
    Text(String),
    Number(i64),
}

/// One problem found in an HTCDS file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The file has no header line.
    EmptyFile,
    /// The file has a header but no data rows.
    NoRows,
    /// The bytes are not valid CSV or not UTF-8 text.
    Unreadable,
    /// A column Procap needs is not in the header.
    MissingColumn,
    /// A column name appears twice in the header.
    DuplicateColumn,
    /// A column carries an HTCDS or Procap prefix but is not a known field.
    UnknownField,
    /// The row has a different number of fields from the header.
    FieldCount { found: usize, expected: usize },
    /// A required value is empty.
    Required,
    /// A date that is not `YYYY-MM-DD` or does not exist.
    InvalidDate { value: String },
    /// A value that is not in the column's code list.
    UnknownCode { value: String, allowed: String },
    /// A country code that is not ISO 3166-1 alpha-2.
    UnknownCountry { value: String },
    /// A language code that is not in Procap's language list.
    UnknownLanguage { value: String },
    /// A text longer than the column allows, in characters.
    TooLong { max: usize },
    /// A closed case without its closure date.
    ClosureDateMissing,
    /// A closure date or reason on a case that is not closed.
    ClosureOnOpenCase,
    /// A broken date rule (birth after referral, referral in the future…).
    DateRule(DateRuleError),
    /// Several event types whose number differs from the number of countries.
    EventCount { types: usize, countries: usize },
    /// An archive lacks a file it needs; the column names the file.
    MissingFile,
    /// A row of an archive's entity file names a case code that no row of
    /// the case file has.
    UnknownCaseCode { value: String },
}

impl Problem {
    /// Returns the Fluent key of the message shown to the user.
    pub fn message_key(&self) -> &'static str {
        match self {
            Problem::EmptyFile => "import-error-empty-file",
            Problem::NoRows => "import-error-no-rows",
            Problem::Unreadable => "import-error-unreadable",
            Problem::MissingColumn => "import-error-missing-column",
            Problem::DuplicateColumn => "import-error-duplicate-column",
            Problem::UnknownField => "import-error-unknown-field",
            Problem::FieldCount { .. } => "import-error-field-count",
            Problem::Required => "import-error-required",
            Problem::InvalidDate { .. } => "import-error-date",
            Problem::UnknownCode { .. } => "import-error-code",
            Problem::UnknownCountry { .. } => "import-error-country",
            Problem::UnknownLanguage { .. } => "import-error-language",
            Problem::TooLong { .. } => "import-error-too-long",
            Problem::ClosureDateMissing => "import-error-closure-date-missing",
            Problem::ClosureOnOpenCase => "import-error-closure-on-open-case",
            Problem::DateRule(rule) => rule.message_key(),
            Problem::EventCount { .. } => "import-error-event-count",
            Problem::MissingFile => "import-error-missing-file",
            Problem::UnknownCaseCode { .. } => "import-error-case-code",
        }
    }

    /// Returns the message's arguments by name.
    pub fn args(&self) -> Vec<(&'static str, MessageArg)> {
        let text = |value: &String| MessageArg::Text(value.clone());
        let number = |value: usize| MessageArg::Number(i64::try_from(value).unwrap_or(i64::MAX));
        match self {
            Problem::FieldCount { found, expected } => {
                vec![("found", number(*found)), ("expected", number(*expected))]
            }
            Problem::InvalidDate { value }
            | Problem::UnknownCountry { value }
            | Problem::UnknownLanguage { value }
            | Problem::UnknownCaseCode { value } => vec![("value", text(value))],
            Problem::EventCount { types, countries } => {
                vec![("types", number(*types)), ("countries", number(*countries))]
            }
            Problem::UnknownCode { value, allowed } => {
                vec![("value", text(value)), ("allowed", text(allowed))]
            }
            Problem::TooLong { max } => vec![("max", number(*max))],
            _ => Vec::new(),
        }
    }
}

/// A problem at a line and column of an HTCDS file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtcdsError {
    /// 1-based line where the row starts; the header is line 1.
    pub line: u64,
    /// The column's name as written in the header, or empty when the
    /// problem concerns the whole row or file.
    pub column: String,
    pub problem: Problem,
}

impl HtcdsError {
    pub(crate) fn new(line: u64, column: &str, problem: Problem) -> Self {
        Self {
            line,
            column: column.to_owned(),
            problem,
        }
    }
}

/// Shows the message key, not a translation: for logs and test failures.
/// The key and arguments can quote a rejected value, so do not log it.
impl fmt::Display for HtcdsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {:?}: {}",
            self.line,
            self.column,
            self.problem.message_key()
        )
    }
}

impl std::error::Error for HtcdsError {}
