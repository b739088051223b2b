//! The victim-witness part of the NRM page: the person's status in criminal
//! proceedings, its history and the form that records a change.

use super::{FieldErrors, SelectOption};
use crate::i18n::Translator;

/// Returns the path the witness status form posts to.
pub fn witness_href(case_id: &str) -> String {
    format!("/cases/{case_id}/nrm/witness")
}

/// Returns the Fluent key of a witness status label.
pub fn witness_status_key(code: &str) -> &'static str {
    match code {
        "witness" => "witness-status-witness",
        "protected_witness" => "witness-status-protected",
        _ => "witness-status-not-witness",
    }
}

/// The witness form as typed. The note is free text: no `Debug`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct WitnessForm {
    pub status: String,
    /// `YYYY-MM-DD`.
    pub status_on: String,
    pub note: String,
}

/// One recorded status, translated. Holds decrypted text: no `Debug`.
#[derive(Clone)]
pub struct WitnessRow {
    pub status: String,
    pub status_on: String,
    pub note: String,
    pub recorded_by: String,
}

/// The witness section of the NRM page.
#[derive(Clone, Default)]
pub struct WitnessSection {
    /// Newest first, so the first row is the current status.
    pub history: Vec<WitnessRow>,
    /// Whether the user may record a change.
    pub may_record: bool,
    pub action: String,
    pub form: WitnessForm,
    pub errors: FieldErrors,
    /// The status choices, translated, with the typed one selected.
    pub options: Vec<SelectOption>,
}

impl WitnessSection {
    /// Builds the choices of the status field for `form`.
    pub fn options_for(t: &Translator, form: &WitnessForm) -> Vec<SelectOption> {
        procap_store::witness::WITNESS_STATUSES
            .iter()
            .map(|code| {
                SelectOption::new(*code, t.t(witness_status_key(code)), form.status == *code)
            })
            .collect()
    }
}
