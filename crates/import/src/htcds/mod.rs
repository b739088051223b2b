//! Reader for case files in the Human Trafficking Case Data Standard
//! (HTCDS 2.0) layout: a CSV file with one row per victim and case and
//! HTCDS field names (`prs_…`, `vic_…`, `cas_…`, `hte_…`) as the header.
//!
//! Procap reads the person's names, birth date, gender, citizenships,
//! languages, identity number and contact details; the victim context
//! (trafficking status, exploitation, means of control, industry,
//! relationship to the trafficker, recruitment); the case status and the
//! incoming referral; and one trafficking event's country. A few `procap_…`
//! columns carry what HTCDS does not hold (region, setting, legal status,
//! referral source, closure date and reason). Other HTCDS fields are
//! accepted and not kept; columns without an HTCDS or Procap prefix are
//! ignored; a prefixed column that is not a known field is an error, so a
//! misspelt field is not silently dropped.
//!
//! Multi-valued cells separate values with `;`, `,` or spaces. Dates are
//! `YYYY-MM-DD`. Every row is checked before anything is returned.

mod archive;
mod fields;
pub mod names;
mod problem;
mod row;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::io::Read;

use chrono::NaiveDate;
use procap_domain::case::vocab::CodeSet;
use procap_domain::case::vocab::{
    AgeBracket, ClosureReason, ExploitationType, ForcedLabourIndustry, LegalStatus, MeansOfControl,
    NrmStatus, RecruitmentMethod, ReferralSource, Region, Setting, Sex, TraffickerRelationship,
};

pub use archive::{parse_htcds_archive, parse_htcds_archive_with_progress};
pub use fields::{AGE_BRACKET, CASE_CODE, CONTACT, htcds_field_names};
pub use problem::{HtcdsError, MessageArg, Problem};

/// Maximum number of errors one parse returns. Checking stops once this
/// many have been found, so later rows may hold more.
pub const MAX_HTCDS_ERRORS: usize = 200;

/// One HTCDS row mapped to Procap's person and case. It contains personal
/// data in clear, so its `Debug` output is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct HtcdsRecord {
    /// The line the row starts on.
    pub line: u64,
    /// `prs_FirstName`, followed by `prs_MiddleName` when present.
    pub given_name: String,
    pub family_name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    /// `prs_IdentityNumber`, when present.
    pub document_numbers: Vec<String>,
    /// E-mail, phones and mailing address, one per line.
    pub contact: Option<String>,
    pub sex: Sex,
    /// The HTCDS gender value for transgender and non-conforming persons.
    pub gender_identity: Option<String>,
    /// Stored form of the citizenships (`;`-joined ISO 3166 codes).
    pub citizenships: String,
    /// Stored form of the languages (`;`-joined codes).
    pub languages: String,
    pub legal_status: LegalStatus,
    /// Age bracket on the referral date, from the birth date.
    pub age_bracket: Option<AgeBracket>,
    pub is_minor: bool,
    pub region: Region,
    pub setting: Setting,
    pub exploitation_types: CodeSet<ExploitationType>,
    pub means_of_control: CodeSet<MeansOfControl>,
    pub forced_labour_industry: Option<ForcedLabourIndustry>,
    pub recruitment_method: Option<RecruitmentMethod>,
    pub trafficker_relationship: Option<TraffickerRelationship>,
    /// Stored forms of the country lists, from `hte_Country` by `hte_Type`.
    pub countries_recruitment: String,
    pub countries_transit: String,
    pub countries_exploitation: String,
    pub nrm_status: NrmStatus,
    pub referral_source: ReferralSource,
    /// `cas_IncomingReferralDate`; the case counts as opened on it.
    pub referred_on: NaiveDate,
    /// Referring organisation and case worker, one per line.
    pub referring_contact: Option<String>,
    /// `cas_IncomingReferralDetails`.
    pub referral_details: Option<String>,
    /// `Some` for a closed case: its closure date and reason.
    pub closure: Option<(NaiveDate, ClosureReason)>,
}

impl std::fmt::Debug for HtcdsRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HtcdsRecord(line {}, <redacted>)", self.line)
    }
}

/// Parses an HTCDS CSV file and maps every row. `today` bounds birth and
/// referral dates.
///
/// # Errors
///
/// When any row or the header is invalid: the errors (at most
/// [`MAX_HTCDS_ERRORS`], in file order) and no records.
pub fn parse_htcds<R: Read>(
    reader: R,
    today: NaiveDate,
) -> Result<Vec<HtcdsRecord>, Vec<HtcdsError>> {
    parse_htcds_with_progress(reader, today, |_| {})
}

/// Parses either layout Procap reads: an HTCDS archive (a zip of entity
/// files, recognised by its first bytes) or a single CSV file.
///
/// # Errors
///
/// As [`parse_htcds`] and [`parse_htcds_archive`].
pub fn parse_htcds_bytes(
    bytes: &[u8],
    today: NaiveDate,
) -> Result<Vec<HtcdsRecord>, Vec<HtcdsError>> {
    if bytes.starts_with(b"PK\x03\x04") {
        parse_htcds_archive(bytes, today)
    } else {
        parse_htcds(bytes, today)
    }
}

/// Same as [`parse_htcds`], and calls `progress` after each data row with
/// the number of rows read so far.
pub fn parse_htcds_with_progress<R: Read>(
    reader: R,
    today: NaiveDate,
    mut progress: impl FnMut(u64),
) -> Result<Vec<HtcdsRecord>, Vec<HtcdsError>> {
    let mut csv_reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(reader);
    let names = match csv_reader.headers() {
        Ok(names) => names.clone(),
        Err(_) => return Err(vec![HtcdsError::new(1, "", Problem::Unreadable)]),
    };
    let rows = csv_reader
        .into_records()
        .map(|row| row.map_err(|error| error.position().map(csv::Position::line)));
    parse_rows(&names, rows, today, &mut progress)
}

/// Checks and maps the data rows under `names`. A row that could not be
/// read ends the parse with an error at its line (`None` when unknown).
fn parse_rows(
    names: &csv::StringRecord,
    rows: impl Iterator<Item = Result<csv::StringRecord, Option<u64>>>,
    today: NaiveDate,
    progress: &mut impl FnMut(u64),
) -> Result<Vec<HtcdsRecord>, Vec<HtcdsError>> {
    let header = Header::read(names)?;

    let mut records = Vec::new();
    let mut errors = Vec::new();
    let mut rows_read: u64 = 0;
    let mut last_line: u64 = 1;
    for row in rows {
        let fields = match row {
            Ok(fields) => fields,
            Err(line) => {
                let line = line.unwrap_or(last_line + 1);
                errors.push(HtcdsError::new(line, "", Problem::Unreadable));
                break;
            }
        };
        let line = fields.position().map_or(last_line + 1, |p| p.line());
        last_line = line;
        if fields.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        rows_read += 1;

        match row::Row::new(&fields, &header, line, today).parse() {
            Ok(record) if errors.is_empty() => records.push(record),
            Ok(_) => {}
            Err(mut row_errors) => errors.append(&mut row_errors),
        }
        progress(rows_read);

        if errors.len() >= MAX_HTCDS_ERRORS {
            errors.truncate(MAX_HTCDS_ERRORS);
            break;
        }
    }

    if errors.is_empty() && records.is_empty() {
        errors.push(HtcdsError::new(1, "", Problem::NoRows));
    }
    if errors.is_empty() {
        Ok(records)
    } else {
        Err(errors)
    }
}

/// Positions of the columns Procap reads, by standard name, with the name
/// the file itself uses (for error messages).
struct Header {
    positions: HashMap<&'static str, (usize, String)>,
    width: usize,
}

impl Header {
    fn read(names: &csv::StringRecord) -> Result<Self, Vec<HtcdsError>> {
        if names.iter().all(|name| name.trim().is_empty()) {
            return Err(vec![HtcdsError::new(1, "", Problem::EmptyFile)]);
        }

        let mut errors = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (position, raw) in names.iter().enumerate() {
            let raw = raw.trim().trim_start_matches('\u{feff}');
            if raw.is_empty() {
                continue;
            }
            match fields::standard_name(raw) {
                None => errors.push(HtcdsError::new(1, raw, Problem::UnknownField)),
                Some(standard) => {
                    if seen.insert(standard.to_owned(), position).is_some() {
                        errors.push(HtcdsError::new(1, raw, Problem::DuplicateColumn));
                    }
                }
            }
        }
        for column in fields::REQUIRED_COLUMNS {
            if !seen.contains_key(column) {
                errors.push(HtcdsError::new(1, column, Problem::MissingColumn));
            }
        }
        if !errors.is_empty() {
            // A header of unknown names gives one error per column: cap it
            // like the row errors, so a wide file cannot flood the page.
            errors.truncate(MAX_HTCDS_ERRORS);
            return Err(errors);
        }

        let mut positions = HashMap::new();
        for column in row::READ_COLUMNS {
            if let Some(&position) = seen.get(column) {
                let raw = names.get(position).unwrap_or(column).trim();
                let raw = raw.trim_start_matches('\u{feff}').to_owned();
                positions.insert(column, (position, raw));
            }
        }
        Ok(Self {
            positions,
            width: names.len(),
        })
    }
}
