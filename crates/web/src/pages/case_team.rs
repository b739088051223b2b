//! The team page of a case: the staff assigned to it, by display name and
//! role only. Coordinators of the owning organisation also get the form
//! that assigns a caseworker, psychologist or lawyer, and a remove button
//! per assignment that leads to a confirmation.

use askama::Template;

use super::cases::case_href;
use super::services::CaseHeading;
use super::{FieldErrors, PageContext, SelectOption};

/// Returns the path of a case's team page; the assignment form posts here.
pub fn team_href(case_id: &str) -> String {
    format!("{}/team", case_href(case_id))
}

/// Returns the path that removes `user_id` from a case's team.
pub fn team_remove_href(case_id: &str, user_id: &str) -> String {
    format!("{}/{user_id}/remove", team_href(case_id))
}

/// One assigned staff member, translated for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRow {
    pub name: String,
    /// Translated role.
    pub role: String,
    /// Path the remove button posts to.
    pub remove_href: String,
}

/// The team page. With `manage` it shows the assignment form and the
/// remove buttons. The candidate the user chose stays selected on errors.
#[derive(Clone, Template)]
#[template(path = "case_team.html")]
pub struct TeamPage {
    pub ctx: PageContext,
    pub case: CaseHeading,
    pub members: Vec<TeamRow>,
    pub manage: bool,
    /// Staff of the organisation who may join, labelled "name – role".
    pub candidates: Vec<SelectOption>,
    pub errors: FieldErrors,
}

impl TeamPage {
    pub fn action(&self) -> String {
        team_href(&self.case.id)
    }
}
