//! One case per registration form token on every available backend: in
//! turn, at the same moment from two connections, and pruning.

use std::sync::{Arc, Barrier};

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use procap_store::audit::{self, AuditEvent, Outcome};
use procap_store::cases::{self, PersonDetails, Registration};
use procap_store::form_submissions::{self, Submitted};
use procap_store::testing::TestDatabase;
use procap_store::{Db, Store, StoreError, organisations, users};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Creates a fictional organisation and caseworker; returns their ids and
/// the case code prefix.
fn setup(store: &Store) -> (String, String, String) {
    store
        .run_blocking(|db| {
            let ngo = organisations::create(db, "Οργάνωση Φόρμας", "ngo", "OF")?;
            let user = users::create(
                db,
                &users::NewUser {
                    organisation_id: &ngo.id,
                    username: "cw_form",
                    display_name: "cw_form",
                    email: None,
                    role: "caseworker",
                    password_hash: "x",
                    must_change_password: false,
                    locale: "el",
                },
            )?;
            Ok((ngo.id, ngo.case_code_prefix, user.id))
        })
        .unwrap()
}

fn submit(
    db: &mut Db<'_>,
    ids: &(String, String, String),
    token: &str,
) -> Result<Submitted, StoreError> {
    form_submissions::register_once(
        db,
        token,
        Registration {
            organisation_id: &ids.0,
            case_code_prefix: &ids.1,
            created_by: &ids.2,
            person: PersonDetails {
                given_name: "Φανταστική".to_owned(),
                family_name: Some("Διπλοϋποβολή".to_owned()),
                birth_date: Some(date(1999, 4, 5)),
                ..PersonDetails::default()
            },
            attributes: cases::PersonAttributes {
                sex: "female".into(),
                citizenships: "NG".into(),
                languages: "en".into(),
                legal_status: "asylum_seeker".into(),
                ..Default::default()
            },
            case: cases::CaseAttributes {
                region: "attica".into(),
                setting: "urban_area".into(),
                exploitation_types: "sexual_exploitation".into(),
                opened_on: date(2026, 3, 2),
                ..Default::default()
            },
            intake: cases::IntakeReferral {
                source: "police".into(),
                referred_on: date(2026, 3, 1),
                referring_contact: None,
                reason: None,
            },
        },
        |case| {
            AuditEvent::new("case.create", Outcome::Success)
                .actor(&ids.2, "cw_form")
                .object("case", &case.id)
        },
    )
}

/// Counts the `case.create` rows of the audit log.
fn create_events(store: &Store) -> i64 {
    use procap_store::schema::audit_log;
    store
        .run_blocking(|db| {
            Ok(audit_log::table
                .filter(audit_log::action.eq("case.create"))
                .count()
                .get_result::<i64>(db.conn)?)
        })
        .unwrap()
}

fn case_count(store: &Store) -> i64 {
    use procap_store::schema::cases;
    store
        .run_blocking(|db| Ok(cases::table.count().get_result::<i64>(db.conn)?))
        .unwrap()
}

#[test]
fn a_token_registers_one_case_in_turn() {
    for database in TestDatabase::each_backend() {
        let backend = database.backend().as_str();
        let store = database.store();
        let ids = setup(&store);
        let before = case_count(&store);
        let first = store
            .run_blocking(|db| submit(db, &ids, "tok-in-turn"))
            .unwrap();
        let Submitted::Created(case) = first else {
            panic!("{backend}: first copy did not register");
        };
        let second = store
            .run_blocking(|db| submit(db, &ids, "tok-in-turn"))
            .unwrap();
        match second {
            Submitted::Existing(id) => assert_eq!(id, case.id, "{backend}"),
            Submitted::Created(_) => panic!("{backend}: second copy registered again"),
        }
        assert_eq!(case_count(&store), before + 1, "{backend}");
        let other = store
            .run_blocking(|db| submit(db, &ids, "tok-other"))
            .unwrap();
        assert!(matches!(other, Submitted::Created(_)), "{backend}");
        assert_eq!(case_count(&store), before + 2, "{backend}");
        // Each case came with its audit event, and the copy added none.
        assert_eq!(create_events(&store), 2, "{backend}");
        assert_eq!(
            store
                .run_blocking(|db| form_submissions::case_for(db, "tok-in-turn"))
                .unwrap(),
            Some(case.id.clone()),
            "{backend}"
        );
    }
}

#[test]
fn two_transactions_with_one_token_register_one_case() {
    for database in TestDatabase::each_backend() {
        let backend = database.backend().as_str();
        let store = database.store();
        let ids = Arc::new(setup(&store));
        let before = case_count(&store);
        for round in 0..3 {
            let token = format!("tok-race-{round}");
            let barrier = Arc::new(Barrier::new(2));
            let threads: Vec<_> = (0..2)
                .map(|_| {
                    let store = store.clone();
                    let ids = ids.clone();
                    let barrier = barrier.clone();
                    let token = token.clone();
                    std::thread::spawn(move || {
                        store.run_blocking(move |db| {
                            barrier.wait();
                            submit(db, &ids, &token)
                        })
                    })
                })
                .collect();
            let results: Vec<Submitted> = threads
                .into_iter()
                .map(|thread| thread.join().unwrap().unwrap())
                .collect();
            let created: Vec<&String> = results
                .iter()
                .filter_map(|result| match result {
                    Submitted::Created(case) => Some(&case.id),
                    Submitted::Existing(_) => None,
                })
                .collect();
            assert_eq!(created.len(), 1, "{backend}: round {round}: {results:?}");
            for result in &results {
                if let Submitted::Existing(id) = result {
                    assert_eq!(id, created[0], "{backend}: round {round}");
                }
            }
            assert_eq!(
                case_count(&store),
                before + round + 1,
                "{backend}: round {round}"
            );
            assert_eq!(create_events(&store), round + 1, "{backend}: round {round}");
        }
        let report = store.run_blocking(audit::verify).unwrap();
        assert!(
            report.first_break.is_none(),
            "{backend}: {:?}",
            report.first_break
        );
    }
}

#[test]
fn old_tokens_are_pruned() {
    for database in TestDatabase::each_backend() {
        let backend = database.backend().as_str();
        let store = database.store();
        let ids = setup(&store);
        store
            .run_blocking(|db| submit(db, &ids, "tok-old"))
            .unwrap();
        let now = procap_store::now();
        let kept = store
            .run_blocking(|db| form_submissions::prune(db, now))
            .unwrap();
        assert_eq!(kept, 0, "{backend}");
        let later = now + Duration::days(form_submissions::KEEP_DAYS) + Duration::minutes(1);
        let pruned = store
            .run_blocking(|db| form_submissions::prune(db, later))
            .unwrap();
        assert_eq!(pruned, 1, "{backend}");
        assert_eq!(
            store
                .run_blocking(|db| form_submissions::case_for(db, "tok-old"))
                .unwrap(),
            None,
            "{backend}"
        );
    }
}
