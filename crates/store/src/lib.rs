//! Procap's storage layer, the only crate that speaks SQL.
//!
//! One code path serves SQLite (embedded default, one file in WAL mode) and
//! PostgreSQL through Diesel's `MultiConnection`. Where the two need different
//! SQL, the function matches on [`DbConnection`] and both arms are tested.
//!
//! Handlers reach the database through [`Store::run`], which takes a pooled
//! connection on a blocking thread, so Diesel never blocks the async runtime.

pub mod appointments;
pub mod assessment;
pub mod audit;
mod audit_queue;
pub mod backup;
pub mod bulk;
pub mod case_dashboard;
pub mod case_import;
pub mod case_records;
pub mod cases;
pub mod data_requests;
pub mod db;
pub mod duplicate_connect;
pub mod error;
pub mod followups;
pub mod form_submissions;
pub mod htcds_export;
pub mod jobs;
pub mod notes;
pub mod nrm_deadlines;
pub mod nrm_reporting;
pub mod organisations;
pub mod plan;
pub mod protection;
pub mod referrals;
pub mod report_subscriptions;
pub mod reporting;
pub mod retention;
pub mod rotation;
pub mod schema;
pub mod schema_appointments;
pub mod schema_assessment;
pub mod schema_followups;
pub mod schema_form_submissions;
pub mod schema_notes;
pub mod schema_plan;
pub mod schema_referrals;
pub mod schema_reports;
pub mod schema_requests;
pub mod schema_training;
pub mod schema_translations;
pub mod schema_witness;
pub mod sessions;
pub mod throttle;
pub mod timeline;
pub mod tokens;
pub mod training;
pub mod translations;
pub mod users;
pub mod witness;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use db::{Backend, DatabaseUrl, Db, DbConnection, PoolOptions, Store};
pub use error::StoreError;
pub use procap_crypto::Keyring;

/// The current time as Procap stores it: naive UTC, truncated to whole
/// microseconds so that SQLite and PostgreSQL return the same value.
pub fn now() -> chrono::NaiveDateTime {
    truncate_to_micros(chrono::Utc::now().naive_utc())
}

/// Drops sub-microsecond precision, which PostgreSQL does not keep.
pub fn truncate_to_micros(value: chrono::NaiveDateTime) -> chrono::NaiveDateTime {
    use chrono::{SubsecRound, Timelike};
    let micros = value.nanosecond() / 1_000;
    value.trunc_subsecs(0) + chrono::Duration::microseconds(i64::from(micros))
}

/// A new random identifier for a row (UUID v4 as text).
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
