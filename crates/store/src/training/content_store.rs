//! Writing a checked course ([`CourseContent`]) to the database: one
//! transaction that creates the course or updates it in place by its slug.
//!
//! - The course row is found by `courses.slug`. Its status is set only when
//!   it is created, so a trainer's archiving survives a reload.
//! - Modules and lessons have no slug column, so their row ids are derived
//!   from the course id and their slugs ([`derived_id`]); a reload finds the
//!   same rows. Modules and lessons added in the web pages are left alone.
//! - Questions are found by `(course_id, slug)` and keep their row id, so
//!   past attempts, which store question ids, stay valid. A question the
//!   loader wrote earlier (no `created_by`) that is no longer in the files
//!   is retired, not deleted; one that comes back is un-retired.
//! - Quizzes are found by `(course_id, slug)`; the pre-test and post-test
//!   ids are written to the course.

use diesel::prelude::*;
use procap_domain::training::QuestionId;
use procap_domain::training::question::Question;
use sha2::{Digest, Sha256};

use super::content::{CourseContent, QuizPurpose};
use crate::schema_training::{course_modules, courses, lessons, questions, quizzes};
use crate::{Db, StoreError, new_id, now};

/// What a load changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadSummary {
    pub course_id: String,
    /// Whether the course row was created by this load.
    pub created: bool,
    pub modules: usize,
    pub lessons: usize,
    pub questions_inserted: usize,
    pub questions_updated: usize,
    /// Questions of earlier loads that are no longer in the files.
    pub questions_retired: usize,
    pub quizzes: usize,
}

/// Returns a stable row id for a part of a course that has no slug column:
/// a UUID (version 8, custom) made from the SHA-256 of the course id, the
/// kind of row and its slug path.
pub fn derived_id(course_id: &str, kind: &str, path: &str) -> String {
    let digest = Sha256::digest(format!("procap-content\0{course_id}\0{kind}\0{path}"));
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    uuid::Uuid::from_bytes(bytes).to_string()
}

fn module_id(course_id: &str, module_slug: &str) -> String {
    derived_id(course_id, "module", module_slug)
}

fn lesson_id(course_id: &str, module_slug: &str, lesson_slug: &str) -> String {
    derived_id(course_id, "lesson", &format!("{module_slug}/{lesson_slug}"))
}

fn json(value: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|error| StoreError::Corrupt(error.to_string()))
}

fn to_i32(value: impl TryInto<i32>, what: &str) -> Result<i32, StoreError> {
    value
        .try_into()
        .map_err(|_| StoreError::Corrupt(format!("{what} does not fit the column")))
}

/// Creates the course or updates it in place, in one transaction.
///
/// # Errors
///
/// A [`StoreError`] from the database; nothing is written then.
pub fn load_course(db: &mut Db<'_>, content: &CourseContent) -> Result<LoadSummary, StoreError> {
    db.transaction(|db| write_course(db, content))
}

fn write_course(db: &mut Db<'_>, content: &CourseContent) -> Result<LoadSummary, StoreError> {
    let at = now();
    let mut summary = LoadSummary::default();

    // The course row.
    let existing: Option<String> = courses::table
        .filter(courses::slug.eq(&content.slug))
        .select(courses::id)
        .first(db.conn)
        .optional()?;
    let sectors = content.sectors.join(",");
    let course_id = match existing {
        Some(id) => {
            diesel::update(courses::table.find(&id))
                .set((
                    courses::title_el.eq(&content.title.el),
                    courses::title_en.eq(&content.title.en),
                    courses::summary_el.eq(&content.summary.el),
                    courses::summary_en.eq(&content.summary.en),
                    courses::sectors.eq(&sectors),
                    courses::rule_post_test.eq(content.rule_post_test),
                    courses::rule_attendance.eq(content.rule_attendance),
                    courses::rule_evaluation.eq(content.rule_evaluation),
                    courses::updated_at.eq(at),
                ))
                .execute(db.conn)?;
            id
        }
        None => {
            let id = new_id();
            diesel::insert_into(courses::table)
                .values((
                    courses::id.eq(&id),
                    courses::slug.eq(&content.slug),
                    courses::title_el.eq(&content.title.el),
                    courses::title_en.eq(&content.title.en),
                    courses::summary_el.eq(&content.summary.el),
                    courses::summary_en.eq(&content.summary.en),
                    courses::sectors.eq(&sectors),
                    courses::status.eq(&content.status),
                    courses::rule_post_test.eq(content.rule_post_test),
                    courses::rule_attendance.eq(content.rule_attendance),
                    courses::rule_evaluation.eq(content.rule_evaluation),
                    courses::created_at.eq(at),
                    courses::updated_at.eq(at),
                ))
                .execute(db.conn)?;
            summary.created = true;
            id
        }
    };
    summary.course_id = course_id.clone();

    // Modules and their lessons.
    for (index, module) in content.modules.iter().enumerate() {
        let id = module_id(&course_id, &module.slug);
        let position = to_i32(index + 1, "module position")?;
        let updated = diesel::update(course_modules::table.find(&id))
            .set((
                course_modules::position.eq(position),
                course_modules::title_el.eq(&module.title.el),
                course_modules::title_en.eq(&module.title.en),
                course_modules::sector.eq(module.sector.as_deref()),
            ))
            .execute(db.conn)?;
        if updated == 0 {
            diesel::insert_into(course_modules::table)
                .values((
                    course_modules::id.eq(&id),
                    course_modules::course_id.eq(&course_id),
                    course_modules::position.eq(position),
                    course_modules::title_el.eq(&module.title.el),
                    course_modules::title_en.eq(&module.title.en),
                    course_modules::sector.eq(module.sector.as_deref()),
                ))
                .execute(db.conn)?;
        }
        summary.modules += 1;

        for (index, lesson) in module.lessons.iter().enumerate() {
            let lesson_row = lesson_id(&course_id, &module.slug, &lesson.slug);
            let position = to_i32(index + 1, "lesson position")?;
            let updated = diesel::update(lessons::table.find(&lesson_row))
                .set((
                    lessons::module_id.eq(&id),
                    lessons::position.eq(position),
                    lessons::kind.eq("text"),
                    lessons::title_el.eq(&lesson.title.el),
                    lessons::title_en.eq(&lesson.title.en),
                    lessons::body_el.eq(&lesson.body.el),
                    lessons::body_en.eq(&lesson.body.en),
                    lessons::video_url.eq(lesson.video_url.as_deref()),
                    lessons::required.eq(lesson.required),
                    lessons::updated_at.eq(at),
                ))
                .execute(db.conn)?;
            if updated == 0 {
                diesel::insert_into(lessons::table)
                    .values((
                        lessons::id.eq(&lesson_row),
                        lessons::course_id.eq(&course_id),
                        lessons::module_id.eq(&id),
                        lessons::position.eq(position),
                        lessons::kind.eq("text"),
                        lessons::title_el.eq(&lesson.title.el),
                        lessons::title_en.eq(&lesson.title.en),
                        lessons::body_el.eq(&lesson.body.el),
                        lessons::body_en.eq(&lesson.body.en),
                        lessons::video_url.eq(lesson.video_url.as_deref()),
                        lessons::required.eq(lesson.required),
                        lessons::created_at.eq(at),
                        lessons::updated_at.eq(at),
                    ))
                    .execute(db.conn)?;
            }
            summary.lessons += 1;
        }
    }

    // The question bank.
    let stored: Vec<(
        String,
        String,
        Option<String>,
        Option<chrono::NaiveDateTime>,
    )> = questions::table
        .filter(questions::course_id.eq(&course_id))
        .select((
            questions::id,
            questions::slug,
            questions::created_by,
            questions::retired_at,
        ))
        .load(db.conn)?;
    for content_question in &content.questions {
        let existing = stored
            .iter()
            .find(|(_, slug, _, _)| *slug == content_question.slug);
        let id = existing.map_or_else(new_id, |(id, _, _, _)| id.clone());
        let parsed = &content_question.question;
        // The definition carries the row id, which attempts refer to.
        let question = Question::new(
            QuestionId::new(id.clone()),
            parsed.tags().iter().cloned(),
            parsed.max_points(),
            parsed.body().clone(),
        )
        .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let definition = json(&question)?;
        let texts = json(&content_question.texts)?;
        let tags = question
            .tags()
            .iter()
            .cloned()
            .collect::<Vec<_>>()
            .join(",");
        let points = to_i32(question.max_points().hundredths(), "points")?;
        let kind = question.kind().as_str();
        if existing.is_some() {
            diesel::update(questions::table.find(&id))
                .set((
                    questions::kind.eq(kind),
                    questions::tags.eq(&tags),
                    questions::points.eq(points),
                    questions::definition.eq(&definition),
                    questions::texts.eq(&texts),
                    questions::updated_at.eq(at),
                    questions::retired_at.eq(None::<chrono::NaiveDateTime>),
                ))
                .execute(db.conn)?;
            summary.questions_updated += 1;
        } else {
            diesel::insert_into(questions::table)
                .values((
                    questions::id.eq(&id),
                    questions::course_id.eq(&course_id),
                    questions::slug.eq(&content_question.slug),
                    questions::kind.eq(kind),
                    questions::tags.eq(&tags),
                    questions::points.eq(points),
                    questions::definition.eq(&definition),
                    questions::texts.eq(&texts),
                    questions::created_at.eq(at),
                    questions::updated_at.eq(at),
                ))
                .execute(db.conn)?;
            summary.questions_inserted += 1;
        }
    }
    for (id, slug, created_by, retired_at) in &stored {
        let gone = !content.questions.iter().any(|q| &q.slug == slug);
        if gone && created_by.is_none() && retired_at.is_none() {
            diesel::update(questions::table.find(id))
                .set(questions::retired_at.eq(Some(at)))
                .execute(db.conn)?;
            summary.questions_retired += 1;
        }
    }

    // Quizzes, then the course's pre-test and post-test.
    let mut pre_test = None;
    let mut post_test = None;
    for quiz in &content.quizzes {
        let existing: Option<String> = quizzes::table
            .filter(quizzes::course_id.eq(&course_id))
            .filter(quizzes::slug.eq(&quiz.slug))
            .select(quizzes::id)
            .first(db.conn)
            .optional()?;
        let module = quiz
            .module
            .as_deref()
            .map(|slug| module_id(&course_id, slug));
        let draws = json(&quiz.draws)?;
        let pass_mark = i32::from(quiz.rules.pass_mark_percent());
        let time_limit = quiz
            .rules
            .time_limit()
            .map(|limit| to_i32(limit.num_seconds(), "time limit"))
            .transpose()?;
        let max_attempts = quiz
            .rules
            .max_attempts()
            .map(|limit| to_i32(limit, "attempts limit"))
            .transpose()?;
        let late_rule = quiz.rules.late_rule().as_str();
        let id = match existing {
            Some(id) => {
                diesel::update(quizzes::table.find(&id))
                    .set((
                        quizzes::module_id.eq(module.as_deref()),
                        quizzes::purpose.eq(quiz.purpose.as_str()),
                        quizzes::title_el.eq(&quiz.title.el),
                        quizzes::title_en.eq(&quiz.title.en),
                        quizzes::pass_mark.eq(pass_mark),
                        quizzes::time_limit_seconds.eq(time_limit),
                        quizzes::max_attempts.eq(max_attempts),
                        quizzes::late_rule.eq(late_rule),
                        quizzes::draws.eq(&draws),
                        quizzes::required.eq(quiz.required),
                        quizzes::updated_at.eq(at),
                    ))
                    .execute(db.conn)?;
                id
            }
            None => {
                let id = new_id();
                diesel::insert_into(quizzes::table)
                    .values((
                        quizzes::id.eq(&id),
                        quizzes::course_id.eq(&course_id),
                        quizzes::module_id.eq(module.as_deref()),
                        quizzes::purpose.eq(quiz.purpose.as_str()),
                        quizzes::slug.eq(&quiz.slug),
                        quizzes::title_el.eq(&quiz.title.el),
                        quizzes::title_en.eq(&quiz.title.en),
                        quizzes::pass_mark.eq(pass_mark),
                        quizzes::time_limit_seconds.eq(time_limit),
                        quizzes::max_attempts.eq(max_attempts),
                        quizzes::late_rule.eq(late_rule),
                        quizzes::draws.eq(&draws),
                        quizzes::required.eq(quiz.required),
                        quizzes::created_at.eq(at),
                        quizzes::updated_at.eq(at),
                    ))
                    .execute(db.conn)?;
                id
            }
        };
        match quiz.purpose {
            QuizPurpose::PreTest => pre_test = Some(id),
            QuizPurpose::PostTest => post_test = Some(id),
            QuizPurpose::Module => {}
        }
        summary.quizzes += 1;
    }
    diesel::update(courses::table.find(&course_id))
        .set((
            courses::pre_test_quiz_id.eq(pre_test),
            courses::post_test_quiz_id.eq(post_test),
        ))
        .execute(db.conn)?;

    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_uuids_that_differ_by_slug() {
        let first = derived_id("course", "lesson", "m1/a");
        assert_eq!(first, derived_id("course", "lesson", "m1/a"));
        assert_ne!(first, derived_id("course", "lesson", "m1/b"));
        assert_ne!(first, derived_id("other", "lesson", "m1/a"));
        let parsed = uuid::Uuid::parse_str(&first).unwrap();
        assert_eq!(parsed.get_version_num(), 8);
    }
}
