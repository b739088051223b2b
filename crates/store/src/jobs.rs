//! The jobs queue for background work (reminders, retention, e-mail).
//!
//! A job is claimed by exactly one worker, even with several Procap
//! instances on one PostgreSQL database: PostgreSQL claims with
//! `FOR UPDATE SKIP LOCKED`, SQLite inside an immediate transaction. A job
//! whose worker died is claimed again once its lease expires.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::write_transaction;
use crate::schema::jobs;
use crate::{Db, DbConnection, StoreError};

/// How long a claimed job may run before another worker may take it over.
pub const LEASE_MINUTES: i64 = 15;

pub const STATUS_QUEUED: &str = "queued";
pub const STATUS_RUNNING: &str = "running";
pub const STATUS_DONE: &str = "done";
pub const STATUS_FAILED: &str = "failed";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = jobs)]
pub struct Job {
    pub id: String,
    /// What to do, e.g. `sessions.prune`; the worker maps it to a handler.
    pub kind: String,
    /// JSON arguments: ids only, never personal data.
    pub payload: String,
    pub status: String,
    pub run_at: NaiveDateTime,
    pub attempts: i32,
    pub max_attempts: i32,
    pub locked_by: Option<String>,
    pub locked_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

/// Queues a job to run at or after `run_at`.
pub fn enqueue(
    db: &mut Db<'_>,
    kind: &str,
    payload: &serde_json::Value,
    run_at: NaiveDateTime,
    max_attempts: i32,
) -> Result<Job, StoreError> {
    let job = Job {
        id: crate::new_id(),
        kind: kind.to_owned(),
        payload: payload.to_string(),
        status: STATUS_QUEUED.to_owned(),
        run_at: crate::truncate_to_micros(run_at),
        attempts: 0,
        max_attempts,
        locked_by: None,
        locked_at: None,
        last_error: None,
        created_at: crate::now(),
        finished_at: None,
    };
    diesel::insert_into(jobs::table)
        .values(&job)
        .execute(db.conn)?;
    Ok(job)
}

/// Queues a job under a fixed `id`, so that however many workers try,
/// the job exists once. Returns `false` when a job with that id exists
/// (queued, running or finished).
pub fn enqueue_once(
    db: &mut Db<'_>,
    id: &str,
    kind: &str,
    payload: &serde_json::Value,
    run_at: NaiveDateTime,
    max_attempts: i32,
) -> Result<bool, StoreError> {
    let exists: i64 = jobs::table.find(id).count().get_result(db.conn)?;
    if exists > 0 {
        return Ok(false);
    }
    let job = Job {
        id: id.to_owned(),
        kind: kind.to_owned(),
        payload: payload.to_string(),
        status: STATUS_QUEUED.to_owned(),
        run_at: crate::truncate_to_micros(run_at),
        attempts: 0,
        max_attempts,
        locked_by: None,
        locked_at: None,
        last_error: None,
        created_at: crate::now(),
        finished_at: None,
    };
    match diesel::insert_into(jobs::table)
        .values(&job)
        .execute(db.conn)
    {
        Ok(_) => Ok(true),
        Err(error) => match StoreError::from(error) {
            StoreError::Conflict(_) => Ok(false),
            other => Err(other),
        },
    }
}

/// Whether a queued or running job of `kind` exists (to avoid queueing a
/// recurring job twice).
pub fn has_pending(db: &mut Db<'_>, kind: &str) -> Result<bool, StoreError> {
    let count: i64 = jobs::table
        .filter(jobs::kind.eq(kind))
        .filter(jobs::status.eq_any([STATUS_QUEUED, STATUS_RUNNING]))
        .count()
        .get_result(db.conn)?;
    Ok(count > 0)
}

/// Claims the next due job for `worker`, or returns `None` when none is due.
pub fn claim_next(
    db: &mut Db<'_>,
    worker: &str,
    now: NaiveDateTime,
) -> Result<Option<Job>, StoreError> {
    let lease_expired = now - Duration::minutes(LEASE_MINUTES);
    let claim = |conn: &mut DbConnection| -> Result<Option<Job>, StoreError> {
        let due = jobs::status
            .eq(STATUS_QUEUED)
            .and(jobs::run_at.le(now))
            .or(jobs::status
                .eq(STATUS_RUNNING)
                .and(jobs::locked_at.lt(lease_expired)));
        let id: Option<String> = match conn {
            DbConnection::Postgresql(pg) => jobs::table
                .filter(due)
                .order(jobs::run_at.asc())
                .select(jobs::id)
                .for_update()
                .skip_locked()
                .first(pg)
                .optional()?,
            DbConnection::Sqlite(_) => jobs::table
                .filter(due)
                .order(jobs::run_at.asc())
                .select(jobs::id)
                .first(conn)
                .optional()?,
        };
        let Some(id) = id else { return Ok(None) };
        diesel::update(jobs::table.find(&id))
            .set((
                jobs::status.eq(STATUS_RUNNING),
                jobs::locked_by.eq(Some(worker)),
                jobs::locked_at.eq(Some(now)),
                jobs::attempts.eq(jobs::attempts + 1),
            ))
            .execute(conn)?;
        Ok(Some(
            jobs::table.find(&id).select(Job::as_select()).first(conn)?,
        ))
    };
    match db.conn {
        DbConnection::Sqlite(_) => write_transaction(db.conn, claim),
        DbConnection::Postgresql(_) => db.conn.transaction(claim),
    }
}

/// Marks a claimed job as done. Only the worker holding it can finish it.
pub fn complete(db: &mut Db<'_>, id: &str, worker: &str) -> Result<(), StoreError> {
    diesel::update(jobs::table.find(id).filter(jobs::locked_by.eq(worker)))
        .set((
            jobs::status.eq(STATUS_DONE),
            jobs::finished_at.eq(Some(crate::now())),
            jobs::last_error.eq(None::<String>),
        ))
        .execute(db.conn)?;
    Ok(())
}

/// Records a failed attempt. The job is queued again at `retry_at` unless it
/// has used all its attempts, in which case it is marked failed.
/// `error` must not contain personal data.
pub fn fail(
    db: &mut Db<'_>,
    job: &Job,
    worker: &str,
    error: &str,
    retry_at: NaiveDateTime,
) -> Result<(), StoreError> {
    let exhausted = job.attempts >= job.max_attempts;
    let status = if exhausted {
        STATUS_FAILED
    } else {
        STATUS_QUEUED
    };
    let finished_at = exhausted.then(crate::now);
    diesel::update(jobs::table.find(&job.id).filter(jobs::locked_by.eq(worker)))
        .set((
            jobs::status.eq(status),
            jobs::run_at.eq(crate::truncate_to_micros(retry_at)),
            jobs::last_error.eq(Some(error)),
            jobs::locked_by.eq(None::<String>),
            jobs::locked_at.eq(None::<NaiveDateTime>),
            jobs::finished_at.eq(finished_at),
        ))
        .execute(db.conn)?;
    Ok(())
}

pub fn get(db: &mut Db<'_>, id: &str) -> Result<Job, StoreError> {
    Ok(jobs::table
        .find(id)
        .select(Job::as_select())
        .first(db.conn)?)
}
