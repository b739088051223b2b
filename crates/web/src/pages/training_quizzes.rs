//! Pages of the question bank, the quiz editor, taking a quiz and the
//! learning-gain report. Forms are described as [`FormSection`]s of
//! [`FormField`]s built in Rust, so one template renders every question
//! kind, the attempt form and the editors alike, each input with its label.

use askama::Template;

use super::{FieldErrors, PageContext, Pagination, SelectOption};

/// One input of a generated form. `kind` is `text`, `number`, `textarea`,
/// `checkbox`, `radio` (a group of `options`) or `select`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    pub kind: &'static str,
    pub name: String,
    /// The element id; unique on the page.
    pub id: String,
    pub label: String,
    pub value: String,
    pub checked: bool,
    pub options: Vec<SelectOption>,
    /// An error shown under the label, already translated.
    pub error: Option<String>,
}

impl FormField {
    fn new(kind: &'static str, name: &str, label: String, value: &str) -> FormField {
        FormField {
            kind,
            name: name.to_owned(),
            id: field_id(name),
            label,
            value: value.to_owned(),
            checked: false,
            options: Vec::new(),
            error: None,
        }
    }

    pub fn text(name: &str, label: String, value: &str) -> FormField {
        FormField::new("text", name, label, value)
    }

    pub fn number(name: &str, label: String, value: &str) -> FormField {
        FormField::new("number", name, label, value)
    }

    pub fn textarea(name: &str, label: String, value: &str) -> FormField {
        FormField::new("textarea", name, label, value)
    }

    pub fn checkbox(name: &str, label: String, checked: bool) -> FormField {
        FormField {
            checked,
            ..FormField::new("checkbox", name, label, "yes")
        }
    }

    /// A group of radio buttons or checkboxes sharing `name`
    /// (`kind` `radio` or `checkboxes`).
    pub fn choices(
        kind: &'static str,
        name: &str,
        label: String,
        options: Vec<SelectOption>,
    ) -> FormField {
        FormField {
            options,
            ..FormField::new(kind, name, label, "")
        }
    }

    pub fn select(name: &str, label: String, options: Vec<SelectOption>) -> FormField {
        FormField {
            options,
            ..FormField::new("select", name, label, "")
        }
    }

    pub fn with_error(mut self, error: Option<String>) -> FormField {
        self.error = error;
        self
    }

    /// The id of option `index` of a radio or checkbox group.
    pub fn option_id(&self, index: &usize) -> String {
        format!("{}-{index}", self.id)
    }
}

/// Makes an element id from a field name: ids may not hold dots for the
/// error summary's `#` links to work in every browser.
pub fn field_id(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// A group of fields with a legend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormSection {
    pub legend: String,
    /// Text above the fields, such as a question's prompt; may be empty.
    pub intro: String,
    pub fields: Vec<FormField>,
}

/// A link in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRow {
    pub label: String,
    pub detail: String,
    pub href: String,
    /// A second action posted with a confirmation, if any.
    pub action_href: String,
    pub action_label: String,
}

/// `/training/manage/courses/{id}/questions`: the bank, filtered by tag.
#[derive(Clone, Template)]
#[template(path = "training_questions.html")]
pub struct QuestionListPage {
    pub ctx: PageContext,
    pub course_title: String,
    pub course_href: String,
    pub tags: Vec<SelectOption>,
    pub filter_action: String,
    pub include_retired: bool,
    pub rows: Vec<LinkRow>,
    /// (label, href) of the "new question" links, one per kind.
    pub new_links: Vec<(String, String)>,
    pub quizzes_href: String,
    pub gain_href: String,
    pub pagination: Pagination,
}

/// A form page: question editor, quiz editor or attempt.
#[derive(Clone, Template)]
#[template(path = "training_quiz_form.html")]
pub struct QuizFormPage {
    pub ctx: PageContext,
    pub title: String,
    pub intro: Vec<String>,
    pub back_href: String,
    pub action: String,
    pub submit_label: String,
    pub errors: FieldErrors,
    /// Messages about the form that name no single field.
    pub messages: Vec<String>,
    pub sections: Vec<FormSection>,
    /// Seconds left, for the countdown; `None` without a time limit.
    pub deadline_iso: Option<String>,
    /// Other quizzes or forms listed below (the quiz editor's list).
    pub rows: Vec<LinkRow>,
    pub rows_title: String,
}

/// `/training/quizzes/{id}`: the rules, attempts left and past attempts.
#[derive(Clone, Template)]
#[template(path = "training_quiz_start.html")]
pub struct QuizStartPage {
    pub ctx: PageContext,
    pub title: String,
    pub rules: Vec<String>,
    /// Where the start button posts; `None` when no attempt is left.
    pub start_action: Option<String>,
    pub start_label: String,
    pub blocked: Option<String>,
    pub attempts: Vec<LinkRow>,
}

/// One question of a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRow {
    pub number: usize,
    pub prompt: String,
    pub answer: String,
    pub outcome: String,
    pub points: String,
    pub feedback: String,
    pub parts: Vec<ResultRow>,
}

/// The result of a submitted attempt.
#[derive(Clone, Template)]
#[template(path = "training_quiz_result.html")]
pub struct QuizResultPage {
    pub ctx: PageContext,
    pub title: String,
    pub summary: Vec<String>,
    pub passed: bool,
    pub verdict: String,
    pub rows: Vec<ResultRow>,
    pub quiz_href: String,
}

/// A table of the learning-gain report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GainTable {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// `/training/manage/courses/{id}/gain`.
#[derive(Clone, Template)]
#[template(path = "training_gain.html")]
pub struct GainPage {
    pub ctx: PageContext,
    pub title: String,
    pub intro: Vec<String>,
    pub tables: Vec<GainTable>,
    pub csv_href: String,
    pub back_href: String,
}
