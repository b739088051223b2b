//! Editing a registered case on every available backend: the version check
//! in the update, re-encryption, and blind indexes that follow the new
//! name, birth date and document numbers. All names are invented.

use chrono::NaiveDate;
use procap_store::cases::{
    self, CaseAttributes, CaseUpdate, IntakeReferral, PersonAttributes, PersonDetails, Registration,
};
use procap_store::testing::TestDatabase;
use procap_store::{Db, StoreError, organisations, users};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn details(given: &str, birth: NaiveDate, document: &str) -> PersonDetails {
    PersonDetails {
        given_name: given.to_owned(),
        family_name: Some("Δοκιμαστική".to_owned()),
        birth_date: Some(birth),
        contact: Some("Οδός Δοκιμής 1".to_owned()),
        document_numbers: vec![document.to_owned()],
        ..PersonDetails::default()
    }
}

fn attributes() -> PersonAttributes {
    PersonAttributes {
        sex: "female".into(),
        citizenships: "NG".into(),
        languages: "en".into(),
        legal_status: "asylum_seeker".into(),
        ..Default::default()
    }
}

fn case_attributes() -> CaseAttributes {
    CaseAttributes {
        region: "attica".into(),
        setting: "urban_area".into(),
        exploitation_types: "sexual_exploitation".into(),
        opened_on: date(2026, 3, 2),
        ..Default::default()
    }
}

fn setup(db: &mut Db<'_>) -> (organisations::Organisation, users::User, cases::Case) {
    let organisation = organisations::create(db, "Οργάνωση Επεξεργασίας", "ngo", "OE").unwrap();
    let user = users::create(
        db,
        &users::NewUser {
            organisation_id: &organisation.id,
            username: "cw",
            display_name: "cw",
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
            organisation_id: &organisation.id,
            case_code_prefix: &organisation.case_code_prefix,
            created_by: &user.id,
            person: details("Αμπένα", date(1995, 5, 6), "P1234567"),
            attributes: attributes(),
            case: case_attributes(),
            intake: IntakeReferral {
                source: "police".into(),
                referred_on: date(2026, 3, 1),
                referring_contact: None,
                reason: None,
            },
        },
    )
    .unwrap();
    (organisation, user, case)
}

fn update(case_id: &str, version: i32, person: PersonDetails, replace: bool) -> CaseUpdate<'_> {
    CaseUpdate {
        case_id,
        expected_version: version,
        person,
        attributes: PersonAttributes {
            citizenships: "GH;NG".into(),
            ..attributes()
        },
        case: CaseAttributes {
            region: "central_macedonia".into(),
            ..case_attributes()
        },
        replace_documents: replace,
    }
}

#[test]
fn an_edit_saves_once_and_a_stale_one_changes_nothing() {
    for database in TestDatabase::each_backend() {
        let backend = database.backend().as_str();
        let store = database.store();
        store
            .run_blocking(|db| {
                let (organisation, _, case) = setup(db);
                assert_eq!(case.version, 1);

                let mut changed = details("Αμπένα", date(1995, 5, 6), "P1234567");
                changed.family_name = Some("Αλλαγμένη".into());
                let version = cases::update_case(db, update(&case.id, 1, changed, false))?;
                assert_eq!(version, 2, "{backend}");

                let stale = details("Άλλο Όνομα", date(1990, 1, 1), "X1");
                let result = cases::update_case(db, update(&case.id, 1, stale, true));
                assert!(
                    matches!(result, Err(StoreError::Conflict("stale"))),
                    "{backend}: stale edit accepted"
                );

                let view = cases::get(db, &case.id)?;
                assert_eq!(view.case.version, 2, "{backend}");
                assert_eq!(view.case.region, "central_macedonia", "{backend}");
                assert_eq!(view.case.citizenship.as_deref(), Some("GH"), "{backend}");
                let person = view.person.expect("person");
                assert_eq!(person.details.given_name, "Αμπένα", "{backend}");
                assert_eq!(
                    person.details.family_name.as_deref(),
                    Some("Αλλαγμένη"),
                    "{backend}"
                );
                assert_eq!(person.attributes.citizenships, "GH;NG", "{backend}");

                // The duplicate check finds the person under the new name
                // only; the document was kept.
                let found = cases::find_duplicates(
                    db,
                    &organisation.id,
                    &PersonDetails {
                        given_name: "Αμπένα".into(),
                        family_name: Some("Αλλαγμένη".into()),
                        birth_date: Some(date(1995, 5, 6)),
                        ..PersonDetails::default()
                    },
                )?;
                assert_eq!(found.len(), 1, "{backend}: new name not indexed");
                let old_name = cases::find_duplicates(
                    db,
                    &organisation.id,
                    &PersonDetails {
                        given_name: "Αμπένα".into(),
                        family_name: Some("Δοκιμαστική".into()),
                        birth_date: Some(date(1995, 5, 6)),
                        ..PersonDetails::default()
                    },
                )?;
                assert!(old_name.is_empty(), "{backend}: old name still indexed");
                assert_eq!(cases::document_count(db, &case.id)?, 1, "{backend}");
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn new_documents_and_birth_date_replace_their_indexes() {
    for database in TestDatabase::each_backend() {
        let backend = database.backend().as_str();
        let store = database.store();
        store
            .run_blocking(|db| {
                let (organisation, _, case) = setup(db);
                let mut changed = details("Αμπένα", date(1996, 7, 8), "N7654321");
                changed.document_numbers.push("Q 11 22".into());
                cases::update_case(db, update(&case.id, 1, changed, true))?;

                let by_document = |number: &str| PersonDetails {
                    given_name: String::new(),
                    document_numbers: vec![number.to_owned()],
                    ..PersonDetails::default()
                };
                assert!(
                    cases::find_duplicates(db, &organisation.id, &by_document("P1234567"))?
                        .is_empty(),
                    "{backend}: old document still indexed"
                );
                assert_eq!(
                    cases::find_duplicates(db, &organisation.id, &by_document("Q1122"))?.len(),
                    1,
                    "{backend}: new document not indexed"
                );
                assert_eq!(cases::document_count(db, &case.id)?, 2, "{backend}");
                let with_new_birth = PersonDetails {
                    given_name: "Αμπένα".into(),
                    family_name: Some("Δοκιμαστική".into()),
                    birth_date: Some(date(1996, 7, 8)),
                    ..PersonDetails::default()
                };
                assert_eq!(
                    cases::find_duplicates(db, &organisation.id, &with_new_birth)?.len(),
                    1,
                    "{backend}: new birth date not indexed"
                );
                let view = cases::get(db, &case.id)?;
                assert_eq!(
                    view.person.unwrap().details.birth_date,
                    Some(date(1996, 7, 8)),
                    "{backend}"
                );
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn unknown_case_is_not_found() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        let result = store.run_blocking(|db| {
            cases::update_case(
                db,
                update(
                    "no-such-case",
                    1,
                    details("Κανείς", date(1990, 1, 1), "Z"),
                    false,
                ),
            )
        });
        assert!(
            matches!(result, Err(StoreError::NotFound)),
            "{}",
            database.backend().as_str()
        );
    }
}
