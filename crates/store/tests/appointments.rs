//! Appointments on every available backend: matching by skills and free
//! time, refusal of double bookings (also under concurrent requests),
//! completion into a service record, and feed tokens.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use procap_store::appointments::{
    self, KIND_ESCORT, KIND_INTERPRETATION, NewAppointment, SkillRequest,
};
use procap_store::cases::{self, PersonDetails, Registration};
use procap_store::schema::service_records;
use procap_store::testing::TestDatabase;
use procap_store::{Db, StoreError, organisations, users};

fn at(hour: u32, minute: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 5, 4)
        .unwrap()
        .and_hms_opt(hour, minute, 0)
        .unwrap()
}

struct Setup {
    case_id: String,
    organisation_id: String,
    caseworker: String,
    interpreter: String,
    male_interpreter: String,
    escort: String,
}

fn user(db: &mut Db<'_>, organisation_id: &str, username: &str, role: &str) -> String {
    users::create(
        db,
        &users::NewUser {
            organisation_id,
            username,
            display_name: username,
            email: None,
            role,
            password_hash: "x",
            must_change_password: false,
            locale: "el",
        },
    )
    .unwrap()
    .id
}

fn setup(db: &mut Db<'_>) -> Setup {
    let ngo = organisations::create(db, "Οργάνωση", "ngo", "OA").unwrap();
    let caseworker = user(db, &ngo.id, "cw", "caseworker");
    let interpreter = user(db, &ngo.id, "int-f", "interpreter");
    let male_interpreter = user(db, &ngo.id, "int-m", "interpreter");
    let escort = user(db, &ngo.id, "esc", "escort");
    appointments::set_staff_skills(db, &interpreter, "female", "en;ar:apc", &caseworker).unwrap();
    appointments::set_staff_skills(db, &male_interpreter, "male", "en;fr", &caseworker).unwrap();
    appointments::set_staff_skills(db, &escort, "female", "", &caseworker).unwrap();
    let case = cases::register(
        db,
        Registration {
            organisation_id: &ngo.id,
            case_code_prefix: "OA",
            created_by: &caseworker,
            person: PersonDetails {
                given_name: "Δοκιμή".into(),
                ..PersonDetails::default()
            },
            attributes: cases::PersonAttributes {
                sex: "female".into(),
                legal_status: "other".into(),
                languages: "ar:apc".into(),
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
                referring_contact: None,
                reason: None,
            },
        },
    )
    .unwrap();
    Setup {
        case_id: case.id,
        organisation_id: ngo.id,
        caseworker,
        interpreter,
        male_interpreter,
        escort,
    }
}

fn interpretation<'a>(
    setup: &'a Setup,
    staff: &'a str,
    starts_at: NaiveDateTime,
    minutes: i32,
) -> NewAppointment<'a> {
    NewAppointment {
        case_id: &setup.case_id,
        kind: KIND_INTERPRETATION,
        staff_user_id: staff,
        starts_at,
        duration_minutes: minutes,
        place: "Νοσοκομείο, αίθουσα 3",
        language: Some("en"),
        dialect: None,
        preferred_gender: Some("female"),
        requested_by: &setup.caseworker,
    }
}

fn ids(members: &[appointments::StaffMember]) -> Vec<&str> {
    members
        .iter()
        .map(|member| member.user_id.as_str())
        .collect()
}

#[test]
fn matching_people_are_proposed_and_double_booking_is_refused() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let setup = setup(db);
                let request = SkillRequest {
                    kind: KIND_INTERPRETATION,
                    language: Some("en"),
                    dialect: None,
                    gender: Some("female"),
                };
                let free = appointments::available_staff(
                    db,
                    &setup.organisation_id,
                    &request,
                    at(9, 0),
                    at(10, 0),
                )?;
                assert_eq!(ids(&free), [setup.interpreter.as_str()]);
                let dialect = SkillRequest {
                    dialect: Some("apc"),
                    language: Some("ar"),
                    gender: None,
                    ..request
                };
                let free = appointments::available_staff(
                    db,
                    &setup.organisation_id,
                    &dialect,
                    at(9, 0),
                    at(10, 0),
                )?;
                assert_eq!(ids(&free), [setup.interpreter.as_str()]);

                let first = appointments::book(
                    db,
                    &interpretation(&setup, &setup.interpreter, at(9, 0), 60),
                )?;

                // Overlapping by half an hour: refused, nothing stored.
                let second = appointments::book(
                    db,
                    &interpretation(&setup, &setup.interpreter, at(9, 30), 60),
                );
                assert!(
                    matches!(second, Err(StoreError::Conflict("double_booking"))),
                    "{second:?}"
                );
                assert_eq!(appointments::list_for_case(db, &setup.case_id)?.len(), 1);

                // Now busy, so no longer proposed for that time.
                let free = appointments::available_staff(
                    db,
                    &setup.organisation_id,
                    &request,
                    at(9, 45),
                    at(10, 15),
                )?;
                assert!(free.is_empty(), "{:?}", ids(&free));

                // Back to back is fine.
                appointments::book(
                    db,
                    &interpretation(&setup, &setup.interpreter, at(10, 0), 30),
                )?;

                // A male interpreter is refused when a woman was asked for.
                let wrong = appointments::book(
                    db,
                    &interpretation(&setup, &setup.male_interpreter, at(12, 0), 30),
                );
                assert!(
                    matches!(wrong, Err(StoreError::Conflict("skills"))),
                    "{wrong:?}"
                );

                // After cancelling, the slot is free again.
                appointments::cancel(db, &first, None, Some(&setup.case_id))?;
                appointments::book(
                    db,
                    &interpretation(&setup, &setup.interpreter, at(9, 0), 60),
                )?;

                let stored = appointments::list_for_case(db, &setup.case_id)?;
                assert_eq!(stored.len(), 3);
                assert!(
                    stored
                        .iter()
                        .all(|row| row.place == "Νοσοκομείο, αίθουσα 3")
                );

                // Escorts match on gender only.
                let escort = SkillRequest {
                    kind: KIND_ESCORT,
                    language: None,
                    dialect: None,
                    gender: Some("female"),
                };
                let free = appointments::available_staff(
                    db,
                    &setup.organisation_id,
                    &escort,
                    at(9, 0),
                    at(10, 0),
                )?;
                assert_eq!(ids(&free), [setup.escort.as_str()]);
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn concurrent_bookings_of_one_person_store_only_one() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        let setup = store.run_blocking(|db| Ok(setup(db))).unwrap();
        let setup = std::sync::Arc::new(setup);
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(4));
        let handles: Vec<_> = (0..4)
            .map(|index| {
                let (store, setup, barrier) = (store.clone(), setup.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    store.run_blocking(|db| {
                        appointments::book(
                            db,
                            &interpretation(&setup, &setup.interpreter, at(11, index * 5), 60),
                        )
                    })
                })
            })
            .collect();
        let results: Vec<_> = handles
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .collect();
        let booked = results.iter().filter(|result| result.is_ok()).count();
        assert_eq!(booked, 1, "{:?}", database.backend());
        for result in &results {
            if let Err(error) = result {
                assert!(
                    matches!(error, StoreError::Conflict("double_booking")),
                    "{error:?}"
                );
            }
        }
        let stored = store
            .run_blocking(|db| appointments::list_for_case(db, &setup.case_id))
            .unwrap();
        assert_eq!(stored.len(), 1);
    }
}

#[test]
fn completing_records_a_service_and_feed_tokens_replace_each_other() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let setup = setup(db);
                let id = appointments::book(
                    db,
                    &interpretation(&setup, &setup.interpreter, at(22, 30), 45),
                )?;

                // Only the person booked may complete it.
                let other =
                    appointments::complete(db, &setup.male_interpreter, &id, |at| at.date());
                assert!(matches!(other, Err(StoreError::NotFound)), "{other:?}");

                let (case_id, record_id) =
                    appointments::complete(db, &setup.interpreter, &id, |at| {
                        (at + Duration::hours(3)).date()
                    })?;
                assert_eq!(case_id, setup.case_id);
                // Read the table directly: the listing's signature belongs to the services area.
                let records: Vec<(String, String, i32, NaiveDate, String, String)> =
                    service_records::table
                        .filter(service_records::case_id.eq(&setup.case_id))
                        .select((
                            service_records::id,
                            service_records::line,
                            service_records::duration_minutes,
                            service_records::occurred_on,
                            service_records::staff_user_id,
                            service_records::details,
                        ))
                        .load(db.conn)?;
                assert_eq!(records.len(), 1);
                let (id_stored, line, duration, occurred_on, staff, details) = &records[0];
                assert_eq!(id_stored, &record_id);
                assert_eq!(line, "interpretation");
                assert_eq!(*duration, 45);
                assert_eq!(*occurred_on, NaiveDate::from_ymd_opt(2026, 5, 5).unwrap());
                assert_eq!(staff, &setup.interpreter);
                let details: serde_json::Value = serde_json::from_str(details).unwrap();
                assert_eq!(details["language"], "en");
                assert_eq!(details["appointment_id"], id.as_str());

                let again = appointments::complete(db, &setup.interpreter, &id, |at| at.date());
                assert!(matches!(again, Err(StoreError::NotFound)), "{again:?}");
                let agenda = appointments::list_for_staff(
                    db,
                    &setup.interpreter,
                    at(0, 0),
                    at(0, 0) + Duration::days(1),
                    true,
                )?;
                assert_eq!(agenda.len(), 1);
                assert_eq!(agenda[0].status, "completed");

                appointments::set_feed_token(db, &setup.interpreter, "hash-one")?;
                assert_eq!(
                    appointments::feed_owner(db, "hash-one")?.map(|user| user.id),
                    Some(setup.interpreter.clone())
                );
                appointments::set_feed_token(db, &setup.interpreter, "hash-two")?;
                assert!(appointments::feed_owner(db, "hash-one")?.is_none());
                assert!(appointments::feed_owner(db, "hash-two")?.is_some());
                assert!(appointments::feed_created_at(db, &setup.interpreter)?.is_some());
                Ok(())
            })
            .unwrap();
    }
}
