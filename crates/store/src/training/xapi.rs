//! Loads learning events for the xAPI export: enrolments, first lesson
//! views, quiz attempts (started and submitted) and course completions.
//! The statements themselves are built by `procap_domain::training::xapi`.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use procap_domain::training::xapi::{Activity, ActivityIds, LearningEvent, Names};

use crate::schema_training::{courses, enrolments, lesson_views, lessons, quiz_attempts, quizzes};
use crate::{Db, StoreError};

/// Which events to export: one course or all, and a period
/// `[from, until)` in UTC; `None` leaves that side open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    pub course_id: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
}

impl EventFilter {
    fn contains(&self, at: NaiveDateTime) -> bool {
        self.from.is_none_or(|from| at >= from) && self.until.is_none_or(|until| at < until)
    }

    fn course_matches(&self, course_id: &str) -> bool {
        self.course_id.as_deref().is_none_or(|id| id == course_id)
    }
}

/// A course the export can be limited to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseChoice {
    pub id: String,
    pub title_el: String,
    pub title_en: String,
}

/// Every course, by Greek title.
pub fn course_choices(db: &mut Db<'_>) -> Result<Vec<CourseChoice>, StoreError> {
    let rows = courses::table
        .order((courses::title_el, courses::id))
        .select((courses::id, courses::title_el, courses::title_en))
        .load::<(String, String, String)>(db.conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, title_el, title_en)| CourseChoice {
            id,
            title_el,
            title_en,
        })
        .collect())
}

fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

fn names(el: String, en: String) -> Names {
    Names { el, en }
}

/// The events that match `filter`, oldest first. Activity ids are built
/// with `ids` (the public base URL).
pub fn learning_events(
    db: &mut Db<'_>,
    ids: &ActivityIds,
    filter: &EventFilter,
) -> Result<Vec<LearningEvent>, StoreError> {
    let course_activity = |id: &str, el: String, en: String| Activity {
        id: ids.course(id),
        names: names(el, en),
    };
    let mut events = Vec::new();

    let mut query = enrolments::table
        .inner_join(courses::table.on(courses::id.eq(enrolments::course_id)))
        .select((
            enrolments::id,
            enrolments::trainee_id,
            enrolments::enrolled_at,
            enrolments::completed_at,
            courses::id,
            courses::title_el,
            courses::title_en,
        ))
        .into_boxed();
    if let Some(course_id) = &filter.course_id {
        query = query.filter(enrolments::course_id.eq(course_id.clone()));
    }
    type EnrolmentRow = (
        String,
        String,
        NaiveDateTime,
        Option<NaiveDateTime>,
        String,
        String,
        String,
    );
    let rows: Vec<EnrolmentRow> = query.load(db.conn)?;
    for (enrolment_id, trainee_id, enrolled_at, completed_at, course_id, el, en) in rows {
        if filter.contains(enrolled_at) {
            events.push(LearningEvent::Registered {
                trainee_id: trainee_id.clone(),
                enrolment_id: enrolment_id.clone(),
                course: course_activity(&course_id, el.clone(), en.clone()),
                at: utc(enrolled_at),
            });
        }
        if let Some(completed_at) = completed_at.filter(|at| filter.contains(*at)) {
            events.push(LearningEvent::Completed {
                trainee_id,
                enrolment_id,
                course: course_activity(&course_id, el, en),
                at: utc(completed_at),
            });
        }
    }

    type ViewRow = (
        String,
        NaiveDateTime,
        String,
        String,
        String,
        String,
        String,
        String,
    );
    let views: Vec<ViewRow> = lesson_views::table
        .inner_join(lessons::table.on(lessons::id.eq(lesson_views::lesson_id)))
        .inner_join(courses::table.on(courses::id.eq(lesson_views::course_id)))
        .select((
            lesson_views::trainee_id,
            lesson_views::first_viewed_at,
            lessons::id,
            lessons::title_el,
            lessons::title_en,
            courses::id,
            courses::title_el,
            courses::title_en,
        ))
        .load(db.conn)?;
    for (trainee_id, at, lesson_id, lesson_el, lesson_en, course_id, el, en) in views {
        if !filter.course_matches(&course_id) || !filter.contains(at) {
            continue;
        }
        events.push(LearningEvent::Experienced {
            trainee_id,
            lesson: Activity {
                id: ids.lesson(&course_id, &lesson_id),
                names: names(lesson_el, lesson_en),
            },
            course: course_activity(&course_id, el, en),
            at: utc(at),
        });
    }

    type AttemptRow = (
        String,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<i32>,
        Option<i32>,
        Option<bool>,
        String,
        String,
        String,
        String,
        String,
        String,
    );
    let attempts: Vec<AttemptRow> = quiz_attempts::table
        .inner_join(quizzes::table.on(quizzes::id.eq(quiz_attempts::quiz_id)))
        .inner_join(courses::table.on(courses::id.eq(quizzes::course_id)))
        .select((
            quiz_attempts::trainee_id,
            quiz_attempts::started_at,
            quiz_attempts::submitted_at,
            quiz_attempts::points,
            quiz_attempts::max_points,
            quiz_attempts::passed,
            quizzes::id,
            quizzes::title_el,
            quizzes::title_en,
            courses::id,
            courses::title_el,
            courses::title_en,
        ))
        .load(db.conn)?;
    for row in attempts {
        let (trainee_id, started_at, submitted_at, points, max_points, passed, quiz_id, ..) = &row;
        let (.., quiz_el, quiz_en, course_id, el, en) = &row;
        if !filter.course_matches(course_id) {
            continue;
        }
        let quiz = Activity {
            id: ids.quiz(quiz_id),
            names: names(quiz_el.clone(), quiz_en.clone()),
        };
        let course = course_activity(course_id, el.clone(), en.clone());
        if filter.contains(*started_at) {
            events.push(LearningEvent::Attempted {
                trainee_id: trainee_id.clone(),
                course: course.clone(),
                quiz: quiz.clone(),
                at: utc(*started_at),
            });
        }
        let graded = (*submitted_at)
            .zip(*points)
            .zip(*max_points)
            .zip(*passed)
            .filter(|(((at, _), _), _)| filter.contains(*at));
        if let Some((((submitted_at, points), max_points), passed)) = graded {
            events.push(LearningEvent::Graded {
                trainee_id: trainee_id.clone(),
                course,
                quiz,
                points: u32::try_from(points).unwrap_or(0),
                max_points: u32::try_from(max_points).unwrap_or(0),
                passed,
                started_at: utc(*started_at),
                at: utc(submitted_at),
            });
        }
    }

    events.sort_by_key(LearningEvent::at);
    Ok(events)
}
