//! Course completion, recomputed the moment an activity finishes.
//!
//! Whatever can complete a course (a lesson viewed, an attempt submitted,
//! attendance marked, an evaluation answered, a SCORM result) calls
//! [`recompute`] in the same transaction. It loads the course's rules and the
//! trainee's progress, asks the domain whether the course is complete and
//! records what follows from the answer: the completion time, the
//! certificate, and the end-of-course and three-month follow-up evaluations.
//! A completed enrolment stays completed even if a trainer later adds a rule.

use std::collections::BTreeSet;

use chrono::{Months, NaiveDate};
use diesel::prelude::*;
use procap_domain::training::certificate::{RANDOM_BYTES, VerificationCode};
use procap_domain::training::completion::{CourseRules, Progress, Rule, completion};
use procap_domain::training::evaluation::FOLLOW_UP_MONTHS;
use procap_domain::training::{LessonId, QuizId};
use rand::RngCore;

use crate::schema::users;
use crate::schema_training::{
    certificates, course_modules, courses, enrolments, evaluations, lesson_views, lessons,
    quiz_attempts, quizzes, session_registrations, training_sessions,
};
use crate::{Db, StoreError};

/// Evaluation kinds as stored in `evaluations.kind`.
pub const END_OF_COURSE: &str = "end_of_course";
pub const FOLLOW_UP: &str = "follow_up";

/// What [`recompute`] found and changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recomputed {
    /// The trainee has completed the course (now or before).
    pub complete: bool,
    /// The course was completed by this call.
    pub completed_now: bool,
    /// The rules still to meet, in course order; empty when complete.
    pub missing: Vec<Rule>,
    /// The id of the certificate issued by this call.
    pub certificate_issued: Option<String>,
    /// Evaluations opened by this call (`end_of_course`, `follow_up`).
    pub evaluations_opened: Vec<&'static str>,
}

/// Loads a course's completion rules. `None` when the course has no rule at
/// all: such a course can never be completed, so it issues no certificate.
pub fn course_rules(db: &mut Db<'_>, course_id: &str) -> Result<Option<CourseRules>, StoreError> {
    let (post_test, attendance, evaluation) = courses::table
        .find(course_id)
        .select((
            courses::rule_post_test,
            courses::rule_attendance,
            courses::rule_evaluation,
        ))
        .first::<(bool, bool, bool)>(db.conn)?;
    let required_lessons: Vec<String> = lessons::table
        .inner_join(course_modules::table)
        .filter(lessons::course_id.eq(course_id))
        .filter(lessons::required.eq(true))
        .order((
            course_modules::position.asc(),
            lessons::position.asc(),
            lessons::id.asc(),
        ))
        .select(lessons::id)
        .load(db.conn)?;
    let required_quizzes: Vec<String> = quizzes::table
        .filter(quizzes::course_id.eq(course_id))
        .filter(quizzes::required.eq(true))
        .order((quizzes::created_at.asc(), quizzes::id.asc()))
        .select(quizzes::id)
        .load(db.conn)?;
    Ok(CourseRules::new(
        required_lessons.into_iter().map(LessonId::new).collect(),
        required_quizzes.into_iter().map(QuizId::new).collect(),
        post_test,
        attendance,
        evaluation,
    )
    .ok())
}

/// Loads a trainee's progress in a course.
pub fn progress(
    db: &mut Db<'_>,
    trainee_id: &str,
    course_id: &str,
) -> Result<Progress, StoreError> {
    let viewed: Vec<String> = lesson_views::table
        .filter(lesson_views::trainee_id.eq(trainee_id))
        .filter(lesson_views::course_id.eq(course_id))
        .select(lesson_views::lesson_id)
        .load(db.conn)?;
    let passed: Vec<String> = quiz_attempts::table
        .inner_join(quizzes::table)
        .filter(quizzes::course_id.eq(course_id))
        .filter(quiz_attempts::trainee_id.eq(trainee_id))
        .filter(quiz_attempts::passed.eq(true))
        .select(quiz_attempts::quiz_id)
        .distinct()
        .load(db.conn)?;
    let post_test_quiz: Option<String> = courses::table
        .find(course_id)
        .select(courses::post_test_quiz_id)
        .first(db.conn)?;
    let post_test_taken = match post_test_quiz {
        Some(quiz_id) => {
            quiz_attempts::table
                .filter(quiz_attempts::quiz_id.eq(quiz_id))
                .filter(quiz_attempts::trainee_id.eq(trainee_id))
                .filter(quiz_attempts::submitted_at.is_not_null())
                .count()
                .get_result::<i64>(db.conn)?
                > 0
        }
        None => false,
    };
    let attended = session_registrations::table
        .inner_join(training_sessions::table)
        .filter(training_sessions::course_id.eq(course_id))
        .filter(session_registrations::trainee_id.eq(trainee_id))
        .filter(session_registrations::attended_at.is_not_null())
        .count()
        .get_result::<i64>(db.conn)?
        > 0;
    let evaluated = evaluations::table
        .filter(evaluations::course_id.eq(course_id))
        .filter(evaluations::trainee_id.eq(trainee_id))
        .filter(evaluations::kind.eq(END_OF_COURSE))
        .filter(evaluations::answered_at.is_not_null())
        .count()
        .get_result::<i64>(db.conn)?
        > 0;
    Ok(Progress {
        viewed_lessons: viewed
            .into_iter()
            .map(LessonId::new)
            .collect::<BTreeSet<_>>(),
        passed_quizzes: passed.into_iter().map(QuizId::new).collect::<BTreeSet<_>>(),
        post_test_taken,
        session_attended: attended,
        evaluation_submitted: evaluated,
    })
}

/// Recomputes a trainee's completion of a course and records what follows
/// from it, in one transaction. A trainee who is not enrolled gets
/// [`StoreError::NotFound`].
pub fn recompute(
    db: &mut Db<'_>,
    trainee_id: &str,
    course_id: &str,
) -> Result<Recomputed, StoreError> {
    db.transaction(|db| {
        let (enrolment_id, completed_at) = enrolments::table
            .filter(enrolments::course_id.eq(course_id))
            .filter(enrolments::trainee_id.eq(trainee_id))
            .select((enrolments::id, enrolments::completed_at))
            .first::<(String, Option<chrono::NaiveDateTime>)>(db.conn)?;
        if completed_at.is_some() {
            return Ok(Recomputed {
                complete: true,
                completed_now: false,
                missing: Vec::new(),
                certificate_issued: None,
                evaluations_opened: Vec::new(),
            });
        }
        let today = athens_today();
        let mut opened = Vec::new();
        let Some(rules) = course_rules(db, course_id)? else {
            return Ok(Recomputed {
                complete: false,
                completed_now: false,
                missing: Vec::new(),
                certificate_issued: None,
                evaluations_opened: opened,
            });
        };
        let result = completion(&rules, &progress(db, trainee_id, course_id)?);
        if !result.complete {
            if result.missing == [Rule::EvaluationSubmitted]
                && open_evaluation(db, trainee_id, course_id, END_OF_COURSE, today)?
            {
                opened.push(END_OF_COURSE);
            }
            return Ok(Recomputed {
                complete: false,
                completed_now: false,
                missing: result.missing,
                certificate_issued: None,
                evaluations_opened: opened,
            });
        }
        let now = crate::now();
        let updated = diesel::update(
            enrolments::table
                .find(&enrolment_id)
                .filter(enrolments::completed_at.is_null()),
        )
        .set(enrolments::completed_at.eq(Some(now)))
        .execute(db.conn)?;
        if updated == 0 {
            // Another transaction completed it first and did the rest.
            return Ok(Recomputed {
                complete: true,
                completed_now: false,
                missing: Vec::new(),
                certificate_issued: None,
                evaluations_opened: opened,
            });
        }
        let certificate = issue_certificate(db, trainee_id, course_id, today)?;
        if open_evaluation(db, trainee_id, course_id, END_OF_COURSE, today)? {
            opened.push(END_OF_COURSE);
        }
        let follow_up_due = today
            .checked_add_months(Months::new(FOLLOW_UP_MONTHS))
            .ok_or_else(|| StoreError::Corrupt("follow-up date out of range".into()))?;
        if open_evaluation(db, trainee_id, course_id, FOLLOW_UP, follow_up_due)? {
            opened.push(FOLLOW_UP);
        }
        Ok(Recomputed {
            complete: true,
            completed_now: true,
            missing: Vec::new(),
            certificate_issued: certificate,
            evaluations_opened: opened,
        })
    })
}

/// Issues the certificate of a completed course unless a valid one exists.
/// Returns the new certificate's id.
fn issue_certificate(
    db: &mut Db<'_>,
    trainee_id: &str,
    course_id: &str,
    today: NaiveDate,
) -> Result<Option<String>, StoreError> {
    let valid = certificates::table
        .filter(certificates::course_id.eq(course_id))
        .filter(certificates::trainee_id.eq(trainee_id))
        .filter(certificates::revoked_at.is_null())
        .count()
        .get_result::<i64>(db.conn)?;
    if valid > 0 {
        return Ok(None);
    }
    let holder: String = users::table
        .find(trainee_id)
        .select(users::display_name)
        .first(db.conn)?;
    let (title_el, title_en): (String, String) = courses::table
        .find(course_id)
        .select((courses::title_el, courses::title_en))
        .first(db.conn)?;
    let id = crate::new_id();
    diesel::insert_into(certificates::table)
        .values((
            certificates::id.eq(&id),
            certificates::code.eq(new_code()?),
            certificates::course_id.eq(course_id),
            certificates::trainee_id.eq(trainee_id),
            certificates::holder_name.eq(holder),
            certificates::course_title_el.eq(title_el),
            certificates::course_title_en.eq(title_en),
            certificates::issued_on.eq(today),
            certificates::issued_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    Ok(Some(id))
}

/// A new verification code in compact form. With 15 random characters from
/// a 23-character alphabet a collision is negligible; the unique index on
/// `certificates.code` refuses one anyway.
pub fn new_code() -> Result<String, StoreError> {
    let mut random = [0u8; RANDOM_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut random);
    VerificationCode::generate(&random)
        .map(|code| code.compact().to_owned())
        .map_err(|error| StoreError::Corrupt(error.to_string()))
}

/// Opens an evaluation of `kind` due on `due_on` unless one exists. Returns
/// whether it opened one.
fn open_evaluation(
    db: &mut Db<'_>,
    trainee_id: &str,
    course_id: &str,
    kind: &'static str,
    due_on: NaiveDate,
) -> Result<bool, StoreError> {
    let existing = evaluations::table
        .filter(evaluations::course_id.eq(course_id))
        .filter(evaluations::trainee_id.eq(trainee_id))
        .filter(evaluations::kind.eq(kind))
        .count()
        .get_result::<i64>(db.conn)?;
    if existing > 0 {
        return Ok(false);
    }
    diesel::insert_into(evaluations::table)
        .values((
            evaluations::id.eq(crate::new_id()),
            evaluations::course_id.eq(course_id),
            evaluations::trainee_id.eq(trainee_id),
            evaluations::kind.eq(kind),
            evaluations::due_on.eq(due_on),
        ))
        .execute(db.conn)?;
    Ok(true)
}

/// Today's date in Greece, where the trainees are; certificates and
/// evaluation due dates carry it.
pub fn athens_today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Athens)
        .date_naive()
}
