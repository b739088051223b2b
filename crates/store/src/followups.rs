//! Follow-up contacts after a case is closed: scheduling them at closure,
//! recording what was found, cancelling the pending ones when the case is
//! reopened (recorded ones stay as history), and the contacts due for the
//! staff assigned to a case.
//!
//! The note of a contact is encrypted; outcomes are codes of
//! `procap_domain::case::followup::FollowUpOutcome`, `;`-joined.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use procap_crypto::FieldContext;
use procap_domain::case::followup::due_date;

use crate::schema::{case_assignments, cases, users};
use crate::schema_followups::case_followups;
use crate::{Db, StoreError};

/// Status of a contact that has not taken place yet.
pub const SCHEDULED: &str = "scheduled";
/// Status of a contact whose result was recorded.
pub const RECORDED: &str = "recorded";
/// Status of a contact dropped because the case was reopened first.
pub const CANCELLED: &str = "cancelled";

fn note_context(row_id: &str) -> FieldContext<'_> {
    FieldContext {
        table: "case_followups",
        column: "note_enc",
        row_id,
    }
}

/// Schedules one contact per offset (months after `closed_on`). Returns the
/// ids in offset order. Call it in the transaction that closes the case.
pub fn schedule(
    db: &mut Db<'_>,
    case_id: &str,
    closed_on: NaiveDate,
    offsets: &[u32],
) -> Result<Vec<String>, StoreError> {
    let now = crate::now();
    let mut ids = Vec::with_capacity(offsets.len());
    for &months in offsets {
        let id = crate::new_id();
        let offset_months = i32::try_from(months)
            .map_err(|_| StoreError::Corrupt(format!("offset {months} out of range")))?;
        diesel::insert_into(case_followups::table)
            .values((
                case_followups::id.eq(&id),
                case_followups::case_id.eq(case_id),
                case_followups::closed_on.eq(closed_on),
                case_followups::offset_months.eq(offset_months),
                case_followups::due_on.eq(due_date(closed_on, months)),
                case_followups::status.eq(SCHEDULED),
                case_followups::outcomes.eq(""),
                case_followups::created_at.eq(now),
            ))
            .execute(db.conn)?;
        ids.push(id);
    }
    Ok(ids)
}

/// Cancels the contacts of a case that have not taken place. Returns how
/// many were cancelled. Recorded contacts are left as they are.
pub fn cancel_pending(db: &mut Db<'_>, case_id: &str) -> Result<usize, StoreError> {
    Ok(diesel::update(
        case_followups::table
            .filter(case_followups::case_id.eq(case_id))
            .filter(case_followups::status.eq(SCHEDULED)),
    )
    .set(case_followups::status.eq(CANCELLED))
    .execute(db.conn)?)
}

/// A follow-up contact with its note decrypted. No `Debug`: the note is
/// case content.
#[derive(Clone)]
pub struct FollowUp {
    pub id: String,
    pub case_id: String,
    pub closed_on: NaiveDate,
    pub offset_months: i32,
    pub due_on: NaiveDate,
    pub status: String,
    pub contacted_on: Option<NaiveDate>,
    pub contact_made: Option<bool>,
    /// Outcome codes.
    pub outcomes: Vec<String>,
    pub note: Option<String>,
    /// Username of the staff member who recorded the contact.
    pub recorded_by: Option<String>,
    pub recorded_at: Option<NaiveDateTime>,
}

type FollowUpRow = (
    String,
    String,
    NaiveDate,
    i32,
    NaiveDate,
    String,
    Option<NaiveDate>,
    Option<bool>,
    String,
    Option<Vec<u8>>,
    Option<String>,
    Option<NaiveDateTime>,
);

fn decode(db: &Db<'_>, row: FollowUpRow) -> Result<FollowUp, StoreError> {
    let (
        id,
        case_id,
        closed_on,
        offset_months,
        due_on,
        status,
        contacted_on,
        contact_made,
        outcomes,
        note_enc,
        recorded_by,
        recorded_at,
    ) = row;
    let note = match note_enc {
        Some(ciphertext) => Some(
            db.keys
                .decrypt_string(&note_context(&id), &ciphertext)?
                .to_string(),
        ),
        None => None,
    };
    Ok(FollowUp {
        outcomes: outcomes
            .split(';')
            .filter(|code| !code.is_empty())
            .map(str::to_owned)
            .collect(),
        id,
        case_id,
        closed_on,
        offset_months,
        due_on,
        status,
        contacted_on,
        contact_made,
        note,
        recorded_by,
        recorded_at,
    })
}

/// Loads every contact of a case by date, cancelled ones included.
pub fn list(db: &mut Db<'_>, case_id: &str) -> Result<Vec<FollowUp>, StoreError> {
    let rows: Vec<FollowUpRow> = case_followups::table
        .left_join(users::table.on(case_followups::recorded_by.eq(users::id.nullable())))
        .filter(case_followups::case_id.eq(case_id))
        .order((case_followups::due_on.asc(), case_followups::id.asc()))
        .select((
            case_followups::id,
            case_followups::case_id,
            case_followups::closed_on,
            case_followups::offset_months,
            case_followups::due_on,
            case_followups::status,
            case_followups::contacted_on,
            case_followups::contact_made,
            case_followups::outcomes,
            case_followups::note_enc,
            users::username.nullable(),
            case_followups::recorded_at,
        ))
        .load(db.conn)?;
    rows.into_iter().map(|row| decode(db, row)).collect()
}

/// Loads one contact of a case. Fails with `NotFound` when it belongs to
/// another case.
pub fn get(db: &mut Db<'_>, case_id: &str, followup_id: &str) -> Result<FollowUp, StoreError> {
    list(db, case_id)?
        .into_iter()
        .find(|followup| followup.id == followup_id)
        .ok_or(StoreError::NotFound)
}

/// The result of a follow-up contact.
pub struct FollowUpResult<'a> {
    pub contacted_on: NaiveDate,
    pub contact_made: bool,
    /// Outcome codes, already checked against the vocabulary.
    pub outcomes: &'a [String],
    pub note: Option<&'a str>,
    pub recorded_by: &'a str,
}

/// Records the result of a scheduled contact of `case_id`. Fails with
/// `NotFound` for another case's contact and with `Conflict("recorded")`
/// when the contact is no longer scheduled (recorded or cancelled).
pub fn record(
    db: &mut Db<'_>,
    case_id: &str,
    followup_id: &str,
    result: &FollowUpResult<'_>,
) -> Result<(), StoreError> {
    let status: Option<String> = case_followups::table
        .find(followup_id)
        .filter(case_followups::case_id.eq(case_id))
        .select(case_followups::status)
        .first(db.conn)
        .optional()?;
    match status.as_deref() {
        None => return Err(StoreError::NotFound),
        Some(SCHEDULED) => {}
        Some(_) => return Err(StoreError::Conflict("recorded")),
    }
    let note_enc = result
        .note
        .filter(|note| !note.trim().is_empty())
        .map(|note| db.keys.encrypt_str(&note_context(followup_id), note));
    let changed = diesel::update(
        case_followups::table
            .find(followup_id)
            .filter(case_followups::status.eq(SCHEDULED)),
    )
    .set((
        case_followups::status.eq(RECORDED),
        case_followups::contacted_on.eq(Some(result.contacted_on)),
        case_followups::contact_made.eq(Some(result.contact_made)),
        case_followups::outcomes.eq(result.outcomes.join(";")),
        case_followups::note_enc.eq(note_enc),
        case_followups::recorded_by.eq(Some(result.recorded_by)),
        case_followups::recorded_at.eq(Some(crate::now())),
    ))
    .execute(db.conn)?;
    if changed == 0 {
        return Err(StoreError::Conflict("recorded"));
    }
    Ok(())
}

/// A scheduled contact due for one member of staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueFollowUp {
    pub case_id: String,
    pub case_code: String,
    pub followup_id: String,
    pub due_on: NaiveDate,
}

/// Scheduled contacts of closed cases assigned to `user_id` that fall on
/// or before `until`, earliest first.
pub fn due_for_user(
    db: &mut Db<'_>,
    user_id: &str,
    until: NaiveDate,
) -> Result<Vec<DueFollowUp>, StoreError> {
    let assigned = case_assignments::table
        .filter(case_assignments::user_id.eq(user_id))
        .select(case_assignments::case_id);
    let rows: Vec<(String, String, String, NaiveDate)> = case_followups::table
        .inner_join(cases::table.on(cases::id.eq(case_followups::case_id)))
        .filter(case_followups::case_id.eq_any(assigned))
        .filter(case_followups::status.eq(SCHEDULED))
        .filter(cases::status.eq("closed"))
        .filter(case_followups::due_on.le(until))
        .order((case_followups::due_on.asc(), cases::code.asc()))
        .select((
            cases::id,
            cases::code,
            case_followups::id,
            case_followups::due_on,
        ))
        .load(db.conn)?;
    Ok(rows
        .into_iter()
        .map(|(case_id, case_code, followup_id, due_on)| DueFollowUp {
            case_id,
            case_code,
            followup_id,
            due_on,
        })
        .collect())
}
