//! The append-only audit log.
//!
//! Each row carries `hash = HMAC-SHA256(audit key, canonical row)`, where the
//! canonical row includes the row's sequence number and the previous row's
//! hash. Changing, removing or reordering any row breaks the chain from that
//! row on, and forging a consistent chain needs the audit key from the key
//! file, not only write access to the database. Database triggers also reject
//! UPDATE and DELETE on the table.
//!
//! Limit: removing rows only from the end leaves a shorter chain that still
//! verifies. `verify` reports the last sequence number so an operator can
//! compare it with an earlier report.
//!
//! Details are JSON with ids and codes only; no personal data goes here.

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde_json::json;

use crate::schema::{audit_log, users};
use crate::{Db, DbConnection, StoreError};

/// The `prev_hash` of the first row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Failure,
    Denied,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }
}

/// An event to append. `action` is a dotted code such as `auth.login`.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub actor_user_id: Option<String>,
    pub actor_username: Option<String>,
    pub client_ip: Option<String>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub outcome: Outcome,
    /// JSON object with ids and codes only.
    pub details: serde_json::Value,
}

impl AuditEvent {
    /// An event with no actor, object or details; fill the rest with the builders.
    pub fn new(action: &str, outcome: Outcome) -> AuditEvent {
        AuditEvent {
            actor_user_id: None,
            actor_username: None,
            client_ip: None,
            action: action.to_owned(),
            object_type: None,
            object_id: None,
            outcome,
            details: json!({}),
        }
    }

    pub fn actor(mut self, user_id: &str, username: &str) -> AuditEvent {
        self.actor_user_id = Some(user_id.to_owned());
        self.actor_username = Some(username.to_owned());
        self
    }

    pub fn client_ip(mut self, ip: Option<&str>) -> AuditEvent {
        self.client_ip = ip.map(str::to_owned);
        self
    }

    pub fn object(mut self, object_type: &str, object_id: &str) -> AuditEvent {
        self.object_type = Some(object_type.to_owned());
        self.object_id = Some(object_id.to_owned());
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> AuditEvent {
        self.details = details;
        self
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub seq: i64,
    pub occurred_at: NaiveDateTime,
    pub actor_user_id: Option<String>,
    pub actor_username: Option<String>,
    pub client_ip: Option<String>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub outcome: String,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The bytes the chain MAC covers: every column but `hash`, in a fixed order,
/// as a JSON array (unambiguous, unlike plain concatenation).
fn canonical(row: &AuditRow) -> Vec<u8> {
    json!([
        row.seq,
        row.occurred_at.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
        row.actor_user_id,
        row.actor_username,
        row.client_ip,
        row.action,
        row.object_type,
        row.object_id,
        row.outcome,
        row.details,
        row.prev_hash,
    ])
    .to_string()
    .into_bytes()
}

fn chain_hash(keys: &procap_crypto::Keyring, row: &AuditRow) -> String {
    hex::encode(keys.audit_mac(&canonical(row)))
}

/// Appends an event and returns its sequence number. Appends are serialised
/// (an immediate transaction on SQLite, an advisory lock on PostgreSQL) so
/// two writers never chain onto the same previous row. Called inside a
/// write transaction ([`Db::transaction`]), the event commits with the
/// change it records, or not at all.
pub fn append(db: &mut Db<'_>, event: &AuditEvent) -> Result<i64, StoreError> {
    let keys = db.keys;
    let details = serde_json::to_string(&event.details)
        .map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let write = |conn: &mut DbConnection| -> Result<i64, StoreError> {
        let last: Option<(i64, String)> = audit_log::table
            .order(audit_log::seq.desc())
            .select((audit_log::seq, audit_log::hash))
            .first(conn)
            .optional()?;
        let (seq, prev_hash) = match last {
            Some((seq, hash)) => (seq + 1, hash),
            None => (1, GENESIS_HASH.to_owned()),
        };
        let mut row = AuditRow {
            seq,
            occurred_at: crate::now(),
            actor_user_id: event.actor_user_id.clone(),
            actor_username: event.actor_username.clone(),
            client_ip: event.client_ip.clone(),
            action: event.action.clone(),
            object_type: event.object_type.clone(),
            object_id: event.object_id.clone(),
            outcome: event.outcome.as_str().to_owned(),
            details: details.clone(),
            prev_hash,
            hash: String::new(),
        };
        row.hash = chain_hash(keys, &row);
        diesel::insert_into(audit_log::table)
            .values(&row)
            .execute(conn)?;
        Ok(seq)
    };
    match db.conn {
        DbConnection::Sqlite(_) => {
            // An immediate transaction takes the write lock before reading the
            // last row; a deferred one could read, then fail to upgrade.
            // Nested in a caller's write transaction, that one holds the lock.
            crate::db::write_transaction(db.conn, write)
        }
        DbConnection::Postgresql(_) => db.conn.transaction(|conn| {
            conn.batch_execute("SELECT pg_advisory_xact_lock(7316001)")?;
            write(conn)
        }),
    }
}

/// Appends many events in one serialised transaction, chaining each onto
/// the one before, and returns the last sequence number (0 when `events`
/// is empty). For bulk loads such as `procap generate`: one lock and one
/// commit instead of one per event.
pub fn append_batch(db: &mut Db<'_>, events: &[AuditEvent]) -> Result<i64, StoreError> {
    let keys = db.keys;
    let write = |conn: &mut DbConnection| -> Result<i64, StoreError> {
        let last: Option<(i64, String)> = audit_log::table
            .order(audit_log::seq.desc())
            .select((audit_log::seq, audit_log::hash))
            .first(conn)
            .optional()?;
        let (mut seq, mut prev_hash) = match last {
            Some((seq, hash)) => (seq, hash),
            None => (0, GENESIS_HASH.to_owned()),
        };
        let now = crate::now();
        for event in events {
            seq += 1;
            let details = serde_json::to_string(&event.details)
                .map_err(|error| StoreError::Corrupt(error.to_string()))?;
            let mut row = AuditRow {
                seq,
                occurred_at: now,
                actor_user_id: event.actor_user_id.clone(),
                actor_username: event.actor_username.clone(),
                client_ip: event.client_ip.clone(),
                action: event.action.clone(),
                object_type: event.object_type.clone(),
                object_id: event.object_id.clone(),
                outcome: event.outcome.as_str().to_owned(),
                details,
                prev_hash,
                hash: String::new(),
            };
            row.hash = chain_hash(keys, &row);
            diesel::insert_into(audit_log::table)
                .values(&row)
                .execute(conn)?;
            prev_hash = row.hash;
        }
        Ok(seq)
    };
    if events.is_empty() {
        return Ok(0);
    }
    match db.conn {
        DbConnection::Sqlite(_) => crate::db::write_transaction(db.conn, write),
        DbConnection::Postgresql(_) => db.conn.transaction(|conn| {
            conn.batch_execute("SELECT pg_advisory_xact_lock(7316001)")?;
            write(conn)
        }),
    }
}

/// Where and why the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    /// The sequence number of the first row that fails, as stored.
    pub seq: i64,
    /// Its position in sequence order, counting from 1.
    pub position: i64,
    pub reason: BreakReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakReason {
    /// A sequence number is missing or out of order (a row was removed or moved).
    SequenceGap { expected: i64 },
    /// The row does not chain onto the row before it.
    PreviousHashMismatch,
    /// The row's content does not match its hash (the row was changed).
    HashMismatch,
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.reason {
            BreakReason::SequenceGap { expected } => write!(
                f,
                "row seq {} (position {}): expected seq {expected}; rows were removed or reordered",
                self.seq, self.position
            ),
            BreakReason::PreviousHashMismatch => write!(
                f,
                "row seq {} (position {}): does not chain onto the previous row; a row before it was changed, removed or reordered",
                self.seq, self.position
            ),
            BreakReason::HashMismatch => write!(
                f,
                "row seq {} (position {}): content does not match its hash; the row was altered",
                self.seq, self.position
            ),
        }
    }
}

/// The result of checking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub rows: i64,
    pub last_seq: Option<i64>,
    pub first_break: Option<ChainBreak>,
}

/// Checks the chain from the first row, in batches, and stops at the first
/// broken row.
pub fn verify(db: &mut Db<'_>) -> Result<VerifyReport, StoreError> {
    const BATCH: i64 = 5_000;
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS_HASH.to_owned();
    let mut position = 0;
    let mut after: Option<i64> = None;
    loop {
        let mut query = audit_log::table
            .order(audit_log::seq.asc())
            .limit(BATCH)
            .into_boxed();
        if let Some(seq) = after {
            query = query.filter(audit_log::seq.gt(seq));
        }
        let rows: Vec<AuditRow> = query.select(AuditRow::as_select()).load(db.conn)?;
        if rows.is_empty() {
            let last_seq = (position > 0).then_some(expected_seq - 1);
            return Ok(VerifyReport {
                rows: position,
                last_seq,
                first_break: None,
            });
        }
        for row in &rows {
            position += 1;
            let broken = |reason| VerifyReport {
                rows: position,
                last_seq: Some(row.seq),
                first_break: Some(ChainBreak {
                    seq: row.seq,
                    position,
                    reason,
                }),
            };
            if row.seq != expected_seq {
                return Ok(broken(BreakReason::SequenceGap {
                    expected: expected_seq,
                }));
            }
            if row.prev_hash != prev_hash {
                return Ok(broken(BreakReason::PreviousHashMismatch));
            }
            let recomputed = chain_hash(db.keys, row);
            if !procap_crypto::constant_time_eq(recomputed.as_bytes(), row.hash.as_bytes()) {
                return Ok(broken(BreakReason::HashMismatch));
            }
            prev_hash = row.hash.clone();
            expected_seq += 1;
        }
        after = rows.last().map(|row| row.seq);
    }
}

/// Filters for the audit log page. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub from: Option<NaiveDateTime>,
    /// Exclusive upper bound.
    pub until: Option<NaiveDateTime>,
    pub actor_user_id: Option<String>,
    /// Exact action code, or a prefix ending in `.` (e.g. `auth.`).
    pub action: Option<String>,
    pub outcome: Option<String>,
    /// Only rows whose actor is a user of this organisation; rows without an
    /// actor (the system, unknown usernames) are left out too.
    pub organisation_id: Option<String>,
}

/// One page of audit rows matching `filter`, newest first, with the total.
pub fn list(
    db: &mut Db<'_>,
    filter: &AuditFilter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<AuditRow>, i64), StoreError> {
    let build = || {
        let mut query = audit_log::table.into_boxed();
        if let Some(from) = filter.from {
            query = query.filter(audit_log::occurred_at.ge(from));
        }
        if let Some(until) = filter.until {
            query = query.filter(audit_log::occurred_at.lt(until));
        }
        if let Some(actor) = &filter.actor_user_id {
            query = query.filter(audit_log::actor_user_id.eq(actor.clone()));
        }
        if let Some(action) = &filter.action {
            if action.ends_with('.') {
                query = query.filter(
                    audit_log::action
                        .like(format!("{}%", escape_like(action)))
                        .escape('\\'),
                );
            } else {
                query = query.filter(audit_log::action.eq(action.clone()));
            }
        }
        if let Some(outcome) = &filter.outcome {
            query = query.filter(audit_log::outcome.eq(outcome.clone()));
        }
        if let Some(organisation_id) = &filter.organisation_id {
            let members = users::table
                .filter(users::organisation_id.eq(organisation_id.clone()))
                .select(users::id.nullable());
            query = query.filter(audit_log::actor_user_id.eq_any(members));
        }
        query
    };
    let total = build().count().get_result(db.conn)?;
    let rows = build()
        .order(audit_log::seq.desc())
        .offset(offset)
        .limit(limit)
        .select(AuditRow::as_select())
        .load(db.conn)?;
    Ok((rows, total))
}

/// The distinct action codes present, for the filter's choices.
pub fn actions(db: &mut Db<'_>) -> Result<Vec<String>, StoreError> {
    Ok(audit_log::table
        .select(audit_log::action)
        .distinct()
        .order(audit_log::action.asc())
        .load(db.conn)?)
}

/// Lists `(user id, username)` for the audit page's user filter, ordered by
/// username: every user, or only the users of `organisation_id`.
pub fn filter_users(
    db: &mut Db<'_>,
    organisation_id: Option<&str>,
) -> Result<Vec<(String, String)>, StoreError> {
    let mut query = users::table
        .order(users::username.asc())
        .select((users::id, users::username))
        .into_boxed();
    if let Some(organisation_id) = organisation_id {
        query = query.filter(users::organisation_id.eq(organisation_id.to_owned()));
    }
    Ok(query.load(db.conn)?)
}

fn escape_like(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
