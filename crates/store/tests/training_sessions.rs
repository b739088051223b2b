//! Training sessions on every available backend: registration fills the
//! places and then the waiting list, a cancellation promotes the first
//! trainee waiting, concurrent registrations for the last place never
//! overbook, and check-in completes a course whose rule is attendance.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use procap_domain::training::session::Place;
use procap_store::schema_training::{courses, enrolments};
use procap_store::testing::TestDatabase;
use procap_store::training::sessions::{self, Period, SessionInput, Venue};
use procap_store::{Db, StoreError, organisations, users};

fn user(db: &mut Db<'_>, org: &str, name: &str, role: &str) -> String {
    users::create(
        db,
        &users::NewUser {
            organisation_id: org,
            username: name,
            display_name: &format!("Δοκιμή {name}"),
            email: Some(&format!("{name}@example.invalid")),
            role,
            password_hash: "x",
            must_change_password: false,
            locale: "el",
        },
    )
    .unwrap()
    .id
}

fn start() -> NaiveDateTime {
    procap_store::now() + Duration::days(10)
}

fn input(capacity: u32, trainer: &str, course: Option<&str>) -> SessionInput {
    SessionInput {
        course_id: course.map(str::to_owned),
        title_el: "Εργαστήριο".into(),
        title_en: "Workshop".into(),
        venue: Venue::InPerson("Αίθουσα 1".into()),
        starts_at: start(),
        ends_at: start() + Duration::hours(3),
        region: "attica".into(),
        sector: Some("airports".into()),
        capacity,
        trainer_ids: vec![trainer.to_owned()],
    }
}

struct Fixture {
    org: String,
    trainer: String,
}

fn fixture(db: &mut Db<'_>) -> Fixture {
    let org = organisations::create(db, "Φορέας", "training", "FO")
        .unwrap()
        .id;
    let trainer = user(db, &org, "trainer", "trainer");
    Fixture { org, trainer }
}

#[test]
fn waiting_list_and_promotion() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let f = fixture(db);
                let a = user(db, &f.org, "a", "trainee");
                let b = user(db, &f.org, "b", "trainee");
                let c = user(db, &f.org, "c", "trainee");
                let id = sessions::create(db, &input(1, &f.trainer, None), &f.trainer)?;
                let now = procap_store::now();

                let at = |seconds| now + Duration::seconds(seconds);
                assert_eq!(sessions::register(db, &id, &a, at(1))?, Place::Registered);
                assert_eq!(sessions::register(db, &id, &b, at(2))?, Place::Waiting(1));
                assert_eq!(sessions::register(db, &id, &c, at(3))?, Place::Waiting(2));
                assert!(matches!(
                    sessions::register(db, &id, &b, now),
                    Err(StoreError::Conflict("already_waiting"))
                ));

                let cancellation = sessions::cancel_registration(db, &id, &a, at(4))?;
                assert_eq!(
                    cancellation.promoted.as_ref().map(|t| t.as_str()),
                    Some(b.as_str())
                );
                assert_eq!(sessions::place_of(db, &id, &b)?, Some(Place::Registered));
                assert_eq!(sessions::place_of(db, &id, &c)?, Some(Place::Waiting(1)));
                assert_eq!(sessions::place_of(db, &id, &a)?, None);

                // Whoever cancelled joins at the end when registering again.
                assert_eq!(sessions::register(db, &id, &a, at(5))?, Place::Waiting(2));

                // A larger capacity promotes in waiting-list order.
                let promoted = sessions::update(db, &id, &input(2, &f.trainer, None))?;
                assert_eq!(promoted, vec![c.clone()]);
                assert!(matches!(
                    sessions::update(db, &id, &input(1, &f.trainer, None)),
                    Err(StoreError::Conflict("capacity_below_registered"))
                ));

                let session = sessions::get(db, &id)?;
                assert_eq!((session.registered, session.waiting), (2, 1));
                assert_eq!(session.trainers.len(), 1);
                let roster = sessions::roster(db, &id)?;
                assert_eq!(roster.len(), 3);
                assert_eq!(roster[2].trainee_id, a, "waiting list comes last");
                assert_eq!(roster[0].organisation, "Φορέας");

                let (upcoming, more) = sessions::list(db, Period::Upcoming(now), 0, 10)?;
                assert_eq!(upcoming.len(), 1);
                assert!(!more);

                sessions::cancel(db, &id)?;
                let late = user(db, &f.org, "d", "trainee");
                assert!(matches!(
                    sessions::register(db, &id, &late, now),
                    Err(StoreError::Conflict("session_cancelled"))
                ));
                let (upcoming, _) = sessions::list(db, Period::Upcoming(now), 0, 10)?;
                assert!(upcoming.is_empty(), "{:?}", database.backend());
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn last_place_is_not_overbooked() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        let (session, trainees) = store
            .run_blocking(|db| {
                let f = fixture(db);
                let id = sessions::create(db, &input(3, &f.trainer, None), &f.trainer)?;
                let trainees: Vec<String> = (0..8)
                    .map(|n| user(db, &f.org, &format!("t{n}"), "trainee"))
                    .collect();
                Ok((id, trainees))
            })
            .unwrap();

        let threads: Vec<_> = trainees
            .into_iter()
            .map(|trainee| {
                let store = store.clone();
                let session = session.clone();
                std::thread::spawn(move || {
                    store.run_blocking(|db| {
                        sessions::register(db, &session, &trainee, procap_store::now())
                    })
                })
            })
            .collect();
        let places: Vec<Place> = threads
            .into_iter()
            .map(|thread| thread.join().unwrap().unwrap())
            .collect();

        let registered = places.iter().filter(|p| **p == Place::Registered).count();
        assert_eq!(registered, 3, "{:?}", database.backend());
        let mut waiting: Vec<usize> = places
            .iter()
            .filter_map(|p| match p {
                Place::Waiting(n) => Some(*n),
                Place::Registered => None,
            })
            .collect();
        waiting.sort_unstable();
        assert_eq!(waiting, vec![1, 2, 3, 4, 5]);
        let stored = store
            .run_blocking(|db| sessions::get(db, &session))
            .unwrap();
        assert_eq!((stored.registered, stored.waiting), (3, 5));
    }
}

#[test]
fn check_in_recomputes_completion() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let f = fixture(db);
                let trainee = user(db, &f.org, "learner", "trainee");
                let now = procap_store::now();
                let course = procap_store::new_id();
                diesel::insert_into(courses::table)
                    .values((
                        courses::id.eq(&course),
                        courses::slug.eq("attend"),
                        courses::title_el.eq("Παρουσία"),
                        courses::title_en.eq("Attendance"),
                        courses::summary_el.eq(""),
                        courses::summary_en.eq(""),
                        courses::sectors.eq(""),
                        courses::status.eq("published"),
                        courses::rule_post_test.eq(false),
                        courses::rule_attendance.eq(true),
                        courses::rule_evaluation.eq(false),
                        courses::created_at.eq(now),
                        courses::updated_at.eq(now),
                    ))
                    .execute(db.conn)?;
                diesel::insert_into(enrolments::table)
                    .values((
                        enrolments::id.eq(procap_store::new_id()),
                        enrolments::course_id.eq(&course),
                        enrolments::trainee_id.eq(&trainee),
                        enrolments::enrolled_at.eq(now),
                    ))
                    .execute(db.conn)?;
                let id = sessions::create(db, &input(5, &f.trainer, Some(&course)), &f.trainer)?;

                assert!(matches!(
                    sessions::mark_attendance(db, &id, &trainee, true, &f.trainer, now),
                    Err(StoreError::Conflict("not_registered"))
                ));
                sessions::register(db, &id, &trainee, now)?;
                let recomputed =
                    sessions::mark_attendance(db, &id, &trainee, true, &f.trainer, now)?
                        .expect("the session has a course");
                assert!(recomputed.completed_now, "{:?}", database.backend());
                assert!(recomputed.certificate_issued.is_some());
                let roster = sessions::roster(db, &id)?;
                assert!(roster[0].attended_at.is_some());

                sessions::mark_attendance(db, &id, &trainee, false, &f.trainer, now)?;
                assert!(sessions::roster(db, &id)?[0].attended_at.is_none());
                Ok(())
            })
            .unwrap();
    }
}
