//! The needs assessment page of a case: the history, the comparison of the
//! latest assessment with the previous one, and the form for a new one.

use askama::Template;

use super::{FieldErrors, PageContext, SelectOption};

/// One domain line of a recorded assessment, already translated.
#[derive(Debug, Clone)]
pub struct DomainRow {
    pub label: String,
    pub level: String,
    pub level_code: String,
    pub note: Option<String>,
}

/// A recorded assessment as the history shows it.
#[derive(Debug, Clone)]
pub struct AssessmentRow {
    pub assessed_on: String,
    pub assessed_by: String,
    pub risk_level: String,
    pub risk_factors: String,
    pub safety_plan: Option<String>,
    pub domains: Vec<DomainRow>,
}

/// One line of the comparison: the previous and latest level and the
/// direction (`up`, `down` or `same`) with its label.
#[derive(Debug, Clone)]
pub struct ComparisonRow {
    pub label: String,
    pub previous: String,
    pub latest: String,
    pub change_code: &'static str,
    pub change: String,
}

#[derive(Debug, Clone)]
pub struct Comparison {
    pub previous_on: String,
    pub latest_on: String,
    pub rows: Vec<ComparisonRow>,
    pub risk: ComparisonRow,
}

/// One domain of the form: a level select and a note.
#[derive(Debug, Clone)]
pub struct DomainInput {
    pub label: String,
    pub level_field: &'static str,
    pub note_field: &'static str,
    pub options: Vec<SelectOption>,
    pub note: String,
}

#[derive(Debug, Clone, Template)]
#[template(path = "case_assessment.html")]
pub struct AssessmentPage {
    pub ctx: PageContext,
    pub case_id: String,
    pub case_code: String,
    pub can_record: bool,
    pub history: Vec<AssessmentRow>,
    pub comparison: Option<Comparison>,
    pub assessed_on: String,
    pub domains: Vec<DomainInput>,
    pub risk_options: Vec<SelectOption>,
    pub factor_options: Vec<SelectOption>,
    pub safety_plan: String,
    pub errors: FieldErrors,
}

impl AssessmentPage {
    pub fn case_href(&self) -> String {
        format!("/cases/{}", self.case_id)
    }

    pub fn action_href(&self) -> String {
        format!("/cases/{}/assessment", self.case_id)
    }
}
