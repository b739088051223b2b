//! The timeline of trafficking events of a case (HTCDS `hte_` fields):
//! what happened, when (a date or an approximate period), in which country,
//! with a description kept encrypted per field.

use chrono::NaiveDate;
use diesel::prelude::*;
use procap_crypto::FieldContext;

use crate::schema::trafficking_events;
use crate::{Db, StoreError};

const TABLE: &str = "trafficking_events";
const DESCRIPTION: &str = "description_enc";

/// A new event. The description is free text: no `Debug`.
pub struct NewTimelineEvent<'a> {
    pub case_id: &'a str,
    /// A code of the event kind list, e.g. `recruitment`.
    pub kind: &'a str,
    pub started_on: NaiveDate,
    /// The end of an approximate period, or `None` for a single date.
    pub ended_on: Option<NaiveDate>,
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<&'a str>,
    pub description: Option<&'a str>,
}

/// One event as the timeline page shows it, decrypted. No `Debug`.
#[derive(Clone)]
pub struct TimelineEvent {
    pub id: String,
    pub kind: String,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub country: Option<String>,
    pub description: Option<String>,
}

fn context(row_id: &str) -> FieldContext<'_> {
    FieldContext {
        table: TABLE,
        column: DESCRIPTION,
        row_id,
    }
}

/// Adds one event and returns its id.
pub fn add_event(db: &mut Db<'_>, new: &NewTimelineEvent<'_>) -> Result<String, StoreError> {
    let id = crate::new_id();
    let description = new
        .description
        .filter(|text| !text.trim().is_empty())
        .map(|text| db.keys.encrypt_str(&context(&id), text));
    diesel::insert_into(trafficking_events::table)
        .values((
            trafficking_events::id.eq(&id),
            trafficking_events::case_id.eq(new.case_id),
            trafficking_events::kind.eq(new.kind),
            trafficking_events::started_on.eq(Some(new.started_on)),
            trafficking_events::ended_on.eq(new.ended_on),
            trafficking_events::country.eq(new.country),
            trafficking_events::description_enc.eq(description),
            trafficking_events::created_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    Ok(id)
}

/// Returns a case's events in date order: by start date, undated ones last,
/// then in the order they were entered.
pub fn list_events(db: &mut Db<'_>, case_id: &str) -> Result<Vec<TimelineEvent>, StoreError> {
    type Row = (
        String,
        String,
        Option<NaiveDate>,
        Option<NaiveDate>,
        Option<String>,
        Option<Vec<u8>>,
        chrono::NaiveDateTime,
    );
    let mut rows: Vec<Row> = trafficking_events::table
        .filter(trafficking_events::case_id.eq(case_id))
        .select((
            trafficking_events::id,
            trafficking_events::kind,
            trafficking_events::started_on,
            trafficking_events::ended_on,
            trafficking_events::country,
            trafficking_events::description_enc,
            trafficking_events::created_at,
        ))
        .load(db.conn)?;
    // Sorted here so both backends agree on where undated events go.
    rows.sort_by(|a, b| (a.2.is_none(), a.2, a.6, &a.0).cmp(&(b.2.is_none(), b.2, b.6, &b.0)));
    rows.into_iter()
        .map(
            |(id, kind, started_on, ended_on, country, description, _)| {
                let description = match description {
                    None => None,
                    Some(ciphertext) => Some(
                        db.keys
                            .decrypt_string(&context(&id), &ciphertext)?
                            .to_string(),
                    ),
                };
                Ok(TimelineEvent {
                    id,
                    kind,
                    started_on,
                    ended_on,
                    country,
                    description,
                })
            },
        )
        .collect()
}
