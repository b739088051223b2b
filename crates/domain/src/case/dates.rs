//! Checks of the dates and the estimated age entered when a case is
//! registered or closed. Each failed rule is one [`DateRuleError`], so a
//! form can show every problem at once.

use chrono::NaiveDate;

/// Largest estimated age accepted, in years.
pub const ESTIMATED_AGE_MAX: u32 = 120;

/// The dates and age of a registration to check. Missing values are not
/// checked, because the form decides which fields are required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistrationDates {
    /// The person's date of birth, if known.
    pub birth_date: Option<NaiveDate>,
    /// The person's estimated age in years, when the birth date is unknown.
    pub estimated_age: Option<u32>,
    /// The date the person was referred to the organisation.
    pub referral_date: Option<NaiveDate>,
    /// The date the case was opened.
    pub opened_on: Option<NaiveDate>,
    /// The date the case was closed.
    pub closed_on: Option<NaiveDate>,
}

/// A broken date rule. The web layer shows each as the Fluent message
/// [`DateRuleError::message_key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum DateRuleError {
    /// The birth date is after today.
    #[error("the birth date is in the future")]
    BirthDateInFuture,
    /// The birth date is after the referral date.
    #[error("the birth date is after the referral date")]
    BirthDateAfterReferral,
    /// The referral date is after today.
    #[error("the referral date is in the future")]
    ReferralDateInFuture,
    /// The closure date is before the opening date.
    #[error("the case is closed before it was opened")]
    ClosedBeforeOpened,
    /// The estimated age is over [`ESTIMATED_AGE_MAX`].
    #[error("the estimated age must be from 0 to 120 years")]
    EstimatedAgeOutOfRange,
}

impl DateRuleError {
    /// Every rule, in the order [`validate_registration`] checks them.
    pub const ALL: [DateRuleError; 5] = [
        DateRuleError::BirthDateInFuture,
        DateRuleError::BirthDateAfterReferral,
        DateRuleError::ReferralDateInFuture,
        DateRuleError::ClosedBeforeOpened,
        DateRuleError::EstimatedAgeOutOfRange,
    ];

    /// Returns the Fluent key of the message shown to the user.
    pub fn message_key(self) -> &'static str {
        match self {
            DateRuleError::BirthDateInFuture => "case-error-birth-date-in-future",
            DateRuleError::BirthDateAfterReferral => "case-error-birth-date-after-referral",
            DateRuleError::ReferralDateInFuture => "case-error-referral-date-in-future",
            DateRuleError::ClosedBeforeOpened => "case-error-closed-before-opened",
            DateRuleError::EstimatedAgeOutOfRange => "case-error-estimated-age-out-of-range",
        }
    }
}

/// Checks `dates` against `today` and returns every broken rule, in the
/// order of [`DateRuleError::ALL`].
///
/// # Errors
///
/// The non-empty list of broken rules.
pub fn validate_registration(
    dates: &RegistrationDates,
    today: NaiveDate,
) -> Result<(), Vec<DateRuleError>> {
    let mut errors = Vec::new();

    if let Some(birth) = dates.birth_date {
        if birth > today {
            errors.push(DateRuleError::BirthDateInFuture);
        }
        if dates.referral_date.is_some_and(|referral| birth > referral) {
            errors.push(DateRuleError::BirthDateAfterReferral);
        }
    }
    if dates.referral_date.is_some_and(|referral| referral > today) {
        errors.push(DateRuleError::ReferralDateInFuture);
    }
    if let (Some(opened), Some(closed)) = (dates.opened_on, dates.closed_on)
        && closed < opened
    {
        errors.push(DateRuleError::ClosedBeforeOpened);
    }
    if dates
        .estimated_age
        .is_some_and(|age| age > ESTIMATED_AGE_MAX)
    {
        errors.push(DateRuleError::EstimatedAgeOutOfRange);
    }

    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
