//! Interface translations and locale-aware formatting.
//!
//! Messages live in `crates/web/locales/{el,en}/*.ftl` and are compiled into
//! the binary. Greek is the default and the fallback language: a message
//! missing in English is shown in Greek, and a message missing in both is
//! logged and shown as its key. Plural forms come from Fluent's CLDR rules.
//!
//! Dates and times are shown as `dd/mm/yyyy` and `dd/mm/yyyy HH:MM` in
//! Europe/Athens time for both languages. Numbers are grouped with `.` in
//! Greek and with `,` in English.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Europe::Athens;
use fluent_templates::fluent_bundle::{FluentResource, FluentValue};
use fluent_templates::{FluentBundle, LanguageIdentifier, Loader, static_loader};
use procap_domain::account::PasswordPolicyError;
use procap_domain::locale::Locale;
use procap_domain::role::Role;
use procap_domain::training::Points;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "el",
        // The staff interface is left-to-right only, so Unicode isolation
        // marks around arguments would only get in the way.
        customise: |bundle| {
            bundle.set_use_isolating(false);
            set_number_formatter(bundle);
        },
    };
}

static GREEK: LazyLock<LanguageIdentifier> = LazyLock::new(|| language_identifier("el"));
static ENGLISH: LazyLock<LanguageIdentifier> = LazyLock::new(|| language_identifier("en"));

fn language_identifier(tag: &str) -> LanguageIdentifier {
    tag.parse()
        .unwrap_or_else(|error| panic!("built-in language tag {tag:?} is invalid: {error}"))
}

/// Makes Fluent group integer arguments the way the bundle's language does.
fn set_number_formatter(bundle: &mut FluentBundle<&'static FluentResource>) {
    let is_english = bundle
        .locales
        .first()
        .is_some_and(|language| language.language.as_str() == "en");
    if is_english {
        bundle.set_formatter(Some(format_fluent_number_en));
    } else {
        bundle.set_formatter(Some(format_fluent_number_el));
    }
}

fn format_fluent_number_el<M>(value: &FluentValue, _memoizer: &M) -> Option<String> {
    format_fluent_integer(Locale::El, value)
}

fn format_fluent_number_en<M>(value: &FluentValue, _memoizer: &M) -> Option<String> {
    format_fluent_integer(Locale::En, value)
}

/// Groups whole-number arguments; anything else keeps Fluent's own output.
fn format_fluent_integer(locale: Locale, value: &FluentValue) -> Option<String> {
    let FluentValue::Number(number) = value else {
        return None;
    };
    let is_plain_integer = number.value.fract() == 0.0
        && number.value.abs() < 9.0e15
        && number.options.minimum_fraction_digits.is_none();
    if !is_plain_integer {
        return None;
    }
    #[expect(
        clippy::cast_possible_truncation,
        reason = "the value is a whole number below 2^53, so the cast is exact"
    )]
    let integer = number.value as i64;
    Some(format_number(locale, integer))
}

/// A value for a placeholder in a Fluent message.
///
/// Numbers take part in plural selection (`{ $count -> [one] … *[other] … }`)
/// and are shown with the language's digit grouping, so pass years and
/// identifiers as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Number(i64),
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Text(value)
    }
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Text(value.to_owned())
    }
}

impl From<i64> for Arg {
    fn from(value: i64) -> Self {
        Arg::Number(value)
    }
}

impl From<i32> for Arg {
    fn from(value: i32) -> Self {
        Arg::Number(i64::from(value))
    }
}

impl From<u32> for Arg {
    fn from(value: u32) -> Self {
        Arg::Number(i64::from(value))
    }
}

/// Templates pass values by reference, sometimes twice over.
impl<T: Clone + Into<Arg>> From<&T> for Arg {
    fn from(value: &T) -> Self {
        value.clone().into()
    }
}

impl From<usize> for Arg {
    fn from(value: usize) -> Self {
        Arg::Number(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

/// Translates message keys and formats values for one interface language.
/// Cheap to copy; templates call it as `ctx.t.t(…)` with a message key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Translator {
    locale: Locale,
}

impl Translator {
    pub fn new(locale: Locale) -> Self {
        Translator { locale }
    }

    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// Returns the message `key` in this language. A key missing from both
    /// languages is logged as a warning and returned as it is.
    pub fn t(&self, key: &str) -> String {
        self.lookup(key, None)
    }

    /// Returns the message `key` with its placeholders filled from `args`.
    /// A key that is missing, or whose placeholders are not all given, is
    /// logged as a warning and returned as it is.
    pub fn t_args(&self, key: &str, args: &[(&str, Arg)]) -> String {
        let fluent_args: HashMap<Cow<'static, str>, FluentValue<'static>> = args
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    Arg::Text(text) => FluentValue::from(text.clone()),
                    Arg::Number(number) => FluentValue::from(*number),
                };
                (Cow::Owned((*name).to_owned()), value)
            })
            .collect();
        self.lookup(key, Some(&fluent_args))
    }

    /// Returns the message `key` with one placeholder; shorthand for
    /// templates, where building a slice of pairs is awkward.
    pub fn t1(&self, key: &str, name: &str, value: impl Into<Arg>) -> String {
        self.t_args(key, &[(name, value.into())])
    }

    /// Returns the message `key` with two placeholders.
    pub fn t2(
        &self,
        key: &str,
        first_name: &str,
        first_value: impl Into<Arg>,
        second_name: &str,
        second_value: impl Into<Arg>,
    ) -> String {
        self.t_args(
            key,
            &[
                (first_name, first_value.into()),
                (second_name, second_value.into()),
            ],
        )
    }

    fn lookup(
        &self,
        key: &str,
        args: Option<&HashMap<Cow<'static, str>, FluentValue<'static>>>,
    ) -> String {
        let language = match self.locale {
            Locale::El => &*GREEK,
            Locale::En => &*ENGLISH,
        };
        match LOCALES.try_lookup_complete(language, key, args) {
            Some(text) => text,
            None => {
                tracing::warn!(
                    key,
                    locale = self.locale.as_str(),
                    "translation missing or its placeholders were not all given"
                );
                key.to_owned()
            }
        }
    }

    /// Returns the label of a role, e.g. "Κοινωνικός λειτουργός".
    pub fn role_label(&self, role: &Role) -> String {
        self.t(role_key(*role))
    }

    /// Formats a calendar date as `dd/mm/yyyy`.
    pub fn format_date(&self, date: &NaiveDate) -> String {
        format_date(*date)
    }

    /// Formats a UTC timestamp as `dd/mm/yyyy HH:MM` in Athens time.
    pub fn format_datetime(&self, at: &NaiveDateTime) -> String {
        format_datetime(*at)
    }

    /// Formats an optional UTC timestamp, or returns the word for "never".
    pub fn format_datetime_or_never(&self, at: &Option<NaiveDateTime>) -> String {
        match at {
            Some(at) => format_datetime(*at),
            None => self.t("never"),
        }
    }

    /// Formats an integer with this language's digit grouping.
    pub fn format_number(&self, value: &i64) -> String {
        format_number(self.locale, *value)
    }

    /// Formats quiz points without needless decimals and with this
    /// language's decimal mark: `1`, `1,5` in Greek, `1.5` in English.
    pub fn format_points(&self, points: Points) -> String {
        format_points(self.locale, points)
    }
}

/// See [`Translator::format_points`].
pub fn format_points(locale: Locale, points: Points) -> String {
    // `Points` displays as whole units, a point and two decimals.
    let plain = points.to_string();
    let trimmed = plain.trim_end_matches('0').trim_end_matches('.');
    match locale {
        Locale::El => trimmed.replace('.', ","),
        Locale::En => trimmed.to_owned(),
    }
}

/// Returns the message key of a role's label.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Admin => "role-admin",
        Role::Coordinator => "role-coordinator",
        Role::Caseworker => "role-caseworker",
        Role::Psychologist => "role-psychologist",
        Role::Lawyer => "role-lawyer",
        Role::Interpreter => "role-interpreter",
        Role::Escort => "role-escort",
        Role::Trainer => "role-trainer",
        Role::Trainee => "role-trainee",
        Role::Monitoring => "role-monitoring",
    }
}

/// Returns the message key that explains a rejected new password. The messages take
/// the placeholders `$min` and `$max` (see `password_policy_message`).
pub fn password_policy_key(error: PasswordPolicyError) -> &'static str {
    match error {
        PasswordPolicyError::TooShort => "password-error-too-short",
        PasswordPolicyError::TooLong => "password-error-too-long",
        PasswordPolicyError::Common => "password-error-common",
        PasswordPolicyError::ContainsUsername => "password-error-contains-username",
    }
}

/// Returns the translated explanation of a rejected new password, with the
/// policy's length limits filled in.
pub fn password_policy_message(t: Translator, error: PasswordPolicyError) -> String {
    use procap_domain::account::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};

    t.t2(
        password_policy_key(error),
        "min",
        MIN_PASSWORD_CHARS,
        "max",
        MAX_PASSWORD_CHARS,
    )
}

/// Formats a calendar date as `dd/mm/yyyy` (both interface languages).
pub fn format_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Converts a UTC timestamp to Europe/Athens time (EET/EEST, so daylight
/// saving is applied) and formats it as `dd/mm/yyyy HH:MM`.
pub fn format_datetime(at_utc: NaiveDateTime) -> String {
    Athens
        .from_utc_datetime(&at_utc)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// Formats an integer with thousands grouping: `1.234.567` in Greek,
/// `1,234,567` in English.
pub fn format_number(locale: Locale, value: i64) -> String {
    let separator = match locale {
        Locale::El => '.',
        Locale::En => ',',
    };
    let digits = value.unsigned_abs().to_string();

    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        grouped.push('-');
    }
    for (index, digit) in digits.chars().enumerate() {
        let remaining = digits.len() - index;
        if index > 0 && remaining.is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn greek() -> Translator {
        Translator::new(Locale::El)
    }

    fn english() -> Translator {
        Translator::new(Locale::En)
    }

    #[test]
    fn points_drop_needless_decimals_and_use_the_local_mark() {
        let whole = Points::from_hundredths(100);
        let half = Points::from_hundredths(250);
        let fine = Points::from_hundredths(1_025);
        assert_eq!(greek().format_points(whole), "1");
        assert_eq!(greek().format_points(half), "2,5");
        assert_eq!(greek().format_points(fine), "10,25");
        assert_eq!(english().format_points(half), "2.5");
        assert_eq!(
            english().format_points(Points::from_hundredths(1_000)),
            "10"
        );
        assert_eq!(greek().format_points(Points::ZERO), "0");
    }

    #[test]
    fn greek_is_default_translator() {
        assert_eq!(Translator::default().locale(), Locale::El);
        assert_eq!(Translator::default().t("login-title"), "Σύνδεση");
    }

    #[test]
    fn english_lookup_uses_english_file() {
        assert_eq!(english().t("login-title"), "Sign in");
        assert_eq!(english().t("logout"), "Sign out");
        assert_eq!(greek().t("logout"), "Αποσύνδεση");
    }

    #[test]
    fn missing_key_returns_key() {
        // A variable, so the key test does not take this for a key in use.
        let key = "no-such-message-key";
        assert_eq!(greek().t(key), key);
        assert_eq!(english().t(key), key);
    }

    #[test]
    fn missing_placeholder_returns_key() {
        assert_eq!(greek().t("home-welcome"), "home-welcome");
    }

    #[test]
    fn greek_plural_one_and_other() {
        let one = greek().t1("pagination-total", "total", 1);
        let five = greek().t1("pagination-total", "total", 5);
        assert_eq!(one, "1 εγγραφή");
        assert_eq!(five, "5 εγγραφές");
    }

    #[test]
    fn english_plural_one_and_other() {
        assert_eq!(english().t1("pagination-total", "total", 1), "1 record");
        assert_eq!(english().t1("pagination-total", "total", 5), "5 records");
    }

    #[test]
    fn fluent_numbers_grouped_per_language() {
        assert_eq!(
            greek().t1("pagination-total", "total", 12_345),
            "12.345 εγγραφές"
        );
        assert_eq!(
            english().t1("pagination-total", "total", 12_345),
            "12,345 records"
        );
    }

    #[test]
    fn arguments_have_no_isolation_marks() {
        let text = greek().t1("home-welcome", "name", "Μαρία");
        assert_eq!(text, "Καλώς ορίσατε, Μαρία");
        assert!(!text.contains('\u{2068}'));
        assert!(!text.contains('\u{2069}'));
    }

    #[test]
    fn role_labels_translated() {
        assert_eq!(
            greek().role_label(&Role::Caseworker),
            "Κοινωνικός λειτουργός"
        );
        assert_eq!(english().role_label(&Role::Caseworker), "Social worker");
        for role in Role::ALL {
            assert_ne!(
                greek().role_label(&role),
                role_key(role),
                "{role} has no Greek label"
            );
            assert_ne!(
                english().role_label(&role),
                role_key(role),
                "{role} has no English label"
            );
        }
    }

    #[test]
    fn password_policy_message_fills_limits() {
        let message = password_policy_message(greek(), PasswordPolicyError::TooShort);
        assert!(message.contains("12"), "{message}");
        let message = password_policy_message(english(), PasswordPolicyError::TooLong);
        assert!(message.contains("256"), "{message}");
    }

    #[test]
    fn date_format_day_month_year() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
        assert_eq!(format_date(date), "07/03/2026");
        assert_eq!(english().format_date(&date), "07/03/2026");
    }

    #[test]
    fn datetime_summer_time_athens() {
        let at = NaiveDate::from_ymd_opt(2026, 7, 1)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        assert_eq!(format_datetime(at), "01/07/2026 13:00");
    }

    #[test]
    fn datetime_winter_time_athens() {
        let at = NaiveDate::from_ymd_opt(2026, 1, 15)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        assert_eq!(format_datetime(at), "15/01/2026 12:00");
    }

    #[test]
    fn datetime_crosses_midnight_athens() {
        let at = NaiveDate::from_ymd_opt(2026, 12, 31)
            .unwrap()
            .and_hms_opt(22, 30, 0)
            .unwrap();
        assert_eq!(format_datetime(at), "01/01/2027 00:30");
    }

    #[test]
    fn never_for_missing_datetime() {
        assert_eq!(greek().format_datetime_or_never(&None), "Ποτέ");
        assert_eq!(english().format_datetime_or_never(&None), "Never");
    }

    #[test]
    fn number_grouping_greek_and_english() {
        assert_eq!(format_number(Locale::El, 1234), "1.234");
        assert_eq!(format_number(Locale::En, 1234), "1,234");
        assert_eq!(format_number(Locale::El, 1_234_567), "1.234.567");
        assert_eq!(format_number(Locale::En, -1_234_567), "-1,234,567");
        assert_eq!(format_number(Locale::El, 999), "999");
        assert_eq!(format_number(Locale::El, 0), "0");
        assert_eq!(
            format_number(Locale::En, i64::MIN),
            "-9,223,372,036,854,775,808"
        );
    }
}
