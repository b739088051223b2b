//! The background worker. It polls the jobs table, runs each claimed job on a
//! blocking thread and records the outcome. Several workers (one per Procap
//! instance) can share a database: the store guarantees a job is claimed by
//! one worker at a time.
//!
//! Job kinds are dotted codes; [`run_job`] maps each to its work. Maintenance
//! (pruning expired sessions and old login failures) is queued hourly; the
//! retention run ([`retention`]) once a day; each subscription's monthly
//! report ([`scheduled_reports`]) once a month.

pub mod evaluation_mail;
pub mod mail;
pub mod retention;
pub mod scheduled_reports;

use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDateTime;
use procap_store::jobs::{self, Job};
use procap_store::{Store, StoreError, sessions, throttle};
use tokio::sync::watch;

/// Removes expired sessions and login failures older than the throttle window.
pub const KIND_MAINTENANCE: &str = "maintenance.prune";
/// Minutes between maintenance runs.
const MAINTENANCE_INTERVAL_MINUTES: i64 = 60;
/// Minutes between runs of the evaluation e-mails.
const EVALUATION_MAIL_INTERVAL_MINUTES: i64 = 60;
/// Seconds before a failed job is tried again, multiplied by its attempt count.
const RETRY_BACKOFF_SECONDS: i64 = 60;

/// What the jobs need to know beyond the database. The default runs no
/// retention and deletes no files.
#[derive(Debug, Clone, Default)]
pub struct WorkerSettings {
    /// Years after closure after which a case is anonymised; `None` turns
    /// the daily retention run off (as in [`run`] and [`tick`]).
    pub retention_years: Option<u32>,
    /// The local attachments folder, whose files of anonymised cases are
    /// deleted; `None` leaves files alone.
    pub attachments_dir: Option<PathBuf>,
    /// Evaluation e-mails; `None` sends none.
    pub evaluation_mail: Option<evaluation_mail::EvaluationMail>,
    /// Monthly reports by e-mail; `None` sends none.
    pub scheduled_reports: Option<scheduled_reports::ScheduledReports>,
}

/// Runs the worker with the default settings (no retention run) until `shutdown` turns true.
pub async fn run(store: Store, poll: Duration, shutdown: watch::Receiver<bool>) {
    run_with(store, poll, WorkerSettings::default(), shutdown).await;
}

/// Runs the worker until `shutdown` turns true. `poll` is the pause between
/// checks of an empty queue.
pub async fn run_with(
    store: Store,
    poll: Duration,
    settings: WorkerSettings,
    mut shutdown: watch::Receiver<bool>,
) {
    let worker = format!("worker-{}", uuid::Uuid::new_v4().simple());
    tracing::info!(worker = %worker, poll_seconds = poll.as_secs(), "background worker started");
    loop {
        if *shutdown.borrow() {
            break;
        }
        let worked = match tick_with(&store, &worker, &settings).await {
            Ok(worked) => worked,
            Err(error) => {
                tracing::error!(worker = %worker, error = %error, "background worker could not reach the jobs queue");
                false
            }
        };
        if worked {
            continue;
        }
        tokio::select! {
            _ = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => {}
        }
    }
    tracing::info!(worker = %worker, "background worker stopped");
}

/// [`tick_with`] with the default settings.
pub async fn tick(store: &Store, worker: &str) -> Result<bool, StoreError> {
    tick_with(store, worker, &WorkerSettings::default()).await
}

/// Schedules maintenance and the daily retention run if due, then claims
/// and runs at most one job. Returns whether a job ran.
pub async fn tick_with(
    store: &Store,
    worker: &str,
    settings: &WorkerSettings,
) -> Result<bool, StoreError> {
    let retention_on = settings.retention_years.is_some();
    let mail_on = settings.evaluation_mail.is_some();
    let reports_on = settings.scheduled_reports.is_some();
    store
        .run(move |db| {
            if !jobs::has_pending(db, KIND_MAINTENANCE)? {
                let next =
                    procap_store::now() + chrono::Duration::minutes(MAINTENANCE_INTERVAL_MINUTES);
                jobs::enqueue(db, KIND_MAINTENANCE, &serde_json::json!({}), next, 3)?;
            }
            if retention_on && !jobs::has_pending(db, procap_store::retention::KIND_RETENTION)? {
                procap_store::retention::schedule_daily(db, procap_store::now())?;
            }
            if mail_on && !jobs::has_pending(db, evaluation_mail::KIND_EVALUATION_MAIL)? {
                let next = procap_store::now()
                    + chrono::Duration::minutes(EVALUATION_MAIL_INTERVAL_MINUTES);
                jobs::enqueue(
                    db,
                    evaluation_mail::KIND_EVALUATION_MAIL,
                    &serde_json::json!({}),
                    next,
                    3,
                )?;
            }
            if reports_on {
                scheduled_reports::schedule(db, procap_store::now())?;
            }
            Ok(())
        })
        .await?;

    let worker_id = worker.to_owned();
    let claimed = store
        .run(move |db| jobs::claim_next(db, &worker_id, procap_store::now()))
        .await?;
    let Some(job) = claimed else { return Ok(false) };

    tracing::info!(job_id = %job.id, kind = %job.kind, attempt = job.attempts, "job started");
    let job_store = store.clone();
    let job_for_run = job.clone();
    let job_settings = settings.clone();
    let result =
        tokio::task::spawn_blocking(move || run_job_with(&job_store, &job_for_run, &job_settings))
            .await
            .unwrap_or_else(|error| Err(format!("job panicked: {error}")));

    let worker_id = worker.to_owned();
    match result {
        Ok(()) => {
            tracing::info!(job_id = %job.id, kind = %job.kind, "job finished");
            let id = job.id.clone();
            store
                .run(move |db| jobs::complete(db, &id, &worker_id))
                .await?;
        }
        Err(message) => {
            tracing::warn!(job_id = %job.id, kind = %job.kind, attempt = job.attempts, error = %message, "job failed");
            let retry_at = retry_time(procap_store::now(), job.attempts);
            store
                .run(move |db| jobs::fail(db, &job, &worker_id, &message, retry_at))
                .await?;
        }
    }
    Ok(true)
}

fn retry_time(now: NaiveDateTime, attempts: i32) -> NaiveDateTime {
    now + chrono::Duration::seconds(RETRY_BACKOFF_SECONDS * i64::from(attempts.max(1)))
}

/// [`run_job_with`] with the default settings.
pub fn run_job(store: &Store, job: &Job) -> Result<(), String> {
    run_job_with(store, job, &WorkerSettings::default())
}

/// Runs one job. The error string is stored with the job, so it carries ids
/// and codes only.
pub fn run_job_with(store: &Store, job: &Job, settings: &WorkerSettings) -> Result<(), String> {
    match job.kind.as_str() {
        procap_store::retention::KIND_RETENTION => match settings.retention_years {
            Some(years) => retention::run(store, years, settings, procap_store::now().date())
                .map(|_| ())
                .map_err(|error| error.to_string()),
            None => Err("retention is not configured on this worker".to_owned()),
        },
        evaluation_mail::KIND_EVALUATION_MAIL => match &settings.evaluation_mail {
            Some(mail) => evaluation_mail::run(store, mail, procap_store::now()).map(|_| ()),
            None => Err("e-mail is not configured on this worker".to_owned()),
        },
        scheduled_reports::KIND_SCHEDULED_REPORT => match &settings.scheduled_reports {
            Some(reports) => scheduled_reports::run(store, reports, &job.payload),
            None => Err("e-mail is not configured on this worker".to_owned()),
        },
        KIND_MAINTENANCE => store
            .run_blocking(|db| {
                let now = procap_store::now();
                let sessions = sessions::delete_expired(db, now)?;
                let failures = throttle::prune(db, now)?;
                let form_tokens = procap_store::form_submissions::prune(db, now)?;
                tracing::info!(
                    sessions,
                    login_failures = failures,
                    form_tokens,
                    "expired records pruned"
                );
                Ok(())
            })
            .map_err(|error| error.to_string()),
        other => Err(format!("unknown job kind {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use procap_store::testing::TestDatabase;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn unknown_job_is_retried_then_failed() {
        for database in TestDatabase::each_backend() {
            let store = database.store();
            let job = store
                .run(|db| {
                    jobs::enqueue(
                        db,
                        "no.such.kind",
                        &serde_json::json!({}),
                        procap_store::now(),
                        1,
                    )
                })
                .await
                .unwrap();
            assert!(tick(&store, "test-worker").await.unwrap());
            let id = job.id.clone();
            let stored = store.run(move |db| jobs::get(db, &id)).await.unwrap();
            assert_eq!(
                stored.status,
                jobs::STATUS_FAILED,
                "{:?}",
                database.backend()
            );
            assert_eq!(
                stored.last_error.as_deref(),
                Some("unknown job kind no.such.kind")
            );
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn maintenance_is_scheduled() {
        for database in TestDatabase::each_backend() {
            let store = database.store();
            tick(&store, "a").await.unwrap();
            tick(&store, "b").await.unwrap();
            let pending = store
                .run(|db| jobs::has_pending(db, KIND_MAINTENANCE))
                .await
                .unwrap();
            assert!(pending, "{:?}", database.backend());
        }
    }
}
