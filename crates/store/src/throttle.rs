//! Login throttling per client address. Per-account locking lives in
//! [`crate::users`]; this counts failures from one address across accounts,
//! which stops a password-spraying client that tries many usernames.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::schema::login_failures;
use crate::{Db, StoreError};

/// Failures from one address within [`WINDOW_MINUTES`] after which further
/// attempts from it are refused until the window passes.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
pub const WINDOW_MINUTES: i64 = 15;

pub fn record_failure(db: &mut Db<'_>, client_ip: &str) -> Result<(), StoreError> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::id.eq(crate::new_id()),
            login_failures::client_ip.eq(client_ip),
            login_failures::occurred_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    Ok(())
}

/// Whether the address has reached the failure limit within the window.
pub fn is_throttled(
    db: &mut Db<'_>,
    client_ip: &str,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let since = now - Duration::minutes(WINDOW_MINUTES);
    let failures: i64 = login_failures::table
        .filter(login_failures::client_ip.eq(client_ip))
        .filter(login_failures::occurred_at.gt(since))
        .count()
        .get_result(db.conn)?;
    Ok(failures >= MAX_FAILURES_PER_ADDRESS)
}

/// Removes failures older than the window; returns how many.
pub fn prune(db: &mut Db<'_>, now: NaiveDateTime) -> Result<usize, StoreError> {
    let before = now - Duration::minutes(WINDOW_MINUTES);
    Ok(
        diesel::delete(login_failures::table.filter(login_failures::occurred_at.le(before)))
            .execute(db.conn)?,
    )
}
