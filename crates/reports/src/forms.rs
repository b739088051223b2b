//! Consent forms and information sheets handed to beneficiaries.
//!
//! One document per consent purpose (data processing, sharing with a named
//! organisation, photographs, research use): page 1 is the information sheet
//! (what is recorded, why, who sees it, the right to withdraw, contact),
//! page 2 the consent form to sign. The texts live in `forms/<language>.toml`
//! and are compiled in; the layout is `templates/consent_form.typ`.
//!
//! Greek and English are approved as written. The other languages are draft
//! translations until an administrator approves them; the caller says
//! whether a language is approved, and a draft carries a visible mark at the
//! top of every page.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use crate::{Report, ReportError, render_report};

/// The languages forms exist in, in the order the interface lists them.
pub const LANGUAGES: [&str; 9] = ["el", "en", "fr", "ar", "fa", "ur", "so", "uk", "ru"];

/// Languages whose texts count as approved without an administrator's
/// approval: they were written and reviewed in the project.
pub const APPROVED_BY_DEFAULT: [&str; 2] = ["el", "en"];

/// The consent purposes, as the case records store them.
pub const PURPOSES: [&str; 4] = ["data_processing", "sharing", "photographs", "research"];

const SOURCES: [(&str, &str); 9] = [
    ("el", include_str!("../forms/el.toml")),
    ("en", include_str!("../forms/en.toml")),
    ("fr", include_str!("../forms/fr.toml")),
    ("ar", include_str!("../forms/ar.toml")),
    ("fa", include_str!("../forms/fa.toml")),
    ("ur", include_str!("../forms/ur.toml")),
    ("so", include_str!("../forms/so.toml")),
    ("uk", include_str!("../forms/uk.toml")),
    ("ru", include_str!("../forms/ru.toml")),
];

const TEMPLATE: &str = include_str!("../templates/consent_form.typ");

/// The texts of one language, as in its TOML file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormText {
    pub language: String,
    /// The language's name in itself (`Ελληνικά`, `العربية`).
    pub name: String,
    /// `ltr` or `rtl`.
    pub direction: String,
    /// A chrono format for dates.
    pub date_format: String,
    pub labels: Labels,
    pub common: Common,
    pub purposes: BTreeMap<String, PurposeText>,
}

/// Headings and field names.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    pub information_sheet: String,
    pub consent_form: String,
    pub draft_mark: String,
    pub section_what: String,
    pub section_why: String,
    pub section_who: String,
    pub section_choice: String,
    pub section_contact: String,
    pub case_code: String,
    pub organisation: String,
    pub recipient: String,
    pub date: String,
    pub language: String,
    pub agree: String,
    pub disagree: String,
    pub signature_person: String,
    pub signature_staff: String,
    pub signature_interpreter: String,
    pub contact_line: String,
}

/// Paragraphs every purpose shares.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Common {
    pub choice: String,
    pub contact: String,
    pub statement_intro: String,
}

/// The paragraphs of one purpose.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurposeText {
    pub title: String,
    pub what: String,
    pub why: String,
    pub who: String,
    pub statement: String,
}

static TEXTS: LazyLock<Vec<FormText>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(language, source)| {
            // The files are compiled in and checked by the tests below, so a
            // parse error here is a build defect, not an input error.
            let text: FormText = toml::from_str(source)
                .unwrap_or_else(|error| panic!("forms/{language}.toml: {error}"));
            text
        })
        .collect()
});

/// The texts of `language`, or `None` for a language without forms.
pub fn form_text(language: &str) -> Option<&'static FormText> {
    TEXTS.iter().find(|text| text.language == language)
}

/// Whether `language` is written right to left.
pub fn is_rtl(language: &str) -> bool {
    form_text(language).is_some_and(|text| text.direction == "rtl")
}

/// Whether `purpose` is one of [`PURPOSES`].
pub fn is_purpose(purpose: &str) -> bool {
    PURPOSES.contains(&purpose)
}

/// What to print.
#[derive(Debug, Clone)]
pub struct FormRequest<'a> {
    /// One of [`LANGUAGES`].
    pub language: &'a str,
    /// One of [`PURPOSES`].
    pub purpose: &'a str,
    /// The case's pseudonymous code; never the person's name.
    pub case_code: &'a str,
    /// The name of the organisation that records the consent.
    pub organisation: &'a str,
    /// The receiving organisation's name; required for `sharing`, ignored
    /// otherwise.
    pub recipient: Option<&'a str>,
    pub date: NaiveDate,
    /// `false` prints the draft-translation mark on every page.
    pub approved: bool,
}

/// Why a form could not be printed.
#[derive(Debug, thiserror::Error)]
pub enum FormError {
    #[error("no forms in language {0:?}")]
    UnknownLanguage(String),
    #[error("unknown consent purpose {0:?}")]
    UnknownPurpose(String),
    #[error("a sharing consent form needs the recipient organisation")]
    RecipientRequired,
    #[error(transparent)]
    Report(#[from] ReportError),
}

/// Renders the information sheet and consent form for `request`: two A4
/// pages, right to left for Arabic, Farsi and Urdu.
///
/// # Errors
///
/// [`FormError`] for an unknown language or purpose, a sharing form without
/// a recipient, or a rendering failure.
pub fn consent_form(request: &FormRequest<'_>) -> Result<Report, FormError> {
    let inputs = form_inputs(request)?;
    Ok(render_report(TEMPLATE, &inputs)?)
}

/// The `sys.inputs` of the template for `request`.
fn form_inputs(request: &FormRequest<'_>) -> Result<serde_json::Value, FormError> {
    let text = form_text(request.language)
        .ok_or_else(|| FormError::UnknownLanguage(request.language.to_owned()))?;
    let purpose = text
        .purposes
        .get(request.purpose)
        .filter(|_| is_purpose(request.purpose))
        .ok_or_else(|| FormError::UnknownPurpose(request.purpose.to_owned()))?;
    let recipient = match (request.purpose, request.recipient) {
        ("sharing", Some(name)) if !name.trim().is_empty() => Some(name.trim()),
        ("sharing", _) => return Err(FormError::RecipientRequired),
        _ => None,
    };
    let fill = |paragraph: &str| {
        paragraph
            .replace("{organisation}", request.organisation)
            .replace("{recipient}", recipient.unwrap_or_default())
    };

    let labels = &text.labels;
    let mut fields = vec![
        json!({ "label": labels.case_code, "value": request.case_code }),
        json!({ "label": labels.organisation, "value": request.organisation }),
    ];
    if let Some(recipient) = recipient {
        fields.push(json!({ "label": labels.recipient, "value": recipient }));
    }
    fields.push(json!({
        "label": labels.date,
        "value": request.date.format(&text.date_format).to_string(),
    }));
    fields.push(json!({ "label": labels.language, "value": text.name }));

    let sections = [
        (&labels.section_what, &purpose.what),
        (&labels.section_why, &purpose.why),
        (&labels.section_who, &purpose.who),
        (&labels.section_choice, &text.common.choice),
        (&labels.section_contact, &text.common.contact),
    ]
    .into_iter()
    .map(|(heading, body)| json!({ "heading": heading, "body": fill(body) }))
    .collect::<Vec<_>>();

    let rtl = text.direction == "rtl";
    // DejaVu Sans Mono is the only embedded font with Arabic glyphs; it is
    // wide, so right-to-left documents use a smaller size.
    let (fonts, size) = if rtl {
        (["DejaVu Sans Mono", "Libertinus Serif"], 10)
    } else {
        (["Libertinus Serif", "DejaVu Sans Mono"], 11)
    };
    let draft_mark = draft_mark_text(text);

    Ok(json!({
        "lang": text.language,
        "rtl": rtl,
        "fonts": fonts,
        "size": size,
        "draft": !request.approved,
        "draft_mark": draft_mark,
        "title": purpose.title,
        "organisation": request.organisation,
        "case_code": request.case_code,
        "labels": labels,
        "sections": sections,
        "fields": fields,
        "statement_intro": text.common.statement_intro,
        "statement": fill(&purpose.statement),
    }))
}

/// The mark a draft carries: in its own language, and in English so that
/// staff who cannot read the language see it too.
fn draft_mark_text(text: &FormText) -> String {
    let english = form_text("en").map_or("", |en| en.labels.draft_mark.as_str());
    if text.language == "en" {
        english.to_owned()
    } else {
        format!("{} · {english}", text.labels.draft_mark)
    }
}

/// The draft mark of `language` in that language, for tests and for the
/// administration page.
pub fn draft_mark(language: &str) -> Option<&'static str> {
    form_text(language).map(|text| text.labels.draft_mark.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(language: &str, purpose: &str, approved: bool) -> FormRequest<'static> {
        FormRequest {
            language: Box::leak(language.to_owned().into_boxed_str()),
            purpose: Box::leak(purpose.to_owned().into_boxed_str()),
            case_code: "ATH-2026-0042",
            organisation: "Φορέας Δοκιμής",
            recipient: (purpose == "sharing").then_some("Test Shelter"),
            date: NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(),
            approved,
        }
    }

    #[test]
    fn every_language_has_every_purpose_and_no_stray_placeholder() {
        for language in LANGUAGES {
            let text = form_text(language).unwrap_or_else(|| panic!("{language} missing"));
            assert_eq!(text.language, language);
            assert!(matches!(text.direction.as_str(), "ltr" | "rtl"));
            assert_eq!(
                text.purposes.keys().map(String::as_str).collect::<Vec<_>>(),
                {
                    let mut sorted = PURPOSES.to_vec();
                    sorted.sort_unstable();
                    sorted
                },
                "{language}"
            );
            let paragraphs = text
                .purposes
                .values()
                .flat_map(|p| [&p.title, &p.what, &p.why, &p.who, &p.statement])
                .chain([&text.common.choice, &text.common.contact]);
            for paragraph in paragraphs {
                let rest = paragraph
                    .replace("{organisation}", "")
                    .replace("{recipient}", "");
                assert!(
                    !rest.contains('{') && !rest.contains('}'),
                    "{language}: stray placeholder in {paragraph:?}"
                );
            }
            for purpose in PURPOSES {
                let flat = form_inputs(&request(language, purpose, true))
                    .unwrap()
                    .to_string();
                assert!(!flat.contains("{organisation}") && !flat.contains("{recipient}"));
            }
        }
        assert!(is_rtl("ar") && is_rtl("fa") && is_rtl("ur") && !is_rtl("el"));
    }

    #[test]
    fn every_form_is_two_pages_with_the_case_code() {
        for language in LANGUAGES {
            for purpose in PURPOSES {
                let report = consent_form(&request(language, purpose, true))
                    .unwrap_or_else(|error| panic!("{language}/{purpose}: {error}"));
                assert!(report.pdf.starts_with(b"%PDF"));
                assert_eq!(report.page_count(), 2, "{language}/{purpose}");
                assert!(
                    report
                        .page_text
                        .iter()
                        .all(|page| page.contains("ATH-2026-0042")),
                    "{language}/{purpose} lacks the case code on a page"
                );
            }
        }
    }

    #[test]
    fn draft_mark_shows_until_approved() {
        for language in ["ar", "so", "en"] {
            let mark = draft_mark(language).unwrap();
            let draft = consent_form(&request(language, "research", false)).unwrap();
            assert!(draft.page_text.iter().all(|page| page.contains(mark)));
            let approved = consent_form(&request(language, "research", true)).unwrap();
            assert!(approved.page_text.iter().all(|page| !page.contains(mark)));
        }
    }

    #[test]
    fn greek_and_arabic_text_is_laid_out() {
        let greek = consent_form(&request("el", "data_processing", true)).unwrap();
        assert!(greek.page_text[0].contains("Καταγραφή"));
        let arabic = consent_form(&request("ar", "sharing", false)).unwrap();
        assert!(arabic.page_text[0].contains("معلوماتك"));
        assert!(arabic.page_text[1].contains("Test Shelter"));
    }

    #[test]
    fn sharing_needs_a_recipient_and_unknown_codes_fail() {
        let mut sharing = request("en", "sharing", true);
        sharing.recipient = Some("  ");
        assert!(matches!(
            consent_form(&sharing),
            Err(FormError::RecipientRequired)
        ));
        assert!(matches!(
            consent_form(&request("xx", "research", true)),
            Err(FormError::UnknownLanguage(_))
        ));
        assert!(matches!(
            consent_form(&request("en", "marketing", true)),
            Err(FormError::UnknownPurpose(_))
        ));
    }

    #[test]
    fn values_from_the_case_print_as_text() {
        let mut hostile = request("en", "sharing", true);
        hostile.organisation = "#panic() *Org*";
        hostile.recipient = Some("] $x$ [");
        let report = consent_form(&hostile).unwrap();
        assert!(report.page_text[1].contains("#panic()"));
        assert!(report.page_text[1].contains("$x$"));
    }
}
