//! Courses, their modules and lessons, lesson files and prerequisites.
//!
//! A course is `draft`, `published` or `archived`; trainees see published
//! courses only. Modules and lessons keep a `position` that starts at 1 and
//! has no gaps; moving swaps two neighbours. Lesson bodies are stored as the
//! trainer wrote them (Markdown) and sanitised when rendered. The bytes of a
//! lesson file live in object storage under a random key; this module keeps
//! only the record.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use procap_domain::training::CourseId;
use procap_domain::training::completion::{PrerequisiteError, Prerequisites};

use crate::schema_training::{
    course_modules, course_prerequisites, courses, lesson_files, lessons,
};
use crate::{Db, StoreError};

/// The sector codes of trainees, sessions and course tags.
pub const SECTORS: [&str; 8] = [
    "airport",
    "public_transport",
    "tourism",
    "labour_inspection",
    "school",
    "reception_identification",
    "ngo",
    "other",
];

/// The region codes of trainees and sessions.
pub const REGIONS: [&str; 3] = ["attica", "central_macedonia", "other"];

/// Course statuses as stored in `courses.status`.
pub const DRAFT: &str = "draft";
pub const PUBLISHED: &str = "published";
pub const ARCHIVED: &str = "archived";

/// Lesson kinds as stored in `lessons.kind`.
pub const KIND_TEXT: &str = "text";

/// Whether `code` is one of [`SECTORS`].
pub fn is_sector(code: &str) -> bool {
    SECTORS.contains(&code)
}

/// Whether `code` is one of [`REGIONS`].
pub fn is_region(code: &str) -> bool {
    REGIONS.contains(&code)
}

/// A course row.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = courses)]
pub struct Course {
    pub id: String,
    pub slug: String,
    pub title_el: String,
    pub title_en: String,
    pub summary_el: String,
    pub summary_en: String,
    /// Comma-separated sector codes; empty for every sector.
    pub sectors: String,
    pub status: String,
    pub rule_post_test: bool,
    pub rule_attendance: bool,
    pub rule_evaluation: bool,
    pub pre_test_quiz_id: Option<String>,
    pub post_test_quiz_id: Option<String>,
    pub created_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Course {
    /// The sector codes the course is tagged with.
    pub fn sector_list(&self) -> Vec<String> {
        split_sectors(&self.sectors)
    }
}

fn split_sectors(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The fields a trainer edits on a course. Sector codes must be known; the
/// caller checks them (see [`is_sector`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CourseInput {
    pub slug: String,
    pub title_el: String,
    pub title_en: String,
    pub summary_el: String,
    pub summary_en: String,
    pub sectors: Vec<String>,
    pub rule_post_test: bool,
    pub rule_attendance: bool,
    pub rule_evaluation: bool,
}

fn joined_sectors(sectors: &[String]) -> String {
    let unique: BTreeSet<&str> = sectors.iter().map(String::as_str).collect();
    SECTORS
        .iter()
        .filter(|code| unique.contains(*code))
        .copied()
        .collect::<Vec<_>>()
        .join(",")
}

/// Creates a draft course and returns its id. `Conflict` when the slug is
/// taken.
pub fn create_course(
    db: &mut Db<'_>,
    input: &CourseInput,
    created_by: &str,
) -> Result<String, StoreError> {
    let id = crate::new_id();
    let now = crate::now();
    diesel::insert_into(courses::table)
        .values((
            courses::id.eq(&id),
            courses::slug.eq(&input.slug),
            courses::title_el.eq(&input.title_el),
            courses::title_en.eq(&input.title_en),
            courses::summary_el.eq(&input.summary_el),
            courses::summary_en.eq(&input.summary_en),
            courses::sectors.eq(joined_sectors(&input.sectors)),
            courses::status.eq(DRAFT),
            courses::rule_post_test.eq(input.rule_post_test),
            courses::rule_attendance.eq(input.rule_attendance),
            courses::rule_evaluation.eq(input.rule_evaluation),
            courses::created_by.eq(Some(created_by)),
            courses::created_at.eq(now),
            courses::updated_at.eq(now),
        ))
        .execute(db.conn)?;
    Ok(id)
}

/// Replaces a course's texts, sectors and rule flags. `NotFound` for an
/// unknown course, `Conflict` when the slug is taken.
pub fn update_course(db: &mut Db<'_>, id: &str, input: &CourseInput) -> Result<(), StoreError> {
    let updated = diesel::update(courses::table.find(id))
        .set((
            courses::slug.eq(&input.slug),
            courses::title_el.eq(&input.title_el),
            courses::title_en.eq(&input.title_en),
            courses::summary_el.eq(&input.summary_el),
            courses::summary_en.eq(&input.summary_en),
            courses::sectors.eq(joined_sectors(&input.sectors)),
            courses::rule_post_test.eq(input.rule_post_test),
            courses::rule_attendance.eq(input.rule_attendance),
            courses::rule_evaluation.eq(input.rule_evaluation),
            courses::updated_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    one(updated)
}

/// Sets the status to [`DRAFT`], [`PUBLISHED`] or [`ARCHIVED`].
pub fn set_status(db: &mut Db<'_>, id: &str, status: &str) -> Result<(), StoreError> {
    if ![DRAFT, PUBLISHED, ARCHIVED].contains(&status) {
        return Err(StoreError::Corrupt(format!(
            "unknown course status {status}"
        )));
    }
    let updated = diesel::update(courses::table.find(id))
        .set((
            courses::status.eq(status),
            courses::updated_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    one(updated)
}

pub fn get_course(db: &mut Db<'_>, id: &str) -> Result<Course, StoreError> {
    Ok(courses::table
        .find(id)
        .select(Course::as_select())
        .first(db.conn)?)
}

/// One page of courses ordered by Greek title, with the total count.
/// `status` limits the list to one status.
pub fn list_courses(
    db: &mut Db<'_>,
    status: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Course>, i64), StoreError> {
    let mut count = courses::table.into_boxed();
    let mut rows = courses::table.into_boxed();
    if let Some(status) = status {
        count = count.filter(courses::status.eq(status.to_owned()));
        rows = rows.filter(courses::status.eq(status.to_owned()));
    }
    let total = count.count().get_result::<i64>(db.conn)?;
    let list = rows
        .order((courses::title_el.asc(), courses::id.asc()))
        .offset(offset.max(0))
        .limit(limit.max(1))
        .select(Course::as_select())
        .load(db.conn)?;
    Ok((list, total))
}

/// Every course as (id, Greek title, English title), for choices.
pub fn course_choices(db: &mut Db<'_>) -> Result<Vec<(String, String, String)>, StoreError> {
    Ok(courses::table
        .order((courses::title_el.asc(), courses::id.asc()))
        .select((courses::id, courses::title_el, courses::title_en))
        .load(db.conn)?)
}

fn one(updated: usize) -> Result<(), StoreError> {
    if updated == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

// --- Prerequisites ------------------------------------------------------------

/// The whole prerequisite graph as stored.
pub fn prerequisite_graph(db: &mut Db<'_>) -> Result<Prerequisites, StoreError> {
    let pairs: Vec<(String, String)> = course_prerequisites::table
        .select((
            course_prerequisites::course_id,
            course_prerequisites::required_course_id,
        ))
        .load(db.conn)?;
    Prerequisites::new(
        pairs
            .into_iter()
            .map(|(course, required)| (CourseId::new(course), CourseId::new(required))),
    )
    .map_err(|error| StoreError::Corrupt(error.to_string()))
}

/// The direct prerequisites of a course, by id.
pub fn prerequisites_of(db: &mut Db<'_>, course_id: &str) -> Result<Vec<String>, StoreError> {
    Ok(course_prerequisites::table
        .filter(course_prerequisites::course_id.eq(course_id))
        .order(course_prerequisites::required_course_id.asc())
        .select(course_prerequisites::required_course_id)
        .load(db.conn)?)
}

/// Replaces the prerequisites of a course. The outer `Err` is a storage
/// failure; the inner one means the change would make the course require
/// itself or close a cycle, and nothing was written.
pub fn set_prerequisites(
    db: &mut Db<'_>,
    course_id: &str,
    required: &[String],
) -> Result<Result<(), PrerequisiteError>, StoreError> {
    db.transaction(|db| {
        let mut graph = prerequisite_graph(db)?;
        let wanted: BTreeSet<CourseId> = required
            .iter()
            .map(|id| CourseId::new(id.clone()))
            .collect();
        if let Err(error) = graph.set(CourseId::new(course_id), wanted.clone()) {
            return Ok(Err(error));
        }
        diesel::delete(
            course_prerequisites::table.filter(course_prerequisites::course_id.eq(course_id)),
        )
        .execute(db.conn)?;
        for prerequisite in &wanted {
            diesel::insert_into(course_prerequisites::table)
                .values((
                    course_prerequisites::course_id.eq(course_id),
                    course_prerequisites::required_course_id.eq(prerequisite.as_str()),
                ))
                .execute(db.conn)?;
        }
        Ok(Ok(()))
    })
}

// --- Modules ------------------------------------------------------------------

/// A module row.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = course_modules)]
pub struct Module {
    pub id: String,
    pub course_id: String,
    pub position: i32,
    pub title_el: String,
    pub title_en: String,
    pub sector: Option<String>,
}

/// A module's titles and optional sector.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleInput {
    pub title_el: String,
    pub title_en: String,
    pub sector: Option<String>,
}

/// Adds a module at the end of the course and returns its id.
pub fn add_module(
    db: &mut Db<'_>,
    course_id: &str,
    input: &ModuleInput,
) -> Result<String, StoreError> {
    db.transaction(|db| {
        let last: Option<i32> = course_modules::table
            .filter(course_modules::course_id.eq(course_id))
            .select(diesel::dsl::max(course_modules::position))
            .first(db.conn)?;
        let id = crate::new_id();
        diesel::insert_into(course_modules::table)
            .values((
                course_modules::id.eq(&id),
                course_modules::course_id.eq(course_id),
                course_modules::position.eq(last.unwrap_or(0) + 1),
                course_modules::title_el.eq(&input.title_el),
                course_modules::title_en.eq(&input.title_en),
                course_modules::sector.eq(input.sector.as_deref()),
            ))
            .execute(db.conn)?;
        touch(db, course_id)?;
        Ok(id)
    })
}

pub fn update_module(
    db: &mut Db<'_>,
    course_id: &str,
    module_id: &str,
    input: &ModuleInput,
) -> Result<(), StoreError> {
    let updated = diesel::update(
        course_modules::table
            .find(module_id)
            .filter(course_modules::course_id.eq(course_id)),
    )
    .set((
        course_modules::title_el.eq(&input.title_el),
        course_modules::title_en.eq(&input.title_en),
        course_modules::sector.eq(input.sector.as_deref()),
    ))
    .execute(db.conn)?;
    one(updated)
}

/// Deletes a module with its lessons and closes the gap in positions.
pub fn delete_module(db: &mut Db<'_>, course_id: &str, module_id: &str) -> Result<(), StoreError> {
    db.transaction(|db| {
        let module = get_module(db, course_id, module_id)?;
        diesel::delete(lessons::table.filter(lessons::module_id.eq(module_id))).execute(db.conn)?;
        diesel::delete(course_modules::table.find(module_id)).execute(db.conn)?;
        diesel::update(
            course_modules::table
                .filter(course_modules::course_id.eq(course_id))
                .filter(course_modules::position.gt(module.position)),
        )
        .set(course_modules::position.eq(course_modules::position - 1))
        .execute(db.conn)?;
        touch(db, course_id)
    })
}

pub fn get_module(db: &mut Db<'_>, course_id: &str, module_id: &str) -> Result<Module, StoreError> {
    Ok(course_modules::table
        .find(module_id)
        .filter(course_modules::course_id.eq(course_id))
        .select(Module::as_select())
        .first(db.conn)?)
}

/// A course's modules in order.
pub fn list_modules(db: &mut Db<'_>, course_id: &str) -> Result<Vec<Module>, StoreError> {
    Ok(course_modules::table
        .filter(course_modules::course_id.eq(course_id))
        .order((course_modules::position.asc(), course_modules::id.asc()))
        .select(Module::as_select())
        .load(db.conn)?)
}

/// The direction an item moves in its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

impl Direction {
    /// Parses `up` or `down`.
    pub fn parse(value: &str) -> Option<Direction> {
        match value {
            "up" => Some(Direction::Up),
            "down" => Some(Direction::Down),
            _ => None,
        }
    }
}

/// Swaps a module with its neighbour. Moving the first up or the last down
/// changes nothing.
pub fn move_module(
    db: &mut Db<'_>,
    course_id: &str,
    module_id: &str,
    direction: Direction,
) -> Result<(), StoreError> {
    db.transaction(|db| {
        let module = get_module(db, course_id, module_id)?;
        let target = match direction {
            Direction::Up => module.position - 1,
            Direction::Down => module.position + 1,
        };
        let neighbour: Option<String> = course_modules::table
            .filter(course_modules::course_id.eq(course_id))
            .filter(course_modules::position.eq(target))
            .select(course_modules::id)
            .first(db.conn)
            .optional()?;
        if let Some(neighbour) = neighbour {
            diesel::update(course_modules::table.find(&neighbour))
                .set(course_modules::position.eq(module.position))
                .execute(db.conn)?;
            diesel::update(course_modules::table.find(module_id))
                .set(course_modules::position.eq(target))
                .execute(db.conn)?;
        }
        Ok(())
    })
}

fn touch(db: &mut Db<'_>, course_id: &str) -> Result<(), StoreError> {
    diesel::update(courses::table.find(course_id))
        .set(courses::updated_at.eq(crate::now()))
        .execute(db.conn)?;
    Ok(())
}

// --- Lessons ------------------------------------------------------------------

/// A lesson row.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = lessons)]
pub struct Lesson {
    pub id: String,
    pub course_id: String,
    pub module_id: String,
    pub position: i32,
    pub kind: String,
    pub title_el: String,
    pub title_en: String,
    pub body_el: String,
    pub body_en: String,
    pub video_url: Option<String>,
    pub required: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The fields a trainer edits on a text lesson. The caller has checked that the
/// video link, if any, is an https URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LessonInput {
    pub title_el: String,
    pub title_en: String,
    pub body_el: String,
    pub body_en: String,
    pub video_url: Option<String>,
    pub required: bool,
}

/// Adds a text lesson at the end of a module and returns its id.
/// `NotFound` when the module is not in the course.
pub fn add_lesson(
    db: &mut Db<'_>,
    course_id: &str,
    module_id: &str,
    input: &LessonInput,
) -> Result<String, StoreError> {
    db.transaction(|db| {
        get_module(db, course_id, module_id)?;
        let last: Option<i32> = lessons::table
            .filter(lessons::module_id.eq(module_id))
            .select(diesel::dsl::max(lessons::position))
            .first(db.conn)?;
        let id = crate::new_id();
        let now = crate::now();
        diesel::insert_into(lessons::table)
            .values((
                lessons::id.eq(&id),
                lessons::course_id.eq(course_id),
                lessons::module_id.eq(module_id),
                lessons::position.eq(last.unwrap_or(0) + 1),
                lessons::kind.eq(KIND_TEXT),
                lessons::title_el.eq(&input.title_el),
                lessons::title_en.eq(&input.title_en),
                lessons::body_el.eq(&input.body_el),
                lessons::body_en.eq(&input.body_en),
                lessons::video_url.eq(input.video_url.as_deref()),
                lessons::required.eq(input.required),
                lessons::created_at.eq(now),
                lessons::updated_at.eq(now),
            ))
            .execute(db.conn)?;
        touch(db, course_id)?;
        Ok(id)
    })
}

pub fn update_lesson(
    db: &mut Db<'_>,
    course_id: &str,
    lesson_id: &str,
    input: &LessonInput,
) -> Result<(), StoreError> {
    let updated = diesel::update(
        lessons::table
            .find(lesson_id)
            .filter(lessons::course_id.eq(course_id)),
    )
    .set((
        lessons::title_el.eq(&input.title_el),
        lessons::title_en.eq(&input.title_en),
        lessons::body_el.eq(&input.body_el),
        lessons::body_en.eq(&input.body_en),
        lessons::video_url.eq(input.video_url.as_deref()),
        lessons::required.eq(input.required),
        lessons::updated_at.eq(crate::now()),
    ))
    .execute(db.conn)?;
    one(updated)
}

/// Deletes a lesson (its files' records and views go with it) and closes
/// the gap in its module. Returns the object keys of its files, which the
/// caller removes from object storage.
pub fn delete_lesson(
    db: &mut Db<'_>,
    course_id: &str,
    lesson_id: &str,
) -> Result<Vec<String>, StoreError> {
    db.transaction(|db| {
        let lesson = get_lesson(db, course_id, lesson_id)?;
        let keys: Vec<String> = lesson_files::table
            .filter(lesson_files::lesson_id.eq(lesson_id))
            .select(lesson_files::storage_key)
            .load(db.conn)?;
        diesel::delete(lesson_files::table.filter(lesson_files::lesson_id.eq(lesson_id)))
            .execute(db.conn)?;
        diesel::delete(lessons::table.find(lesson_id)).execute(db.conn)?;
        diesel::update(
            lessons::table
                .filter(lessons::module_id.eq(&lesson.module_id))
                .filter(lessons::position.gt(lesson.position)),
        )
        .set(lessons::position.eq(lessons::position - 1))
        .execute(db.conn)?;
        touch(db, course_id)?;
        Ok(keys)
    })
}

/// A lesson of a course; `NotFound` when it belongs to another course.
pub fn get_lesson(db: &mut Db<'_>, course_id: &str, lesson_id: &str) -> Result<Lesson, StoreError> {
    Ok(lessons::table
        .find(lesson_id)
        .filter(lessons::course_id.eq(course_id))
        .select(Lesson::as_select())
        .first(db.conn)?)
}

/// A course's lessons in reading order: by module position, then lesson
/// position.
pub fn list_lessons(db: &mut Db<'_>, course_id: &str) -> Result<Vec<Lesson>, StoreError> {
    Ok(lessons::table
        .inner_join(course_modules::table)
        .filter(lessons::course_id.eq(course_id))
        .order((
            course_modules::position.asc(),
            lessons::position.asc(),
            lessons::id.asc(),
        ))
        .select(Lesson::as_select())
        .load(db.conn)?)
}

/// Swaps a lesson with its neighbour in the same module.
pub fn move_lesson(
    db: &mut Db<'_>,
    course_id: &str,
    lesson_id: &str,
    direction: Direction,
) -> Result<(), StoreError> {
    db.transaction(|db| {
        let lesson = get_lesson(db, course_id, lesson_id)?;
        let target = match direction {
            Direction::Up => lesson.position - 1,
            Direction::Down => lesson.position + 1,
        };
        let neighbour: Option<String> = lessons::table
            .filter(lessons::module_id.eq(&lesson.module_id))
            .filter(lessons::position.eq(target))
            .select(lessons::id)
            .first(db.conn)
            .optional()?;
        if let Some(neighbour) = neighbour {
            diesel::update(lessons::table.find(&neighbour))
                .set(lessons::position.eq(lesson.position))
                .execute(db.conn)?;
            diesel::update(lessons::table.find(lesson_id))
                .set(lessons::position.eq(target))
                .execute(db.conn)?;
        }
        Ok(())
    })
}

// --- Lesson files -------------------------------------------------------------

/// The record of a file attached to a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = lesson_files)]
pub struct LessonFile {
    pub id: String,
    pub lesson_id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
    pub created_at: NaiveDateTime,
}

/// What recording an uploaded lesson file needs. The caller has written the
/// bytes under `storage_key` first.
pub struct NewLessonFile<'a> {
    pub lesson_id: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub storage_key: &'a str,
}

/// Records a lesson file and returns its id.
pub fn add_lesson_file(db: &mut Db<'_>, new: &NewLessonFile<'_>) -> Result<String, StoreError> {
    let id = crate::new_id();
    diesel::insert_into(lesson_files::table)
        .values((
            lesson_files::id.eq(&id),
            lesson_files::lesson_id.eq(new.lesson_id),
            lesson_files::file_name.eq(new.file_name),
            lesson_files::content_type.eq(new.content_type),
            lesson_files::size_bytes.eq(new.size_bytes),
            lesson_files::storage_key.eq(new.storage_key),
            lesson_files::created_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
    Ok(id)
}

/// A lesson's files, oldest first.
pub fn list_lesson_files(db: &mut Db<'_>, lesson_id: &str) -> Result<Vec<LessonFile>, StoreError> {
    Ok(lesson_files::table
        .filter(lesson_files::lesson_id.eq(lesson_id))
        .order((lesson_files::created_at.asc(), lesson_files::id.asc()))
        .select(LessonFile::as_select())
        .load(db.conn)?)
}

/// A file of a lesson; `NotFound` when it belongs to another lesson.
pub fn get_lesson_file(
    db: &mut Db<'_>,
    lesson_id: &str,
    file_id: &str,
) -> Result<LessonFile, StoreError> {
    Ok(lesson_files::table
        .find(file_id)
        .filter(lesson_files::lesson_id.eq(lesson_id))
        .select(LessonFile::as_select())
        .first(db.conn)?)
}

/// Removes a file's record and returns its object key.
pub fn delete_lesson_file(
    db: &mut Db<'_>,
    lesson_id: &str,
    file_id: &str,
) -> Result<String, StoreError> {
    let file = get_lesson_file(db, lesson_id, file_id)?;
    diesel::delete(lesson_files::table.find(file_id)).execute(db.conn)?;
    Ok(file.storage_key)
}
