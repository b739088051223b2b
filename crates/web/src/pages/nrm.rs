//! The NRM page of a case: current status, history, legal clocks and the
//! form for the next status.

use askama::Template;

use super::{FieldErrors, PageContext, SelectOption};

/// Returns the path of a case's NRM page; the form posts to the same path.
pub fn nrm_href(case_id: &str) -> String {
    format!("/cases/{case_id}/nrm")
}

/// One row of the NRM history.
#[derive(Debug, Clone)]
pub struct NrmEventRow {
    pub status: String,
    pub occurred_on: String,
    pub reference: String,
    pub recorded_by: String,
}

/// How close a legal deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockState {
    /// Further away than the reminder window.
    Running,
    /// Within the reminder window, deadline day included.
    DueSoon,
    /// The deadline has passed.
    Overdue,
}

/// A legal deadline of the case.
#[derive(Debug, Clone)]
pub struct Clock {
    pub label: String,
    pub date: String,
    pub state: ClockState,
    /// The warning shown for `DueSoon` and `Overdue`; empty otherwise.
    pub warning: String,
}

impl Clock {
    pub fn is_warning(&self) -> bool {
        self.state != ClockState::Running
    }
}

/// The values of the status change form, as typed. Reference numbers are
/// personal data, so `Debug` leaves them out.
#[derive(Clone, Default)]
pub struct NrmForm {
    pub version: String,
    pub status: String,
    pub occurred_on: String,
    pub reference: String,
    pub reflection_start: String,
    pub extended: bool,
    pub residence_permit_expires_on: String,
}

impl std::fmt::Debug for NrmForm {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("NrmForm")
            .field("version", &self.version)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl NrmForm {
    /// Reads the form fields; unknown fields are ignored.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut form = NrmForm::default();
        for (name, value) in pairs {
            match name.as_str() {
                "version" => form.version.clone_from(value),
                "status" => form.status.clone_from(value),
                "occurred_on" => form.occurred_on.clone_from(value),
                "reference" => form.reference.clone_from(value),
                "reflection_start" => form.reflection_start.clone_from(value),
                "extended" => form.extended = !value.is_empty(),
                "residence_permit_expires_on" => form.residence_permit_expires_on.clone_from(value),
                _ => {}
            }
        }
        form
    }
}

/// The values a user sent with a stale form, shown so nothing is lost.
#[derive(Debug, Clone)]
pub struct EnteredValue {
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "case_nrm.html")]
pub struct NrmPage {
    pub ctx: PageContext,
    pub case_id: String,
    pub case_code: String,
    pub current_status: String,
    pub is_minor: bool,
    pub events: Vec<NrmEventRow>,
    pub clocks: Vec<Clock>,
    /// The statuses the case may move to; empty at a final status.
    pub next_statuses: Vec<SelectOption>,
    /// Whether the user may change the status.
    pub can_change: bool,
    /// Whether the form offers the reflection period fields, which apply
    /// only when moving to presumed victim.
    pub offers_reflection: bool,
    pub form: NrmForm,
    pub errors: FieldErrors,
    /// Filled on a 409 answer: what the user entered on the stale form.
    pub conflict: Vec<EnteredValue>,
    pub stale: bool,
    /// The victim-witness status section; empty on the 409 page.
    pub witness: super::witness::WitnessSection,
}

impl NrmPage {
    pub fn action(&self) -> String {
        nrm_href(&self.case_id)
    }

    pub fn case_href(&self) -> String {
        format!("/cases/{}", self.case_id)
    }

    /// The download address of the referral form.
    pub fn referral_form_href(&self) -> String {
        super::nrm_forms::nrm_form_href(&self.case_id, super::nrm_forms::NrmFormKind::Referral)
    }

    /// The download address of the protection services monitoring form.
    pub fn monitoring_form_href(&self) -> String {
        super::nrm_forms::nrm_form_href(&self.case_id, super::nrm_forms::NrmFormKind::Monitoring)
    }
}
