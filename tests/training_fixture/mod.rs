//! Hand-made training data for the API and dashboard tests, written
//! straight into the server's database. Every person is fictional. Dates
//! lie in 2025, before anything `procap demo` writes, so a 2025 period
//! holds only these rows.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the fixture"
)]

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use procap_store::schema_training::{
    enrolments, evaluations, quiz_attempts, quizzes, trainee_profiles,
};
use procap_store::training::courses::{self, CourseInput, LessonInput, ModuleInput};
use procap_store::{Db, Store, organisations, users};

pub fn at(year: i32, month: u32, day: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(year, month, day)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
}

pub fn organisation_id(db: &mut Db<'_>, prefix: &str) -> String {
    organisations::list(db)
        .unwrap()
        .into_iter()
        .find(|organisation| organisation.case_code_prefix == prefix)
        .expect("demo organisation")
        .id
}

/// Creates a trainee account and, when `profile` is given, its profile
/// (sector, region).
pub fn trainee(
    db: &mut Db<'_>,
    username: &str,
    organisation_prefix: &str,
    profile: Option<(&str, &str)>,
) -> String {
    let organisation = organisation_id(db, organisation_prefix);
    let user = users::create(
        db,
        &users::NewUser {
            organisation_id: &organisation,
            username,
            display_name: &format!("Δοκιμαστικός {username}"),
            email: None,
            role: "trainee",
            password_hash: "not-a-hash",
            must_change_password: false,
            locale: "en",
        },
    )
    .unwrap();
    if let Some((sector, region)) = profile {
        diesel::insert_into(trainee_profiles::table)
            .values((
                trainee_profiles::user_id.eq(&user.id),
                trainee_profiles::sector.eq(sector),
                trainee_profiles::region.eq(region),
                trainee_profiles::created_at.eq(at(2025, 1, 1)),
            ))
            .execute(db.conn)
            .unwrap();
    }
    user.id
}

/// Creates a course with one module and one lesson; `status` is draft,
/// published or archived.
pub fn course(db: &mut Db<'_>, slug: &str, title_el: &str, title_en: &str, status: &str) -> String {
    let trainer = users::find_by_username(db, "trainer")
        .unwrap()
        .expect("the demo trainer")
        .id;
    let id = courses::create_course(
        db,
        &CourseInput {
            slug: slug.to_owned(),
            title_el: title_el.to_owned(),
            title_en: title_en.to_owned(),
            summary_el: "Σύνοψη δοκιμής".to_owned(),
            summary_en: "Test summary".to_owned(),
            sectors: vec!["airport".to_owned()],
            rule_post_test: true,
            rule_attendance: false,
            rule_evaluation: false,
        },
        &trainer,
    )
    .unwrap();
    let module = courses::add_module(
        db,
        &id,
        &ModuleInput {
            title_el: "Ενότητα 1".to_owned(),
            title_en: "Module 1".to_owned(),
            sector: None,
        },
    )
    .unwrap();
    courses::add_lesson(
        db,
        &id,
        &module,
        &LessonInput {
            title_el: "Μάθημα 1".to_owned(),
            title_en: "Lesson 1".to_owned(),
            body_el: "Κείμενο".to_owned(),
            body_en: "Text".to_owned(),
            video_url: None,
            required: true,
        },
    )
    .unwrap();
    if status != courses::DRAFT {
        courses::set_status(db, &id, status).unwrap();
    }
    id
}

/// Adds a quiz of `purpose` (pre_test or post_test) and makes it the
/// course's test of that kind.
pub fn test_quiz(db: &mut Db<'_>, course_id: &str, purpose: &str) -> String {
    let id = format!("{course_id}-{purpose}");
    diesel::insert_into(quizzes::table)
        .values((
            quizzes::id.eq(&id),
            quizzes::course_id.eq(course_id),
            quizzes::purpose.eq(purpose),
            quizzes::slug.eq(purpose),
            quizzes::title_el.eq(format!("Τεστ {purpose}")),
            quizzes::title_en.eq(format!("Test {purpose}")),
            quizzes::pass_mark.eq(60),
            quizzes::late_rule.eq("score_zero"),
            quizzes::draws.eq(r#"[{"tag":"basics","count":2}]"#),
            quizzes::required.eq(false),
            quizzes::created_at.eq(at(2025, 1, 1)),
            quizzes::updated_at.eq(at(2025, 1, 1)),
        ))
        .execute(db.conn)
        .unwrap();
    use procap_store::schema_training::courses as courses_table;
    let column_update = diesel::update(courses_table::table.find(course_id));
    if purpose == "pre_test" {
        column_update
            .set(courses_table::pre_test_quiz_id.eq(Some(&id)))
            .execute(db.conn)
            .unwrap();
    } else {
        column_update
            .set(courses_table::post_test_quiz_id.eq(Some(&id)))
            .execute(db.conn)
            .unwrap();
    }
    id
}

/// A submitted attempt scoring `percent` out of 100 points.
pub fn attempt(
    db: &mut Db<'_>,
    quiz_id: &str,
    trainee_id: &str,
    percent: i32,
    submitted: NaiveDateTime,
) -> String {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(quiz_attempts::table)
        .values((
            quiz_attempts::id.eq(&id),
            quiz_attempts::quiz_id.eq(quiz_id),
            quiz_attempts::trainee_id.eq(trainee_id),
            quiz_attempts::number.eq(1),
            quiz_attempts::seed.eq(7_i64),
            quiz_attempts::question_ids.eq("[]"),
            quiz_attempts::started_at.eq(submitted - chrono::Duration::minutes(10)),
            quiz_attempts::submitted_at.eq(Some(submitted)),
            quiz_attempts::answers.eq(Some("{}")),
            quiz_attempts::grades.eq(Some("{}")),
            quiz_attempts::points.eq(Some(percent * 100)),
            quiz_attempts::max_points.eq(Some(10_000)),
            quiz_attempts::passed.eq(Some(percent >= 60)),
            quiz_attempts::timeliness.eq(Some("on_time")),
        ))
        .execute(db.conn)
        .unwrap();
    id
}

/// Enrols a trainee at `enrolled`, completed at `completed` if given.
pub fn enrolment(
    db: &mut Db<'_>,
    course_id: &str,
    trainee_id: &str,
    enrolled: NaiveDateTime,
    completed: Option<NaiveDateTime>,
) {
    diesel::insert_into(enrolments::table)
        .values((
            enrolments::id.eq(uuid::Uuid::new_v4().to_string()),
            enrolments::course_id.eq(course_id),
            enrolments::trainee_id.eq(trainee_id),
            enrolments::enrolled_at.eq(enrolled),
            enrolments::completed_at.eq(completed),
        ))
        .execute(db.conn)
        .unwrap();
}

/// An evaluation of `kind` (end_of_course or follow_up), sent and answered
/// when those times are given.
#[expect(clippy::too_many_arguments, reason = "one column each")]
pub fn evaluation(
    db: &mut Db<'_>,
    course_id: &str,
    trainee_id: &str,
    kind: &str,
    sent: Option<NaiveDateTime>,
    answered: Option<NaiveDateTime>,
    usefulness: Option<i32>,
    still_using: Option<i32>,
) {
    let due = sent.or(answered).unwrap_or(at(2025, 1, 1)).date();
    diesel::insert_into(evaluations::table)
        .values((
            evaluations::id.eq(uuid::Uuid::new_v4().to_string()),
            evaluations::course_id.eq(course_id),
            evaluations::trainee_id.eq(trainee_id),
            evaluations::kind.eq(kind),
            evaluations::due_on.eq(due),
            evaluations::sent_at.eq(sent),
            evaluations::answered_at.eq(answered),
            evaluations::usefulness.eq(usefulness),
            evaluations::still_using.eq(still_using),
        ))
        .execute(db.conn)
        .unwrap();
}

/// Sets a user's interface language.
pub fn set_locale(store: &Store, username: &str, locale: &str) {
    store
        .run_blocking(|db| {
            let user = users::find_by_username(db, username)?.expect("demo user");
            users::set_locale(db, &user.id, locale)
        })
        .unwrap();
}
