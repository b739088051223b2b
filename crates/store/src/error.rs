//! The storage error type. Callers match on the variants they can act on
//! (`NotFound`, `Conflict`); everything else is an internal error that the
//! web layer logs with its cause and shows as a plain page.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// The database could not be reached. `url` has its password removed.
    #[error("cannot connect to the database at {url}: {reason}")]
    Connection { url: String, reason: String },
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("no free database connection: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("record not found")]
    NotFound,
    /// A uniqueness or version rule was violated; the string names the rule.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("database query failed: {0}")]
    Query(diesel::result::Error),
    #[error("stored data could not be decrypted: {0}")]
    Crypto(#[from] procap_crypto::CryptoError),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("database task failed: {0}")]
    Task(String),
}

impl StoreError {
    /// Returns whether the database connection was lost, for instance
    /// because the server restarted. The pool then closes the connection.
    pub fn is_connection_lost(&self) -> bool {
        use diesel::result::{DatabaseErrorKind, Error};
        matches!(
            self,
            StoreError::Query(Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                _
            ))
        )
    }
}

impl From<diesel::result::Error> for StoreError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match error {
            Error::NotFound => StoreError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                StoreError::Conflict("unique")
            }
            other => StoreError::Query(other),
        }
    }
}
