//! The daily retention run: anonymises every case closed longer ago than
//! the retention period, writes one audit event per case (ids and counts
//! only) and deletes the anonymised cases' attachment files.
//!
//! Two instances may run it at the same time: each case is anonymised in a
//! transaction that locks it, and only the instance that did the work
//! writes the audit event.

use procap_store::audit::{self, AuditEvent, Outcome};
use procap_store::retention::{self, CAUSE_RETENTION, RETENTION_BATCH};
use procap_store::{Store, StoreError};
use serde_json::json;

use crate::WorkerSettings;

/// Anonymises every case closed more than `retention_years` before `today`
/// and returns how many this run did.
pub fn run(
    store: &Store,
    retention_years: u32,
    settings: &WorkerSettings,
    today: chrono::NaiveDate,
) -> Result<usize, StoreError> {
    let cutoff = retention::retention_cutoff(today, retention_years);
    let mut done = 0;
    loop {
        // Anonymised cases leave this list, so the loop ends.
        let due: Vec<String> = store.run_blocking(move |db| {
            retention::due_for_anonymisation(db, cutoff, RETENTION_BATCH)
        })?;
        if due.is_empty() {
            break;
        }
        for case_id in due {
            let id = case_id.clone();
            let report = store.run_blocking(move |db| {
                retention::anonymise_case(db, &id, CAUSE_RETENTION, None)
            })?;
            let Some(report) = report else {
                // Another instance got there first; it wrote the audit event.
                continue;
            };
            let files_left = settings.attachments_dir.as_deref().map_or(0, |dir| {
                retention::remove_attachment_files(dir, &report.attachment_keys)
            });
            if files_left > 0 {
                tracing::warn!(case_id = %case_id, files_left, "attachment files of an anonymised case could not be deleted");
            }
            let event = AuditEvent::new("case.anonymise", Outcome::Success)
                .object("case", &case_id)
                .details(json!({
                    "cause": CAUSE_RETENTION,
                    "retention_years": retention_years,
                    "person_removed": report.person_removed,
                    "notes_removed": report.notes_removed,
                    "attachments_removed": report.attachment_keys.len(),
                }));
            store.run_blocking(move |db| audit::append(db, &event).map(|_| ()))?;
            done += 1;
        }
    }
    tracing::info!(anonymised = done, retention_years, "retention run finished");
    Ok(done)
}

#[cfg(test)]
mod tests {
    use procap_store::retention::{KIND_RETENTION, retention_cutoff, schedule_daily};
    use procap_store::schema::jobs;
    use procap_store::testing::TestDatabase;

    use super::*;

    #[test]
    fn cutoff_counts_whole_years_back() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(retention_cutoff(day(2026, 12, 4), 5), day(2021, 12, 4));
        assert_eq!(retention_cutoff(day(2028, 2, 29), 1), day(2027, 2, 28));
    }

    #[test]
    fn two_instances_queue_one_run_per_day() {
        use diesel::prelude::*;
        for database in TestDatabase::each_backend() {
            let store = database.store();
            let now = procap_store::now();
            let (first, second, third, days) = store
                .run_blocking(move |db| {
                    let first = schedule_daily(db, now)?;
                    let second = schedule_daily(db, now)?;
                    let third = schedule_daily(db, now)?;
                    let days: Vec<String> = jobs::table
                        .filter(jobs::kind.eq(KIND_RETENTION))
                        .select(jobs::id)
                        .order(jobs::id.asc())
                        .load(db.conn)?;
                    Ok((first, second, third, days))
                })
                .unwrap();
            let backend = database.backend();
            assert!(first && second && !third, "{backend:?}");
            assert_eq!(
                days,
                vec![
                    procap_store::retention::retention_job_id(now.date()),
                    procap_store::retention::retention_job_id(
                        now.date() + chrono::Duration::days(1)
                    ),
                ],
                "{backend:?}"
            );
            let done = run(&store, 5, &WorkerSettings::default(), now.date()).unwrap();
            assert_eq!(done, 0, "{backend:?}: nothing is old enough");
        }
    }
}
