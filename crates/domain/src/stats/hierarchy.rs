//! The quasi-identifiers of a record-level release and their generalisation
//! hierarchies: each attribute can be shown at a few levels of detail, from
//! the recorded value (level 0) to "*" (the highest level).
//!
//! | attribute | levels |
//! |---|---|
//! | sex | sex → * |
//! | age | 5-year bracket → 10-year bracket → minor or adult → * |
//! | citizenship | country → M49 sub-region → M49 region → * |
//! | exploitation | the recorded types → sexual / labour / other → * |
//! | year | year → 2-year span → 5-year span → * |
//!
//! Age brackets never straddle 18, so every bracket is all minors or all
//! adults and the levels nest. Records imported with only a CTDC age bracket
//! start from that bracket. Unknown values stay "unknown" until the "*"
//! level, so an unknown is never shown as if it were known.

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;

use super::m49::{self, Region, SubRegion};
use crate::case::age::AGE_OF_MAJORITY;
use crate::case::vocab::{AgeBracket, CodeSet, ExploitationType, Sex};

/// A person's age, as far as it is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Age {
    /// Age in completed years.
    Years(u32),
    /// Only the CTDC bracket is known (imported records).
    Bracket(AgeBracket),
    /// Only whether the person is a minor is known.
    Majority {
        /// True for a person under 18.
        minor: bool,
    },
    /// Nothing is known.
    Unknown,
}

/// The quasi-identifiers of one record: the attributes someone could combine
/// with outside knowledge to recognise a person.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QuasiIdentifiers {
    /// Recorded sex.
    pub sex: Sex,
    /// Age at registration.
    pub age: Age,
    /// Upper-case ISO 3166-1 alpha-2 code, or `None` when unknown.
    pub citizenship: Option<String>,
    /// Forms of exploitation; empty when unknown.
    pub exploitation: CodeSet<ExploitationType>,
    /// Year of registration.
    pub year: i32,
}

/// One level per attribute; 0 is the recorded detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct Levels {
    /// 0 sex, 1 "*".
    pub sex: u8,
    /// 0 five-year bracket, 1 ten-year bracket, 2 minor or adult, 3 "*".
    pub age: u8,
    /// 0 country, 1 M49 sub-region, 2 M49 region, 3 "*".
    pub citizenship: u8,
    /// 0 recorded types, 1 sexual / labour / other, 2 "*".
    pub exploitation: u8,
    /// 0 year, 1 two-year span, 2 five-year span, 3 "*".
    pub year: u8,
}

impl Levels {
    /// The highest level of every attribute: everything "*".
    pub const TOP: Levels = Levels {
        sex: 1,
        age: 3,
        citizenship: 3,
        exploitation: 2,
        year: 3,
    };

    /// Every combination of levels, from all-zero to [`Levels::TOP`].
    pub fn all() -> Vec<Levels> {
        let top = Levels::TOP;
        let mut all = Vec::new();
        for sex in 0..=top.sex {
            for age in 0..=top.age {
                for citizenship in 0..=top.citizenship {
                    for exploitation in 0..=top.exploitation {
                        for year in 0..=top.year {
                            all.push(Levels {
                                sex,
                                age,
                                citizenship,
                                exploitation,
                                year,
                            });
                        }
                    }
                }
            }
        }
        all
    }

    /// Sum of the levels: how many generalisation steps were taken.
    pub fn height(self) -> u32 {
        u32::from(self.sex)
            + u32::from(self.age)
            + u32::from(self.citizenship)
            + u32::from(self.exploitation)
            + u32::from(self.year)
    }
}

/// A generalised sex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum SexValue {
    /// The recorded sex.
    Sex(Sex),
    /// Not shown.
    Any,
}

/// A generalised age.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum AgeValue {
    /// From `from` to `to` years inclusive, or `from` and over.
    Range {
        /// Lowest age in the range.
        from: u32,
        /// Highest age in the range, `None` for an open top bracket.
        to: Option<u32>,
    },
    /// Under 18.
    Minor,
    /// 18 or over.
    Adult,
    /// Not recorded.
    Unknown,
    /// Not shown.
    Any,
}

/// A generalised citizenship.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum CitizenshipValue {
    /// An alpha-2 country code.
    Country(String),
    /// An M49 sub-region.
    SubRegion(SubRegion),
    /// An M49 region.
    Region(Region),
    /// A country outside the M49 table.
    Other,
    /// Not recorded.
    Unknown,
    /// Not shown.
    Any,
}

/// A broad group of forms of exploitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ExploitationGroup {
    /// Sexual exploitation.
    Sexual,
    /// Forced labour or services, including begging, criminal activities and
    /// slavery or practices similar to slavery.
    Labour,
    /// Forced marriage, organ removal, forced military service and any other
    /// form.
    Other,
}

impl ExploitationGroup {
    /// The group a recorded form of exploitation belongs to.
    pub fn of(kind: ExploitationType) -> ExploitationGroup {
        match kind {
            ExploitationType::SexualExploitation => ExploitationGroup::Sexual,
            ExploitationType::ForcedLabour
            | ExploitationType::ForcedBegging
            | ExploitationType::ForcedCriminality
            | ExploitationType::SlaveryPractices => ExploitationGroup::Labour,
            ExploitationType::ForcedMarriage
            | ExploitationType::OrganRemoval
            | ExploitationType::ForcedMilitary
            | ExploitationType::Other => ExploitationGroup::Other,
        }
    }

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            ExploitationGroup::Sexual => "sexual",
            ExploitationGroup::Labour => "labour",
            ExploitationGroup::Other => "other",
        }
    }
}

/// A generalised set of forms of exploitation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum ExploitationValue {
    /// The recorded forms, as stored codes joined with ';'.
    Types(String),
    /// The broad groups of the recorded forms.
    Groups(BTreeSet<ExploitationGroup>),
    /// Not recorded.
    Unknown,
    /// Not shown.
    Any,
}

/// A generalised year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum YearValue {
    /// One year.
    Year(i32),
    /// From `from` to `to` inclusive.
    Span {
        /// First year.
        from: i32,
        /// Last year.
        to: i32,
    },
    /// Not shown.
    Any,
}

/// The quasi-identifiers of one record as released.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct GeneralisedRecord {
    /// Sex or "*".
    pub sex: SexValue,
    /// Age at the chosen level.
    pub age: AgeValue,
    /// Citizenship at the chosen level.
    pub citizenship: CitizenshipValue,
    /// Forms of exploitation at the chosen level.
    pub exploitation: ExploitationValue,
    /// Year at the chosen level.
    pub year: YearValue,
}

/// Generalises every attribute of `record` to `levels`. A level above an
/// attribute's top is treated as its top ("*").
pub fn generalise(record: &QuasiIdentifiers, levels: Levels) -> GeneralisedRecord {
    GeneralisedRecord {
        sex: generalise_sex(record.sex, levels.sex),
        age: generalise_age(record.age, levels.age),
        citizenship: generalise_citizenship(record.citizenship.as_deref(), levels.citizenship),
        exploitation: generalise_exploitation(&record.exploitation, levels.exploitation),
        year: generalise_year(record.year, levels.year),
    }
}

/// Sex at `level`: 0 the sex, otherwise "*".
pub fn generalise_sex(sex: Sex, level: u8) -> SexValue {
    match level {
        0 => SexValue::Sex(sex),
        _ => SexValue::Any,
    }
}

/// Age at `level`: 0 five-year bracket, 1 ten-year bracket, 2 minor or
/// adult, otherwise "*".
///
/// Five-year brackets: 0–4, 5–9, 10–14, 15–17, 18–24, 25–29, then every five
/// years to 60–64, and 65 or over. Ten-year brackets: 0–9, 10–17, 18–29,
/// 30–39, 40–49, 50–59, 60 or over. The brackets at 15–17 and 18–24 are
/// shorter or longer than five years so that none straddles 18.
///
/// A CTDC bracket is shown as itself at level 0 and as 0–17, 18–29, 30–47 or
/// 48 or over at level 1; only a minor or adult flag is shown as such up to
/// level 2.
pub fn generalise_age(age: Age, level: u8) -> AgeValue {
    if level >= 3 {
        return AgeValue::Any;
    }
    let minor_or_adult = |minor: bool| {
        if minor {
            AgeValue::Minor
        } else {
            AgeValue::Adult
        }
    };
    match age {
        Age::Unknown => AgeValue::Unknown,
        Age::Majority { minor } => minor_or_adult(minor),
        Age::Years(years) => match level {
            0 => five_year_bracket(years),
            1 => ten_year_bracket(years),
            _ => minor_or_adult(years < AGE_OF_MAJORITY),
        },
        Age::Bracket(bracket) => match level {
            0 => ctdc_range(bracket),
            1 => ctdc_wide_range(bracket),
            _ => minor_or_adult(bracket.is_minor()),
        },
    }
}

fn range(from: u32, to: u32) -> AgeValue {
    AgeValue::Range { from, to: Some(to) }
}

fn open_range(from: u32) -> AgeValue {
    AgeValue::Range { from, to: None }
}

fn five_year_bracket(years: u32) -> AgeValue {
    match years {
        0..=14 => range(years / 5 * 5, years / 5 * 5 + 4),
        15..=17 => range(15, 17),
        18..=24 => range(18, 24),
        25..=64 => range(years / 5 * 5, years / 5 * 5 + 4),
        _ => open_range(65),
    }
}

fn ten_year_bracket(years: u32) -> AgeValue {
    match years {
        0..=9 => range(0, 9),
        10..=17 => range(10, 17),
        18..=29 => range(18, 29),
        30..=59 => range(years / 10 * 10, years / 10 * 10 + 9),
        _ => open_range(60),
    }
}

fn ctdc_range(bracket: AgeBracket) -> AgeValue {
    match bracket {
        AgeBracket::From0To8 => range(0, 8),
        AgeBracket::From9To17 => range(9, 17),
        AgeBracket::From18To20 => range(18, 20),
        AgeBracket::From21To23 => range(21, 23),
        AgeBracket::From24To26 => range(24, 26),
        AgeBracket::From27To29 => range(27, 29),
        AgeBracket::From30To38 => range(30, 38),
        AgeBracket::From39To47 => range(39, 47),
        AgeBracket::From48 => open_range(48),
    }
}

fn ctdc_wide_range(bracket: AgeBracket) -> AgeValue {
    match bracket {
        AgeBracket::From0To8 | AgeBracket::From9To17 => range(0, 17),
        AgeBracket::From18To20
        | AgeBracket::From21To23
        | AgeBracket::From24To26
        | AgeBracket::From27To29 => range(18, 29),
        AgeBracket::From30To38 | AgeBracket::From39To47 => range(30, 47),
        AgeBracket::From48 => open_range(48),
    }
}

/// Citizenship at `level`: 0 country, 1 M49 sub-region, 2 M49 region,
/// otherwise "*". A code outside the M49 table becomes "other" from level 1.
pub fn generalise_citizenship(country: Option<&str>, level: u8) -> CitizenshipValue {
    if level >= 3 {
        return CitizenshipValue::Any;
    }
    let Some(country) = country else {
        return CitizenshipValue::Unknown;
    };
    match level {
        0 => CitizenshipValue::Country(country.to_owned()),
        1 => m49::sub_region(country).map_or(CitizenshipValue::Other, CitizenshipValue::SubRegion),
        _ => m49::region(country).map_or(CitizenshipValue::Other, CitizenshipValue::Region),
    }
}

/// Forms of exploitation at `level`: 0 the recorded forms, 1 their broad
/// groups, otherwise "*". An empty set is "unknown" below "*".
pub fn generalise_exploitation(kinds: &CodeSet<ExploitationType>, level: u8) -> ExploitationValue {
    if level >= 2 {
        return ExploitationValue::Any;
    }
    if kinds.is_empty() {
        return ExploitationValue::Unknown;
    }
    match level {
        0 => ExploitationValue::Types(kinds.to_stored()),
        _ => ExploitationValue::Groups(kinds.iter().map(ExploitationGroup::of).collect()),
    }
}

/// Year at `level`: 0 the year, 1 a two-year span starting on an even year,
/// 2 a five-year span starting on a multiple of 5, otherwise "*".
pub fn generalise_year(year: i32, level: u8) -> YearValue {
    match level {
        0 => YearValue::Year(year),
        1 => {
            let from = year.div_euclid(2) * 2;
            YearValue::Span { from, to: from + 1 }
        }
        2 => {
            let from = year.div_euclid(5) * 5;
            YearValue::Span { from, to: from + 4 }
        }
        _ => YearValue::Any,
    }
}

impl fmt::Display for SexValue {
    /// The stored sex code or "*".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SexValue::Sex(sex) => f.write_str(sex.as_str()),
            SexValue::Any => f.write_str("*"),
        }
    }
}

impl fmt::Display for AgeValue {
    /// "20-24", "65+", "minor", "adult", "unknown" or "*".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AgeValue::Range { from, to: Some(to) } => write!(f, "{from}-{to}"),
            AgeValue::Range { from, to: None } => write!(f, "{from}+"),
            AgeValue::Minor => f.write_str("minor"),
            AgeValue::Adult => f.write_str("adult"),
            AgeValue::Unknown => f.write_str("unknown"),
            AgeValue::Any => f.write_str("*"),
        }
    }
}

impl fmt::Display for CitizenshipValue {
    /// The country code, the sub-region or region code, "other", "unknown"
    /// or "*".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CitizenshipValue::Country(code) => f.write_str(code),
            CitizenshipValue::SubRegion(sub_region) => f.write_str(sub_region.as_str()),
            CitizenshipValue::Region(region) => f.write_str(region.as_str()),
            CitizenshipValue::Other => f.write_str("other"),
            CitizenshipValue::Unknown => f.write_str("unknown"),
            CitizenshipValue::Any => f.write_str("*"),
        }
    }
}

impl fmt::Display for ExploitationValue {
    /// Stored codes or group codes joined with ';', "unknown" or "*".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExploitationValue::Types(codes) => f.write_str(codes),
            ExploitationValue::Groups(groups) => {
                let codes: Vec<&str> = groups.iter().map(|group| group.as_str()).collect();
                f.write_str(&codes.join(";"))
            }
            ExploitationValue::Unknown => f.write_str("unknown"),
            ExploitationValue::Any => f.write_str("*"),
        }
    }
}

impl fmt::Display for YearValue {
    /// "2024", "2024-2025" or "*".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            YearValue::Year(year) => write!(f, "{year}"),
            YearValue::Span { from, to } => write!(f, "{from}-{to}"),
            YearValue::Any => f.write_str("*"),
        }
    }
}
