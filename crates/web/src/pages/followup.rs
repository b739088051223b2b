//! Follow-up after closure: the list of a case's follow-up contacts and the
//! form that records one (date, whether contact was made, long-term
//! outcomes, a note).

use askama::Template;
use procap_domain::case::followup::FollowUpOutcome;

use super::cases::{DetailItem, case_href, vocabulary_checkboxes};
use super::services::CaseHeading;
use super::{FieldErrors, PageContext, SelectOption};

/// Returns the path of a case's follow-up page.
pub fn followups_href(case_id: &str) -> String {
    format!("{}/followups", case_href(case_id))
}

/// Returns the path of the form that records one follow-up contact.
pub fn followup_href(case_id: &str, followup_id: &str) -> String {
    format!("{}/{followup_id}", followups_href(case_id))
}

/// One contact as the list shows it; every text already translated.
#[derive(Clone)]
pub struct FollowUpRow {
    pub due_on: String,
    pub months: i32,
    /// Translated status.
    pub status: String,
    /// Scheduled, and due on or before two weeks from today.
    pub due: bool,
    /// The recording form, for scheduled contacts the user may record.
    pub record_href: Option<String>,
    /// What was recorded; empty for a scheduled contact.
    pub result: Vec<DetailItem>,
}

/// The follow-up page of a case.
#[derive(Clone, Template)]
#[template(path = "case_followups.html")]
pub struct FollowUpListPage {
    pub ctx: PageContext,
    pub case: CaseHeading,
    pub rows: Vec<FollowUpRow>,
}

/// The recording form as typed. The note is case content: no `Debug`.
#[derive(Clone, Default)]
pub struct FollowUpForm {
    /// `YYYY-MM-DD`.
    pub contacted_on: String,
    /// `yes`, `no` or empty.
    pub contact_made: String,
    pub outcomes: Vec<String>,
    pub note: String,
}

/// The form that records one contact.
#[derive(Clone, Template)]
#[template(path = "case_followup_form.html")]
pub struct FollowUpFormPage {
    pub ctx: PageContext,
    pub case: CaseHeading,
    pub action: String,
    /// Which contact this is (its date and months after closure).
    pub intro: String,
    pub form: FollowUpForm,
    pub errors: FieldErrors,
}

impl FollowUpFormPage {
    pub fn outcome_checkboxes(&self) -> Vec<SelectOption> {
        vocabulary_checkboxes::<FollowUpOutcome>(&self.ctx.t, &self.form.outcomes)
    }

    pub fn contact_options(&self) -> Vec<SelectOption> {
        ["yes", "no"]
            .into_iter()
            .map(|value| {
                SelectOption::new(
                    value,
                    self.ctx.t.t(&format!("followup-contact-made-{value}")),
                    self.form.contact_made == value,
                )
            })
            .collect()
    }

    pub fn back_href(&self) -> String {
        followups_href(&self.case.id)
    }
}
