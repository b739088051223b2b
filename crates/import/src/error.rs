//! The validation error shared by every import format.

use std::fmt;

/// Maximum number of errors one parse returns. Parsing stops once this many
/// errors have been collected, so later rows may contain further errors.
pub const MAX_ERRORS: usize = 200;

/// One problem found in an import file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// 1-based line in the file where the offending row starts. The header
    /// is line 1.
    pub line: u64,
    /// Header name of the offending column, or empty when the error concerns
    /// the whole row or file.
    pub column: String,
    /// English description of what is wrong, quoting the rejected value.
    pub message: String,
}

impl ImportError {
    pub(crate) fn new(line: u64, column: &str, message: String) -> Self {
        Self {
            line,
            column: column.to_owned(),
            message,
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "line {}: {}", self.line, self.message)
        } else {
            write!(
                f,
                "line {}, column {}: {}",
                self.line, self.column, self.message
            )
        }
    }
}

impl std::error::Error for ImportError {}
