//! The victim-witness status of a case's person in criminal proceedings,
//! kept with its history: each change is a new row and the newest is the
//! current status. The note is encrypted per field; the retention
//! anonymisation clears it and the subject-access export includes it.

use chrono::NaiveDate;
use diesel::prelude::*;
use procap_crypto::FieldContext;

use crate::schema::users;
use crate::schema_witness::witness_statuses;
use crate::{Db, StoreError};

/// The status codes, in order of involvement.
pub const WITNESS_STATUSES: &[&str] = &["not_witness", "witness", "protected_witness"];

fn context(row_id: &str) -> FieldContext<'_> {
    FieldContext {
        table: "witness_statuses",
        column: "note_enc",
        row_id,
    }
}

/// A status change to record. The note is free text: no `Debug`.
pub struct NewWitnessStatus<'a> {
    pub case_id: &'a str,
    /// One of [`WITNESS_STATUSES`].
    pub status: &'a str,
    pub status_on: NaiveDate,
    pub note: Option<&'a str>,
    pub recorded_by: &'a str,
}

/// One recorded status, decrypted. No `Debug`.
#[derive(Clone)]
pub struct WitnessStatus {
    pub id: String,
    pub status: String,
    pub status_on: NaiveDate,
    pub note: Option<String>,
    /// Display name of the user who recorded it.
    pub recorded_by: String,
}

/// Records a status change and returns its id.
pub fn record_status(db: &mut Db<'_>, new: &NewWitnessStatus<'_>) -> Result<String, StoreError> {
    let id = crate::new_id();
    let note = new
        .note
        .filter(|text| !text.trim().is_empty())
        .map(|text| db.keys.encrypt_str(&context(&id), text));
    diesel::insert_into(witness_statuses::table)
        .values((
            witness_statuses::id.eq(&id),
            witness_statuses::case_id.eq(new.case_id),
            witness_statuses::status.eq(new.status),
            witness_statuses::status_on.eq(new.status_on),
            witness_statuses::note_enc.eq(note),
            witness_statuses::recorded_by.eq(new.recorded_by),
            witness_statuses::created_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    Ok(id)
}

/// Returns a case's status history, newest first: by date, then by the
/// time it was recorded.
pub fn history(db: &mut Db<'_>, case_id: &str) -> Result<Vec<WitnessStatus>, StoreError> {
    type Row = (String, String, NaiveDate, Option<Vec<u8>>, String);
    let rows: Vec<Row> = witness_statuses::table
        .inner_join(users::table.on(users::id.eq(witness_statuses::recorded_by)))
        .filter(witness_statuses::case_id.eq(case_id))
        .order((
            witness_statuses::status_on.desc(),
            witness_statuses::created_at.desc(),
            witness_statuses::id.desc(),
        ))
        .select((
            witness_statuses::id,
            witness_statuses::status,
            witness_statuses::status_on,
            witness_statuses::note_enc,
            users::display_name,
        ))
        .load(db.conn)?;
    rows.into_iter()
        .map(|(id, status, status_on, note, recorded_by)| {
            let note = match note {
                None => None,
                Some(ciphertext) => Some(
                    db.keys
                        .decrypt_string(&context(&id), &ciphertext)?
                        .to_string(),
                ),
            };
            Ok(WitnessStatus {
                id,
                status,
                status_on,
                note,
                recorded_by,
            })
        })
        .collect()
}
