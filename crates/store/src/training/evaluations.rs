//! Evaluation questionnaires: the trainee's answers, the e-mail invitation
//! and reminder bookkeeping, and the two AMIF result indicators.
//!
//! The rows are opened by [`super::progress::recompute`]: the end-of-course
//! evaluation when only it is missing (or at completion), the follow-up
//! three months after completion. Answering one calls `recompute` again in
//! the same transaction, since the evaluation may be a completion rule.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use procap_domain::training::TraineeId;
use procap_domain::training::evaluation::{
    EndOfCourseResponse, FollowUpResponse, Likert, LikertSummary, SkillsInUseIndicator,
    UsefulnessIndicator, skills_in_use_indicator, summarise, usefulness_indicator,
};

use crate::schema::users;
use crate::schema_training::{courses, enrolments, evaluations};
use crate::{Db, StoreError};

use super::progress::{self, END_OF_COURSE, FOLLOW_UP, Recomputed};

/// Days after the invitation at which one reminder goes out when the
/// evaluation is still unanswered.
pub const REMINDER_AFTER_DAYS: i64 = 7;

/// Which questionnaire an evaluation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Usefulness for work and quality, right after the course.
    EndOfCourse,
    /// Still using what was learned, three months after completion.
    FollowUp,
}

impl Kind {
    pub fn parse(value: &str) -> Option<Kind> {
        match value {
            END_OF_COURSE => Some(Kind::EndOfCourse),
            FOLLOW_UP => Some(Kind::FollowUp),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::EndOfCourse => END_OF_COURSE,
            Kind::FollowUp => FOLLOW_UP,
        }
    }
}

/// One evaluation row with its course's titles.
#[derive(Clone)]
pub struct Evaluation {
    pub id: String,
    pub course_id: String,
    pub course_title_el: String,
    pub course_title_en: String,
    pub trainee_id: String,
    pub kind: Kind,
    pub due_on: NaiveDate,
    pub sent_at: Option<NaiveDateTime>,
    pub reminder_sent_at: Option<NaiveDateTime>,
    pub answered_at: Option<NaiveDateTime>,
    pub usefulness: Option<Likert>,
    pub quality: Option<Likert>,
    pub still_using: Option<Likert>,
    pub comment: Option<String>,
}

impl std::fmt::Debug for Evaluation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Evaluation")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("answered_at", &self.answered_at)
            .finish_non_exhaustive()
    }
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    NaiveDate,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<i32>,
    Option<i32>,
    Option<i32>,
    Option<String>,
);

fn likert(value: Option<i32>) -> Result<Option<Likert>, StoreError> {
    value
        .map(|value| {
            u8::try_from(value)
                .ok()
                .and_then(|value| Likert::new(value).ok())
                .ok_or_else(|| StoreError::Corrupt(format!("Likert answer {value}")))
        })
        .transpose()
}

fn decode(row: Row) -> Result<Evaluation, StoreError> {
    let (
        id,
        course_id,
        title_el,
        title_en,
        trainee_id,
        kind,
        due_on,
        sent,
        reminded,
        answered,
        u,
        q,
        s,
        comment,
    ) = row;
    Ok(Evaluation {
        kind: Kind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("evaluation kind {kind}")))?,
        id,
        course_id,
        course_title_el: title_el,
        course_title_en: title_en,
        trainee_id,
        due_on,
        sent_at: sent,
        reminder_sent_at: reminded,
        answered_at: answered,
        usefulness: likert(u)?,
        quality: likert(q)?,
        still_using: likert(s)?,
        comment,
    })
}

macro_rules! evaluation_query {
    () => {
        evaluations::table.inner_join(courses::table).select((
            evaluations::id,
            evaluations::course_id,
            courses::title_el,
            courses::title_en,
            evaluations::trainee_id,
            evaluations::kind,
            evaluations::due_on,
            evaluations::sent_at,
            evaluations::reminder_sent_at,
            evaluations::answered_at,
            evaluations::usefulness,
            evaluations::quality,
            evaluations::still_using,
            evaluations::comment,
        ))
    };
}

/// Loads one evaluation.
///
/// # Errors
///
/// `NotFound` for an unknown id.
pub fn get(db: &mut Db<'_>, id: &str) -> Result<Evaluation, StoreError> {
    let row: Row = evaluation_query!()
        .filter(evaluations::id.eq(id))
        .first(db.conn)?;
    decode(row)
}

/// A trainee's evaluations that are due today or earlier and not yet
/// answered, oldest first.
pub fn open_for_trainee(
    db: &mut Db<'_>,
    trainee_id: &str,
    today: NaiveDate,
) -> Result<Vec<Evaluation>, StoreError> {
    let rows: Vec<Row> = evaluation_query!()
        .filter(evaluations::trainee_id.eq(trainee_id))
        .filter(evaluations::answered_at.is_null())
        .filter(evaluations::due_on.le(today))
        .order((evaluations::due_on.asc(), evaluations::id.asc()))
        .load(db.conn)?;
    rows.into_iter().map(decode).collect()
}

/// The answers to one questionnaire. Each Likert item is required; the
/// comment is optional free text.
#[derive(Clone)]
pub enum Answer {
    EndOfCourse {
        usefulness: Likert,
        quality: Likert,
        comment: Option<String>,
    },
    FollowUp {
        still_using: Likert,
        comment: Option<String>,
    },
}

impl Answer {
    pub fn kind(&self) -> Kind {
        match self {
            Answer::EndOfCourse { .. } => Kind::EndOfCourse,
            Answer::FollowUp { .. } => Kind::FollowUp,
        }
    }
}

/// Records a trainee's answers and recomputes their completion of the
/// course in the same transaction.
///
/// # Errors
///
/// `NotFound` when the evaluation does not exist or belongs to another
/// trainee; `Conflict("not_due")` before its due date;
/// `Conflict("already_answered")` for a second answer;
/// `Conflict("wrong_kind")` for answers of the other questionnaire.
pub fn answer(
    db: &mut Db<'_>,
    id: &str,
    trainee_id: &str,
    answer: &Answer,
    today: NaiveDate,
) -> Result<Recomputed, StoreError> {
    db.transaction(|db| {
        let evaluation = get(db, id)?;
        if evaluation.trainee_id != trainee_id {
            return Err(StoreError::NotFound);
        }
        if evaluation.kind != answer.kind() {
            return Err(StoreError::Conflict("wrong_kind"));
        }
        if evaluation.due_on > today {
            return Err(StoreError::Conflict("not_due"));
        }
        let now = crate::now();
        let (usefulness, quality, still_using, comment) = match answer {
            Answer::EndOfCourse {
                usefulness,
                quality,
                comment,
            } => (
                Some(i32::from(usefulness.value())),
                Some(i32::from(quality.value())),
                None,
                comment.clone(),
            ),
            Answer::FollowUp {
                still_using,
                comment,
            } => (
                None,
                None,
                Some(i32::from(still_using.value())),
                comment.clone(),
            ),
        };
        let updated = diesel::update(
            evaluations::table
                .find(id)
                .filter(evaluations::answered_at.is_null()),
        )
        .set((
            evaluations::answered_at.eq(Some(now)),
            evaluations::usefulness.eq(usefulness),
            evaluations::quality.eq(quality),
            evaluations::still_using.eq(still_using),
            evaluations::comment.eq(comment),
        ))
        .execute(db.conn)?;
        if updated == 0 {
            return Err(StoreError::Conflict("already_answered"));
        }
        progress::recompute(db, trainee_id, &evaluation.course_id)
    })
}

/// What an invitation or reminder e-mail needs: the address, the name to
/// greet, the language and the course title. Nothing else about the
/// trainee.
#[derive(Clone)]
pub struct Mailing {
    pub evaluation_id: String,
    pub kind: Kind,
    pub email: String,
    pub display_name: String,
    /// `el` or `en`, the trainee's interface language.
    pub locale: String,
    pub course_title_el: String,
    pub course_title_en: String,
}

impl std::fmt::Debug for Mailing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailing")
            .field("evaluation_id", &self.evaluation_id)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

type MailingRow = (String, String, Option<String>, String, String, String);

fn mailings(db: &mut Db<'_>, rows: Vec<MailingRow>) -> Result<Vec<Mailing>, StoreError> {
    let course_ids: Vec<&String> = rows.iter().map(|row| &row.5).collect();
    let titles: BTreeMap<String, (String, String)> = courses::table
        .filter(courses::id.eq_any(course_ids))
        .select((courses::id, (courses::title_el, courses::title_en)))
        .load::<(String, (String, String))>(db.conn)?
        .into_iter()
        .collect();
    let mut result = Vec::new();
    for row in rows {
        let titles = titles.get(&row.5).cloned().ok_or(StoreError::NotFound)?;
        result.extend(mailing(row, titles)?);
    }
    Ok(result)
}

fn mailing(row: MailingRow, titles: (String, String)) -> Result<Option<Mailing>, StoreError> {
    let (evaluation_id, kind, email, display_name, locale, _course_id) = row;
    let (title_el, title_en) = titles;
    let Some(email) = email.filter(|email| !email.trim().is_empty()) else {
        return Ok(None);
    };
    Ok(Some(Mailing {
        kind: Kind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("evaluation kind {kind}")))?,
        evaluation_id,
        email,
        display_name,
        locale,
        course_title_el: title_el,
        course_title_en: title_en,
    }))
}

macro_rules! mailing_query {
    () => {
        evaluations::table
            .inner_join(users::table.on(users::id.eq(evaluations::trainee_id)))
            .filter(evaluations::answered_at.is_null())
            .filter(users::disabled.eq(false))
            .order((evaluations::due_on.asc(), evaluations::id.asc()))
            .select((
                evaluations::id,
                evaluations::kind,
                users::email,
                users::display_name,
                users::locale,
                evaluations::course_id,
            ))
    };
}

/// Unanswered evaluations due by `today` whose invitation has not gone
/// out, for trainees with an e-mail address.
pub fn invitations_due(db: &mut Db<'_>, today: NaiveDate) -> Result<Vec<Mailing>, StoreError> {
    let rows: Vec<MailingRow> = mailing_query!()
        .filter(evaluations::due_on.le(today))
        .filter(evaluations::sent_at.is_null())
        .load(db.conn)?;
    mailings(db, rows)
}

/// Unanswered evaluations invited at least [`REMINDER_AFTER_DAYS`] before
/// `now` and not yet reminded.
pub fn reminders_due(db: &mut Db<'_>, now: NaiveDateTime) -> Result<Vec<Mailing>, StoreError> {
    let cutoff = now - chrono::Duration::days(REMINDER_AFTER_DAYS);
    let rows: Vec<MailingRow> = mailing_query!()
        .filter(evaluations::sent_at.le(cutoff))
        .filter(evaluations::reminder_sent_at.is_null())
        .load(db.conn)?;
    mailings(db, rows)
}

/// Records that the invitation went out. Returns false when another worker
/// recorded it first (the caller then sent a duplicate, which is logged).
pub fn mark_invited(db: &mut Db<'_>, id: &str, at: NaiveDateTime) -> Result<bool, StoreError> {
    let updated = diesel::update(
        evaluations::table
            .find(id)
            .filter(evaluations::sent_at.is_null()),
    )
    .set(evaluations::sent_at.eq(Some(crate::truncate_to_micros(at))))
    .execute(db.conn)?;
    Ok(updated > 0)
}

/// Records that the reminder went out; false when it was recorded already.
pub fn mark_reminded(db: &mut Db<'_>, id: &str, at: NaiveDateTime) -> Result<bool, StoreError> {
    let updated = diesel::update(
        evaluations::table
            .find(id)
            .filter(evaluations::reminder_sent_at.is_null()),
    )
    .set(evaluations::reminder_sent_at.eq(Some(crate::truncate_to_micros(at))))
    .execute(db.conn)?;
    Ok(updated > 0)
}

/// The result indicators and Likert summaries of one course, or of all.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicators {
    /// Trainees who found the training useful for their work.
    pub usefulness: UsefulnessIndicator,
    /// Trainees still using the skills three months after completion.
    pub skills_in_use: SkillsInUseIndicator,
    pub usefulness_summary: LikertSummary,
    pub quality_summary: LikertSummary,
    pub still_using_summary: LikertSummary,
}

/// [`Indicators`] of one course.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseIndicators {
    pub course_id: String,
    pub title_el: String,
    pub title_en: String,
    pub indicators: Indicators,
}

/// Indicators per course (by English title) and over all courses.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorReport {
    pub courses: Vec<CourseIndicators>,
    /// Over every course. A trainee who evaluated two courses counts once
    /// per course, as each course is a separate training.
    pub total: Indicators,
}

#[derive(Default)]
struct Responses {
    end_of_course: Vec<EndOfCourseResponse>,
    quality: Vec<Likert>,
    follow_up: Vec<FollowUpResponse>,
    follow_up_invited: usize,
}

impl Responses {
    fn indicators(&self) -> Result<Indicators, StoreError> {
        let corrupt = |error: procap_domain::training::evaluation::IndicatorError| {
            StoreError::Corrupt(format!("evaluation indicators: {error}"))
        };
        let usefulness = usefulness_indicator(&self.end_of_course).map_err(corrupt)?;
        let skills_in_use =
            skills_in_use_indicator(&self.follow_up, self.follow_up_invited).map_err(corrupt)?;
        Ok(Indicators {
            usefulness,
            skills_in_use,
            usefulness_summary: summarise(self.end_of_course.iter().filter_map(|r| r.usefulness)),
            quality_summary: summarise(self.quality.iter().copied()),
            still_using_summary: summarise(self.follow_up.iter().filter_map(|r| r.still_using)),
        })
    }
}

/// Computes the two AMIF result indicators per course and in total from
/// the answered evaluations.
pub fn indicators(db: &mut Db<'_>) -> Result<IndicatorReport, StoreError> {
    type AnsweredRow = (
        String,
        String,
        String,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
        Option<i32>,
        Option<i32>,
        Option<i32>,
        Option<NaiveDateTime>,
    );
    let rows: Vec<AnsweredRow> = evaluations::table
        .left_join(
            enrolments::table.on(enrolments::course_id
                .eq(evaluations::course_id)
                .and(enrolments::trainee_id.eq(evaluations::trainee_id))),
        )
        .filter(
            evaluations::answered_at
                .is_not_null()
                .or(evaluations::sent_at.is_not_null()),
        )
        .select((
            evaluations::course_id,
            evaluations::trainee_id,
            evaluations::kind,
            evaluations::sent_at,
            evaluations::answered_at,
            evaluations::usefulness,
            evaluations::quality,
            evaluations::still_using,
            enrolments::completed_at.nullable(),
        ))
        .load(db.conn)?;

    let mut per_course: BTreeMap<String, Responses> = BTreeMap::new();
    let mut total = Responses::default();
    for (course_id, trainee, kind, sent, answered, usefulness, quality, still_using, completed) in
        rows
    {
        let course = per_course.entry(course_id.clone()).or_default();
        let across = TraineeId::new(format!("{trainee}/{course_id}"));
        let trainee = TraineeId::new(trainee);
        match Kind::parse(&kind) {
            Some(Kind::EndOfCourse) => {
                let Some(_) = answered else { continue };
                let usefulness = likert(usefulness)?;
                if let Some(quality) = likert(quality)? {
                    course.quality.push(quality);
                    total.quality.push(quality);
                }
                course.end_of_course.push(EndOfCourseResponse {
                    trainee,
                    usefulness,
                });
                total.end_of_course.push(EndOfCourseResponse {
                    trainee: across,
                    usefulness,
                });
            }
            Some(Kind::FollowUp) => {
                // Invited: the invitation went out, or the trainee answered
                // from the training home page before it did.
                if sent.is_some() || answered.is_some() {
                    course.follow_up_invited += 1;
                    total.follow_up_invited += 1;
                }
                let (Some(answered), Some(completed)) = (answered, completed) else {
                    continue;
                };
                let still_using = likert(still_using)?;
                let response = |trainee| FollowUpResponse {
                    trainee,
                    completed_on: completed.date(),
                    answered_on: answered.date(),
                    still_using,
                };
                course.follow_up.push(response(trainee));
                total.follow_up.push(response(across));
            }
            None => return Err(StoreError::Corrupt(format!("evaluation kind {kind}"))),
        }
    }

    let titles: BTreeMap<String, (String, String)> = courses::table
        .filter(courses::id.eq_any(per_course.keys()))
        .select((courses::id, (courses::title_el, courses::title_en)))
        .load::<(String, (String, String))>(db.conn)?
        .into_iter()
        .collect();
    let mut report = Vec::new();
    for (course_id, responses) in &per_course {
        let (title_el, title_en) = titles.get(course_id).cloned().ok_or(StoreError::NotFound)?;
        report.push(CourseIndicators {
            course_id: course_id.clone(),
            title_el,
            title_en,
            indicators: responses.indicators()?,
        });
    }
    report.sort_by(|a, b| a.title_en.cmp(&b.title_en));
    Ok(IndicatorReport {
        courses: report,
        total: total.indicators()?,
    })
}
