//! HTCDS 2.0 export: a zip of one CSV file per HTCDS entity (organisations,
//! persons, victim context, cases with their intake referral, historic
//! trafficking events), linked by the case code in `procap_CaseCode`.
//! `procap import htcds` reads the archive back.
//!
//! Without identifiers a person row holds the case code and the plain
//! attributes only (gender, citizenship, languages, age bracket, legal
//! status): no names, birth date or contact details, and the case rows
//! carry no referring contact or referral text. Cells go through
//! [`crate::tabular`], so none reads as a spreadsheet formula.

use std::io::Write;

use procap_domain::case::vocab::{
    ClosureReason, CodeSet, ExploitationType, ForcedLabourIndustry, MeansOfControl, NrmStatus,
    RecruitmentMethod, Sex, TraffickerRelationship, Vocabulary,
};
use procap_import::htcds::names::{self, field};
use procap_import::htcds::{AGE_BRACKET, CASE_CODE, CONTACT};
use procap_store::htcds_export::ExportedCase;

use crate::tabular::{Cell, csv};

/// Why an archive could not be written.
#[derive(Debug, thiserror::Error)]
pub enum HtcdsExportError {
    #[error("the archive could not be written: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("the archive could not be written: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Seal(#[from] crate::sealed::SealError),
}

/// One file of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtcdsFile {
    pub name: &'static str,
    /// CSV bytes (UTF-8 with a byte-order mark).
    pub bytes: Vec<u8>,
    /// Data rows, without the header.
    pub rows: usize,
}

fn row(cells: Vec<String>) -> Vec<Cell> {
    cells.into_iter().map(Cell::Text).collect()
}

fn header(names: &[&str]) -> Vec<Cell> {
    names
        .iter()
        .map(|name| Cell::Text((*name).to_owned()))
        .collect()
}

fn file(name: &'static str, rows: Vec<Vec<Cell>>) -> HtcdsFile {
    HtcdsFile {
        name,
        rows: rows.len().saturating_sub(1),
        bytes: csv(&rows),
    }
}

/// The HTCDS values of a stored multi-valued code list, `;`-joined.
fn values<T: Vocabulary>(stored: &str, name: fn(T) -> &'static str) -> String {
    let set: CodeSet<T> = CodeSet::parse_list(stored).unwrap_or_default();
    let mut out: Vec<&str> = set.iter().map(name).collect();
    out.dedup();
    out.join(";")
}

fn optional<T: Vocabulary>(stored: Option<&str>, name: fn(T) -> Option<&'static str>) -> String {
    stored
        .and_then(T::parse)
        .and_then(name)
        .unwrap_or_default()
        .to_owned()
}

/// Languages without their dialects: the first as the primary language,
/// the others `;`-joined as secondary.
fn languages(stored: &str) -> (String, String) {
    let codes: Vec<&str> = stored
        .split(';')
        .map(|item| item.split(':').next().unwrap_or("").trim())
        .filter(|code| !code.is_empty())
        .collect();
    match codes.split_first() {
        Some((first, rest)) => ((*first).to_owned(), rest.join(";")),
        None => (String::new(), String::new()),
    }
}

fn organisation_type(kind: &str) -> &'static str {
    match kind {
        "ngo" => "NGO",
        "national_centre" => "CentralGovernmentOrganisation",
        _ => "",
    }
}

/// Writes the entity files for `cases`. `organisations` are the names and
/// kinds of the organisations the cases belong to.
pub fn htcds_files(
    cases: &[ExportedCase],
    organisations: &[(String, String)],
    with_identifiers: bool,
) -> Vec<HtcdsFile> {
    let mut org_rows = vec![header(&[field::ORGANISATION_NAME, "org_Type"])];
    for (name, kind) in organisations {
        org_rows.push(row(vec![name.clone(), organisation_type(kind).to_owned()]));
    }

    let mut person_header = vec![CASE_CODE];
    if with_identifiers {
        person_header.extend([
            field::FIRST_NAME,
            field::SECOND_NAME,
            field::BIRTHDATE,
            CONTACT,
        ]);
    }
    person_header.extend([
        field::GENDER,
        field::CITIZENSHIP,
        field::PRIMARY_LANGUAGE,
        field::SECONDARY_LANGUAGE,
        AGE_BRACKET,
        field::LEGAL_STATUS,
    ]);
    let mut person_rows = vec![header(&person_header)];

    let mut victim_rows = vec![header(&[
        CASE_CODE,
        field::TRAFFICKING_STATUS,
        field::TYPE_OF_EXPLOITATION,
        field::METHODS_OF_CONTROL,
        field::FORCED_LABOUR_INDUSTRY,
        field::RELATIONSHIP_TO_TRAFFICKER,
        field::METHOD_OF_RECRUITMENT,
    ])];

    let mut case_header = vec![CASE_CODE, field::CASE_STATUS, field::REFERRAL_DATE];
    if with_identifiers {
        case_header.extend([
            field::REFERRING_ORGANISATION,
            field::REFERRING_CASE_WORKER,
            field::REFERRAL_DETAILS,
        ]);
    }
    case_header.extend([
        field::REGION,
        field::SETTING,
        field::REFERRAL_SOURCE,
        field::CLOSED_ON,
        field::CLOSURE_REASON,
    ]);
    let mut case_rows = vec![header(&case_header)];

    let mut event_rows = vec![header(&[
        CASE_CODE,
        field::EVENT_TYPE,
        field::EVENT_COUNTRY,
    ])];

    for exported in cases {
        let case = &exported.case;
        let code = case.code.clone();
        let identifiers = exported.identifiers.as_ref().filter(|_| with_identifiers);

        let mut person = vec![code.clone()];
        if with_identifiers {
            let empty = Default::default();
            let ids = identifiers.unwrap_or(&empty);
            person.extend([
                ids.given_name.clone(),
                ids.family_name.clone().unwrap_or_default(),
                ids.birth_date.map(|d| d.to_string()).unwrap_or_default(),
                ids.contact.clone().unwrap_or_default(),
            ]);
        }
        let sex = Sex::parse(&case.sex).unwrap_or(Sex::Unknown);
        let (primary, secondary) = languages(&exported.languages);
        person.extend([
            names::gender(sex, exported.gender_identity.as_deref()).to_owned(),
            exported.citizenships.clone(),
            primary,
            secondary,
            case.age_bracket.clone().unwrap_or_default(),
            exported.legal_status.clone(),
        ]);
        person_rows.push(row(person));

        victim_rows.push(row(vec![
            code.clone(),
            NrmStatus::parse(&case.nrm_status)
                .and_then(names::trafficking_status)
                .unwrap_or_default()
                .to_owned(),
            values::<ExploitationType>(&case.exploitation_types, names::exploitation),
            values::<MeansOfControl>(&case.means_of_control, names::control),
            case.forced_labour_industry
                .as_deref()
                .and_then(ForcedLabourIndustry::parse)
                .map(names::industry)
                .unwrap_or_default()
                .to_owned(),
            optional::<TraffickerRelationship>(
                case.trafficker_relationship.as_deref(),
                names::relationship,
            ),
            optional::<RecruitmentMethod>(case.recruitment_method.as_deref(), names::recruitment),
        ]));

        let closed = case.status == "closed";
        let reason = case
            .closure_reason
            .as_deref()
            .and_then(ClosureReason::parse);
        let mut case_row = vec![
            code.clone(),
            names::case_status(reason, closed).to_owned(),
            exported.referred_on.unwrap_or(case.opened_on).to_string(),
        ];
        if with_identifiers {
            let contact = identifiers
                .and_then(|ids| ids.referring_contact.clone())
                .unwrap_or_default();
            let mut lines = contact.lines().map(str::trim).filter(|l| !l.is_empty());
            let organisation = lines.next().unwrap_or_default().to_owned();
            let worker = lines.collect::<Vec<_>>().join(" ");
            case_row.extend([
                organisation,
                worker,
                identifiers
                    .and_then(|ids| ids.referral_reason.clone())
                    .unwrap_or_default(),
            ]);
        }
        case_row.extend([
            case.region.clone(),
            case.setting.clone(),
            exported.referral_source.clone().unwrap_or_default(),
            if closed {
                case.closed_on.map(|d| d.to_string()).unwrap_or_default()
            } else {
                String::new()
            },
            if closed {
                case.closure_reason.clone().unwrap_or_default()
            } else {
                String::new()
            },
        ]);
        case_rows.push(row(case_row));

        let lists = [
            &case.countries_recruitment,
            &case.countries_transit,
            &case.countries_exploitation,
        ];
        for (kind, list) in names::EVENT_TYPES.iter().zip(lists) {
            for country in list.split(';').filter(|c| !c.is_empty()) {
                event_rows.push(row(vec![
                    code.clone(),
                    (*kind).to_owned(),
                    country.to_owned(),
                ]));
            }
        }
    }

    vec![
        file(names::ORGANISATIONS_FILE, org_rows),
        file(names::PERSONS_FILE, person_rows),
        file(names::VICTIMS_FILE, victim_rows),
        file(names::CASES_FILE, case_rows),
        file(names::EVENTS_FILE, event_rows),
    ]
}

/// Packs `files` into a zip archive.
///
/// # Errors
///
/// [`HtcdsExportError`] when the archive cannot be written.
pub fn zip_files(files: &[HtcdsFile]) -> Result<Vec<u8>, HtcdsExportError> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for file in files {
        writer.start_file(file.name, options)?;
        writer.write_all(&file.bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}

/// The rows written per file, as `(file name, rows)`, for the audit log.
pub type RowCounts = Vec<(&'static str, usize)>;

/// The sealed archive of `cases` for `recipients`, and its files' names
/// and row counts.
///
/// # Errors
///
/// [`HtcdsExportError`] when the archive cannot be written or sealed.
pub fn htcds_archive(
    cases: &[ExportedCase],
    organisations: &[(String, String)],
    with_identifiers: bool,
    recipients: &[crate::sealed::Recipient],
) -> Result<(Vec<u8>, RowCounts), HtcdsExportError> {
    let files = htcds_files(cases, organisations, with_identifiers);
    let zipped = zip_files(&files)?;
    let sealed = crate::sealed::seal(recipients, &zipped)?;
    Ok((sealed, files.iter().map(|f| (f.name, f.rows)).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_drop_dialects() {
        assert_eq!(
            languages("ar:levantine;en;fr"),
            ("ar".to_owned(), "en;fr".to_owned())
        );
        assert_eq!(languages(""), (String::new(), String::new()));
    }

    #[test]
    fn multi_valued_codes_become_htcds_values() {
        assert_eq!(
            values::<MeansOfControl>("debt_bondage;threats", names::control),
            "DebtBondage;PhysicalThreats"
        );
    }
}
