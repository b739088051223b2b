//! The cases of an HTCDS export: every unsealed case with a person that
//! matches a filter, with the plain columns HTCDS needs and, only when the
//! caller asks for them, the person's decrypted identifiers.
//!
//! Anonymised historical records (no person) and sealed cases are never
//! exported. Document numbers are not exported at all: Procap keeps only
//! their blind indexes.

use chrono::NaiveDate;
use diesel::prelude::*;
use procap_crypto::{FieldContext, Keyring};

use crate::cases::Case;
use crate::schema::{cases, intake_referrals, organisations, persons};
use crate::{Db, StoreError};

/// Which cases to export. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportFilter {
    /// First day on which a case may have opened.
    pub from: Option<NaiveDate>,
    /// Last day on which a case may have opened, included.
    pub to: Option<NaiveDate>,
    pub organisation_id: Option<String>,
    /// A case status code (`open`, `closed`).
    pub status: Option<String>,
}

/// The identifying details of an exported case, decrypted. Its `Debug`
/// output is redacted.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ExportIdentifiers {
    pub given_name: String,
    pub family_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    /// Contact details as free text, one item per line.
    pub contact: Option<String>,
    /// The referring organisation and case worker, one per line.
    pub referring_contact: Option<String>,
    /// The reason for the intake referral, as staff wrote it.
    pub referral_reason: Option<String>,
}

impl std::fmt::Debug for ExportIdentifiers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExportIdentifiers(<redacted>)")
    }
}

/// One exported case with its person's plain attributes.
#[derive(Debug, Clone)]
pub struct ExportedCase {
    pub case: Case,
    pub gender_identity: Option<String>,
    /// `;`-joined ISO 3166-1 alpha-2 codes.
    pub citizenships: String,
    /// `;`-joined language codes, each optionally `code:dialect`.
    pub languages: String,
    pub legal_status: String,
    /// The intake referral's source code and date.
    pub referral_source: Option<String>,
    pub referred_on: Option<NaiveDate>,
    /// `Some` only when identifiers were asked for.
    pub identifiers: Option<ExportIdentifiers>,
}

type PersonColumns = (
    String,
    Vec<u8>,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
    Option<String>,
    String,
    String,
    String,
);

type IntakeColumns = (
    String,
    String,
    String,
    NaiveDate,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
);

fn decrypt(
    keys: &Keyring,
    table: &str,
    column: &str,
    row_id: &str,
    value: Option<&[u8]>,
) -> Result<Option<String>, StoreError> {
    let Some(ciphertext) = value else {
        return Ok(None);
    };
    let context = FieldContext {
        table,
        column,
        row_id,
    };
    Ok(Some(keys.decrypt_string(&context, ciphertext)?.to_string()))
}

/// Loads the cases matching `filter`, ordered by case code; decrypts the
/// identifiers when `with_identifiers` is true.
pub fn load(
    db: &mut Db<'_>,
    filter: &ExportFilter,
    with_identifiers: bool,
) -> Result<Vec<ExportedCase>, StoreError> {
    let keys = db.keys;
    let mut query = cases::table
        .inner_join(persons::table)
        .filter(cases::sealed.eq(false))
        .into_boxed();
    if let Some(from) = filter.from {
        query = query.filter(cases::opened_on.ge(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(cases::opened_on.le(to));
    }
    if let Some(organisation_id) = &filter.organisation_id {
        query = query.filter(cases::organisation_id.eq(organisation_id.clone()));
    }
    if let Some(status) = &filter.status {
        query = query.filter(cases::status.eq(status.clone()));
    }
    let rows: Vec<(Case, PersonColumns)> = query
        .order(cases::code.asc())
        .select((
            Case::as_select(),
            (
                persons::id,
                persons::given_name_enc,
                persons::family_name_enc,
                persons::birth_date_enc,
                persons::contact_enc,
                persons::gender_identity,
                persons::citizenships,
                persons::languages,
                persons::legal_status,
            ),
        ))
        .load(db.conn)?;

    let mut intakes = std::collections::HashMap::new();
    let ids: Vec<String> = rows.iter().map(|(case, _)| case.id.clone()).collect();
    for chunk in ids.chunks(500) {
        let found: Vec<IntakeColumns> = intake_referrals::table
            .filter(intake_referrals::case_id.eq_any(chunk.to_vec()))
            .order(intake_referrals::created_at.asc())
            .select((
                intake_referrals::case_id,
                intake_referrals::id,
                intake_referrals::source,
                intake_referrals::referred_on,
                intake_referrals::referring_contact_enc,
                intake_referrals::reason_enc,
            ))
            .load(db.conn)?;
        for intake in found {
            intakes.entry(intake.0.clone()).or_insert(intake);
        }
    }

    let mut exported = Vec::with_capacity(rows.len());
    for (case, person) in rows {
        let (
            person_id,
            given_name,
            family_name,
            birth_date,
            contact,
            gender_identity,
            citizenships,
            languages,
            legal_status,
        ) = person;
        let intake = intakes.remove(&case.id);
        let identifiers = if with_identifiers {
            let birth_date = decrypt(
                keys,
                "persons",
                "birth_date_enc",
                &person_id,
                birth_date.as_deref(),
            )?
            .map(|text| {
                text.parse::<NaiveDate>()
                    .map_err(|error| StoreError::Corrupt(error.to_string()))
            })
            .transpose()?;
            let (referring_contact, referral_reason) = match &intake {
                Some((_, id, _, _, contact, reason)) => (
                    decrypt(
                        keys,
                        "intake_referrals",
                        "referring_contact_enc",
                        id,
                        contact.as_deref(),
                    )?,
                    decrypt(
                        keys,
                        "intake_referrals",
                        "reason_enc",
                        id,
                        reason.as_deref(),
                    )?,
                ),
                None => (None, None),
            };
            Some(ExportIdentifiers {
                given_name: decrypt(
                    keys,
                    "persons",
                    "given_name_enc",
                    &person_id,
                    Some(given_name.as_slice()),
                )?
                .unwrap_or_default(),
                family_name: decrypt(
                    keys,
                    "persons",
                    "family_name_enc",
                    &person_id,
                    family_name.as_deref(),
                )?,
                birth_date,
                contact: decrypt(
                    keys,
                    "persons",
                    "contact_enc",
                    &person_id,
                    contact.as_deref(),
                )?,
                referring_contact,
                referral_reason,
            })
        } else {
            None
        };
        exported.push(ExportedCase {
            case,
            gender_identity,
            citizenships,
            languages,
            legal_status,
            referral_source: intake.as_ref().map(|intake| intake.2.clone()),
            referred_on: intake.as_ref().map(|intake| intake.3),
            identifiers,
        });
    }
    Ok(exported)
}

/// The names and kinds of the organisations whose cases are in `cases`.
pub fn organisations_of(
    db: &mut Db<'_>,
    cases: &[ExportedCase],
) -> Result<Vec<(String, String)>, StoreError> {
    let mut ids: Vec<String> = cases
        .iter()
        .map(|case| case.case.organisation_id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    Ok(organisations::table
        .filter(organisations::id.eq_any(ids))
        .order(organisations::name.asc())
        .select((organisations::name, organisations::kind))
        .load(db.conn)?)
}
