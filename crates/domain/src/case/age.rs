//! Age in completed years and the age brackets of the Counter Trafficking
//! Data Collaborative (CTDC), which published statistics use.

use chrono::NaiveDate;

use super::vocab::AgeBracket;

/// Age at which a person is an adult under Greek and EU law.
pub const AGE_OF_MAJORITY: u32 = 18;

/// Returns the age in completed years on the date `on`, or 0 when `on` is
/// before `birth`. A person born on 29 February turns a year older on
/// 1 March in years without that day.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    on.years_since(birth).unwrap_or(0)
}

/// Returns true when the person is under 18 on the date `on`.
pub fn is_minor_on(birth: NaiveDate, on: NaiveDate) -> bool {
    age_on(birth, on) < AGE_OF_MAJORITY
}

impl AgeBracket {
    /// Returns the CTDC bracket of an age in completed years: 0–8, 9–17,
    /// 18–20, 21–23, 24–26, 27–29, 30–38, 39–47 and 48 or over.
    pub fn for_age(age: u32) -> AgeBracket {
        match age {
            0..=8 => AgeBracket::From0To8,
            9..=17 => AgeBracket::From9To17,
            18..=20 => AgeBracket::From18To20,
            21..=23 => AgeBracket::From21To23,
            24..=26 => AgeBracket::From24To26,
            27..=29 => AgeBracket::From27To29,
            30..=38 => AgeBracket::From30To38,
            39..=47 => AgeBracket::From39To47,
            _ => AgeBracket::From48,
        }
    }

    /// Returns true when every age in the bracket is under 18.
    pub fn is_minor(self) -> bool {
        matches!(self, AgeBracket::From0To8 | AgeBracket::From9To17)
    }
}
