//! Pages of erasure and subject-access requests: the organisation's list
//! with the decision forms, a case's request form, and the printable
//! subject-access export.
//!
//! Request reasons and the export hold free text and personal data, so
//! these structs have no `Debug`.

use askama::Template;
use serde_json::Value;

use super::cases::DetailItem;
use super::{FieldErrors, PageContext, SelectOption};
use crate::i18n::Translator;

/// The organisation's requests.
pub const REQUESTS: &str = "/requests";

/// Returns the path of a case's request page; its form posts there.
pub fn case_requests_href(case_id: &str) -> String {
    format!("/cases/{case_id}/requests")
}

/// Returns the path a decision on a request posts to.
pub fn decide_href(request_id: &str) -> String {
    format!("{REQUESTS}/{request_id}/decide")
}

/// Returns the path of the JSON download of an approved subject-access request.
pub fn export_json_href(request_id: &str) -> String {
    format!("{REQUESTS}/{request_id}/export.json")
}

/// Returns the path of the PDF of an approved subject-access request.
pub fn export_pdf_href(request_id: &str) -> String {
    format!("{REQUESTS}/{request_id}/export.pdf")
}

/// Returns the path of the printable page of an approved subject-access request.
pub fn export_print_href(request_id: &str) -> String {
    format!("{REQUESTS}/{request_id}/export")
}

/// The `decision` value of the approve button.
pub const DECISION_APPROVE: &str = "approve";
/// The `decision` value of the reject button.
pub const DECISION_REJECT: &str = "reject";

/// One request as the lists show it, already translated.
#[derive(Clone)]
pub struct RequestRow {
    pub id: String,
    pub case_code: String,
    pub case_href: String,
    pub kind: String,
    pub status: String,
    pub pending: bool,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: String,
    pub decided_by: String,
    pub decided_at: String,
    pub decision_reason: String,
    /// The decision form is offered: the user coordinates the owning
    /// organisation and did not file the request.
    pub can_decide: bool,
    /// The user filed it and coordinates: the list says why no form.
    pub own_request: bool,
    /// Links to the export, for approved subject-access requests and
    /// coordinators of the owning organisation.
    pub export_json_href: Option<String>,
    pub export_print_href: Option<String>,
    pub export_pdf_href: Option<String>,
    /// The decision reason as typed, kept when the form comes back.
    pub typed_reason: String,
    /// An error of this row's decision form.
    pub error: Option<String>,
}

impl RequestRow {
    pub fn decide_action(&self) -> String {
        decide_href(&self.id)
    }

    /// The value of the approve button (`decision=approve`).
    pub fn approve_value(&self) -> &'static str {
        DECISION_APPROVE
    }

    /// The value of the reject button (`decision=reject`).
    pub fn reject_value(&self) -> &'static str {
        DECISION_REJECT
    }

    /// The id of the decision reason field (unique on the page).
    pub fn reason_field(&self) -> String {
        format!("decision-reason-{}", self.id)
    }
}

/// `GET /requests`: pending requests first, then decided ones.
#[derive(Template)]
#[template(path = "requests_list.html")]
pub struct RequestsPage {
    pub ctx: PageContext,
    pub pending: Vec<RequestRow>,
    pub decided: Vec<RequestRow>,
}

/// `GET /cases/{id}/requests`: the form to file a request and the case's
/// requests.
#[derive(Template)]
#[template(path = "case_requests.html")]
pub struct CaseRequestsPage {
    pub ctx: PageContext,
    pub case_id: String,
    pub case_code: String,
    /// The case was anonymised; the notice says so.
    pub anonymised: bool,
    pub kind: String,
    pub reason: String,
    pub errors: FieldErrors,
    pub requests: Vec<RequestRow>,
}

impl CaseRequestsPage {
    pub fn action(&self) -> String {
        case_requests_href(&self.case_id)
    }

    pub fn case_href(&self) -> String {
        format!("/cases/{}", self.case_id)
    }

    pub fn list_href(&self) -> &'static str {
        REQUESTS
    }

    /// The request kinds as radio buttons, with the typed one checked.
    pub fn kind_options(&self) -> Vec<SelectOption> {
        procap_store::data_requests::KINDS
            .iter()
            .map(|kind| {
                SelectOption::new(
                    *kind,
                    self.ctx.t.t(kind_key(kind)),
                    *kind == self.kind.as_str(),
                )
            })
            .collect()
    }
}

/// The Fluent key of a request kind.
pub fn kind_key(kind: &str) -> &'static str {
    match kind {
        procap_store::data_requests::KIND_ERASURE => "requests-kind-erasure",
        _ => "requests-kind-subject-access",
    }
}

/// The Fluent key of a request status.
pub fn status_key(status: &str) -> &'static str {
    match status {
        procap_store::data_requests::STATUS_APPROVED => "requests-status-approved",
        procap_store::data_requests::STATUS_REJECTED => "requests-status-rejected",
        _ => "requests-status-pending",
    }
}

/// One block of the printable export: an optional heading and its values.
#[derive(Clone)]
pub struct PrintEntry {
    pub heading: String,
    pub items: Vec<DetailItem>,
}

/// One section of the printable export (person, case, screenings, …).
#[derive(Clone)]
pub struct PrintSection {
    pub title: String,
    pub entries: Vec<PrintEntry>,
}

/// The printable subject-access export: the same content as the JSON file.
#[derive(Template)]
#[template(path = "requests_export_print.html")]
pub struct ExportPrintPage {
    pub ctx: PageContext,
    pub case_code: String,
    pub generated_at: String,
    pub sections: Vec<PrintSection>,
    pub json_href: String,
    pub pdf_href: String,
}

impl ExportPrintPage {
    pub fn list_href(&self) -> &'static str {
        REQUESTS
    }
}

/// The sections of the export in the order the printed page shows them,
/// with their Fluent keys.
pub const EXPORT_SECTIONS: &[(&str, &str)] = &[
    ("person", "requests-section-person"),
    ("case", "requests-section-case"),
    ("intake", "requests-section-intake"),
    ("trafficking_events", "requests-section-trafficking-events"),
    ("screenings", "requests-section-screenings"),
    ("nrm_events", "requests-section-nrm-events"),
    ("assessments", "requests-section-assessments"),
    ("plan", "requests-section-plan"),
    ("services", "requests-section-services"),
    ("consents", "requests-section-consents"),
    ("referrals", "requests-section-referrals"),
    ("notes", "requests-section-notes"),
    ("attachments", "requests-section-attachments"),
    ("appointments", "requests-section-appointments"),
    ("followups", "requests-section-followups"),
    ("audit_events", "requests-section-audit-events"),
];

/// The label of an export field: `requests-field-<name>` with `_` as `-`.
pub fn field_label(t: &Translator, name: &str) -> String {
    t.t(&format!("requests-field-{}", name.replace('_', "-")))
}

fn scalar_text(t: &Translator, value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(true) => t.t("yes"),
        Value::Bool(false) => t.t("no"),
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        other => other.to_string(),
    }
}

/// Flattens one JSON object into entries: its plain values form the first
/// entry; each nested object or list of objects adds entries headed by the
/// nested field's label.
fn flatten(t: &Translator, heading: String, object: &Value, out: &mut Vec<PrintEntry>) {
    let Value::Object(map) = object else {
        out.push(PrintEntry {
            heading,
            items: vec![DetailItem::new(String::new(), scalar_text(t, object))],
        });
        return;
    };
    let mut items = Vec::new();
    let mut nested = Vec::new();
    for (name, value) in map {
        match value {
            Value::Array(values) if values.iter().any(Value::is_object) => {
                nested.push((name, value));
            }
            Value::Array(values) => items.push(DetailItem::new(
                field_label(t, name),
                values
                    .iter()
                    .map(|value| scalar_text(t, value))
                    .collect::<Vec<_>>()
                    .join(", "),
            )),
            Value::Object(_) if name == "details" => items.push(DetailItem::new(
                field_label(t, name),
                value
                    .as_object()
                    .map(|details| {
                        details
                            .iter()
                            .map(|(key, value)| format!("{key}: {}", scalar_text(t, value)))
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                    .unwrap_or_default(),
            )),
            Value::Object(_) => nested.push((name, value)),
            scalar => items.push(DetailItem::new(
                field_label(t, name),
                scalar_text(t, scalar),
            )),
        }
    }
    out.push(PrintEntry { heading, items });
    for (name, value) in nested {
        let label = field_label(t, name);
        match value {
            Value::Array(values) => {
                for value in values {
                    flatten(t, label.clone(), value, out);
                }
            }
            other => flatten(t, label, other, out),
        }
    }
}

/// The export as printable sections, in the order of [`EXPORT_SECTIONS`].
/// An empty section reads "none" in the template.
pub fn export_sections(t: &Translator, export: &Value) -> Vec<PrintSection> {
    EXPORT_SECTIONS
        .iter()
        .map(|(name, key)| {
            let mut entries = Vec::new();
            match export.get(*name) {
                None | Some(Value::Null) => {}
                Some(Value::Array(values)) => {
                    for value in values {
                        flatten(t, String::new(), value, &mut entries);
                    }
                }
                Some(value) => flatten(t, String::new(), value, &mut entries),
            }
            PrintSection {
                title: t.t(key),
                entries,
            }
        })
        .collect()
}

/// The typst source of the PDF export; it reads [`export_pdf_inputs`].
pub const EXPORT_PDF_TEMPLATE: &str = include_str!("requests_export.typ");

/// The `sys.inputs` of [`EXPORT_PDF_TEMPLATE`]: the translated sections
/// and the few texts the template prints around them.
pub fn export_pdf_inputs(
    t: &Translator,
    case_code: &str,
    generated_at: &str,
    sections: &[PrintSection],
) -> Value {
    serde_json::json!({
        "lang": t.locale().as_str(),
        "title": t.t("requests-export-title"),
        "case_code": case_code,
        "generated": t.t1("requests-export-generated", "at", generated_at),
        "empty": t.t("requests-export-empty"),
        "not_recorded": t.t("case-not-recorded"),
        "sections": sections
            .iter()
            .map(|section| serde_json::json!({
                "title": section.title,
                "entries": section
                    .entries
                    .iter()
                    .map(|entry| serde_json::json!({
                        "heading": entry.heading,
                        "items": entry
                            .items
                            .iter()
                            .map(|item| serde_json::json!({ "label": item.label, "value": item.value }))
                            .collect::<Vec<_>>(),
                    }))
                    .collect::<Vec<_>>(),
            }))
            .collect::<Vec<_>>(),
    })
}
