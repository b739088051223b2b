//! Bulk insertion of whole cases with their records, for the scale
//! generator (`procap generate`) and the benchmarks.
//!
//! Every row is written the way the single-row functions write it: person
//! identifiers and free text are encrypted with the real field keys and
//! bound to their row, identifiers get real blind indexes, and case codes
//! come from the organisation's counters. A batch runs in one write
//! transaction, so a batch of cases costs one commit instead of hundreds.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use procap_crypto::{FieldContext, Keyring};

use crate::cases::{
    CaseAttributes, IntakeReferral, PersonAttributes, PersonDetails, identifier_indexes,
};
use crate::schema::{
    case_assignments, case_counters, cases, consents, intake_referrals, person_identifiers,
    persons, service_records,
};
use crate::schema_appointments::appointments;
use crate::schema_plan::{case_plan_goals, case_plan_review_goals, case_plan_reviews, case_plans};
use crate::schema_referrals::{case_shares, referrals};
use crate::{Db, DbConnection, StoreError};

/// A service record of a generated case.
#[derive(Debug, Clone)]
pub struct BulkService {
    pub line: &'static str,
    pub occurred_on: NaiveDate,
    pub duration_minutes: i32,
    pub staff_user_id: String,
    pub beneficiary_present: bool,
    /// The line's typed fields (codes and numbers), as the service form stores them.
    pub details: serde_json::Value,
    pub outcome: Option<&'static str>,
    /// Free text; encrypted.
    pub notes: Option<String>,
}

/// An interpretation or escort appointment of a generated case.
#[derive(Debug, Clone)]
pub struct BulkAppointment {
    pub kind: &'static str,
    pub staff_user_id: String,
    pub starts_at: NaiveDateTime,
    pub duration_minutes: i32,
    /// Where it takes place; encrypted.
    pub place: String,
    pub language: Option<String>,
    pub status: &'static str,
}

/// A consent of a generated case.
#[derive(Debug, Clone)]
pub struct BulkConsent {
    pub purpose: &'static str,
    pub recipient_organisation_id: Option<String>,
    pub given: bool,
    pub recorded_on: NaiveDate,
    pub language: String,
}

/// A referral of a generated case to another organisation. An accepted or
/// completed referral shares the case with the receiving organisation.
#[derive(Debug, Clone)]
pub struct BulkReferral {
    pub to_organisation_id: String,
    pub service_line: &'static str,
    pub status: &'static str,
    /// Why the case is referred; encrypted.
    pub reason: String,
    pub referred_on: NaiveDate,
    /// A user of the receiving organisation who answered, for answered referrals.
    pub responded_by: Option<String>,
}

/// A goal of a generated case plan.
#[derive(Debug, Clone)]
pub struct BulkGoal {
    pub support_type: &'static str,
    /// What the goal is; encrypted.
    pub description: String,
    pub responsible_user_id: String,
    pub agreed_on: NaiveDate,
    pub due_on: NaiveDate,
    pub progress: &'static str,
}

/// An approved case plan with its goals and, optionally, one review.
#[derive(Debug, Clone)]
pub struct BulkPlan {
    pub approved_by: String,
    pub goals: Vec<BulkGoal>,
    pub reviewed_on: Option<NaiveDate>,
}

/// A whole generated case: the registration and everything recorded since.
#[derive(Clone)]
pub struct BulkCase {
    pub person: PersonDetails,
    pub attributes: PersonAttributes,
    pub case: CaseAttributes,
    pub intake: IntakeReferral,
    /// The caseworker assigned to the case, who also records its consents,
    /// plan and referrals.
    pub caseworker_id: String,
    pub nrm_status: &'static str,
    /// Closure date and reason of a closed case.
    pub closed: Option<(NaiveDate, &'static str)>,
    pub services: Vec<BulkService>,
    pub appointments: Vec<BulkAppointment>,
    pub consents: Vec<BulkConsent>,
    pub referrals: Vec<BulkReferral>,
    pub plan: Option<BulkPlan>,
}

/// A case as inserted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsertedCase {
    pub id: String,
    pub code: String,
}

/// How many rows of each kind a call inserted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkCounts {
    pub cases: usize,
    pub services: usize,
    pub appointments: usize,
    pub consents: usize,
    pub referrals: usize,
    pub plans: usize,
    pub reviews: usize,
}

impl std::ops::AddAssign for BulkCounts {
    fn add_assign(&mut self, other: BulkCounts) {
        self.cases += other.cases;
        self.services += other.services;
        self.appointments += other.appointments;
        self.consents += other.consents;
        self.referrals += other.referrals;
        self.plans += other.plans;
        self.reviews += other.reviews;
    }
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

/// Reserves `count` consecutive case codes of an organisation for `year`
/// and returns the first sequence number. Runs inside the caller's
/// transaction; on PostgreSQL the counter row is locked.
fn reserve_sequences(
    conn: &mut DbConnection,
    organisation_id: &str,
    year: i32,
    count: i32,
) -> Result<i32, StoreError> {
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
    match current {
        Some(first) => {
            diesel::update(case_counters::table.find((organisation_id, year)))
                .set(case_counters::next_sequence.eq(first + count))
                .execute(conn)?;
            Ok(first)
        }
        None => {
            diesel::insert_into(case_counters::table)
                .values((
                    case_counters::organisation_id.eq(organisation_id),
                    case_counters::year.eq(year),
                    case_counters::next_sequence.eq(1 + count),
                ))
                .execute(conn)?;
            Ok(1)
        }
    }
}

/// Inserts `batch` as cases of one organisation in one write transaction
/// and returns them in order with their codes.
pub fn insert_cases(
    db: &mut Db<'_>,
    organisation_id: &str,
    case_code_prefix: &str,
    batch: &[BulkCase],
) -> Result<(Vec<InsertedCase>, BulkCounts), StoreError> {
    let keys = db.keys;
    let now = crate::now();
    crate::db::write_transaction(db.conn, |conn| {
        // Codes first: one counter update per year in the batch.
        let mut per_year: std::collections::BTreeMap<i32, i32> = Default::default();
        for generated in batch {
            *per_year.entry(generated.case.opened_on.year()).or_default() += 1;
        }
        let mut next: std::collections::BTreeMap<i32, i32> = Default::default();
        for (year, count) in per_year {
            next.insert(year, reserve_sequences(conn, organisation_id, year, count)?);
        }

        let mut inserted = Vec::with_capacity(batch.len());
        let mut counts = BulkCounts::default();
        for generated in batch {
            let year = generated.case.opened_on.year();
            let sequence = next.get_mut(&year).ok_or(StoreError::NotFound)?;
            let code = format!("{case_code_prefix}-{year}-{sequence:05}");
            *sequence += 1;
            let case_id = insert_one(conn, keys, now, organisation_id, &code, generated)?;
            counts.cases += 1;
            counts.services += generated.services.len();
            counts.appointments += generated.appointments.len();
            counts.consents += generated.consents.len();
            counts.referrals += generated.referrals.len();
            if let Some(plan) = &generated.plan {
                counts.plans += 1;
                counts.reviews += usize::from(plan.reviewed_on.is_some());
            }
            inserted.push(InsertedCase { id: case_id, code });
        }
        Ok((inserted, counts))
    })
}

fn insert_one(
    conn: &mut DbConnection,
    keys: &Keyring,
    now: NaiveDateTime,
    organisation_id: &str,
    code: &str,
    generated: &BulkCase,
) -> Result<String, StoreError> {
    let person_id = crate::new_id();
    let case_id = crate::new_id();
    let person = &generated.person;
    let attributes = &generated.attributes;
    diesel::insert_into(persons::table)
        .values((
            persons::id.eq(&person_id),
            persons::organisation_id.eq(organisation_id),
            persons::given_name_enc.eq(encrypt(
                keys,
                "persons",
                "given_name_enc",
                &person_id,
                &person.given_name,
            )),
            persons::family_name_enc.eq(encrypt_opt(
                keys,
                "persons",
                "family_name_enc",
                &person_id,
                person.family_name.as_deref(),
            )),
            persons::aliases_enc.eq(encrypt_opt(
                keys,
                "persons",
                "aliases_enc",
                &person_id,
                person.aliases.as_deref(),
            )),
            persons::birth_date_enc.eq(encrypt_opt(
                keys,
                "persons",
                "birth_date_enc",
                &person_id,
                person.birth_date.map(|date| date.to_string()).as_deref(),
            )),
            persons::estimated_birth_year.eq(attributes.estimated_birth_year),
            persons::sex.eq(&attributes.sex),
            persons::gender_identity.eq(&attributes.gender_identity),
            persons::citizenships.eq(&attributes.citizenships),
            persons::languages.eq(&attributes.languages),
            persons::interpreter_gender.eq(&attributes.interpreter_gender),
            persons::legal_status.eq(&attributes.legal_status),
            persons::contact_enc.eq(encrypt_opt(
                keys,
                "persons",
                "contact_enc",
                &person_id,
                person.contact.as_deref(),
            )),
            persons::household_enc.eq(encrypt_opt(
                keys,
                "persons",
                "household_enc",
                &person_id,
                person.household.as_deref(),
            )),
            persons::vulnerabilities.eq(&attributes.vulnerabilities),
            persons::created_at.eq(now),
            persons::updated_at.eq(now),
        ))
        .execute(conn)?;
    for (kind, index) in identifier_indexes(keys, person) {
        diesel::insert_into(person_identifiers::table)
            .values((
                person_identifiers::id.eq(crate::new_id()),
                person_identifiers::person_id.eq(&person_id),
                person_identifiers::kind.eq(kind),
                person_identifiers::blind_index.eq(index),
            ))
            .execute(conn)?;
    }

    let details = &generated.case;
    let case = crate::cases::Case {
        id: case_id.clone(),
        code: code.to_owned(),
        person_id: Some(person_id),
        organisation_id: organisation_id.to_owned(),
        status: if generated.closed.is_some() {
            "closed"
        } else {
            "open"
        }
        .to_owned(),
        origin: "procap".to_owned(),
        sex: attributes.sex.clone(),
        age_bracket: details.age_bracket.clone(),
        is_minor: details.is_minor,
        citizenship: attributes
            .citizenships
            .split(';')
            .next()
            .filter(|code| !code.is_empty())
            .map(str::to_owned),
        region: details.region.clone(),
        setting: details.setting.clone(),
        facility_enc: encrypt_opt(
            keys,
            "cases",
            "facility_enc",
            &case_id,
            details.facility.as_deref(),
        ),
        exploitation_types: details.exploitation_types.clone(),
        forced_labour_industry: details.forced_labour_industry.clone(),
        means_of_control: details.means_of_control.clone(),
        recruitment_method: details.recruitment_method.clone(),
        trafficker_relationship: details.trafficker_relationship.clone(),
        countries_recruitment: details.countries_recruitment.clone(),
        countries_transit: details.countries_transit.clone(),
        countries_exploitation: details.countries_exploitation.clone(),
        nrm_status: generated.nrm_status.to_owned(),
        reflection_period_ends_on: None,
        residence_permit_expires_on: None,
        sealed: false,
        registration_year: details.opened_on.year(),
        opened_on: details.opened_on,
        closed_on: generated.closed.map(|(on, _)| on),
        closure_reason: generated.closed.map(|(_, reason)| reason.to_owned()),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(cases::table)
        .values(&case)
        .execute(conn)?;

    let intake = &generated.intake;
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
            case_assignments::user_id.eq(&generated.caseworker_id),
            case_assignments::assigned_at.eq(now),
        ))
        .execute(conn)?;

    for service in &generated.services {
        let id = crate::new_id();
        diesel::insert_into(service_records::table)
            .values((
                service_records::id.eq(&id),
                service_records::case_id.eq(&case_id),
                service_records::line.eq(service.line),
                service_records::occurred_on.eq(service.occurred_on),
                service_records::duration_minutes.eq(service.duration_minutes),
                service_records::staff_user_id.eq(&service.staff_user_id),
                service_records::beneficiary_present.eq(service.beneficiary_present),
                service_records::details.eq(service.details.to_string()),
                service_records::outcome.eq(service.outcome),
                service_records::notes_enc.eq(encrypt_opt(
                    keys,
                    "service_records",
                    "notes_enc",
                    &id,
                    service.notes.as_deref(),
                )),
                service_records::created_at.eq(now),
            ))
            .execute(conn)?;
    }

    for appointment in &generated.appointments {
        let id = crate::new_id();
        diesel::insert_into(appointments::table)
            .values((
                appointments::id.eq(&id),
                appointments::case_id.eq(&case_id),
                appointments::kind.eq(appointment.kind),
                appointments::staff_user_id.eq(&appointment.staff_user_id),
                appointments::starts_at.eq(appointment.starts_at),
                appointments::ends_at.eq(appointment.starts_at
                    + chrono::Duration::minutes(i64::from(appointment.duration_minutes))),
                appointments::duration_minutes.eq(appointment.duration_minutes),
                appointments::place_enc.eq(encrypt(
                    keys,
                    "appointments",
                    "place_enc",
                    &id,
                    &appointment.place,
                )),
                appointments::language.eq(&appointment.language),
                appointments::dialect.eq(None::<String>),
                appointments::preferred_gender.eq(None::<String>),
                appointments::status.eq(appointment.status),
                appointments::service_record_id.eq(None::<String>),
                appointments::requested_by.eq(&generated.caseworker_id),
                appointments::created_at.eq(now),
                appointments::updated_at.eq(now),
            ))
            .execute(conn)?;
    }

    for consent in &generated.consents {
        diesel::insert_into(consents::table)
            .values((
                consents::id.eq(crate::new_id()),
                consents::case_id.eq(&case_id),
                consents::purpose.eq(consent.purpose),
                consents::recipient_organisation_id.eq(&consent.recipient_organisation_id),
                consents::given.eq(consent.given),
                consents::recorded_on.eq(consent.recorded_on),
                consents::language.eq(&consent.language),
                consents::recorded_by.eq(&generated.caseworker_id),
                consents::created_at.eq(now),
            ))
            .execute(conn)?;
    }

    for referral in &generated.referrals {
        let id = crate::new_id();
        let answered = referral.responded_by.is_some();
        diesel::insert_into(referrals::table)
            .values((
                referrals::id.eq(&id),
                referrals::case_id.eq(&case_id),
                referrals::from_organisation_id.eq(organisation_id),
                referrals::to_organisation_id.eq(&referral.to_organisation_id),
                referrals::service_line.eq(referral.service_line),
                referrals::is_transfer.eq(false),
                referrals::status.eq(referral.status),
                referrals::reason_enc.eq(encrypt_opt(
                    keys,
                    "referrals",
                    "reason_enc",
                    &id,
                    Some(&referral.reason),
                )),
                referrals::consent_overridden.eq(false),
                referrals::override_reason_enc.eq(None::<Vec<u8>>),
                referrals::response_reason_enc.eq(None::<Vec<u8>>),
                referrals::referred_on.eq(referral.referred_on),
                referrals::referred_by.eq(&generated.caseworker_id),
                referrals::responded_by.eq(&referral.responded_by),
                referrals::responded_at.eq(answered.then_some(now)),
                referrals::created_at.eq(now),
                referrals::updated_at.eq(now),
            ))
            .execute(conn)?;
        if matches!(
            referral.status,
            crate::referrals::STATUS_ACCEPTED | crate::referrals::STATUS_COMPLETED
        ) {
            diesel::insert_into(case_shares::table)
                .values((
                    case_shares::case_id.eq(&case_id),
                    case_shares::organisation_id.eq(&referral.to_organisation_id),
                    case_shares::referral_id.eq(&id),
                    case_shares::shared_at.eq(now),
                ))
                .execute(conn)?;
        }
    }

    if let Some(plan) = &generated.plan {
        insert_plan(conn, keys, now, &case_id, &generated.caseworker_id, plan)?;
    }
    Ok(case_id)
}

fn insert_plan(
    conn: &mut DbConnection,
    keys: &Keyring,
    now: NaiveDateTime,
    case_id: &str,
    caseworker_id: &str,
    plan: &BulkPlan,
) -> Result<(), StoreError> {
    let plan_id = crate::new_id();
    diesel::insert_into(case_plans::table)
        .values((
            case_plans::id.eq(&plan_id),
            case_plans::case_id.eq(case_id),
            case_plans::status.eq("approved"),
            case_plans::return_comment_enc.eq(None::<Vec<u8>>),
            case_plans::submitted_by.eq(Some(caseworker_id)),
            case_plans::submitted_at.eq(Some(now)),
            case_plans::decided_by.eq(Some(&plan.approved_by)),
            case_plans::decided_at.eq(Some(now)),
            case_plans::version.eq(1),
            case_plans::created_by.eq(caseworker_id),
            case_plans::created_at.eq(now),
            case_plans::updated_at.eq(now),
        ))
        .execute(conn)?;
    let mut goal_ids = Vec::with_capacity(plan.goals.len());
    for goal in &plan.goals {
        let id = crate::new_id();
        let open = !matches!(goal.progress, "achieved" | "dropped");
        diesel::insert_into(case_plan_goals::table)
            .values((
                case_plan_goals::id.eq(&id),
                case_plan_goals::plan_id.eq(&plan_id),
                case_plan_goals::case_id.eq(case_id),
                case_plan_goals::support_type.eq(goal.support_type),
                case_plan_goals::description_enc.eq(encrypt(
                    keys,
                    "case_plan_goals",
                    "description_enc",
                    &id,
                    &goal.description,
                )),
                case_plan_goals::responsible_user_id.eq(&goal.responsible_user_id),
                case_plan_goals::agreed_on.eq(goal.agreed_on),
                case_plan_goals::due_on.eq(goal.due_on),
                case_plan_goals::next_review_on.eq(open.then_some(goal.due_on)),
                case_plan_goals::progress.eq(goal.progress),
                case_plan_goals::version.eq(1),
                case_plan_goals::created_at.eq(now),
                case_plan_goals::updated_at.eq(now),
            ))
            .execute(conn)?;
        goal_ids.push((id, goal.progress));
    }
    if let Some(reviewed_on) = plan.reviewed_on {
        let review_id = crate::new_id();
        diesel::insert_into(case_plan_reviews::table)
            .values((
                case_plan_reviews::id.eq(&review_id),
                case_plan_reviews::plan_id.eq(&plan_id),
                case_plan_reviews::reviewed_on.eq(reviewed_on),
                case_plan_reviews::next_review_on.eq(Some(reviewed_on + chrono::Days::new(90))),
                case_plan_reviews::reviewed_by.eq(caseworker_id),
                case_plan_reviews::created_at.eq(now),
            ))
            .execute(conn)?;
        for (goal_id, progress) in goal_ids {
            let id = crate::new_id();
            diesel::insert_into(case_plan_review_goals::table)
                .values((
                    case_plan_review_goals::id.eq(&id),
                    case_plan_review_goals::review_id.eq(&review_id),
                    case_plan_review_goals::goal_id.eq(&goal_id),
                    case_plan_review_goals::progress.eq(progress),
                    case_plan_review_goals::note_enc.eq(Some(encrypt(
                        keys,
                        "case_plan_review_goals",
                        "note_enc",
                        &id,
                        "Πρόοδος σύμφωνα με το σχέδιο (δοκιμαστικά δεδομένα)",
                    ))),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}
