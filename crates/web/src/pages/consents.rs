//! The consents of a case: the list with its withdraw buttons and signed
//! forms, the form that records a consent given or refused, and the form
//! that prints the consent form to sign.

use askama::Template;
use procap_domain::case::vocab::ConsentPurpose;

use super::cases::vocabulary_options;
use super::consent_forms::{PrintForm, print_language_options};
use super::services::{CaseHeading, language_options};
use super::{FieldErrors, PageContext, SelectOption};

/// Returns the path of a case's consents.
pub fn consents_href(case_id: &str) -> String {
    format!("{}/consents", super::cases::case_href(case_id))
}

/// One consent, translated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRow {
    pub purpose: String,
    /// The recipient organisation's name, or empty.
    pub recipient: String,
    pub given: bool,
    pub recorded_on: String,
    pub language: String,
    /// The withdrawal date, or empty while in force.
    pub withdrawn_on: String,
    /// Where the withdraw button posts; `None` when the consent is withdrawn
    /// or the user may not withdraw it.
    pub withdraw_href: Option<String>,
    pub id: String,
    /// The download of the signed form, when one is attached.
    pub signed_form_href: Option<String>,
    /// Where the signed form is uploaded; `None` for users who may not.
    pub attach_href: Option<String>,
    /// Why the last upload for this consent failed, or empty.
    pub upload_error: String,
}

/// The values of the consent form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsentForm {
    pub purpose: String,
    pub recipient_organisation_id: String,
    /// `yes` or `no`.
    pub given: String,
    /// `YYYY-MM-DD`.
    pub recorded_on: String,
    pub language: String,
}

impl ConsentForm {
    /// Builds the form from the submitted `name=value` pairs.
    pub fn from_pairs(pairs: &[(String, String)]) -> ConsentForm {
        let mut form = ConsentForm::default();
        for (name, value) in pairs {
            let slot = match name.as_str() {
                "purpose" => &mut form.purpose,
                "recipient_organisation_id" => &mut form.recipient_organisation_id,
                "given" => &mut form.given,
                "recorded_on" => &mut form.recorded_on,
                "language" => &mut form.language,
                _ => continue,
            };
            *slot = value.clone();
        }
        form
    }
}

/// The consents page.
#[derive(Debug, Clone, Template)]
#[template(path = "case_consents.html")]
pub struct ConsentsPage {
    pub ctx: PageContext,
    pub case: CaseHeading,
    pub rows: Vec<ConsentRow>,
    /// Shows the form; only staff who manage the case record consents.
    pub can_record: bool,
    pub form: ConsentForm,
    pub errors: FieldErrors,
    /// `(id, name)` of every organisation.
    pub organisations: Vec<(String, String)>,
    /// The print form as typed and its errors.
    pub print: PrintForm,
    pub print_errors: FieldErrors,
    pub print_href: String,
    /// `(language, approved)` for every form language.
    pub language_approvals: Vec<(String, bool)>,
}

impl ConsentsPage {
    pub fn action(&self) -> String {
        consents_href(&self.case.id)
    }

    pub fn purpose_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<ConsentPurpose>(&self.ctx.t, &self.form.purpose)
    }

    pub fn recipient_options(&self) -> Vec<SelectOption> {
        self.organisations
            .iter()
            .map(|(id, name)| {
                SelectOption::new(id, name, *id == self.form.recipient_organisation_id)
            })
            .collect()
    }

    pub fn given_options(&self) -> Vec<SelectOption> {
        [("yes", "consent-given-yes"), ("no", "consent-given-no")]
            .into_iter()
            .map(|(value, key)| {
                SelectOption::new(value, self.ctx.t.t(key), self.form.given == value)
            })
            .collect()
    }

    pub fn language_options(&self) -> Vec<SelectOption> {
        language_options(self.ctx.locale, &self.form.language)
    }

    pub fn print_purpose_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<ConsentPurpose>(&self.ctx.t, &self.print.purpose)
    }

    pub fn print_recipient_options(&self) -> Vec<SelectOption> {
        self.organisations
            .iter()
            .map(|(id, name)| SelectOption::new(id, name, *id == self.print.recipient))
            .collect()
    }

    pub fn print_language_options(&self) -> Vec<SelectOption> {
        print_language_options(&self.ctx.t, &self.language_approvals, &self.print.language)
    }
}
