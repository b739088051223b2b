//! What happens on a case after registration: screenings, NRM status
//! changes, service records, consents, assignment, closure and reopening.
//!
//! Changes to the case row itself (NRM status, closure) use optimistic
//! locking: the caller passes the version it showed the user, and a case
//! changed by someone else in the meantime fails with
//! `StoreError::Conflict("stale")` instead of being overwritten.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use procap_crypto::FieldContext;

use crate::schema::{
    case_assignments, cases, consents, nrm_events, screenings, service_records, users,
};
use crate::{Db, StoreError};

fn encrypt_opt(
    db: &Db<'_>,
    table: &str,
    column: &str,
    row_id: &str,
    value: Option<&str>,
) -> Option<Vec<u8>> {
    value.filter(|value| !value.trim().is_empty()).map(|value| {
        db.keys.encrypt_str(
            &FieldContext {
                table,
                column,
                row_id,
            },
            value,
        )
    })
}

fn decrypt_opt(
    db: &Db<'_>,
    table: &str,
    column: &str,
    row_id: &str,
    value: &Option<Vec<u8>>,
) -> Result<Option<String>, StoreError> {
    match value {
        None => Ok(None),
        Some(ciphertext) => Ok(Some(
            db.keys
                .decrypt_string(
                    &FieldContext {
                        table,
                        column,
                        row_id,
                    },
                    ciphertext,
                )?
                .to_string(),
        )),
    }
}

/// Bumps the case version if it still is `expected_version`.
fn bump_version(db: &mut Db<'_>, case_id: &str, expected_version: i32) -> Result<(), StoreError> {
    let updated = diesel::update(
        cases::table
            .find(case_id)
            .filter(cases::version.eq(expected_version)),
    )
    .set((
        cases::version.eq(expected_version + 1),
        cases::updated_at.eq(crate::now()),
    ))
    .execute(db.conn)?;
    if updated == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict("stale"))
    }
}

// --- Screening --------------------------------------------------------------

pub struct NewScreening<'a> {
    pub case_id: &'a str,
    pub age_group: &'a str,
    pub exploitation_form: &'a str,
    /// Indicator ids present, ';'-joined.
    pub indicators: &'a str,
    pub trafficking_indicated: bool,
    /// Positive dimension codes, ';'-joined.
    pub positive_dimensions: &'a str,
    pub notes: Option<&'a str>,
    pub screened_by: &'a str,
}

#[derive(Debug, Clone)]
pub struct Screening {
    pub id: String,
    pub age_group: String,
    pub exploitation_form: String,
    pub indicators: String,
    pub trafficking_indicated: bool,
    pub positive_dimensions: String,
    pub notes: Option<String>,
    /// The screener's username.
    pub screened_by: String,
    /// The screener's display name, for pages people read.
    pub screened_by_name: String,
    pub screened_at: NaiveDateTime,
}

pub fn record_screening(db: &mut Db<'_>, new: &NewScreening<'_>) -> Result<String, StoreError> {
    let id = crate::new_id();
    let notes = encrypt_opt(db, "screenings", "notes_enc", &id, new.notes);
    diesel::insert_into(screenings::table)
        .values((
            screenings::id.eq(&id),
            screenings::case_id.eq(new.case_id),
            screenings::age_group.eq(new.age_group),
            screenings::exploitation_form.eq(new.exploitation_form),
            screenings::indicators.eq(new.indicators),
            screenings::trafficking_indicated.eq(new.trafficking_indicated),
            screenings::positive_dimensions.eq(new.positive_dimensions),
            screenings::notes_enc.eq(notes),
            screenings::screened_by.eq(new.screened_by),
            screenings::screened_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    Ok(id)
}

/// A case's screenings, newest first, with the screener's username and
/// display name.
pub fn list_screenings(db: &mut Db<'_>, case_id: &str) -> Result<Vec<Screening>, StoreError> {
    type Row = (
        String,
        String,
        String,
        String,
        bool,
        String,
        Option<Vec<u8>>,
        String,
        String,
        NaiveDateTime,
    );
    let rows: Vec<Row> = screenings::table
        .inner_join(users::table.on(users::id.eq(screenings::screened_by)))
        .filter(screenings::case_id.eq(case_id))
        .order(screenings::screened_at.desc())
        .select((
            screenings::id,
            screenings::age_group,
            screenings::exploitation_form,
            screenings::indicators,
            screenings::trafficking_indicated,
            screenings::positive_dimensions,
            screenings::notes_enc,
            users::username,
            users::display_name,
            screenings::screened_at,
        ))
        .load(db.conn)?;
    rows.into_iter()
        .map(
            |(
                id,
                age_group,
                exploitation_form,
                indicators,
                indicated,
                dimensions,
                notes,
                by,
                by_name,
                at,
            )| {
                let notes = decrypt_opt(db, "screenings", "notes_enc", &id, &notes)?;
                Ok(Screening {
                    id,
                    age_group,
                    exploitation_form,
                    indicators,
                    trafficking_indicated: indicated,
                    positive_dimensions: dimensions,
                    notes,
                    screened_by: by,
                    screened_by_name: by_name,
                    screened_at: at,
                })
            },
        )
        .collect()
}

// --- NRM ----------------------------------------------------------------------

pub struct NrmChange<'a> {
    pub case_id: &'a str,
    pub expected_version: i32,
    pub status: &'a str,
    pub occurred_on: NaiveDate,
    /// Form or prosecutor's act number; encrypted.
    pub reference: Option<&'a str>,
    pub reflection_period_ends_on: Option<NaiveDate>,
    pub residence_permit_expires_on: Option<NaiveDate>,
    pub recorded_by: &'a str,
}

/// Records an NRM status change and updates the case's status and clocks.
/// The caller has checked the transition with the domain rules.
pub fn change_nrm_status(db: &mut Db<'_>, change: &NrmChange<'_>) -> Result<(), StoreError> {
    let id = crate::new_id();
    let reference = encrypt_opt(db, "nrm_events", "reference_enc", &id, change.reference);
    crate::db::write_transaction(db.conn, |conn| {
        let mut inner = Db {
            conn,
            keys: db.keys,
        };
        bump_version(&mut inner, change.case_id, change.expected_version)?;
        diesel::update(cases::table.find(change.case_id))
            .set((
                cases::nrm_status.eq(change.status),
                cases::reflection_period_ends_on.eq(change.reflection_period_ends_on),
                cases::residence_permit_expires_on.eq(change.residence_permit_expires_on),
            ))
            .execute(inner.conn)?;
        diesel::insert_into(nrm_events::table)
            .values((
                nrm_events::id.eq(&id),
                nrm_events::case_id.eq(change.case_id),
                nrm_events::status.eq(change.status),
                nrm_events::occurred_on.eq(change.occurred_on),
                nrm_events::reference_enc.eq(&reference),
                nrm_events::recorded_by.eq(change.recorded_by),
                nrm_events::recorded_at.eq(crate::now()),
            ))
            .execute(inner.conn)?;
        Ok(())
    })
}

#[derive(Debug, Clone)]
pub struct NrmEvent {
    pub status: String,
    pub occurred_on: NaiveDate,
    pub reference: Option<String>,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

/// A case's NRM history, oldest first.
pub fn list_nrm_events(db: &mut Db<'_>, case_id: &str) -> Result<Vec<NrmEvent>, StoreError> {
    type Row = (
        String,
        String,
        NaiveDate,
        Option<Vec<u8>>,
        String,
        NaiveDateTime,
    );
    let rows: Vec<Row> = nrm_events::table
        .inner_join(users::table.on(users::id.eq(nrm_events::recorded_by)))
        .filter(nrm_events::case_id.eq(case_id))
        .order((nrm_events::occurred_on.asc(), nrm_events::recorded_at.asc()))
        .select((
            nrm_events::id,
            nrm_events::status,
            nrm_events::occurred_on,
            nrm_events::reference_enc,
            users::username,
            nrm_events::recorded_at,
        ))
        .load(db.conn)?;
    rows.into_iter()
        .map(|(id, status, occurred_on, reference, by, at)| {
            Ok(NrmEvent {
                reference: decrypt_opt(db, "nrm_events", "reference_enc", &id, &reference)?,
                status,
                occurred_on,
                recorded_by: by,
                recorded_at: at,
            })
        })
        .collect()
}

// --- Service records ----------------------------------------------------------

pub struct NewServiceRecord<'a> {
    pub case_id: &'a str,
    /// A service line code (case_management, psychosocial, legal, …).
    pub line: &'a str,
    pub occurred_on: NaiveDate,
    pub duration_minutes: i32,
    pub staff_user_id: &'a str,
    pub beneficiary_present: bool,
    /// JSON object of the line's typed fields (codes and numbers, no names).
    pub details: &'a serde_json::Value,
    pub outcome: Option<&'a str>,
    pub notes: Option<&'a str>,
}

#[derive(Debug, Clone)]
pub struct ServiceRecord {
    pub id: String,
    pub line: String,
    pub occurred_on: NaiveDate,
    pub duration_minutes: i32,
    /// The staff member's username.
    pub staff_username: String,
    /// The staff member's display name, for pages people read.
    pub staff_name: String,
    pub beneficiary_present: bool,
    pub details: serde_json::Value,
    pub outcome: Option<String>,
    pub notes: Option<String>,
}

pub fn add_service_record(
    db: &mut Db<'_>,
    new: &NewServiceRecord<'_>,
) -> Result<String, StoreError> {
    let id = crate::new_id();
    let notes = encrypt_opt(db, "service_records", "notes_enc", &id, new.notes);
    diesel::insert_into(service_records::table)
        .values((
            service_records::id.eq(&id),
            service_records::case_id.eq(new.case_id),
            service_records::line.eq(new.line),
            service_records::occurred_on.eq(new.occurred_on),
            service_records::duration_minutes.eq(new.duration_minutes),
            service_records::staff_user_id.eq(new.staff_user_id),
            service_records::beneficiary_present.eq(new.beneficiary_present),
            service_records::details.eq(new.details.to_string()),
            service_records::outcome.eq(new.outcome),
            service_records::notes_enc.eq(notes),
            service_records::created_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    Ok(id)
}

/// A case's latest service records, newest first, at most `limit`, with
/// the total count.
pub fn list_service_records(
    db: &mut Db<'_>,
    case_id: &str,
    offset: i64,
    limit: i64,
) -> Result<(Vec<ServiceRecord>, i64), StoreError> {
    type Row = (
        String,
        String,
        NaiveDate,
        i32,
        String,
        String,
        bool,
        String,
        Option<String>,
        Option<Vec<u8>>,
    );
    let total = service_records::table
        .filter(service_records::case_id.eq(case_id))
        .count()
        .get_result(db.conn)?;
    let rows: Vec<Row> = service_records::table
        .inner_join(users::table.on(users::id.eq(service_records::staff_user_id)))
        .filter(service_records::case_id.eq(case_id))
        .order((
            service_records::occurred_on.desc(),
            service_records::created_at.desc(),
        ))
        .offset(offset)
        .limit(limit)
        .select((
            service_records::id,
            service_records::line,
            service_records::occurred_on,
            service_records::duration_minutes,
            users::username,
            users::display_name,
            service_records::beneficiary_present,
            service_records::details,
            service_records::outcome,
            service_records::notes_enc,
        ))
        .load(db.conn)?;
    let records = rows
        .into_iter()
        .map(
            |(
                id,
                line,
                occurred_on,
                duration,
                staff,
                staff_name,
                present,
                details,
                outcome,
                notes,
            )| {
                Ok(ServiceRecord {
                    notes: decrypt_opt(db, "service_records", "notes_enc", &id, &notes)?,
                    details: serde_json::from_str(&details)
                        .map_err(|error| StoreError::Corrupt(error.to_string()))?,
                    id,
                    line,
                    occurred_on,
                    duration_minutes: duration,
                    staff_username: staff,
                    staff_name,
                    beneficiary_present: present,
                    outcome,
                })
            },
        )
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((records, total))
}

/// A service record as the case page lists it: the line, the day, the
/// duration and the staff member, without details or notes.
#[derive(Debug, Clone, Queryable)]
pub struct ServiceSummary {
    pub line: String,
    pub occurred_on: NaiveDate,
    pub duration_minutes: i32,
    /// The staff member's display name.
    pub staff_name: String,
}

/// Returns a case's `limit` latest service records, newest first, with the
/// total. It reads no encrypted column, so the case page decrypts nothing.
pub fn latest_services(
    db: &mut Db<'_>,
    case_id: &str,
    limit: i64,
) -> Result<(Vec<ServiceSummary>, i64), StoreError> {
    let total = service_records::table
        .filter(service_records::case_id.eq(case_id))
        .count()
        .get_result(db.conn)?;
    let rows = service_records::table
        .inner_join(users::table.on(users::id.eq(service_records::staff_user_id)))
        .filter(service_records::case_id.eq(case_id))
        .order((
            service_records::occurred_on.desc(),
            service_records::created_at.desc(),
        ))
        .limit(limit)
        .select((
            service_records::line,
            service_records::occurred_on,
            service_records::duration_minutes,
            users::display_name,
        ))
        .load(db.conn)?;
    Ok((rows, total))
}

// --- Consent ------------------------------------------------------------------

pub struct NewConsent<'a> {
    pub case_id: &'a str,
    pub purpose: &'a str,
    pub recipient_organisation_id: Option<&'a str>,
    pub given: bool,
    pub recorded_on: NaiveDate,
    /// Language of the form the person signed (language code).
    pub language: &'a str,
    pub recorded_by: &'a str,
}

#[derive(Debug, Clone, Queryable)]
pub struct Consent {
    pub id: String,
    pub purpose: String,
    pub recipient_organisation_id: Option<String>,
    pub given: bool,
    pub recorded_on: NaiveDate,
    pub language: String,
    pub withdrawn_on: Option<NaiveDate>,
}

pub fn record_consent(db: &mut Db<'_>, new: &NewConsent<'_>) -> Result<String, StoreError> {
    let id = crate::new_id();
    diesel::insert_into(consents::table)
        .values((
            consents::id.eq(&id),
            consents::case_id.eq(new.case_id),
            consents::purpose.eq(new.purpose),
            consents::recipient_organisation_id.eq(new.recipient_organisation_id),
            consents::given.eq(new.given),
            consents::recorded_on.eq(new.recorded_on),
            consents::language.eq(new.language),
            consents::recorded_by.eq(new.recorded_by),
            consents::created_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    Ok(id)
}

/// Marks a consent as withdrawn from `on`; `NotFound` unless it belongs to the case.
pub fn withdraw_consent(
    db: &mut Db<'_>,
    case_id: &str,
    consent_id: &str,
    on: NaiveDate,
) -> Result<(), StoreError> {
    let updated = diesel::update(
        consents::table
            .find(consent_id)
            .filter(consents::case_id.eq(case_id))
            .filter(consents::withdrawn_on.is_null()),
    )
    .set(consents::withdrawn_on.eq(Some(on)))
    .execute(db.conn)?;
    if updated == 1 {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

pub fn list_consents(db: &mut Db<'_>, case_id: &str) -> Result<Vec<Consent>, StoreError> {
    Ok(consents::table
        .filter(consents::case_id.eq(case_id))
        .order(consents::recorded_on.desc())
        .select((
            consents::id,
            consents::purpose,
            consents::recipient_organisation_id,
            consents::given,
            consents::recorded_on,
            consents::language,
            consents::withdrawn_on,
        ))
        .load(db.conn)?)
}

/// Whether a consent for `purpose` (and, when given, this recipient) is in
/// force on `on`: given, recorded on or before it, and not withdrawn by then.
pub fn has_consent(
    db: &mut Db<'_>,
    case_id: &str,
    purpose: &str,
    recipient_organisation_id: Option<&str>,
    on: NaiveDate,
) -> Result<bool, StoreError> {
    let mut query = consents::table
        .filter(consents::case_id.eq(case_id))
        .filter(consents::purpose.eq(purpose))
        .filter(consents::given.eq(true))
        .filter(consents::recorded_on.le(on))
        .filter(
            consents::withdrawn_on
                .is_null()
                .or(consents::withdrawn_on.gt(on)),
        )
        .into_boxed();
    if let Some(recipient) = recipient_organisation_id {
        query = query.filter(consents::recipient_organisation_id.eq(recipient));
    }
    let count: i64 = query.count().get_result(db.conn)?;
    Ok(count > 0)
}

// --- Assignment, closure, reopening ------------------------------------------

/// Assigns a user to a case; assigning twice is not an error.
pub fn assign(db: &mut Db<'_>, case_id: &str, user_id: &str) -> Result<(), StoreError> {
    let existing: i64 = case_assignments::table
        .filter(case_assignments::case_id.eq(case_id))
        .filter(case_assignments::user_id.eq(user_id))
        .count()
        .get_result(db.conn)?;
    if existing == 0 {
        diesel::insert_into(case_assignments::table)
            .values((
                case_assignments::case_id.eq(case_id),
                case_assignments::user_id.eq(user_id),
                case_assignments::assigned_at.eq(crate::now()),
            ))
            .execute(db.conn)?;
    }
    Ok(())
}

/// Closes an open case with an HTCDS closure reason.
pub fn close(
    db: &mut Db<'_>,
    case_id: &str,
    expected_version: i32,
    closed_on: NaiveDate,
    reason: &str,
) -> Result<(), StoreError> {
    crate::db::write_transaction(db.conn, |conn| {
        let mut inner = Db {
            conn,
            keys: db.keys,
        };
        bump_version(&mut inner, case_id, expected_version)?;
        diesel::update(cases::table.find(case_id).filter(cases::status.eq("open")))
            .set((
                cases::status.eq("closed"),
                cases::closed_on.eq(Some(closed_on)),
                cases::closure_reason.eq(Some(reason)),
            ))
            .execute(inner.conn)?;
        Ok(())
    })
}

/// Reopens a closed case; the reason goes to the audit log.
pub fn reopen(db: &mut Db<'_>, case_id: &str, expected_version: i32) -> Result<(), StoreError> {
    crate::db::write_transaction(db.conn, |conn| {
        let mut inner = Db {
            conn,
            keys: db.keys,
        };
        bump_version(&mut inner, case_id, expected_version)?;
        diesel::update(cases::table.find(case_id))
            .set((
                cases::status.eq("open"),
                cases::closed_on.eq(None::<NaiveDate>),
                cases::closure_reason.eq(None::<String>),
            ))
            .execute(inner.conn)?;
        Ok(())
    })
}
