//! The question bank, quizzes, attempts and the learning-gain report.
//!
//! Grading, the pass mark, the time limit, the attempts limit and random
//! selection are the domain's (`procap_domain::training::{question, quiz,
//! gain}`); this module loads what they need and stores what they decide.
//!
//! - Questions keep their domain definition and their wording
//!   ([`QuestionTexts`]) as JSON. A retired question stays for past attempts
//!   and is never drawn again.
//! - Quizzes keep their rules and their draws by tag. Saving a pre-test or
//!   post-test also points the course at it.
//! - An attempt stores the seed of its draw and the drawn question ids in
//!   the order shown. A submission is graded with `Attempt::submit` before
//!   anything is written, then recorded by a conditional `UPDATE ... WHERE
//!   submitted_at IS NULL`: of two submissions racing for one attempt, only
//!   one changes the row, and the other gets `AlreadySubmitted`. Completion
//!   is recomputed in the same transaction.
//! - The learning-gain report compares each trainee's FIRST submitted
//!   pre-test with their LAST submitted post-test: the first pre-test is the
//!   knowledge they came with, the last post-test what they left with.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use diesel::prelude::*;
use procap_domain::training::gain::{
    GroupGain, IndividualGain, ScorePercent, group_gain, normalised_gain,
};
use procap_domain::training::question::{Answer, GradedAnswer, Outcome, Question, QuestionKind};
use procap_domain::training::quiz::{
    Attempt, AttemptError, AttemptResult, LateRule, QuizRules, SelectionError, TagDraw, Timeliness,
    select_questions,
};
use procap_domain::training::{Points, QuestionId, QuestionTexts};
use serde::{Deserialize, Serialize};

use super::progress::{self, Recomputed};
use crate::schema::users;
use crate::schema_training::{
    courses, enrolments, questions, quiz_attempts, quizzes, session_registrations,
    trainee_profiles, training_sessions,
};
use crate::{Db, StoreError};

/// Errors of the question bank, quizzes and attempts that the caller can
/// explain to the user. Anything unexpected is in `Store`.
#[derive(Debug, thiserror::Error)]
pub enum QuizError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Another question or quiz of the course already has this slug.
    #[error("the slug is already used in this course")]
    SlugTaken,
    /// The quiz's draws cannot be filled from the course's active bank.
    #[error("the draws cannot be filled: {0}")]
    Selection(SelectionError),
    /// The trainee is not enrolled in the quiz's course.
    #[error("the trainee is not enrolled in the course")]
    NotEnrolled,
    /// The domain refused the attempt or the submission: no attempts left,
    /// already submitted, a question not in the attempt, a malformed answer.
    #[error(transparent)]
    Attempt(AttemptError),
}

impl From<diesel::result::Error> for QuizError {
    fn from(error: diesel::result::Error) -> Self {
        QuizError::Store(error.into())
    }
}

/// Runs `work` in one transaction that may fail with a [`QuizError`].
fn quiz_transaction<T>(
    db: &mut Db<'_>,
    work: impl FnOnce(&mut Db<'_>) -> Result<T, QuizError>,
) -> Result<T, QuizError> {
    let keys = db.keys;
    crate::db::write_transaction(db.conn, |conn| work(&mut Db { conn, keys }))
}

fn corrupt(what: &str, error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {error}"))
}

fn slug_conflict(error: StoreError) -> QuizError {
    match error {
        StoreError::Conflict("unique") => QuizError::SlugTaken,
        other => QuizError::Store(other),
    }
}

fn points_column(points: Points) -> i32 {
    i32::try_from(points.hundredths()).unwrap_or(i32::MAX)
}

fn points_from_column(value: i32) -> Points {
    Points::from_hundredths(u32::try_from(value).unwrap_or(0))
}

// --- Questions ----------------------------------------------------------------

/// A question of a course's bank with its wording.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredQuestion {
    pub id: String,
    pub course_id: String,
    pub slug: String,
    pub question: Question,
    pub texts: QuestionTexts,
    pub retired_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

impl StoredQuestion {
    pub fn kind(&self) -> QuestionKind {
        self.question.kind()
    }
}

type QuestionRow = (
    String,
    String,
    String,
    String,
    String,
    Option<NaiveDateTime>,
    NaiveDateTime,
);

fn decode_question(row: QuestionRow) -> Result<StoredQuestion, StoreError> {
    let (id, course_id, slug, definition, texts, retired_at, updated_at) = row;
    let question: Question =
        serde_json::from_str(&definition).map_err(|error| corrupt("question definition", error))?;
    let texts: QuestionTexts =
        serde_json::from_str(&texts).map_err(|error| corrupt("question texts", error))?;
    Ok(StoredQuestion {
        id,
        course_id,
        slug,
        question,
        texts,
        retired_at,
        updated_at,
    })
}

macro_rules! question_columns {
    () => {
        (
            questions::id,
            questions::course_id,
            questions::slug,
            questions::definition,
            questions::texts,
            questions::retired_at,
            questions::updated_at,
        )
    };
}

fn tags_column(question: &Question) -> String {
    question
        .tags()
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

fn encode(question: &Question, texts: &QuestionTexts) -> Result<(String, String), StoreError> {
    let definition =
        serde_json::to_string(question).map_err(|error| corrupt("question definition", error))?;
    let texts = serde_json::to_string(texts).map_err(|error| corrupt("question texts", error))?;
    Ok((definition, texts))
}

/// Adds a question to a course's bank. The row id is the question's own id
/// (`question.id()`), which the caller draws with [`crate::new_id`].
///
/// # Errors
///
/// [`QuizError::SlugTaken`] when the course already has a question with
/// `slug`; `Store(NotFound)`-like errors only from the database.
pub fn add_question(
    db: &mut Db<'_>,
    course_id: &str,
    slug: &str,
    question: &Question,
    texts: &QuestionTexts,
    created_by: Option<&str>,
) -> Result<String, QuizError> {
    let (definition, texts) = encode(question, texts)?;
    let now = crate::now();
    diesel::insert_into(questions::table)
        .values((
            questions::id.eq(question.id().as_str()),
            questions::course_id.eq(course_id),
            questions::slug.eq(slug),
            questions::kind.eq(question.kind().as_str()),
            questions::tags.eq(tags_column(question)),
            questions::points.eq(points_column(question.max_points())),
            questions::definition.eq(definition),
            questions::texts.eq(texts),
            questions::created_by.eq(created_by),
            questions::created_at.eq(now),
            questions::updated_at.eq(now),
        ))
        .execute(db.conn)
        .map_err(|error| slug_conflict(error.into()))?;
    Ok(question.id().to_string())
}

/// Replaces a question's slug, definition and wording. `question.id()` must
/// be the id of a question of `course_id`. Past attempts keep the answers
/// they stored; their results are shown against the current definition.
///
/// # Errors
///
/// `Store(NotFound)` when the question is not in the course;
/// [`QuizError::SlugTaken`] when another question has `slug`.
pub fn update_question(
    db: &mut Db<'_>,
    course_id: &str,
    slug: &str,
    question: &Question,
    texts: &QuestionTexts,
) -> Result<(), QuizError> {
    let (definition, texts) = encode(question, texts)?;
    let changed = diesel::update(
        questions::table
            .filter(questions::id.eq(question.id().as_str()))
            .filter(questions::course_id.eq(course_id)),
    )
    .set((
        questions::slug.eq(slug),
        questions::kind.eq(question.kind().as_str()),
        questions::tags.eq(tags_column(question)),
        questions::points.eq(points_column(question.max_points())),
        questions::definition.eq(definition),
        questions::texts.eq(texts),
        questions::updated_at.eq(crate::now()),
    ))
    .execute(db.conn)
    .map_err(|error| slug_conflict(error.into()))?;
    if changed == 0 {
        return Err(StoreError::NotFound.into());
    }
    Ok(())
}

/// Retires a question (or puts it back with `retired = false`). A retired
/// question is never drawn again but stays for the attempts that used it.
///
/// # Errors
///
/// `NotFound` when the question is not in the course.
pub fn set_retired(
    db: &mut Db<'_>,
    course_id: &str,
    question_id: &str,
    retired: bool,
) -> Result<(), StoreError> {
    let now = crate::now();
    let changed = diesel::update(
        questions::table
            .filter(questions::id.eq(question_id))
            .filter(questions::course_id.eq(course_id)),
    )
    .set((
        questions::retired_at.eq(retired.then_some(now)),
        questions::updated_at.eq(now),
    ))
    .execute(db.conn)?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// One question of a course's bank; `NotFound` when it is not there.
pub fn get_question(
    db: &mut Db<'_>,
    course_id: &str,
    question_id: &str,
) -> Result<StoredQuestion, StoreError> {
    let row: QuestionRow = questions::table
        .filter(questions::id.eq(question_id))
        .filter(questions::course_id.eq(course_id))
        .select(question_columns!())
        .first(db.conn)?;
    decode_question(row)
}

/// A page of a course's question bank.
#[derive(Debug, Clone)]
pub struct QuestionPage {
    pub questions: Vec<StoredQuestion>,
    /// Questions matching the filter across all pages.
    pub total: i64,
    /// Every tag used in the course's bank, sorted, for the filter.
    pub tags: Vec<String>,
}

/// Lists a course's questions by slug, optionally only those carrying
/// `tag`, skipping `offset` and returning at most `limit`. Retired questions
/// are listed too, after the active ones, when `include_retired` is set.
/// The bank of one course is small (hundreds of questions), so the tag
/// filter runs on the loaded rows rather than on the comma-separated column.
pub fn list_questions(
    db: &mut Db<'_>,
    course_id: &str,
    tag: Option<&str>,
    include_retired: bool,
    offset: i64,
    limit: i64,
) -> Result<QuestionPage, StoreError> {
    let rows: Vec<QuestionRow> = questions::table
        .filter(questions::course_id.eq(course_id))
        .order((questions::slug.asc(), questions::id.asc()))
        .select(question_columns!())
        .load(db.conn)?;
    let all = rows
        .into_iter()
        .map(decode_question)
        .collect::<Result<Vec<_>, _>>()?;
    let tags: BTreeSet<String> = all
        .iter()
        .flat_map(|stored| stored.question.tags().iter().cloned())
        .collect();
    let (mut active, retired): (Vec<_>, Vec<_>) = all
        .into_iter()
        .filter(|stored| tag.is_none_or(|tag| stored.question.has_tag(tag)))
        .partition(|stored| stored.retired_at.is_none());
    if include_retired {
        active.extend(retired);
    }
    let total = i64::try_from(active.len()).unwrap_or(i64::MAX);
    let questions = active
        .into_iter()
        .skip(usize::try_from(offset.max(0)).unwrap_or(usize::MAX))
        .take(usize::try_from(limit.max(0)).unwrap_or(0))
        .collect();
    Ok(QuestionPage {
        questions,
        total,
        tags: tags.into_iter().collect(),
    })
}

/// The active (not retired) questions of a course, the bank quizzes draw
/// from.
pub fn active_bank(db: &mut Db<'_>, course_id: &str) -> Result<Vec<Question>, StoreError> {
    let rows: Vec<QuestionRow> = questions::table
        .filter(questions::course_id.eq(course_id))
        .filter(questions::retired_at.is_null())
        .select(question_columns!())
        .load(db.conn)?;
    rows.into_iter()
        .map(|row| decode_question(row).map(|stored| stored.question))
        .collect()
}

// --- Quizzes ------------------------------------------------------------------

/// What a quiz is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuizPurpose {
    PreTest,
    PostTest,
    /// Closes a module of the course.
    Module,
}

impl QuizPurpose {
    pub const ALL: [QuizPurpose; 3] = [
        QuizPurpose::PreTest,
        QuizPurpose::PostTest,
        QuizPurpose::Module,
    ];

    /// Returns the stable identifier stored in `quizzes.purpose`.
    pub fn as_str(self) -> &'static str {
        match self {
            QuizPurpose::PreTest => "pre_test",
            QuizPurpose::PostTest => "post_test",
            QuizPurpose::Module => "module",
        }
    }

    pub fn parse(value: &str) -> Option<QuizPurpose> {
        QuizPurpose::ALL
            .into_iter()
            .find(|purpose| purpose.as_str() == value)
    }
}

/// A quiz as the editor saves it.
#[derive(Debug, Clone, PartialEq)]
pub struct QuizInput {
    pub purpose: QuizPurpose,
    /// The module a module quiz closes; ignored for the pre- and post-test.
    pub module_id: Option<String>,
    pub slug: String,
    pub title_el: String,
    pub title_en: String,
    pub rules: QuizRules,
    pub draws: Vec<TagDraw>,
    /// Whether passing it is a completion rule of the course.
    pub required: bool,
}

/// A stored quiz.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredQuiz {
    pub id: String,
    pub course_id: String,
    pub module_id: Option<String>,
    pub purpose: QuizPurpose,
    pub slug: String,
    pub title_el: String,
    pub title_en: String,
    pub rules: QuizRules,
    pub draws: Vec<TagDraw>,
    pub required: bool,
}

impl StoredQuiz {
    /// The number of questions an attempt draws.
    pub fn question_count(&self) -> usize {
        self.draws.iter().map(|draw| draw.count).sum()
    }
}

type QuizRow = (
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    String,
    i32,
    Option<i32>,
    Option<i32>,
    String,
    String,
    bool,
);

macro_rules! quiz_columns {
    () => {
        (
            quizzes::id,
            quizzes::course_id,
            quizzes::module_id,
            quizzes::purpose,
            quizzes::slug,
            quizzes::title_el,
            quizzes::title_en,
            quizzes::pass_mark,
            quizzes::time_limit_seconds,
            quizzes::max_attempts,
            quizzes::late_rule,
            quizzes::draws,
            quizzes::required,
        )
    };
}

fn decode_quiz(row: QuizRow) -> Result<StoredQuiz, StoreError> {
    let (
        id,
        course_id,
        module_id,
        purpose,
        slug,
        title_el,
        title_en,
        pass_mark,
        time_limit,
        max_attempts,
        late_rule,
        draws,
        required,
    ) = row;
    let purpose = QuizPurpose::parse(&purpose).ok_or_else(|| corrupt("quiz purpose", &purpose))?;
    let late_rule = LateRule::parse(&late_rule).ok_or_else(|| corrupt("late rule", &late_rule))?;
    let pass_mark = u8::try_from(pass_mark).map_err(|error| corrupt("pass mark", error))?;
    let time_limit = time_limit.map(|seconds| TimeDelta::seconds(i64::from(seconds)));
    let max_attempts = max_attempts
        .map(u32::try_from)
        .transpose()
        .map_err(|error| corrupt("attempts limit", error))?;
    let rules = QuizRules::new(pass_mark, time_limit, max_attempts, late_rule)
        .map_err(|error| corrupt("quiz rules", error))?;
    let draws: Vec<TagDraw> =
        serde_json::from_str(&draws).map_err(|error| corrupt("quiz draws", error))?;
    Ok(StoredQuiz {
        id,
        course_id,
        module_id,
        purpose,
        slug,
        title_el,
        title_en,
        rules,
        draws,
        required,
    })
}

/// Checks that the course's active bank can fill `draws`.
///
/// # Errors
///
/// [`QuizError::Selection`] with the domain's `TooFew` (every short tag) or
/// `Overlap`; an empty list of draws is `TooFew` with no shortages.
pub fn check_draws(db: &mut Db<'_>, course_id: &str, draws: &[TagDraw]) -> Result<(), QuizError> {
    if draws.iter().all(|draw| draw.count == 0) {
        return Err(QuizError::Selection(SelectionError::TooFew {
            shortages: Vec::new(),
        }));
    }
    let bank = active_bank(db, course_id)?;
    select_questions(&bank, draws, 0)
        .map(|_| ())
        .map_err(QuizError::Selection)
}

fn quiz_values(input: &QuizInput) -> Result<QuizValues, StoreError> {
    let draws =
        serde_json::to_string(&input.draws).map_err(|error| corrupt("quiz draws", error))?;
    let module_id = match input.purpose {
        QuizPurpose::Module => input.module_id.clone(),
        QuizPurpose::PreTest | QuizPurpose::PostTest => None,
    };
    Ok(QuizValues {
        module_id,
        draws,
        time_limit: input
            .rules
            .time_limit()
            .map(|limit| i32::try_from(limit.num_seconds()).unwrap_or(i32::MAX)),
        max_attempts: input
            .rules
            .max_attempts()
            .map(|limit| i32::try_from(limit).unwrap_or(i32::MAX)),
    })
}

struct QuizValues {
    module_id: Option<String>,
    draws: String,
    time_limit: Option<i32>,
    max_attempts: Option<i32>,
}

/// Points the course's pre-test or post-test at `quiz_id`.
fn link_to_course(
    db: &mut Db<'_>,
    course_id: &str,
    quiz_id: &str,
    purpose: QuizPurpose,
) -> Result<(), StoreError> {
    let target = courses::table.filter(courses::id.eq(course_id));
    match purpose {
        QuizPurpose::PreTest => diesel::update(target)
            .set(courses::pre_test_quiz_id.eq(quiz_id))
            .execute(db.conn)?,
        QuizPurpose::PostTest => diesel::update(target)
            .set(courses::post_test_quiz_id.eq(quiz_id))
            .execute(db.conn)?,
        QuizPurpose::Module => 0,
    };
    Ok(())
}

/// Creates a quiz after checking its draws against the active bank, and
/// makes a pre-test or post-test the course's own. Returns the new id.
///
/// # Errors
///
/// [`QuizError::Selection`] when the draws cannot be filled,
/// [`QuizError::SlugTaken`] when the course has a quiz with this slug.
pub fn create_quiz(
    db: &mut Db<'_>,
    course_id: &str,
    input: &QuizInput,
) -> Result<String, QuizError> {
    check_draws(db, course_id, &input.draws)?;
    let values = quiz_values(input)?;
    let id = crate::new_id();
    let now = crate::now();
    let result: Result<(), QuizError> = db
        .transaction(|db| {
            diesel::insert_into(quizzes::table)
                .values((
                    quizzes::id.eq(&id),
                    quizzes::course_id.eq(course_id),
                    quizzes::module_id.eq(&values.module_id),
                    quizzes::purpose.eq(input.purpose.as_str()),
                    quizzes::slug.eq(&input.slug),
                    quizzes::title_el.eq(&input.title_el),
                    quizzes::title_en.eq(&input.title_en),
                    quizzes::pass_mark.eq(i32::from(input.rules.pass_mark_percent())),
                    quizzes::time_limit_seconds.eq(values.time_limit),
                    quizzes::max_attempts.eq(values.max_attempts),
                    quizzes::late_rule.eq(input.rules.late_rule().as_str()),
                    quizzes::draws.eq(&values.draws),
                    quizzes::required.eq(input.required),
                    quizzes::created_at.eq(now),
                    quizzes::updated_at.eq(now),
                ))
                .execute(db.conn)?;
            link_to_course(db, course_id, &id, input.purpose)
        })
        .map_err(slug_conflict);
    result?;
    Ok(id)
}

/// Saves a quiz's rules and draws after checking the draws. Attempts
/// already started keep the questions they drew.
///
/// # Errors
///
/// As [`create_quiz`], and `Store(NotFound)` when the quiz is not in the
/// course.
pub fn update_quiz(
    db: &mut Db<'_>,
    course_id: &str,
    quiz_id: &str,
    input: &QuizInput,
) -> Result<(), QuizError> {
    check_draws(db, course_id, &input.draws)?;
    let values = quiz_values(input)?;
    db.transaction(|db| {
        let changed = diesel::update(
            quizzes::table
                .filter(quizzes::id.eq(quiz_id))
                .filter(quizzes::course_id.eq(course_id)),
        )
        .set((
            quizzes::module_id.eq(&values.module_id),
            quizzes::purpose.eq(input.purpose.as_str()),
            quizzes::slug.eq(&input.slug),
            quizzes::title_el.eq(&input.title_el),
            quizzes::title_en.eq(&input.title_en),
            quizzes::pass_mark.eq(i32::from(input.rules.pass_mark_percent())),
            quizzes::time_limit_seconds.eq(values.time_limit),
            quizzes::max_attempts.eq(values.max_attempts),
            quizzes::late_rule.eq(input.rules.late_rule().as_str()),
            quizzes::draws.eq(&values.draws),
            quizzes::required.eq(input.required),
            quizzes::updated_at.eq(crate::now()),
        ))
        .execute(db.conn)?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        link_to_course(db, course_id, quiz_id, input.purpose)
    })
    .map_err(slug_conflict)
}

/// One quiz; `NotFound` when there is none with this id.
pub fn get_quiz(db: &mut Db<'_>, quiz_id: &str) -> Result<StoredQuiz, StoreError> {
    let row: QuizRow = quizzes::table
        .find(quiz_id)
        .select(quiz_columns!())
        .first(db.conn)?;
    decode_quiz(row)
}

/// A course's quizzes: pre-test, post-test, then module quizzes by slug.
pub fn list_quizzes(db: &mut Db<'_>, course_id: &str) -> Result<Vec<StoredQuiz>, StoreError> {
    let rows: Vec<QuizRow> = quizzes::table
        .filter(quizzes::course_id.eq(course_id))
        .order((quizzes::slug.asc(), quizzes::id.asc()))
        .select(quiz_columns!())
        .load(db.conn)?;
    let mut quizzes = rows
        .into_iter()
        .map(decode_quiz)
        .collect::<Result<Vec<_>, _>>()?;
    quizzes.sort_by_key(|quiz| match quiz.purpose {
        QuizPurpose::PreTest => 0,
        QuizPurpose::PostTest => 1,
        QuizPurpose::Module => 2,
    });
    Ok(quizzes)
}

// --- Attempts -----------------------------------------------------------------

/// The stored grade of one answer (the serialised form of the domain's
/// `GradedAnswer`, which the store reads back for the result page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredGrade {
    pub points: Points,
    pub max_points: Points,
    pub outcome: Outcome,
    /// Sub-question grades of a scenario, by sub-question id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parts: BTreeMap<QuestionId, StoredGrade>,
}

impl From<&GradedAnswer> for StoredGrade {
    fn from(graded: &GradedAnswer) -> Self {
        StoredGrade {
            points: graded.points,
            max_points: graded.max_points,
            outcome: graded.outcome,
            parts: graded
                .parts
                .iter()
                .map(|part| (part.question.clone(), StoredGrade::from(part)))
                .collect(),
        }
    }
}

/// The recorded result of a submitted attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub submitted_at: NaiveDateTime,
    pub answers: BTreeMap<QuestionId, Answer>,
    /// Grades by question id; these are what the answers earned even when
    /// a late rule set the score to zero.
    pub grades: BTreeMap<QuestionId, StoredGrade>,
    /// The score that counts, after the late rule.
    pub points: Points,
    pub max_points: Points,
    pub passed: bool,
    pub timeliness: Timeliness,
}

impl Submission {
    /// The score as a percentage, for display.
    pub fn percent(&self) -> f64 {
        self.points.percent_of(self.max_points).unwrap_or(0.0)
    }
}

/// An attempt with its questions in the order shown.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptRecord {
    pub id: String,
    pub quiz: StoredQuiz,
    pub trainee_id: String,
    /// Counted from 1 per trainee and quiz.
    pub number: u32,
    pub seed: u64,
    pub questions: Vec<StoredQuestion>,
    pub started_at: NaiveDateTime,
    pub submission: Option<Submission>,
}

impl AttemptRecord {
    /// The moment the time limit runs out, if the quiz has one.
    pub fn deadline(&self) -> Option<NaiveDateTime> {
        self.quiz
            .rules
            .time_limit()
            .map(|limit| self.started_at + limit)
    }

    fn domain_attempt(&self) -> Attempt {
        Attempt {
            questions: self
                .questions
                .iter()
                .map(|stored| stored.question.clone())
                .collect(),
            started_at: self.started_at.and_utc(),
            submitted_at: self
                .submission
                .as_ref()
                .map(|submission| submission.submitted_at.and_utc()),
        }
    }
}

fn timeliness_str(timeliness: Timeliness) -> &'static str {
    match timeliness {
        Timeliness::OnTime => "on_time",
        Timeliness::InGrace => "in_grace",
        Timeliness::Late => "late",
    }
}

fn parse_timeliness(value: &str) -> Option<Timeliness> {
    [Timeliness::OnTime, Timeliness::InGrace, Timeliness::Late]
        .into_iter()
        .find(|timeliness| timeliness_str(*timeliness) == value)
}

fn is_enrolled(db: &mut Db<'_>, course_id: &str, trainee_id: &str) -> Result<bool, StoreError> {
    let count: i64 = enrolments::table
        .filter(enrolments::course_id.eq(course_id))
        .filter(enrolments::trainee_id.eq(trainee_id))
        .count()
        .get_result(db.conn)?;
    Ok(count > 0)
}

/// A trainee's standing on one quiz, for its start page.
#[derive(Debug, Clone, PartialEq)]
pub struct QuizStanding {
    pub enrolled: bool,
    /// Attempts started, submitted or not.
    pub attempts_made: u32,
    /// Attempts left, or `None` without a limit.
    pub attempts_left: Option<u32>,
    /// An attempt started but not submitted, which "start" resumes.
    pub open_attempt: Option<String>,
    /// The newest submitted attempts, at most [`LISTED_ATTEMPTS`], newest
    /// first.
    pub submitted: Vec<AttemptSummary>,
}

/// One submitted attempt in a list.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptSummary {
    pub id: String,
    pub number: u32,
    pub submitted_at: NaiveDateTime,
    pub points: Points,
    pub max_points: Points,
    pub passed: bool,
    pub timeliness: Timeliness,
}

type AttemptListRow = (
    String,
    i32,
    Option<NaiveDateTime>,
    Option<i32>,
    Option<i32>,
    Option<bool>,
    Option<String>,
);

/// How many submitted attempts [`standing`] lists.
pub const LISTED_ATTEMPTS: i64 = 50;

/// Loads a trainee's standing on a quiz.
pub fn standing(
    db: &mut Db<'_>,
    quiz: &StoredQuiz,
    trainee_id: &str,
) -> Result<QuizStanding, StoreError> {
    let enrolled = is_enrolled(db, &quiz.course_id, trainee_id)?;
    let attempts = quiz_attempts::table
        .filter(quiz_attempts::quiz_id.eq(&quiz.id))
        .filter(quiz_attempts::trainee_id.eq(trainee_id));
    let count: i64 = attempts.count().get_result(db.conn)?;
    // The newest attempts only: a trainee without an attempt limit may
    // have made any number, and the page lists the latest.
    let rows: Vec<AttemptListRow> = attempts
        .order(quiz_attempts::number.desc())
        .limit(LISTED_ATTEMPTS + 1)
        .select((
            quiz_attempts::id,
            quiz_attempts::number,
            quiz_attempts::submitted_at,
            quiz_attempts::points,
            quiz_attempts::max_points,
            quiz_attempts::passed,
            quiz_attempts::timeliness,
        ))
        .load(db.conn)?;
    let attempts_made = u32::try_from(count).unwrap_or(u32::MAX);
    let attempts_left = quiz
        .rules
        .max_attempts()
        .map(|limit| limit.saturating_sub(attempts_made));
    // A new attempt cannot start while one is open, so an open attempt is
    // the newest.
    let open_attempt = rows
        .first()
        .filter(|row| row.2.is_none())
        .map(|row| row.0.clone());
    let submitted = rows
        .into_iter()
        .filter(|row| row.2.is_some())
        .take(LISTED_ATTEMPTS as usize)
        .filter_map(|(id, number, at, points, max, passed, timeliness)| {
            Some(AttemptSummary {
                id,
                number: u32::try_from(number).unwrap_or(0),
                submitted_at: at?,
                points: points_from_column(points?),
                max_points: points_from_column(max?),
                passed: passed?,
                timeliness: parse_timeliness(&timeliness?)?,
            })
        })
        .collect();
    Ok(QuizStanding {
        enrolled,
        attempts_made,
        attempts_left,
        open_attempt,
        submitted,
    })
}

/// Starts an attempt for a trainee, or returns the one they started and
/// have not submitted yet. A new attempt draws its questions from the
/// course's active bank with `seed` and stores their ids in order.
///
/// # Errors
///
/// [`QuizError::NotEnrolled`]; [`QuizError::Attempt`] with `NoAttemptsLeft`;
/// [`QuizError::Selection`] when the bank no longer fills the draws;
/// `Store(NotFound)` for an unknown quiz; `Store(Conflict)` when another
/// start for the same trainee won a race.
pub fn start_attempt(
    db: &mut Db<'_>,
    quiz_id: &str,
    trainee_id: &str,
    seed: u64,
    now: DateTime<Utc>,
) -> Result<String, QuizError> {
    quiz_transaction(db, |db| {
        let quiz = get_quiz(db, quiz_id)?;
        let standing = standing(db, &quiz, trainee_id)?;
        if !standing.enrolled {
            return Err(QuizError::NotEnrolled);
        }
        if let Some(open) = standing.open_attempt {
            return Ok(open);
        }
        let number = quiz
            .rules
            .next_attempt(standing.attempts_made)
            .map_err(QuizError::Attempt)?;
        let bank = active_bank(db, &quiz.course_id)?;
        let drawn = select_questions(&bank, &quiz.draws, seed).map_err(QuizError::Selection)?;
        let ids: Vec<&str> = drawn
            .iter()
            .map(|question| question.id().as_str())
            .collect();
        let ids = serde_json::to_string(&ids).map_err(|error| corrupt("question ids", error))?;
        let id = crate::new_id();
        diesel::insert_into(quiz_attempts::table)
            .values((
                quiz_attempts::id.eq(&id),
                quiz_attempts::quiz_id.eq(&quiz.id),
                quiz_attempts::trainee_id.eq(trainee_id),
                quiz_attempts::number.eq(i32::try_from(number).unwrap_or(i32::MAX)),
                quiz_attempts::seed.eq(i64::from_ne_bytes(seed.to_ne_bytes())),
                quiz_attempts::question_ids.eq(ids),
                quiz_attempts::started_at.eq(crate::truncate_to_micros(now.naive_utc())),
            ))
            .execute(db.conn)
            .map_err(StoreError::from)?;
        Ok(id)
    })
}

type AttemptRow = (
    String,
    String,
    String,
    i32,
    i64,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<String>,
    Option<String>,
    Option<i32>,
    Option<i32>,
    Option<bool>,
    Option<String>,
);

/// Loads an attempt with its quiz and questions (retired ones included).
///
/// # Errors
///
/// `NotFound` for an unknown id; `Corrupt` when stored JSON does not parse.
pub fn get_attempt(db: &mut Db<'_>, attempt_id: &str) -> Result<AttemptRecord, StoreError> {
    let row: AttemptRow = quiz_attempts::table
        .find(attempt_id)
        .select((
            quiz_attempts::id,
            quiz_attempts::quiz_id,
            quiz_attempts::trainee_id,
            quiz_attempts::number,
            quiz_attempts::seed,
            quiz_attempts::question_ids,
            quiz_attempts::started_at,
            quiz_attempts::submitted_at,
            quiz_attempts::answers,
            quiz_attempts::grades,
            quiz_attempts::points,
            quiz_attempts::max_points,
            quiz_attempts::passed,
            quiz_attempts::timeliness,
        ))
        .first(db.conn)?;
    let (
        id,
        quiz_id,
        trainee_id,
        number,
        seed,
        question_ids,
        started_at,
        submitted_at,
        answers,
        grades,
        points,
        max_points,
        passed,
        timeliness,
    ) = row;
    let quiz = get_quiz(db, &quiz_id)?;
    let ids: Vec<String> =
        serde_json::from_str(&question_ids).map_err(|error| corrupt("question ids", error))?;
    let rows: Vec<QuestionRow> = questions::table
        .filter(questions::id.eq_any(&ids))
        .select(question_columns!())
        .load(db.conn)?;
    let mut by_id: BTreeMap<String, StoredQuestion> = rows
        .into_iter()
        .map(|row| decode_question(row).map(|stored| (stored.id.clone(), stored)))
        .collect::<Result<_, _>>()?;
    let questions = ids
        .iter()
        .map(|id| {
            by_id
                .remove(id)
                .ok_or_else(|| corrupt("attempt question", "a drawn question is gone"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let submission = match (
        submitted_at,
        answers,
        grades,
        points,
        max_points,
        passed,
        timeliness,
    ) {
        (
            Some(submitted_at),
            Some(answers),
            Some(grades),
            Some(points),
            Some(max_points),
            Some(passed),
            Some(timeliness),
        ) => Some(Submission {
            submitted_at,
            answers: serde_json::from_str(&answers)
                .map_err(|error| corrupt("attempt answers", error))?,
            grades: serde_json::from_str(&grades)
                .map_err(|error| corrupt("attempt grades", error))?,
            points: points_from_column(points),
            max_points: points_from_column(max_points),
            passed,
            timeliness: parse_timeliness(&timeliness)
                .ok_or_else(|| corrupt("timeliness", &timeliness))?,
        }),
        (None, ..) => None,
        _ => return Err(corrupt("attempt", "a submitted attempt lacks its result")),
    };
    Ok(AttemptRecord {
        id,
        quiz,
        trainee_id,
        number: u32::try_from(number).unwrap_or(0),
        seed: u64::from_ne_bytes(seed.to_ne_bytes()),
        questions,
        started_at,
        submission,
    })
}

/// What a submission recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Submitted {
    pub result: AttemptResult,
    /// What completion recomputation changed.
    pub recomputed: Recomputed,
}

/// Grades and records a trainee's submission of an attempt made at `now`,
/// then recomputes their completion of the course in the same transaction.
///
/// Grading runs first and writes nothing, so a rejected submission leaves
/// the attempt as it was. The row is then claimed with `UPDATE ... WHERE
/// submitted_at IS NULL`; when another submission got there first, no row
/// changes and the call fails with `AlreadySubmitted`.
///
/// # Errors
///
/// `Store(NotFound)` when the attempt is not the trainee's;
/// [`QuizError::Attempt`] with `AlreadySubmitted`, `QuestionNotInAttempt` or
/// `MalformedAnswer` from the domain.
pub fn submit_attempt(
    db: &mut Db<'_>,
    attempt_id: &str,
    trainee_id: &str,
    answers: &BTreeMap<QuestionId, Answer>,
    now: DateTime<Utc>,
) -> Result<Submitted, QuizError> {
    let attempt = get_attempt(db, attempt_id)?;
    if attempt.trainee_id != trainee_id {
        return Err(StoreError::NotFound.into());
    }
    let result = attempt
        .domain_attempt()
        .submit(&attempt.quiz.rules, answers, now)
        .map_err(QuizError::Attempt)?;

    let answers_json =
        serde_json::to_string(answers).map_err(|error| corrupt("attempt answers", error))?;
    let grades: BTreeMap<QuestionId, StoredGrade> = result
        .graded
        .iter()
        .map(|graded| (graded.question.clone(), StoredGrade::from(graded)))
        .collect();
    let grades_json =
        serde_json::to_string(&grades).map_err(|error| corrupt("attempt grades", error))?;
    let course_id = attempt.quiz.course_id.clone();
    quiz_transaction(db, |db| {
        // The claim is the transaction's first statement, so on SQLite it
        // takes the write lock (waiting behind another writer) before any
        // read, and the second of two racing submissions sees the first.
        let claimed = diesel::update(
            quiz_attempts::table
                .filter(quiz_attempts::id.eq(attempt_id))
                .filter(quiz_attempts::submitted_at.is_null()),
        )
        .set((
            quiz_attempts::submitted_at.eq(crate::truncate_to_micros(now.naive_utc())),
            quiz_attempts::answers.eq(&answers_json),
            quiz_attempts::grades.eq(&grades_json),
            quiz_attempts::points.eq(points_column(result.points)),
            quiz_attempts::max_points.eq(points_column(result.max_points)),
            quiz_attempts::passed.eq(result.passed),
            quiz_attempts::timeliness.eq(timeliness_str(result.timeliness)),
        ))
        .execute(db.conn)
        .map_err(StoreError::from)?;
        if claimed == 0 {
            return Err(QuizError::Attempt(AttemptError::AlreadySubmitted));
        }
        let recomputed = progress::recompute(db, trainee_id, &course_id)?;
        Ok(Submitted {
            result: result.clone(),
            recomputed,
        })
    })
}

// --- Learning gain ------------------------------------------------------------

/// One trainee's line of the learning-gain report. Scores are percentages.
#[derive(Debug, Clone, PartialEq)]
pub struct TraineeGain {
    pub trainee_id: String,
    pub display_name: String,
    /// The sector code from the trainee's profile, if they have one.
    pub sector: Option<String>,
    /// The FIRST submitted pre-test.
    pub pre: Option<f64>,
    /// The LAST submitted post-test.
    pub post: Option<f64>,
    /// Present only when both tests were taken.
    pub gain: Option<IndividualGain>,
    /// Ids of the course's sessions the trainee attended.
    pub sessions: Vec<String>,
}

/// A group's line: a sector or a session.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupLine {
    /// A sector code (`unknown` for trainees without a profile) or a
    /// session id.
    pub key: String,
    /// A session's titles; empty for sectors, whose names the web layer
    /// translates.
    pub title_el: String,
    pub title_en: String,
    /// Trainees in the group, with or without both tests.
    pub members: usize,
    pub gain: GroupGain,
}

/// The learning-gain report of one course.
#[derive(Debug, Clone, PartialEq)]
pub struct GainReport {
    pub trainees: Vec<TraineeGain>,
    /// All trainees with both tests.
    pub course: GroupGain,
    pub by_sector: Vec<GroupLine>,
    pub by_session: Vec<GroupLine>,
}

/// The sector key of trainees without a profile.
pub const UNKNOWN_SECTOR: &str = "unknown";

fn score_of(points: Option<i32>, max: Option<i32>) -> Option<f64> {
    let points = points_from_column(points?);
    let max = points_from_column(max?);
    let percent = points.percent_of(max)?;
    Some(percent.clamp(0.0, 100.0))
}

/// Scores by trainee for one quiz: the first or last submitted attempt.
fn scores(
    db: &mut Db<'_>,
    quiz_id: Option<&str>,
    first: bool,
) -> Result<BTreeMap<String, f64>, StoreError> {
    let Some(quiz_id) = quiz_id else {
        return Ok(BTreeMap::new());
    };
    let rows: Vec<(String, NaiveDateTime, Option<i32>, Option<i32>)> = quiz_attempts::table
        .filter(quiz_attempts::quiz_id.eq(quiz_id))
        .filter(quiz_attempts::submitted_at.is_not_null())
        .order((
            quiz_attempts::submitted_at.asc(),
            quiz_attempts::number.asc(),
        ))
        .select((
            quiz_attempts::trainee_id,
            quiz_attempts::submitted_at.assume_not_null(),
            quiz_attempts::points,
            quiz_attempts::max_points,
        ))
        .load(db.conn)?;
    let mut result = BTreeMap::new();
    for (trainee, _, points, max) in rows {
        let Some(score) = score_of(points, max) else {
            continue;
        };
        if first {
            result.entry(trainee).or_insert(score);
        } else {
            result.insert(trainee, score);
        }
    }
    Ok(result)
}

fn pairs(trainees: &[&TraineeGain]) -> Vec<(ScorePercent, ScorePercent)> {
    trainees
        .iter()
        .filter_map(|trainee| {
            let pre = ScorePercent::new(trainee.pre?).ok()?;
            let post = ScorePercent::new(trainee.post?).ok()?;
            Some((pre, post))
        })
        .collect()
}

/// Builds the learning-gain report of a course over its enrolled trainees:
/// each trainee's first pre-test and last post-test, their normalised gain,
/// and the group gain of the course, of each sector and of each session of
/// the course (by attendance). Trainees with only one test are listed but
/// left out of every group figure.
///
/// # Errors
///
/// `NotFound` for an unknown course.
pub fn gain_report(db: &mut Db<'_>, course_id: &str) -> Result<GainReport, StoreError> {
    let (pre_quiz, post_quiz): (Option<String>, Option<String>) = courses::table
        .find(course_id)
        .select((courses::pre_test_quiz_id, courses::post_test_quiz_id))
        .first(db.conn)?;
    let pre = scores(db, pre_quiz.as_deref(), true)?;
    let post = scores(db, post_quiz.as_deref(), false)?;

    let enrolled: Vec<(String, String, Option<String>)> = enrolments::table
        .inner_join(users::table.on(users::id.eq(enrolments::trainee_id)))
        .left_join(trainee_profiles::table.on(trainee_profiles::user_id.eq(enrolments::trainee_id)))
        .filter(enrolments::course_id.eq(course_id))
        .order((users::display_name.asc(), users::id.asc()))
        .select((
            users::id,
            users::display_name,
            trainee_profiles::sector.nullable(),
        ))
        .load(db.conn)?;
    let attended: Vec<(String, String, String, String)> = session_registrations::table
        .inner_join(training_sessions::table)
        .filter(training_sessions::course_id.eq(course_id))
        .filter(session_registrations::attended_at.is_not_null())
        .order((
            training_sessions::starts_at.asc(),
            training_sessions::id.asc(),
        ))
        .select((
            session_registrations::trainee_id,
            training_sessions::id,
            training_sessions::title_el,
            training_sessions::title_en,
        ))
        .load(db.conn)?;

    let trainees: Vec<TraineeGain> = enrolled
        .into_iter()
        .map(|(trainee_id, display_name, sector)| {
            let pre = pre.get(&trainee_id).copied();
            let post = post.get(&trainee_id).copied();
            let gain = match (pre, post) {
                (Some(pre), Some(post)) => {
                    match (ScorePercent::new(pre), ScorePercent::new(post)) {
                        (Ok(pre), Ok(post)) => Some(normalised_gain(pre, post)),
                        _ => None,
                    }
                }
                _ => None,
            };
            let sessions = attended
                .iter()
                .filter(|row| row.0 == trainee_id)
                .map(|row| row.1.clone())
                .collect();
            TraineeGain {
                trainee_id,
                display_name,
                sector,
                pre,
                post,
                gain,
                sessions,
            }
        })
        .collect();

    let everyone: Vec<&TraineeGain> = trainees.iter().collect();
    let course = group_gain(&pairs(&everyone));

    let mut sectors: BTreeMap<String, Vec<&TraineeGain>> = BTreeMap::new();
    for trainee in &trainees {
        let key = trainee
            .sector
            .clone()
            .unwrap_or_else(|| UNKNOWN_SECTOR.to_owned());
        sectors.entry(key).or_default().push(trainee);
    }
    let by_sector = sectors
        .into_iter()
        .map(|(key, members)| GroupLine {
            key,
            title_el: String::new(),
            title_en: String::new(),
            members: members.len(),
            gain: group_gain(&pairs(&members)),
        })
        .collect();

    let mut seen = BTreeSet::new();
    let mut by_session = Vec::new();
    for (_, session_id, title_el, title_en) in &attended {
        if !seen.insert(session_id.clone()) {
            continue;
        }
        let members: Vec<&TraineeGain> = trainees
            .iter()
            .filter(|trainee| trainee.sessions.contains(session_id))
            .collect();
        by_session.push(GroupLine {
            key: session_id.clone(),
            title_el: title_el.clone(),
            title_en: title_en.clone(),
            members: members.len(),
            gain: group_gain(&pairs(&members)),
        });
    }

    Ok(GainReport {
        trainees,
        course,
        by_sector,
        by_session,
    })
}
