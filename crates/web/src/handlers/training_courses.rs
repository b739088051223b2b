//! Courses for trainees and trainers.
//!
//! Trainees (`TakeTraining`): `GET /training` and `/training/courses` (their
//! courses with progress and the published courses they may join),
//! `POST /training/courses/{id}/enrol`, `GET /training/courses/{id}` and
//! `GET /training/courses/{id}/lessons/{lesson_id}` (a first view is
//! recorded and completion recomputed), and the lesson's files. A trainee
//! opens only courses they are enrolled in.
//!
//! Anyone: `GET`/`POST /training/register`, registration with an
//! invitation code.
//!
//! Trainers and coordinators (`ManageTraining`): everything under
//! `/training/manage/courses` (courses, modules, lessons, lesson files,
//! enrolments with a CSV roster) and `/training/manage/invitations`. They
//! may also open the trainee pages of any course as a preview.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::routes::{Routes, get, post};
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use object_store::ObjectStore;
use object_store::local::LocalFileSystem;
use procap_domain::account::{MIN_PASSWORD_CHARS, Username, UsernameError, check_new_password};
use procap_domain::locale::Locale;
use procap_domain::role::Permission;
use procap_domain::training::completion::{PrerequisiteError, Rule};
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::training::courses::{
    self, ARCHIVED, Course, CourseInput, DRAFT, Direction, LessonInput, ModuleInput, PUBLISHED,
    REGIONS, SECTORS,
};
use procap_store::training::enrolment::{self, ROSTER_COLUMNS, RosterError, RosterProblem};
use procap_store::training::invitations::{
    self, CodeProblem, NewInvitation, Registration, RegistrationError,
};
use procap_store::training::quizzes::{self, QuizPurpose};
use procap_store::training::scorm;
use procap_store::{StoreError, organisations};
use serde::Deserialize;
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::notes::{clean_file_name, content_disposition, detect_type, name_fits_type};
use crate::handlers::{render, today};
use crate::i18n::{Translator, password_policy_message};
use crate::middleware::CurrentLocale;
use crate::pages::training_courses::*;
use crate::pages::training_markdown::{LessonFiles, render_lesson, safe_video_url};
use crate::pages::{ConfirmPage, FieldErrors, HiddenField, PageContext, Pagination, SelectOption};
use crate::state::AppState;

/// Rows per page of the long lists.
const PER_PAGE: i64 = 25;
/// Largest lesson file accepted.
pub const MAX_LESSON_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Largest roster accepted.
const MAX_ROSTER_BYTES: usize = 1024 * 1024;
/// Body limit of the upload routes: the file plus the multipart envelope.
pub const UPLOAD_BODY_LIMIT: usize = MAX_LESSON_FILE_BYTES + 64 * 1024;

/// The page routes (behind the session layer, general body limit).
pub fn routes() -> Routes {
    Routes::new()
        .route("/training", get(home))
        .route("/training/register", get(register_form).post(register))
        .route("/training/courses", get(catalogue))
        .route("/training/courses/{id}", get(course_page))
        .route("/training/courses/{id}/enrol", post(self_enrol))
        .route(
            "/training/courses/{id}/lessons/{lesson_id}",
            get(lesson_page),
        )
        .route(
            "/training/courses/{id}/lessons/{lesson_id}/files/{file_id}",
            get(lesson_file),
        )
        .route(
            "/training/manage/courses",
            get(manage_list).post(manage_create),
        )
        .route(
            "/training/manage/courses/{id}",
            get(manage_course).post(manage_update),
        )
        .route("/training/manage/courses/{id}/status", post(manage_status))
        .route("/training/manage/courses/{id}/modules", post(module_add))
        .route(
            "/training/manage/courses/{id}/modules/{module_id}/move/{direction}",
            post(module_move),
        )
        .route(
            "/training/manage/courses/{id}/modules/{module_id}/delete",
            post(module_delete),
        )
        .route(
            "/training/manage/courses/{id}/modules/{module_id}/lessons",
            post(lesson_add),
        )
        .route(
            "/training/manage/courses/{id}/lessons/{lesson_id}",
            get(lesson_edit).post(lesson_update),
        )
        .route(
            "/training/manage/courses/{id}/lessons/{lesson_id}/move/{direction}",
            post(lesson_move),
        )
        .route(
            "/training/manage/courses/{id}/lessons/{lesson_id}/delete",
            post(lesson_delete),
        )
        .route(
            "/training/manage/courses/{id}/lessons/{lesson_id}/files/{file_id}/delete",
            post(file_delete),
        )
        .route(
            "/training/manage/courses/{id}/enrolments",
            get(enrolments_page).post(enrol_one),
        )
        .route(
            "/training/manage/invitations",
            get(invitations_page).post(invitation_create),
        )
        .route(
            "/training/manage/invitations/{id}/revoke",
            post(invitation_revoke),
        )
}

/// The upload routes, which need a larger body limit.
pub fn upload_routes() -> Routes {
    Routes::new()
        .route(
            "/training/manage/courses/{id}/lessons/{lesson_id}/files",
            post(file_upload),
        )
        .route(
            "/training/manage/courses/{id}/enrolments/csv",
            post(roster_upload),
        )
}

// --- Helpers ------------------------------------------------------------------

fn pick(locale: Locale, el: &str, en: &str) -> String {
    match locale {
        Locale::En if !en.is_empty() => en.to_owned(),
        _ if el.is_empty() => en.to_owned(),
        _ => el.to_owned(),
    }
}

fn sector_label(t: &Translator, code: &str) -> String {
    if SECTORS.contains(&code) {
        t.t(&format!("courses-sector-{code}"))
    } else {
        code.to_owned()
    }
}

fn region_label(t: &Translator, code: &str) -> String {
    if REGIONS.contains(&code) {
        t.t(&format!("courses-region-{code}"))
    } else {
        code.to_owned()
    }
}

fn status_label(t: &Translator, status: &str) -> String {
    match status {
        PUBLISHED => t.t("courses-status-published"),
        ARCHIVED => t.t("courses-status-archived"),
        _ => t.t("courses-status-draft"),
    }
}

fn internal(what: &'static str, error: impl std::fmt::Display) -> WebError {
    WebError::Internal(anyhow::anyhow!("{what}: {error}"))
}

fn unprocessable(response: Result<Response, WebError>) -> Result<Response, WebError> {
    let mut response = response?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

async fn audit(
    state: &AppState,
    user: &CurrentUser,
    action: &str,
    object: (&str, &str),
    details: serde_json::Value,
) -> Result<(), WebError> {
    let event = AuditEvent::new(action, Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object(object.0, object.1)
        .details(details);
    record(&state.store, event).await
}

fn format_size(t: &Translator, bytes: i64) -> String {
    let kib = (bytes + 1023) / 1024;
    t.t1("courses-size-kib", "size", t.format_number(&kib.max(1)))
}

/// The answer of a confirmation page.
#[derive(Deserialize)]
pub struct ConfirmInput {
    #[serde(default)]
    confirmed: Option<String>,
}

impl ConfirmInput {
    fn is_confirmed(&self) -> bool {
        self.confirmed.is_some()
    }
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<i64>,
}

/// Reads a form of repeated fields (checkbox groups) into a map of lists.
fn fields(pairs: Vec<(String, String)>) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, value) in pairs {
        map.entry(name).or_default().push(value);
    }
    map
}

fn field(map: &BTreeMap<String, Vec<String>>, name: &str) -> String {
    map.get(name)
        .and_then(|values| values.first())
        .map(|value| value.trim().to_owned())
        .unwrap_or_default()
}

fn trainee_links(t: &Translator) -> Vec<Link> {
    vec![
        Link {
            label: t.t("courses-link-sessions"),
            href: SESSIONS.to_owned(),
        },
        Link {
            label: t.t("courses-link-certificates"),
            href: CERTIFICATES.to_owned(),
        },
    ]
}

fn trainer_links(t: &Translator) -> Vec<Link> {
    vec![
        Link {
            label: t.t("courses-manage-title"),
            href: MANAGE_COURSES.to_owned(),
        },
        Link {
            label: t.t("courses-link-invitations"),
            href: MANAGE_INVITATIONS.to_owned(),
        },
        Link {
            label: t.t("courses-link-sessions"),
            href: "/training/manage/sessions".to_owned(),
        },
        Link {
            label: t.t("courses-link-certificates"),
            href: "/training/manage/certificates".to_owned(),
        },
        Link {
            label: t.t("tsession-link-evaluations"),
            href: "/training/manage/evaluations".to_owned(),
        },
    ]
}

// --- Trainee home and catalogue -----------------------------------------------

/// `GET /training`: a trainee's courses, or a trainer's courses to manage.
pub async fn home(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    training_home(&state, &user, query.page, TRAINING).await
}

/// `GET /training/courses`: the same lists as the home for trainees; the
/// course management list for trainers.
pub async fn catalogue(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    if !user.can(Permission::TakeTraining) && user.can(Permission::ManageTraining) {
        return Ok(Redirect::to(MANAGE_COURSES).into_response());
    }
    training_home(&state, &user, query.page, COURSES).await
}

async fn training_home(
    state: &AppState,
    user: &CurrentUser,
    page: Option<i64>,
    path: &str,
) -> Result<Response, WebError> {
    let ctx = user.page(path);
    let t = ctx.t;
    let locale = user.locale;
    if user.can(Permission::TakeTraining) {
        let trainee = user.user.id.clone();
        let offset = Pagination::new(page, PER_PAGE, 0, path).offset();
        let now = procap_store::now();
        let (mine, total, open, titles, (upcoming, evaluations)) = state
            .store
            .run(move |db| {
                let (mine, total) = enrolment::my_courses(db, &trainee, offset, PER_PAGE)?;
                let open = enrolment::open_courses(db, &trainee, 50)?;
                let titles = courses::course_choices(db)?;
                let pending =
                    crate::handlers::training_sessions::trainee_pending(db, &trainee, now)?;
                Ok((mine, total, open, titles, pending))
            })
            .await?;
        let title_of = |id: &str| {
            titles
                .iter()
                .find(|(course_id, _, _)| course_id == id)
                .map_or_else(|| id.to_owned(), |(_, el, en)| pick(locale, el, en))
        };
        let page = TrainingHomePage {
            trainee: true,
            my_courses: mine
                .into_iter()
                .map(|item| {
                    let percent = item.standing.percent();
                    let completed = item.standing.completed_at.is_some();
                    MyCourseCard {
                        title: pick(locale, &item.course.title_el, &item.course.title_en),
                        summary: pick(locale, &item.course.summary_el, &item.course.summary_en),
                        href: course_href(&item.course.id),
                        percent,
                        completed,
                        progress: if completed {
                            t.t("courses-completed")
                        } else {
                            t.t1("courses-progress-percent", "percent", percent)
                        },
                    }
                })
                .collect(),
            my_pagination: Some(Pagination::new(page, PER_PAGE, total, path)),
            open_courses: open
                .into_iter()
                .map(|item| OpenCourseCard {
                    title: pick(locale, &item.course.title_el, &item.course.title_en),
                    summary: pick(locale, &item.course.summary_el, &item.course.summary_en),
                    enrol_action: format!("{}/enrol", course_href(&item.course.id)),
                    unmet: item.unmet.iter().map(|id| title_of(id)).collect(),
                })
                .collect(),
            managed: Vec::new(),
            managed_pagination: None,
            links: trainee_links(&t),
            upcoming_sessions: crate::handlers::training_sessions::upcoming_links(
                &t, locale, &upcoming,
            ),
            open_evaluations: crate::handlers::training_sessions::evaluation_links(
                &t,
                locale,
                &evaluations,
            ),
            ctx,
        };
        return render(&page);
    }
    user.require(Permission::ManageTraining)?;
    let pagination = Pagination::new(page, PER_PAGE, 0, path);
    let offset = pagination.offset();
    let (rows, total) = state
        .store
        .run(move |db| enrolment::managed_courses(db, offset, PER_PAGE))
        .await?;
    let page = TrainingHomePage {
        trainee: false,
        my_courses: Vec::new(),
        my_pagination: None,
        open_courses: Vec::new(),
        managed: managed_rows(&t, locale, rows),
        managed_pagination: Some(Pagination::new(page, PER_PAGE, total, path)),
        links: trainer_links(&t),
        upcoming_sessions: Vec::new(),
        open_evaluations: Vec::new(),
        ctx,
    };
    render(&page)
}

fn managed_rows(
    t: &Translator,
    locale: Locale,
    rows: Vec<enrolment::ManagedCourse>,
) -> Vec<ManagedCourseRow> {
    rows.into_iter()
        .map(|row| ManagedCourseRow {
            title: pick(locale, &row.course.title_el, &row.course.title_en),
            status: status_label(t, &row.course.status),
            enrolled: row.enrolled,
            completed: row.completed,
            href: manage_course_href(&row.course.id),
            enrolments_href: enrolments_href(&row.course.id),
        })
        .collect()
}

/// `POST /training/courses/{id}/enrol`: self-enrolment in a published
/// course whose prerequisites the trainee has completed.
pub async fn self_enrol(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(course_id): Path<String>,
) -> Result<Response, WebError> {
    user.require(Permission::TakeTraining)?;
    let id = course_id.clone();
    let trainee = user.user.id.clone();
    let result = state
        .store
        .run(move |db| enrolment::self_enrol(db, &id, &trainee))
        .await?;
    match result {
        Ok(()) => {
            audit(
                &state,
                &user,
                "training.enrol.self",
                ("course", &course_id),
                json!({}),
            )
            .await?;
            Ok(Redirect::to(&course_href(&course_id)).into_response())
        }
        Err(enrolment::SelfEnrolError::NotPublished) => Err(WebError::NotFound),
        Err(enrolment::SelfEnrolError::Prerequisites(_)) => Err(WebError::Forbidden),
    }
}

// --- Course and lesson pages --------------------------------------------------

/// Who opens a course page: an enrolled trainee, or a manager previewing.
enum Viewer {
    Trainee,
    Manager,
}

/// Checks that the user may open the course and loads it. Trainees must be
/// enrolled; staff without either training permission get 403.
async fn open_course(
    state: &AppState,
    user: &CurrentUser,
    course_id: &str,
) -> Result<(Course, Viewer), WebError> {
    let id = course_id.to_owned();
    let trainee = user.user.id.clone();
    let taking = user.can(Permission::TakeTraining);
    if !taking && !user.can(Permission::ManageTraining) {
        return Err(WebError::Forbidden);
    }
    let (course, enrolled) = state
        .store
        .run(move |db| {
            let course = courses::get_course(db, &id)?;
            let enrolled = taking && enrolment::is_enrolled(db, &id, &trainee)?;
            Ok((course, enrolled))
        })
        .await?;
    if taking {
        if !enrolled {
            let event = AuditEvent::new("training.course.open", Outcome::Denied)
                .actor(&user.user.id, &user.user.username)
                .object("course", course_id);
            record(&state.store, event).await?;
            return Err(WebError::Forbidden);
        }
        Ok((course, Viewer::Trainee))
    } else {
        Ok((course, Viewer::Manager))
    }
}

fn rule_text(t: &Translator, locale: Locale, rule: &Rule, lessons: &[courses::Lesson]) -> String {
    match rule {
        Rule::LessonViewed(id) => {
            let title = lessons
                .iter()
                .find(|lesson| lesson.id == id.as_str())
                .map_or_else(String::new, |lesson| {
                    pick(locale, &lesson.title_el, &lesson.title_en)
                });
            t.t1("courses-missing-lesson", "title", title)
        }
        Rule::QuizPassed(_) => t.t("courses-missing-quiz"),
        Rule::PostTestTaken => t.t("courses-missing-post-test"),
        Rule::SessionAttended => t.t("courses-missing-attendance"),
        Rule::EvaluationSubmitted => t.t("courses-missing-evaluation"),
    }
}

/// `GET /training/courses/{id}`: modules, lessons and what is left.
pub async fn course_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(course_id): Path<String>,
) -> Result<Response, WebError> {
    let (course, viewer) = open_course(&state, &user, &course_id).await?;
    let id = course_id.clone();
    let trainee = user.user.id.clone();
    let is_trainee = matches!(viewer, Viewer::Trainee);
    let (modules, lessons, viewed, standing, quizzes) = state
        .store
        .run(move |db| {
            let modules = courses::list_modules(db, &id)?;
            let lessons = courses::list_lessons(db, &id)?;
            let (viewed, standing) = if is_trainee {
                (
                    enrolment::viewed_lessons(db, &trainee, &id)?,
                    Some(enrolment::standing(db, &trainee, &id)?),
                )
            } else {
                (Default::default(), None)
            };
            let quizzes = quizzes::list_quizzes(db, &id)?;
            Ok((modules, lessons, viewed, standing, quizzes))
        })
        .await?;
    let ctx = user.page(COURSES);
    let t = ctx.t;
    let locale = user.locale;
    let page = CoursePage {
        title: pick(locale, &course.title_el, &course.title_en),
        summary: pick(locale, &course.summary_el, &course.summary_en),
        modules: modules
            .iter()
            .map(|module| ModuleView {
                title: pick(locale, &module.title_el, &module.title_en),
                lessons: lessons
                    .iter()
                    .filter(|lesson| lesson.module_id == module.id)
                    .map(|lesson| LessonLink {
                        title: pick(locale, &lesson.title_el, &lesson.title_en),
                        href: lesson_href(&course.id, &lesson.id),
                        viewed: viewed.contains(&lesson.id),
                        required: lesson.required,
                    })
                    .collect(),
            })
            .collect(),
        percent: standing.as_ref().map(enrolment::CourseStanding::percent),
        completed: standing
            .as_ref()
            .is_some_and(|standing| standing.completed_at.is_some()),
        missing: standing
            .map(|standing| {
                standing
                    .missing
                    .iter()
                    .map(|rule| rule_text(&t, locale, rule, &lessons))
                    .collect()
            })
            .unwrap_or_default(),
        quizzes: quiz_links(locale, &course.id, is_trainee, &modules, quizzes),
        ctx,
    };
    render(&page)
}

/// The course's quizzes as links for the course page: the pre-test, the
/// module quizzes in module order, then the post-test. A trainee gets the
/// quiz pages; a trainer previewing the course gets the quiz editor.
fn quiz_links(
    locale: Locale,
    course_id: &str,
    is_trainee: bool,
    modules: &[courses::Module],
    mut quizzes: Vec<quizzes::StoredQuiz>,
) -> Vec<Link> {
    let rank = |quiz: &quizzes::StoredQuiz| match quiz.purpose {
        QuizPurpose::PreTest => (0, 0),
        QuizPurpose::Module => (
            1,
            quiz.module_id
                .as_ref()
                .and_then(|id| modules.iter().position(|module| &module.id == id))
                .unwrap_or(usize::MAX),
        ),
        QuizPurpose::PostTest => (2, 0),
    };
    quizzes.sort_by_key(rank);
    quizzes
        .into_iter()
        .map(|quiz| Link {
            label: pick(locale, &quiz.title_el, &quiz.title_en),
            href: if is_trainee {
                format!("/training/quizzes/{}", quiz.id)
            } else {
                format!("{}/quizzes/{}", manage_course_href(course_id), quiz.id)
            },
        })
        .collect()
}

/// `GET /training/courses/{id}/lessons/{lesson_id}`: the sanitised lesson;
/// a trainee's first view is recorded and completion recomputed.
pub async fn lesson_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((course_id, lesson_id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (course, viewer) = open_course(&state, &user, &course_id).await?;
    let id = course_id.clone();
    let lesson = lesson_id.clone();
    let trainee = user.user.id.clone();
    let is_trainee = matches!(viewer, Viewer::Trainee);
    let (current, lessons, files, recomputed) = state
        .store
        .run(move |db| {
            let current = courses::get_lesson(db, &id, &lesson)?;
            let lessons = courses::list_lessons(db, &id)?;
            let files = courses::list_lesson_files(db, &lesson)?;
            let recomputed = if is_trainee {
                Some(enrolment::record_lesson_view(db, &trainee, &id, &lesson)?)
            } else {
                None
            };
            Ok((current, lessons, files, recomputed))
        })
        .await?;
    if recomputed.as_ref().is_some_and(|done| done.completed_now) {
        audit(
            &state,
            &user,
            "training.course.complete",
            ("course", &course_id),
            json!({ "lesson_id": lesson_id }),
        )
        .await?;
    }

    let ctx = user.page(COURSES);
    let t = ctx.t;
    let locale = user.locale;
    let base = lesson_files_base(&course.id, &current.id);
    let links = LessonFiles {
        base: base.clone(),
        files: files
            .iter()
            .map(|file| (file.id.clone(), file.file_name.clone()))
            .collect(),
    };
    let body = pick(locale, &current.body_el, &current.body_en);
    let position = lessons.iter().position(|lesson| lesson.id == current.id);
    let link_to = |lesson: &courses::Lesson| Link {
        label: pick(locale, &lesson.title_el, &lesson.title_en),
        href: lesson_href(&course.id, &lesson.id),
    };
    let page = LessonPage {
        course_title: pick(locale, &course.title_el, &course.title_en),
        course_href: course_href(&course.id),
        title: pick(locale, &current.title_el, &current.title_en),
        body_html: render_lesson(&body, &links),
        files: files
            .iter()
            .map(|file| FileLink {
                name: file.file_name.clone(),
                href: format!("{base}{}", file.id),
                size: format_size(&t, file.size_bytes),
            })
            .collect(),
        video_url: current.video_url.as_deref().and_then(safe_video_url),
        scorm_href: (current.kind == scorm::KIND)
            .then(|| crate::pages::training_scorm::lesson_href(&current.id)),
        previous: position
            .and_then(|index| index.checked_sub(1))
            .and_then(|index| lessons.get(index))
            .map(link_to),
        next: position
            .and_then(|index| lessons.get(index + 1))
            .map(link_to),
        ctx,
    };
    render(&page)
}

// --- Lesson files -------------------------------------------------------------

fn lesson_files_dir(state: &AppState) -> PathBuf {
    state.config.attachments.dir.join("lesson-files")
}

async fn lesson_object_store(state: &AppState) -> Result<LocalFileSystem, WebError> {
    let dir = lesson_files_dir(state);
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|error| internal("cannot create the lesson files folder", error))?;
    LocalFileSystem::new_with_prefix(&dir)
        .map_err(|error| internal("cannot open the lesson files folder", error))
}

/// `GET /training/courses/{id}/lessons/{lesson_id}/files/{file_id}`.
pub async fn lesson_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((course_id, lesson_id, file_id)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    open_course(&state, &user, &course_id).await?;
    let file = state
        .store
        .run(move |db| {
            courses::get_lesson(db, &course_id, &lesson_id)?;
            courses::get_lesson_file(db, &lesson_id, &file_id)
        })
        .await?;
    let objects = lesson_object_store(&state).await?;
    let location = object_store::path::Path::from(file.storage_key.as_str());
    let content = objects
        .get(&location)
        .await
        .map_err(|error| internal("cannot read a lesson file", error))?
        .bytes()
        .await
        .map_err(|error| internal("cannot read a lesson file", error))?;
    let content_type = HeaderValue::from_str(&file.content_type)
        .map_err(|error| internal("stored content type", error))?;
    let disposition = HeaderValue::from_str(&content_disposition(&file.file_name))
        .map_err(|error| internal("content disposition", error))?;
    let mut response = content.to_vec().into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private"));
    Ok(response)
}

/// Reads the multipart `file` field, at most `max_bytes`.
async fn read_upload(
    multipart: &mut Multipart,
    max_bytes: usize,
) -> Result<Option<(String, Vec<u8>)>, WebError> {
    let malformed = |error: axum::extract::multipart::MultipartError| {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::PayloadTooLarge
        } else {
            WebError::BadRequest(crate::error::MessageKey("error-malformed-form"))
        }
    };
    while let Some(mut part) = multipart.next_field().await.map_err(malformed)? {
        if part.name() != Some("file") {
            continue;
        }
        let name = part.file_name().unwrap_or_default().to_owned();
        let mut content = Vec::new();
        while let Some(chunk) = part.chunk().await.map_err(malformed)? {
            if content.len() + chunk.len() > max_bytes {
                return Err(WebError::PayloadTooLarge);
            }
            content.extend_from_slice(&chunk);
        }
        return Ok(Some((name, content)));
    }
    Ok(None)
}

/// `POST /training/manage/courses/{id}/lessons/{lesson_id}/files`: stores
/// a PDF, PNG, JPEG or text file for the lesson.
pub async fn file_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((course_id, lesson_id)): Path<(String, String)>,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let upload = read_upload(&mut multipart, MAX_LESSON_FILE_BYTES).await?;
    let t = Translator::new(user.locale);
    let checked = match upload {
        Some((raw, content)) if !content.is_empty() => {
            let name = clean_file_name(&raw);
            match detect_type(&content) {
                Some(kind) if name_fits_type(&name, kind) => Ok((name, kind, content)),
                _ => Err("courses-file-error-type"),
            }
        }
        _ => Err("courses-file-error-missing"),
    };
    let (file_name, kind, content) = match checked {
        Ok(checked) => checked,
        Err(key) => {
            let mut errors = FieldErrors::new();
            errors.add("file", t.t(key));
            return unprocessable(
                lesson_editor(&state, &user, &course_id, &lesson_id, None, errors).await,
            );
        }
    };
    let key = procap_store::new_id();
    let objects = lesson_object_store(&state).await?;
    let location = object_store::path::Path::from(key.as_str());
    let size_bytes = i64::try_from(content.len()).unwrap_or(i64::MAX);
    objects
        .put(&location, content.into())
        .await
        .map_err(|error| internal("cannot write a lesson file", error))?;
    let (course, lesson, stored_key) = (course_id.clone(), lesson_id.clone(), key.clone());
    let stored = state
        .store
        .run(move |db| {
            courses::get_lesson(db, &course, &lesson)?;
            courses::add_lesson_file(
                db,
                &courses::NewLessonFile {
                    lesson_id: &lesson,
                    file_name: &file_name,
                    content_type: kind.mime(),
                    size_bytes,
                    storage_key: &stored_key,
                },
            )
        })
        .await;
    let file_id = match stored {
        Ok(id) => id,
        Err(error) => {
            if let Err(cleanup) = objects.delete(&location).await {
                tracing::warn!(error = %cleanup, "cannot remove a lesson file without a row");
            }
            return Err(error.into());
        }
    };
    audit(
        &state,
        &user,
        "training.lesson.file.add",
        ("lesson", &lesson_id),
        json!({ "file_id": file_id, "size_bytes": size_bytes }),
    )
    .await?;
    Ok(Redirect::to(&manage_lesson_href(&course_id, &lesson_id)).into_response())
}

/// `POST …/files/{file_id}/delete`: asks first, then removes the file.
pub async fn file_delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((course_id, lesson_id, file_id)): Path<(String, String, String)>,
    Form(input): Form<ConfirmInput>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let back = manage_lesson_href(&course_id, &lesson_id);
    if !input.is_confirmed() {
        return confirm(
            &user,
            &back,
            "courses-confirm-delete-file",
            format!("{back}/files/{file_id}/delete"),
        );
    }
    let (lesson, file) = (lesson_id.clone(), file_id.clone());
    let key = state
        .store
        .run(move |db| courses::delete_lesson_file(db, &lesson, &file))
        .await?;
    remove_objects(&state, &[key]).await;
    audit(
        &state,
        &user,
        "training.lesson.file.delete",
        ("lesson", &lesson_id),
        json!({ "file_id": file_id }),
    )
    .await?;
    Ok(Redirect::to(&back).into_response())
}

async fn remove_objects(state: &AppState, keys: &[String]) {
    let Ok(objects) = lesson_object_store(state).await else {
        tracing::warn!("cannot open the lesson files folder to remove files");
        return;
    };
    for key in keys {
        let location = object_store::path::Path::from(key.as_str());
        if let Err(error) = objects.delete(&location).await {
            tracing::warn!(error = %error, "cannot remove a lesson file");
        }
    }
}

fn confirm(
    user: &CurrentUser,
    back: &str,
    message_key: &str,
    action: String,
) -> Result<Response, WebError> {
    let ctx = user.page(MANAGE_COURSES);
    let t = ctx.t;
    let page = ConfirmPage {
        title: t.t("courses-confirm-title"),
        message: t.t(message_key),
        action,
        hidden: vec![HiddenField {
            name: "confirmed".into(),
            value: "1".into(),
        }],
        confirm_label: t.t("courses-confirm-button"),
        cancel_href: back.to_owned(),
        destructive: true,
        ctx,
    };
    render(&page)
}

// --- Trainer: courses ---------------------------------------------------------

fn empty_form(t: &Translator) -> CourseFormView {
    CourseFormView {
        sectors: SECTORS
            .iter()
            .map(|code| CheckOption {
                value: (*code).to_owned(),
                label: sector_label(t, code),
                checked: false,
            })
            .collect(),
        ..CourseFormView::default()
    }
}

/// Parses the course form into the store's input and the view to show
/// again on an error.
fn parse_course_form(
    t: &Translator,
    map: &BTreeMap<String, Vec<String>>,
    mut view: CourseFormView,
    errors: &mut FieldErrors,
) -> (CourseInput, Vec<String>, CourseFormView) {
    let chosen: Vec<String> = map
        .get("sectors")
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|code| courses::is_sector(code))
        .collect();
    let prerequisites: Vec<String> = map.get("prerequisites").cloned().unwrap_or_default();
    let input = CourseInput {
        slug: field(map, "slug").to_ascii_lowercase(),
        title_el: field(map, "title_el"),
        title_en: field(map, "title_en"),
        summary_el: field(map, "summary_el"),
        summary_en: field(map, "summary_en"),
        sectors: chosen.clone(),
        rule_post_test: map.contains_key("rule_post_test"),
        rule_attendance: map.contains_key("rule_attendance"),
        rule_evaluation: map.contains_key("rule_evaluation"),
    };
    let slug_ok = (2..=80).contains(&input.slug.len())
        && input
            .slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !slug_ok {
        errors.add("slug", t.t("courses-error-slug"));
    }
    for (name, value) in [("title_el", &input.title_el), ("title_en", &input.title_en)] {
        if value.is_empty() || value.chars().count() > 200 {
            errors.add(name, t.t("courses-error-title"));
        }
    }
    view.slug = input.slug.clone();
    view.title_el = input.title_el.clone();
    view.title_en = input.title_en.clone();
    view.summary_el = input.summary_el.clone();
    view.summary_en = input.summary_en.clone();
    view.rule_post_test = input.rule_post_test;
    view.rule_attendance = input.rule_attendance;
    view.rule_evaluation = input.rule_evaluation;
    for option in &mut view.sectors {
        option.checked = chosen.contains(&option.value);
    }
    for option in &mut view.prerequisites {
        option.checked = prerequisites.contains(&option.value);
    }
    (input, prerequisites, view)
}

/// `GET /training/manage/courses`: every course and the new-course form.
pub async fn manage_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let t = Translator::new(user.locale);
    manage_list_page(
        &state,
        &user,
        query.page,
        empty_form(&t),
        FieldErrors::new(),
    )
    .await
}

async fn manage_list_page(
    state: &AppState,
    user: &CurrentUser,
    page: Option<i64>,
    form: CourseFormView,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let offset = Pagination::new(page, PER_PAGE, 0, MANAGE_COURSES).offset();
    let (rows, total) = state
        .store
        .run(move |db| enrolment::managed_courses(db, offset, PER_PAGE))
        .await?;
    let ctx = user.page(MANAGE_COURSES);
    let t = ctx.t;
    let page = ManageCoursesPage {
        rows: managed_rows(&t, user.locale, rows),
        pagination: Pagination::new(page, PER_PAGE, total, MANAGE_COURSES),
        form,
        errors,
        ctx,
    };
    render(&page)
}

/// `POST /training/manage/courses`: creates a draft course.
pub async fn manage_create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let t = Translator::new(user.locale);
    let map = fields(pairs);
    let mut errors = FieldErrors::new();
    let (input, _, view) = parse_course_form(&t, &map, empty_form(&t), &mut errors);
    if !errors.is_empty() {
        return unprocessable(manage_list_page(&state, &user, None, view, errors).await);
    }
    let by = user.user.id.clone();
    let created = state
        .store
        .run(move |db| courses::create_course(db, &input, &by))
        .await;
    match created {
        Ok(id) => {
            audit(
                &state,
                &user,
                "training.course.create",
                ("course", &id),
                json!({}),
            )
            .await?;
            Ok(Redirect::to(&manage_course_href(&id)).into_response())
        }
        Err(StoreError::Conflict(_)) => {
            errors.add("slug", t.t("courses-error-slug-taken"));
            unprocessable(manage_list_page(&state, &user, None, view, errors).await)
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /training/manage/courses/{id}`: the course, its modules and
/// lessons, and the edit form.
pub async fn manage_course(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(course_id): Path<String>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    course_editor(&state, &user, &course_id, None, FieldErrors::new(), None).await
}

/// Values of the module form shown again after an error.
struct ModuleDraft {
    title_el: String,
    title_en: String,
    sector: String,
    errors: FieldErrors,
}

async fn course_editor(
    state: &AppState,
    user: &CurrentUser,
    course_id: &str,
    form: Option<CourseFormView>,
    errors: FieldErrors,
    module: Option<ModuleDraft>,
) -> Result<Response, WebError> {
    let id = course_id.to_owned();
    let (course, modules, lessons, prerequisites, choices, course_quizzes) = state
        .store
        .run(move |db| {
            Ok((
                courses::get_course(db, &id)?,
                courses::list_modules(db, &id)?,
                courses::list_lessons(db, &id)?,
                courses::prerequisites_of(db, &id)?,
                courses::course_choices(db)?,
                quizzes::list_quizzes(db, &id)?,
            ))
        })
        .await?;
    let ctx = user.page(MANAGE_COURSES);
    let t = ctx.t;
    let locale = user.locale;
    let form = form.unwrap_or_else(|| {
        let sectors = course.sector_list();
        CourseFormView {
            slug: course.slug.clone(),
            title_el: course.title_el.clone(),
            title_en: course.title_en.clone(),
            summary_el: course.summary_el.clone(),
            summary_en: course.summary_en.clone(),
            sectors: SECTORS
                .iter()
                .map(|code| CheckOption {
                    value: (*code).to_owned(),
                    label: sector_label(&t, code),
                    checked: sectors.iter().any(|chosen| chosen == code),
                })
                .collect(),
            rule_post_test: course.rule_post_test,
            rule_attendance: course.rule_attendance,
            rule_evaluation: course.rule_evaluation,
            prerequisites: choices
                .iter()
                .filter(|(id, _, _)| *id != course.id)
                .map(|(id, el, en)| CheckOption {
                    value: id.clone(),
                    label: pick(locale, el, en),
                    checked: prerequisites.contains(id),
                })
                .collect(),
        }
    });
    let base = manage_course_href(&course.id);
    let module = module.unwrap_or(ModuleDraft {
        title_el: String::new(),
        title_en: String::new(),
        sector: String::new(),
        errors: FieldErrors::new(),
    });
    let status_choices = [DRAFT, PUBLISHED, ARCHIVED]
        .into_iter()
        .filter(|status| *status != course.status)
        .map(|status| {
            let key = match status {
                PUBLISHED => "courses-publish",
                ARCHIVED => "courses-archive",
                _ => "courses-unpublish",
            };
            (status.to_owned(), t.t(key))
        })
        .collect();
    let page = ManageCoursePage {
        title: pick(locale, &course.title_el, &course.title_en),
        status: status_label(&t, &course.status),
        action: base.clone(),
        status_action: format!("{base}/status"),
        status_choices,
        form,
        errors,
        modules: modules
            .iter()
            .map(|item| {
                let module_base = format!("{base}/modules/{}", item.id);
                ManageModuleRow {
                    title: pick(locale, &item.title_el, &item.title_en),
                    quizzes: course_quizzes
                        .iter()
                        .filter(|quiz| quiz.module_id.as_deref() == Some(item.id.as_str()))
                        .map(|quiz| Link {
                            label: t.t1(
                                "training-walk-module-quiz",
                                "title",
                                pick(locale, &quiz.title_el, &quiz.title_en),
                            ),
                            href: format!("{base}/quizzes/{}", quiz.id),
                        })
                        .collect(),
                    quizzes_href: format!("{base}/quizzes"),
                    sector: item
                        .sector
                        .as_deref()
                        .map_or_else(String::new, |code| sector_label(&t, code)),
                    move_up: format!("{module_base}/move/up"),
                    move_down: format!("{module_base}/move/down"),
                    delete_action: format!("{module_base}/delete"),
                    add_lesson_action: format!("{module_base}/lessons"),
                    lessons: lessons
                        .iter()
                        .filter(|lesson| lesson.module_id == item.id)
                        .map(|lesson| {
                            let href = manage_lesson_href(&course.id, &lesson.id);
                            ManageLessonRow {
                                title: pick(locale, &lesson.title_el, &lesson.title_en),
                                required: lesson.required,
                                move_up: format!("{href}/move/up"),
                                move_down: format!("{href}/move/down"),
                                delete_action: format!("{href}/delete"),
                                edit_href: href,
                            }
                        })
                        .collect(),
                }
            })
            .collect(),
        module_action: format!("{base}/modules"),
        module_title_el: module.title_el,
        module_title_en: module.title_en,
        sector_options: SECTORS
            .iter()
            .map(|code| SelectOption {
                value: (*code).to_owned(),
                label: sector_label(&t, code),
                selected: module.sector == *code,
            })
            .collect(),
        module_errors: module.errors,
        preview_href: course_href(&course.id),
        links: vec![
            Link {
                label: t.t("courses-enrolments-title"),
                href: enrolments_href(&course.id),
            },
            Link {
                label: t.t("courses-link-questions"),
                href: format!("{base}/questions"),
            },
            Link {
                label: t.t("courses-link-quizzes"),
                href: format!("{base}/quizzes"),
            },
            Link {
                label: t.t("courses-link-gain"),
                href: format!("{base}/gain"),
            },
            Link {
                label: t.t("courses-link-scorm"),
                href: format!("{base}/scorm"),
            },
        ],
        ctx,
    };
    render(&page)
}

/// `POST /training/manage/courses/{id}`: saves texts, sectors, rules and
/// prerequisites. A prerequisite that would close a cycle is refused with
/// the cycle named.
pub async fn manage_update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(course_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let t = Translator::new(user.locale);
    let locale = user.locale;
    let id = course_id.clone();
    let choices = state
        .store
        .run(move |db| {
            courses::get_course(db, &id)?;
            courses::course_choices(db)
        })
        .await?;
    let mut view = empty_form(&t);
    view.prerequisites = choices
        .iter()
        .filter(|(id, _, _)| *id != course_id)
        .map(|(id, el, en)| CheckOption {
            value: id.clone(),
            label: pick(locale, el, en),
            checked: false,
        })
        .collect();
    let map = fields(pairs);
    let mut errors = FieldErrors::new();
    let (input, prerequisites, view) = parse_course_form(&t, &map, view, &mut errors);
    let known = prerequisites
        .iter()
        .all(|id| choices.iter().any(|(known, _, _)| known == id));
    if !known {
        errors.add("prerequisites", t.t("form-error-choose"));
    }
    if !errors.is_empty() {
        return unprocessable(
            course_editor(&state, &user, &course_id, Some(view), errors, None).await,
        );
    }
    let id = course_id.clone();
    let saved = state
        .store
        .run(move |db| {
            db.transaction(|db| {
                match courses::set_prerequisites(db, &id, &prerequisites)? {
                    Ok(()) => {}
                    Err(error) => return Ok(Err(error)),
                }
                courses::update_course(db, &id, &input)?;
                Ok(Ok(()))
            })
        })
        .await;
    match saved {
        Ok(Ok(())) => {
            audit(
                &state,
                &user,
                "training.course.update",
                ("course", &course_id),
                json!({}),
            )
            .await?;
            Ok(Redirect::to(&manage_course_href(&course_id)).into_response())
        }
        Ok(Err(error)) => {
            let message = match error {
                PrerequisiteError::SelfPrerequisite(_) => t.t("courses-error-self-prerequisite"),
                PrerequisiteError::Cycle { path } => {
                    let names: Vec<String> = path
                        .iter()
                        .map(|id| {
                            choices
                                .iter()
                                .find(|(known, _, _)| known == id.as_str())
                                .map_or_else(|| id.to_string(), |(_, el, en)| pick(locale, el, en))
                        })
                        .collect();
                    t.t1("courses-error-cycle", "path", names.join(" → "))
                }
            };
            errors.add("prerequisites", message);
            unprocessable(course_editor(&state, &user, &course_id, Some(view), errors, None).await)
        }
        Err(StoreError::Conflict(_)) => {
            errors.add("slug", t.t("courses-error-slug-taken"));
            unprocessable(course_editor(&state, &user, &course_id, Some(view), errors, None).await)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct StatusInput {
    #[serde(default)]
    status: String,
    #[serde(default)]
    confirmed: Option<String>,
}

/// `POST /training/manage/courses/{id}/status`: publish, unpublish or
/// archive; archiving asks first.
pub async fn manage_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(course_id): Path<String>,
    Form(input): Form<StatusInput>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let status = match input.status.as_str() {
        DRAFT => DRAFT,
        PUBLISHED => PUBLISHED,
        ARCHIVED => ARCHIVED,
        _ => {
            return Err(WebError::BadRequest(crate::error::MessageKey(
                "error-malformed-form",
            )));
        }
    };
    let back = manage_course_href(&course_id);
    if status == ARCHIVED && input.confirmed.is_none() {
        let ctx = user.page(MANAGE_COURSES);
        let t = ctx.t;
        let page = ConfirmPage {
            title: t.t("courses-confirm-title"),
            message: t.t("courses-confirm-archive"),
            action: format!("{back}/status"),
            hidden: vec![
                HiddenField {
                    name: "status".into(),
                    value: ARCHIVED.into(),
                },
                HiddenField {
                    name: "confirmed".into(),
                    value: "1".into(),
                },
            ],
            confirm_label: t.t("courses-archive"),
            cancel_href: back,
            destructive: true,
            ctx,
        };
        return render(&page);
    }
    let id = course_id.clone();
    state
        .store
        .run(move |db| courses::set_status(db, &id, status))
        .await?;
    audit(
        &state,
        &user,
        "training.course.status",
        ("course", &course_id),
        json!({ "status": status }),
    )
    .await?;
    Ok(Redirect::to(&back).into_response())
}

// --- Trainer: modules and lessons ---------------------------------------------

#[derive(Deserialize)]
pub struct ModuleForm {
    #[serde(default)]
    module_title_el: String,
    #[serde(default)]
    module_title_en: String,
    #[serde(default)]
    sector: String,
}

/// `POST /training/manage/courses/{id}/modules`: adds a module at the end.
pub async fn module_add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(course_id): Path<String>,
    Form(form): Form<ModuleForm>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let t = Translator::new(user.locale);
    let title_el = form.module_title_el.trim().to_owned();
    let title_en = form.module_title_en.trim().to_owned();
    let sector = form.sector.trim().to_owned();
    let mut errors = FieldErrors::new();
    if title_el.is_empty() || title_el.chars().count() > 200 {
        errors.add("module_title_el", t.t("courses-error-title"));
    }
    if title_en.is_empty() || title_en.chars().count() > 200 {
        errors.add("module_title_en", t.t("courses-error-title"));
    }
    if !sector.is_empty() && !courses::is_sector(&sector) {
        errors.add("sector", t.t("form-error-choose"));
    }
    if !errors.is_empty() {
        let draft = ModuleDraft {
            title_el,
            title_en,
            sector,
            errors,
        };
        return unprocessable(
            course_editor(
                &state,
                &user,
                &course_id,
                None,
                FieldErrors::new(),
                Some(draft),
            )
            .await,
        );
    }
    let id = course_id.clone();
    let input = ModuleInput {
        title_el,
        title_en,
        sector: (!sector.is_empty()).then_some(sector),
    };
    let module_id = state
        .store
        .run(move |db| {
            courses::get_course(db, &id)?;
            courses::add_module(db, &id, &input)
        })
        .await?;
    audit(
        &state,
        &user,
        "training.module.add",
        ("course", &course_id),
        json!({ "module_id": module_id }),
    )
    .await?;
    Ok(Redirect::to(&manage_course_href(&course_id)).into_response())
}

/// `POST …/modules/{module_id}/move/{up|down}`.
pub async fn module_move(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((course_id, module_id, direction)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let direction = Direction::parse(&direction).ok_or(WebError::NotFound)?;
    let id = course_id.clone();
    state
        .store
        .run(move |db| courses::move_module(db, &id, &module_id, direction))
        .await?;
    Ok(Redirect::to(&manage_course_href(&course_id)).into_response())
}

/// `POST …/modules/{module_id}/delete`: asks first, then deletes the module
/// with its lessons.
pub async fn module_delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((course_id, module_id)): Path<(String, String)>,
    Form(input): Form<ConfirmInput>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let back = manage_course_href(&course_id);
    if !input.is_confirmed() {
        return confirm(
            &user,
            &back,
            "courses-confirm-delete-module",
            format!("{back}/modules/{module_id}/delete"),
        );
    }
    let (id, module) = (course_id.clone(), module_id.clone());
    let keys = state
        .store
        .run(move |db| {
            let mut keys = Vec::new();
            for lesson in courses::list_lessons(db, &id)?
                .into_iter()
                .filter(|lesson| lesson.module_id == module)
            {
                keys.extend(
                    courses::list_lesson_files(db, &lesson.id)?
                        .into_iter()
                        .map(|file| file.storage_key),
                );
            }
            courses::delete_module(db, &id, &module)?;
            Ok(keys)
        })
        .await?;
    remove_objects(&state, &keys).await;
    audit(
        &state,
        &user,
        "training.module.delete",
        ("course", &course_id),
        json!({ "module_id": module_id }),
    )
    .await?;
    Ok(Redirect::to(&back).into_response())
}

#[derive(Deserialize)]
pub struct NewLessonForm {
    #[serde(default)]
    title: String,
}

/// `POST …/modules/{module_id}/lessons`: adds a lesson with the title in
/// both languages, then opens its editor.
pub async fn lesson_add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((course_id, module_id)): Path<(String, String)>,
    Form(form): Form<NewLessonForm>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let title: String = form.title.trim().chars().take(200).collect();
    if title.is_empty() {
        return Ok(Redirect::to(&manage_course_href(&course_id)).into_response());
    }
    let id = course_id.clone();
    let input = LessonInput {
        title_el: title.clone(),
        title_en: title,
        required: true,
        ..LessonInput::default()
    };
    let lesson_id = state
        .store
        .run(move |db| courses::add_lesson(db, &id, &module_id, &input))
        .await?;
    audit(
        &state,
        &user,
        "training.lesson.add",
        ("lesson", &lesson_id),
        json!({ "course_id": course_id }),
    )
    .await?;
    Ok(Redirect::to(&manage_lesson_href(&course_id, &lesson_id)).into_response())
}

/// `GET /training/manage/courses/{id}/lessons/{lesson_id}`: the lesson
/// editor with its files.
pub async fn lesson_edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((course_id, lesson_id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    lesson_editor(
        &state,
        &user,
        &course_id,
        &lesson_id,
        None,
        FieldErrors::new(),
    )
    .await
}

async fn lesson_editor(
    state: &AppState,
    user: &CurrentUser,
    course_id: &str,
    lesson_id: &str,
    form: Option<LessonFormView>,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let (id, lesson) = (course_id.to_owned(), lesson_id.to_owned());
    let (course, current, files) = state
        .store
        .run(move |db| {
            Ok((
                courses::get_course(db, &id)?,
                courses::get_lesson(db, &id, &lesson)?,
                courses::list_lesson_files(db, &lesson)?,
            ))
        })
        .await?;
    let ctx = user.page(MANAGE_COURSES);
    let t = ctx.t;
    let href = manage_lesson_href(course_id, lesson_id);
    let base = lesson_files_base(course_id, lesson_id);
    let page = ManageLessonPage {
        course_title: pick(user.locale, &course.title_el, &course.title_en),
        course_href: manage_course_href(course_id),
        action: href.clone(),
        form: form.unwrap_or(LessonFormView {
            title_el: current.title_el,
            title_en: current.title_en,
            body_el: current.body_el,
            body_en: current.body_en,
            video_url: current.video_url.unwrap_or_default(),
            required: current.required,
        }),
        errors,
        files: files
            .iter()
            .map(|file| ManageFileRow {
                name: file.file_name.clone(),
                href: format!("{base}{}", file.id),
                size: format_size(&t, file.size_bytes),
                delete_action: format!("{href}/files/{}/delete", file.id),
            })
            .collect(),
        upload_action: format!("{href}/files"),
        preview_href: lesson_href(course_id, lesson_id),
        ctx,
    };
    render(&page)
}

#[derive(Deserialize)]
pub struct LessonForm {
    #[serde(default)]
    title_el: String,
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    body_el: String,
    #[serde(default)]
    body_en: String,
    #[serde(default)]
    video_url: String,
    #[serde(default)]
    required: Option<String>,
}

/// Longest lesson body accepted, in characters.
const MAX_BODY_CHARS: usize = 200_000;

/// `POST /training/manage/courses/{id}/lessons/{lesson_id}`: saves the
/// lesson. The video link must be https.
pub async fn lesson_update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((course_id, lesson_id)): Path<(String, String)>,
    Form(form): Form<LessonForm>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let t = Translator::new(user.locale);
    let view = LessonFormView {
        title_el: form.title_el.trim().to_owned(),
        title_en: form.title_en.trim().to_owned(),
        body_el: form.body_el,
        body_en: form.body_en,
        video_url: form.video_url.trim().to_owned(),
        required: form.required.is_some(),
    };
    let mut errors = FieldErrors::new();
    for (name, value) in [("title_el", &view.title_el), ("title_en", &view.title_en)] {
        if value.is_empty() || value.chars().count() > 200 {
            errors.add(name, t.t("courses-error-title"));
        }
    }
    for (name, value) in [("body_el", &view.body_el), ("body_en", &view.body_en)] {
        if value.chars().count() > MAX_BODY_CHARS {
            errors.add(name, t.t("courses-error-body-long"));
        }
    }
    let video_url = if view.video_url.is_empty() {
        None
    } else {
        match safe_video_url(&view.video_url) {
            Some(url) => Some(url),
            None => {
                errors.add("video_url", t.t("courses-error-video"));
                None
            }
        }
    };
    if !errors.is_empty() {
        return unprocessable(
            lesson_editor(&state, &user, &course_id, &lesson_id, Some(view), errors).await,
        );
    }
    let input = LessonInput {
        title_el: view.title_el,
        title_en: view.title_en,
        body_el: view.body_el,
        body_en: view.body_en,
        video_url,
        required: view.required,
    };
    let (id, lesson) = (course_id.clone(), lesson_id.clone());
    state
        .store
        .run(move |db| courses::update_lesson(db, &id, &lesson, &input))
        .await?;
    audit(
        &state,
        &user,
        "training.lesson.update",
        ("lesson", &lesson_id),
        json!({ "course_id": course_id }),
    )
    .await?;
    Ok(Redirect::to(&manage_lesson_href(&course_id, &lesson_id)).into_response())
}

/// `POST …/lessons/{lesson_id}/move/{up|down}`.
pub async fn lesson_move(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((course_id, lesson_id, direction)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let direction = Direction::parse(&direction).ok_or(WebError::NotFound)?;
    let id = course_id.clone();
    state
        .store
        .run(move |db| courses::move_lesson(db, &id, &lesson_id, direction))
        .await?;
    Ok(Redirect::to(&manage_course_href(&course_id)).into_response())
}

/// `POST …/lessons/{lesson_id}/delete`: asks first, then deletes.
pub async fn lesson_delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((course_id, lesson_id)): Path<(String, String)>,
    Form(input): Form<ConfirmInput>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let back = manage_course_href(&course_id);
    if !input.is_confirmed() {
        return confirm(
            &user,
            &back,
            "courses-confirm-delete-lesson",
            format!("{}/delete", manage_lesson_href(&course_id, &lesson_id)),
        );
    }
    let (id, lesson) = (course_id.clone(), lesson_id.clone());
    let keys = state
        .store
        .run(move |db| courses::delete_lesson(db, &id, &lesson))
        .await?;
    remove_objects(&state, &keys).await;
    audit(
        &state,
        &user,
        "training.lesson.delete",
        ("lesson", &lesson_id),
        json!({ "course_id": course_id }),
    )
    .await?;
    Ok(Redirect::to(&back).into_response())
}

// --- Trainer: enrolments ------------------------------------------------------

/// What the enrolments page shows besides the list.
#[derive(Default)]
struct EnrolmentsExtra {
    username: String,
    errors: FieldErrors,
    roster_errors: Vec<String>,
    created: Vec<CreatedAccountRow>,
    notice: Option<crate::pages::Notice>,
}

async fn enrolments_view(
    state: &AppState,
    user: &CurrentUser,
    course_id: &str,
    page: Option<i64>,
    extra: EnrolmentsExtra,
) -> Result<Response, WebError> {
    let path = enrolments_href(course_id);
    let offset = Pagination::new(page, PER_PAGE, 0, &path).offset();
    let id = course_id.to_owned();
    let (course, (rows, total)) = state
        .store
        .run(move |db| {
            Ok((
                courses::get_course(db, &id)?,
                enrolment::list_enrolments(db, &id, offset, PER_PAGE)?,
            ))
        })
        .await?;
    let mut ctx = user.page(MANAGE_COURSES);
    if let Some(notice) = extra.notice {
        ctx = ctx.with_notice(notice);
    }
    let t = ctx.t;
    let page = EnrolmentsPage {
        course_title: pick(user.locale, &course.title_el, &course.title_en),
        course_href: manage_course_href(course_id),
        rows: rows
            .into_iter()
            .map(|row| EnrolmentViewRow {
                display_name: row.display_name,
                username: row.username,
                email: row.email.unwrap_or_default(),
                sector: row
                    .sector
                    .as_deref()
                    .map_or_else(String::new, |code| sector_label(&t, code)),
                enrolled_at: t.format_datetime(&row.enrolled_at),
                completed_at: row
                    .completed_at
                    .map_or_else(String::new, |at| t.format_datetime(&at)),
            })
            .collect(),
        pagination: Pagination::new(page, PER_PAGE, total, &path),
        enrol_action: path.clone(),
        upload_action: format!("{path}/csv"),
        username: extra.username,
        errors: extra.errors,
        roster_errors: extra.roster_errors,
        created: extra.created,
        columns: ROSTER_COLUMNS.join(","),
        ctx,
    };
    render(&page)
}

/// `GET /training/manage/courses/{id}/enrolments`.
pub async fn enrolments_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(course_id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    enrolments_view(
        &state,
        &user,
        &course_id,
        query.page,
        EnrolmentsExtra::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct EnrolOneForm {
    #[serde(default)]
    username: String,
}

/// `POST /training/manage/courses/{id}/enrolments`: enrols one existing
/// trainee by username.
pub async fn enrol_one(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(course_id): Path<String>,
    Form(form): Form<EnrolOneForm>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let t = Translator::new(user.locale);
    let username = form.username.trim().to_ascii_lowercase();
    let (id, name, by) = (course_id.clone(), username.clone(), user.user.id.clone());
    let result = state
        .store
        .run(move |db| {
            courses::get_course(db, &id)?;
            match enrolment::enrol_username(db, &id, &name, &by) {
                Err(StoreError::NotFound) => Ok(None),
                other => other.map(Some),
            }
        })
        .await?;
    let mut extra = EnrolmentsExtra {
        username: username.clone(),
        ..EnrolmentsExtra::default()
    };
    match result {
        Some(Some(_)) => {
            audit(
                &state,
                &user,
                "training.enrol",
                ("course", &course_id),
                json!({ "count": 1 }),
            )
            .await?;
            extra.username.clear();
            extra.notice = Some(crate::pages::Notice::success(t.t("courses-enrol-one-done")));
            enrolments_view(&state, &user, &course_id, None, extra).await
        }
        Some(None) => {
            extra
                .errors
                .add("username", t.t("courses-error-not-trainee"));
            unprocessable(enrolments_view(&state, &user, &course_id, None, extra).await)
        }
        None => {
            extra.errors.add("username", t.t("courses-error-no-user"));
            unprocessable(enrolments_view(&state, &user, &course_id, None, extra).await)
        }
    }
}

fn roster_message(t: &Translator, error: &RosterError) -> String {
    let line = i64::try_from(error.line).unwrap_or(i64::MAX);
    let key = format!(
        "courses-roster-error-{}",
        error.problem.as_str().replace('_', "-")
    );
    match &error.problem {
        RosterProblem::DuplicateEmail(first) => t.t2(
            &key,
            "line",
            line,
            "first",
            i64::try_from(*first).unwrap_or(i64::MAX),
        ),
        _ => t.t1(&key, "line", line),
    }
}

/// `POST /training/manage/courses/{id}/enrolments/csv`: a roster with the
/// columns `email,display_name,sector,region,employer`. Every row is
/// checked first; any problem is listed by line and nothing is written.
pub async fn roster_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(course_id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let t = Translator::new(user.locale);
    let upload = read_upload(&mut multipart, MAX_ROSTER_BYTES).await?;
    let text = match upload.map(|(_, content)| String::from_utf8(content)) {
        Some(Ok(text)) => text,
        Some(Err(_)) | None => {
            let extra = EnrolmentsExtra {
                roster_errors: vec![t.t("courses-roster-error-file")],
                ..EnrolmentsExtra::default()
            };
            return unprocessable(enrolments_view(&state, &user, &course_id, None, extra).await);
        }
    };
    let rows = match enrolment::parse_roster(&text) {
        Ok(rows) => rows,
        Err(errors) => {
            let extra = EnrolmentsExtra {
                roster_errors: errors
                    .iter()
                    .map(|error| roster_message(&t, error))
                    .collect(),
                ..EnrolmentsExtra::default()
            };
            return unprocessable(enrolments_view(&state, &user, &course_id, None, extra).await);
        }
    };
    let (id, organisation, by) = (
        course_id.clone(),
        user.user.organisation_id.clone(),
        user.user.id.clone(),
    );
    let applied = state
        .store
        .run(move |db| {
            enrolment::apply_roster(db, &id, &organisation, &by, &rows, &|password| {
                procap_crypto::hash_password(password)
            })
        })
        .await?;
    match applied {
        Ok(outcome) => {
            audit(
                &state,
                &user,
                "training.enrol.roster",
                ("course", &course_id),
                json!({
                    "created": outcome.created.len(),
                    "enrolled_existing": outcome.enrolled_existing,
                    "already_enrolled": outcome.already_enrolled,
                }),
            )
            .await?;
            let extra = EnrolmentsExtra {
                notice: Some(crate::pages::Notice::success(t.t_args(
                    "courses-roster-done",
                    &[
                        ("created", outcome.created.len().into()),
                        ("existing", outcome.enrolled_existing.into()),
                        ("already", outcome.already_enrolled.into()),
                    ],
                ))),
                created: outcome
                    .created
                    .into_iter()
                    .map(|account| CreatedAccountRow {
                        username: account.username,
                        email: account.email,
                        password: account.password,
                    })
                    .collect(),
                ..EnrolmentsExtra::default()
            };
            enrolments_view(&state, &user, &course_id, None, extra).await
        }
        Err(errors) => {
            let extra = EnrolmentsExtra {
                roster_errors: errors
                    .iter()
                    .map(|error| roster_message(&t, error))
                    .collect(),
                ..EnrolmentsExtra::default()
            };
            unprocessable(enrolments_view(&state, &user, &course_id, None, extra).await)
        }
    }
}

// --- Trainer: invitations -----------------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct InvitationForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    organisation_id: String,
    #[serde(default)]
    sector: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    course_id: String,
    #[serde(default)]
    max_uses: String,
    #[serde(default)]
    expires_on: String,
}

async fn invitations_view(
    state: &AppState,
    user: &CurrentUser,
    page: Option<i64>,
    form: InvitationForm,
    errors: FieldErrors,
    notice: Option<crate::pages::Notice>,
) -> Result<Response, WebError> {
    let offset = Pagination::new(page, PER_PAGE, 0, MANAGE_INVITATIONS).offset();
    let (list, total, orgs, choices) = state
        .store
        .run(move |db| {
            let (list, total) = invitations::list_invitations(db, offset, PER_PAGE)?;
            Ok((
                list,
                total,
                organisations::list(db)?,
                courses::course_choices(db)?,
            ))
        })
        .await?;
    let mut ctx = user.page(MANAGE_INVITATIONS);
    if let Some(notice) = notice {
        ctx = ctx.with_notice(notice);
    }
    let t = ctx.t;
    let locale = user.locale;
    let today = today();
    let organisation = if form.organisation_id.is_empty() {
        user.user.organisation_id.clone()
    } else {
        form.organisation_id.clone()
    };
    let course_title = |id: &str| {
        choices
            .iter()
            .find(|(known, _, _)| known == id)
            .map_or_else(String::new, |(_, el, en)| pick(locale, el, en))
    };
    let page = InvitationsPage {
        rows: list
            .into_iter()
            .map(|invitation| {
                let state_key = match invitation.problem(today) {
                    None => "courses-invitation-active",
                    Some(CodeProblem::Revoked) => "courses-invitation-revoked",
                    Some(CodeProblem::Expired) => "courses-invitation-expired",
                    Some(CodeProblem::UsedUp | CodeProblem::Unknown) => {
                        "courses-invitation-used-up"
                    }
                };
                InvitationRow {
                    sector: sector_label(&t, &invitation.sector),
                    region: region_label(&t, &invitation.region),
                    course: invitation
                        .course_id
                        .as_deref()
                        .map_or_else(String::new, course_title),
                    uses: match invitation.max_uses {
                        Some(max) => format!("{} / {max}", invitation.uses),
                        None => invitation.uses.to_string(),
                    },
                    expires: invitation
                        .expires_on
                        .map_or_else(String::new, |day| t.format_date(&day)),
                    state: t.t(state_key),
                    revoke_action: invitation
                        .revoked_at
                        .is_none()
                        .then(|| format!("{MANAGE_INVITATIONS}/{}/revoke", invitation.id)),
                    code: invitation.code,
                    organisation: invitation.organisation_name,
                }
            })
            .collect(),
        pagination: Pagination::new(page, PER_PAGE, total, MANAGE_INVITATIONS),
        organisation_options: orgs
            .into_iter()
            .map(|org| SelectOption {
                selected: org.id == organisation,
                value: org.id,
                label: org.name,
            })
            .collect(),
        sector_options: SECTORS
            .iter()
            .map(|code| SelectOption {
                value: (*code).to_owned(),
                label: sector_label(&t, code),
                selected: form.sector == *code,
            })
            .collect(),
        region_options: REGIONS
            .iter()
            .map(|code| SelectOption {
                value: (*code).to_owned(),
                label: region_label(&t, code),
                selected: form.region == *code,
            })
            .collect(),
        course_options: choices
            .iter()
            .map(|(id, el, en)| SelectOption {
                value: id.clone(),
                label: pick(locale, el, en),
                selected: form.course_id == *id,
            })
            .collect(),
        form: InvitationFormView {
            code: form.code,
            max_uses: form.max_uses,
            expires_on: form.expires_on,
        },
        errors,
        ctx,
    };
    render(&page)
}

/// `GET /training/manage/invitations`.
pub async fn invitations_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<PageQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    invitations_view(
        &state,
        &user,
        query.page,
        InvitationForm::default(),
        FieldErrors::new(),
        None,
    )
    .await
}

/// `POST /training/manage/invitations`: creates a code (typed or
/// generated).
pub async fn invitation_create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<InvitationForm>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let t = Translator::new(user.locale);
    let mut errors = FieldErrors::new();
    let code = invitations::normalise_code(&form.code);
    if !code.is_empty()
        && (!(4..=32).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        errors.add("code", t.t("courses-error-code"));
    }
    let orgs = state.store.run(organisations::list).await?;
    if !orgs.iter().any(|org| org.id == form.organisation_id) {
        errors.add("organisation_id", t.t("form-error-choose"));
    }
    if !courses::is_sector(&form.sector) {
        errors.add("sector", t.t("form-error-choose"));
    }
    if !courses::is_region(&form.region) {
        errors.add("region", t.t("form-error-choose"));
    }
    let max_uses = if form.max_uses.trim().is_empty() {
        None
    } else {
        match form.max_uses.trim().parse::<i32>() {
            Ok(value) if (1..=100_000).contains(&value) => Some(value),
            _ => {
                errors.add("max_uses", t.t("courses-error-max-uses"));
                None
            }
        }
    };
    let expires_on = if form.expires_on.trim().is_empty() {
        None
    } else {
        match chrono::NaiveDate::parse_from_str(form.expires_on.trim(), "%Y-%m-%d") {
            Ok(day) => Some(day),
            Err(_) => {
                errors.add("expires_on", t.t("courses-error-date"));
                None
            }
        }
    };
    let course_id = (!form.course_id.is_empty()).then(|| form.course_id.clone());
    if let Some(course) = &course_id {
        let course = course.clone();
        let exists = state
            .store
            .run(move |db| match courses::get_course(db, &course) {
                Ok(_) => Ok(true),
                Err(StoreError::NotFound) => Ok(false),
                Err(error) => Err(error),
            })
            .await?;
        if !exists {
            errors.add("course_id", t.t("form-error-choose"));
        }
    }
    if !errors.is_empty() {
        return unprocessable(invitations_view(&state, &user, None, form, errors, None).await);
    }
    let new = NewInvitation {
        organisation_id: form.organisation_id.clone(),
        sector: form.sector.clone(),
        region: form.region.clone(),
        course_id,
        max_uses,
        expires_on,
        created_by: user.user.id.clone(),
    };
    let typed = (!code.is_empty()).then_some(code);
    let created = state
        .store
        .run(move |db| invitations::create_invitation(db, &new, typed.as_deref()))
        .await;
    match created {
        Ok(invitation) => {
            audit(
                &state,
                &user,
                "training.invitation.create",
                ("invitation", &invitation.id),
                json!({ "sector": invitation.sector, "region": invitation.region }),
            )
            .await?;
            let notice = crate::pages::Notice::success(t.t1(
                "courses-invitation-created",
                "code",
                invitation.code,
            ));
            invitations_view(
                &state,
                &user,
                None,
                InvitationForm::default(),
                FieldErrors::new(),
                Some(notice),
            )
            .await
        }
        Err(StoreError::Conflict(_)) => {
            errors.add("code", t.t("courses-error-code-taken"));
            unprocessable(invitations_view(&state, &user, None, form, errors, None).await)
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /training/manage/invitations/{id}/revoke`: asks first.
pub async fn invitation_revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(invitation_id): Path<String>,
    Form(input): Form<ConfirmInput>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    if !input.is_confirmed() {
        return confirm(
            &user,
            MANAGE_INVITATIONS,
            "courses-confirm-revoke",
            format!("{MANAGE_INVITATIONS}/{invitation_id}/revoke"),
        );
    }
    let id = invitation_id.clone();
    state
        .store
        .run(move |db| invitations::revoke_invitation(db, &id))
        .await?;
    audit(
        &state,
        &user,
        "training.invitation.revoke",
        ("invitation", &invitation_id),
        json!({}),
    )
    .await?;
    Ok(Redirect::to(MANAGE_INVITATIONS).into_response())
}

// --- Registration -------------------------------------------------------------

fn locale_options(t: &Translator, chosen: &str) -> Vec<SelectOption> {
    [("el", "courses-locale-el"), ("en", "courses-locale-en")]
        .into_iter()
        .map(|(value, key)| SelectOption {
            value: value.to_owned(),
            label: t.t(key),
            selected: chosen == value,
        })
        .collect()
}

fn register_view(
    locale: Locale,
    form: RegisterForm,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let ctx = PageContext::anonymous(locale, REGISTER);
    let t = ctx.t;
    let page = RegisterPage {
        locale_options: locale_options(&t, &form.locale),
        form,
        errors,
        min_password: MIN_PASSWORD_CHARS,
        ctx,
    };
    render(&page)
}

#[derive(Deserialize, Default)]
pub struct RegisterQuery {
    #[serde(default)]
    code: String,
}

/// `GET /training/register`: the public registration form; `?code=` fills
/// the code.
pub async fn register_form(
    CurrentLocale(locale): CurrentLocale,
    Query(query): Query<RegisterQuery>,
) -> Result<Response, WebError> {
    let form = RegisterForm {
        code: query.code.chars().take(40).collect(),
        locale: locale.as_str().to_owned(),
        ..RegisterForm::default()
    };
    register_view(locale, form, FieldErrors::new())
}

#[derive(Deserialize)]
pub struct RegisterInput {
    #[serde(default)]
    code: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    employer: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm_password: String,
    #[serde(default)]
    locale: String,
}

fn code_message_key(problem: CodeProblem) -> &'static str {
    match problem {
        CodeProblem::Unknown => "courses-code-unknown",
        CodeProblem::Revoked => "courses-code-revoked",
        CodeProblem::Expired => "courses-code-expired",
        CodeProblem::UsedUp => "courses-code-used-up",
    }
}

/// `POST /training/register`: checks the form and the code, then creates
/// the trainee and sends them to sign in. Every refusal keeps what was
/// typed except the password.
pub async fn register(
    State(state): State<AppState>,
    CurrentLocale(locale): CurrentLocale,
    Form(input): Form<RegisterInput>,
) -> Result<Response, WebError> {
    let chosen = Locale::parse(&input.locale);
    let page_locale = chosen.unwrap_or(locale);
    let t = Translator::new(page_locale);
    let form = RegisterForm {
        code: input.code.trim().chars().take(40).collect(),
        display_name: input.display_name.trim().chars().take(120).collect(),
        email: input.email.trim().chars().take(254).collect(),
        username: input.username.trim().chars().take(64).collect(),
        employer: input.employer.trim().chars().take(200).collect(),
        locale: input.locale.clone(),
    };
    let mut errors = FieldErrors::new();
    if form.code.is_empty() {
        errors.add("code", t.t("courses-code-missing"));
    }
    if form.display_name.is_empty() {
        errors.add("display_name", t.t("form-error-required"));
    }
    let email = form.email.to_lowercase();
    if !enrolment::is_valid_email(&email) {
        errors.add("email", t.t("form-error-email"));
    }
    let username = match Username::parse(&form.username) {
        Ok(username) => Some(username),
        Err(UsernameError::Length) => {
            errors.add("username", t.t("form-error-username-length"));
            None
        }
        Err(UsernameError::Characters) => {
            errors.add("username", t.t("form-error-username-characters"));
            None
        }
    };
    if let Err(policy) = check_new_password(&input.password, &form.username.to_ascii_lowercase()) {
        errors.add("password", password_policy_message(t, policy));
    } else if input.password != input.confirm_password {
        errors.add("confirm_password", t.t("password-error-mismatch"));
    }
    if chosen.is_none() {
        errors.add("locale", t.t("form-error-choose"));
    }
    let (Some(username), Some(chosen), true) = (username, chosen, errors.is_empty()) else {
        return unprocessable(register_view(page_locale, form, errors));
    };

    let password = input.password.clone();
    let hash = crate::password::off_thread(move || procap_crypto::hash_password(&password)).await?;
    let (code, name, display, mail, employer) = (
        form.code.clone(),
        username.as_str().to_owned(),
        form.display_name.clone(),
        email,
        form.employer.clone(),
    );
    let day = today();
    let result = state
        .store
        .run(move |db| {
            invitations::register(
                db,
                &Registration {
                    code: &code,
                    username: &name,
                    display_name: &display,
                    email: &mail,
                    employer: (!employer.is_empty()).then_some(employer.as_str()),
                    password_hash: &hash,
                    locale: chosen.as_str(),
                },
                day,
            )
        })
        .await?;
    match result {
        Ok(registered) => {
            let event = AuditEvent::new("training.register", Outcome::Success)
                .actor(&registered.user_id, username.as_str())
                .object("user", &registered.user_id)
                .details(json!({ "invitation_id": registered.invitation_id }));
            record(&state.store, event).await?;
            Ok(Redirect::to("/login").into_response())
        }
        Err(refusal) => {
            let reason = match refusal {
                RegistrationError::Code(problem) => {
                    errors.add("code", t.t(code_message_key(problem)));
                    problem.as_str()
                }
                RegistrationError::UsernameTaken => {
                    errors.add("username", t.t("form-error-username-taken"));
                    "username_taken"
                }
                RegistrationError::EmailTaken => {
                    errors.add("email", t.t("courses-error-email-taken"));
                    "email_taken"
                }
            };
            let event = AuditEvent::new("training.register", Outcome::Failure)
                .details(json!({ "reason": reason }));
            record(&state.store, event).await?;
            unprocessable(register_view(page_locale, form, errors))
        }
    }
}
