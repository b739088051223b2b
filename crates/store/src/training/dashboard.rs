//! The figures of the trainers' progress dashboard: trainees by sector,
//! organisation and region, enrolments and completions per course, the
//! average learning gain per course and the two evaluation indicators, for
//! one period and region.
//!
//! What counts: an enrolment made in the period, of a trainee in the
//! region. A trainee counts once in each breakdown however many courses
//! they took, and counts as completed when one of those enrolments was
//! completed before the period ended. The learning gain and the evaluation
//! indicators use the domain's rules (`gain::group_gain`,
//! `evaluation::usefulness_indicator`, `evaluation::skills_in_use_indicator`)
//! over the same enrolments, so every figure on the page speaks of the same
//! people.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use procap_domain::training::TraineeId;
use procap_domain::training::evaluation::{
    EndOfCourseResponse, FollowUpResponse, IndicatorError, Likert, SkillsInUseIndicator,
    UsefulnessIndicator, skills_in_use_indicator, usefulness_indicator,
};
use procap_domain::training::gain::{GroupGain, ScorePercent, group_gain};

use super::progress::{END_OF_COURSE, FOLLOW_UP};
use super::quizzes;
use crate::schema::{organisations, users};
use crate::schema_training::{courses, enrolments, evaluations, trainee_profiles};
use crate::{Db, StoreError};

/// The key of trainees without a profile in the sector and region
/// breakdowns.
pub const UNKNOWN: &str = "unknown";

/// Which enrolments the dashboard counts. `None` fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DashboardFilter {
    /// Enrolments made at or after this moment (UTC).
    pub from: Option<NaiveDateTime>,
    /// Enrolments made before this moment (UTC); completions after it do
    /// not count.
    pub until: Option<NaiveDateTime>,
    /// Only trainees whose profile names this region code.
    pub region: Option<String>,
    /// Only trainees whose account belongs to this organisation.
    pub organisation_id: Option<String>,
}

/// Trainees of one sector, organisation or region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCount {
    /// A sector or region code ([`UNKNOWN`] without a profile) or an
    /// organisation id.
    pub key: String,
    /// The organisation's name; empty for sectors and regions, whose names
    /// the web layer translates.
    pub name: String,
    /// Distinct trainees with a counted enrolment.
    pub trainees: i64,
    /// Of those, trainees who completed at least one counted enrolment.
    pub completed: i64,
}

/// One course's line.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseLine {
    pub course_id: String,
    pub title_el: String,
    pub title_en: String,
    pub enrolled: i64,
    pub completed: i64,
    /// The group gain over the counted trainees who took both the pre-test
    /// and the post-test.
    pub gain: GroupGain,
}

/// The evaluation indicators of one course, or of all.
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluationLine {
    /// The course id; empty for the total.
    pub course_id: String,
    pub title_el: String,
    pub title_en: String,
    pub usefulness: UsefulnessIndicator,
    pub skills_in_use: SkillsInUseIndicator,
}

/// Every figure of the dashboard.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    /// Distinct trainees with a counted enrolment.
    pub trainees: i64,
    /// Of those, trainees with a completed counted enrolment.
    pub completed_trainees: i64,
    /// By sector code, in the order of `courses::SECTORS`, unknown last.
    pub by_sector: Vec<GroupCount>,
    /// By organisation name.
    pub by_organisation: Vec<GroupCount>,
    /// By region code, in the order of `courses::REGIONS`, unknown last.
    pub by_region: Vec<GroupCount>,
    /// Every course that is not a draft, and drafts with counted
    /// enrolments, by Greek title.
    pub courses: Vec<CourseLine>,
    /// Courses with at least one answered or sent evaluation, by Greek
    /// title.
    pub evaluations: Vec<EvaluationLine>,
    /// Over every course; a trainee who evaluated two courses counts once
    /// per course.
    pub evaluation_total: EvaluationLine,
}

/// One enrolment with what the breakdowns need.
struct Counted {
    course_id: String,
    trainee_id: String,
    organisation_id: String,
    sector: String,
    region: String,
    completed_at: Option<NaiveDateTime>,
}

type EnrolmentColumns = (
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    String,
    Option<String>,
    Option<String>,
);

fn counted_enrolments(
    db: &mut Db<'_>,
    filter: &DashboardFilter,
) -> Result<Vec<Counted>, StoreError> {
    let rows: Vec<EnrolmentColumns> = enrolments::table
        .inner_join(users::table.on(users::id.eq(enrolments::trainee_id)))
        .left_join(trainee_profiles::table.on(trainee_profiles::user_id.eq(enrolments::trainee_id)))
        .select((
            enrolments::course_id,
            enrolments::trainee_id,
            enrolments::enrolled_at,
            enrolments::completed_at,
            users::organisation_id,
            trainee_profiles::sector.nullable(),
            trainee_profiles::region.nullable(),
        ))
        .load(db.conn)?;
    Ok(rows
        .into_iter()
        .filter(|(_, _, enrolled_at, _, organisation_id, _, region)| {
            filter.from.is_none_or(|from| *enrolled_at >= from)
                && filter
                    .organisation_id
                    .as_ref()
                    .is_none_or(|wanted| organisation_id == wanted)
                && filter.until.is_none_or(|until| *enrolled_at < until)
                && filter
                    .region
                    .as_ref()
                    .is_none_or(|wanted| region.as_ref() == Some(wanted))
        })
        .map(
            |(course_id, trainee_id, _, completed_at, organisation_id, sector, region)| Counted {
                course_id,
                trainee_id,
                organisation_id,
                sector: sector.unwrap_or_else(|| UNKNOWN.to_owned()),
                region: region.unwrap_or_else(|| UNKNOWN.to_owned()),
                completed_at: completed_at
                    .filter(|done| filter.until.is_none_or(|until| *done < until)),
            },
        )
        .collect())
}

/// Distinct trainees and completed trainees per key.
fn group_by(rows: &[Counted], key: impl Fn(&Counted) -> &str) -> BTreeMap<String, (i64, i64)> {
    let mut trainees: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    let mut completed: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for row in rows {
        trainees
            .entry(key(row).to_owned())
            .or_default()
            .insert(&row.trainee_id);
        if row.completed_at.is_some() {
            completed
                .entry(key(row).to_owned())
                .or_default()
                .insert(&row.trainee_id);
        }
    }
    trainees
        .into_iter()
        .map(|(key, set)| {
            let done = completed.get(&key).map_or(0, BTreeSet::len);
            (key, (count(set.len()), count(done)))
        })
        .collect()
}

fn count(value: usize) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

/// Orders coded groups as `order` lists them, other codes after, unknown
/// last.
fn ordered_codes(groups: BTreeMap<String, (i64, i64)>, order: &[&str]) -> Vec<GroupCount> {
    let rank = |key: &str| {
        order
            .iter()
            .position(|code| *code == key)
            .unwrap_or(if key == UNKNOWN {
                order.len() + 1
            } else {
                order.len()
            })
    };
    let mut list: Vec<GroupCount> = groups
        .into_iter()
        .map(|(key, (trainees, completed))| GroupCount {
            key,
            name: String::new(),
            trainees,
            completed,
        })
        .collect();
    list.sort_by(|a, b| {
        rank(&a.key)
            .cmp(&rank(&b.key))
            .then_with(|| a.key.cmp(&b.key))
    });
    list
}

fn likert(value: Option<i32>) -> Result<Option<Likert>, StoreError> {
    value
        .map(|value| {
            u8::try_from(value)
                .ok()
                .and_then(|value| Likert::new(value).ok())
                .ok_or_else(|| StoreError::Corrupt(format!("evaluation answer {value}")))
        })
        .transpose()
}

fn indicator_error(error: IndicatorError) -> StoreError {
    StoreError::Corrupt(format!("evaluation indicators: {error}"))
}

#[derive(Default)]
struct Responses {
    end_of_course: Vec<EndOfCourseResponse>,
    follow_up: Vec<FollowUpResponse>,
    follow_up_invited: usize,
}

impl Responses {
    fn line(
        &self,
        course_id: &str,
        title_el: &str,
        title_en: &str,
    ) -> Result<EvaluationLine, StoreError> {
        Ok(EvaluationLine {
            course_id: course_id.to_owned(),
            title_el: title_el.to_owned(),
            title_en: title_en.to_owned(),
            usefulness: usefulness_indicator(&self.end_of_course).map_err(indicator_error)?,
            skills_in_use: skills_in_use_indicator(&self.follow_up, self.follow_up_invited)
                .map_err(indicator_error)?,
        })
    }
}

type EvaluationColumns = (
    String,
    String,
    String,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<i32>,
    Option<i32>,
);

/// Builds the evaluation responses of the counted enrolments, per course
/// and over all courses.
fn evaluation_responses(
    db: &mut Db<'_>,
    rows: &[Counted],
    until: Option<NaiveDateTime>,
) -> Result<(BTreeMap<String, Responses>, Responses), StoreError> {
    let completed: BTreeMap<(&str, &str), Option<NaiveDateTime>> = rows
        .iter()
        .map(|row| {
            (
                (row.course_id.as_str(), row.trainee_id.as_str()),
                row.completed_at,
            )
        })
        .collect();
    let answers: Vec<EvaluationColumns> = evaluations::table
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
            evaluations::still_using,
        ))
        .load(db.conn)?;
    let mut per_course: BTreeMap<String, Responses> = BTreeMap::new();
    let mut total = Responses::default();
    for (course_id, trainee_id, kind, sent_at, answered_at, usefulness, still_using) in answers {
        let Some(completed_at) = completed
            .get(&(course_id.as_str(), trainee_id.as_str()))
            .copied()
        else {
            continue;
        };
        // Answers given after the period are not part of it.
        let answered_at = answered_at.filter(|at| until.is_none_or(|until| *at < until));
        let sent_at = sent_at.filter(|at| until.is_none_or(|until| *at < until));
        let across = TraineeId::new(format!("{trainee_id}/{course_id}"));
        let trainee = TraineeId::new(trainee_id);
        let course = per_course.entry(course_id).or_default();
        if kind == END_OF_COURSE {
            if answered_at.is_none() {
                continue;
            }
            let usefulness = likert(usefulness)?;
            course.end_of_course.push(EndOfCourseResponse {
                trainee,
                usefulness,
            });
            total.end_of_course.push(EndOfCourseResponse {
                trainee: across,
                usefulness,
            });
        } else if kind == FOLLOW_UP {
            if sent_at.is_none() && answered_at.is_none() {
                continue;
            }
            course.follow_up_invited += 1;
            total.follow_up_invited += 1;
            let (Some(answered_at), Some(completed_at)) = (answered_at, completed_at) else {
                continue;
            };
            let still_using = likert(still_using)?;
            let response = |trainee| FollowUpResponse {
                trainee,
                completed_on: completed_at.date(),
                answered_on: answered_at.date(),
                still_using,
            };
            course.follow_up.push(response(trainee));
            total.follow_up.push(response(across));
        } else {
            return Err(StoreError::Corrupt(format!("evaluation kind {kind}")));
        }
    }
    Ok((per_course, total))
}

/// Loads every figure of the dashboard for `filter`.
///
/// # Errors
///
/// `Corrupt` for a stored evaluation answer outside 1 to 5, an unknown
/// evaluation kind or two evaluations of one kind for one enrolment.
pub fn load(db: &mut Db<'_>, filter: &DashboardFilter) -> Result<Dashboard, StoreError> {
    let rows = counted_enrolments(db, filter)?;

    let everyone = group_by(&rows, |_| "");
    let (trainees, completed_trainees) = everyone.get("").copied().unwrap_or_default();
    let by_sector = ordered_codes(group_by(&rows, |row| &row.sector), &super::courses::SECTORS);
    let by_region = ordered_codes(group_by(&rows, |row| &row.region), &super::courses::REGIONS);
    let names: BTreeMap<String, String> = organisations::table
        .select((organisations::id, organisations::name))
        .load::<(String, String)>(db.conn)?
        .into_iter()
        .collect();
    let mut by_organisation: Vec<GroupCount> = group_by(&rows, |row| &row.organisation_id)
        .into_iter()
        .map(|(key, (trainees, completed))| GroupCount {
            name: names.get(&key).cloned().unwrap_or_default(),
            key,
            trainees,
            completed,
        })
        .collect();
    by_organisation.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.key.cmp(&b.key)));

    let course_rows: Vec<(String, String, String, String)> = courses::table
        .order((courses::title_el.asc(), courses::id.asc()))
        .select((
            courses::id,
            courses::title_el,
            courses::title_en,
            courses::status,
        ))
        .load(db.conn)?;
    let mut per_course: BTreeMap<&str, (i64, i64, BTreeSet<&str>)> = BTreeMap::new();
    for row in &rows {
        let entry = per_course.entry(&row.course_id).or_default();
        entry.0 += 1;
        if row.completed_at.is_some() {
            entry.1 += 1;
        }
        entry.2.insert(&row.trainee_id);
    }
    let mut courses = Vec::new();
    for (course_id, title_el, title_en, status) in &course_rows {
        let (enrolled, completed, members) = per_course
            .get(course_id.as_str())
            .cloned()
            .unwrap_or_default();
        if status == super::courses::DRAFT && enrolled == 0 {
            continue;
        }
        let gain = if members.is_empty() {
            group_gain(&[])
        } else {
            let report = quizzes::gain_report(db, course_id)?;
            let scores: Vec<(ScorePercent, ScorePercent)> = report
                .trainees
                .iter()
                .filter(|trainee| members.contains(trainee.trainee_id.as_str()))
                .filter_map(|trainee| {
                    let pre = ScorePercent::new(trainee.pre?).ok()?;
                    let post = ScorePercent::new(trainee.post?).ok()?;
                    Some((pre, post))
                })
                .collect();
            group_gain(&scores)
        };
        courses.push(CourseLine {
            course_id: course_id.clone(),
            title_el: title_el.clone(),
            title_en: title_en.clone(),
            enrolled,
            completed,
            gain,
        });
    }

    let (responses, total) = evaluation_responses(db, &rows, filter.until)?;
    let mut evaluations = Vec::new();
    for (course_id, title_el, title_en, _) in &course_rows {
        if let Some(course) = responses.get(course_id) {
            evaluations.push(course.line(course_id, title_el, title_en)?);
        }
    }
    let evaluation_total = total.line("", "", "")?;

    Ok(Dashboard {
        trainees,
        completed_trainees,
        by_sector,
        by_organisation,
        by_region,
        courses,
        evaluations,
        evaluation_total,
    })
}
