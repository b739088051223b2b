//! Anonymisation of cases: after the retention period has passed since
//! closure, or at once when an erasure request is approved.
//!
//! Anonymising a case removes everything that names or describes the person
//! and keeps what statistics need. Removed: the person row (names, aliases,
//! birth date, contact details, household) with its blind indexes, the
//! facility name, every encrypted free text of the case's records (intake,
//! trafficking events, screenings, NRM references, service notes,
//! assessments, plan texts, appointment places, referral reasons, follow-up
//! notes, sealing and break-glass reasons, request reasons), all notes and all attachment records. Kept: the case row's
//! codes (sex, age bracket, citizenship, exploitation types, NRM status,
//! region, setting), every date, and the rows that count services,
//! screenings, assessments and consents. A row in `case_anonymisations`
//! marks the case.
//!
//! The attachment bytes live outside the database: [`anonymise_case`]
//! returns their object keys and the caller removes them from storage.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use procap_crypto::FieldContext;

use crate::db::write_transaction;
use crate::jobs::{Job, STATUS_QUEUED};
use crate::schema::{
    cases, intake_referrals, jobs, nrm_events, person_identifiers, persons, screenings,
    service_records, trafficking_events,
};
use crate::schema_appointments::appointments;
use crate::schema_assessment::{needs_assessment_domains, needs_assessments};
use crate::schema_followups::{break_glass_grants, case_followups, case_seal_changes};
use crate::schema_notes::{case_attachments, case_notes};
use crate::schema_plan::{case_plan_actions, case_plan_goals, case_plan_review_goals, case_plans};
use crate::schema_referrals::referrals;
use crate::schema_requests::{case_anonymisations, data_requests};
use crate::schema_witness::witness_statuses;
use crate::{Db, DbConnection, StoreError};

/// The job kind of the daily retention run.
pub const KIND_RETENTION: &str = "retention.anonymise";
/// `case_anonymisations.cause` after the retention period.
pub const CAUSE_RETENTION: &str = "retention";
/// `case_anonymisations.cause` after an approved erasure request.
pub const CAUSE_ERASURE: &str = "erasure";
/// Hour of the day (UTC) at which the daily retention job becomes due.
pub const RETENTION_HOUR_UTC: u32 = 1;
/// Cases anonymised per transaction by the retention job.
pub const RETENTION_BATCH: i64 = 100;

/// Why a case was anonymised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anonymisation {
    pub cause: String,
    pub request_id: Option<String>,
    pub anonymised_at: NaiveDateTime,
}

/// What an anonymisation removed, in counts, for the audit event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnonymisationReport {
    pub person_removed: bool,
    pub notes_removed: usize,
    /// Object keys of the removed attachments; the caller deletes the bytes.
    pub attachment_keys: Vec<String>,
}

/// The last day a case may have been closed on and still be kept:
/// `today` minus `years` years (29 February becomes 28 February).
pub fn retention_cutoff(today: NaiveDate, years: u32) -> NaiveDate {
    let year = today.year() - i32::try_from(years).unwrap_or(i32::MAX / 2);
    NaiveDate::from_ymd_opt(year, today.month(), today.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, today.month(), 28))
        .unwrap_or(NaiveDate::MIN)
}

/// Ids of closed cases, closed before `cutoff`, that hold data of a person
/// and are not anonymised yet, oldest closure first, at most `limit`.
/// Imported records that never had a person are left out.
pub fn due_for_anonymisation(
    db: &mut Db<'_>,
    cutoff: NaiveDate,
    limit: i64,
) -> Result<Vec<String>, StoreError> {
    let anonymised = case_anonymisations::table.select(case_anonymisations::case_id);
    Ok(cases::table
        .filter(cases::status.eq("closed"))
        .filter(cases::closed_on.lt(cutoff))
        .filter(
            cases::origin
                .eq("procap")
                .or(cases::person_id.is_not_null()),
        )
        .filter(cases::id.ne_all(anonymised))
        .order((cases::closed_on.asc(), cases::id.asc()))
        .select(cases::id)
        .limit(limit)
        .load(db.conn)?)
}

/// How a case was anonymised, or `None` when it was not.
pub fn anonymisation(db: &mut Db<'_>, case_id: &str) -> Result<Option<Anonymisation>, StoreError> {
    let row: Option<(String, Option<String>, NaiveDateTime)> = case_anonymisations::table
        .find(case_id)
        .select((
            case_anonymisations::cause,
            case_anonymisations::request_id,
            case_anonymisations::anonymised_at,
        ))
        .first(db.conn)
        .optional()?;
    Ok(row.map(|(cause, request_id, anonymised_at)| Anonymisation {
        cause,
        request_id,
        anonymised_at,
    }))
}

/// Anonymises one case in one transaction. Returns `None` when the case was
/// already anonymised (for example by another Procap instance a moment
/// earlier), so the caller writes its audit event only once.
/// Fails with `NotFound` for an unknown case.
pub fn anonymise_case(
    db: &mut Db<'_>,
    case_id: &str,
    cause: &str,
    request_id: Option<&str>,
) -> Result<Option<AnonymisationReport>, StoreError> {
    let keys = db.keys;
    let work = |conn: &mut DbConnection| -> Result<Option<AnonymisationReport>, StoreError> {
        // Lock the case row so two instances anonymise it one after the other.
        let person_id: Option<String> = match conn {
            DbConnection::Postgresql(pg) => cases::table
                .find(case_id)
                .select(cases::person_id)
                .for_update()
                .first(pg)?,
            DbConnection::Sqlite(_) => cases::table
                .find(case_id)
                .select(cases::person_id)
                .first(conn)?,
        };
        let done: i64 = case_anonymisations::table
            .find(case_id)
            .count()
            .get_result(conn)?;
        if done > 0 {
            return Ok(None);
        }
        let mut report = AnonymisationReport::default();
        let now = crate::now();

        diesel::update(cases::table.find(case_id))
            .set((
                cases::person_id.eq(None::<String>),
                cases::facility_enc.eq(None::<Vec<u8>>),
                cases::version.eq(cases::version + 1),
                cases::updated_at.eq(now),
            ))
            .execute(conn)?;
        if let Some(person_id) = person_id {
            let other_cases: i64 = cases::table
                .filter(cases::person_id.eq(&person_id))
                .count()
                .get_result(conn)?;
            if other_cases == 0 {
                diesel::delete(
                    person_identifiers::table.filter(person_identifiers::person_id.eq(&person_id)),
                )
                .execute(conn)?;
                diesel::delete(persons::table.find(&person_id)).execute(conn)?;
                report.person_removed = true;
            }
        }

        diesel::update(intake_referrals::table.filter(intake_referrals::case_id.eq(case_id)))
            .set((
                intake_referrals::referring_contact_enc.eq(None::<Vec<u8>>),
                intake_referrals::reason_enc.eq(None::<Vec<u8>>),
            ))
            .execute(conn)?;
        diesel::update(trafficking_events::table.filter(trafficking_events::case_id.eq(case_id)))
            .set(trafficking_events::description_enc.eq(None::<Vec<u8>>))
            .execute(conn)?;
        diesel::update(screenings::table.filter(screenings::case_id.eq(case_id)))
            .set(screenings::notes_enc.eq(None::<Vec<u8>>))
            .execute(conn)?;
        diesel::update(nrm_events::table.filter(nrm_events::case_id.eq(case_id)))
            .set(nrm_events::reference_enc.eq(None::<Vec<u8>>))
            .execute(conn)?;
        diesel::update(service_records::table.filter(service_records::case_id.eq(case_id)))
            .set(service_records::notes_enc.eq(None::<Vec<u8>>))
            .execute(conn)?;

        let assessment_ids: Vec<String> = needs_assessments::table
            .filter(needs_assessments::case_id.eq(case_id))
            .select(needs_assessments::id)
            .load(conn)?;
        diesel::update(needs_assessments::table.filter(needs_assessments::case_id.eq(case_id)))
            .set(needs_assessments::safety_plan_enc.eq(None::<Vec<u8>>))
            .execute(conn)?;
        diesel::update(
            needs_assessment_domains::table
                .filter(needs_assessment_domains::assessment_id.eq_any(&assessment_ids)),
        )
        .set(needs_assessment_domains::note_enc.eq(None::<Vec<u8>>))
        .execute(conn)?;

        // Plan texts, appointment places and sealing and break-glass reasons
        // cannot be NULL. Each becomes an encrypted empty text bound to its
        // row, so the pages still decrypt them.
        diesel::update(case_plans::table.filter(case_plans::case_id.eq(case_id)))
            .set(case_plans::return_comment_enc.eq(None::<Vec<u8>>))
            .execute(conn)?;
        let goal_ids: Vec<String> = case_plan_goals::table
            .filter(case_plan_goals::case_id.eq(case_id))
            .select(case_plan_goals::id)
            .load(conn)?;
        for goal_id in &goal_ids {
            let blank = blank(keys, "case_plan_goals", "description_enc", goal_id);
            diesel::update(case_plan_goals::table.find(goal_id))
                .set(case_plan_goals::description_enc.eq(blank))
                .execute(conn)?;
        }
        let action_ids: Vec<String> = case_plan_actions::table
            .filter(case_plan_actions::goal_id.eq_any(&goal_ids))
            .select(case_plan_actions::id)
            .load(conn)?;
        for action_id in &action_ids {
            let blank = blank(keys, "case_plan_actions", "description_enc", action_id);
            diesel::update(case_plan_actions::table.find(action_id))
                .set(case_plan_actions::description_enc.eq(blank))
                .execute(conn)?;
        }
        diesel::update(
            case_plan_review_goals::table.filter(case_plan_review_goals::goal_id.eq_any(&goal_ids)),
        )
        .set(case_plan_review_goals::note_enc.eq(None::<Vec<u8>>))
        .execute(conn)?;

        let appointment_ids: Vec<String> = appointments::table
            .filter(appointments::case_id.eq(case_id))
            .select(appointments::id)
            .load(conn)?;
        for appointment_id in &appointment_ids {
            let blank = blank(keys, "appointments", "place_enc", appointment_id);
            diesel::update(appointments::table.find(appointment_id))
                .set(appointments::place_enc.eq(blank))
                .execute(conn)?;
        }

        diesel::update(referrals::table.filter(referrals::case_id.eq(case_id)))
            .set((
                referrals::reason_enc.eq(None::<Vec<u8>>),
                referrals::override_reason_enc.eq(None::<Vec<u8>>),
                referrals::response_reason_enc.eq(None::<Vec<u8>>),
            ))
            .execute(conn)?;
        diesel::update(case_followups::table.filter(case_followups::case_id.eq(case_id)))
            .set(case_followups::note_enc.eq(None::<Vec<u8>>))
            .execute(conn)?;
        diesel::update(witness_statuses::table.filter(witness_statuses::case_id.eq(case_id)))
            .set(witness_statuses::note_enc.eq(None::<Vec<u8>>))
            .execute(conn)?;
        let seal_ids: Vec<String> = case_seal_changes::table
            .filter(case_seal_changes::case_id.eq(case_id))
            .select(case_seal_changes::id)
            .load(conn)?;
        for seal_id in &seal_ids {
            let blank = blank(keys, "case_seal_changes", "reason_enc", seal_id);
            diesel::update(case_seal_changes::table.find(seal_id))
                .set(case_seal_changes::reason_enc.eq(blank))
                .execute(conn)?;
        }
        let grant_ids: Vec<String> = break_glass_grants::table
            .filter(break_glass_grants::case_id.eq(case_id))
            .select(break_glass_grants::id)
            .load(conn)?;
        for grant_id in &grant_ids {
            let blank = blank(keys, "break_glass_grants", "reason_enc", grant_id);
            diesel::update(break_glass_grants::table.find(grant_id))
                .set(break_glass_grants::reason_enc.eq(blank))
                .execute(conn)?;
        }
        diesel::update(data_requests::table.filter(data_requests::case_id.eq(case_id)))
            .set((
                data_requests::reason_enc.eq(None::<Vec<u8>>),
                data_requests::decision_reason_enc.eq(None::<Vec<u8>>),
            ))
            .execute(conn)?;

        report.notes_removed =
            diesel::delete(case_notes::table.filter(case_notes::case_id.eq(case_id)))
                .execute(conn)?;
        report.attachment_keys = case_attachments::table
            .filter(case_attachments::case_id.eq(case_id))
            .select(case_attachments::object_key)
            .load(conn)?;
        diesel::delete(case_attachments::table.filter(case_attachments::case_id.eq(case_id)))
            .execute(conn)?;

        diesel::insert_into(case_anonymisations::table)
            .values((
                case_anonymisations::case_id.eq(case_id),
                case_anonymisations::cause.eq(cause),
                case_anonymisations::request_id.eq(request_id),
                case_anonymisations::anonymised_at.eq(now),
            ))
            .execute(conn)?;
        Ok(Some(report))
    };
    match db.conn {
        DbConnection::Sqlite(_) => write_transaction(db.conn, work),
        DbConnection::Postgresql(_) => db.conn.transaction(work),
    }
}

fn blank(keys: &procap_crypto::Keyring, table: &str, column: &str, row_id: &str) -> Vec<u8> {
    keys.encrypt_str(
        &FieldContext {
            table,
            column,
            row_id,
        },
        "",
    )
}

/// The id of the retention job of `day`. One fixed id per day means two
/// Procap instances that both schedule the day's run create one job.
pub fn retention_job_id(day: NaiveDate) -> String {
    format!("{KIND_RETENTION}@{day}")
}

/// Makes sure the retention run of today (due at [`RETENTION_HOUR_UTC`]) or,
/// when today's already exists, of tomorrow is queued. Returns whether this
/// call queued a job. Safe to call from several instances at once.
pub fn schedule_daily(db: &mut Db<'_>, now: NaiveDateTime) -> Result<bool, StoreError> {
    let today = now.date();
    for day in [today, today + chrono::Duration::days(1)] {
        let id = retention_job_id(day);
        let exists: i64 = jobs::table.find(&id).count().get_result(db.conn)?;
        if exists > 0 {
            continue;
        }
        let run_at = day
            .and_hms_opt(RETENTION_HOUR_UTC, 0, 0)
            .unwrap_or_else(|| day.and_time(chrono::NaiveTime::MIN));
        let job = Job {
            id,
            kind: KIND_RETENTION.to_owned(),
            payload: "{}".to_owned(),
            status: STATUS_QUEUED.to_owned(),
            run_at,
            attempts: 0,
            max_attempts: 3,
            locked_by: None,
            locked_at: None,
            last_error: None,
            created_at: crate::now(),
            finished_at: None,
        };
        return match diesel::insert_into(jobs::table)
            .values(&job)
            .execute(db.conn)
        {
            Ok(_) => Ok(true),
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => Ok(false),
            Err(error) => Err(error.into()),
        };
    }
    Ok(false)
}

/// Deletes the stored bytes of removed attachments from the local
/// attachments folder (`dir/<object key>`, the layout of the local object
/// store). A file already gone counts as deleted; a key that is not a plain
/// file name is skipped. Returns how many keys could not be deleted, so the
/// caller can log the count (the keys themselves are random ids).
pub fn remove_attachment_files(dir: &std::path::Path, object_keys: &[String]) -> usize {
    let mut failed = 0;
    for key in object_keys {
        let plain = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !plain {
            failed += 1;
            continue;
        }
        match std::fs::remove_file(dir.join(key)) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(_) => failed += 1,
        }
    }
    failed
}
