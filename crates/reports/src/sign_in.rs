//! The sign-in sheet of a training session: A4 portrait, the session's
//! details at the top and one row per registered trainee with their name,
//! organisation or employer, sector and an empty box to sign in.
//!
//! Every heading comes from the caller in Greek and English (the web layer
//! takes them from its Fluent files); the layout is
//! `templates/sign_in.typ`.

use serde::Serialize;
use serde_json::json;

use crate::{Report, ReportError, render_report};

const TEMPLATE: &str = include_str!("../templates/sign_in.typ");

/// A text in both languages, printed "Greek / English".
#[derive(Debug, Clone, Serialize)]
pub struct Bilingual<'a> {
    pub el: &'a str,
    pub en: &'a str,
}

/// One line of the session's details: a bilingual label and its value.
#[derive(Debug, Clone, Serialize)]
pub struct Detail<'a> {
    pub label: Bilingual<'a>,
    pub value: &'a str,
}

/// One registered trainee.
#[derive(Debug, Clone, Serialize)]
pub struct SignInRow<'a> {
    pub name: &'a str,
    /// The organisation, or the employer the trainee gave.
    pub organisation: &'a str,
    pub sector: &'a str,
}

/// What to print.
#[derive(Debug, Clone, Serialize)]
pub struct SignInRequest<'a> {
    /// The title of the PDF document (its metadata).
    pub document_title: &'a str,
    /// "Sign-in sheet".
    pub heading: Bilingual<'a>,
    /// The session's title in Greek and English.
    pub session_title: Bilingual<'a>,
    /// Date, time, place, trainers and so on.
    pub details: Vec<Detail<'a>>,
    /// The column headings: number, name, organisation, sector, signature.
    pub columns: [Bilingual<'a>; 5],
    pub rows: Vec<SignInRow<'a>>,
}

/// Renders the sign-in sheet.
///
/// # Errors
///
/// [`ReportError`] when rendering fails.
pub fn sign_in_sheet(request: &SignInRequest<'_>) -> Result<Report, ReportError> {
    render_report(TEMPLATE, &json!(request))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_lists_every_trainee_with_both_languages() {
        let both = |el, en| Bilingual { el, en };
        let rows: Vec<SignInRow<'_>> = (0..40)
            .map(|i| SignInRow {
                name: if i == 0 {
                    "Δοκιμαστική Εκπαιδευόμενη"
                } else {
                    "Test Trainee"
                },
                organisation: "Κέντρο Δοκιμών",
                sector: "ngo",
            })
            .collect();
        let request = SignInRequest {
            document_title: "Φύλλο υπογραφών",
            heading: both("Φύλλο υπογραφών", "Sign-in sheet"),
            session_title: both("Εισαγωγή", "Introduction"),
            details: vec![Detail {
                label: both("Ημερομηνία", "Date"),
                value: "5/12/2026 10:00–13:00",
            }],
            columns: [
                both("Α/Α", "No."),
                both("Ονοματεπώνυμο", "Name"),
                both("Φορέας", "Organisation"),
                both("Τομέας", "Sector"),
                both("Υπογραφή", "Signature"),
            ],
            rows,
        };
        let report = sign_in_sheet(&request).unwrap();
        assert!(report.pdf.starts_with(b"%PDF-"));
        assert!(report.page_count() >= 2);
        let text = report.page_text.concat();
        for expected in [
            "Φύλλο υπογραφών",
            "Sign-in sheet",
            "Δοκιμαστική",
            "Υπογραφή",
        ] {
            assert!(text.contains(expected), "{expected} missing");
        }
    }
}
