//! Bulk import of migrated cases on every available backend: codes,
//! encryption, blind indexes, closure and the all-or-nothing transaction.

use chrono::{Datelike, NaiveDate};
use procap_store::case_import::{self, ImportedCase};
use procap_store::cases::{
    self, CaseAttributes, CaseFilter, CaseScope, IntakeReferral, PersonAttributes, PersonDetails,
};
use procap_store::testing::TestDatabase;
use procap_store::{organisations, users};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn imported(given_name: &str, opened_on: NaiveDate, document: &str) -> ImportedCase {
    ImportedCase {
        person: PersonDetails {
            given_name: given_name.to_owned(),
            family_name: Some("Δοκιμή".to_owned()),
            birth_date: Some(date(1995, 5, 17)),
            contact: Some("+30 6900000000".to_owned()),
            document_numbers: vec![document.to_owned()],
            ..PersonDetails::default()
        },
        attributes: PersonAttributes {
            sex: "female".to_owned(),
            citizenships: "GH".to_owned(),
            languages: "en".to_owned(),
            legal_status: "asylum_seeker".to_owned(),
            ..PersonAttributes::default()
        },
        case: CaseAttributes {
            region: "attica".to_owned(),
            setting: "urban_area".to_owned(),
            exploitation_types: "sexual_exploitation".to_owned(),
            opened_on,
            ..CaseAttributes::default()
        },
        intake: IntakeReferral {
            source: "ngo".to_owned(),
            referred_on: opened_on,
            referring_contact: Some("Φανταστική οργάνωση".to_owned()),
            reason: None,
        },
        nrm_status: "presumed_victim".to_owned(),
        closure: None,
    }
}

#[test]
fn imported_cases_get_codes_encryption_and_indexes() {
    for database in TestDatabase::each_backend() {
        let backend = database.backend();
        let store = database.store();
        store
            .run_blocking(|db| {
                let organisation = organisations::create(db, "Οργάνωση", "ngo", "IMP")?;
                let coordinator = users::create(
                    db,
                    &users::NewUser {
                        organisation_id: &organisation.id,
                        username: "coord",
                        display_name: "coord",
                        email: None,
                        role: "coordinator",
                        password_hash: "x",
                        must_change_password: false,
                        locale: "el",
                    },
                )?;
                let mut closed = imported("Άννα", date(2025, 2, 1), "AB-1");
                closed.closure = Some((date(2025, 9, 1), "assistance_completed".to_owned()));
                let batch = vec![
                    closed,
                    imported("Βέρα", date(2026, 3, 1), "AB-2"),
                    imported("Γιώτα", date(2025, 4, 1), "AB-3"),
                ];
                let mut seen = Vec::new();
                let written = case_import::import_cases(
                    db,
                    &organisation.id,
                    "IMP",
                    "htcds_import",
                    &batch,
                    |done| seen.push(done),
                )?;
                assert_eq!(written, 3, "{backend:?}");
                assert_eq!(seen, [3]);

                let scope = CaseScope::Organisation {
                    organisation_id: organisation.id.clone(),
                    user_id: coordinator.id.clone(),
                };
                let filter = CaseFilter {
                    origin: Some("htcds_import".to_owned()),
                    ..CaseFilter::default()
                };
                let (rows, total) = cases::list(db, &scope, &filter, 0, 10)?;
                assert_eq!(total, 3);
                let mut codes: Vec<String> = rows.iter().map(|row| row.code.clone()).collect();
                codes.sort();
                assert_eq!(
                    codes,
                    ["IMP-2025-00001", "IMP-2025-00002", "IMP-2026-00001"]
                );

                let first = rows
                    .iter()
                    .find(|row| row.code == "IMP-2025-00001")
                    .unwrap();
                assert_eq!(first.status, "closed");
                let view = cases::get(db, &first.id)?;
                let person = view.person.expect("imported cases have a person");
                assert_eq!(person.details.given_name, "Άννα");
                assert_eq!(person.details.birth_date, Some(date(1995, 5, 17)));
                assert_eq!(view.case.nrm_status, "presumed_victim");
                assert_eq!(view.case.closed_on, Some(date(2025, 9, 1)));
                assert_eq!(view.case.citizenship.as_deref(), Some("GH"));
                assert_eq!(
                    view.intake.unwrap().referring_contact.as_deref(),
                    Some("Φανταστική οργάνωση")
                );

                // The duplicate check finds an imported person by document.
                let probe = PersonDetails {
                    given_name: "x".to_owned(),
                    document_numbers: vec!["AB 2".to_owned()],
                    ..PersonDetails::default()
                };
                let matches = cases::find_duplicates(db, &organisation.id, &probe)?;
                assert_eq!(matches.len(), 1, "{backend:?}");

                // A registration afterwards continues the numbering.
                let again = case_import::import_cases(
                    db,
                    &organisation.id,
                    "IMP",
                    "htcds_import",
                    &[imported("Δάφνη", date(2025, 6, 1), "AB-4")],
                    |_| {},
                )?;
                assert_eq!(again, 1);
                let (rows, _) = cases::list(
                    db,
                    &scope,
                    &CaseFilter {
                        code: Some("IMP-2025-00003".to_owned()),
                        ..CaseFilter::default()
                    },
                    0,
                    10,
                )?;
                assert_eq!(rows.len(), 1, "{backend:?}");
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn a_failed_import_writes_nothing() {
    for database in TestDatabase::each_backend() {
        let backend = database.backend();
        let store = database.store();
        store
            .run_blocking(|db| {
                let organisation = organisations::create(db, "Οργάνωση", "ngo", "IMP")?;
                // An unknown organisation breaks a foreign key after the case
                // numbers were reserved; the transaction undoes everything.
                let batch: Vec<ImportedCase> = (0..(case_import::BATCH_SIZE + 5))
                    .map(|n| imported(&format!("P{n}"), date(2025, 1, 1), &format!("D{n}")))
                    .collect();
                let result = case_import::import_cases(
                    db,
                    "no-such-organisation",
                    "IMP",
                    "htcds_import",
                    &batch,
                    |_| {},
                );
                assert!(result.is_err(), "{backend:?}");
                let count = cases::count_by_origin(db, &organisation.id, "htcds_import")?;
                assert_eq!(count, 0);
                let count = cases::count_by_origin(db, "no-such-organisation", "htcds_import")?;
                assert_eq!(count, 0, "{backend:?}: rows left after a failed import");
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn five_thousand_cases_import_quickly() {
    for database in TestDatabase::each_backend() {
        let backend = database.backend();
        let store = database.store();
        store
            .run_blocking(|db| {
                let organisation = organisations::create(db, "Οργάνωση", "ngo", "IMP")?;
                let batch: Vec<ImportedCase> = (0..5_000)
                    .map(|n| {
                        let opened = date(2020 + (n % 5), 1 + (n % 12) as u32, 1);
                        imported(&format!("Πρόσωπο {n}"), opened, &format!("DOC{n}"))
                    })
                    .collect();
                let started = std::time::Instant::now();
                let written = case_import::import_cases(
                    db,
                    &organisation.id,
                    "IMP",
                    "htcds_import",
                    &batch,
                    |_| {},
                )?;
                let elapsed = started.elapsed();
                assert_eq!(written, 5_000);
                eprintln!("{backend:?}: 5,000 cases in {elapsed:?}");
                assert!(
                    elapsed.as_secs() < 30,
                    "{backend:?}: 5,000 cases took {elapsed:?}"
                );
                let year_2024 = batch
                    .iter()
                    .filter(|case| case.case.opened_on.year() == 2024)
                    .count();
                assert_eq!(year_2024, 1_000);
                Ok(())
            })
            .unwrap();
    }
}
