//! Queries of the training JSON API that the pages do not need: the courses
//! a trainee may list, quiz attempts filtered by trainee and course, the
//! number of sessions for paginated lists, and the account an enrolment
//! names. Everything else the API shows comes from the modules the pages use.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::courses::{Course, PUBLISHED};
use super::sessions::Period;
use crate::schema::users;
use crate::schema_training::{courses, enrolments, quiz_attempts, quizzes, training_sessions};
use crate::{Db, StoreError};

/// The role string of trainees in `users.role`.
const TRAINEE: &str = "trainee";

/// One page of the courses a trainee may see, by Greek title, with the
/// total: every published course and every course they are enrolled in,
/// whatever its status (their progress in an archived course stays theirs).
pub fn trainee_courses(
    db: &mut Db<'_>,
    trainee_id: &str,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Course>, i64), StoreError> {
    let enrolled: Vec<String> = enrolments::table
        .filter(enrolments::trainee_id.eq(trainee_id))
        .select(enrolments::course_id)
        .load(db.conn)?;
    let visible = courses::status
        .eq(PUBLISHED)
        .or(courses::id.eq_any(enrolled.clone()));
    let total: i64 = courses::table.filter(visible).count().get_result(db.conn)?;
    let visible = courses::status
        .eq(PUBLISHED)
        .or(courses::id.eq_any(enrolled));
    let rows = courses::table
        .filter(visible)
        .order((courses::title_el.asc(), courses::id.asc()))
        .offset(offset.max(0))
        .limit(limit.max(1))
        .select(Course::as_select())
        .load(db.conn)?;
    Ok((rows, total))
}

/// Whether a trainee may open a course: it is published or they are
/// enrolled in it. `false` for an unknown course.
pub fn trainee_may_see_course(
    db: &mut Db<'_>,
    trainee_id: &str,
    course_id: &str,
) -> Result<bool, StoreError> {
    let status: Option<String> = courses::table
        .find(course_id)
        .select(courses::status)
        .first(db.conn)
        .optional()?;
    match status {
        None => Ok(false),
        Some(status) if status == PUBLISHED => Ok(true),
        Some(_) => super::enrolment::is_enrolled(db, course_id, trainee_id),
    }
}

/// Which attempts [`attempts`] returns; `None` fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttemptFilter {
    pub trainee_id: Option<String>,
    pub course_id: Option<String>,
}

/// One quiz attempt as the API lists it. Points are whole hundredths of a
/// point, as stored; they are `None` until the attempt is submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRow {
    pub id: String,
    pub quiz_id: String,
    pub quiz_title_el: String,
    pub quiz_title_en: String,
    /// The quiz's purpose: `pre_test`, `post_test` or `module`.
    pub purpose: String,
    pub course_id: String,
    pub trainee_id: String,
    /// Counted from 1 per trainee and quiz.
    pub number: i32,
    pub started_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub points: Option<i32>,
    pub max_points: Option<i32>,
    pub passed: Option<bool>,
    /// `on_time`, `in_grace` or `late` once submitted.
    pub timeliness: Option<String>,
}

type AttemptColumns = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i32,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<i32>,
    Option<i32>,
    Option<bool>,
    Option<String>,
);

/// One page of attempts matching `filter`, most recently started first,
/// with the total.
pub fn attempts(
    db: &mut Db<'_>,
    filter: &AttemptFilter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<AttemptRow>, i64), StoreError> {
    let filtered = || {
        let mut query = quiz_attempts::table.inner_join(quizzes::table).into_boxed();
        if let Some(trainee_id) = &filter.trainee_id {
            query = query.filter(quiz_attempts::trainee_id.eq(trainee_id.clone()));
        }
        if let Some(course_id) = &filter.course_id {
            query = query.filter(quizzes::course_id.eq(course_id.clone()));
        }
        query
    };
    let total: i64 = filtered().count().get_result(db.conn)?;
    let rows: Vec<AttemptColumns> = filtered()
        .order((quiz_attempts::started_at.desc(), quiz_attempts::id.asc()))
        .offset(offset.max(0))
        .limit(limit.max(1))
        .select((
            quiz_attempts::id,
            quizzes::id,
            quizzes::title_el,
            quizzes::title_en,
            quizzes::purpose,
            quizzes::course_id,
            quiz_attempts::trainee_id,
            quiz_attempts::number,
            quiz_attempts::started_at,
            quiz_attempts::submitted_at,
            quiz_attempts::points,
            quiz_attempts::max_points,
            quiz_attempts::passed,
            quiz_attempts::timeliness,
        ))
        .load(db.conn)?;
    let rows = rows
        .into_iter()
        .map(
            |(
                id,
                quiz_id,
                quiz_title_el,
                quiz_title_en,
                purpose,
                course_id,
                trainee_id,
                number,
                started_at,
                submitted_at,
                points,
                max_points,
                passed,
                timeliness,
            )| AttemptRow {
                id,
                quiz_id,
                quiz_title_el,
                quiz_title_en,
                purpose,
                course_id,
                trainee_id,
                number,
                started_at,
                submitted_at,
                points,
                max_points,
                passed,
                timeliness,
            },
        )
        .collect();
    Ok((rows, total))
}

/// The number of sessions `sessions::list` pages through for `period`.
pub fn count_sessions(db: &mut Db<'_>, period: Period) -> Result<i64, StoreError> {
    let count = match period {
        Period::Upcoming(now) => training_sessions::table
            .filter(training_sessions::ends_at.ge(now))
            .filter(training_sessions::cancelled_at.is_null())
            .count()
            .get_result(db.conn)?,
        Period::All => training_sessions::table.count().get_result(db.conn)?,
    };
    Ok(count)
}

/// Whether `user_id` is an active trainee account (not disabled).
pub fn is_trainee(db: &mut Db<'_>, user_id: &str) -> Result<bool, StoreError> {
    let found: Option<(String, bool)> = users::table
        .find(user_id)
        .select((users::role, users::disabled))
        .first(db.conn)
        .optional()?;
    Ok(found.is_some_and(|(role, disabled)| role == TRAINEE && !disabled))
}

/// Whether a course with this id exists.
pub fn course_exists(db: &mut Db<'_>, course_id: &str) -> Result<bool, StoreError> {
    let count: i64 = courses::table
        .filter(courses::id.eq(course_id))
        .count()
        .get_result(db.conn)?;
    Ok(count > 0)
}
