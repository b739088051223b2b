//! Reader for UNODC's GLOTIP country data (Global Report on Trafficking in
//! Persons) as CSV with the workbook's 13 columns, keeping what the context
//! page shows: detected victims per year in total and by form of
//! exploitation, for all sexes and ages.

use std::collections::BTreeMap;
use std::io::Read;

use procap_domain::stats::context::{PublishedCount, UnodcForm};

use crate::error::ImportError;

const DETECTED_VICTIMS: &str = "Detected trafficking victims";
const TOTAL: &str = "Total";
const BY_FORM: &str = "by form of exploitation";
const COLUMNS: [&str; 5] = ["Indicator", "Dimension", "Category", "Sex", "Age"];

/// Detected victims of one country, per year.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DetectedVictims {
    /// The country as the file names it, e.g. `Greece`.
    pub country: String,
    /// All detected victims, per year.
    pub total: BTreeMap<i32, PublishedCount>,
    /// Detected victims per year and form of exploitation. Several rows of
    /// one year and form (UNODC splits "other forms" without naming the
    /// parts) are added up.
    pub by_form: BTreeMap<(i32, UnodcForm), PublishedCount>,
}

impl DetectedVictims {
    /// Every year with a total or a form, oldest first.
    pub fn years(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self
            .total
            .keys()
            .copied()
            .chain(self.by_form.keys().map(|(year, _)| *year))
            .collect();
        years.sort_unstable();
        years.dedup();
        years
    }
}

/// Parses GLOTIP rows of one country and keeps the detected victims of all
/// sexes and ages, in total and by form of exploitation.
///
/// # Errors
///
/// One error per missing column (line 1), per row of another country, and,
/// in the rows kept, per year that is not a number and per count that is
/// neither digits nor `<5`, in file order and at most
/// [`crate::MAX_ERRORS`].
pub fn parse_glotip<R: Read>(reader: R) -> Result<DetectedVictims, Vec<ImportError>> {
    let mut csv_reader = csv::ReaderBuilder::new().from_reader(reader);
    let headers = csv_reader
        .headers()
        .map_err(|error| {
            vec![ImportError::new(
                1,
                "",
                format!("unreadable header: {error}"),
            )]
        })?
        .clone();
    let position = |name: &str| headers.iter().position(|column| column == name);
    let mut errors = Vec::new();
    let mut columns = BTreeMap::new();
    for name in COLUMNS.into_iter().chain(["Country", "Year", "txtVALUE"]) {
        match position(name) {
            Some(index) => {
                columns.insert(name, index);
            }
            None => errors.push(ImportError::new(1, name, "missing column".to_owned())),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut victims = DetectedVictims::default();
    for (index, row) in csv_reader.records().enumerate() {
        let line = u64::try_from(index).unwrap_or(u64::MAX).saturating_add(2);
        let row = match row {
            Ok(row) => row,
            Err(error) => {
                errors.push(ImportError::new(
                    line,
                    "",
                    format!("unreadable row: {error}"),
                ));
                break;
            }
        };
        let field = |name: &str| row.get(columns[name]).unwrap_or("").trim();
        if victims.country.is_empty() {
            victims.country = field("Country").to_owned();
        } else if field("Country") != victims.country {
            errors.push(ImportError::new(
                line,
                "Country",
                format!(
                    "expected only {}, found {}",
                    victims.country,
                    field("Country")
                ),
            ));
            continue;
        }
        let all_people = field("Indicator") == DETECTED_VICTIMS
            && field("Sex") == TOTAL
            && field("Age") == TOTAL;
        let form = match field("Dimension") {
            TOTAL if field("Category") == TOTAL => None,
            BY_FORM => UnodcForm::from_label(field("Category")),
            _ => continue,
        };
        if !all_people || (field("Dimension") == BY_FORM && form.is_none()) {
            continue;
        }
        let Ok(year) = field("Year").parse::<i32>() else {
            errors.push(ImportError::new(
                line,
                "Year",
                format!("{:?} is not a year", field("Year")),
            ));
            continue;
        };
        let Some(count) = PublishedCount::parse(field("txtVALUE")) else {
            errors.push(ImportError::new(
                line,
                "txtVALUE",
                format!("{:?} is neither a count nor <5", field("txtVALUE")),
            ));
            continue;
        };
        match form {
            None => {
                let total = victims.total.entry(year).or_default();
                *total = total.plus(count);
            }
            Some(form) => {
                let sum = victims.by_form.entry((year, form)).or_default();
                *sum = sum.plus(count);
            }
        }
        if errors.len() >= crate::MAX_ERRORS {
            break;
        }
    }
    if errors.is_empty() {
        Ok(victims)
    } else {
        errors.truncate(crate::MAX_ERRORS);
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Iso3_code,Country,Region,Subregion,Indicator,Dimension,Category,Sex,Age,Year,Unit of measurement,txtVALUE,Source";

    fn row(dimension: &str, category: &str, sex: &str, year: &str, value: &str) -> String {
        format!(
            "GRC,Greece,Europe,Southern Europe,Detected trafficking victims,{dimension},{category},{sex},Total,{year},Counts,{value},GLOTIP"
        )
    }

    fn parse(rows: &[String]) -> Result<DetectedVictims, Vec<ImportError>> {
        let text = format!("{HEADER}\n{}\n", rows.join("\n"));
        parse_glotip(text.as_bytes())
    }

    #[test]
    fn totals_and_forms_are_kept() {
        let victims = parse(&[
            row("Total", "Total", "Total", "2019", "154"),
            row("Total", "Total", "Female", "2019", "100"),
            row(
                "by form of exploitation",
                "Forced labour",
                "Total",
                "2019",
                "25",
            ),
            row(
                "by form of exploitation",
                "Other forms of exploitation",
                "Total",
                "2019",
                "45",
            ),
            row(
                "by form of exploitation",
                "Other forms of exploitation",
                "Total",
                "2019",
                "<5",
            ),
            row("by citizenship", "Nigeria", "Total", "2019", "12"),
            row(
                "by form of exploitation",
                "Sexual exploitation",
                "Total",
                "2020",
                "<5",
            ),
        ])
        .unwrap();
        assert_eq!(victims.country, "Greece");
        assert_eq!(victims.total[&2019], PublishedCount::exact(154));
        assert_eq!(victims.total.len(), 1);
        assert_eq!(
            victims.by_form[&(2019, UnodcForm::ForcedLabour)],
            PublishedCount::exact(25)
        );
        assert_eq!(
            victims.by_form[&(2019, UnodcForm::OtherForms)],
            PublishedCount { low: 46, high: 49 }
        );
        assert!(victims.by_form[&(2020, UnodcForm::SexualExploitation)].is_suppressed());
        assert_eq!(victims.years(), [2019, 2020]);
    }

    #[test]
    fn bad_cells_are_reported_by_line() {
        let errors = parse(&[
            row("Total", "Total", "Total", "2019", "lots"),
            row("Total", "Total", "Total", "year", "5"),
            row("Total", "Total", "Total", "2020", "5").replace("Greece", "Cyprus"),
        ])
        .unwrap_err();
        let lines: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(lines, [(2, "txtVALUE"), (3, "Year"), (4, "Country")]);
    }

    #[test]
    fn missing_column_is_named() {
        let errors = parse_glotip("Country,Year\nGreece,2020\n".as_bytes()).unwrap_err();
        assert!(errors.iter().any(|e| e.column == "txtVALUE"), "{errors:?}");
    }
}
