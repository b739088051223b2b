//! The AMIF indicators of one period as a PDF: a table of the indicators
//! with their Greek and English names and values, laid out by
//! `templates/amif.typ`.

use procap_domain::stats::amif::{
    self, AmifFigures, SKILLS_IN_USE, TRAINEES, TRAINEES_COMPLETED, TRAINING_USEFUL,
    TrainingFigures,
};
use procap_domain::training::evaluation::Share;
use serde_json::json;

use crate::tabular::{self, Cell, Sheet, TabularError};
use crate::{ReportError, render};

const TEMPLATE: &str = include_str!("../templates/amif.typ");

/// The value of one indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmifValue {
    /// A number of distinct people.
    Count(u64),
    /// A share: people counted out of people asked.
    Share { numerator: u64, denominator: u64 },
}

impl AmifValue {
    /// Returns the share in percent, or `None` for a count or an empty
    /// denominator.
    pub fn percent(self) -> Option<f64> {
        match self {
            AmifValue::Share {
                numerator,
                denominator,
            } if denominator > 0 => Some(numerator as f64 * 100.0 / denominator as f64),
            _ => None,
        }
    }

    /// Formats the value for the PDF: the count, or the percentage with its
    /// numerator and denominator (Greek decimal comma), or a dash when the
    /// denominator is zero.
    pub fn display(self) -> String {
        match self {
            AmifValue::Count(count) => count.to_string(),
            AmifValue::Share {
                numerator,
                denominator,
            } => match self.percent() {
                Some(percent) => format!(
                    "{} % ({numerator}/{denominator})",
                    format!("{percent:.1}").replace('.', ",")
                ),
                None => "—".to_owned(),
            },
        }
    }
}

/// One indicator row of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmifRow {
    /// The indicator's stable code, e.g. `participants_supported`.
    pub code: String,
    pub name_el: String,
    pub name_en: String,
    pub value: AmifValue,
}

/// What the report shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmifReport {
    /// First and last day, as YYYY-MM-DD.
    pub from: String,
    pub to: String,
    /// The organisation's name, or the words for "all organisations".
    pub scope: String,
    pub rows: Vec<AmifRow>,
}

impl AmifReport {
    /// Builds the report of `figures` and `training` for `scope`: the
    /// indicators on participants, then those on training, each with the
    /// names of its definition in both languages.
    pub fn new(figures: &AmifFigures, training: &TrainingFigures, scope: String) -> AmifReport {
        let mut rows: Vec<AmifRow> = amif::definitions()
            .iter()
            .map(|definition| AmifRow {
                code: definition.code.to_owned(),
                name_el: definition.name_el.to_owned(),
                name_en: definition.name_en.to_owned(),
                value: AmifValue::Count(figures.get(definition.id)),
            })
            .collect();
        let share = |share: Share| AmifValue::Share {
            numerator: share.numerator as u64,
            denominator: share.denominator as u64,
        };
        for definition in amif::training_definitions() {
            let value = match definition.code {
                TRAINEES => AmifValue::Count(training.trainees),
                TRAINEES_COMPLETED => AmifValue::Count(training.completed),
                TRAINING_USEFUL => share(training.useful),
                SKILLS_IN_USE => share(training.still_using),
                _ => continue,
            };
            rows.push(AmifRow {
                code: definition.code.to_owned(),
                name_el: definition.name_el.to_owned(),
                name_en: definition.name_en.to_owned(),
                value,
            });
        }
        AmifReport {
            from: figures.period.from().to_string(),
            to: figures.period.to().to_string(),
            scope,
            rows,
        }
    }
}

/// Lays the report out as one table: a header, then one row per indicator
/// with the period, the scope, the value and, for shares, the numerator and
/// denominator.
pub fn amif_sheet(report: &AmifReport) -> Sheet {
    let header = [
        "code",
        "Δείκτης",
        "Indicator",
        "from",
        "to",
        "organisation",
        "value",
        "numerator",
        "denominator",
    ];
    let mut rows = vec![header.iter().map(|&text| Cell::from(text)).collect()];
    for row in &report.rows {
        let (value, numerator, denominator) = match row.value {
            AmifValue::Count(count) => (Cell::Count(count), Cell::from(""), Cell::from("")),
            AmifValue::Share {
                numerator,
                denominator,
            } => (
                Cell::Text(
                    row.value
                        .percent()
                        .map_or_else(String::new, |percent| format!("{percent:.1}")),
                ),
                Cell::Count(numerator),
                Cell::Count(denominator),
            ),
        };
        rows.push(vec![
            Cell::from(row.code.as_str()),
            Cell::from(row.name_el.as_str()),
            Cell::from(row.name_en.as_str()),
            Cell::from(report.from.as_str()),
            Cell::from(report.to.as_str()),
            Cell::from(report.scope.as_str()),
            value,
            numerator,
            denominator,
        ]);
    }
    Sheet {
        name: "AMIF".to_owned(),
        rows,
    }
}

/// Writes the report as CSV (UTF-8 with a byte-order mark).
pub fn amif_csv(report: &AmifReport) -> Vec<u8> {
    tabular::csv(&amif_sheet(report).rows)
}

/// Writes the report as an XLSX workbook.
///
/// # Errors
///
/// [`TabularError`] when the workbook cannot be built.
pub fn amif_xlsx(report: &AmifReport) -> Result<Vec<u8>, TabularError> {
    tabular::xlsx(&[amif_sheet(report)])
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
                "value": row.value.display(),
            })
        })
        .collect();
    let inputs = json!({
        "title": "Δείκτες AMIF / AMIF indicators",
        "subtitle": "Συμμετέχοντες που υποστηρίχθηκαν και κατάρτιση / Participants supported and training",
        "period_label": "Περίοδος / Period",
        "period": format!("{} – {}", report.from, report.to),
        "scope_label": "Φορέας / Organisation",
        "scope": report.scope,
        "code_heading": "Κωδικός / Code",
        "name_el_heading": "Δείκτης",
        "name_en_heading": "Indicator",
        "value_heading": "Τιμή / Value",
        "rows": rows,
        "note": "Κάθε πρόσωπο μετράται μία φορά, όσες υπηρεσίες κι αν έλαβε. Τα ποσοστά δίνονται με αριθμητή και παρονομαστή. / Each person counts once, however many services they received. Shares are given with numerator and denominator.",
    });
    render(TEMPLATE, &inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> AmifReport {
        AmifReport {
            from: "2026-01-01".to_owned(),
            to: "2026-12-31".to_owned(),
            scope: "Όλοι οι φορείς / All organisations".to_owned(),
            rows: vec![
                AmifRow {
                    code: "participants_supported".to_owned(),
                    name_el: "Συμμετέχοντες που υποστηρίχθηκαν".to_owned(),
                    name_en: "Participants supported".to_owned(),
                    value: AmifValue::Count(12),
                },
                AmifRow {
                    code: "training_useful".to_owned(),
                    name_el: "Ποσοστό που βρήκε την κατάρτιση χρήσιμη".to_owned(),
                    name_en: "Share who found the training useful".to_owned(),
                    value: AmifValue::Share {
                        numerator: 5,
                        denominator: 8,
                    },
                },
            ],
        }
    }

    #[test]
    fn every_definition_has_a_row() {
        let period = amif::Period::new(
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("day"),
            chrono::NaiveDate::from_ymd_opt(2026, 12, 31).expect("day"),
        )
        .expect("period");
        let figures = amif::compute::<u32>(period, &[], &[]);
        let report = AmifReport::new(&figures, &TrainingFigures::default(), String::new());
        let expected = amif::definitions().len() + amif::training_definitions().len();
        assert_eq!(report.rows.len(), expected);
    }

    #[test]
    fn renders_a_pdf() {
        let pdf = amif_pdf(&report()).expect("renders");
        assert!(pdf.starts_with(b"%PDF"));
    }

    #[test]
    fn shares_show_percent_numerator_and_denominator() {
        let share = AmifValue::Share {
            numerator: 5,
            denominator: 8,
        };
        assert_eq!(share.display(), "62,5 % (5/8)");
    }

    #[test]
    fn share_of_zero_is_a_dash() {
        let share = AmifValue::Share {
            numerator: 0,
            denominator: 0,
        };
        assert_eq!(share.display(), "—");
    }

    #[test]
    fn csv_row_has_period_and_share() {
        let text = String::from_utf8(amif_csv(&report())).expect("UTF-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[2],
            "training_useful,Ποσοστό που βρήκε την κατάρτιση χρήσιμη,Share who found the training useful,2026-01-01,2026-12-31,Όλοι οι φορείς / All organisations,62.5,5,8"
        );
    }
}
