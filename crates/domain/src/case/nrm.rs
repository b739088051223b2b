//! The National Referral Mechanism (NRM) status of a case and its legal
//! clocks: the allowed status changes, the reflection period and the
//! reminder rule for deadlines such as a residence permit's expiry.

use chrono::{Days, Months, NaiveDate};

use super::vocab::NrmStatus;
use crate::role::Role;

/// Length of the reflection period, in calendar months.
pub const REFLECTION_PERIOD_MONTHS: u32 = 3;
/// Extension of the reflection period for a minor, in calendar months.
pub const REFLECTION_EXTENSION_MINOR_MONTHS: u32 = 2;
/// Days before a residence permit expires when the first reminder is due.
pub const RESIDENCE_PERMIT_FIRST_REMINDER_DAYS: i64 = 60;
/// Days before a residence permit expires when the second reminder is due.
pub const RESIDENCE_PERMIT_SECOND_REMINDER_DAYS: i64 = 30;
/// Days before the reflection period ends when its reminder is due.
pub const REFLECTION_PERIOD_REMINDER_DAYS: i64 = 30;
/// Days ahead that the list of NRM deadlines covers. A reflection period or
/// residence permit that ends within this window, or has ended, is listed.
pub const DEADLINE_WINDOW_DAYS: i64 = 30;
/// Both residence permit reminders, earliest first.
pub const RESIDENCE_PERMIT_REMINDER_DAYS: [i64; 2] = [
    RESIDENCE_PERMIT_FIRST_REMINDER_DAYS,
    RESIDENCE_PERMIT_SECOND_REMINDER_DAYS,
];

/// Returns true when the NRM status may move from `from` to `to` in the normal course
/// of a case: not_referred → referred → presumed_victim → identified or
/// not_identified, and referred → not_identified. Staying at the same status
/// is not a transition, and there is no way back except [`can_correct`].
pub fn can_transition(from: NrmStatus, to: NrmStatus) -> bool {
    use NrmStatus::{Identified, NotIdentified, NotReferred, PresumedVictim, Referred};

    matches!(
        (from, to),
        (NotReferred, Referred)
            | (Referred, PresumedVictim)
            | (Referred, NotIdentified)
            | (PresumedVictim, Identified)
            | (PresumedVictim, NotIdentified)
    )
}

/// Lists the statuses that [`can_transition`] allows from `from`, in
/// vocabulary order. The list is empty for the final statuses identified and
/// not_identified.
pub fn allowed_next(from: NrmStatus) -> Vec<NrmStatus> {
    NrmStatus::ALL
        .iter()
        .copied()
        .filter(|&to| can_transition(from, to))
        .collect()
}

/// Returns true when a user with `role` may set the status from `from` to `to` to
/// correct a mistake, including a move back. Only a coordinator may, and
/// only to a different status. A normal forward move is [`can_transition`].
pub fn can_correct(role: Role, from: NrmStatus, to: NrmStatus) -> bool {
    role == Role::Coordinator && from != to
}

/// Returns the last day of the reflection period that starts on `start`:
/// three calendar months later, plus two more months when the person is a
/// minor and the period was extended. `extended` has no effect for an adult.
///
/// A month end maps to the last day of the shorter month, so 30 November plus
/// three months is 28 February (29 February in a leap year). Dates beyond
/// chrono's range saturate at [`NaiveDate::MAX`].
pub fn reflection_period_end(start: NaiveDate, is_minor: bool, extended: bool) -> NaiveDate {
    let mut months = REFLECTION_PERIOD_MONTHS;
    if is_minor && extended {
        months += REFLECTION_EXTENSION_MINOR_MONTHS;
    }
    start
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Returns true when a reminder for `deadline` is due on `today`: from `days_before`
/// days before the deadline up to and including the deadline itself. After
/// the deadline the reminder is no longer due (the deadline is overdue, which
/// callers report separately). A negative `days_before` is never due.
pub fn reminder_due(deadline: NaiveDate, today: NaiveDate, days_before: i64) -> bool {
    if days_before < 0 {
        return false;
    }
    let days_left = deadline.signed_duration_since(today).num_days();
    (0..=days_before).contains(&days_left)
}

/// Returns the date on which the reminder `days_before` a deadline becomes
/// due, or `None` when it falls outside chrono's range or `days_before` is
/// negative.
pub fn reminder_date(deadline: NaiveDate, days_before: i64) -> Option<NaiveDate> {
    let days = u64::try_from(days_before).ok()?;
    deadline.checked_sub_days(Days::new(days))
}

/// A legal clock of the NRM whose end staff must act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NrmDeadlineKind {
    /// The reflection period ends.
    ReflectionPeriod,
    /// The residence permit expires.
    ResidencePermit,
}

impl NrmDeadlineKind {
    /// The stable identifier used in pages and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            NrmDeadlineKind::ReflectionPeriod => "reflection_period",
            NrmDeadlineKind::ResidencePermit => "residence_permit",
        }
    }
}

/// Returns true when the end of the reflection period still needs a
/// reminder for a case at NRM `status`: only while the person is a presumed
/// victim. Once the status moves on, the period no longer runs.
pub fn reflection_reminder_applies(status: NrmStatus) -> bool {
    status == NrmStatus::PresumedVictim
}

/// Returns true when `deadline` belongs in the list of NRM deadlines on
/// `today`: it ends within `window_days` days from today or has passed.
pub fn deadline_listed(deadline: NaiveDate, today: NaiveDate, window_days: i64) -> bool {
    deadline < today || reminder_due(deadline, today, window_days)
}

/// Returns the last date that [`deadline_listed`] still lists on `today`,
/// for a query that selects every deadline on or before it.
pub fn deadline_window_end(today: NaiveDate, window_days: i64) -> NaiveDate {
    u64::try_from(window_days)
        .ok()
        .and_then(|days| today.checked_add_days(Days::new(days)))
        .unwrap_or(today)
}

#[cfg(test)]
mod deadline_tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn deadline_listed_within_window_or_past() {
        let today = date("2026-06-01");
        assert!(deadline_listed(
            date("2026-06-11"),
            today,
            DEADLINE_WINDOW_DAYS
        ));
        assert!(deadline_listed(
            date("2026-07-01"),
            today,
            DEADLINE_WINDOW_DAYS
        ));
        assert!(!deadline_listed(
            date("2026-07-02"),
            today,
            DEADLINE_WINDOW_DAYS
        ));
        assert!(!deadline_listed(
            date("2026-08-30"),
            today,
            DEADLINE_WINDOW_DAYS
        ));
        assert!(deadline_listed(
            date("2026-05-01"),
            today,
            DEADLINE_WINDOW_DAYS
        ));
        assert!(deadline_listed(today, today, 0));
    }

    #[test]
    fn window_end_matches_listing() {
        let today = date("2026-06-01");
        let end = deadline_window_end(today, DEADLINE_WINDOW_DAYS);
        assert_eq!(end, date("2026-07-01"));
        assert!(deadline_listed(end, today, DEADLINE_WINDOW_DAYS));
        assert!(!deadline_listed(
            end.succ_opt().unwrap(),
            today,
            DEADLINE_WINDOW_DAYS
        ));
        assert_eq!(deadline_window_end(today, -5), today);
    }

    #[test]
    fn reflection_reminder_only_for_presumed_victims() {
        for status in NrmStatus::ALL.iter().copied() {
            assert_eq!(
                reflection_reminder_applies(status),
                status == NrmStatus::PresumedVictim,
                "{}",
                status.as_str()
            );
        }
    }
}
