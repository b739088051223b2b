//! Case notes and attachment records on every available backend: texts and
//! file names are encrypted at rest, lists are newest first, and sealed
//! attachment bytes open only for their own row.

use chrono::NaiveDate;
use diesel::prelude::*;
use procap_store::cases::{self, PersonDetails, Registration};
use procap_store::notes::{self, NewAttachment};
use procap_store::testing::TestDatabase;
use procap_store::{Db, StoreError, organisations, users};

fn setup(db: &mut Db<'_>) -> (String, String) {
    let org = organisations::create(db, "Οργάνωση", "ngo", "NO").unwrap();
    let author = users::create(
        db,
        &users::NewUser {
            organisation_id: &org.id,
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
    let date = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
    let case = cases::register(
        db,
        Registration {
            organisation_id: &org.id,
            case_code_prefix: "NO",
            created_by: &author.id,
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
                opened_on: date,
                ..Default::default()
            },
            intake: cases::IntakeReferral {
                source: "ngo".into(),
                referred_on: date,
                referring_contact: None,
                reason: None,
            },
        },
    )
    .unwrap();
    (case.id, author.id)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[test]
fn notes_are_encrypted_and_listed_newest_first() {
    for database in TestDatabase::each_backend() {
        database
            .store()
            .run_blocking(|db| {
                let (case_id, author) = setup(db);
                let first = notes::add_note(db, &case_id, &author, "Πρώτη επικοινωνία")?;
                std::thread::sleep(std::time::Duration::from_millis(5));
                notes::add_note(db, &case_id, &author, "Δεύτερη συνάντηση στο γραφείο")?;

                let listed = notes::list_notes(db, &case_id)?;
                assert_eq!(listed.len(), 2);
                assert_eq!(listed[0].body, "Δεύτερη συνάντηση στο γραφείο");
                assert_eq!(listed[1].id, first);
                assert_eq!(listed[1].author, "cw");

                use procap_store::schema_notes::case_notes;
                let raw: Vec<Vec<u8>> = case_notes::table
                    .select(case_notes::body_enc)
                    .load(db.conn)?;
                assert_eq!(raw.len(), 2);
                for body in raw {
                    assert!(!contains(&body, "Πρώτη"));
                    assert!(!contains(&body, "συνάντηση"));
                }
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn attachment_records_hide_the_file_name_and_stay_with_their_case() {
    for database in TestDatabase::each_backend() {
        database
            .store()
            .run_blocking(|db| {
                let (case_id, author) = setup(db);
                let id = procap_store::new_id();
                let key = procap_store::new_id();
                notes::add_attachment(
                    db,
                    &NewAttachment {
                        id: &id,
                        case_id: &case_id,
                        file_name: "διαβατήριο-σάρωση.pdf",
                        content_type: "application/pdf",
                        size_bytes: 1234,
                        object_key: &key,
                        uploaded_by: &author,
                    },
                )?;
                let listed = notes::list_attachments(db, &case_id)?;
                assert_eq!(listed.len(), 1);
                assert_eq!(listed[0].file_name, "διαβατήριο-σάρωση.pdf");
                assert_eq!(listed[0].object_key, key);

                let found = notes::get_attachment(db, &case_id, &id)?;
                assert_eq!(found.size_bytes, 1234);
                let elsewhere = notes::get_attachment(db, "another-case", &id);
                assert!(matches!(elsewhere, Err(StoreError::NotFound)));

                use procap_store::schema_notes::case_attachments;
                let raw: Vec<u8> = case_attachments::table
                    .find(&id)
                    .select(case_attachments::file_name_enc)
                    .first(db.conn)?;
                assert!(!contains(&raw, "διαβατήριο"));
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn sealed_attachment_opens_only_for_its_own_row() {
    let database = TestDatabase::sqlite();
    let store = database.store();
    let content = b"\x89PNG\r\n\x1a\nfictional image bytes";
    let sealed = notes::seal_attachment(&store.keys(), "row-1", content);
    assert!(!contains(&sealed, "fictional"));
    let opened = notes::open_attachment(&store.keys(), "row-1", &sealed).unwrap();
    assert_eq!(opened.as_slice(), content);
    assert!(notes::open_attachment(&store.keys(), "row-2", &sealed).is_err());
}
