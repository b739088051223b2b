//! Evaluations on every available backend: answering records the Likert
//! items once and completes a course whose last rule is the evaluation,
//! invitations and reminders are each due once, and the two AMIF result
//! indicators count the right trainees.

use chrono::{Duration, Months, NaiveDate};
use diesel::prelude::*;
use procap_domain::training::evaluation::Likert;
use procap_store::schema_training::{courses, enrolments, evaluations};
use procap_store::testing::TestDatabase;
use procap_store::training::evaluations::{self as evals, Answer, Kind};
use procap_store::training::progress::{self, END_OF_COURSE, FOLLOW_UP};
use procap_store::{Db, StoreError, organisations, users};

fn likert(value: u8) -> Likert {
    Likert::new(value).unwrap()
}

struct Fixture {
    org: String,
    course: String,
}

fn fixture(db: &mut Db<'_>) -> Fixture {
    let org = organisations::create(db, "Φορέας", "training", "FO")
        .unwrap()
        .id;
    let now = procap_store::now();
    let course = procap_store::new_id();
    diesel::insert_into(courses::table)
        .values((
            courses::id.eq(&course),
            courses::slug.eq("evaluated"),
            courses::title_el.eq("Αξιολόγηση"),
            courses::title_en.eq("Evaluated"),
            courses::summary_el.eq(""),
            courses::summary_en.eq(""),
            courses::sectors.eq(""),
            courses::status.eq("published"),
            courses::rule_post_test.eq(false),
            courses::rule_attendance.eq(false),
            courses::rule_evaluation.eq(true),
            courses::created_at.eq(now),
            courses::updated_at.eq(now),
        ))
        .execute(db.conn)
        .unwrap();
    Fixture { org, course }
}

/// An enrolled trainee whose only missing rule is the evaluation, so
/// `recompute` opens the end-of-course evaluation. Returns the trainee's
/// id and that evaluation's id.
fn trainee(db: &mut Db<'_>, f: &Fixture, name: &str, email: Option<&str>) -> (String, String) {
    let id = users::create(
        db,
        &users::NewUser {
            organisation_id: &f.org,
            username: name,
            display_name: &format!("Δοκιμή {name}"),
            email,
            role: "trainee",
            password_hash: "x",
            must_change_password: false,
            locale: "en",
        },
    )
    .unwrap()
    .id;
    diesel::insert_into(enrolments::table)
        .values((
            enrolments::id.eq(procap_store::new_id()),
            enrolments::course_id.eq(&f.course),
            enrolments::trainee_id.eq(&id),
            enrolments::enrolled_at.eq(procap_store::now()),
        ))
        .execute(db.conn)
        .unwrap();
    let recomputed = progress::recompute(db, &id, &f.course).unwrap();
    assert_eq!(recomputed.evaluations_opened, vec![END_OF_COURSE]);
    let evaluation = evaluation_of(db, &id, END_OF_COURSE);
    (id, evaluation)
}

fn evaluation_of(db: &mut Db<'_>, trainee: &str, kind: &str) -> String {
    evaluations::table
        .filter(evaluations::trainee_id.eq(trainee))
        .filter(evaluations::kind.eq(kind))
        .select(evaluations::id)
        .first(db.conn)
        .unwrap()
}

fn end_of_course(usefulness: u8, quality: u8) -> Answer {
    Answer::EndOfCourse {
        usefulness: likert(usefulness),
        quality: likert(quality),
        comment: Some("Χρήσιμο".into()),
    }
}

#[test]
fn answering_completes_the_course_once() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let f = fixture(db);
                let (learner, evaluation) = trainee(db, &f, "learner", None);
                let (other, _) = trainee(db, &f, "other", None);
                let today = progress::athens_today();

                assert!(matches!(
                    evals::answer(db, &evaluation, &other, &end_of_course(4, 4), today),
                    Err(StoreError::NotFound)
                ));
                let follow_up = Answer::FollowUp {
                    still_using: likert(5),
                    comment: None,
                };
                assert!(matches!(
                    evals::answer(db, &evaluation, &learner, &follow_up, today),
                    Err(StoreError::Conflict("wrong_kind"))
                ));

                let recomputed =
                    evals::answer(db, &evaluation, &learner, &end_of_course(5, 3), today)?;
                assert!(recomputed.completed_now, "{:?}", database.backend());
                assert_eq!(recomputed.evaluations_opened, vec![FOLLOW_UP]);
                assert!(matches!(
                    evals::answer(db, &evaluation, &learner, &end_of_course(1, 1), today),
                    Err(StoreError::Conflict("already_answered"))
                ));
                let stored = evals::get(db, &evaluation)?;
                assert_eq!(stored.usefulness, Some(likert(5)));
                assert_eq!(stored.quality, Some(likert(3)));

                // The follow-up is due in three months, not before.
                let follow_up_id = evaluation_of(db, &learner, FOLLOW_UP);
                let follow = evals::get(db, &follow_up_id)?;
                assert_eq!(follow.kind, Kind::FollowUp);
                assert!(matches!(
                    evals::answer(db, &follow_up_id, &learner, &follow_up, today),
                    Err(StoreError::Conflict("not_due"))
                ));
                assert!(evals::open_for_trainee(db, &learner, today)?.is_empty());
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn invitations_and_reminders_are_due_once() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let f = fixture(db);
                let (_, evaluation) = trainee(db, &f, "mailed", Some("mailed@example.invalid"));
                trainee(db, &f, "no_address", None);
                let today = progress::athens_today();
                let now = procap_store::now();

                let due = evals::invitations_due(db, today)?;
                assert_eq!(due.len(), 1, "only trainees with an address");
                assert_eq!(due[0].evaluation_id, evaluation);
                assert_eq!(due[0].locale, "en");
                assert_eq!(due[0].course_title_en, "Evaluated");
                assert!(evals::mark_invited(db, &evaluation, now)?);
                assert!(!evals::mark_invited(db, &evaluation, now)?);
                assert!(evals::invitations_due(db, today)?.is_empty());

                assert!(evals::reminders_due(db, now + Duration::days(6))?.is_empty());
                let later = now + Duration::days(7);
                assert_eq!(evals::reminders_due(db, later)?.len(), 1);
                assert!(evals::mark_reminded(db, &evaluation, later)?);
                assert!(evals::reminders_due(db, later + Duration::days(30))?.is_empty());
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn result_indicators() {
    for database in TestDatabase::each_backend() {
        let store = database.store();
        store
            .run_blocking(|db| {
                let f = fixture(db);
                let today = progress::athens_today();
                let mut learners = Vec::new();
                for (name, usefulness) in [("u5", 5), ("u4", 4), ("u2", 2)] {
                    let (id, evaluation) = trainee(db, &f, name, None);
                    evals::answer(db, &evaluation, &id, &end_of_course(usefulness, 4), today)?;
                    learners.push(id);
                }
                // One trainee has not answered: in neither count.
                trainee(db, &f, "silent", None);

                // Follow-ups: move completion four months back so they are
                // due; two are sent, one answered with a 4.
                let completed = (procap_store::now().date() - Months::new(4))
                    .and_hms_opt(9, 0, 0)
                    .unwrap();
                diesel::update(enrolments::table.filter(enrolments::trainee_id.eq_any(&learners)))
                    .set(enrolments::completed_at.eq(Some(completed)))
                    .execute(db.conn)?;
                let due = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
                diesel::update(evaluations::table.filter(evaluations::kind.eq(FOLLOW_UP)))
                    .set(evaluations::due_on.eq(due))
                    .execute(db.conn)?;
                for learner in &learners[..2] {
                    let id = evaluation_of(db, learner, FOLLOW_UP);
                    evals::mark_invited(db, &id, procap_store::now())?;
                }
                let first = evaluation_of(db, &learners[0], FOLLOW_UP);
                evals::answer(
                    db,
                    &first,
                    &learners[0],
                    &Answer::FollowUp {
                        still_using: likert(4),
                        comment: None,
                    },
                    today,
                )?;

                let report = evals::indicators(db)?;
                assert_eq!(report.courses.len(), 1);
                let course = &report.courses[0].indicators;
                assert_eq!(course.usefulness.useful.numerator, 2);
                assert_eq!(course.usefulness.useful.denominator, 3);
                assert_eq!(course.skills_in_use.still_using.numerator, 1);
                assert_eq!(course.skills_in_use.still_using.denominator, 1);
                assert_eq!(course.skills_in_use.response_rate.denominator, 2);
                assert_eq!(course.quality_summary.responses, 3);
                assert_eq!(course.usefulness_summary.counts, [0, 1, 0, 1, 1]);
                assert_eq!(report.total, *course, "{:?}", database.backend());
                Ok(())
            })
            .unwrap();
    }
}
