//! The training part of the JSON API, with the permissions of the pages:
//! trainers and coordinators (ManageTraining) see every course, enrolment,
//! attempt, session roster and certificate; trainees (TakeTraining) see the
//! published courses and those they are enrolled in, and only their own
//! attempts, session places and certificates. Every other role gets 403.
//!
//! - `GET /api/v1/courses`, `GET /api/v1/courses/{id}`
//! - `GET`/`POST /api/v1/courses/{id}/enrolments` (ManageTraining)
//! - `GET /api/v1/attempts`
//! - `GET /api/v1/sessions`, `GET /api/v1/sessions/{id}`
//! - `GET /api/v1/certificates`
//!
//! Lists take `limit` with `offset` or `page` and return the total. Errors
//! are `ApiProblem` bodies in the token owner's language.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, NaiveDateTime};
use procap_domain::role::Permission;
use procap_store::audit::Outcome;
use procap_store::training::api::{self as training_api, AttemptFilter};
use procap_store::training::certificates::{self, Certificate, ListQuery, StatusFilter};
use procap_store::training::courses::{self, Course};
use procap_store::training::sessions::{self, Period, Session};
use procap_store::training::{enrolment, quizzes};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::ApiUser;
use super::records::{self, ApiFailure, PageQuery, Scalar, translator};
use crate::i18n::Translator;
use crate::pages::FieldErrors;
use crate::state::AppState;

/// What the token owner may do with training: manage it, take it, or
/// neither (403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Manage,
    Take,
}

fn access(t: &Translator, api_user: &ApiUser) -> Result<Access, ApiFailure> {
    if api_user.role.can(Permission::ManageTraining) {
        Ok(Access::Manage)
    } else if api_user.role.can(Permission::TakeTraining) {
        Ok(Access::Take)
    } else {
        Err(ApiFailure::forbidden(t))
    }
}

fn manage_only(t: &Translator, api_user: &ApiUser) -> Result<(), ApiFailure> {
    match access(t, api_user)? {
        Access::Manage => Ok(()),
        Access::Take => Err(ApiFailure::forbidden(t)),
    }
}

fn non_empty(value: Option<&String>) -> Option<String> {
    value
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

// --- Courses ------------------------------------------------------------------

/// A course in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseSummary {
    pub id: String,
    pub slug: String,
    pub title_el: String,
    pub title_en: String,
    pub summary_el: String,
    pub summary_en: String,
    /// Sector codes the course is meant for; empty for every sector.
    pub sectors: Vec<String>,
    /// draft, published or archived.
    pub status: String,
    pub updated_at: NaiveDateTime,
}

impl From<Course> for CourseSummary {
    fn from(course: Course) -> Self {
        CourseSummary {
            sectors: course.sector_list(),
            id: course.id,
            slug: course.slug,
            title_el: course.title_el,
            title_en: course.title_en,
            summary_el: course.summary_el,
            summary_en: course.summary_en,
            status: course.status,
            updated_at: course.updated_at,
        }
    }
}

/// One page of courses, by Greek title.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseList {
    pub items: Vec<CourseSummary>,
    /// Courses the owner may see, over all pages.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

#[utoipa::path(
    get,
    path = "/api/v1/courses",
    params(PageQuery),
    responses(
        (status = 200, description = "One page of courses: all of them for trainers and coordinators; the published ones and the owner's own for trainees", body = CourseList),
        (status = 400, description = "Invalid limit, offset or page", body = records::ApiProblem),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "The owner's role neither manages nor takes training", body = records::ApiProblem),
    ),
    security(("token" = []))
)]
pub async fn list_courses(
    State(state): State<AppState>,
    api_user: ApiUser,
    Query(query): Query<PageQuery>,
) -> Result<Response, ApiFailure> {
    let t = translator(&api_user);
    let access = access(&t, &api_user)?;
    let (offset, limit) = query.resolve(&t)?;

    let trainee_id = api_user.user.id.clone();
    let (rows, total) = state
        .store
        .run(move |db| match access {
            Access::Manage => courses::list_courses(db, None, offset, limit),
            Access::Take => training_api::trainee_courses(db, &trainee_id, offset, limit),
        })
        .await
        .map_err(|error| ApiFailure::from_store(&t, "course list failed", error))?;
    Ok(Json(CourseList {
        items: rows.into_iter().map(CourseSummary::from).collect(),
        total,
        limit,
        offset,
    })
    .into_response())
}

/// A lesson's outline (its body is read on the lesson page).
#[derive(Debug, Serialize, ToSchema)]
pub struct LessonOutline {
    pub id: String,
    pub position: i32,
    /// text, or scorm for an imported SCORM package.
    pub kind: String,
    pub title_el: String,
    pub title_en: String,
    /// Viewing it is a completion rule.
    pub required: bool,
}

/// A module and its lessons in order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModuleOutline {
    pub id: String,
    pub position: i32,
    pub title_el: String,
    pub title_en: String,
    /// The sector the module is written for, if one.
    pub sector: Option<String>,
    pub lessons: Vec<LessonOutline>,
}

/// A quiz of the course and its rules.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuizOutline {
    pub id: String,
    /// The module it closes; none for the pre-test and post-test.
    pub module_id: Option<String>,
    /// pre_test, post_test or module.
    pub purpose: String,
    pub title_el: String,
    pub title_en: String,
    /// Whole percentage needed to pass.
    pub pass_mark: u8,
    pub time_limit_seconds: Option<i64>,
    pub max_attempts: Option<u32>,
    /// Questions drawn for each attempt.
    pub questions: usize,
    /// Passing it is a completion rule.
    pub required: bool,
}

/// The completion rules besides required lessons and quizzes.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseRulesOutline {
    pub post_test: bool,
    pub attendance: bool,
    pub evaluation: bool,
}

/// A course with its modules, lesson titles and quizzes.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseDetail {
    #[serde(flatten)]
    pub course: CourseSummary,
    pub rules: CourseRulesOutline,
    pub pre_test_quiz_id: Option<String>,
    pub post_test_quiz_id: Option<String>,
    /// Ids of the courses to complete first.
    pub prerequisites: Vec<String>,
    pub modules: Vec<ModuleOutline>,
    pub quizzes: Vec<QuizOutline>,
    /// For a trainee: whether they are enrolled. Absent for trainers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enrolled: Option<bool>,
}

#[utoipa::path(
    get,
    path = "/api/v1/courses/{id}",
    params(("id" = String, Path, description = "Course id")),
    responses(
        (status = 200, description = "The course with its modules, lesson titles and quizzes", body = CourseDetail),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "The owner's role neither manages nor takes training", body = records::ApiProblem),
        (status = 404, description = "No such course, or (for a trainee) a course neither published nor theirs", body = records::ApiProblem),
    ),
    security(("token" = []))
)]
pub async fn show_course(
    State(state): State<AppState>,
    api_user: ApiUser,
    Path(course_id): Path<String>,
) -> Result<Response, ApiFailure> {
    let t = translator(&api_user);
    let access = access(&t, &api_user)?;

    let trainee_id = api_user.user.id.clone();
    let loaded = state
        .store
        .run(move |db| {
            let enrolled = match access {
                Access::Manage => None,
                Access::Take => {
                    if !training_api::trainee_may_see_course(db, &trainee_id, &course_id)? {
                        return Ok(None);
                    }
                    Some(enrolment::is_enrolled(db, &course_id, &trainee_id)?)
                }
            };
            let course = courses::get_course(db, &course_id)?;
            let prerequisites = courses::prerequisites_of(db, &course_id)?;
            let modules = courses::list_modules(db, &course_id)?;
            let lessons = courses::list_lessons(db, &course_id)?;
            let quizzes = quizzes::list_quizzes(db, &course_id)?;
            Ok(Some((
                course,
                prerequisites,
                modules,
                lessons,
                quizzes,
                enrolled,
            )))
        })
        .await
        .map_err(|error| ApiFailure::from_store(&t, "course lookup failed", error))?;
    let Some((course, prerequisites, modules, lessons, quizzes, enrolled)) = loaded else {
        return Err(ApiFailure::not_found(&t));
    };

    let modules = modules
        .into_iter()
        .map(|module| ModuleOutline {
            lessons: lessons
                .iter()
                .filter(|lesson| lesson.module_id == module.id)
                .map(|lesson| LessonOutline {
                    id: lesson.id.clone(),
                    position: lesson.position,
                    kind: lesson.kind.clone(),
                    title_el: lesson.title_el.clone(),
                    title_en: lesson.title_en.clone(),
                    required: lesson.required,
                })
                .collect(),
            id: module.id,
            position: module.position,
            title_el: module.title_el,
            title_en: module.title_en,
            sector: module.sector,
        })
        .collect();
    let quizzes = quizzes
        .into_iter()
        .map(|quiz| QuizOutline {
            questions: quiz.question_count(),
            pass_mark: quiz.rules.pass_mark_percent(),
            time_limit_seconds: quiz.rules.time_limit().map(|limit| limit.num_seconds()),
            max_attempts: quiz.rules.max_attempts(),
            id: quiz.id,
            module_id: quiz.module_id,
            purpose: quiz.purpose.as_str().to_owned(),
            title_el: quiz.title_el,
            title_en: quiz.title_en,
            required: quiz.required,
        })
        .collect();
    Ok(Json(CourseDetail {
        rules: CourseRulesOutline {
            post_test: course.rule_post_test,
            attendance: course.rule_attendance,
            evaluation: course.rule_evaluation,
        },
        pre_test_quiz_id: course.pre_test_quiz_id.clone(),
        post_test_quiz_id: course.post_test_quiz_id.clone(),
        course: CourseSummary::from(course),
        prerequisites,
        modules,
        quizzes,
        enrolled,
    })
    .into_response())
}

// --- Enrolments ---------------------------------------------------------------

/// A trainee enrolled in a course.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnrolmentItem {
    pub trainee_id: String,
    pub username: String,
    pub display_name: String,
    /// The sector code of the trainee's profile, if they have one.
    pub sector: Option<String>,
    /// The region code of the trainee's profile, if they have one.
    pub region: Option<String>,
    pub enrolled_at: NaiveDateTime,
    pub completed_at: Option<NaiveDateTime>,
}

impl From<enrolment::EnrolmentRow> for EnrolmentItem {
    fn from(row: enrolment::EnrolmentRow) -> Self {
        EnrolmentItem {
            trainee_id: row.trainee_id,
            username: row.username,
            display_name: row.display_name,
            sector: row.sector,
            region: row.region,
            enrolled_at: row.enrolled_at,
            completed_at: row.completed_at,
        }
    }
}

/// One page of a course's enrolments, by display name.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnrolmentList {
    pub items: Vec<EnrolmentItem>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

#[utoipa::path(
    get,
    path = "/api/v1/courses/{id}/enrolments",
    params(("id" = String, Path, description = "Course id"), PageQuery),
    responses(
        (status = 200, description = "One page of the course's enrolments", body = EnrolmentList),
        (status = 400, description = "Invalid limit, offset or page", body = records::ApiProblem),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "Only trainers and coordinators see enrolments", body = records::ApiProblem),
        (status = 404, description = "No such course", body = records::ApiProblem),
    ),
    security(("token" = []))
)]
pub async fn list_enrolments(
    State(state): State<AppState>,
    api_user: ApiUser,
    Path(course_id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, ApiFailure> {
    let t = translator(&api_user);
    manage_only(&t, &api_user)?;
    let (offset, limit) = query.resolve(&t)?;

    let id = course_id.clone();
    let (rows, total) = state
        .store
        .run(move |db| {
            if !training_api::course_exists(db, &id)? {
                return Err(procap_store::StoreError::NotFound);
            }
            enrolment::list_enrolments(db, &id, offset, limit)
        })
        .await
        .map_err(|error| ApiFailure::from_store(&t, "enrolment list failed", error))?;
    records::audit(
        &state,
        &api_user,
        "training.enrolment.list",
        Outcome::Success,
        ("course", &course_id),
        json!({ "offset": offset, "limit": limit, "returned": rows.len() }),
    )
    .await?;
    Ok(Json(EnrolmentList {
        items: rows.into_iter().map(EnrolmentItem::from).collect(),
        total,
        limit,
        offset,
    })
    .into_response())
}

/// Enrols a trainee account in the course.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEnrolmentRequest {
    /// The trainee's user id (required).
    #[schema(value_type = String)]
    trainee_id: Option<Scalar>,
}

/// The answer to an enrolment: the enrolment and whether it is new.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnrolmentCreated {
    /// `false` when the trainee was already enrolled; nothing changed.
    pub created: bool,
    pub enrolment: EnrolmentItem,
}

fn enrolments_location(course_id: &str) -> String {
    format!("/api/v1/courses/{course_id}/enrolments")
}

#[utoipa::path(
    post,
    path = "/api/v1/courses/{id}/enrolments",
    params(("id" = String, Path, description = "Course id")),
    request_body = NewEnrolmentRequest,
    responses(
        (status = 201, description = "Enrolled; `Location` is the course's enrolment list", body = EnrolmentCreated),
        (status = 200, description = "The trainee was already enrolled; nothing changed", body = EnrolmentCreated),
        (status = 400, description = "The body is not JSON of this shape", body = records::ApiProblem),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "Only trainers and coordinators enrol trainees", body = records::ApiProblem),
        (status = 404, description = "No such course", body = records::ApiProblem),
        (status = 415, description = "The body is not sent as application/json", body = records::ApiProblem),
        (status = 422, description = "No trainee id, or it names no active trainee account", body = records::ApiProblem),
    ),
    security(("token" = []))
)]
pub async fn enrol(
    State(state): State<AppState>,
    api_user: ApiUser,
    Path(course_id): Path<String>,
    body: Result<Json<NewEnrolmentRequest>, JsonRejection>,
) -> Result<Response, ApiFailure> {
    let t = translator(&api_user);
    manage_only(&t, &api_user)?;
    let request = records::json_body(&t, body)?;
    let trainee_id = request
        .trainee_id
        .map(Scalar::into_form_value)
        .map(|value| value.trim().to_owned())
        .unwrap_or_default();
    if trainee_id.is_empty() {
        let mut errors = FieldErrors::new();
        errors.add("trainee_id", t.t("training-api-error-trainee-missing"));
        return Err(ApiFailure::invalid(&t, &errors));
    }

    let id = course_id.clone();
    let trainee = trainee_id.clone();
    let by = api_user.user.id.clone();
    let outcome = state
        .store
        .run(move |db| {
            db.transaction(|db| {
                if !training_api::course_exists(db, &id)? {
                    return Err(procap_store::StoreError::NotFound);
                }
                if !training_api::is_trainee(db, &trainee)? {
                    return Ok(None);
                }
                let created = enrolment::enrol(db, &id, &trainee, Some(&by))?;
                // The trainee's row is found among the course's enrolments.
                let (rows, _) = enrolment::list_enrolments(db, &id, 0, i64::MAX / 2)?;
                let row = rows
                    .into_iter()
                    .find(|row| row.trainee_id == trainee)
                    .ok_or(procap_store::StoreError::NotFound)?;
                Ok(Some((created, row)))
            })
        })
        .await
        .map_err(|error| ApiFailure::from_store(&t, "enrolment failed", error))?;
    let Some((created, row)) = outcome else {
        let mut errors = FieldErrors::new();
        errors.add("trainee_id", t.t("training-api-error-trainee-unknown"));
        return Err(ApiFailure::invalid(&t, &errors));
    };
    records::audit(
        &state,
        &api_user,
        "training.enrolment.create",
        Outcome::Success,
        ("course", &course_id),
        json!({ "trainee_id": trainee_id, "created": created }),
    )
    .await?;

    let body = EnrolmentCreated {
        created,
        enrolment: EnrolmentItem::from(row),
    };
    if created {
        let mut response = (StatusCode::CREATED, Json(body)).into_response();
        if let Ok(value) = axum::http::HeaderValue::from_str(&enrolments_location(&course_id)) {
            response
                .headers_mut()
                .insert(axum::http::header::LOCATION, value);
        }
        Ok(response)
    } else {
        Ok(Json(body).into_response())
    }
}

// --- Attempts -----------------------------------------------------------------

#[derive(Debug, Deserialize, IntoParams)]
pub struct AttemptQuery {
    /// Only attempts at quizzes of this course.
    course: Option<String>,
    /// Only this trainee's attempts (trainers and coordinators; a trainee
    /// may give only their own id).
    trainee: Option<String>,
}

/// A quiz attempt. Points are in points (two decimals); the score fields
/// are absent until the attempt is submitted.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptItem {
    pub id: String,
    pub quiz_id: String,
    pub quiz_title_el: String,
    pub quiz_title_en: String,
    /// pre_test, post_test or module.
    pub purpose: String,
    pub course_id: String,
    pub trainee_id: String,
    /// Counted from 1 per trainee and quiz.
    pub number: i32,
    pub started_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub points: Option<f64>,
    pub max_points: Option<f64>,
    /// The score in percent.
    pub score_percent: Option<f64>,
    pub passed: Option<bool>,
    /// on_time, in_grace or late.
    pub timeliness: Option<String>,
}

/// One page of attempts, most recently started first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptList {
    pub items: Vec<AttemptItem>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

fn hundredths(value: Option<i32>) -> Option<f64> {
    value.map(|value| f64::from(value) / 100.0)
}

impl From<training_api::AttemptRow> for AttemptItem {
    fn from(row: training_api::AttemptRow) -> Self {
        let score_percent = match (row.points, row.max_points) {
            (Some(points), Some(max)) if max > 0 => {
                Some((f64::from(points) * 10_000.0 / f64::from(max)).round() / 100.0)
            }
            _ => None,
        };
        AttemptItem {
            points: hundredths(row.points),
            max_points: hundredths(row.max_points),
            score_percent,
            id: row.id,
            quiz_id: row.quiz_id,
            quiz_title_el: row.quiz_title_el,
            quiz_title_en: row.quiz_title_en,
            purpose: row.purpose,
            course_id: row.course_id,
            trainee_id: row.trainee_id,
            number: row.number,
            started_at: row.started_at,
            submitted_at: row.submitted_at,
            passed: row.passed,
            timeliness: row.timeliness,
        }
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/attempts",
    params(AttemptQuery, PageQuery),
    responses(
        (status = 200, description = "One page of quiz attempts: the owner's own for a trainee, any trainee's for trainers and coordinators", body = AttemptList),
        (status = 400, description = "Invalid limit, offset or page", body = records::ApiProblem),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "The owner's role neither manages nor takes training, or a trainee asked for another trainee", body = records::ApiProblem),
    ),
    security(("token" = []))
)]
pub async fn list_attempts(
    State(state): State<AppState>,
    api_user: ApiUser,
    Query(page): Query<PageQuery>,
    Query(query): Query<AttemptQuery>,
) -> Result<Response, ApiFailure> {
    let t = translator(&api_user);
    let access = access(&t, &api_user)?;
    let (offset, limit) = page.resolve(&t)?;
    let wanted_trainee = non_empty(query.trainee.as_ref());
    let trainee_id = match access {
        Access::Manage => wanted_trainee,
        Access::Take => {
            if wanted_trainee.is_some_and(|wanted| wanted != api_user.user.id) {
                return Err(ApiFailure::forbidden(&t));
            }
            Some(api_user.user.id.clone())
        }
    };
    let filter = AttemptFilter {
        trainee_id,
        course_id: non_empty(query.course.as_ref()),
    };

    let (rows, total) = state
        .store
        .run(move |db| training_api::attempts(db, &filter, offset, limit))
        .await
        .map_err(|error| ApiFailure::from_store(&t, "attempt list failed", error))?;
    Ok(Json(AttemptList {
        items: rows.into_iter().map(AttemptItem::from).collect(),
        total,
        limit,
        offset,
    })
    .into_response())
}

// --- Sessions -----------------------------------------------------------------

#[derive(Debug, Deserialize, IntoParams)]
pub struct SessionQuery {
    /// `upcoming` (default): sessions not cancelled that have not ended,
    /// soonest first. `all` (trainers and coordinators): every session,
    /// newest first.
    period: Option<String>,
}

/// A trainer of a session.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionTrainer {
    pub id: String,
    pub display_name: String,
}

/// A session with its places.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionItem {
    pub id: String,
    pub course_id: Option<String>,
    pub title_el: String,
    pub title_en: String,
    /// in_person or online.
    pub mode: String,
    /// UTC.
    pub starts_at: NaiveDateTime,
    /// UTC.
    pub ends_at: NaiveDateTime,
    /// The address of an in-person session.
    pub place: Option<String>,
    /// The meeting link of an online session.
    pub link: Option<String>,
    /// attica, central_macedonia or other.
    pub region: String,
    pub sector: Option<String>,
    pub capacity: i32,
    /// Trainees holding a place.
    pub registered: i64,
    pub places_left: i64,
    /// Trainees on the waiting list.
    pub waiting: i64,
    pub cancelled: bool,
    pub trainers: Vec<SessionTrainer>,
    /// For a trainee: `registered`, `waiting` or absent when not on the
    /// roster.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub my_status: Option<String>,
}

fn session_item(session: Session, my_status: Option<String>) -> SessionItem {
    SessionItem {
        places_left: session.places_left(),
        cancelled: session.is_cancelled(),
        trainers: session
            .trainers
            .into_iter()
            .map(|(id, display_name)| SessionTrainer { id, display_name })
            .collect(),
        id: session.id,
        course_id: session.course_id,
        title_el: session.title_el,
        title_en: session.title_en,
        mode: session.mode,
        starts_at: session.starts_at,
        ends_at: session.ends_at,
        place: session.place,
        link: session.link,
        region: session.region,
        sector: session.sector,
        capacity: session.capacity,
        registered: session.registered,
        waiting: session.waiting,
        my_status,
    }
}

fn place_status(place: Option<procap_domain::training::session::Place>) -> Option<String> {
    use procap_domain::training::session::Place;
    place.map(|place| match place {
        Place::Registered => sessions::STATUS_REGISTERED.to_owned(),
        Place::Waiting(_) => sessions::STATUS_WAITING.to_owned(),
    })
}

/// One page of sessions.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionList {
    pub items: Vec<SessionItem>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

#[utoipa::path(
    get,
    path = "/api/v1/sessions",
    params(SessionQuery, PageQuery),
    responses(
        (status = 200, description = "One page of training sessions with their places", body = SessionList),
        (status = 400, description = "Invalid limit, offset, page or period", body = records::ApiProblem),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "The owner's role neither manages nor takes training, or a trainee asked for every session", body = records::ApiProblem),
    ),
    security(("token" = []))
)]
pub async fn list_sessions(
    State(state): State<AppState>,
    api_user: ApiUser,
    Query(page): Query<PageQuery>,
    Query(query): Query<SessionQuery>,
) -> Result<Response, ApiFailure> {
    let t = translator(&api_user);
    let access = access(&t, &api_user)?;
    let (offset, limit) = page.resolve(&t)?;
    let period = match query.period.as_deref().map(str::trim) {
        None | Some("" | "upcoming") => Period::Upcoming(procap_store::now()),
        Some("all") if access == Access::Manage => Period::All,
        Some("all") => return Err(ApiFailure::forbidden(&t)),
        Some(_) => {
            return Err(ApiFailure::new(
                &t,
                StatusCode::BAD_REQUEST,
                "invalid_period",
                "training-api-error-period",
            ));
        }
    };

    let trainee_id = (access == Access::Take).then(|| api_user.user.id.clone());
    let (items, total) = state
        .store
        .run(move |db| {
            let total = training_api::count_sessions(db, period)?;
            let (list, _) = sessions::list(db, period, offset, limit)?;
            let mut items = Vec::with_capacity(list.len());
            for session in list {
                let my_status = match &trainee_id {
                    Some(trainee) => place_status(sessions::place_of(db, &session.id, trainee)?),
                    None => None,
                };
                items.push(session_item(session, my_status));
            }
            Ok((items, total))
        })
        .await
        .map_err(|error| ApiFailure::from_store(&t, "session list failed", error))?;
    Ok(Json(SessionList {
        items,
        total,
        limit,
        offset,
    })
    .into_response())
}

/// A trainee on a session's roster.
#[derive(Debug, Serialize, ToSchema)]
pub struct RosterItem {
    pub trainee_id: String,
    pub display_name: String,
    /// The trainee's organisation as registered.
    pub organisation: String,
    pub sector: Option<String>,
    /// registered or waiting.
    pub status: String,
    pub registered_at: NaiveDateTime,
    pub attended_at: Option<NaiveDateTime>,
}

/// A session; trainers and coordinators also get the roster.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionDetail {
    #[serde(flatten)]
    pub session: SessionItem,
    /// Registered trainees by name, then the waiting list in order.
    /// Absent for trainees.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roster: Option<Vec<RosterItem>>,
}

#[utoipa::path(
    get,
    path = "/api/v1/sessions/{id}",
    params(("id" = String, Path, description = "Session id")),
    responses(
        (status = 200, description = "The session with places left and the waiting count; the roster for trainers and coordinators", body = SessionDetail),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "The owner's role neither manages nor takes training", body = records::ApiProblem),
        (status = 404, description = "No such session", body = records::ApiProblem),
    ),
    security(("token" = []))
)]
pub async fn show_session(
    State(state): State<AppState>,
    api_user: ApiUser,
    Path(session_id): Path<String>,
) -> Result<Response, ApiFailure> {
    let t = translator(&api_user);
    let access = access(&t, &api_user)?;

    let trainee_id = api_user.user.id.clone();
    let id = session_id.clone();
    let detail = state
        .store
        .run(move |db| {
            let session = sessions::get(db, &id)?;
            Ok(match access {
                Access::Manage => {
                    let roster = sessions::roster(db, &id)?
                        .into_iter()
                        .map(|entry| RosterItem {
                            trainee_id: entry.trainee_id,
                            display_name: entry.display_name,
                            organisation: entry.organisation,
                            sector: entry.sector,
                            status: entry.status,
                            registered_at: entry.registered_at,
                            attended_at: entry.attended_at,
                        })
                        .collect();
                    SessionDetail {
                        session: session_item(session, None),
                        roster: Some(roster),
                    }
                }
                Access::Take => {
                    let status = place_status(sessions::place_of(db, &id, &trainee_id)?);
                    SessionDetail {
                        session: session_item(session, status),
                        roster: None,
                    }
                }
            })
        })
        .await
        .map_err(|error| ApiFailure::from_store(&t, "session lookup failed", error))?;
    if access == Access::Manage {
        records::audit(
            &state,
            &api_user,
            "training.session.roster",
            Outcome::Success,
            ("training_session", &session_id),
            json!({}),
        )
        .await?;
    }
    Ok(Json(detail).into_response())
}

// --- Certificates -------------------------------------------------------------

#[derive(Debug, Deserialize, IntoParams)]
pub struct CertificateQuery {
    /// Only certificates of this course.
    course: Option<String>,
    /// `valid`, `revoked` or `all` (default).
    status: Option<String>,
}

/// A certificate and where anyone can check it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateItem {
    pub id: String,
    /// The verification code as printed, in four groups.
    pub code: String,
    /// The public page that confirms the certificate.
    pub verification_url: String,
    pub course_id: String,
    pub course_title_el: String,
    pub course_title_en: String,
    pub trainee_id: String,
    /// The holder's name as printed.
    pub holder_name: String,
    pub issued_on: NaiveDate,
    pub revoked: bool,
    pub revoked_at: Option<NaiveDateTime>,
    /// Why it was revoked; given to trainers and coordinators only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_reason: Option<String>,
}

fn certificate_item(
    public_origin: &str,
    certificate: Certificate,
    with_reason: bool,
) -> CertificateItem {
    let code = certificate
        .verification_code()
        .map_or_else(|_| certificate.code.clone(), |code| code.to_string());
    CertificateItem {
        verification_url: format!(
            "{}/verify/{}",
            public_origin.trim_end_matches('/'),
            certificate.code
        ),
        code,
        revoked: !certificate.is_valid(),
        revoked_reason: if with_reason {
            certificate.revoked_reason
        } else {
            None
        },
        id: certificate.id,
        course_id: certificate.course_id,
        course_title_el: certificate.course_title_el,
        course_title_en: certificate.course_title_en,
        trainee_id: certificate.trainee_id,
        holder_name: certificate.holder_name,
        issued_on: certificate.issued_on,
        revoked_at: certificate.revoked_at,
    }
}

/// One page of certificates, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateList {
    pub items: Vec<CertificateItem>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

#[utoipa::path(
    get,
    path = "/api/v1/certificates",
    params(CertificateQuery, PageQuery),
    responses(
        (status = 200, description = "One page of certificates: the owner's own for a trainee, every one for trainers and coordinators", body = CertificateList),
        (status = 400, description = "Invalid limit, offset, page or status", body = records::ApiProblem),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "The owner's role neither manages nor takes training", body = records::ApiProblem),
    ),
    security(("token" = []))
)]
pub async fn list_certificates(
    State(state): State<AppState>,
    api_user: ApiUser,
    Query(page): Query<PageQuery>,
    Query(query): Query<CertificateQuery>,
) -> Result<Response, ApiFailure> {
    let t = translator(&api_user);
    let access = access(&t, &api_user)?;
    let (offset, limit) = page.resolve(&t)?;
    let status = match query.status.as_deref().map(str::trim) {
        None | Some("" | "all") => StatusFilter::All,
        Some("valid") => StatusFilter::Valid,
        Some("revoked") => StatusFilter::Revoked,
        Some(_) => {
            return Err(ApiFailure::new(
                &t,
                StatusCode::BAD_REQUEST,
                "invalid_status",
                "training-api-error-status",
            ));
        }
    };
    let course_id = non_empty(query.course.as_ref());

    let trainee_id = api_user.user.id.clone();
    let (rows, total) = state
        .store
        .run(move |db| match access {
            Access::Manage => {
                let list = certificates::list(
                    db,
                    &ListQuery {
                        course_id,
                        status,
                        offset,
                        limit,
                    },
                )?;
                Ok((list.rows, list.total))
            }
            Access::Take => {
                // A trainee holds a handful of certificates: filter and page
                // the whole list here.
                let mine: Vec<Certificate> = certificates::list_for_trainee(db, &trainee_id)?
                    .into_iter()
                    .filter(|certificate| {
                        course_id
                            .as_ref()
                            .is_none_or(|course| &certificate.course_id == course)
                    })
                    .filter(|certificate| match status {
                        StatusFilter::All => true,
                        StatusFilter::Valid => certificate.is_valid(),
                        StatusFilter::Revoked => !certificate.is_valid(),
                    })
                    .collect();
                let total = i64::try_from(mine.len()).unwrap_or(i64::MAX);
                let page = mine
                    .into_iter()
                    .skip(usize::try_from(offset).unwrap_or(usize::MAX))
                    .take(usize::try_from(limit).unwrap_or(0))
                    .collect();
                Ok((page, total))
            }
        })
        .await
        .map_err(|error| ApiFailure::from_store(&t, "certificate list failed", error))?;
    let origin = state.config.public_origin.clone();
    let with_reason = access == Access::Manage;
    Ok(Json(CertificateList {
        items: rows
            .into_iter()
            .map(|certificate| certificate_item(&origin, certificate, with_reason))
            .collect(),
        total,
        limit,
        offset,
    })
    .into_response())
}
