//! SCORM 1.2 lessons: the package row behind a lesson of kind `scorm` and
//! each trainee's result.
//!
//! The package's files live in object storage under
//! [`storage_prefix`]`(package_id)`; the web layer writes them before
//! [`add_scorm_lesson`] records the lesson. [`record_commit`] stores what a
//! package committed and, when the status is `passed` or `completed`,
//! counts the lesson as viewed and recomputes the trainee's completion of
//! the course in the same transaction.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use procap_domain::training::scorm::{LessonStatus, ScormCommit, ScormScore};

use super::progress::{self, Recomputed};
use crate::schema_training::{
    course_modules, courses, enrolments, lesson_views, lessons, scorm_packages, scorm_results,
};
use crate::{Db, StoreError};

/// The `lessons.kind` of a SCORM lesson.
pub const KIND: &str = "scorm";

/// The object-store prefix of a package's files: `scorm/{package_id}`.
pub fn storage_prefix(package_id: &str) -> String {
    format!("scorm/{package_id}")
}

/// A course as the upload page names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseHeading {
    pub id: String,
    pub title_el: String,
    pub title_en: String,
}

/// Loads a course's id and titles; [`StoreError::NotFound`] for an unknown id.
pub fn course_heading(db: &mut Db<'_>, course_id: &str) -> Result<CourseHeading, StoreError> {
    let (id, title_el, title_en) = courses::table
        .filter(courses::id.eq(course_id))
        .select((courses::id, courses::title_el, courses::title_en))
        .first::<(String, String, String)>(db.conn)?;
    Ok(CourseHeading {
        id,
        title_el,
        title_en,
    })
}

/// A module a package can be added to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleChoice {
    pub id: String,
    pub position: i32,
    pub title_el: String,
    pub title_en: String,
}

/// A course's modules in course order.
pub fn course_modules(db: &mut Db<'_>, course_id: &str) -> Result<Vec<ModuleChoice>, StoreError> {
    let rows = course_modules::table
        .filter(course_modules::course_id.eq(course_id))
        .order((course_modules::position, course_modules::id))
        .select((
            course_modules::id,
            course_modules::position,
            course_modules::title_el,
            course_modules::title_en,
        ))
        .load::<(String, i32, String, String)>(db.conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, position, title_el, title_en)| ModuleChoice {
            id,
            position,
            title_el,
            title_en,
        })
        .collect())
}

/// A checked package to record as a new lesson at the end of a module.
#[derive(Debug, Clone)]
pub struct NewScormLesson<'a> {
    /// Chosen by the caller, because the files are stored under it first.
    pub package_id: &'a str,
    pub course_id: &'a str,
    pub module_id: &'a str,
    pub title_el: &'a str,
    pub title_en: &'a str,
    /// Whether the lesson is a completion rule of the course.
    pub required: bool,
    /// The title from the package's manifest.
    pub package_title: &'a str,
    /// The first SCO's launch file relative to the storage prefix.
    pub launch_path: &'a str,
}

/// Records the lesson (kind `scorm`, empty bodies) and its package, in one
/// transaction, and returns the lesson id. A module that is not the
/// course's gives [`StoreError::NotFound`].
pub fn add_scorm_lesson(db: &mut Db<'_>, new: &NewScormLesson<'_>) -> Result<String, StoreError> {
    db.transaction(|db| {
        course_modules::table
            .filter(course_modules::id.eq(new.module_id))
            .filter(course_modules::course_id.eq(new.course_id))
            .select(course_modules::id)
            .first::<String>(db.conn)?;
        let last: Option<i32> = lessons::table
            .filter(lessons::module_id.eq(new.module_id))
            .select(diesel::dsl::max(lessons::position))
            .first(db.conn)?;
        let lesson_id = crate::new_id();
        let now = crate::now();
        diesel::insert_into(lessons::table)
            .values((
                lessons::id.eq(&lesson_id),
                lessons::course_id.eq(new.course_id),
                lessons::module_id.eq(new.module_id),
                lessons::position.eq(last.map_or(1, |last| last + 1)),
                lessons::kind.eq(KIND),
                lessons::title_el.eq(new.title_el),
                lessons::title_en.eq(new.title_en),
                lessons::body_el.eq(""),
                lessons::body_en.eq(""),
                lessons::video_url.eq(None::<String>),
                lessons::required.eq(new.required),
                lessons::created_at.eq(now),
                lessons::updated_at.eq(now),
            ))
            .execute(db.conn)?;
        diesel::insert_into(scorm_packages::table)
            .values((
                scorm_packages::id.eq(new.package_id),
                scorm_packages::lesson_id.eq(&lesson_id),
                scorm_packages::title.eq(new.package_title),
                scorm_packages::storage_prefix.eq(storage_prefix(new.package_id)),
                scorm_packages::launch_path.eq(new.launch_path),
                scorm_packages::created_at.eq(now),
            ))
            .execute(db.conn)?;
        Ok(lesson_id)
    })
}

/// A SCORM lesson with its package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScormLesson {
    pub lesson_id: String,
    pub course_id: String,
    pub title_el: String,
    pub title_en: String,
    pub required: bool,
    pub package_id: String,
    pub package_title: String,
    pub storage_prefix: String,
    pub launch_path: String,
}

/// Loads a SCORM lesson; [`StoreError::NotFound`] for an unknown id or a
/// lesson of another kind.
pub fn scorm_lesson(db: &mut Db<'_>, lesson_id: &str) -> Result<ScormLesson, StoreError> {
    type Row = (
        String,
        String,
        String,
        String,
        bool,
        String,
        String,
        String,
        String,
    );
    let row: Row = lessons::table
        .inner_join(scorm_packages::table.on(scorm_packages::lesson_id.eq(lessons::id)))
        .filter(lessons::id.eq(lesson_id))
        .filter(lessons::kind.eq(KIND))
        .select((
            lessons::id,
            lessons::course_id,
            lessons::title_el,
            lessons::title_en,
            lessons::required,
            scorm_packages::id,
            scorm_packages::title,
            scorm_packages::storage_prefix,
            scorm_packages::launch_path,
        ))
        .first(db.conn)?;
    let (lesson_id, course_id, title_el, title_en, required, package_id, title, prefix, launch) =
        row;
    Ok(ScormLesson {
        lesson_id,
        course_id,
        title_el,
        title_en,
        required,
        package_id,
        package_title: title,
        storage_prefix: prefix,
        launch_path: launch,
    })
}

/// Whether the trainee is enrolled in the course.
pub fn is_enrolled(db: &mut Db<'_>, trainee_id: &str, course_id: &str) -> Result<bool, StoreError> {
    let count: i64 = enrolments::table
        .filter(enrolments::trainee_id.eq(trainee_id))
        .filter(enrolments::course_id.eq(course_id))
        .count()
        .get_result(db.conn)?;
    Ok(count > 0)
}

/// A trainee's stored result for a SCORM lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScormResult {
    pub lesson_status: LessonStatus,
    pub score_raw: Option<ScormScore>,
    /// Other elements the package stored (suspend data, location, …).
    pub data: BTreeMap<String, String>,
    pub updated_at: NaiveDateTime,
}

/// The trainee's result for the lesson, if the package committed one.
pub fn result(
    db: &mut Db<'_>,
    trainee_id: &str,
    lesson_id: &str,
) -> Result<Option<ScormResult>, StoreError> {
    let row = scorm_results::table
        .filter(scorm_results::trainee_id.eq(trainee_id))
        .filter(scorm_results::lesson_id.eq(lesson_id))
        .select((
            scorm_results::lesson_status,
            scorm_results::score_raw,
            scorm_results::data,
            scorm_results::updated_at,
        ))
        .first::<(String, Option<i32>, String, NaiveDateTime)>(db.conn)
        .optional()?;
    row.map(|(status, score, data, updated_at)| {
        let lesson_status = LessonStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("scorm lesson status {status:?}")))?;
        let score_raw = match score {
            None => None,
            Some(value) => Some(
                u16::try_from(value)
                    .ok()
                    .and_then(ScormScore::from_hundredths)
                    .ok_or_else(|| StoreError::Corrupt(format!("scorm score {value}")))?,
            ),
        };
        let data = serde_json::from_str(&data)
            .map_err(|error| StoreError::Corrupt(format!("scorm data: {error}")))?;
        Ok(ScormResult {
            lesson_status,
            score_raw,
            data,
            updated_at,
        })
    })
    .transpose()
}

/// What [`record_commit`] stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitOutcome {
    pub result: ScormResult,
    /// The lesson was counted as viewed by this commit.
    pub viewed_now: bool,
    /// The completion recomputed after a first view; `None` otherwise.
    pub recomputed: Option<Recomputed>,
}

/// Stores a package's commit for an enrolled trainee, merged into what it
/// stored before, in one transaction. A `passed` or `completed` status
/// counts the lesson as viewed (once) and recomputes the course's
/// completion. A trainee who is not enrolled gets [`StoreError::NotFound`].
pub fn record_commit(
    db: &mut Db<'_>,
    trainee_id: &str,
    lesson: &ScormLesson,
    commit: &ScormCommit,
) -> Result<CommitOutcome, StoreError> {
    db.transaction(|db| {
        if !is_enrolled(db, trainee_id, &lesson.course_id)? {
            return Err(StoreError::NotFound);
        }
        let before = result(db, trainee_id, &lesson.lesson_id)?;
        let now = crate::now();
        let lesson_status = commit
            .lesson_status
            .or(before.as_ref().map(|before| before.lesson_status))
            .unwrap_or(LessonStatus::NotAttempted);
        let score_raw = match commit.score_raw {
            Some(score) => score,
            None => before.as_ref().and_then(|before| before.score_raw),
        };
        let mut data = before
            .as_ref()
            .map(|before| before.data.clone())
            .unwrap_or_default();
        data.extend(commit.data.clone());
        let data_json = serde_json::to_string(&data)
            .map_err(|error| StoreError::Corrupt(format!("scorm data: {error}")))?;
        let score_column = score_raw.map(|score| i32::from(score.hundredths()));

        if before.is_some() {
            diesel::update(
                scorm_results::table
                    .filter(scorm_results::trainee_id.eq(trainee_id))
                    .filter(scorm_results::lesson_id.eq(&lesson.lesson_id)),
            )
            .set((
                scorm_results::lesson_status.eq(lesson_status.as_str()),
                scorm_results::score_raw.eq(score_column),
                scorm_results::data.eq(&data_json),
                scorm_results::updated_at.eq(now),
            ))
            .execute(db.conn)?;
        } else {
            diesel::insert_into(scorm_results::table)
                .values((
                    scorm_results::trainee_id.eq(trainee_id),
                    scorm_results::lesson_id.eq(&lesson.lesson_id),
                    scorm_results::lesson_status.eq(lesson_status.as_str()),
                    scorm_results::score_raw.eq(score_column),
                    scorm_results::data.eq(&data_json),
                    scorm_results::updated_at.eq(now),
                ))
                .execute(db.conn)?;
        }

        let mut viewed_now = false;
        let mut recomputed = None;
        if lesson_status.counts_as_viewed() {
            let seen: i64 = lesson_views::table
                .filter(lesson_views::trainee_id.eq(trainee_id))
                .filter(lesson_views::lesson_id.eq(&lesson.lesson_id))
                .count()
                .get_result(db.conn)?;
            if seen == 0 {
                diesel::insert_into(lesson_views::table)
                    .values((
                        lesson_views::trainee_id.eq(trainee_id),
                        lesson_views::lesson_id.eq(&lesson.lesson_id),
                        lesson_views::course_id.eq(&lesson.course_id),
                        lesson_views::first_viewed_at.eq(now),
                    ))
                    .execute(db.conn)?;
                viewed_now = true;
                recomputed = Some(progress::recompute(db, trainee_id, &lesson.course_id)?);
            }
        }
        Ok(CommitOutcome {
            result: ScormResult {
                lesson_status,
                score_raw,
                data,
                updated_at: now,
            },
            viewed_now,
            recomputed,
        })
    })
}
