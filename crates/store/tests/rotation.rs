//! Key rotation: every encrypted column is listed for re-encryption, and a
//! rotation rewrites case data under the new key while a running store keeps
//! reading it.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{Binary, Text};
use procap_crypto::Keyring;
use procap_store::cases::{self, PersonDetails, Registration};
use procap_store::rotation::{self, ENCRYPTED_COLUMNS};
use procap_store::testing::TestDatabase;
use procap_store::{DbConnection, PoolOptions, Store, organisations, users};

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

#[test]
fn every_encrypted_column_is_rotated() {
    let database = TestDatabase::sqlite();
    let store = database.store();
    let found: BTreeSet<(String, String)> = store
        .run_blocking(|db| {
            let DbConnection::Sqlite(conn) = &mut *db.conn else {
                unreachable!()
            };
            Ok(diesel::sql_query(
                "SELECT m.name AS table_name, p.name AS column_name \
                 FROM sqlite_master m, pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND p.name LIKE '%\\_enc' ESCAPE '\\'",
            )
            .load::<Column>(conn)?)
        })
        .unwrap()
        .into_iter()
        .map(|column| (column.table_name, column.column_name))
        .collect();
    let listed: BTreeSet<(String, String)> = ENCRYPTED_COLUMNS
        .iter()
        .filter(|(_, column)| column.ends_with("_enc"))
        .map(|(table, column)| ((*table).to_owned(), (*column).to_owned()))
        .collect();
    assert!(!found.is_empty());
    assert_eq!(
        found, listed,
        "add new encrypted columns to rotation::ENCRYPTED_COLUMNS"
    );
}

#[derive(QueryableByName)]
struct Ciphertext {
    #[diesel(sql_type = Binary)]
    value: Vec<u8>,
}

#[test]
fn rotation_rewrites_case_fields_under_the_new_key() {
    for database in TestDatabase::each_backend() {
        let dir = tempfile::tempdir().unwrap();
        let key_file = dir.path().join("procap.key");
        let keys = Keyring::create(&key_file).unwrap();
        let store = Store::open(&database.url, Arc::new(keys), &PoolOptions::default())
            .unwrap()
            .watch_key_file(&key_file);
        store.migrate().unwrap();
        let case = store
            .run_blocking(|db| {
                let organisation = organisations::create(db, "Οργάνωση", "ngo", "OA")?;
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
                )?;
                cases::register(
                    db,
                    Registration {
                        organisation_id: &organisation.id,
                        case_code_prefix: "OA",
                        created_by: &user.id,
                        person: PersonDetails {
                            given_name: "Φανταστική".into(),
                            family_name: Some("Δοκιμή".into()),
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
                            opened_on: NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
                            ..Default::default()
                        },
                        intake: cases::IntakeReferral {
                            source: "ngo".into(),
                            referred_on: NaiveDate::from_ymd_opt(2026, 1, 9).unwrap(),
                            referring_contact: Some("Τηλεφωνική γραμμή".into()),
                            reason: None,
                        },
                    },
                )
            })
            .unwrap();

        // Another process (the `key rotate` command) rotates the file.
        let mut other = Keyring::load(&key_file).unwrap();
        assert_eq!(other.rotate(&key_file).unwrap(), 2);
        assert_eq!(store.keys().current_key_id(), 2, "key file not reloaded");

        let mut total = 0;
        for (table, column) in ENCRYPTED_COLUMNS {
            let mut after: Option<String> = None;
            loop {
                let outcome = store
                    .run_blocking(|db| {
                        rotation::reencrypt_batch(db, table, column, after.as_deref(), 1)
                    })
                    .unwrap();
                total += outcome.reencrypted;
                match outcome.last_id {
                    Some(last) => after = Some(last),
                    None => break,
                }
            }
        }
        assert!(
            total >= 3,
            "{:?}: only {total} values rewritten",
            database.backend()
        );

        let names: Vec<Ciphertext> = store
            .run_blocking(|db| {
                let sql = "SELECT given_name_enc AS value FROM persons \
                           UNION ALL SELECT referring_contact_enc AS value FROM intake_referrals";
                Ok(match &mut *db.conn {
                    DbConnection::Sqlite(conn) => diesel::sql_query(sql).load(conn)?,
                    DbConnection::Postgresql(conn) => diesel::sql_query(sql).load(conn)?,
                })
            })
            .unwrap();
        assert_eq!(names.len(), 2);
        for name in &names {
            assert_eq!(Keyring::key_id_of(&name.value), Some(2));
        }
        let view = store.run_blocking(|db| cases::get(db, &case.id)).unwrap();
        let person = view.person.expect("person");
        assert_eq!(person.details.given_name, "Φανταστική");

        // A second pass finds nothing left to do.
        let again = store
            .run_blocking(|db| {
                rotation::reencrypt_batch(db, "persons", "given_name_enc", None, 100)
            })
            .unwrap();
        assert_eq!(again.reencrypted, 0);
        assert!(
            store
                .run_blocking(|db| rotation::reencrypt_batch(db, "persons; DROP", "x", None, 1))
                .is_err()
        );
    }
}
