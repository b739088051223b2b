//! Sealing a case and break-glass access: the coordinator's seal form and
//! the page that explains a case is outside the user's scope and asks for
//! a reason before opening it for a limited time.

use askama::Template;

use super::cases::{DetailItem, case_href};
use super::services::CaseHeading;
use super::{FieldErrors, PageContext};

/// Returns the path of a case's seal form.
pub fn seal_href(case_id: &str) -> String {
    format!("{}/seal", case_href(case_id))
}

/// Returns the path the break-glass form posts to.
pub fn break_glass_href(case_id: &str) -> String {
    format!("{}/break-glass", case_href(case_id))
}

/// Returns the path that acknowledges a notification.
pub fn acknowledge_href(notification_id: &str) -> String {
    format!("/notifications/{notification_id}/acknowledge")
}

/// The seal form of a case and its sealing history.
#[derive(Clone, Template)]
#[template(path = "case_seal.html")]
pub struct SealPage {
    pub ctx: PageContext,
    pub case: CaseHeading,
    pub sealed: bool,
    /// The reason as typed (kept on errors).
    pub reason: String,
    pub errors: FieldErrors,
    /// Earlier changes, newest first: when, who, sealed or unsealed, why.
    pub history: Vec<Vec<DetailItem>>,
}

impl SealPage {
    pub fn action(&self) -> String {
        seal_href(&self.case.id)
    }

    /// The form's `sealed` value: the state the form changes the case to.
    pub fn next_sealed(&self) -> &'static str {
        if self.sealed { "no" } else { "yes" }
    }
}

/// The break-glass page: why the case is closed to the user and the form
/// that asks for a reason. It names the case by its code only.
#[derive(Clone, Template)]
#[template(path = "case_break_glass.html")]
pub struct BreakGlassPage {
    pub ctx: PageContext,
    pub case_id: String,
    pub code: String,
    pub sealed: bool,
    pub reason: String,
    pub errors: FieldErrors,
    /// How long access lasts, as a sentence.
    pub explain: String,
    /// The reason's hint with its minimum length.
    pub reason_hint: String,
    /// The page under the case to open after the grant, already checked to
    /// be one; `None` opens the case page.
    pub next: Option<String>,
}

impl BreakGlassPage {
    pub fn action(&self) -> String {
        let href = break_glass_href(&self.case_id);
        match &self.next {
            Some(next) => {
                let query = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("next", next)
                    .finish();
                format!("{href}?{query}")
            }
            None => href,
        }
    }
}

/// A notification on the home page; texts already translated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationItem {
    pub text: String,
    pub at: String,
    pub case_href: String,
    pub acknowledge_href: String,
}

/// A due follow-up contact on the home page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueFollowUpItem {
    pub case_code: String,
    pub due_on: String,
    pub overdue: bool,
    pub href: String,
}
