//! Bulk insert of cases migrated from another case-management system (an
//! HTCDS file): each person with encrypted identifiers and blind indexes,
//! the case with a normal case code, and the intake referral.
//!
//! Everything is written in one transaction, in batches of multi-row
//! inserts, so fifty thousand cases take seconds and a failure leaves
//! nothing behind. The rows match those [`crate::cases::register`] writes,
//! except that no staff member is assigned: coordinators assign imported
//! cases afterwards.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use procap_crypto::{FieldContext, Keyring};

use crate::cases::{
    CaseAttributes, IntakeReferral, PersonAttributes, PersonDetails, identifier_indexes,
};
use crate::schema::{case_counters, cases, intake_referrals, person_identifiers, persons};
use crate::{Db, DbConnection, StoreError};

/// Cases written per multi-row insert. A case row has 32 columns, so a
/// batch stays far below SQLite's and PostgreSQL's limits on bound values.
pub const BATCH_SIZE: usize = 500;

/// One case to import, checked and mapped by the caller.
pub struct ImportedCase {
    pub person: PersonDetails,
    pub attributes: PersonAttributes,
    /// `opened_on` also decides the year in the case code.
    pub case: CaseAttributes,
    pub intake: IntakeReferral,
    /// An NRM status code.
    pub nrm_status: String,
    /// The closure date and reason code of a closed case.
    pub closure: Option<(NaiveDate, String)>,
}

impl std::fmt::Debug for ImportedCase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ImportedCase(<redacted>)")
    }
}

#[derive(Insertable)]
#[diesel(table_name = persons)]
#[diesel(treat_none_as_default_value = false)]
struct PersonInsert {
    id: String,
    organisation_id: String,
    given_name_enc: Vec<u8>,
    family_name_enc: Option<Vec<u8>>,
    aliases_enc: Option<Vec<u8>>,
    birth_date_enc: Option<Vec<u8>>,
    estimated_birth_year: Option<i32>,
    sex: String,
    gender_identity: Option<String>,
    citizenships: String,
    languages: String,
    interpreter_gender: Option<String>,
    legal_status: String,
    contact_enc: Option<Vec<u8>>,
    household_enc: Option<Vec<u8>>,
    vulnerabilities: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = person_identifiers)]
struct IdentifierInsert {
    id: String,
    person_id: String,
    kind: String,
    blind_index: String,
}

#[derive(Insertable)]
#[diesel(table_name = cases)]
#[diesel(treat_none_as_default_value = false)]
struct CaseInsert {
    id: String,
    code: String,
    person_id: Option<String>,
    organisation_id: String,
    status: String,
    origin: String,
    sex: String,
    age_bracket: Option<String>,
    is_minor: bool,
    citizenship: Option<String>,
    region: String,
    setting: String,
    facility_enc: Option<Vec<u8>>,
    exploitation_types: String,
    forced_labour_industry: Option<String>,
    means_of_control: String,
    recruitment_method: Option<String>,
    trafficker_relationship: Option<String>,
    countries_recruitment: String,
    countries_transit: String,
    countries_exploitation: String,
    nrm_status: String,
    reflection_period_ends_on: Option<NaiveDate>,
    residence_permit_expires_on: Option<NaiveDate>,
    sealed: bool,
    registration_year: i32,
    opened_on: NaiveDate,
    closed_on: Option<NaiveDate>,
    closure_reason: Option<String>,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = intake_referrals)]
#[diesel(treat_none_as_default_value = false)]
struct IntakeInsert {
    id: String,
    case_id: String,
    source: String,
    referred_on: NaiveDate,
    referring_contact_enc: Option<Vec<u8>>,
    reason_enc: Option<Vec<u8>>,
    created_at: NaiveDateTime,
}

/// The rows of one batch.
#[derive(Default)]
struct Batch {
    persons: Vec<PersonInsert>,
    identifiers: Vec<IdentifierInsert>,
    cases: Vec<CaseInsert>,
    intakes: Vec<IntakeInsert>,
}

fn encrypt(keys: &Keyring, table: &str, column: &str, row_id: &str, value: &str) -> Vec<u8> {
    keys.encrypt_str(
        &FieldContext {
            table,
            column,
            row_id,
        },
        value,
    )
}

fn encrypt_opt(
    keys: &Keyring,
    table: &str,
    column: &str,
    row_id: &str,
    value: Option<&str>,
) -> Option<Vec<u8>> {
    value
        .filter(|value| !value.trim().is_empty())
        .map(|value| encrypt(keys, table, column, row_id, value))
}

impl Batch {
    fn add(
        &mut self,
        keys: &Keyring,
        organisation_id: &str,
        origin: &str,
        code: String,
        imported: &ImportedCase,
        now: NaiveDateTime,
    ) {
        let person_id = crate::new_id();
        let case_id = crate::new_id();
        let intake_id = crate::new_id();
        let person = &imported.person;
        let attributes = &imported.attributes;
        let case = &imported.case;
        let intake = &imported.intake;

        self.persons.push(PersonInsert {
            id: person_id.clone(),
            organisation_id: organisation_id.to_owned(),
            given_name_enc: encrypt(
                keys,
                "persons",
                "given_name_enc",
                &person_id,
                &person.given_name,
            ),
            family_name_enc: encrypt_opt(
                keys,
                "persons",
                "family_name_enc",
                &person_id,
                person.family_name.as_deref(),
            ),
            aliases_enc: encrypt_opt(
                keys,
                "persons",
                "aliases_enc",
                &person_id,
                person.aliases.as_deref(),
            ),
            birth_date_enc: encrypt_opt(
                keys,
                "persons",
                "birth_date_enc",
                &person_id,
                person.birth_date.map(|date| date.to_string()).as_deref(),
            ),
            estimated_birth_year: attributes.estimated_birth_year,
            sex: attributes.sex.clone(),
            gender_identity: attributes.gender_identity.clone(),
            citizenships: attributes.citizenships.clone(),
            languages: attributes.languages.clone(),
            interpreter_gender: attributes.interpreter_gender.clone(),
            legal_status: attributes.legal_status.clone(),
            contact_enc: encrypt_opt(
                keys,
                "persons",
                "contact_enc",
                &person_id,
                person.contact.as_deref(),
            ),
            household_enc: encrypt_opt(
                keys,
                "persons",
                "household_enc",
                &person_id,
                person.household.as_deref(),
            ),
            vulnerabilities: attributes.vulnerabilities.clone(),
            created_at: now,
            updated_at: now,
        });
        for (kind, index) in identifier_indexes(keys, person) {
            self.identifiers.push(IdentifierInsert {
                id: crate::new_id(),
                person_id: person_id.clone(),
                kind: kind.to_owned(),
                blind_index: index,
            });
        }
        self.cases.push(CaseInsert {
            id: case_id.clone(),
            code,
            person_id: Some(person_id),
            organisation_id: organisation_id.to_owned(),
            status: if imported.closure.is_some() {
                "closed"
            } else {
                "open"
            }
            .to_owned(),
            origin: origin.to_owned(),
            sex: attributes.sex.clone(),
            age_bracket: case.age_bracket.clone(),
            is_minor: case.is_minor,
            citizenship: attributes
                .citizenships
                .split(';')
                .next()
                .filter(|code| !code.is_empty())
                .map(str::to_owned),
            region: case.region.clone(),
            setting: case.setting.clone(),
            facility_enc: encrypt_opt(
                keys,
                "cases",
                "facility_enc",
                &case_id,
                case.facility.as_deref(),
            ),
            exploitation_types: case.exploitation_types.clone(),
            forced_labour_industry: case.forced_labour_industry.clone(),
            means_of_control: case.means_of_control.clone(),
            recruitment_method: case.recruitment_method.clone(),
            trafficker_relationship: case.trafficker_relationship.clone(),
            countries_recruitment: case.countries_recruitment.clone(),
            countries_transit: case.countries_transit.clone(),
            countries_exploitation: case.countries_exploitation.clone(),
            nrm_status: imported.nrm_status.clone(),
            reflection_period_ends_on: None,
            residence_permit_expires_on: None,
            sealed: false,
            registration_year: case.opened_on.year(),
            opened_on: case.opened_on,
            closed_on: imported.closure.as_ref().map(|(date, _)| *date),
            closure_reason: imported.closure.as_ref().map(|(_, reason)| reason.clone()),
            version: 1,
            created_at: now,
            updated_at: now,
        });
        self.intakes.push(IntakeInsert {
            id: intake_id.clone(),
            case_id,
            source: intake.source.clone(),
            referred_on: intake.referred_on,
            referring_contact_enc: encrypt_opt(
                keys,
                "intake_referrals",
                "referring_contact_enc",
                &intake_id,
                intake.referring_contact.as_deref(),
            ),
            reason_enc: encrypt_opt(
                keys,
                "intake_referrals",
                "reason_enc",
                &intake_id,
                intake.reason.as_deref(),
            ),
            created_at: now,
        });
    }
}

/// Writes a batch with one multi-row insert per table. A macro rather
/// than a function because `Insertable` vectors need the concrete
/// connection type of each backend.
macro_rules! write_batch {
    ($conn:expr, $batch:expr) => {{
        diesel::insert_into(persons::table)
            .values(&$batch.persons)
            .execute($conn)?;
        if !$batch.identifiers.is_empty() {
            diesel::insert_into(person_identifiers::table)
                .values(&$batch.identifiers)
                .execute($conn)?;
        }
        diesel::insert_into(cases::table)
            .values(&$batch.cases)
            .execute($conn)?;
        diesel::insert_into(intake_referrals::table)
            .values(&$batch.intakes)
            .execute($conn)?;
    }};
}

/// Reserves `$count` consecutive case numbers of an organisation for
/// `$year` and evaluates to the first. `$current` reads the counter (with
/// a row lock on PostgreSQL); runs inside the caller's transaction.
macro_rules! reserve_sequences {
    ($conn:expr, $current:expr, $organisation_id:expr, $year:expr, $count:expr) => {{
        let current: Option<i32> = $current;
        match current {
            Some(first) => {
                diesel::update(case_counters::table.find(($organisation_id, $year)))
                    .set(case_counters::next_sequence.eq(first + $count))
                    .execute($conn)?;
                first
            }
            None => {
                diesel::insert_into(case_counters::table)
                    .values((
                        case_counters::organisation_id.eq($organisation_id),
                        case_counters::year.eq($year),
                        case_counters::next_sequence.eq(1 + $count),
                    ))
                    .execute($conn)?;
                1
            }
        }
    }};
}

/// Inserts `imported` as cases of an organisation, marked with `origin`
/// (e.g. `htcds_import`), all in one transaction. Codes are
/// `PREFIX-YEAR-NNNNN` by the year each case opened, numbered in the order
/// given. Calls `progress` with the number written after each batch and
/// returns the total.
///
/// # Errors
///
/// Any database error; then nothing is written.
pub fn import_cases(
    db: &mut Db<'_>,
    organisation_id: &str,
    case_code_prefix: &str,
    origin: &str,
    imported: &[ImportedCase],
    mut progress: impl FnMut(usize),
) -> Result<usize, StoreError> {
    let keys = db.keys;
    let now = crate::now();
    let mut per_year: BTreeMap<i32, i32> = BTreeMap::new();
    for case in imported {
        *per_year.entry(case.case.opened_on.year()).or_default() += 1;
    }

    // Both arms run the same steps; only the connection type and the row
    // lock on the counter differ. SQLite takes the write lock up front.
    macro_rules! import_all {
        ($conn:expr, $counter:expr) => {{
            let mut next: BTreeMap<i32, i32> = BTreeMap::new();
            for (&year, &count) in &per_year {
                let current = $counter(&mut *$conn, year)?;
                let first = reserve_sequences!(&mut *$conn, current, organisation_id, year, count);
                next.insert(year, first);
            }
            let mut written = 0;
            for chunk in imported.chunks(BATCH_SIZE) {
                let mut batch = Batch::default();
                for case in chunk {
                    let year = case.case.opened_on.year();
                    let sequence = next.entry(year).or_insert(1);
                    let code = format!("{case_code_prefix}-{year}-{sequence:05}");
                    *sequence += 1;
                    batch.add(keys, organisation_id, origin, code, case, now);
                }
                write_batch!(&mut *$conn, batch);
                written += chunk.len();
                progress(written);
            }
            Ok::<usize, StoreError>(written)
        }};
    }
    match db.conn {
        DbConnection::Sqlite(lite) => lite.immediate_transaction(|conn| {
            import_all!(conn, |conn: &mut diesel::SqliteConnection, year: i32| {
                case_counters::table
                    .find((organisation_id, year))
                    .select(case_counters::next_sequence)
                    .first::<i32>(conn)
                    .optional()
            })
        }),
        DbConnection::Postgresql(pg) => pg.transaction(|conn| {
            import_all!(conn, |conn: &mut diesel::PgConnection, year: i32| {
                case_counters::table
                    .find((organisation_id, year))
                    .select(case_counters::next_sequence)
                    .for_update()
                    .first::<i32>(conn)
                    .optional()
            })
        }),
    }
}
