//! Follow-up after closure and time-limited access: the long-term outcome
//! codes recorded at a follow-up contact, the months after closure at which
//! contacts are scheduled, when a scheduled contact counts as due, and how
//! long break-glass access lasts.

use chrono::{Months, NaiveDate};

use super::vocab::Vocabulary;

/// Months after the closure date at which follow-up contacts are scheduled
/// unless the caseworker changes them.
pub const DEFAULT_OFFSETS: [u32; 3] = [3, 6, 12];
/// The largest offset accepted, in months.
pub const MAX_OFFSET_MONTHS: u32 = 60;
/// The maximum number of contacts one closure schedules.
pub const MAX_OFFSETS: usize = 8;
/// A scheduled contact is due from this many days before its date.
pub const DUE_SOON_DAYS: u64 = 14;
/// How long break-glass access lasts, in minutes.
pub const BREAK_GLASS_MINUTES: i64 = 60;
/// The shortest break-glass reason accepted, in characters.
pub const BREAK_GLASS_MIN_REASON_CHARS: usize = 20;

/// A long-term outcome observed at a follow-up contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FollowUpOutcome {
    SafeAccommodation,
    Employed,
    EducationOrTraining,
    ServicesElsewhere,
    LegalProceedingsOngoing,
    VoluntaryReturn,
    ReTrafficked,
    LostContact,
    Other,
}

impl Vocabulary for FollowUpOutcome {
    const NAME: &'static str = "followup_outcome";
    const NAME_KEY: &'static str = "followup-outcomes";
    const ALL: &'static [Self] = &[
        FollowUpOutcome::SafeAccommodation,
        FollowUpOutcome::Employed,
        FollowUpOutcome::EducationOrTraining,
        FollowUpOutcome::ServicesElsewhere,
        FollowUpOutcome::LegalProceedingsOngoing,
        FollowUpOutcome::VoluntaryReturn,
        FollowUpOutcome::ReTrafficked,
        FollowUpOutcome::LostContact,
        FollowUpOutcome::Other,
    ];

    fn as_str(self) -> &'static str {
        match self {
            FollowUpOutcome::SafeAccommodation => "safe_accommodation",
            FollowUpOutcome::Employed => "employed",
            FollowUpOutcome::EducationOrTraining => "education_or_training",
            FollowUpOutcome::ServicesElsewhere => "services_elsewhere",
            FollowUpOutcome::LegalProceedingsOngoing => "legal_proceedings_ongoing",
            FollowUpOutcome::VoluntaryReturn => "voluntary_return",
            FollowUpOutcome::ReTrafficked => "re_trafficked",
            FollowUpOutcome::LostContact => "lost_contact",
            FollowUpOutcome::Other => "other",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|value| value.as_str() == code)
    }

    fn label_key(self) -> &'static str {
        match self {
            FollowUpOutcome::SafeAccommodation => "followup-outcome-safe-accommodation",
            FollowUpOutcome::Employed => "followup-outcome-employed",
            FollowUpOutcome::EducationOrTraining => "followup-outcome-education-or-training",
            FollowUpOutcome::ServicesElsewhere => "followup-outcome-services-elsewhere",
            FollowUpOutcome::LegalProceedingsOngoing => {
                "followup-outcome-legal-proceedings-ongoing"
            }
            FollowUpOutcome::VoluntaryReturn => "followup-outcome-voluntary-return",
            FollowUpOutcome::ReTrafficked => "followup-outcome-re-trafficked",
            FollowUpOutcome::LostContact => "followup-outcome-lost-contact",
            FollowUpOutcome::Other => "followup-outcome-other",
        }
    }
}

/// Error of [`parse_offsets`]: an invalid month or too many contacts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OffsetError {
    #[error("{0:?} is not a whole number of months")]
    NotANumber(String),
    #[error("{0} months is outside 1 to {MAX_OFFSET_MONTHS}")]
    OutOfRange(u32),
    #[error("more than {MAX_OFFSETS} follow-up contacts")]
    TooMany,
}

/// Parses the months after closure typed on the closure form, separated by
/// commas, semicolons or spaces (`"3, 6, 12"`). Returns them sorted without
/// repeats; an empty text means no follow-up at all.
pub fn parse_offsets(text: &str) -> Result<Vec<u32>, OffsetError> {
    let mut offsets = Vec::new();
    for part in text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|part| !part.is_empty())
    {
        let months: u32 = part
            .parse()
            .map_err(|_| OffsetError::NotANumber(part.to_owned()))?;
        if months == 0 || months > MAX_OFFSET_MONTHS {
            return Err(OffsetError::OutOfRange(months));
        }
        offsets.push(months);
    }
    offsets.sort_unstable();
    offsets.dedup();
    if offsets.len() > MAX_OFFSETS {
        return Err(OffsetError::TooMany);
    }
    Ok(offsets)
}

/// Writes offsets the way the closure form shows them (`"3, 6, 12"`).
pub fn format_offsets(offsets: &[u32]) -> String {
    offsets
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Returns the date `months` after `closed_on`. The 31st becomes the last
/// day of a shorter month.
pub fn due_date(closed_on: NaiveDate, months: u32) -> NaiveDate {
    closed_on
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Returns whether a contact scheduled for `due_on` counts as due on
/// `today`, which it does from [`DUE_SOON_DAYS`] days before that date on.
pub fn is_due(due_on: NaiveDate, today: NaiveDate) -> bool {
    due_on <= due_window_end(today)
}

/// Returns the last date a contact may fall on to count as due on `today`.
pub fn due_window_end(today: NaiveDate) -> NaiveDate {
    today
        .checked_add_days(chrono::Days::new(DUE_SOON_DAYS))
        .unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn offsets_parse_sorted_without_repeats() {
        assert_eq!(parse_offsets("12, 3;6 3").unwrap(), [3, 6, 12]);
        assert_eq!(parse_offsets("  ").unwrap(), Vec::<u32>::new());
        assert_eq!(
            parse_offsets("3, six"),
            Err(OffsetError::NotANumber("six".to_owned()))
        );
        assert_eq!(parse_offsets("0"), Err(OffsetError::OutOfRange(0)));
        assert_eq!(parse_offsets("61"), Err(OffsetError::OutOfRange(61)));
        assert_eq!(
            parse_offsets("-3").unwrap_err(),
            OffsetError::NotANumber("-3".to_owned())
        );
        assert_eq!(
            parse_offsets("1 2 3 4 5 6 7 8 9"),
            Err(OffsetError::TooMany)
        );
        assert_eq!(format_offsets(&DEFAULT_OFFSETS), "3, 6, 12");
    }

    #[test]
    fn due_dates_follow_calendar_months() {
        assert_eq!(due_date(date(2026, 1, 15), 3), date(2026, 4, 15));
        assert_eq!(due_date(date(2026, 8, 31), 6), date(2027, 2, 28));
        assert_eq!(due_date(date(2026, 3, 1), 12), date(2027, 3, 1));
    }

    #[test]
    fn contact_is_due_two_weeks_ahead_and_after() {
        let today = date(2026, 6, 1);
        assert!(is_due(date(2026, 6, 15), today));
        assert!(!is_due(date(2026, 6, 16), today));
        assert!(is_due(date(2026, 1, 1), today));
    }

    #[test]
    fn outcome_codes_round_trip() {
        for outcome in FollowUpOutcome::ALL {
            assert_eq!(FollowUpOutcome::parse(outcome.as_str()), Some(*outcome));
            assert!(outcome.label_key().starts_with("followup-outcome-"));
        }
        assert_eq!(FollowUpOutcome::parse("unknown"), None);
    }
}
