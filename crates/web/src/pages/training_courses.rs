//! Pages of courses: the training home, trainee registration, the course
//! and lesson pages, and the trainer's pages for courses, lessons,
//! invitations and enrolments. Handlers fill every text in the user's
//! language; the templates only lay it out.

use askama::Template;

use super::{FieldErrors, PageContext, Pagination, SelectOption};

/// The training home: trainee's courses or trainer's courses to manage.
pub const TRAINING: &str = "/training";
/// Public registration with an invitation code.
pub const REGISTER: &str = "/training/register";
/// The trainee's course catalogue.
pub const COURSES: &str = "/training/courses";
/// The trainer's course list.
pub const MANAGE_COURSES: &str = "/training/manage/courses";
/// The trainer's invitation codes.
pub const MANAGE_INVITATIONS: &str = "/training/manage/invitations";
/// Pages of other training areas linked from here.
pub const SESSIONS: &str = "/training/sessions";
pub const CERTIFICATES: &str = "/training/certificates";

pub fn course_href(course_id: &str) -> String {
    format!("{COURSES}/{course_id}")
}

pub fn lesson_href(course_id: &str, lesson_id: &str) -> String {
    format!("{COURSES}/{course_id}/lessons/{lesson_id}")
}

/// The download path prefix of a lesson's files, ending in `/`.
pub fn lesson_files_base(course_id: &str, lesson_id: &str) -> String {
    format!("{COURSES}/{course_id}/lessons/{lesson_id}/files/")
}

pub fn manage_course_href(course_id: &str) -> String {
    format!("{MANAGE_COURSES}/{course_id}")
}

pub fn manage_lesson_href(course_id: &str, lesson_id: &str) -> String {
    format!("{MANAGE_COURSES}/{course_id}/lessons/{lesson_id}")
}

pub fn enrolments_href(course_id: &str) -> String {
    format!("{MANAGE_COURSES}/{course_id}/enrolments")
}

/// A checkbox of a group; the label is translated or data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOption {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// A link with a translated or data label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub label: String,
    pub href: String,
}

// --- Trainee and trainer home -------------------------------------------------

/// A course the trainee is enrolled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyCourseCard {
    pub title: String,
    pub summary: String,
    pub href: String,
    pub percent: u32,
    pub completed: bool,
    /// Translated progress line.
    pub progress: String,
}

/// A published course the trainee may join.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCourseCard {
    pub title: String,
    pub summary: String,
    /// Where the enrol button posts.
    pub enrol_action: String,
    /// Titles of prerequisites not completed; enrolling waits for them.
    pub unmet: Vec<String>,
}

/// A course on the trainer's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedCourseRow {
    pub title: String,
    pub status: String,
    pub enrolled: i64,
    pub completed: i64,
    pub href: String,
    pub enrolments_href: String,
}

#[derive(Debug, Clone, Template)]
#[template(path = "training_home.html")]
pub struct TrainingHomePage {
    pub ctx: PageContext,
    /// The trainee view (courses, sessions, certificates) rather than the
    /// trainer's.
    pub trainee: bool,
    pub my_courses: Vec<MyCourseCard>,
    pub my_pagination: Option<Pagination>,
    pub open_courses: Vec<OpenCourseCard>,
    pub managed: Vec<ManagedCourseRow>,
    pub managed_pagination: Option<Pagination>,
    /// Links to the other training pages of the user's role.
    pub links: Vec<Link>,
    /// The trainee's upcoming sessions, one line each.
    pub upcoming_sessions: Vec<Link>,
    /// The trainee's evaluations waiting for an answer.
    pub open_evaluations: Vec<Link>,
}

// --- Registration -------------------------------------------------------------

/// What the registration form sends back on an error. The password is
/// never echoed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterForm {
    pub code: String,
    pub display_name: String,
    pub email: String,
    pub username: String,
    pub employer: String,
    pub locale: String,
}

#[derive(Debug, Clone, Template)]
#[template(path = "training_register.html")]
pub struct RegisterPage {
    pub ctx: PageContext,
    pub form: RegisterForm,
    pub errors: FieldErrors,
    pub locale_options: Vec<SelectOption>,
    pub min_password: usize,
}

// --- Course and lesson --------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonLink {
    pub title: String,
    pub href: String,
    pub viewed: bool,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleView {
    pub title: String,
    pub lessons: Vec<LessonLink>,
}

#[derive(Debug, Clone, Template)]
#[template(path = "training_course.html")]
pub struct CoursePage {
    pub ctx: PageContext,
    pub title: String,
    pub summary: String,
    pub modules: Vec<ModuleView>,
    /// `None` for a trainer previewing the course.
    pub percent: Option<u32>,
    pub completed: bool,
    /// Translated rules still to meet.
    pub missing: Vec<String>,
    /// The course's quizzes: pre-test first, module quizzes, post-test last.
    pub quizzes: Vec<Link>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileLink {
    pub name: String,
    pub href: String,
    pub size: String,
}

#[derive(Debug, Clone, Template)]
#[template(path = "training_lesson.html")]
pub struct LessonPage {
    pub ctx: PageContext,
    pub course_title: String,
    pub course_href: String,
    pub title: String,
    /// Sanitised HTML from `training_markdown::render_lesson`.
    pub body_html: String,
    pub files: Vec<FileLink>,
    pub video_url: Option<String>,
    /// The SCORM player of a SCORM lesson.
    pub scorm_href: Option<String>,
    pub previous: Option<Link>,
    pub next: Option<Link>,
}

// --- Trainer: courses ---------------------------------------------------------

/// The course form's values, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CourseFormView {
    pub slug: String,
    pub title_el: String,
    pub title_en: String,
    pub summary_el: String,
    pub summary_en: String,
    pub sectors: Vec<CheckOption>,
    pub rule_post_test: bool,
    pub rule_attendance: bool,
    pub rule_evaluation: bool,
    /// Other courses, checked when required first. Empty on creation.
    pub prerequisites: Vec<CheckOption>,
}

#[derive(Debug, Clone, Template)]
#[template(path = "training_manage_courses.html")]
pub struct ManageCoursesPage {
    pub ctx: PageContext,
    pub rows: Vec<ManagedCourseRow>,
    pub pagination: Pagination,
    pub form: CourseFormView,
    pub errors: FieldErrors,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManageLessonRow {
    pub title: String,
    pub required: bool,
    pub edit_href: String,
    pub move_up: String,
    pub move_down: String,
    pub delete_action: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManageModuleRow {
    pub title: String,
    /// The editors of the module's quizzes.
    pub quizzes: Vec<Link>,
    /// The quiz editor, where a module quiz is added.
    pub quizzes_href: String,
    pub sector: String,
    pub move_up: String,
    pub move_down: String,
    pub delete_action: String,
    pub add_lesson_action: String,
    pub lessons: Vec<ManageLessonRow>,
}

#[derive(Debug, Clone, Template)]
#[template(path = "training_manage_course.html")]
pub struct ManageCoursePage {
    pub ctx: PageContext,
    pub title: String,
    pub status: String,
    pub action: String,
    pub status_action: String,
    /// (status code, translated button label) of the possible changes.
    pub status_choices: Vec<(String, String)>,
    pub form: CourseFormView,
    pub errors: FieldErrors,
    pub modules: Vec<ManageModuleRow>,
    pub module_action: String,
    pub module_title_el: String,
    pub module_title_en: String,
    pub sector_options: Vec<SelectOption>,
    pub module_errors: FieldErrors,
    pub preview_href: String,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LessonFormView {
    pub title_el: String,
    pub title_en: String,
    pub body_el: String,
    pub body_en: String,
    pub video_url: String,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManageFileRow {
    pub name: String,
    pub href: String,
    pub size: String,
    pub delete_action: String,
}

#[derive(Debug, Clone, Template)]
#[template(path = "training_manage_lesson.html")]
pub struct ManageLessonPage {
    pub ctx: PageContext,
    pub course_title: String,
    pub course_href: String,
    pub action: String,
    pub form: LessonFormView,
    pub errors: FieldErrors,
    pub files: Vec<ManageFileRow>,
    pub upload_action: String,
    pub preview_href: String,
}

// --- Trainer: invitations -----------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRow {
    pub code: String,
    pub organisation: String,
    pub sector: String,
    pub region: String,
    pub course: String,
    pub uses: String,
    pub expires: String,
    pub state: String,
    /// Where the revoke button posts; `None` once revoked.
    pub revoke_action: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvitationFormView {
    pub code: String,
    pub max_uses: String,
    pub expires_on: String,
}

#[derive(Debug, Clone, Template)]
#[template(path = "training_manage_invitations.html")]
pub struct InvitationsPage {
    pub ctx: PageContext,
    pub rows: Vec<InvitationRow>,
    pub pagination: Pagination,
    pub form: InvitationFormView,
    pub organisation_options: Vec<SelectOption>,
    pub sector_options: Vec<SelectOption>,
    pub region_options: Vec<SelectOption>,
    pub course_options: Vec<SelectOption>,
    pub errors: FieldErrors,
}

// --- Trainer: enrolments ------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolmentViewRow {
    pub display_name: String,
    pub username: String,
    pub email: String,
    pub sector: String,
    pub enrolled_at: String,
    pub completed_at: String,
}

/// A trainee account created from a roster, shown once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedAccountRow {
    pub username: String,
    pub email: String,
    pub password: String,
}

#[derive(Debug, Clone, Template)]
#[template(path = "training_manage_enrolments.html")]
pub struct EnrolmentsPage {
    pub ctx: PageContext,
    pub course_title: String,
    pub course_href: String,
    pub rows: Vec<EnrolmentViewRow>,
    pub pagination: Pagination,
    pub enrol_action: String,
    pub upload_action: String,
    pub username: String,
    pub errors: FieldErrors,
    /// Roster problems, one translated line each, naming the line number.
    pub roster_errors: Vec<String>,
    pub created: Vec<CreatedAccountRow>,
    pub columns: String,
}
