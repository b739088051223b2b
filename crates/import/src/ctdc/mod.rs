//! Reader for the CTDC Global Victim of Trafficking Dataset in its public
//! k-anonymised CSV form (one row per person, 63 columns, `-99` for missing
//! values). Rows become [`CtdcRecord`]s coded with Procap's vocabulary, and
//! the caller stores them as anonymised historical cases.

mod row;
mod vocabulary;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::io::Read;

use crate::error::{ImportError, MAX_ERRORS};
use row::Row;

/// One CTDC victim record mapped to Procap's vocabulary codes. Multi-valued
/// fields list their codes once each, in the order of the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtdcRecord {
    /// `yearOfRegistration`: the year the person was registered.
    pub registration_year: i32,
    /// Sex code: `female` or `male` (CTDC records no other value).
    pub sex: &'static str,
    /// Age bracket code such as `18_20`, or `None` when CTDC has no age.
    pub age_bracket: Option<&'static str>,
    /// True when `majorityStatus` is `Minor` or the age bracket is under 18.
    pub is_minor: bool,
    /// ISO 3166-1 alpha-2 code, or `None` when CTDC records `00` or `-99`.
    pub citizenship: Option<String>,
    /// Exploitation type codes.
    pub exploitation_types: Vec<&'static str>,
    /// Means-of-control codes.
    pub means_of_control: Vec<&'static str>,
    /// Forced labour industry code, from the first type-of-labour flag set.
    pub forced_labour_industry: Option<&'static str>,
    /// Trafficker relationship code, the first one when CTDC lists several.
    pub trafficker_relationship: Option<&'static str>,
    /// ISO 3166-1 alpha-2 codes of the countries of exploitation. CTDC
    /// records at most one, and the list is empty when it is `00` or `-99`.
    pub countries_exploitation: Vec<String>,
    /// `case_management` (IOM case data) or `hotline` (Polaris hotline data).
    pub data_source: &'static str,
}

/// Parses a CTDC k-anonymised CSV file and maps every row.
///
/// Every row is validated before anything is returned. When any row is
/// invalid, the result contains the errors (at most [`MAX_ERRORS`], in file
/// order) and no records. A header that lacks a column the parser reads
/// yields one error per missing column, on line 1.
pub fn parse_ctdc<R: Read>(reader: R) -> Result<Vec<CtdcRecord>, Vec<ImportError>> {
    parse_ctdc_with_progress(reader, |_| {})
}

/// Same as [`parse_ctdc`], and calls `progress` after each data row with the
/// number of data rows read so far.
pub fn parse_ctdc_with_progress<R: Read>(
    reader: R,
    mut progress: impl FnMut(u64),
) -> Result<Vec<CtdcRecord>, Vec<ImportError>> {
    let mut csv_reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(reader);
    let header = Header::read(&mut csv_reader)?;

    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut fields = csv::ByteRecord::new();
    let mut rows_read: u64 = 0;
    let mut last_line: u64 = 1;
    loop {
        match csv_reader.read_byte_record(&mut fields) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                let line = error.position().map_or(last_line + 1, |p| p.line());
                errors.push(ImportError::new(
                    line,
                    "",
                    format!("failed to read the CSV file: {error}"),
                ));
                break;
            }
        }
        let line = fields.position().map_or(last_line + 1, |p| p.line());
        last_line = line;
        rows_read += 1;

        match Row::new(&fields, &header, line).parse() {
            Ok(record) if errors.is_empty() => records.push(record),
            Ok(_) => {}
            Err(mut row_errors) => errors.append(&mut row_errors),
        }
        progress(rows_read);

        if errors.len() >= MAX_ERRORS {
            errors.truncate(MAX_ERRORS);
            break;
        }
    }

    if errors.is_empty() {
        Ok(records)
    } else {
        Err(errors)
    }
}

/// Positions of the required columns in the file's header.
struct Header {
    positions: HashMap<&'static str, usize>,
    width: usize,
}

impl Header {
    fn read<R: Read>(reader: &mut csv::Reader<R>) -> Result<Self, Vec<ImportError>> {
        let names = match reader.byte_headers() {
            Ok(names) => names.clone(),
            Err(error) => {
                return Err(vec![ImportError::new(
                    1,
                    "",
                    format!("failed to read the CSV header: {error}"),
                )]);
            }
        };
        if names.iter().all(|name| name.trim_ascii().is_empty()) {
            return Err(vec![ImportError::new(
                1,
                "",
                "the file is empty, expected a CTDC CSV file starting with its header line"
                    .to_owned(),
            )]);
        }

        let mut positions = HashMap::new();
        let mut errors = Vec::new();
        for column in vocabulary::required_columns() {
            let mut matches = names
                .iter()
                .enumerate()
                .filter(|(_, name)| name.trim_ascii() == column.as_bytes())
                .map(|(position, _)| position);
            match (matches.next(), matches.next()) {
                (Some(position), None) => {
                    positions.insert(column, position);
                }
                (None, _) => errors.push(ImportError::new(
                    1,
                    column,
                    format!("missing column {column} in the header"),
                )),
                (Some(_), Some(_)) => errors.push(ImportError::new(
                    1,
                    column,
                    format!("column {column} appears more than once in the header"),
                )),
            }
        }

        if errors.is_empty() {
            Ok(Self {
                positions,
                width: names.len(),
            })
        } else {
            Err(errors)
        }
    }
}
