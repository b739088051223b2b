//! Screenings, NRM changes with optimistic locking, service records,
//! consents and closure on every available backend.

use chrono::NaiveDate;
use procap_store::case_records::{self, NewConsent, NewScreening, NewServiceRecord, NrmChange};
use procap_store::cases::{self, PersonDetails, Registration};
use procap_store::testing::TestDatabase;
use procap_store::{Db, StoreError, organisations, users};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A case registered by a caseworker, and another organisation's id.
fn setup(db: &mut Db<'_>) -> (cases::Case, users::User, String) {
    let ngo = organisations::create(db, "Οργάνωση", "ngo", "OA").unwrap();
    let other = organisations::create(db, "Άλλη", "ngo", "AL").unwrap();
    let caseworker = users::create(
        db,
        &users::NewUser {
            organisation_id: &ngo.id,
            username: "cw",
            display_name: "Δοκιμή Λειτουργού",
            email: None,
            role: "caseworker",
            password_hash: "x",
            must_change_password: false,
            locale: "el",
        },
    )
    .unwrap();
    let case = cases::register(
        db,
        Registration {
            organisation_id: &ngo.id,
            case_code_prefix: "OA",
            created_by: &caseworker.id,
            person: PersonDetails {
                given_name: "Δοκιμή".into(),
                ..PersonDetails::default()
            },
            attributes: cases::PersonAttributes {
                sex: "female".into(),
                legal_status: "other".into(),
                ..Default::default()
            },
            case: cases::CaseAttributes {
                region: "attica".into(),
                setting: "urban_area".into(),
                opened_on: date(2026, 1, 10),
                ..Default::default()
            },
            intake: cases::IntakeReferral {
                source: "ngo".into(),
                referred_on: date(2026, 1, 9),
                referring_contact: None,
                reason: None,
            },
        },
    )
    .unwrap();
    (case, caseworker, other.id)
}

#[test]
fn stale_version_is_a_conflict_and_nothing_changes() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let (case, caseworker, _) = setup(db);
                let change = NrmChange {
                    case_id: &case.id,
                    expected_version: case.version,
                    status: "referred",
                    occurred_on: date(2026, 1, 12),
                    reference: Some("Έντυπο 123/2026"),
                    reflection_period_ends_on: None,
                    residence_permit_expires_on: None,
                    recorded_by: &caseworker.id,
                };
                case_records::change_nrm_status(db, &change)?;
                let stale = NrmChange {
                    status: "presumed_victim",
                    ..change
                };
                assert!(matches!(
                    case_records::change_nrm_status(db, &stale),
                    Err(StoreError::Conflict("stale"))
                ));

                let view = cases::get(db, &case.id)?;
                assert_eq!(view.case.nrm_status, "referred", "{:?}", database.backend());
                assert_eq!(view.case.version, case.version + 1);
                let history = case_records::list_nrm_events(db, &case.id)?;
                assert_eq!(history.len(), 1);
                assert_eq!(history[0].reference.as_deref(), Some("Έντυπο 123/2026"));

                assert!(matches!(
                    case_records::close(
                        db,
                        &case.id,
                        case.version,
                        date(2026, 6, 1),
                        "assistance_completed"
                    ),
                    Err(StoreError::Conflict("stale"))
                ));
                case_records::close(
                    db,
                    &case.id,
                    case.version + 1,
                    date(2026, 6, 1),
                    "assistance_completed",
                )?;
                assert_eq!(cases::get(db, &case.id)?.case.status, "closed");
                case_records::reopen(db, &case.id, case.version + 2)?;
                assert_eq!(cases::get(db, &case.id)?.case.status, "open");
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn consent_is_per_purpose_recipient_and_date() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let (case, caseworker, other) = setup(db);
                let consent = NewConsent {
                    case_id: &case.id,
                    purpose: "sharing",
                    recipient_organisation_id: Some(&other),
                    given: true,
                    recorded_on: date(2026, 2, 1),
                    language: "en",
                    recorded_by: &caseworker.id,
                };
                let id = case_records::record_consent(db, &consent)?;
                assert!(case_records::has_consent(
                    db,
                    &case.id,
                    "sharing",
                    Some(&other),
                    date(2026, 2, 1)
                )?);
                assert!(!case_records::has_consent(
                    db,
                    &case.id,
                    "sharing",
                    Some(&other),
                    date(2026, 1, 31)
                )?);
                assert!(!case_records::has_consent(
                    db,
                    &case.id,
                    "sharing",
                    Some("someone-else"),
                    date(2026, 2, 2)
                )?);
                assert!(!case_records::has_consent(
                    db,
                    &case.id,
                    "photographs",
                    None,
                    date(2026, 2, 2)
                )?);
                case_records::withdraw_consent(db, &case.id, &id, date(2026, 3, 1))?;
                assert!(case_records::has_consent(
                    db,
                    &case.id,
                    "sharing",
                    Some(&other),
                    date(2026, 2, 28)
                )?);
                assert!(!case_records::has_consent(
                    db,
                    &case.id,
                    "sharing",
                    Some(&other),
                    date(2026, 3, 1)
                )?);
                assert!(
                    case_records::withdraw_consent(db, &case.id, &id, date(2026, 3, 2)).is_err()
                );
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn service_records_and_screenings_round_trip() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let (case, caseworker, _) = setup(db);
                for day in 1..=3 {
                    case_records::add_service_record(
                        db,
                        &NewServiceRecord {
                            case_id: &case.id,
                            line: "interpretation",
                            occurred_on: date(2026, 2, day),
                            duration_minutes: 60,
                            staff_user_id: &caseworker.id,
                            beneficiary_present: true,
                            details: &serde_json::json!({ "language": "ti", "mode": "in_person" }),
                            outcome: Some("completed"),
                            notes: Some("Σημείωση δοκιμής"),
                        },
                    )?;
                }
                let (records, total) = case_records::list_service_records(db, &case.id, 0, 2)?;
                assert_eq!(total, 3);
                assert_eq!(records.len(), 2);
                assert_eq!(records[0].occurred_on, date(2026, 2, 3));
                assert_eq!(records[0].details["language"], "ti");
                assert_eq!(records[0].notes.as_deref(), Some("Σημείωση δοκιμής"));
                assert_eq!(records[0].staff_username, "cw");
                assert_eq!(records[0].staff_name, "Δοκιμή Λειτουργού");

                case_records::record_screening(
                    db,
                    &NewScreening {
                        case_id: &case.id,
                        age_group: "adult",
                        exploitation_form: "labour",
                        indicators: "a;b",
                        trafficking_indicated: true,
                        positive_dimensions: "deceptive_recruitment",
                        notes: None,
                        screened_by: &caseworker.id,
                    },
                )?;
                let screenings = case_records::list_screenings(db, &case.id)?;
                assert_eq!(screenings.len(), 1);
                assert!(screenings[0].trafficking_indicated);
                assert_eq!(screenings[0].screened_by, "cw");
                assert_eq!(screenings[0].screened_by_name, "Δοκιμή Λειτουργού");
                Ok(())
            })
            .unwrap();
    }
}
