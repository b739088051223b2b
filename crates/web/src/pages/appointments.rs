//! Pages of interpretation and escort appointments: a case's appointments
//! with the request form, the daily agenda of an interpreter or escort, and
//! the skills of interpreters and escorts.

use askama::Template;

use super::{FieldErrors, PageContext, SelectOption};

/// The agenda of the signed-in interpreter or escort.
pub const AGENDA: &str = "/agenda";
/// Regenerates the calendar feed token (`POST`).
pub const AGENDA_FEED: &str = "/agenda/feed";
/// The calendar feed; takes `?token=`.
pub const AGENDA_ICS: &str = "/agenda.ics";
/// The skills of interpreters and escorts.
pub const STAFF_SKILLS: &str = "/staff/skills";

/// Returns the path of a case's appointments page; the form posts there.
pub fn appointments_href(case_id: &str) -> String {
    format!("/cases/{case_id}/appointments")
}

/// One appointment on the case page.
#[derive(Debug, Clone)]
pub struct CaseAppointmentRow {
    pub id: String,
    pub when: String,
    pub duration_minutes: i32,
    pub kind: String,
    pub staff: String,
    pub language: String,
    pub place: String,
    pub status: String,
    pub can_cancel: bool,
}

/// The request form as typed. The place is personal data, so `Debug` leaves
/// it out.
#[derive(Clone, Default)]
pub struct AppointmentForm {
    pub kind: String,
    /// `YYYY-MM-DDTHH:MM`, Athens time.
    pub starts_at: String,
    pub duration_minutes: String,
    pub place: String,
    pub language: String,
    pub dialect: String,
    pub gender: String,
    pub staff_user_id: String,
}

impl std::fmt::Debug for AppointmentForm {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("AppointmentForm")
            .field("kind", &self.kind)
            .field("starts_at", &self.starts_at)
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

impl AppointmentForm {
    /// Reads the form fields; unknown fields are ignored.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut form = AppointmentForm::default();
        for (name, value) in pairs {
            match name.as_str() {
                "kind" => form.kind.clone_from(value),
                "starts_at" => form.starts_at.clone_from(value),
                "duration_minutes" => form.duration_minutes.clone_from(value),
                "place" => form.place.clone_from(value),
                "language" => form.language.clone_from(value),
                "dialect" => form.dialect.clone_from(value),
                "gender" => form.gender.clone_from(value),
                "staff_user_id" => form.staff_user_id.clone_from(value),
                _ => {}
            }
        }
        form
    }
}

#[derive(Template)]
#[template(path = "case_appointments.html")]
pub struct CaseAppointmentsPage {
    pub ctx: PageContext,
    pub case_id: String,
    pub case_code: String,
    pub rows: Vec<CaseAppointmentRow>,
    pub form: AppointmentForm,
    pub kinds: Vec<SelectOption>,
    pub languages: Vec<SelectOption>,
    pub genders: Vec<SelectOption>,
    /// The people proposed for the request; empty before a search.
    pub candidates: Vec<SelectOption>,
    /// Whether people were looked up for the form's values.
    pub searched: bool,
    pub errors: FieldErrors,
    /// Whether the user may edit the skills of interpreters and escorts.
    pub can_edit_skills: bool,
}

impl CaseAppointmentsPage {
    pub fn action(&self) -> String {
        appointments_href(&self.case_id)
    }

    pub fn skills_href(&self) -> &'static str {
        STAFF_SKILLS
    }

    pub fn case_href(&self) -> String {
        format!("/cases/{}", self.case_id)
    }

    pub fn cancel_href(&self, row: &CaseAppointmentRow) -> String {
        format!("{}/{}/cancel", appointments_href(&self.case_id), row.id)
    }
}

/// One appointment on the agenda: only what the interpreter or escort needs.
#[derive(Debug, Clone)]
pub struct AgendaRow {
    pub id: String,
    pub time: String,
    pub case_code: String,
    pub kind: String,
    pub language: String,
    pub place: String,
    pub status: String,
    pub is_booked: bool,
}

impl AgendaRow {
    pub fn complete_href(&self) -> String {
        format!("{AGENDA}/{}/complete", self.id)
    }

    pub fn cancel_href(&self) -> String {
        format!("{AGENDA}/{}/cancel", self.id)
    }
}

#[derive(Template)]
#[template(path = "agenda.html")]
pub struct AgendaPage {
    pub ctx: PageContext,
    /// The day shown, `YYYY-MM-DD`.
    pub day: String,
    pub day_label: String,
    pub prev_href: String,
    pub next_href: String,
    pub rows: Vec<AgendaRow>,
    /// The feed address with a new token, shown once after generating it.
    pub new_feed_url: Option<String>,
    /// When the current feed token was created, formatted; empty if none.
    pub feed_created: String,
}

impl AgendaPage {
    pub fn agenda_path(&self) -> &'static str {
        AGENDA
    }

    pub fn feed_action(&self) -> &'static str {
        AGENDA_FEED
    }
}

/// One interpreter or escort on the skills page.
#[derive(Debug, Clone)]
pub struct StaffSkillsRow {
    pub user_id: String,
    pub display_name: String,
    pub username: String,
    pub role: String,
    pub is_interpreter: bool,
    pub genders: Vec<SelectOption>,
    pub languages: String,
    pub error: String,
}

impl StaffSkillsRow {
    pub fn action(&self) -> String {
        format!("{STAFF_SKILLS}/{}", self.user_id)
    }
}

#[derive(Template)]
#[template(path = "staff_skills.html")]
pub struct StaffSkillsPage {
    pub ctx: PageContext,
    pub rows: Vec<StaffSkillsRow>,
}
