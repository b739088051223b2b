//! Validation and mapping of one CTDC data row. Each field reader records an
//! error and returns `None` when its value is invalid, so one pass over a row
//! reports every invalid field.

use csv::ByteRecord;

use super::vocabulary::{
    AGE_BRACKETS, AGE_BROAD, CITIZENSHIP, COUNTRY_OF_EXPLOITATION, DATASOURCE, EXPLOITATION_FLAGS,
    EXPLOITATION_LABELS, EXPLOITATION_TYPE_ORDER, GENDER, LABOUR_TYPES, MAJORITY_ENTRY,
    MAJORITY_STATUS, MAJORITY_STATUS_AT_EXPLOIT, MEANS_OF_CONTROL, MEANS_OF_CONTROL_CONCATENATED,
    MEANS_OF_CONTROL_NOT_SPECIFIED_LABEL, MINOR_AGE_BRACKETS, MISSING, RECRUITER_RELATIONSHIP,
    RECRUITER_RELATIONSHIPS, TYPE_OF_EXPLOIT_CONCATENATED, TYPE_OF_LABOUR_CONCATENATED,
    UNKNOWN_COUNTRY, UNMAPPED_FLAGS, YEAR_OF_REGISTRATION,
};
use super::{CtdcRecord, Header};
use crate::error::ImportError;

/// Registration years outside this range are rejected as typing errors.
/// CTDC's data start in 2002.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1990..=2100;

/// A CTDC flag cell: `1`, `0` or `-99`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flag {
    Set,
    Unset,
    Missing,
}

pub(super) struct Row<'a> {
    fields: &'a ByteRecord,
    header: &'a Header,
    line: u64,
    errors: Vec<ImportError>,
}

impl<'a> Row<'a> {
    pub(super) fn new(fields: &'a ByteRecord, header: &'a Header, line: u64) -> Self {
        Self {
            fields,
            header,
            line,
            errors: Vec::new(),
        }
    }

    /// Validates every field of the row and maps it to a record, or returns
    /// every error found in the row.
    pub(super) fn parse(mut self) -> Result<CtdcRecord, Vec<ImportError>> {
        match self.map_fields() {
            Some(record) if self.errors.is_empty() => Ok(record),
            _ => Err(self.errors),
        }
    }

    fn map_fields(&mut self) -> Option<CtdcRecord> {
        if self.fields.len() != self.header.width {
            let message = format!(
                "the row has {} fields but the header has {}",
                self.fields.len(),
                self.header.width
            );
            self.reject("", message);
            return None;
        }

        let registration_year = self.registration_year();
        let data_source = self.data_source();
        let sex = self.sex();
        let age_bracket = self.age_bracket();
        let majority_minor = self.majority_status(MAJORITY_STATUS);
        self.majority_status(MAJORITY_STATUS_AT_EXPLOIT);
        self.majority_status(MAJORITY_ENTRY);
        let citizenship = self.country(CITIZENSHIP);
        let exploitation_types = self.exploitation_types();
        let means_of_control = self.means_of_control();
        let forced_labour_industry = self.forced_labour_industry();
        let trafficker_relationship = self.trafficker_relationship();
        let country_of_exploitation = self.country(COUNTRY_OF_EXPLOITATION);
        for column in UNMAPPED_FLAGS {
            self.flag(column);
        }

        let (
            Some(registration_year),
            Some(data_source),
            Some(sex),
            Some(age_bracket),
            Some(majority_minor),
            Some(citizenship),
            Some(exploitation_types),
            Some(means_of_control),
            Some(forced_labour_industry),
            Some(trafficker_relationship),
            Some(country_of_exploitation),
        ) = (
            registration_year,
            data_source,
            sex,
            age_bracket,
            majority_minor,
            citizenship,
            exploitation_types,
            means_of_control,
            forced_labour_industry,
            trafficker_relationship,
            country_of_exploitation,
        )
        else {
            return None;
        };

        let minor_by_age = age_bracket.is_some_and(|code| MINOR_AGE_BRACKETS.contains(&code));
        Some(CtdcRecord {
            registration_year,
            sex,
            age_bracket,
            is_minor: majority_minor || minor_by_age,
            citizenship,
            exploitation_types,
            means_of_control,
            forced_labour_industry,
            trafficker_relationship,
            countries_exploitation: country_of_exploitation.into_iter().collect(),
            data_source,
        })
    }

    fn registration_year(&mut self) -> Option<i32> {
        let value = self.text(YEAR_OF_REGISTRATION)?;
        if value == MISSING {
            self.reject(
                YEAR_OF_REGISTRATION,
                "the registration year is missing (-99)".into(),
            );
            return None;
        }
        match value.parse::<i32>() {
            Ok(year) if PLAUSIBLE_YEARS.contains(&year) => Some(year),
            Ok(year) => {
                let message = format!(
                    "registration year {year} is outside {}–{}",
                    PLAUSIBLE_YEARS.start(),
                    PLAUSIBLE_YEARS.end()
                );
                self.reject(YEAR_OF_REGISTRATION, message);
                None
            }
            Err(_) => {
                let message =
                    format!("invalid registration year {value:?}, expected a year such as 2016");
                self.reject(YEAR_OF_REGISTRATION, message);
                None
            }
        }
    }

    fn data_source(&mut self) -> Option<&'static str> {
        match self.text(DATASOURCE)? {
            "Case Management" => Some("case_management"),
            "Hotline" => Some("hotline"),
            other => {
                let message =
                    format!("invalid data source {other:?}, expected Case Management or Hotline");
                self.reject(DATASOURCE, message);
                None
            }
        }
    }

    fn sex(&mut self) -> Option<&'static str> {
        match self.text(GENDER)? {
            "Female" => Some("female"),
            "Male" => Some("male"),
            other => {
                let message = format!("invalid gender {other:?}, expected Female or Male");
                self.reject(GENDER, message);
                None
            }
        }
    }

    /// Returns `Some(None)` for a missing age and `None` for an invalid one.
    fn age_bracket(&mut self) -> Option<Option<&'static str>> {
        let value = self.text(AGE_BROAD)?;
        if value == MISSING {
            return Some(None);
        }
        match AGE_BRACKETS.iter().find(|(band, _)| *band == value) {
            Some((_, code)) => Some(Some(*code)),
            None => {
                let message = format!(
                    "invalid age band {value:?}, expected -99 or one of 0--8, 9--17, 18--20, 21--23, \
                     24--26, 27--29, 30--38, 39--47, 48+"
                );
                self.reject(AGE_BROAD, message);
                None
            }
        }
    }

    /// Returns whether the column is `Minor`.
    fn majority_status(&mut self, column: &'static str) -> Option<bool> {
        match self.text(column)? {
            "Minor" => Some(true),
            "Adult" | MISSING => Some(false),
            other => {
                let message =
                    format!("invalid majority status {other:?}, expected Adult, Minor or -99");
                self.reject(column, message);
                None
            }
        }
    }

    /// Returns `Some(None)` for an unknown country (`00` or `-99`).
    fn country(&mut self, column: &'static str) -> Option<Option<String>> {
        let value = self.text(column)?;
        if value == MISSING || value == UNKNOWN_COUNTRY {
            return Some(None);
        }
        if value.len() == 2 && value.bytes().all(|byte| byte.is_ascii_uppercase()) {
            return Some(Some(value.to_owned()));
        }
        let message = format!(
            "invalid country code {value:?}, expected an upper-case ISO 3166-1 alpha-2 code \
             such as GR, or 00 or -99 for an unknown country"
        );
        self.reject(column, message);
        None
    }

    /// Maps the exploitation flags, or `typeOfExploitConcatenated` when every
    /// flag is `-99`.
    fn exploitation_types(&mut self) -> Option<Vec<&'static str>> {
        let flags = self.flags(EXPLOITATION_FLAGS.map(|(column, _)| column))?;

        let mut codes = Vec::new();
        if flags.iter().all(|flag| *flag == Flag::Missing) {
            for label in self.labels(TYPE_OF_EXPLOIT_CONCATENATED)? {
                match lookup(&EXPLOITATION_LABELS, &label) {
                    Some(Some(code)) => codes.push(code),
                    Some(None) => {}
                    None => {
                        let message = format!(
                            "unknown exploitation type {label:?}, expected Sexual exploitation, \
                             Forced labour, Forced marriage, Forced military, Organ removal, \
                             Slavery and similar practices, Other or Not specified"
                        );
                        self.reject(TYPE_OF_EXPLOIT_CONCATENATED, message);
                        return None;
                    }
                }
            }
        } else {
            for (flag, (_, flag_codes)) in flags.iter().zip(EXPLOITATION_FLAGS) {
                if *flag == Flag::Set {
                    codes.extend_from_slice(flag_codes);
                }
            }
        }
        Some(in_order(&codes, &EXPLOITATION_TYPE_ORDER))
    }

    /// Maps the seventeen means-of-control flags, or
    /// `meansOfControlConcatenated` when every one of them is `-99`.
    fn means_of_control(&mut self) -> Option<Vec<&'static str>> {
        let flags = self.flags(MEANS_OF_CONTROL.map(|(column, _, _)| column))?;
        let order = MEANS_OF_CONTROL.map(|(_, code, _)| code);

        let mut codes = Vec::new();
        if flags.iter().all(|flag| *flag == Flag::Missing) {
            for label in self.labels(MEANS_OF_CONTROL_CONCATENATED)? {
                if label == MEANS_OF_CONTROL_NOT_SPECIFIED_LABEL {
                    continue;
                }
                match MEANS_OF_CONTROL
                    .iter()
                    .find(|(_, _, known)| *known == label)
                {
                    Some((_, code, _)) => codes.push(*code),
                    None => {
                        let message = format!(
                            "unknown means of control {label:?}, expected a CTDC label such as \
                             Debt bondage, Threats or Not specified"
                        );
                        self.reject(MEANS_OF_CONTROL_CONCATENATED, message);
                        return None;
                    }
                }
            }
        } else {
            for (flag, code) in flags.iter().zip(order) {
                if *flag == Flag::Set {
                    codes.push(code);
                }
            }
        }
        Some(in_order(&codes, &order))
    }

    /// Maps the first type-of-labour flag set, or the first value of
    /// `typeOfLabourConcatenated` when every flag is `-99`.
    fn forced_labour_industry(&mut self) -> Option<Option<&'static str>> {
        let flags = self.flags(LABOUR_TYPES.map(|(column, _, _)| column))?;

        if !flags.iter().all(|flag| *flag == Flag::Missing) {
            let first_set = flags
                .iter()
                .zip(LABOUR_TYPES)
                .find(|(flag, _)| **flag == Flag::Set)
                .and_then(|(_, (_, code, _))| code);
            return Some(first_set);
        }

        let labels = self.labels(TYPE_OF_LABOUR_CONCATENATED)?;
        let mut industries = Vec::new();
        for label in &labels {
            match LABOUR_TYPES.iter().find(|(_, _, known)| known == label) {
                Some((_, code, _)) => industries.push(*code),
                None => {
                    let message = format!(
                        "unknown type of labour {label:?}, expected a CTDC label such as \
                         Agriculture, Domestic work or Not specified"
                    );
                    self.reject(TYPE_OF_LABOUR_CONCATENATED, message);
                    return None;
                }
            }
        }
        Some(industries.into_iter().flatten().next())
    }

    /// Maps the first relationship listed in `RecruiterRelationship`, whose
    /// values are separated by `; `.
    fn trafficker_relationship(&mut self) -> Option<Option<&'static str>> {
        let labels = self.labels(RECRUITER_RELATIONSHIP)?;

        let mut relationships = Vec::new();
        for label in &labels {
            match lookup(&RECRUITER_RELATIONSHIPS, label) {
                Some(code) => relationships.push(code),
                None => {
                    let message = format!(
                        "unknown recruiter relationship {label:?}, expected Intimate Partner, \
                         Friend/Acquaintance, Family/Relative, Other, Unknown or Not Specified"
                    );
                    self.reject(RECRUITER_RELATIONSHIP, message);
                    return None;
                }
            }
        }
        Some(relationships.first().copied().flatten())
    }

    /// Reads a `;`-separated text column as trimmed lower-case labels. A `-99`
    /// column and empty items yield no labels.
    fn labels(&mut self, column: &'static str) -> Option<Vec<String>> {
        let value = self.text(column)?;
        if value == MISSING {
            return Some(Vec::new());
        }
        let labels = value
            .split(';')
            .map(|label| label.trim().to_lowercase())
            .filter(|label| !label.is_empty())
            .collect();
        Some(labels)
    }

    /// Reads several flag columns, recording an error for each invalid one.
    fn flags<const N: usize>(&mut self, columns: [&'static str; N]) -> Option<[Flag; N]> {
        let flags = columns.map(|column| self.flag(column));
        if flags.iter().any(Option::is_none) {
            return None;
        }
        Some(flags.map(|flag| flag.unwrap_or(Flag::Missing)))
    }

    fn flag(&mut self, column: &'static str) -> Option<Flag> {
        match self.text(column)? {
            "1" => Some(Flag::Set),
            "0" => Some(Flag::Unset),
            MISSING => Some(Flag::Missing),
            other => {
                let message = format!("invalid flag value {other:?}, expected 0, 1 or -99");
                self.reject(column, message);
                None
            }
        }
    }

    /// Returns the trimmed text of a required column.
    fn text(&mut self, column: &'static str) -> Option<&'a str> {
        let fields: &'a ByteRecord = self.fields;
        let bytes = self
            .header
            .positions
            .get(column)
            .and_then(|position| fields.get(*position))
            .unwrap_or_default();
        match std::str::from_utf8(bytes) {
            Ok(text) => Some(text.trim()),
            Err(_) => {
                self.reject(column, "the value is not valid UTF-8 text".into());
                None
            }
        }
    }

    fn reject(&mut self, column: &str, message: String) {
        self.errors
            .push(ImportError::new(self.line, column, message));
    }
}

/// Finds a lower-case label in a mapping table.
fn lookup<T: Copy>(table: &[(&str, T)], label: &str) -> Option<T> {
    table
        .iter()
        .find(|(known, _)| *known == label)
        .map(|(_, value)| *value)
}

/// Deduplicates codes and sorts them into the vocabulary's order.
fn in_order(codes: &[&'static str], order: &[&'static str]) -> Vec<&'static str> {
    order
        .iter()
        .filter(|code| codes.contains(code))
        .copied()
        .collect()
}
