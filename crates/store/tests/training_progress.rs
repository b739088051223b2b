//! Course completion on every available backend: a course completes the
//! moment its last rule is met, issues one certificate, opens the two
//! evaluations, and stays completed.

use diesel::prelude::*;
use procap_domain::training::certificate::VerificationCode;
use procap_domain::training::completion::Rule;
use procap_domain::training::{LessonId, QuizId};
use procap_store::schema_training::{
    certificates, course_modules, courses, enrolments, evaluations, lesson_views, lessons,
    quiz_attempts, quizzes,
};
use procap_store::testing::TestDatabase;
use procap_store::training::progress::{self, END_OF_COURSE, FOLLOW_UP};
use procap_store::{Db, StoreError, organisations, users};

struct Fixture {
    trainee: String,
    course: String,
    lesson: String,
    quiz: String,
}

fn setup(db: &mut Db<'_>, rule_evaluation: bool) -> Result<Fixture, StoreError> {
    let org = organisations::create(db, "Φορέας κατάρτισης", "training", "TR")?;
    let trainee = users::create(
        db,
        &users::NewUser {
            organisation_id: &org.id,
            username: "learner",
            display_name: "Ελένη Δοκιμαστική",
            email: Some("learner@example.invalid"),
            role: "trainee",
            password_hash: "x",
            must_change_password: false,
            locale: "el",
        },
    )?;
    let now = procap_store::now();
    let course = procap_store::new_id();
    diesel::insert_into(courses::table)
        .values((
            courses::id.eq(&course),
            courses::slug.eq("basics"),
            courses::title_el.eq("Βασικές γνώσεις"),
            courses::title_en.eq("Basics"),
            courses::summary_el.eq(""),
            courses::summary_en.eq(""),
            courses::sectors.eq(""),
            courses::status.eq("published"),
            courses::rule_post_test.eq(false),
            courses::rule_attendance.eq(false),
            courses::rule_evaluation.eq(rule_evaluation),
            courses::created_at.eq(now),
            courses::updated_at.eq(now),
        ))
        .execute(db.conn)?;
    let module = procap_store::new_id();
    diesel::insert_into(course_modules::table)
        .values((
            course_modules::id.eq(&module),
            course_modules::course_id.eq(&course),
            course_modules::position.eq(1),
            course_modules::title_el.eq("Ενότητα"),
            course_modules::title_en.eq("Module"),
        ))
        .execute(db.conn)?;
    let lesson = procap_store::new_id();
    diesel::insert_into(lessons::table)
        .values((
            lessons::id.eq(&lesson),
            lessons::course_id.eq(&course),
            lessons::module_id.eq(&module),
            lessons::position.eq(1),
            lessons::kind.eq("text"),
            lessons::title_el.eq("Μάθημα"),
            lessons::title_en.eq("Lesson"),
            lessons::body_el.eq("Κείμενο"),
            lessons::body_en.eq("Text"),
            lessons::required.eq(true),
            lessons::created_at.eq(now),
            lessons::updated_at.eq(now),
        ))
        .execute(db.conn)?;
    let quiz = procap_store::new_id();
    diesel::insert_into(quizzes::table)
        .values((
            quizzes::id.eq(&quiz),
            quizzes::course_id.eq(&course),
            quizzes::purpose.eq("module"),
            quizzes::slug.eq("m1"),
            quizzes::title_el.eq("Τεστ"),
            quizzes::title_en.eq("Quiz"),
            quizzes::pass_mark.eq(60),
            quizzes::late_rule.eq("score_zero"),
            quizzes::draws.eq("[]"),
            quizzes::required.eq(true),
            quizzes::created_at.eq(now),
            quizzes::updated_at.eq(now),
        ))
        .execute(db.conn)?;
    diesel::insert_into(enrolments::table)
        .values((
            enrolments::id.eq(procap_store::new_id()),
            enrolments::course_id.eq(&course),
            enrolments::trainee_id.eq(&trainee.id),
            enrolments::enrolled_at.eq(now),
        ))
        .execute(db.conn)?;
    Ok(Fixture {
        trainee: trainee.id,
        course,
        lesson,
        quiz,
    })
}

fn view_lesson(db: &mut Db<'_>, fixture: &Fixture) -> Result<(), StoreError> {
    diesel::insert_into(lesson_views::table)
        .values((
            lesson_views::trainee_id.eq(&fixture.trainee),
            lesson_views::lesson_id.eq(&fixture.lesson),
            lesson_views::course_id.eq(&fixture.course),
            lesson_views::first_viewed_at.eq(procap_store::now()),
        ))
        .execute(db.conn)?;
    Ok(())
}

fn pass_quiz(db: &mut Db<'_>, fixture: &Fixture, passed: bool) -> Result<(), StoreError> {
    let now = procap_store::now();
    let number: i64 = quiz_attempts::table
        .filter(quiz_attempts::trainee_id.eq(&fixture.trainee))
        .count()
        .get_result(db.conn)?;
    diesel::insert_into(quiz_attempts::table)
        .values((
            quiz_attempts::id.eq(procap_store::new_id()),
            quiz_attempts::quiz_id.eq(&fixture.quiz),
            quiz_attempts::trainee_id.eq(&fixture.trainee),
            quiz_attempts::number.eq(i32::try_from(number).unwrap() + 1),
            quiz_attempts::seed.eq(7_i64),
            quiz_attempts::question_ids.eq("[]"),
            quiz_attempts::started_at.eq(now),
            quiz_attempts::submitted_at.eq(Some(now)),
            quiz_attempts::passed.eq(Some(passed)),
        ))
        .execute(db.conn)?;
    Ok(())
}

fn evaluation_kinds(db: &mut Db<'_>, fixture: &Fixture) -> Result<Vec<String>, StoreError> {
    Ok(evaluations::table
        .filter(evaluations::trainee_id.eq(&fixture.trainee))
        .order(evaluations::kind.asc())
        .select(evaluations::kind)
        .load(db.conn)?)
}

#[test]
fn the_course_completes_when_the_last_rule_is_met_and_issues_one_certificate() {
    for database in TestDatabase::each_backend() {
        database
            .store()
            .run_blocking(|db| {
                let fixture = setup(db, false)?;
                let start = progress::recompute(db, &fixture.trainee, &fixture.course)?;
                assert!(!start.complete);
                assert_eq!(
                    start.missing,
                    vec![
                        Rule::LessonViewed(LessonId::new(fixture.lesson.clone())),
                        Rule::QuizPassed(QuizId::new(fixture.quiz.clone())),
                    ]
                );

                view_lesson(db, &fixture)?;
                pass_quiz(db, &fixture, false)?;
                let failed = progress::recompute(db, &fixture.trainee, &fixture.course)?;
                assert_eq!(
                    failed.missing,
                    vec![Rule::QuizPassed(QuizId::new(fixture.quiz.clone()))]
                );
                assert!(failed.certificate_issued.is_none());

                pass_quiz(db, &fixture, true)?;
                let done = progress::recompute(db, &fixture.trainee, &fixture.course)?;
                assert!(done.complete && done.completed_now);
                let certificate = done.certificate_issued.expect("a certificate");
                assert_eq!(done.evaluations_opened, vec![END_OF_COURSE, FOLLOW_UP]);

                let (code, holder, title): (String, String, String) = certificates::table
                    .find(&certificate)
                    .select((
                        certificates::code,
                        certificates::holder_name,
                        certificates::course_title_el,
                    ))
                    .first(db.conn)?;
                assert!(VerificationCode::parse(&code).is_ok());
                assert_eq!(holder, "Ελένη Δοκιμαστική");
                assert_eq!(title, "Βασικές γνώσεις");

                let due: Vec<(String, chrono::NaiveDate)> = evaluations::table
                    .filter(evaluations::trainee_id.eq(&fixture.trainee))
                    .order(evaluations::kind.asc())
                    .select((evaluations::kind, evaluations::due_on))
                    .load(db.conn)?;
                let today = progress::athens_today();
                assert_eq!(due[0], (END_OF_COURSE.to_owned(), today));
                assert_eq!(due[1].0, FOLLOW_UP);
                assert_eq!(
                    due[1].1,
                    today.checked_add_months(chrono::Months::new(3)).unwrap()
                );

                let again = progress::recompute(db, &fixture.trainee, &fixture.course)?;
                assert!(again.complete && !again.completed_now);
                assert!(again.certificate_issued.is_none());
                let count: i64 = certificates::table.count().get_result(db.conn)?;
                assert_eq!(count, 1);
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn a_required_evaluation_is_opened_once_it_is_all_that_is_missing() {
    for database in TestDatabase::each_backend() {
        database
            .store()
            .run_blocking(|db| {
                let fixture = setup(db, true)?;
                view_lesson(db, &fixture)?;
                let partly = progress::recompute(db, &fixture.trainee, &fixture.course)?;
                assert!(partly.evaluations_opened.is_empty());
                assert!(evaluation_kinds(db, &fixture)?.is_empty());

                pass_quiz(db, &fixture, true)?;
                let waiting = progress::recompute(db, &fixture.trainee, &fixture.course)?;
                assert_eq!(waiting.missing, vec![Rule::EvaluationSubmitted]);
                assert_eq!(waiting.evaluations_opened, vec![END_OF_COURSE]);

                diesel::update(evaluations::table.filter(evaluations::kind.eq(END_OF_COURSE)))
                    .set((
                        evaluations::answered_at.eq(Some(procap_store::now())),
                        evaluations::usefulness.eq(Some(5)),
                    ))
                    .execute(db.conn)?;
                let done = progress::recompute(db, &fixture.trainee, &fixture.course)?;
                assert!(done.completed_now);
                assert_eq!(done.evaluations_opened, vec![FOLLOW_UP]);
                assert_eq!(
                    evaluation_kinds(db, &fixture)?,
                    vec![END_OF_COURSE, FOLLOW_UP]
                );
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn a_trainee_who_is_not_enrolled_is_not_found() {
    for database in TestDatabase::each_backend() {
        database
            .store()
            .run_blocking(|db| {
                let fixture = setup(db, false)?;
                diesel::delete(enrolments::table).execute(db.conn)?;
                assert!(matches!(
                    progress::recompute(db, &fixture.trainee, &fixture.course),
                    Err(StoreError::NotFound)
                ));
                Ok(())
            })
            .unwrap();
    }
}
