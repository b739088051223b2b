//! One case per registration form, across every server on one database.
//!
//! The new-case form carries a one-time token. [`register_once`] records it
//! in `form_submissions`, whose primary key refuses a second copy, so two
//! servers that receive the same form at once create one case between them;
//! the loser answers with the winner's case.
//!
//! On PostgreSQL the token row, the case and its audit event are written in
//! one transaction: the second insert of a token waits for the first
//! transaction and then fails. On SQLite the token is claimed first, in its
//! own transaction (with no case yet), so that a second copy finds the claim
//! without waiting for the registration. The case, the claim naming it and
//! the audit event are then written in one transaction, and a failed
//! registration removes the claim. A copy that finds an unfinished claim
//! waits for it.

use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::audit::AuditEvent;
use crate::cases::{self, Case, Registration};
use crate::schema_form_submissions::form_submissions;
use crate::{Db, DbConnection, StoreError};

/// How long a token is kept; the form is single-use well within this.
pub const KEEP_DAYS: i64 = 2;

/// How long a second copy waits for an unfinished claim (SQLite only).
const WAIT_FOR_CLAIM: StdDuration = StdDuration::from_secs(15);

/// The result of [`register_once`].
#[derive(Debug)]
pub enum Submitted {
    /// This call registered the case.
    Created(Box<Case>),
    /// The token had registered this case already.
    Existing(String),
}

/// Registers the case of `registration` unless `token` has registered one
/// already, in which case that case's id is returned. Fails with
/// `Conflict("form_submission_unfinished")` when an earlier copy of the
/// form claimed the token but neither finished nor gave it up in time.
///
/// `audit` gives the event that records the new case; it is appended in the
/// case's transaction, so a case is never on disk without it.
pub fn register_once(
    db: &mut Db<'_>,
    token: &str,
    registration: Registration<'_>,
    audit: impl FnOnce(&Case) -> AuditEvent,
) -> Result<Submitted, StoreError> {
    let now = crate::now();
    let postgres = matches!(db.conn, DbConnection::Postgresql(_));
    let register = |db: &mut Db<'_>| {
        db.transaction(|db| {
            let case = cases::register(db, registration)?;
            attach(db.conn, token, &case.id)?;
            crate::audit::append(db, &audit(&case))?;
            Ok(case)
        })
    };
    let result = if postgres {
        db.transaction(|db| {
            claim(db.conn, token, now)?;
            register(db)
        })
    } else {
        claim(db.conn, token, now).and_then(|()| match register(db) {
            Ok(case) => Ok(case),
            Err(error) => {
                release(db.conn, token)?;
                Err(error)
            }
        })
    };
    match result {
        Ok(case) => Ok(Submitted::Created(Box::new(case))),
        Err(StoreError::Conflict(USED)) => existing(db, token).map(Submitted::Existing),
        Err(error) => Err(error),
    }
}

/// The conflict of a token inserted twice.
const USED: &str = "form_token_used";

fn claim(conn: &mut DbConnection, token: &str, now: NaiveDateTime) -> Result<(), StoreError> {
    let inserted = diesel::insert_into(form_submissions::table)
        .values((
            form_submissions::token.eq(token),
            form_submissions::case_id.eq(None::<String>),
            form_submissions::created_at.eq(now),
        ))
        .execute(conn);
    match inserted.map_err(StoreError::from) {
        Ok(_) => Ok(()),
        Err(StoreError::Conflict("unique")) => Err(StoreError::Conflict(USED)),
        Err(error) => Err(error),
    }
}

fn attach(conn: &mut DbConnection, token: &str, case_id: &str) -> Result<(), StoreError> {
    diesel::update(form_submissions::table.find(token))
        .set(form_submissions::case_id.eq(case_id))
        .execute(conn)?;
    Ok(())
}

fn release(conn: &mut DbConnection, token: &str) -> Result<(), StoreError> {
    diesel::delete(
        form_submissions::table
            .find(token)
            .filter(form_submissions::case_id.is_null()),
    )
    .execute(conn)?;
    Ok(())
}

/// The case an earlier copy registered with `token`, waiting while its
/// claim is unfinished.
fn existing(db: &mut Db<'_>, token: &str) -> Result<String, StoreError> {
    let started = Instant::now();
    loop {
        let row: Option<Option<String>> = form_submissions::table
            .find(token)
            .select(form_submissions::case_id)
            .first(db.conn)
            .optional()?;
        match row {
            Some(Some(case_id)) => return Ok(case_id),
            Some(None) if started.elapsed() < WAIT_FOR_CLAIM => {
                std::thread::sleep(StdDuration::from_millis(50));
            }
            // Unfinished for too long, or given up after a failure.
            Some(None) | None => return Err(StoreError::Conflict("form_submission_unfinished")),
        }
    }
}

/// Returns the case registered with `token`, if any.
pub fn case_for(db: &mut Db<'_>, token: &str) -> Result<Option<String>, StoreError> {
    let row: Option<Option<String>> = form_submissions::table
        .find(token)
        .select(form_submissions::case_id)
        .first(db.conn)
        .optional()?;
    Ok(row.flatten())
}

/// Deletes tokens older than [`KEEP_DAYS`] days before `now`; returns how
/// many.
pub fn prune(db: &mut Db<'_>, now: NaiveDateTime) -> Result<usize, StoreError> {
    let before = now - Duration::days(KEEP_DAYS);
    Ok(
        diesel::delete(form_submissions::table.filter(form_submissions::created_at.lt(before)))
            .execute(db.conn)?,
    )
}
