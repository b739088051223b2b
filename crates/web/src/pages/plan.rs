//! The case plan pages: goals with their actions, the approval, reviews,
//! the goal edit form with its conflict view, and the overdue list of the
//! home page.

use askama::Template;

use super::{FieldErrors, PageContext, SelectOption};

/// A goal's action, already formatted.
#[derive(Debug, Clone)]
pub struct ActionRow {
    pub description: String,
    pub responsible: String,
    pub due_on: String,
}

/// A goal as the plan page shows it.
#[derive(Debug, Clone)]
pub struct GoalRow {
    pub id: String,
    pub support_type: String,
    pub description: String,
    pub responsible: String,
    pub agreed_on: String,
    pub due_on: String,
    pub next_review_on: String,
    pub progress_code: String,
    pub progress: String,
    pub overdue: bool,
    pub actions: Vec<ActionRow>,
    pub edit_href: String,
    pub action_href: String,
    /// Progress choices for the review form, the current one selected.
    pub progress_options: Vec<SelectOption>,
    pub progress_field: String,
    pub note_field: String,
}

/// One goal's line of a recorded review.
#[derive(Debug, Clone)]
pub struct ReviewEntryRow {
    pub goal: String,
    pub progress: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ReviewRow {
    pub reviewed_on: String,
    pub next_review_on: String,
    pub reviewed_by: String,
    pub entries: Vec<ReviewEntryRow>,
}

/// The values of the goal form, as typed.
#[derive(Debug, Clone, Default)]
pub struct GoalForm {
    pub support_type: String,
    pub description: String,
    pub responsible: String,
    pub agreed_on: String,
    pub due_on: String,
    pub next_review_on: String,
}

#[derive(Debug, Clone, Template)]
#[template(path = "case_plan.html")]
pub struct PlanPage {
    pub ctx: PageContext,
    pub case_id: String,
    pub case_code: String,
    /// `None` before the first goal.
    pub status_code: Option<String>,
    pub status: String,
    pub version: i32,
    pub submitted: String,
    pub decided: String,
    pub return_comment: Option<String>,
    pub goals: Vec<GoalRow>,
    pub reviews: Vec<ReviewRow>,
    pub can_edit: bool,
    pub can_submit: bool,
    pub can_decide: bool,
    pub can_review: bool,
    pub goal_form: GoalForm,
    pub type_options: Vec<SelectOption>,
    pub staff_options: Vec<SelectOption>,
    pub errors: FieldErrors,
}

impl PlanPage {
    pub fn case_href(&self) -> String {
        format!("/cases/{}", self.case_id)
    }

    pub fn base_href(&self) -> String {
        format!("/cases/{}/plan", self.case_id)
    }
}

/// A current value next to the value the user typed, for the conflict view.
#[derive(Debug, Clone)]
pub struct ConflictRow {
    pub label: String,
    pub current: String,
    pub typed: String,
}

#[derive(Debug, Clone, Template)]
#[template(path = "case_plan_goal.html")]
pub struct GoalEditPage {
    pub ctx: PageContext,
    pub case_id: String,
    pub case_code: String,
    pub goal_id: String,
    pub version: i32,
    pub form: GoalForm,
    pub type_options: Vec<SelectOption>,
    pub staff_options: Vec<SelectOption>,
    /// Non-empty when someone else changed the goal first.
    pub conflict: Vec<ConflictRow>,
    pub errors: FieldErrors,
}

impl GoalEditPage {
    pub fn plan_href(&self) -> String {
        format!("/cases/{}/plan", self.case_id)
    }

    pub fn action_href(&self) -> String {
        format!("/cases/{}/plan/goals/{}", self.case_id, self.goal_id)
    }
}

/// An overdue goal on the home page of the user responsible for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueItem {
    pub case_code: String,
    pub goal_type: String,
    pub due_on: String,
    pub href: String,
}
