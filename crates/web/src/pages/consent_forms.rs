//! Printed consent forms: the administration page that approves their
//! translations, and the pieces of the consents page that print a form and
//! attach the signed copy.

use askama::Template;
use procap_reports::forms;

use super::{PageContext, SelectOption};
use crate::i18n::Translator;

/// The path of the translations page.
pub const ADMIN_TRANSLATIONS: &str = "/admin/translations";

/// Returns the path that changes a language's approval.
pub fn translation_href(language: &str) -> String {
    format!("{ADMIN_TRANSLATIONS}/{language}")
}

/// Returns the path that prints a case's consent form as PDF (`GET` with
/// `form_purpose`, `form_recipient` and `form_language`).
pub fn print_href(case_id: &str) -> String {
    format!("{}/form", super::consents::consents_href(case_id))
}

/// Returns the path that uploads the signed form of a consent.
pub fn attach_href(case_id: &str, consent_id: &str) -> String {
    format!(
        "{}/{consent_id}/form",
        super::consents::consents_href(case_id)
    )
}

/// Returns whether `language`'s forms are approved. A recorded decision
/// wins. Without one, only the languages approved by default are.
pub fn is_approved(language: &str, decision: Option<bool>) -> bool {
    decision.unwrap_or_else(|| forms::APPROVED_BY_DEFAULT.contains(&language))
}

/// Returns a form language's name for the interface: its own name, the
/// name in the interface language, and a draft note when not approved.
pub fn language_label(t: &Translator, language: &str, approved: bool) -> String {
    let own = forms::form_text(language).map_or(language, |text| text.name.as_str());
    let local = procap_domain::case::geo::language(language)
        .map_or(language, |known| known.name(t.locale()));
    let name = if own == local {
        own.to_owned()
    } else {
        format!("{own} ({local})")
    };
    if approved {
        name
    } else {
        t.t1("consent-forms-language-draft", "language", name)
    }
}

/// The values of the print form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrintForm {
    pub purpose: String,
    pub recipient: String,
    pub language: String,
}

/// One language on the translations page.
#[derive(Debug, Clone)]
pub struct TranslationRow {
    pub language: String,
    pub name: String,
    pub approved: bool,
    /// Approved without a recorded decision (Greek and English).
    pub by_default: bool,
    /// The last change (user and time), or empty.
    pub changed: String,
    pub href: String,
}

impl TranslationRow {
    /// Returns the value the row's button posts, which toggles the approval.
    pub fn next_value(&self) -> &'static str {
        if self.approved { "no" } else { "yes" }
    }
}

/// `/admin/translations`: every form language with its status and the
/// button that approves it or sets it back to draft.
#[derive(Debug, Clone, Template)]
#[template(path = "admin_translations.html")]
pub struct TranslationsPage {
    pub ctx: PageContext,
    pub rows: Vec<TranslationRow>,
}

/// Returns the options of the print form's language list, with draft marks.
pub fn print_language_options(
    t: &Translator,
    approvals: &[(String, bool)],
    selected: &str,
) -> Vec<SelectOption> {
    forms::LANGUAGES
        .iter()
        .map(|language| {
            let approved = approvals
                .iter()
                .find(|(code, _)| code == language)
                .is_some_and(|(_, approved)| *approved);
            SelectOption::new(
                *language,
                language_label(t, language, approved),
                *language == selected,
            )
        })
        .collect()
}
