//! Training session and evaluation pages: the trainee's list of upcoming
//! sessions, the trainers' list, form and roster with check-in, the
//! evaluation questionnaire and the indicator page.

use askama::Template;

use super::{FieldErrors, PageContext, Pagination, SelectOption};

/// The trainee's list of upcoming sessions.
pub const SESSIONS: &str = "/training/sessions";
/// The trainers' list of sessions and the new-session form.
pub const MANAGE_SESSIONS: &str = "/training/manage/sessions";
/// The trainers' and coordinators' evaluation indicators.
pub const MANAGE_EVALUATIONS: &str = "/training/manage/evaluations";

pub fn register_href(id: &str) -> String {
    format!("/training/sessions/{id}/register")
}

pub fn unregister_href(id: &str) -> String {
    format!("/training/sessions/{id}/cancel")
}

pub fn manage_session_href(id: &str) -> String {
    format!("/training/manage/sessions/{id}")
}

pub fn cancel_session_href(id: &str) -> String {
    format!("/training/manage/sessions/{id}/cancel")
}

pub fn attendance_href(id: &str) -> String {
    format!("/training/manage/sessions/{id}/attendance")
}

pub fn sign_in_sheet_href(id: &str) -> String {
    format!("/training/manage/sessions/{id}/sign-in-sheet")
}

pub fn evaluation_href(id: &str) -> String {
    format!("/training/evaluations/{id}")
}

/// What a session row shows in either list; every text is ready to print.
#[derive(Debug, Clone)]
pub struct SessionSummary {
    pub title: String,
    /// The course's title, empty for a session without a course.
    pub course: String,
    /// Start and end in Athens time.
    pub when: String,
    pub online: bool,
    /// The address, or the meeting link of an online session.
    pub venue: String,
    pub region: String,
    pub trainers: String,
    pub capacity: i32,
    pub registered: i64,
    pub places_left: i64,
    pub waiting: i64,
    pub cancelled: bool,
}

/// One upcoming session in the trainee's list.
#[derive(Debug, Clone)]
pub struct TraineeSessionRow {
    pub summary: SessionSummary,
    pub registered: bool,
    /// Position on the waiting list, from 1.
    pub waiting_position: Option<usize>,
    pub register_action: String,
    pub cancel_action: String,
}

impl TraineeSessionRow {
    pub fn on_roster(&self) -> bool {
        self.registered || self.waiting_position.is_some()
    }
}

#[derive(Template)]
#[template(path = "training_sessions.html")]
pub struct TraineeSessionsPage {
    pub ctx: PageContext,
    pub rows: Vec<TraineeSessionRow>,
    pub pagination: Pagination,
}

/// A checkbox of a group, such as one trainer.
#[derive(Debug, Clone)]
pub struct CheckOption {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// The session form as typed, echoed back on an error. Times are Athens
/// wall-clock times in the `datetime-local` form `YYYY-MM-DDTHH:MM`.
#[derive(Debug, Clone, Default)]
pub struct SessionForm {
    pub course: String,
    pub title_el: String,
    pub title_en: String,
    /// `in_person` or `online`.
    pub mode: String,
    pub place: String,
    pub link: String,
    pub starts_at: String,
    pub ends_at: String,
    pub region: String,
    pub sector: String,
    pub capacity: String,
}

/// The choices of the session form, with the typed values selected.
#[derive(Debug, Clone, Default)]
pub struct SessionFormView {
    pub form: SessionForm,
    pub courses: Vec<SelectOption>,
    pub regions: Vec<SelectOption>,
    pub sectors: Vec<SelectOption>,
    pub trainers: Vec<CheckOption>,
    pub max_capacity: u32,
}

impl SessionFormView {
    pub fn online(&self) -> bool {
        self.form.mode == "online"
    }
}

/// One session in the trainers' list.
#[derive(Debug, Clone)]
pub struct ManagedSessionRow {
    pub summary: SessionSummary,
    pub href: String,
}

#[derive(Template)]
#[template(path = "training_manage_sessions.html")]
pub struct ManageSessionsPage {
    pub ctx: PageContext,
    pub rows: Vec<ManagedSessionRow>,
    pub pagination: Pagination,
    pub view: SessionFormView,
    pub errors: FieldErrors,
}

impl ManageSessionsPage {
    pub fn action(&self) -> &'static str {
        MANAGE_SESSIONS
    }
}

/// One trainee on the roster.
#[derive(Debug, Clone)]
pub struct RosterRow {
    pub name: String,
    pub organisation: String,
    pub sector: String,
    /// Registered (holding a place) rather than waiting.
    pub registered: bool,
    pub waiting_position: usize,
    /// When the trainer marked them present, in Athens time.
    pub attended_at: Option<String>,
    /// Marked absent by a trainer (as opposed to not yet marked).
    pub absent: bool,
    pub trainee_id: String,
}

#[derive(Template)]
#[template(path = "training_manage_session.html")]
pub struct ManageSessionPage {
    pub ctx: PageContext,
    pub summary: SessionSummary,
    pub view: SessionFormView,
    pub errors: FieldErrors,
    pub roster: Vec<RosterRow>,
    pub action: String,
    pub attendance_action: String,
    pub cancel_href: String,
    pub sign_in_href: String,
}

impl ManageSessionPage {
    pub fn back_href(&self) -> &'static str {
        MANAGE_SESSIONS
    }
}

/// One choice of a five-point scale.
#[derive(Debug, Clone)]
pub struct LikertChoice {
    pub value: u8,
    pub label: String,
    pub checked: bool,
}

/// One Likert question of a questionnaire; `name` is the form field.
#[derive(Debug, Clone)]
pub struct LikertQuestion {
    pub name: &'static str,
    pub label: String,
    pub choices: Vec<LikertChoice>,
}

#[derive(Template)]
#[template(path = "training_evaluation.html")]
pub struct EvaluationPage {
    pub ctx: PageContext,
    pub title: String,
    pub intro: String,
    pub course_title: String,
    pub questions: Vec<LikertQuestion>,
    pub comment: String,
    pub max_comment: usize,
    pub errors: FieldErrors,
    pub action: String,
}

/// An evaluation that can no longer be answered (answered already, or not
/// yet due), shown in place of the form.
#[derive(Template)]
#[template(path = "training_evaluation_closed.html")]
pub struct EvaluationClosedPage {
    pub ctx: PageContext,
    pub course_title: String,
    pub message: String,
    pub back_href: &'static str,
}

/// One line of the indicator table, ready to print.
#[derive(Debug, Clone)]
pub struct IndicatorRow {
    pub course: String,
    /// Trainees answering 4 or 5 to "useful for my work".
    pub useful: usize,
    /// Trainees who answered that question.
    pub useful_of: usize,
    pub useful_percent: String,
    pub useful_blank: usize,
    pub quality_mean: String,
    /// Trainees answering 4 or 5 to "still using" three months on.
    pub still_using: usize,
    pub still_using_of: usize,
    pub still_using_percent: String,
    /// Trainees sent the follow-up.
    pub follow_up_invited: usize,
    pub too_early: usize,
}

#[derive(Template)]
#[template(path = "training_manage_evaluations.html")]
pub struct EvaluationIndicatorsPage {
    pub ctx: PageContext,
    pub rows: Vec<IndicatorRow>,
    pub total: IndicatorRow,
}
