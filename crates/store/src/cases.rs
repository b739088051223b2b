//! Persons and cases: registration with field encryption and blind indexes,
//! the duplicate check across organisations, scoped lists and case pages,
//! and the bulk insert of anonymised historical records.
//!
//! Lists never decrypt anything: they show the case code and non-identifying
//! columns only. Decryption happens for one case at a time, on its page.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use procap_crypto::FieldContext;

use crate::db::write_transaction;
use crate::schema::{
    case_assignments, case_counters, case_counts, cases, intake_referrals, organisations,
    person_identifiers, persons,
};
use crate::{Db, DbConnection, StoreError};

/// Blind-index purposes for the duplicate check.
pub const INDEX_NAME: &str = "person.name";
pub const INDEX_BIRTH_DATE: &str = "person.birth_date";
pub const INDEX_DOCUMENT: &str = "person.document";

/// The identifying details of a person, in clear, as typed by staff.
#[derive(Clone, Default)]
pub struct PersonDetails {
    pub given_name: String,
    pub family_name: Option<String>,
    pub aliases: Option<String>,
    pub birth_date: Option<NaiveDate>,
    /// Contact details as free text (phone, address); encrypted.
    pub contact: Option<String>,
    /// Household members and children as free text; encrypted.
    pub household: Option<String>,
    /// Identity or travel document numbers; only their blind indexes are searchable.
    pub document_numbers: Vec<String>,
}

impl std::fmt::Debug for PersonDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersonDetails(<redacted>)")
    }
}

/// Non-identifying attributes of the person (stored in clear for lists and statistics).
#[derive(Debug, Clone, Default)]
pub struct PersonAttributes {
    pub estimated_birth_year: Option<i32>,
    pub sex: String,
    pub gender_identity: Option<String>,
    /// ';'-joined ISO 3166-1 alpha-2 codes.
    pub citizenships: String,
    /// ';'-joined language codes, each optionally `code:dialect`.
    pub languages: String,
    pub interpreter_gender: Option<String>,
    pub legal_status: String,
    /// ';'-joined vulnerability codes.
    pub vulnerabilities: String,
}

/// The case part of a registration; codes follow the domain vocabularies.
#[derive(Debug, Clone, Default)]
pub struct CaseAttributes {
    pub age_bracket: Option<String>,
    pub is_minor: bool,
    pub region: String,
    pub setting: String,
    pub facility: Option<String>,
    pub exploitation_types: String,
    pub forced_labour_industry: Option<String>,
    pub means_of_control: String,
    pub recruitment_method: Option<String>,
    pub trafficker_relationship: Option<String>,
    pub countries_recruitment: String,
    pub countries_transit: String,
    pub countries_exploitation: String,
    pub opened_on: NaiveDate,
}

/// The referral that brought the person to the organisation.
#[derive(Clone)]
pub struct IntakeReferral {
    pub source: String,
    pub referred_on: NaiveDate,
    pub referring_contact: Option<String>,
    pub reason: Option<String>,
}

pub struct Registration<'a> {
    pub organisation_id: &'a str,
    pub case_code_prefix: &'a str,
    pub created_by: &'a str,
    pub person: PersonDetails,
    pub attributes: PersonAttributes,
    pub case: CaseAttributes,
    pub intake: IntakeReferral,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cases)]
pub struct Case {
    pub id: String,
    pub code: String,
    pub person_id: Option<String>,
    pub organisation_id: String,
    pub status: String,
    pub origin: String,
    pub sex: String,
    pub age_bracket: Option<String>,
    pub is_minor: bool,
    pub citizenship: Option<String>,
    pub region: String,
    pub setting: String,
    /// The hosting facility's name, encrypted: it says where the person
    /// lives. [`CaseView::facility`] holds it decrypted.
    pub facility_enc: Option<Vec<u8>>,
    pub exploitation_types: String,
    pub forced_labour_industry: Option<String>,
    pub means_of_control: String,
    pub recruitment_method: Option<String>,
    pub trafficker_relationship: Option<String>,
    pub countries_recruitment: String,
    pub countries_transit: String,
    pub countries_exploitation: String,
    pub nrm_status: String,
    pub reflection_period_ends_on: Option<NaiveDate>,
    pub residence_permit_expires_on: Option<NaiveDate>,
    pub sealed: bool,
    pub registration_year: i32,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub closure_reason: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = persons)]
struct PersonRow {
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

/// The blind indexes of a person's identifiers, as `(purpose, index)`.
pub fn identifier_indexes(
    keys: &procap_crypto::Keyring,
    person: &PersonDetails,
) -> Vec<(&'static str, String)> {
    let mut indexes = Vec::new();
    let full_name = format!(
        "{} {}",
        person.given_name,
        person.family_name.as_deref().unwrap_or("")
    );
    if !procap_domain::text::normalise(&full_name).is_empty() {
        indexes.push((INDEX_NAME, keys.blind_index(INDEX_NAME, &full_name)));
    }
    if let Some(birth_date) = person.birth_date {
        indexes.push((
            INDEX_BIRTH_DATE,
            keys.blind_index(INDEX_BIRTH_DATE, &birth_date.to_string()),
        ));
    }
    for document in &person.document_numbers {
        let compact: String = document.chars().filter(|c| c.is_alphanumeric()).collect();
        if !compact.is_empty() {
            indexes.push((INDEX_DOCUMENT, keys.blind_index(INDEX_DOCUMENT, &compact)));
        }
    }
    indexes
}

/// A possible earlier registration of the same person, described without
/// revealing anything of the other organisation's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateMatch {
    pub organisation_id: String,
    pub organisation_name: String,
    /// Which identifiers matched: a subset of the `INDEX_*` purposes.
    pub matched: Vec<String>,
    /// The case code, only when the case belongs to the asking organisation.
    pub own_case_code: Option<String>,
}

/// Persons already registered (in any organisation) whose name together
/// with the birth date, or whose document number, has the same blind index.
/// A name alone is too common to count as a match.
pub fn find_duplicates(
    db: &mut Db<'_>,
    asking_organisation_id: &str,
    person: &PersonDetails,
) -> Result<Vec<DuplicateMatch>, StoreError> {
    let indexes = identifier_indexes(db.keys, person);
    if indexes.is_empty() {
        return Ok(Vec::new());
    }
    let values: Vec<String> = indexes.iter().map(|(_, index)| index.clone()).collect();
    let hits: Vec<(String, String)> = person_identifiers::table
        .filter(person_identifiers::blind_index.eq_any(&values))
        .select((person_identifiers::person_id, person_identifiers::kind))
        .load(db.conn)?;

    let mut by_person: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (person_id, kind) in hits {
        let kinds = by_person.entry(person_id).or_default();
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    let mut matches = Vec::new();
    for (person_id, kinds) in by_person {
        let strong = kinds.iter().any(|kind| kind == INDEX_DOCUMENT)
            || (kinds.iter().any(|kind| kind == INDEX_NAME)
                && kinds.iter().any(|kind| kind == INDEX_BIRTH_DATE));
        if !strong {
            continue;
        }
        let (organisation_id, organisation_name): (String, String) = persons::table
            .inner_join(organisations::table)
            .filter(persons::id.eq(&person_id))
            .select((organisations::id, organisations::name))
            .first(db.conn)?;
        let own_case_code = if organisation_id == asking_organisation_id {
            // A sealed case's code is not revealed by the duplicate check.
            cases::table
                .filter(cases::person_id.eq(&person_id))
                .filter(cases::sealed.eq(false))
                .select(cases::code)
                .first(db.conn)
                .optional()?
        } else {
            None
        };
        matches.push(DuplicateMatch {
            organisation_id,
            organisation_name,
            matched: kinds,
            own_case_code,
        });
    }
    Ok(matches)
}

/// Reserves the next case code of an organisation for `year`, e.g.
/// `KA-2026-00042`. Runs inside the caller's transaction.
fn next_case_code(
    conn: &mut DbConnection,
    organisation_id: &str,
    prefix: &str,
    year: i32,
) -> Result<String, StoreError> {
    let current: Option<i32> = match conn {
        DbConnection::Postgresql(pg) => case_counters::table
            .find((organisation_id, year))
            .select(case_counters::next_sequence)
            .for_update()
            .first(pg)
            .optional()?,
        DbConnection::Sqlite(_) => case_counters::table
            .find((organisation_id, year))
            .select(case_counters::next_sequence)
            .first(conn)
            .optional()?,
    };
    let sequence = match current {
        Some(sequence) => {
            diesel::update(case_counters::table.find((organisation_id, year)))
                .set(case_counters::next_sequence.eq(sequence + 1))
                .execute(conn)?;
            sequence
        }
        None => {
            diesel::insert_into(case_counters::table)
                .values((
                    case_counters::organisation_id.eq(organisation_id),
                    case_counters::year.eq(year),
                    case_counters::next_sequence.eq(2),
                ))
                .execute(conn)?;
            1
        }
    };
    Ok(format!("{prefix}-{year}-{sequence:05}"))
}

fn encrypt_opt(
    keys: &procap_crypto::Keyring,
    table: &str,
    column: &str,
    row_id: &str,
    value: Option<&str>,
) -> Option<Vec<u8>> {
    value.filter(|value| !value.trim().is_empty()).map(|value| {
        keys.encrypt_str(
            &FieldContext {
                table,
                column,
                row_id,
            },
            value,
        )
    })
}

/// Registers a person, their case and the intake referral, assigns the
/// creating user, and returns the new case. Identifiers are encrypted and
/// blind-indexed.
pub fn register(db: &mut Db<'_>, registration: Registration<'_>) -> Result<Case, StoreError> {
    let keys = db.keys;
    let now = crate::now();
    let person_id = crate::new_id();
    let case_id = crate::new_id();
    let person = &registration.person;
    let person_row = PersonRow {
        id: person_id.clone(),
        organisation_id: registration.organisation_id.to_owned(),
        given_name_enc: keys.encrypt_str(
            &FieldContext {
                table: "persons",
                column: "given_name_enc",
                row_id: &person_id,
            },
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
        estimated_birth_year: registration.attributes.estimated_birth_year,
        sex: registration.attributes.sex.clone(),
        gender_identity: registration.attributes.gender_identity.clone(),
        citizenships: registration.attributes.citizenships.clone(),
        languages: registration.attributes.languages.clone(),
        interpreter_gender: registration.attributes.interpreter_gender.clone(),
        legal_status: registration.attributes.legal_status.clone(),
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
        vulnerabilities: registration.attributes.vulnerabilities.clone(),
        created_at: now,
        updated_at: now,
    };
    let indexes = identifier_indexes(keys, person);
    let attributes = &registration.case;
    let intake = &registration.intake;
    let year = chrono::Datelike::year(&attributes.opened_on);

    write_transaction(db.conn, |conn| {
        diesel::insert_into(persons::table)
            .values(&person_row)
            .execute(conn)?;
        for (kind, index) in &indexes {
            diesel::insert_into(person_identifiers::table)
                .values((
                    person_identifiers::id.eq(crate::new_id()),
                    person_identifiers::person_id.eq(&person_id),
                    person_identifiers::kind.eq(*kind),
                    person_identifiers::blind_index.eq(index),
                ))
                .execute(conn)?;
        }
        let code = next_case_code(
            conn,
            registration.organisation_id,
            registration.case_code_prefix,
            year,
        )?;
        let case = Case {
            id: case_id.clone(),
            code,
            person_id: Some(person_id.clone()),
            organisation_id: registration.organisation_id.to_owned(),
            status: "open".to_owned(),
            origin: "procap".to_owned(),
            sex: registration.attributes.sex.clone(),
            age_bracket: attributes.age_bracket.clone(),
            is_minor: attributes.is_minor,
            citizenship: registration
                .attributes
                .citizenships
                .split(';')
                .next()
                .filter(|c| !c.is_empty())
                .map(str::to_owned),
            region: attributes.region.clone(),
            setting: attributes.setting.clone(),
            facility_enc: encrypt_opt(
                keys,
                "cases",
                "facility_enc",
                &case_id,
                attributes.facility.as_deref(),
            ),
            exploitation_types: attributes.exploitation_types.clone(),
            forced_labour_industry: attributes.forced_labour_industry.clone(),
            means_of_control: attributes.means_of_control.clone(),
            recruitment_method: attributes.recruitment_method.clone(),
            trafficker_relationship: attributes.trafficker_relationship.clone(),
            countries_recruitment: attributes.countries_recruitment.clone(),
            countries_transit: attributes.countries_transit.clone(),
            countries_exploitation: attributes.countries_exploitation.clone(),
            nrm_status: "not_referred".to_owned(),
            reflection_period_ends_on: None,
            residence_permit_expires_on: None,
            sealed: false,
            registration_year: year,
            opened_on: attributes.opened_on,
            closed_on: None,
            closure_reason: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        diesel::insert_into(cases::table)
            .values(&case)
            .execute(conn)?;
        let intake_id = crate::new_id();
        diesel::insert_into(intake_referrals::table)
            .values((
                intake_referrals::id.eq(&intake_id),
                intake_referrals::case_id.eq(&case_id),
                intake_referrals::source.eq(&intake.source),
                intake_referrals::referred_on.eq(intake.referred_on),
                intake_referrals::referring_contact_enc.eq(encrypt_opt(
                    keys,
                    "intake_referrals",
                    "referring_contact_enc",
                    &intake_id,
                    intake.referring_contact.as_deref(),
                )),
                intake_referrals::reason_enc.eq(encrypt_opt(
                    keys,
                    "intake_referrals",
                    "reason_enc",
                    &intake_id,
                    intake.reason.as_deref(),
                )),
                intake_referrals::created_at.eq(now),
            ))
            .execute(conn)?;
        diesel::insert_into(case_assignments::table)
            .values((
                case_assignments::case_id.eq(&case_id),
                case_assignments::user_id.eq(registration.created_by),
                case_assignments::assigned_at.eq(now),
            ))
            .execute(conn)?;
        Ok(case)
    })
}

/// Which cases a user may see in lists.
#[derive(Debug, Clone)]
pub enum CaseScope {
    /// Every unsealed case of the organisation, and sealed ones the user is assigned to.
    Organisation {
        organisation_id: String,
        user_id: String,
    },
    /// Only cases of the organisation the user is assigned to.
    Assigned {
        organisation_id: String,
        user_id: String,
    },
}

/// Filters for the case list. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub status: Option<String>,
    pub nrm_status: Option<String>,
    pub region: Option<String>,
    pub origin: Option<String>,
    /// Exact case code (upper-cased by the caller).
    pub code: Option<String>,
}

/// A row of the case list: non-identifying columns only.
#[derive(Debug, Clone, Queryable)]
pub struct CaseListRow {
    pub id: String,
    pub code: String,
    pub status: String,
    pub origin: String,
    pub nrm_status: String,
    pub region: String,
    pub sex: String,
    pub age_bracket: Option<String>,
    pub is_minor: bool,
    pub exploitation_types: String,
    pub opened_on: NaiveDate,
}

/// One page of cases visible in `scope`, newest first, with the total.
///
/// A page of a whole-organisation list takes two statements: one for the
/// counts (`organisation_counts`) and one for the rows. On
/// PostgreSQL each statement is a round trip to the server.
///
/// The organisation's own cases and the cases other organisations shared
/// with it are read by two queries rather than one with `OR`. An `OR`
/// across the two sets keeps the database from walking the list index in
/// order, so every page sorted the whole organisation's cases. Shared cases
/// are few; when there are any, the first `offset + limit` rows of each set
/// are merged here.
pub fn list(
    db: &mut Db<'_>,
    scope: &CaseScope,
    filter: &CaseFilter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<CaseListRow>, i64), StoreError> {
    let (organisation_id, user_id, assigned_only) = match scope {
        CaseScope::Organisation {
            organisation_id,
            user_id,
        } => (organisation_id, user_id, false),
        CaseScope::Assigned {
            organisation_id,
            user_id,
        } => (organisation_id, user_id, true),
    };

    // Cases of `organisation_id` (own) or shared with it (not own), with
    // the scope's sealing or assignment rule and the filter applied.
    let build = |own: bool| {
        let mut query = cases::table.into_boxed();
        query = if own {
            query.filter(cases::organisation_id.eq(organisation_id.clone()))
        } else {
            let shared = crate::schema_referrals::case_shares::table
                .filter(
                    crate::schema_referrals::case_shares::organisation_id
                        .eq(organisation_id.clone()),
                )
                .select(crate::schema_referrals::case_shares::case_id);
            query
                .filter(cases::id.eq_any(shared))
                .filter(cases::organisation_id.ne(organisation_id.clone()))
        };
        let assigned = case_assignments::table
            .filter(case_assignments::user_id.eq(user_id.clone()))
            .select(case_assignments::case_id);
        query = if assigned_only {
            query.filter(cases::id.eq_any(assigned))
        } else {
            query.filter(cases::sealed.eq(false).or(cases::id.eq_any(assigned)))
        };
        if let Some(status) = &filter.status {
            query = query.filter(cases::status.eq(status.clone()));
        }
        if let Some(nrm_status) = &filter.nrm_status {
            query = query.filter(cases::nrm_status.eq(nrm_status.clone()));
        }
        if let Some(region) = &filter.region {
            query = query.filter(cases::region.eq(region.clone()));
        }
        if let Some(origin) = &filter.origin {
            query = query.filter(cases::origin.eq(origin.clone()));
        }
        if let Some(code) = &filter.code {
            query = query.filter(cases::code.eq(code.clone()));
        }
        query
    };
    let newest_first = (cases::opened_on.desc(), cases::code.desc());
    let columns = (
        cases::id,
        cases::code,
        cases::status,
        cases::origin,
        cases::nrm_status,
        cases::region,
        cases::sex,
        cases::age_bracket,
        cases::is_minor,
        cases::exploitation_types,
        cases::opened_on,
    );
    let (own_total, shares) = if assigned_only || filter.code.is_some() {
        // A caseworker's assigned cases or a single code match few rows.
        let own: i64 = build(true).count().get_result(db.conn)?;
        let shares: i64 = crate::schema_referrals::case_shares::table
            .filter(crate::schema_referrals::case_shares::organisation_id.eq(organisation_id))
            .count()
            .get_result(db.conn)?;
        (own, shares)
    } else {
        let counts = organisation_counts(db, organisation_id, user_id, filter)?;
        (counts.unsealed + counts.sealed, counts.shares)
    };
    if shares == 0 {
        let rows = build(true)
            .order(newest_first)
            .offset(offset)
            .limit(limit)
            .select(columns)
            .load(db.conn)?;
        return Ok((rows, own_total));
    }
    let shared_total: i64 = build(false).count().get_result(db.conn)?;
    let window = offset.saturating_add(limit);
    let mut rows: Vec<CaseListRow> = build(true)
        .order(newest_first)
        .limit(window)
        .select(columns)
        .load(db.conn)?;
    rows.extend(
        build(false)
            .order(newest_first)
            .limit(window)
            .select(columns)
            .load::<CaseListRow>(db.conn)?,
    );
    rows.sort_by(|a, b| (b.opened_on, &b.code).cmp(&(a.opened_on, &a.code)));
    let page = rows
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(0))
        .collect();
    Ok((page, own_total + shared_total))
}

/// The counts behind a whole-organisation list with a filter (and no code).
struct OrganisationCounts {
    /// The organisation's own sealed cases that the filter matches and that
    /// are assigned to the user.
    sealed: i64,
    /// The organisation's own unsealed cases that the filter matches.
    unsealed: i64,
    /// The number of cases other organisations shared with this one,
    /// whatever the filter.
    shares: i64,
}

/// Counts, in one statement, what a whole-organisation list with `filter`
/// shows to `user_id`. Unsealed cases are summed from `case_counts`,
/// because counting the matching rows of `cases` read every one of them on
/// each page (see `docs/benchmarks.md`). Sealed cases assigned to the user
/// are counted in `cases` through the sealed-case index.
///
/// The statement is built with diesel's query builder so that each
/// connection prepares it once per filter combination. Raw SQL is prepared
/// again on every use. The sum is cast to `BIGINT` (PostgreSQL sums a
/// `BIGINT` column as `NUMERIC`), and a cast needs the concrete backend,
/// hence one arm per backend.
fn organisation_counts(
    db: &mut Db<'_>,
    organisation_id: &str,
    user_id: &str,
    filter: &CaseFilter,
) -> Result<OrganisationCounts, StoreError> {
    use diesel::dsl::{count_star, sum};
    use diesel::sql_types::{BigInt, Nullable};

    use crate::schema_referrals::case_shares;

    macro_rules! counts {
        ($conn:expr, $backend:ty) => {{
            let assigned = case_assignments::table
                .filter(case_assignments::user_id.eq(user_id))
                .select(case_assignments::case_id);
            let mut sealed = cases::table
                .filter(cases::sealed.eq(true))
                .filter(cases::organisation_id.eq(organisation_id))
                .filter(cases::id.eq_any(assigned))
                .into_boxed::<$backend>();
            let mut unsealed = case_counts::table
                .filter(case_counts::organisation_id.eq(organisation_id))
                .filter(case_counts::sealed.eq(false))
                .into_boxed::<$backend>();
            if let Some(status) = &filter.status {
                sealed = sealed.filter(cases::status.eq(status));
                unsealed = unsealed.filter(case_counts::status.eq(status));
            }
            if let Some(nrm_status) = &filter.nrm_status {
                sealed = sealed.filter(cases::nrm_status.eq(nrm_status));
                unsealed = unsealed.filter(case_counts::nrm_status.eq(nrm_status));
            }
            if let Some(region) = &filter.region {
                sealed = sealed.filter(cases::region.eq(region));
                unsealed = unsealed.filter(case_counts::region.eq(region));
            }
            if let Some(origin) = &filter.origin {
                sealed = sealed.filter(cases::origin.eq(origin));
                unsealed = unsealed.filter(case_counts::origin.eq(origin));
            }
            let unsealed = unsealed
                .select(sum(case_counts::n).fallible_cast::<Nullable<BigInt>>())
                .single_value();
            let shares = case_shares::table
                .filter(case_shares::organisation_id.eq(organisation_id))
                .count()
                .single_value();
            sealed
                .select((count_star(), unsealed, shares))
                .get_result::<(i64, Option<i64>, Option<i64>)>($conn)?
        }};
    }
    let (sealed, unsealed, shares) = match db.conn {
        DbConnection::Sqlite(inner) => counts!(inner, diesel::sqlite::Sqlite),
        DbConnection::Postgresql(inner) => counts!(inner, diesel::pg::Pg),
    };
    Ok(OrganisationCounts {
        sealed,
        unsealed: unsealed.unwrap_or(0),
        shares: shares.unwrap_or(0),
    })
}

/// Counts, row by row in `cases`, the organisation's own cases that a
/// whole-organisation list shows to `user_id`. `organisation_counts` must
/// return the same number; tests compare the two.
pub fn count_own_directly(
    db: &mut Db<'_>,
    organisation_id: &str,
    user_id: &str,
    filter: &CaseFilter,
) -> Result<i64, StoreError> {
    let assigned = case_assignments::table
        .filter(case_assignments::user_id.eq(user_id))
        .select(case_assignments::case_id);
    let mut query = cases::table
        .filter(cases::organisation_id.eq(organisation_id))
        .filter(cases::sealed.eq(false).or(cases::id.eq_any(assigned)))
        .into_boxed();
    if let Some(status) = &filter.status {
        query = query.filter(cases::status.eq(status.clone()));
    }
    if let Some(nrm_status) = &filter.nrm_status {
        query = query.filter(cases::nrm_status.eq(nrm_status.clone()));
    }
    if let Some(region) = &filter.region {
        query = query.filter(cases::region.eq(region.clone()));
    }
    if let Some(origin) = &filter.origin {
        query = query.filter(cases::origin.eq(origin.clone()));
    }
    Ok(query.count().get_result(db.conn)?)
}

/// Whether the case is within `scope` (the same rule as [`list`]), or the
/// user holds a running break-glass grant on a case of their organisation.
pub fn in_scope(db: &mut Db<'_>, scope: &CaseScope, case_id: &str) -> Result<bool, StoreError> {
    let (organisation_id, user_id, assigned_only) = match scope {
        CaseScope::Organisation {
            organisation_id,
            user_id,
        } => (organisation_id, user_id, false),
        CaseScope::Assigned {
            organisation_id,
            user_id,
        } => (organisation_id, user_id, true),
    };
    let found: Option<(String, bool)> = cases::table
        .find(case_id)
        .select((cases::organisation_id, cases::sealed))
        .first(db.conn)
        .optional()?;
    let Some((case_organisation, sealed)) = found else {
        return Ok(false);
    };
    if &case_organisation != organisation_id
        && !crate::referrals::is_shared_with(db, case_id, organisation_id)?
    {
        return Ok(false);
    }
    // An unsealed case is open to the whole organisation scope, so the
    // break-glass grant is looked up only when it could change the result.
    if !assigned_only && !sealed {
        return Ok(true);
    }
    if &case_organisation == organisation_id
        && crate::protection::active_grant(db, case_id, user_id, crate::now())?.is_some()
    {
        return Ok(true);
    }
    let assigned: i64 = case_assignments::table
        .filter(case_assignments::case_id.eq(case_id))
        .filter(case_assignments::user_id.eq(user_id))
        .count()
        .get_result(db.conn)?;
    Ok(assigned > 0)
}

/// The decrypted details of a case's person.
#[derive(Clone)]
pub struct PersonView {
    pub details: PersonDetails,
    pub attributes: PersonAttributes,
}

/// A case with its person and intake referral, for the case page.
pub struct CaseView {
    pub case: Case,
    /// The hosting facility's name, decrypted from `case.facility_enc`.
    pub facility: Option<String>,
    pub person: Option<PersonView>,
    pub intake: Option<IntakeReferral>,
    pub assigned_user_ids: Vec<String>,
}

fn decrypt_opt(
    keys: &procap_crypto::Keyring,
    table: &str,
    column: &str,
    row_id: &str,
    value: &Option<Vec<u8>>,
) -> Result<Option<String>, StoreError> {
    match value {
        None => Ok(None),
        Some(ciphertext) => Ok(Some(
            keys.decrypt_string(
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

/// Loads one case with everything on its page. The caller checks scope first.
pub fn get(db: &mut Db<'_>, case_id: &str) -> Result<CaseView, StoreError> {
    let keys = db.keys;
    let case: Case = cases::table
        .find(case_id)
        .select(Case::as_select())
        .first(db.conn)?;
    let person = match &case.person_id {
        None => None,
        Some(person_id) => {
            let row: PersonRow = persons::table
                .find(person_id)
                .select(PersonRow::as_select())
                .first(db.conn)?;
            let given_name = keys
                .decrypt_string(
                    &FieldContext {
                        table: "persons",
                        column: "given_name_enc",
                        row_id: &row.id,
                    },
                    &row.given_name_enc,
                )?
                .to_string();
            let birth_date = decrypt_opt(
                keys,
                "persons",
                "birth_date_enc",
                &row.id,
                &row.birth_date_enc,
            )?
            .map(|text| {
                text.parse::<NaiveDate>()
                    .map_err(|error| StoreError::Corrupt(error.to_string()))
            })
            .transpose()?;
            Some(PersonView {
                details: PersonDetails {
                    given_name,
                    family_name: decrypt_opt(
                        keys,
                        "persons",
                        "family_name_enc",
                        &row.id,
                        &row.family_name_enc,
                    )?,
                    aliases: decrypt_opt(
                        keys,
                        "persons",
                        "aliases_enc",
                        &row.id,
                        &row.aliases_enc,
                    )?,
                    birth_date,
                    contact: decrypt_opt(
                        keys,
                        "persons",
                        "contact_enc",
                        &row.id,
                        &row.contact_enc,
                    )?,
                    household: decrypt_opt(
                        keys,
                        "persons",
                        "household_enc",
                        &row.id,
                        &row.household_enc,
                    )?,
                    document_numbers: Vec::new(),
                },
                attributes: PersonAttributes {
                    estimated_birth_year: row.estimated_birth_year,
                    sex: row.sex,
                    gender_identity: row.gender_identity,
                    citizenships: row.citizenships,
                    languages: row.languages,
                    interpreter_gender: row.interpreter_gender,
                    legal_status: row.legal_status,
                    vulnerabilities: row.vulnerabilities,
                },
            })
        }
    };
    type IntakeRow = (String, String, NaiveDate, Option<Vec<u8>>, Option<Vec<u8>>);
    let intake_row: Option<IntakeRow> = intake_referrals::table
        .filter(intake_referrals::case_id.eq(case_id))
        .select((
            intake_referrals::id,
            intake_referrals::source,
            intake_referrals::referred_on,
            intake_referrals::referring_contact_enc,
            intake_referrals::reason_enc,
        ))
        .first(db.conn)
        .optional()?;
    let intake = match intake_row {
        None => None,
        Some((id, source, referred_on, contact, reason)) => Some(IntakeReferral {
            source,
            referred_on,
            referring_contact: decrypt_opt(
                keys,
                "intake_referrals",
                "referring_contact_enc",
                &id,
                &contact,
            )?,
            reason: decrypt_opt(keys, "intake_referrals", "reason_enc", &id, &reason)?,
        }),
    };
    let assigned_user_ids = case_assignments::table
        .filter(case_assignments::case_id.eq(case_id))
        .select(case_assignments::user_id)
        .load(db.conn)?;
    let facility = decrypt_opt(keys, "cases", "facility_enc", &case.id, &case.facility_enc)?;
    Ok(CaseView {
        case,
        facility,
        person,
        intake,
        assigned_user_ids,
    })
}

/// Encrypts hosting-facility names that the migration to `facility_enc`
/// set aside in plain text, and deletes them. Runs after the migrations;
/// returns how many cases it moved (none once done).
pub fn encrypt_plain_facilities(db: &mut Db<'_>) -> Result<usize, StoreError> {
    use crate::schema::facility_plain_moves as moves;
    let keys = db.keys;
    let plain: Vec<(String, String)> = moves::table
        .select((moves::case_id, moves::facility))
        .load(db.conn)?;
    if plain.is_empty() {
        return Ok(0);
    }
    write_transaction(db.conn, |conn| {
        for (case_id, facility) in &plain {
            diesel::update(cases::table.find(case_id))
                .set(cases::facility_enc.eq(encrypt_opt(
                    keys,
                    "cases",
                    "facility_enc",
                    case_id,
                    Some(facility),
                )))
                .execute(conn)?;
            diesel::delete(moves::table.find(case_id)).execute(conn)?;
        }
        Ok(plain.len())
    })
}

/// An anonymised historical record (from CTDC or another k-anonymised
/// source): statistics only, no person.
#[derive(Debug, Clone)]
pub struct AnonymisedCase {
    pub registration_year: i32,
    pub sex: String,
    pub age_bracket: Option<String>,
    pub is_minor: bool,
    pub citizenship: Option<String>,
    pub exploitation_types: String,
    pub means_of_control: String,
    pub forced_labour_industry: Option<String>,
    pub trafficker_relationship: Option<String>,
    pub countries_exploitation: String,
}

/// Inserts anonymised records as closed historical cases of an
/// organisation, all in one transaction, calling `progress` with the count
/// done after each batch. Returns how many were inserted.
pub fn import_anonymised(
    db: &mut Db<'_>,
    organisation_id: &str,
    case_code_prefix: &str,
    origin: &str,
    records: &[AnonymisedCase],
    mut progress: impl FnMut(usize),
) -> Result<usize, StoreError> {
    let now = crate::now();
    write_transaction(db.conn, |conn| {
        for (index, record) in records.iter().enumerate() {
            let code = next_case_code(
                conn,
                organisation_id,
                case_code_prefix,
                record.registration_year,
            )?;
            let opened_on =
                NaiveDate::from_ymd_opt(record.registration_year, 1, 1).ok_or_else(|| {
                    StoreError::Corrupt(format!("year {} out of range", record.registration_year))
                })?;
            let case = Case {
                id: crate::new_id(),
                code,
                person_id: None,
                organisation_id: organisation_id.to_owned(),
                status: "closed".to_owned(),
                origin: origin.to_owned(),
                sex: record.sex.clone(),
                age_bracket: record.age_bracket.clone(),
                is_minor: record.is_minor,
                citizenship: record.citizenship.clone(),
                region: "other".to_owned(),
                setting: "unknown".to_owned(),
                facility_enc: None,
                exploitation_types: record.exploitation_types.clone(),
                forced_labour_industry: record.forced_labour_industry.clone(),
                means_of_control: record.means_of_control.clone(),
                recruitment_method: None,
                trafficker_relationship: record.trafficker_relationship.clone(),
                countries_recruitment: String::new(),
                countries_transit: String::new(),
                countries_exploitation: record.countries_exploitation.clone(),
                nrm_status: "not_referred".to_owned(),
                reflection_period_ends_on: None,
                residence_permit_expires_on: None,
                sealed: false,
                registration_year: record.registration_year,
                opened_on,
                closed_on: Some(opened_on),
                closure_reason: None,
                version: 1,
                created_at: now,
                updated_at: now,
            };
            diesel::insert_into(cases::table)
                .values(&case)
                .execute(conn)?;
            if (index + 1) % 500 == 0 {
                progress(index + 1);
            }
        }
        progress(records.len());
        Ok(records.len())
    })
}

/// How many cases of an organisation came from `origin` (e.g. `ctdc_import`).
pub fn count_by_origin(
    db: &mut Db<'_>,
    organisation_id: &str,
    origin: &str,
) -> Result<i64, StoreError> {
    Ok(cases::table
        .filter(cases::organisation_id.eq(organisation_id))
        .filter(cases::origin.eq(origin))
        .count()
        .get_result(db.conn)?)
}

/// A change to a registered case's person and case details, as staff
/// confirmed it on the edit form. The intake referral, status, NRM status
/// and dates of the case are not part of it.
pub struct CaseUpdate<'a> {
    pub case_id: &'a str,
    /// The version the user's form was based on.
    pub expected_version: i32,
    pub person: PersonDetails,
    pub attributes: PersonAttributes,
    pub case: CaseAttributes,
    /// Whether the document-number indexes are replaced by those of
    /// `person.document_numbers`. When false, the old ones are kept.
    pub replace_documents: bool,
}

/// Saves a change to the person and the case if the case is still at
/// `expected_version`, and returns the new version.
///
/// The version check sits in the `UPDATE`'s `WHERE`, so of two edits based
/// on the same version exactly one succeeds. The other gets
/// `StoreError::Conflict("stale")` and nothing of it is written. Encrypted
/// fields are re-encrypted and the blind indexes of the name and birth date
/// (and, when asked, of the document numbers) are rebuilt in the same
/// transaction. Fails with `NotFound` for an unknown case and with
/// `Conflict("no_person")` for an anonymised record.
pub fn update_case(db: &mut Db<'_>, update: CaseUpdate<'_>) -> Result<i32, StoreError> {
    let keys = db.keys;
    let now = crate::now();
    let person = &update.person;
    let attributes = &update.attributes;
    let details = &update.case;
    let indexes = identifier_indexes(keys, person);
    let case_id = update.case_id;
    let expected_version = update.expected_version;
    let replace_documents = update.replace_documents;

    write_transaction(db.conn, |conn| {
        let person_id: Option<String> = cases::table
            .find(case_id)
            .select(cases::person_id)
            .first(conn)?;
        let Some(person_id) = person_id else {
            return Err(StoreError::Conflict("no_person"));
        };

        let updated = diesel::update(
            cases::table
                .find(case_id)
                .filter(cases::version.eq(expected_version)),
        )
        .set((
            cases::sex.eq(&attributes.sex),
            cases::age_bracket.eq(&details.age_bracket),
            cases::is_minor.eq(details.is_minor),
            cases::citizenship.eq(attributes
                .citizenships
                .split(';')
                .next()
                .filter(|code| !code.is_empty())),
            cases::region.eq(&details.region),
            cases::setting.eq(&details.setting),
            cases::facility_enc.eq(encrypt_opt(
                keys,
                "cases",
                "facility_enc",
                case_id,
                details.facility.as_deref(),
            )),
            cases::exploitation_types.eq(&details.exploitation_types),
            cases::forced_labour_industry.eq(&details.forced_labour_industry),
            cases::means_of_control.eq(&details.means_of_control),
            cases::recruitment_method.eq(&details.recruitment_method),
            cases::trafficker_relationship.eq(&details.trafficker_relationship),
            cases::countries_recruitment.eq(&details.countries_recruitment),
            cases::countries_transit.eq(&details.countries_transit),
            cases::countries_exploitation.eq(&details.countries_exploitation),
            cases::version.eq(expected_version + 1),
            cases::updated_at.eq(now),
        ))
        .execute(conn)?;
        if updated != 1 {
            return Err(StoreError::Conflict("stale"));
        }

        let encrypt = |column: &str, value: Option<&str>| {
            encrypt_opt(keys, "persons", column, &person_id, value)
        };
        diesel::update(persons::table.find(&person_id))
            .set((
                persons::given_name_enc.eq(keys.encrypt_str(
                    &FieldContext {
                        table: "persons",
                        column: "given_name_enc",
                        row_id: &person_id,
                    },
                    &person.given_name,
                )),
                persons::family_name_enc
                    .eq(encrypt("family_name_enc", person.family_name.as_deref())),
                persons::aliases_enc.eq(encrypt("aliases_enc", person.aliases.as_deref())),
                persons::birth_date_enc.eq(encrypt(
                    "birth_date_enc",
                    person.birth_date.map(|date| date.to_string()).as_deref(),
                )),
                persons::estimated_birth_year.eq(attributes.estimated_birth_year),
                persons::sex.eq(&attributes.sex),
                persons::gender_identity.eq(&attributes.gender_identity),
                persons::citizenships.eq(&attributes.citizenships),
                persons::languages.eq(&attributes.languages),
                persons::interpreter_gender.eq(&attributes.interpreter_gender),
                persons::legal_status.eq(&attributes.legal_status),
                persons::contact_enc.eq(encrypt("contact_enc", person.contact.as_deref())),
                persons::household_enc.eq(encrypt("household_enc", person.household.as_deref())),
                persons::vulnerabilities.eq(&attributes.vulnerabilities),
                persons::updated_at.eq(now),
            ))
            .execute(conn)?;

        let mut rebuilt = vec![INDEX_NAME, INDEX_BIRTH_DATE];
        if replace_documents {
            rebuilt.push(INDEX_DOCUMENT);
        }
        diesel::delete(
            person_identifiers::table
                .filter(person_identifiers::person_id.eq(&person_id))
                .filter(person_identifiers::kind.eq_any(&rebuilt)),
        )
        .execute(conn)?;
        for (kind, index) in indexes.iter().filter(|(kind, _)| rebuilt.contains(kind)) {
            diesel::insert_into(person_identifiers::table)
                .values((
                    person_identifiers::id.eq(crate::new_id()),
                    person_identifiers::person_id.eq(&person_id),
                    person_identifiers::kind.eq(*kind),
                    person_identifiers::blind_index.eq(index),
                ))
                .execute(conn)?;
        }
        Ok(expected_version + 1)
    })
}

/// Counts the indexed document numbers of a case's person, for the edit
/// form's hint. The numbers themselves are not stored.
pub fn document_count(db: &mut Db<'_>, case_id: &str) -> Result<i64, StoreError> {
    let person_id: Option<String> = cases::table
        .find(case_id)
        .select(cases::person_id)
        .first(db.conn)?;
    let Some(person_id) = person_id else {
        return Ok(0);
    };
    Ok(person_identifiers::table
        .filter(person_identifiers::person_id.eq(person_id))
        .filter(person_identifiers::kind.eq(INDEX_DOCUMENT))
        .count()
        .get_result(db.conn)?)
}

// --- Case team ---------------------------------------------------------------

/// The roles a coordinator may assign to a case. Interpreters and escorts
/// reach cases through appointments; other roles never hold case work.
pub const TEAM_ROLES: [procap_domain::role::Role; 3] = [
    procap_domain::role::Role::Caseworker,
    procap_domain::role::Role::Psychologist,
    procap_domain::role::Role::Lawyer,
];

/// One staff member on a case's team, or one who could join it: the
/// display name and role only.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct TeamMember {
    pub user_id: String,
    pub display_name: String,
    /// The stored role identifier (`Role::as_str`).
    pub role: String,
}

/// Lists the staff assigned to a case, by display name.
pub fn team(db: &mut Db<'_>, case_id: &str) -> Result<Vec<TeamMember>, StoreError> {
    use crate::schema::users;
    Ok(case_assignments::table
        .inner_join(users::table)
        .filter(case_assignments::case_id.eq(case_id))
        .select((users::id, users::display_name, users::role))
        .order((users::display_name.asc(), users::id.asc()))
        .load(db.conn)?)
}

/// Lists the active users of `organisation_id` whose role is in
/// [`TEAM_ROLES`], by display name. Users of other organisations never appear.
pub fn assignable_staff(
    db: &mut Db<'_>,
    organisation_id: &str,
) -> Result<Vec<TeamMember>, StoreError> {
    use crate::schema::users;
    let roles: Vec<&str> = TEAM_ROLES.iter().map(|role| role.as_str()).collect();
    Ok(users::table
        .filter(users::organisation_id.eq(organisation_id))
        .filter(users::disabled.eq(false))
        .filter(users::role.eq_any(roles))
        .select((users::id, users::display_name, users::role))
        .order((users::display_name.asc(), users::id.asc()))
        .load(db.conn)?)
}

/// Runs `work` in a write transaction that locks the case row, so two
/// team changes of one case never interleave.
fn team_transaction<T>(
    conn: &mut DbConnection,
    case_id: &str,
    work: impl FnOnce(&mut DbConnection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    match conn {
        DbConnection::Sqlite(_) => write_transaction(conn, work),
        DbConnection::Postgresql(_) => conn.transaction(|conn| {
            if let DbConnection::Postgresql(pg) = conn {
                cases::table
                    .find(case_id)
                    .select(cases::id)
                    .for_update()
                    .first::<String>(pg)?;
            }
            work(conn)
        }),
    }
}

/// Assigns `user_id` to the case. Returns `false` when they already were.
/// Fails with `NotFound` for an unknown case and with
/// `Conflict("not_assignable")` when the user is unknown, disabled, of
/// another organisation than the case's, or has a role outside
/// [`TEAM_ROLES`].
pub fn assign(db: &mut Db<'_>, case_id: &str, user_id: &str) -> Result<bool, StoreError> {
    use crate::schema::users;
    let now = crate::now();
    team_transaction(db.conn, case_id, |conn| {
        let organisation_id: String = cases::table
            .find(case_id)
            .select(cases::organisation_id)
            .first(conn)?;
        let user: Option<(String, String, bool)> = users::table
            .find(user_id)
            .select((users::organisation_id, users::role, users::disabled))
            .first(conn)
            .optional()?;
        let eligible = user.is_some_and(|(user_organisation, role, disabled)| {
            user_organisation == organisation_id
                && !disabled
                && TEAM_ROLES
                    .iter()
                    .any(|team_role| team_role.as_str() == role)
        });
        if !eligible {
            return Err(StoreError::Conflict("not_assignable"));
        }
        let existing: i64 = case_assignments::table
            .filter(case_assignments::case_id.eq(case_id))
            .filter(case_assignments::user_id.eq(user_id))
            .count()
            .get_result(conn)?;
        if existing > 0 {
            return Ok(false);
        }
        diesel::insert_into(case_assignments::table)
            .values((
                case_assignments::case_id.eq(case_id),
                case_assignments::user_id.eq(user_id),
                case_assignments::assigned_at.eq(now),
            ))
            .execute(conn)?;
        Ok(true)
    })
}

/// Removes `user_id` from the case's team. Fails with `NotFound` when the
/// user is not assigned and with `Conflict("last_caseworker")` when they
/// are the case's only assigned caseworker.
pub fn unassign(db: &mut Db<'_>, case_id: &str, user_id: &str) -> Result<(), StoreError> {
    use crate::schema::users;
    let caseworker = procap_domain::role::Role::Caseworker.as_str();
    team_transaction(db.conn, case_id, |conn| {
        let role: Option<String> = case_assignments::table
            .inner_join(users::table)
            .filter(case_assignments::case_id.eq(case_id))
            .filter(case_assignments::user_id.eq(user_id))
            .select(users::role)
            .first(conn)
            .optional()?;
        let Some(role) = role else {
            return Err(StoreError::NotFound);
        };
        if role == caseworker {
            let caseworkers: i64 = case_assignments::table
                .inner_join(users::table)
                .filter(case_assignments::case_id.eq(case_id))
                .filter(users::role.eq(caseworker))
                .count()
                .get_result(conn)?;
            if caseworkers <= 1 {
                return Err(StoreError::Conflict("last_caseworker"));
            }
        }
        diesel::delete(
            case_assignments::table
                .filter(case_assignments::case_id.eq(case_id))
                .filter(case_assignments::user_id.eq(user_id)),
        )
        .execute(conn)?;
        Ok(())
    })
}
