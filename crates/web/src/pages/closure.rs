//! Closing and reopening a case: the closure form (reason, date and the
//! months after closure for follow-up contacts), the
//! reopening form (a required reason), and the conflict page shown when
//! someone else changed the case in the meantime.

use askama::Template;
use procap_domain::case::vocab::ClosureReason;

use super::cases::{DetailItem, case_href, vocabulary_options};
use super::services::CaseHeading;
use super::{FieldErrors, PageContext, SelectOption};

/// Returns the path of a case's closure form.
pub fn close_href(case_id: &str) -> String {
    format!("{}/close", case_href(case_id))
}

/// Returns the path the reopening form posts to.
pub fn reopen_href(case_id: &str) -> String {
    format!("{}/reopen", case_href(case_id))
}

/// The values of the closure form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClosureForm {
    pub closure_reason: String,
    /// `YYYY-MM-DD`.
    pub closed_on: String,
    /// The case version the form was shown with.
    pub version: String,
    /// Months after closure for follow-up contacts, e.g. `3, 6, 12`; empty
    /// schedules none.
    pub followup_months: String,
}

/// The reopening form as typed. The reason is free text: no `Debug`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ReopenForm {
    pub reason: String,
    pub version: String,
}

/// The closure page: the closure form for an open case, the reopening form
/// for a closed one. With `conflict` it is the 409 page: the values the user
/// entered stay in the form, next to the case's current state.
#[derive(Clone, Template)]
#[template(path = "case_closure.html")]
pub struct ClosurePage {
    pub ctx: PageContext,
    pub case: CaseHeading,
    /// The case's current version, for the forms.
    pub version: i32,
    pub close_form: ClosureForm,
    pub reopen_form: ReopenForm,
    pub errors: FieldErrors,
    /// The case as it is now, shown when the user's change came too late.
    pub conflict: Option<Vec<DetailItem>>,
    /// What the user entered, shown with `conflict`.
    pub entered: Vec<DetailItem>,
    /// The current closure date and reason of a closed case.
    pub closure: Vec<DetailItem>,
}

impl ClosurePage {
    pub fn close_action(&self) -> String {
        close_href(&self.case.id)
    }

    pub fn reopen_action(&self) -> String {
        reopen_href(&self.case.id)
    }

    pub fn followups_href(&self) -> String {
        super::followup::followups_href(&self.case.id)
    }

    pub fn reason_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<ClosureReason>(&self.ctx.t, &self.close_form.closure_reason)
    }
}
