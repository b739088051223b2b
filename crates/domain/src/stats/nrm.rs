//! The statistics the National Referral Mechanism (NRM) collects for a
//! period: how many distinct persons were known, and those persons counted
//! by sex, age bracket, citizenship, residence status, NRM status, form of
//! exploitation, means of control, recruitment method and line of service.
//!
//! The store counts in SQL; this module fixes the tables' order and codes
//! and fills in the codes nobody had, so every table lists the whole
//! vocabulary and two databases produce the same rows.
//!
//! Counting rules, which the store follows and the report's note repeats:
//!
//! - A person is the person record of a case, or the case itself when it
//!   has none. A person with several cases counts once.
//! - Single-valued tables (sex, age bracket, citizenship, residence status,
//!   recruitment method, NRM status) take each person's values from their
//!   most recently opened case in the period, so each table adds up to the
//!   number of persons.
//! - Multi-valued tables (forms of exploitation, means of control, lines of
//!   service) count every person once under each code that any of their
//!   cases records, so a table may add up to more than the number of
//!   persons.

use crate::case::vocab::{
    AgeBracket, ExploitationType, LegalStatus, MeansOfControl, NrmStatus, RecruitmentMethod,
    ServiceLine, Sex, Vocabulary,
};
use crate::stats::amif::Period;

/// The code of the row for persons with nothing recorded.
pub const NOT_RECORDED: &str = "not_recorded";

/// The age code of a minor whose age bracket is not recorded.
pub const MINOR_AGE_NOT_RECORDED: &str = "minor";

/// One table of the NRM statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NrmDimension {
    Sex,
    AgeBracket,
    Citizenship,
    LegalStatus,
    NrmStatus,
    ExploitationType,
    MeansOfControl,
    RecruitmentMethod,
    ServiceLine,
}

impl NrmDimension {
    /// Every table, in report order.
    pub const ALL: [NrmDimension; 9] = [
        NrmDimension::Sex,
        NrmDimension::AgeBracket,
        NrmDimension::Citizenship,
        NrmDimension::LegalStatus,
        NrmDimension::NrmStatus,
        NrmDimension::ExploitationType,
        NrmDimension::MeansOfControl,
        NrmDimension::RecruitmentMethod,
        NrmDimension::ServiceLine,
    ];

    /// The stable code of the table, used in the CSV and by the store.
    pub fn as_str(self) -> &'static str {
        match self {
            NrmDimension::Sex => Sex::NAME,
            NrmDimension::AgeBracket => AgeBracket::NAME,
            NrmDimension::Citizenship => "citizenship",
            NrmDimension::LegalStatus => LegalStatus::NAME,
            NrmDimension::NrmStatus => NrmStatus::NAME,
            NrmDimension::ExploitationType => ExploitationType::NAME,
            NrmDimension::MeansOfControl => MeansOfControl::NAME,
            NrmDimension::RecruitmentMethod => RecruitmentMethod::NAME,
            NrmDimension::ServiceLine => ServiceLine::NAME,
        }
    }

    /// Parses the code of [`NrmDimension::as_str`].
    pub fn parse(code: &str) -> Option<NrmDimension> {
        NrmDimension::ALL
            .into_iter()
            .find(|dimension| dimension.as_str() == code)
    }

    /// The Fluent key of the table's name.
    pub fn name_key(self) -> &'static str {
        match self {
            NrmDimension::Sex => Sex::NAME_KEY,
            NrmDimension::AgeBracket => AgeBracket::NAME_KEY,
            NrmDimension::Citizenship => "nrm-stats-citizenship",
            NrmDimension::LegalStatus => LegalStatus::NAME_KEY,
            NrmDimension::NrmStatus => NrmStatus::NAME_KEY,
            NrmDimension::ExploitationType => ExploitationType::NAME_KEY,
            NrmDimension::MeansOfControl => MeansOfControl::NAME_KEY,
            NrmDimension::RecruitmentMethod => RecruitmentMethod::NAME_KEY,
            NrmDimension::ServiceLine => ServiceLine::NAME_KEY,
        }
    }

    /// Whether a person may count under several codes of this table.
    pub fn multi_valued(self) -> bool {
        matches!(
            self,
            NrmDimension::ExploitationType
                | NrmDimension::MeansOfControl
                | NrmDimension::ServiceLine
        )
    }

    /// The table's fixed codes, in vocabulary order; empty for citizenship,
    /// whose rows are the countries that occur.
    pub fn codes(self) -> Vec<&'static str> {
        fn all<T: Vocabulary>() -> Vec<&'static str> {
            T::ALL.iter().map(|code| code.as_str()).collect()
        }
        match self {
            NrmDimension::Sex => all::<Sex>(),
            NrmDimension::AgeBracket => all::<AgeBracket>(),
            NrmDimension::Citizenship => Vec::new(),
            NrmDimension::LegalStatus => all::<LegalStatus>(),
            NrmDimension::NrmStatus => all::<NrmStatus>(),
            NrmDimension::ExploitationType => all::<ExploitationType>(),
            NrmDimension::MeansOfControl => all::<MeansOfControl>(),
            NrmDimension::RecruitmentMethod => all::<RecruitmentMethod>(),
            NrmDimension::ServiceLine => all::<ServiceLine>(),
        }
    }

    /// The Fluent key of a code's label, or `None` for a country code
    /// (named from the country list) or a code outside the table.
    pub fn label_key(self, code: &str) -> Option<&'static str> {
        if code == NOT_RECORDED {
            return Some(if self == NrmDimension::ServiceLine {
                "nrm-stats-no-service"
            } else {
                "nrm-stats-not-recorded"
            });
        }
        match self {
            NrmDimension::Sex => Sex::parse(code).map(Sex::label_key),
            NrmDimension::AgeBracket if code == MINOR_AGE_NOT_RECORDED => {
                Some("nrm-stats-minor-age-not-recorded")
            }
            NrmDimension::AgeBracket => AgeBracket::parse(code).map(AgeBracket::label_key),
            NrmDimension::Citizenship => None,
            NrmDimension::LegalStatus => LegalStatus::parse(code).map(LegalStatus::label_key),
            NrmDimension::NrmStatus => NrmStatus::parse(code).map(NrmStatus::label_key),
            NrmDimension::ExploitationType => {
                ExploitationType::parse(code).map(ExploitationType::label_key)
            }
            NrmDimension::MeansOfControl => {
                MeansOfControl::parse(code).map(MeansOfControl::label_key)
            }
            NrmDimension::RecruitmentMethod => {
                RecruitmentMethod::parse(code).map(RecruitmentMethod::label_key)
            }
            NrmDimension::ServiceLine => ServiceLine::parse(code).map(ServiceLine::label_key),
        }
    }
}

/// One row of a table: a code and the number of distinct persons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NrmCount {
    pub code: String,
    pub persons: u64,
}

/// One table, rows in report order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NrmTable {
    pub dimension: NrmDimension,
    pub rows: Vec<NrmCount>,
}

/// The NRM statistics of one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NrmStatistics {
    pub period: Period,
    /// Distinct persons with a case open on at least one day of the period.
    pub persons: u64,
    /// Of those, persons with a case opened within the period.
    pub new_persons: u64,
    /// One table per [`NrmDimension`], in [`NrmDimension::ALL`] order.
    pub tables: Vec<NrmTable>,
}

/// A count as the store returns it: the table's code, the row's code (empty
/// when nothing was recorded) and the number of distinct persons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawCount {
    pub dimension: String,
    pub code: String,
    pub persons: u64,
}

/// Error of [`NrmStatistics::assemble`]: the store returned a table or code
/// this module does not know, which means the data or the query is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown NRM statistics row {dimension}/{code}")]
pub struct UnknownRow {
    pub dimension: String,
    pub code: String,
}

impl NrmStatistics {
    /// Builds the tables from the store's counts: every fixed code of a
    /// table appears in vocabulary order (zero when absent), citizenship
    /// rows follow the number of persons (most first, then the code), and
    /// the row for persons with nothing recorded comes last and only when
    /// it is not zero.
    ///
    /// # Errors
    ///
    /// [`UnknownRow`] for a table code or a row code outside the
    /// vocabularies (country codes are accepted as they come).
    pub fn assemble(
        period: Period,
        persons: u64,
        new_persons: u64,
        counts: &[RawCount],
    ) -> Result<NrmStatistics, UnknownRow> {
        let mut tables: Vec<NrmTable> = NrmDimension::ALL
            .into_iter()
            .map(|dimension| NrmTable {
                dimension,
                rows: dimension
                    .codes()
                    .into_iter()
                    .map(|code| NrmCount {
                        code: code.to_owned(),
                        persons: 0,
                    })
                    .collect(),
            })
            .collect();
        let mut not_recorded = vec![0u64; tables.len()];

        for count in counts {
            let unknown = || UnknownRow {
                dimension: count.dimension.clone(),
                code: count.code.clone(),
            };
            let dimension = NrmDimension::parse(&count.dimension).ok_or_else(unknown)?;
            let index = NrmDimension::ALL
                .iter()
                .position(|candidate| *candidate == dimension)
                .unwrap_or_default();
            let code = count.code.trim();
            if code.is_empty() || code == NOT_RECORDED {
                not_recorded[index] += count.persons;
                continue;
            }
            let table = &mut tables[index];
            let open_row = dimension == NrmDimension::Citizenship
                || (dimension == NrmDimension::AgeBracket && code == MINOR_AGE_NOT_RECORDED);
            match table.rows.iter().position(|row| row.code == code) {
                Some(row) => table.rows[row].persons += count.persons,
                None if open_row => table.rows.push(NrmCount {
                    code: code.to_owned(),
                    persons: count.persons,
                }),
                None => return Err(unknown()),
            }
        }

        for (table, missing) in tables.iter_mut().zip(not_recorded) {
            if table.dimension == NrmDimension::Citizenship {
                table
                    .rows
                    .sort_by(|a, b| b.persons.cmp(&a.persons).then_with(|| a.code.cmp(&b.code)));
            }
            if missing > 0 {
                table.rows.push(NrmCount {
                    code: NOT_RECORDED.to_owned(),
                    persons: missing,
                });
            }
        }
        Ok(NrmStatistics {
            period,
            persons,
            new_persons,
            tables,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn period() -> Period {
        Period::new(
            NaiveDate::from_ymd_opt(2026, 1, 1).expect("day"),
            NaiveDate::from_ymd_opt(2026, 12, 31).expect("day"),
        )
        .expect("period")
    }

    fn raw(dimension: &str, code: &str, persons: u64) -> RawCount {
        RawCount {
            dimension: dimension.to_owned(),
            code: code.to_owned(),
            persons,
        }
    }

    fn table(statistics: &NrmStatistics, dimension: NrmDimension) -> Vec<(String, u64)> {
        statistics
            .tables
            .iter()
            .find(|table| table.dimension == dimension)
            .expect("table")
            .rows
            .iter()
            .map(|row| (row.code.clone(), row.persons))
            .collect()
    }

    #[test]
    fn fixed_tables_list_every_code() {
        let statistics =
            NrmStatistics::assemble(period(), 3, 1, &[raw("sex", "female", 2)]).expect("valid");

        assert_eq!(statistics.tables.len(), NrmDimension::ALL.len());
        assert_eq!(
            table(&statistics, NrmDimension::Sex),
            [
                ("female".to_owned(), 2),
                ("male".to_owned(), 0),
                ("other".to_owned(), 0),
                ("unknown".to_owned(), 0)
            ]
        );
        assert_eq!(
            table(&statistics, NrmDimension::ServiceLine).len(),
            ServiceLine::ALL.len()
        );
    }

    #[test]
    fn citizenship_sorted_by_count_then_code() {
        let counts = [
            raw("citizenship", "NG", 1),
            raw("citizenship", "BD", 3),
            raw("citizenship", "AF", 1),
            raw("citizenship", "", 2),
        ];
        let statistics = NrmStatistics::assemble(period(), 7, 0, &counts).expect("valid");

        assert_eq!(
            table(&statistics, NrmDimension::Citizenship),
            [
                ("BD".to_owned(), 3),
                ("AF".to_owned(), 1),
                ("NG".to_owned(), 1),
                (NOT_RECORDED.to_owned(), 2)
            ]
        );
    }

    #[test]
    fn minor_without_bracket_gets_own_row() {
        let counts = [
            raw("age_bracket", "9_17", 1),
            raw("age_bracket", "minor", 1),
        ];
        let statistics = NrmStatistics::assemble(period(), 2, 0, &counts).expect("valid");
        let rows = table(&statistics, NrmDimension::AgeBracket);

        assert_eq!(rows.last(), Some(&("minor".to_owned(), 1)));
        assert!(rows.contains(&("9_17".to_owned(), 1)));
    }

    #[test]
    fn unknown_codes_rejected() {
        for (dimension, code) in [("sex", "robot"), ("colour", "red"), ("service_line", "x")] {
            let result = NrmStatistics::assemble(period(), 1, 0, &[raw(dimension, code, 1)]);
            assert_eq!(
                result,
                Err(UnknownRow {
                    dimension: dimension.to_owned(),
                    code: code.to_owned()
                }),
                "{dimension}/{code}"
            );
        }
    }

    #[test]
    fn every_code_has_a_label_key() {
        for dimension in NrmDimension::ALL {
            for code in dimension.codes() {
                assert!(
                    dimension.label_key(code).is_some(),
                    "{}/{code}",
                    dimension.as_str()
                );
            }
            assert!(dimension.label_key(NOT_RECORDED).is_some());
            assert_eq!(NrmDimension::parse(dimension.as_str()), Some(dimension));
        }
    }
}
