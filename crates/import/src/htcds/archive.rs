//! Reader for an HTCDS archive: a zip of one CSV file per HTCDS entity,
//! as `procap export htcds` writes it (see [`super::names`]). Each file
//! carries the case code (`procap_CaseCode`) that links its rows to the
//! case file. The rows of one case are joined into one row of the single
//! file layout, with the event rows' types and countries paired in order,
//! and checked by the same rules. Errors name the line of the case file.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use chrono::NaiveDate;

use super::fields::{CASE_CODE, EVENT_COUNTRY, EVENT_TYPE};
use super::names::{CASES_FILE, EVENTS_FILE, PERSONS_FILE, VICTIMS_FILE};
use super::{HtcdsError, HtcdsRecord, Problem, parse_rows};

/// Largest entity file read from an archive, uncompressed.
const MAX_ENTRY_BYTES: u64 = 256 * 1024 * 1024;

/// One entity file: its header and its rows with their start lines.
struct EntityFile {
    name: &'static str,
    header: Vec<String>,
    rows: Vec<(u64, csv::StringRecord)>,
    code_position: usize,
}

impl EntityFile {
    fn read(name: &'static str, text: &str) -> Result<Self, Vec<HtcdsError>> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(text.as_bytes());
        let header: Vec<String> = match reader.headers() {
            Ok(names) => names
                .iter()
                .map(|name| name.trim().trim_start_matches('\u{feff}').to_owned())
                .collect(),
            Err(_) => return Err(vec![HtcdsError::new(1, name, Problem::Unreadable)]),
        };
        let Some(code_position) = header.iter().position(|column| column == CASE_CODE) else {
            let column = format!("{name}: {CASE_CODE}");
            return Err(vec![HtcdsError::new(1, &column, Problem::MissingColumn)]);
        };
        let mut rows = Vec::new();
        for row in reader.into_records() {
            match row {
                Ok(row) => {
                    if row.iter().all(|cell| cell.trim().is_empty()) {
                        continue;
                    }
                    let line = row.position().map_or(0, csv::Position::line);
                    rows.push((line, row));
                }
                Err(error) => {
                    let line = error.position().map_or(0, csv::Position::line);
                    return Err(vec![HtcdsError::new(line, name, Problem::Unreadable)]);
                }
            }
        }
        Ok(Self {
            name,
            header,
            rows,
            code_position,
        })
    }

    fn code<'r>(&self, row: &'r csv::StringRecord) -> &'r str {
        row.get(self.code_position).map_or("", str::trim)
    }

    /// The rows by case code, each code's first row; a code missing from
    /// `known` is an error.
    fn by_code(
        &self,
        known: &HashMap<String, usize>,
        errors: &mut Vec<HtcdsError>,
    ) -> HashMap<String, usize> {
        let mut found = HashMap::new();
        for (index, (line, row)) in self.rows.iter().enumerate() {
            let code = self.code(row);
            if !known.contains_key(code) {
                let problem = Problem::UnknownCaseCode {
                    value: code.to_owned(),
                };
                let column = format!("{}: {CASE_CODE}", self.name);
                errors.push(HtcdsError::new(*line, &column, problem));
                continue;
            }
            found.entry(code.to_owned()).or_insert(index);
        }
        found
    }

    /// The columns other than the case code, with their positions.
    fn data_columns(&self) -> Vec<(usize, &str)> {
        self.header
            .iter()
            .enumerate()
            .filter(|(position, name)| *position != self.code_position && !name.is_empty())
            .map(|(position, name)| (position, name.as_str()))
            .collect()
    }
}

fn read_entry(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &'static str,
) -> Result<Option<String>, Vec<HtcdsError>> {
    let entry = match archive.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(_) => return Err(vec![HtcdsError::new(0, name, Problem::Unreadable)]),
    };
    let mut text = String::new();
    entry
        .take(MAX_ENTRY_BYTES)
        .read_to_string(&mut text)
        .map_err(|_| vec![HtcdsError::new(0, name, Problem::Unreadable)])?;
    Ok(Some(text))
}

/// Parses an HTCDS archive (zip bytes) and maps every case. The case and
/// person files are required; victim and event files are optional.
///
/// # Errors
///
/// When the archive cannot be read, lacks a file, links a row to an
/// unknown case code, or any joined row is invalid: the errors, and no
/// records.
pub fn parse_htcds_archive(
    bytes: &[u8],
    today: NaiveDate,
) -> Result<Vec<HtcdsRecord>, Vec<HtcdsError>> {
    parse_htcds_archive_with_progress(bytes, today, |_| {})
}

/// Same as [`parse_htcds_archive`], calling `progress` after each case.
pub fn parse_htcds_archive_with_progress(
    bytes: &[u8],
    today: NaiveDate,
    mut progress: impl FnMut(u64),
) -> Result<Vec<HtcdsRecord>, Vec<HtcdsError>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| vec![HtcdsError::new(0, "", Problem::Unreadable)])?;
    let mut load = |name: &'static str, required: bool| -> Result<_, Vec<HtcdsError>> {
        match read_entry(&mut archive, name)? {
            Some(text) => EntityFile::read(name, &text).map(Some),
            None if required => Err(vec![HtcdsError::new(0, name, Problem::MissingFile)]),
            None => Ok(None),
        }
    };
    let cases = load(CASES_FILE, true)?.ok_or_else(Vec::new)?;
    let persons = load(PERSONS_FILE, true)?.ok_or_else(Vec::new)?;
    let victims = load(VICTIMS_FILE, false)?;
    let events = load(EVENTS_FILE, false)?;

    let mut errors = Vec::new();
    let mut case_index: HashMap<String, usize> = HashMap::new();
    for (index, (line, row)) in cases.rows.iter().enumerate() {
        let code = cases.code(row);
        if code.is_empty() {
            let column = format!("{CASES_FILE}: {CASE_CODE}");
            errors.push(HtcdsError::new(*line, &column, Problem::Required));
        } else if case_index.insert(code.to_owned(), index).is_some() {
            let problem = Problem::UnknownCaseCode {
                value: code.to_owned(),
            };
            let column = format!("{CASES_FILE}: {CASE_CODE}");
            errors.push(HtcdsError::new(*line, &column, problem));
        }
    }
    let person_rows = persons.by_code(&case_index, &mut errors);
    let victim_rows = victims
        .as_ref()
        .map(|file| file.by_code(&case_index, &mut errors))
        .unwrap_or_default();
    // Each case's event types and countries, in file order.
    let mut case_events: HashMap<String, (Vec<String>, Vec<String>)> = HashMap::new();
    if let Some(file) = &events {
        let kind = file.header.iter().position(|name| name == EVENT_TYPE);
        let country = file.header.iter().position(|name| name == EVENT_COUNTRY);
        let _ = file.by_code(&case_index, &mut errors);
        for (_, row) in &file.rows {
            let cell = |position: Option<usize>| {
                position
                    .and_then(|position| row.get(position))
                    .map_or_else(String::new, |value| value.trim().to_owned())
            };
            let (kind, country) = (cell(kind), cell(country));
            if country.is_empty() {
                continue;
            }
            let entry = case_events.entry(file.code(row).to_owned()).or_default();
            entry.0.push(if kind.is_empty() {
                "Exploitation".to_owned()
            } else {
                kind
            });
            entry.1.push(country);
        }
    }
    if !errors.is_empty() {
        errors.truncate(super::MAX_HTCDS_ERRORS);
        return Err(errors);
    }

    // The joined header: the case code, then each file's other columns.
    let mut names = csv::StringRecord::new();
    names.push_field(CASE_CODE);
    let no_index = HashMap::new();
    let parts: Vec<(&EntityFile, &HashMap<String, usize>)> = [
        Some((&cases, &no_index)),
        Some((&persons, &person_rows)),
        victims.as_ref().map(|file| (file, &victim_rows)),
    ]
    .into_iter()
    .flatten()
    .collect();
    for (file, _) in &parts {
        for (_, name) in file.data_columns() {
            names.push_field(name);
        }
    }
    if events.is_some() {
        names.push_field(EVENT_TYPE);
        names.push_field(EVENT_COUNTRY);
    }

    let joined = cases.rows.iter().map(|(line, case_row)| {
        let code = cases.code(case_row);
        let mut row = csv::StringRecord::new();
        row.push_field(code);
        for (file, index) in &parts {
            let source = if std::ptr::eq(*file, &cases) {
                Some(case_row)
            } else {
                index.get(code).map(|&i| &file.rows[i].1)
            };
            for (position, _) in file.data_columns() {
                row.push_field(source.and_then(|r| r.get(position)).unwrap_or(""));
            }
        }
        if events.is_some() {
            let (kinds, countries) = case_events.get(code).cloned().unwrap_or_default();
            row.push_field(&kinds.join(";"));
            row.push_field(&countries.join(";"));
        }
        let mut position = csv::Position::new();
        position.set_line(*line);
        row.set_position(Some(position));
        Ok(row)
    });
    parse_rows(&names, joined, today, &mut progress)
}
