//! Screening pages of a case: the history, the indicator checklist of one
//! list, and the printable result.
//!
//! The result is screening guidance for the caseworker. No text here or in
//! `screening.ftl` states that the person is a victim: only the public
//! prosecutor formally identifies a victim.

use askama::Template;
use procap_domain::locale::Locale;
use procap_domain::screening::{AgeGroup, Dimension, ExploitationForm, Indicator, Strength};

use super::{FieldErrors, PageContext};
use crate::i18n::Translator;

/// Returns the path of a case's screening history.
pub fn screening_href(case_id: &str) -> String {
    format!("/cases/{case_id}/screening")
}

/// Returns the path of the checklist for one list.
pub fn new_screening_href(case_id: &str, age: AgeGroup, form: ExploitationForm) -> String {
    format!(
        "/cases/{case_id}/screening/new?age={}&form={}",
        age.as_str(),
        form.as_str()
    )
}

/// Returns the path of one screening's result.
pub fn screening_result_href(case_id: &str, screening_id: &str) -> String {
    format!("/cases/{case_id}/screening/{screening_id}")
}

/// Returns the Fluent key of a dimension's name.
pub fn dimension_key(dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::DeceptiveRecruitment => "screening-dimension-deceptive-recruitment",
        Dimension::CoerciveRecruitment => "screening-dimension-coercive-recruitment",
        Dimension::RecruitmentByAbuseOfVulnerability => {
            "screening-dimension-recruitment-by-abuse-of-vulnerability"
        }
        Dimension::ExploitativeConditions => "screening-dimension-exploitative-conditions",
        Dimension::CoercionAtDestination => "screening-dimension-coercion-at-destination",
        Dimension::AbuseOfVulnerabilityAtDestination => {
            "screening-dimension-abuse-of-vulnerability-at-destination"
        }
    }
}

/// Returns the Fluent key of a strength grade.
pub fn strength_key(strength: Strength) -> &'static str {
    match strength {
        Strength::Strong => "screening-strength-strong",
        Strength::Medium => "screening-strength-medium",
        Strength::Weak => "screening-strength-weak",
    }
}

/// Returns the Fluent key of a list's name, such as "adult, labour
/// exploitation".
pub fn list_key(age: AgeGroup, form: ExploitationForm) -> &'static str {
    match (age, form) {
        (AgeGroup::Adult, ExploitationForm::Labour) => "screening-list-adult-labour",
        (AgeGroup::Adult, ExploitationForm::Sexual) => "screening-list-adult-sexual",
        (AgeGroup::Child, ExploitationForm::Labour) => "screening-list-child-labour",
        (AgeGroup::Child, ExploitationForm::Sexual) => "screening-list-child-sexual",
    }
}

/// Returns the Fluent key of an age group's name.
pub fn age_key(age: AgeGroup) -> &'static str {
    match age {
        AgeGroup::Adult => "screening-age-adult",
        AgeGroup::Child => "screening-age-child",
    }
}

/// Returns the Fluent key of a form of exploitation's name.
pub fn form_key(form: ExploitationForm) -> &'static str {
    match form {
        ExploitationForm::Labour => "screening-form-labour",
        ExploitationForm::Sexual => "screening-form-sexual",
    }
}

/// Returns an indicator's label in `locale`. Labels are data of the
/// indicator file, kept there in both languages.
pub fn indicator_label(locale: Locale, indicator: &Indicator) -> String {
    match locale {
        Locale::El => indicator.label_el.clone(),
        Locale::En => indicator.label_en.clone(),
    }
}

/// One row of the screening history.
#[derive(Debug, Clone)]
pub struct ScreeningRow {
    pub href: String,
    pub screened_at: String,
    pub screened_by: String,
    pub list: String,
    pub trafficking_indicated: bool,
    /// Names of the positive dimensions, joined with ", ".
    pub positive_dimensions: String,
}

#[derive(Template)]
#[template(path = "case_screening.html")]
pub struct ScreeningListPage {
    pub ctx: PageContext,
    pub case_id: String,
    pub case_code: String,
    pub rows: Vec<ScreeningRow>,
    /// Whether the user may record a screening.
    pub can_record: bool,
    pub new_href: String,
}

impl ScreeningListPage {
    pub fn case_href(&self) -> String {
        format!("/cases/{}", self.case_id)
    }
}

/// A link to one of the four lists.
#[derive(Debug, Clone)]
pub struct ListLink {
    pub label: String,
    pub href: String,
}

/// One indicator as a checkbox of the checklist.
#[derive(Debug, Clone)]
pub struct IndicatorItem {
    pub id: String,
    /// The `id` attribute of the checkbox, unique on the page.
    pub html_id: String,
    pub label: String,
    pub strength: String,
    /// `strong`, `medium` or `weak`, for a CSS class.
    pub strength_code: &'static str,
    pub checked: bool,
}

impl IndicatorItem {
    /// Returns the CSS classes of the strength badge.
    pub fn badge_class(&self) -> &'static str {
        match self.strength_code {
            "strong" => "badge badge-warn",
            "medium" => "badge",
            _ => "badge badge-muted",
        }
    }
}

/// The indicators of one dimension.
#[derive(Debug, Clone)]
pub struct IndicatorGroup {
    pub code: &'static str,
    pub title: String,
    pub items: Vec<IndicatorItem>,
}

#[derive(Template)]
#[template(path = "case_screening_form.html")]
pub struct ScreeningFormPage {
    pub ctx: PageContext,
    pub case_id: String,
    pub case_code: String,
    pub age: &'static str,
    pub form: &'static str,
    pub list_name: String,
    /// False when the list has no indicators and cannot be used.
    pub available: bool,
    /// False while a grade of the list awaits verification.
    pub verified: bool,
    /// The lists that can be used, offered when this one cannot.
    pub available_lists: Vec<ListLink>,
    pub age_options: Vec<super::SelectOption>,
    pub form_options: Vec<super::SelectOption>,
    pub groups: Vec<IndicatorGroup>,
    pub notes: String,
    pub errors: FieldErrors,
}

impl ScreeningFormPage {
    pub fn action(&self) -> String {
        format!("/cases/{}/screening/new", self.case_id)
    }

    pub fn history_href(&self) -> String {
        screening_href(&self.case_id)
    }
}

/// One dimension of a result with the indicators that were present in it.
#[derive(Debug, Clone)]
pub struct DimensionSummary {
    pub title: String,
    pub positive: bool,
    /// The number of present indicators of each strength, as a sentence.
    pub counts: String,
    /// `(label, strength)` of each present indicator.
    pub indicators: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "case_screening_result.html")]
pub struct ScreeningResultPage {
    pub ctx: PageContext,
    pub case_id: String,
    pub case_code: String,
    pub screening_id: String,
    pub screened_at: String,
    pub screened_by: String,
    pub list: String,
    pub trafficking_indicated: bool,
    pub verified: bool,
    /// Shown when the stored indicators no longer match the built-in list,
    /// so only the stored outcome can be shown.
    pub details_unavailable: bool,
    pub dimensions: Vec<DimensionSummary>,
    /// Names of the positive dimensions as stored with the screening.
    pub positive_dimensions: Vec<String>,
    pub notes: String,
}

impl ScreeningResultPage {
    pub fn history_href(&self) -> String {
        screening_href(&self.case_id)
    }

    pub fn print_href(&self) -> String {
        format!(
            "{}?print=1",
            screening_result_href(&self.case_id, &self.screening_id)
        )
    }

    pub fn self_href(&self) -> String {
        screening_result_href(&self.case_id, &self.screening_id)
    }
}

/// The same result without the site's header and navigation, for printing.
/// The template reads the inner page's fields through `Deref`.
#[derive(Template)]
#[template(path = "case_screening_print.html")]
pub struct ScreeningPrintPage(pub ScreeningResultPage);

impl std::ops::Deref for ScreeningPrintPage {
    type Target = ScreeningResultPage;

    fn deref(&self) -> &ScreeningResultPage {
        &self.0
    }
}

/// Returns the names of ';'-joined dimension codes; an unknown code is shown
/// as it is.
pub fn dimension_names(t: &Translator, codes: &str) -> Vec<String> {
    codes
        .split(';')
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .map(|code| match Dimension::parse(code) {
            Some(dimension) => t.t(dimension_key(dimension)),
            None => code.to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key this module builds from the domain enums, for both
    /// languages.
    fn mapped_keys() -> Vec<&'static str> {
        let mut keys: Vec<&'static str> = Dimension::ALL.into_iter().map(dimension_key).collect();
        keys.extend(Strength::ALL.into_iter().map(strength_key));
        for age in AgeGroup::ALL {
            keys.push(age_key(age));
            for form in ExploitationForm::ALL {
                keys.push(list_key(age, form));
            }
        }
        keys.extend(ExploitationForm::ALL.into_iter().map(form_key));
        keys
    }

    #[test]
    fn mapped_keys_translated_in_both_languages() {
        let greek = Translator::new(Locale::El);
        let english = Translator::new(Locale::En);
        for key in mapped_keys() {
            let el = greek.t(key);
            let en = english.t(key);
            assert_ne!(el, key, "missing Greek text for {key}");
            assert_ne!(en, key, "missing English text for {key}");
            assert_ne!(el, en, "English text for {key} falls back to Greek");
        }
    }

    #[test]
    fn dimension_names_keep_unknown_codes() {
        let t = Translator::new(Locale::En);
        let names = dimension_names(&t, "exploitative_conditions;;retired_code");
        assert_eq!(names.len(), 2);
        assert_eq!(names[0], t.t("screening-dimension-exploitative-conditions"));
        assert_eq!(names[1], "retired_code");
    }
}
