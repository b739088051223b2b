//! The AMIF indicators of one period as a PDF: a table of the indicators
//! with their Greek and English names and values, laid out by
//! `templates/amif.typ`.

use serde_json::json;

use crate::{ReportError, render};

const TEMPLATE: &str = include_str!("../templates/amif.typ");

/// One indicator row of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmifRow {
    /// The indicator's short code, e.g. `P1`.
    pub code: String,
    pub name_el: String,
    pub name_en: String,
    /// The number of distinct participants.
    pub value: u64,
}

/// What the report shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmifReport {
    /// First and last day, already formatted.
    pub period: String,
    /// The organisation's name, or the words for "all organisations".
    pub scope: String,
    pub rows: Vec<AmifRow>,
}

/// Renders `report` as PDF bytes.
///
/// # Errors
///
/// [`ReportError`] when typst cannot compile or export the document.
pub fn amif_pdf(report: &AmifReport) -> Result<Vec<u8>, ReportError> {
    let rows: Vec<serde_json::Value> = report
        .rows
        .iter()
        .map(|row| {
            json!({
                "code": row.code,
                "name_el": row.name_el,
                "name_en": row.name_en,
                "value": row.value.to_string(),
            })
        })
        .collect();
    let inputs = json!({
        "title": "Δείκτες AMIF / AMIF indicators",
        "subtitle": "Μοναδικοί συμμετέχοντες που υποστηρίχθηκαν / Unique participants supported",
        "period_label": "Περίοδος / Period",
        "period": report.period,
        "scope_label": "Φορέας / Organisation",
        "scope": report.scope,
        "code_heading": "Κωδικός / Code",
        "name_el_heading": "Δείκτης",
        "name_en_heading": "Indicator",
        "value_heading": "Τιμή / Value",
        "rows": rows,
        "note": "Κάθε συμμετέχων μετρά μία φορά, όσες υπηρεσίες κι αν έλαβε. / Each participant counts once, however many services they received.",
    });
    render(TEMPLATE, &inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_pdf_with_greek_names() {
        let report = AmifReport {
            period: "2026-01-01 – 2026-12-31".to_owned(),
            scope: "Όλοι οι φορείς / All organisations".to_owned(),
            rows: vec![AmifRow {
                code: "P1".to_owned(),
                name_el: "Συμμετέχοντες που υποστηρίχθηκαν".to_owned(),
                name_en: "Participants supported".to_owned(),
                value: 12,
            }],
        };
        let pdf = amif_pdf(&report).expect("renders");
        assert!(pdf.starts_with(b"%PDF"));
    }
}
