//! The NRM statistics of a period as CSV, XLSX and PDF (laid out by
//! `templates/nrm_statistics.typ`), and the case forms for the National
//! Referral Mechanism as PDF (laid out by `templates/nrm_form.typ`).
//!
//! Labels reach this crate already translated: the caller passes a
//! function from a locale and a Fluent key to text, so the web pages, the
//! command line and the files use the same words.

use procap_domain::case::geo;
use procap_domain::locale::Locale;
use procap_domain::stats::nrm::{NrmDimension, NrmStatistics};
use serde::Serialize;
use serde_json::json;

use crate::tabular::{self, Cell, Sheet, TabularError};
use crate::{Report, ReportError, render, render_report};

const STATISTICS_TEMPLATE: &str = include_str!("../templates/nrm_statistics.typ");
const FORM_TEMPLATE: &str = include_str!("../templates/nrm_form.typ");

/// The table code of the totals rows in the CSV and XLSX files.
pub const TOTALS_TABLE: &str = "total";

/// One row of a statistics table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NrmReportRow {
    pub code: String,
    pub label_el: String,
    pub label_en: String,
    pub persons: u64,
}

/// One table of the statistics, with its names in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NrmReportTable {
    pub code: String,
    pub name_el: String,
    pub name_en: String,
    /// Whether a person may count in several rows (see
    /// [`NrmDimension::multi_valued`]).
    pub multi_valued: bool,
    pub rows: Vec<NrmReportRow>,
}

/// The NRM statistics of one period, labelled in Greek and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NrmStatisticsReport {
    /// First and last day, as YYYY-MM-DD.
    pub from: String,
    pub to: String,
    /// The organisation's name, or the words for "all organisations".
    pub scope: String,
    pub persons: u64,
    pub new_persons: u64,
    pub tables: Vec<NrmReportTable>,
}

impl NrmStatisticsReport {
    /// Labels `statistics` for `scope`. `label` returns the text of a Fluent
    /// key in a locale; countries are named from the country list, and a
    /// country code the list does not know is shown as the code.
    pub fn new(
        statistics: &NrmStatistics,
        scope: String,
        label: impl Fn(Locale, &str) -> String,
    ) -> NrmStatisticsReport {
        let row_label = |dimension: NrmDimension, code: &str, locale: Locale| -> String {
            match dimension.label_key(code) {
                Some(key) => label(locale, key),
                None => geo::country(code)
                    .map_or_else(|| code.to_owned(), |c| c.name(locale).to_owned()),
            }
        };
        let tables = statistics
            .tables
            .iter()
            .map(|table| NrmReportTable {
                code: table.dimension.as_str().to_owned(),
                name_el: label(Locale::El, table.dimension.name_key()),
                name_en: label(Locale::En, table.dimension.name_key()),
                multi_valued: table.dimension.multi_valued(),
                rows: table
                    .rows
                    .iter()
                    .map(|row| NrmReportRow {
                        code: row.code.clone(),
                        label_el: row_label(table.dimension, &row.code, Locale::El),
                        label_en: row_label(table.dimension, &row.code, Locale::En),
                        persons: row.persons,
                    })
                    .collect(),
            })
            .collect();
        NrmStatisticsReport {
            from: statistics.period.from().to_string(),
            to: statistics.period.to().to_string(),
            scope,
            persons: statistics.persons,
            new_persons: statistics.new_persons,
            tables,
        }
    }
}

/// Lays the statistics out as one sheet: a header, two totals rows
/// (`persons`, `new_persons`), then one row per table row.
pub fn nrm_sheet(report: &NrmStatisticsReport) -> Sheet {
    let header = [
        "table",
        "Πίνακας",
        "Table",
        "code",
        "Κατηγορία",
        "Category",
        "from",
        "to",
        "organisation",
        "persons",
    ];
    let mut rows = vec![header.iter().map(|&text| Cell::from(text)).collect()];
    let mut push = |table: (&str, &str, &str), row: (&str, &str, &str), persons: u64| {
        rows.push(vec![
            Cell::from(table.0),
            Cell::from(table.1),
            Cell::from(table.2),
            Cell::from(row.0),
            Cell::from(row.1),
            Cell::from(row.2),
            Cell::from(report.from.as_str()),
            Cell::from(report.to.as_str()),
            Cell::from(report.scope.as_str()),
            Cell::Count(persons),
        ]);
    };
    let totals = (TOTALS_TABLE, "Σύνολο", "Total");
    push(totals, ("persons", "Πρόσωπα", "Persons"), report.persons);
    push(
        totals,
        (
            "new_persons",
            "Πρόσωπα με νέο περιστατικό",
            "Persons with a new case",
        ),
        report.new_persons,
    );
    for table in &report.tables {
        for row in &table.rows {
            push(
                (
                    table.code.as_str(),
                    table.name_el.as_str(),
                    table.name_en.as_str(),
                ),
                (
                    row.code.as_str(),
                    row.label_el.as_str(),
                    row.label_en.as_str(),
                ),
                row.persons,
            );
        }
    }
    Sheet {
        name: "NRM".to_owned(),
        rows,
    }
}

/// Writes the statistics as CSV (UTF-8 with a byte-order mark).
pub fn nrm_csv(report: &NrmStatisticsReport) -> Vec<u8> {
    tabular::csv(&nrm_sheet(report).rows)
}

/// Writes the statistics as an XLSX workbook.
///
/// # Errors
///
/// [`TabularError`] when the workbook cannot be built.
pub fn nrm_xlsx(report: &NrmStatisticsReport) -> Result<Vec<u8>, TabularError> {
    tabular::xlsx(&[nrm_sheet(report)])
}

fn statistics_inputs(report: &NrmStatisticsReport) -> serde_json::Value {
    let tables: Vec<serde_json::Value> = report
        .tables
        .iter()
        .map(|table| {
            json!({
                "name": format!("{} / {}", table.name_el, table.name_en),
                "multi": table.multi_valued,
                "rows": table.rows.iter().map(|row| json!({
                    "label_el": row.label_el,
                    "label_en": row.label_en,
                    "persons": row.persons.to_string(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "title": "Στατιστικά ΕΜΑ / NRM statistics",
        "subtitle": "Πρόσωπα που γνώρισε ο φορέας στην περίοδο / Persons known to the organisation in the period",
        "period_label": "Περίοδος / Period",
        "period": format!("{} – {}", report.from, report.to),
        "scope_label": "Φορέας / Organisation",
        "scope": report.scope,
        "persons_label": "Πρόσωπα / Persons",
        "persons": report.persons.to_string(),
        "new_label": "Πρόσωπα με νέο περιστατικό στην περίοδο / Persons with a case opened in the period",
        "new_persons": report.new_persons.to_string(),
        "category_el": "Κατηγορία",
        "category_en": "Category",
        "count_heading": "Πρόσωπα / Persons",
        "multi_note": "Ένα πρόσωπο μπορεί να μετρηθεί σε περισσότερες από μία γραμμές. / A person may count in more than one row.",
        "tables": tables,
        "note": "Κάθε πρόσωπο μετράται μία φορά ανά γραμμή, όσα περιστατικά κι αν έχει. Στους πίνακες με μία τιμή ανά πρόσωπο ισχύει το πιο πρόσφατο περιστατικό του στην περίοδο. Οι εγγραφές του δείγματος CTDC δεν περιλαμβάνονται. / Each person counts once per row, however many cases they have. Tables with one value per person use the person's most recently opened case in the period. Records of the CTDC sample are left out.",
    })
}

/// Renders the statistics as PDF bytes.
///
/// # Errors
///
/// [`ReportError`] when typst cannot compile or export the document.
pub fn nrm_pdf(report: &NrmStatisticsReport) -> Result<Vec<u8>, ReportError> {
    render(STATISTICS_TEMPLATE, &statistics_inputs(report))
}

/// A label and its value on a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormField {
    pub label: String,
    pub value: String,
}

/// A table on a form: column headings and rows of text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FormTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// One numbered part of a form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FormSection {
    pub heading: String,
    pub fields: Vec<FormField>,
    /// A table under the fields, if the section has one.
    pub table: Option<FormTable>,
    /// Text shown when the section has neither fields nor table rows.
    pub empty: String,
}

/// A filled NRM form: everything printed, already translated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NrmFormDocument {
    /// `el` or `en`, for hyphenation and quotes.
    pub lang: String,
    pub title: String,
    pub subtitle: String,
    /// "Case code: …" and the like, printed under the title.
    pub header: Vec<FormField>,
    pub sections: Vec<FormSection>,
    /// The signature lines at the end (e.g. "Name and signature").
    pub signatures: Vec<String>,
    /// The confidentiality notice in the footer of each page.
    pub footer: String,
}

/// Renders a form, returning the PDF and the text of each page.
///
/// # Errors
///
/// [`ReportError`] when typst cannot compile or export the document.
pub fn nrm_form_pdf(form: &NrmFormDocument) -> Result<Report, ReportError> {
    let inputs = serde_json::to_value(form).map_err(|_| ReportError::InputsNotAnObject)?;
    render_report(FORM_TEMPLATE, &inputs)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use procap_domain::stats::amif::Period;
    use procap_domain::stats::nrm::RawCount;

    use super::*;

    fn statistics() -> NrmStatistics {
        let period = Period::new(
            NaiveDate::from_ymd_opt(2026, 1, 1).expect("day"),
            NaiveDate::from_ymd_opt(2026, 12, 31).expect("day"),
        )
        .expect("period");
        let counts = [
            RawCount {
                dimension: "sex".to_owned(),
                code: "female".to_owned(),
                persons: 2,
            },
            RawCount {
                dimension: "citizenship".to_owned(),
                code: "NG".to_owned(),
                persons: 2,
            },
        ];
        NrmStatistics::assemble(period, 2, 1, &counts).expect("valid")
    }

    fn label(locale: Locale, key: &str) -> String {
        format!("{}:{key}", locale.as_str())
    }

    #[test]
    fn csv_has_totals_then_tables() {
        let report = NrmStatisticsReport::new(&statistics(), "Όλοι οι φορείς".to_owned(), label);
        let text = String::from_utf8(nrm_csv(&report)).expect("UTF-8");
        let lines: Vec<&str> = text.lines().collect();

        assert!(lines[0].starts_with("\u{feff}table,"));
        assert_eq!(
            lines[1],
            "total,Σύνολο,Total,persons,Πρόσωπα,Persons,2026-01-01,2026-12-31,Όλοι οι φορείς,2"
        );
        assert!(
            lines.contains(
                &"citizenship,el:nrm-stats-citizenship,en:nrm-stats-citizenship,NG,Νιγηρία,Nigeria,2026-01-01,2026-12-31,Όλοι οι φορείς,2"
            ),
            "country named from the list: {text}"
        );
    }

    #[test]
    fn statistics_pdf_renders() {
        let report = NrmStatisticsReport::new(&statistics(), "Φορέας".to_owned(), label);
        let pdf = nrm_pdf(&report).expect("renders");
        assert!(pdf.starts_with(b"%PDF"));
    }

    #[test]
    fn form_prints_fields_and_table() {
        let form = NrmFormDocument {
            lang: "el".to_owned(),
            title: "Έντυπο παραπομπής στον ΕΜΑ".to_owned(),
            subtitle: "Procap".to_owned(),
            header: vec![FormField {
                label: "Κωδικός".to_owned(),
                value: "ATH-2026-0001".to_owned(),
            }],
            sections: vec![
                FormSection {
                    heading: "Υπηρεσίες".to_owned(),
                    fields: vec![FormField {
                        label: "Όνομα".to_owned(),
                        value: "#panic() *Δοκιμή*".to_owned(),
                    }],
                    table: Some(FormTable {
                        headers: vec!["Είδος".to_owned(), "Πλήθος".to_owned()],
                        rows: vec![vec!["Διερμηνεία".to_owned(), "3".to_owned()]],
                    }),
                    empty: String::new(),
                },
                FormSection {
                    heading: "Κενό".to_owned(),
                    empty: "Δεν υπάρχουν εγγραφές".to_owned(),
                    ..FormSection::default()
                },
            ],
            signatures: vec!["Υπογραφή".to_owned()],
            footer: "Εμπιστευτικό".to_owned(),
        };
        let report = nrm_form_pdf(&form).expect("renders");
        let text = report.page_text.concat();

        assert!(report.pdf.starts_with(b"%PDF"));
        for expected in [
            "ATH-2026-0001",
            "#panic()",
            "Διερμηνεία",
            "Δεν υπάρχουν εγγραφές",
            "Εμπιστευτικό",
        ] {
            assert!(text.contains(expected), "{expected} missing from {text}");
        }
    }
}
