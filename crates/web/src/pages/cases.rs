//! Case pages: the scoped case list with its filters, the registration form
//! with the duplicate notice, and the case page.
//!
//! Labels of vocabulary codes are translated here, so the templates only
//! print text. Values typed by staff (names, contacts) are data and are
//! never logged: the structs that hold them have a redacted `Debug`.

use askama::Template;
use procap_domain::case::geo;
use procap_domain::case::vocab::{
    CaseOrigin, CaseStatus, ExploitationType, ForcedLabourIndustry, InterpreterGender, LegalStatus,
    MeansOfControl, NrmStatus, RecruitmentMethod, ReferralSource, Region, Setting, Sex,
    TraffickerRelationship, Vocabulary, Vulnerability,
};
use procap_domain::locale::Locale;

use super::admin::encode_segment;
use super::{FieldErrors, PageContext, Pagination, SelectOption, paths};
use crate::i18n::Translator;

/// Returns the translated label of a stored vocabulary code; a code the
/// vocabulary does not contain is shown as it is.
pub fn code_label<V: Vocabulary>(t: &Translator, code: &str) -> String {
    match V::parse(code) {
        Some(value) => t.t(value.label_key()),
        None => code.to_owned(),
    }
}

/// Returns the labels of a ';'-joined list of codes, joined with ", ".
pub fn code_list_label<V: Vocabulary>(t: &Translator, codes: &str) -> String {
    codes
        .split(';')
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .map(|code| code_label::<V>(t, code))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Returns the names of a ';'-joined list of country codes in `locale`.
pub fn country_names(locale: Locale, codes: &str) -> String {
    codes
        .split(';')
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .map(|code| geo::country(code).map_or(code, |country| country.name(locale)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Returns the names of a ';'-joined list of language codes in `locale`.
pub fn language_names(locale: Locale, codes: &str) -> String {
    codes
        .split(';')
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .map(|code| geo::language(code).map_or(code, |language| language.name(locale)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The options of a single-choice vocabulary, with `selected` marked.
pub fn vocabulary_options<V: Vocabulary>(t: &Translator, selected: &str) -> Vec<SelectOption> {
    V::ALL
        .iter()
        .map(|value| {
            SelectOption::new(
                value.as_str(),
                t.t(value.label_key()),
                value.as_str() == selected,
            )
        })
        .collect()
}

/// The checkboxes of a multi-choice vocabulary, with the `selected` codes
/// ticked.
pub fn vocabulary_checkboxes<V: Vocabulary>(
    t: &Translator,
    selected: &[String],
) -> Vec<SelectOption> {
    V::ALL
        .iter()
        .map(|value| {
            SelectOption::new(
                value.as_str(),
                t.t(value.label_key()),
                selected.iter().any(|code| code == value.as_str()),
            )
        })
        .collect()
}

/// Returns the path of a case page.
pub fn case_href(case_id: &str) -> String {
    format!("{}/{}", paths::CASES, encode_segment(case_id))
}

/// One row of the case list, already translated. Holds no identifying data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub href: String,
    pub code: String,
    pub status: String,
    pub nrm_status: String,
    pub region: String,
    pub sex: String,
    /// The age bracket's label, or empty when unknown.
    pub age_bracket: String,
    pub is_minor: bool,
    pub exploitation_types: String,
    /// `dd/mm/yyyy`.
    pub opened_on: String,
    /// An anonymised historical record (CTDC import), not a person.
    pub anonymised: bool,
}

impl CaseRow {
    /// Translates a stored list row.
    pub fn from_store(t: &Translator, row: &procap_store::cases::CaseListRow) -> CaseRow {
        CaseRow {
            href: case_href(&row.id),
            code: row.code.clone(),
            status: code_label::<CaseStatus>(t, &row.status),
            nrm_status: code_label::<NrmStatus>(t, &row.nrm_status),
            region: code_label::<Region>(t, &row.region),
            sex: code_label::<Sex>(t, &row.sex),
            age_bracket: row
                .age_bracket
                .as_deref()
                .map(|bracket| code_label::<procap_domain::case::vocab::AgeBracket>(t, bracket))
                .unwrap_or_default(),
            is_minor: row.is_minor,
            exploitation_types: code_list_label::<ExploitationType>(t, &row.exploitation_types),
            opened_on: t.format_date(&row.opened_on),
            anonymised: row.origin == CaseOrigin::CtdcImport.as_str(),
        }
    }
}

/// The filters of the case list as typed (query parameters `status`,
/// `nrm_status`, `region`, `origin`, `code`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilterForm {
    pub status: String,
    pub nrm_status: String,
    pub region: String,
    pub origin: String,
    pub code: String,
}

impl CaseFilterForm {
    pub fn is_empty(&self) -> bool {
        self.status.is_empty()
            && self.nrm_status.is_empty()
            && self.region.is_empty()
            && self.origin.is_empty()
            && self.code.is_empty()
    }

    /// The filters as query parameters for the pagination links.
    pub fn params(&self) -> Vec<(String, String)> {
        vec![
            ("status".to_owned(), self.status.clone()),
            ("nrm_status".to_owned(), self.nrm_status.clone()),
            ("region".to_owned(), self.region.clone()),
            ("origin".to_owned(), self.origin.clone()),
            ("code".to_owned(), self.code.clone()),
        ]
    }
}

/// The case list.
#[derive(Debug, Clone, Template)]
#[template(path = "case_list.html")]
pub struct CaseListPage {
    pub ctx: PageContext,
    pub rows: Vec<CaseRow>,
    pub filter: CaseFilterForm,
    pub pagination: Pagination,
    /// Shows the "new case" link.
    pub can_register: bool,
    /// Shows the link to the HTCDS import (coordinators).
    pub can_import: bool,
}

impl CaseListPage {
    pub fn action(&self) -> &'static str {
        paths::CASES
    }

    pub fn new_case_href(&self) -> &'static str {
        paths::CASES_NEW
    }

    pub fn import_href(&self) -> &'static str {
        super::case_import::IMPORT_PATH
    }

    pub fn status_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<CaseStatus>(&self.ctx.t, &self.filter.status)
    }

    pub fn nrm_status_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<NrmStatus>(&self.ctx.t, &self.filter.nrm_status)
    }

    pub fn region_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<Region>(&self.ctx.t, &self.filter.region)
    }

    pub fn origin_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<CaseOrigin>(&self.ctx.t, &self.filter.origin)
    }
}

/// The values of the registration form as typed, kept when the form comes
/// back with errors or with the duplicate notice. Field names are the
/// struct's field names; the multi-choice fields repeat their name.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CaseForm {
    pub referral_source: String,
    /// `YYYY-MM-DD`.
    pub referred_on: String,
    pub referring_contact: String,
    pub referral_reason: String,
    pub given_name: String,
    pub family_name: String,
    pub aliases: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// Whole years.
    pub estimated_age: String,
    pub sex: String,
    pub gender_identity: String,
    /// ';'-separated ISO 3166-1 alpha-2 codes.
    pub citizenships: String,
    /// ';'-separated ISO 639 codes.
    pub languages: String,
    pub interpreter_gender: String,
    pub legal_status: String,
    pub contact: String,
    pub household: String,
    pub vulnerabilities: Vec<String>,
    /// One document number per line.
    pub document_numbers: String,
    pub region: String,
    pub setting: String,
    pub facility: String,
    pub exploitation_types: Vec<String>,
    pub forced_labour_industry: String,
    pub means_of_control: Vec<String>,
    pub recruitment_method: String,
    pub trafficker_relationship: String,
    pub countries_recruitment: String,
    pub countries_transit: String,
    pub countries_exploitation: String,
    /// The one-time token against double submission.
    pub form_token: String,
    /// The user ticked "I checked; register as a new case".
    pub duplicate_checked: bool,
    /// The form was sent back with the duplicate notice before.
    pub duplicate_seen: bool,
}

impl std::fmt::Debug for CaseForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CaseForm(<redacted>)")
    }
}

/// The value a ticked confirmation checkbox or a carried flag sends.
pub const YES: &str = "yes";

impl CaseForm {
    /// Builds the form from the submitted `name=value` pairs; unknown names
    /// are ignored, a repeated single-value field keeps its last value.
    pub fn from_pairs(pairs: &[(String, String)]) -> CaseForm {
        let mut form = CaseForm::default();
        for (name, value) in pairs {
            let value = value.clone();
            match name.as_str() {
                "referral_source" => form.referral_source = value,
                "referred_on" => form.referred_on = value,
                "referring_contact" => form.referring_contact = value,
                "referral_reason" => form.referral_reason = value,
                "given_name" => form.given_name = value,
                "family_name" => form.family_name = value,
                "aliases" => form.aliases = value,
                "birth_date" => form.birth_date = value,
                "estimated_age" => form.estimated_age = value,
                "sex" => form.sex = value,
                "gender_identity" => form.gender_identity = value,
                "citizenships" => form.citizenships = value,
                "languages" => form.languages = value,
                "interpreter_gender" => form.interpreter_gender = value,
                "legal_status" => form.legal_status = value,
                "contact" => form.contact = value,
                "household" => form.household = value,
                "vulnerabilities" => form.vulnerabilities.push(value),
                "document_numbers" => form.document_numbers = value,
                "region" => form.region = value,
                "setting" => form.setting = value,
                "facility" => form.facility = value,
                "exploitation_types" => form.exploitation_types.push(value),
                "forced_labour_industry" => form.forced_labour_industry = value,
                "means_of_control" => form.means_of_control.push(value),
                "recruitment_method" => form.recruitment_method = value,
                "trafficker_relationship" => form.trafficker_relationship = value,
                "countries_recruitment" => form.countries_recruitment = value,
                "countries_transit" => form.countries_transit = value,
                "countries_exploitation" => form.countries_exploitation = value,
                "form_token" => form.form_token = value,
                "duplicate_checked" => form.duplicate_checked = value == YES,
                "duplicate_seen" => form.duplicate_seen = value == YES,
                _ => {}
            }
        }
        form
    }
}

/// A possible earlier registration, as the duplicate notice shows it: the
/// other organisation's name and what matched, nothing of its record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateNotice {
    pub organisation_name: String,
    /// Translated, e.g. "name and birth date".
    pub matched: String,
    /// The case code and the link to it, only for the user's own
    /// organisation.
    pub own_case: Option<(String, String)>,
}

/// The registration form.
#[derive(Debug, Clone, Template)]
#[template(path = "case_form.html")]
pub struct CaseFormPage {
    pub ctx: PageContext,
    pub form: CaseForm,
    pub errors: FieldErrors,
    /// Possible earlier registrations; when not empty the form asks for the
    /// confirmation checkbox.
    pub duplicates: Vec<DuplicateNotice>,
}

impl CaseFormPage {
    pub fn action(&self) -> &'static str {
        paths::CASES_NEW
    }

    pub fn cancel_href(&self) -> &'static str {
        paths::CASES
    }

    pub fn yes(&self) -> &'static str {
        YES
    }

    pub fn referral_source_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<ReferralSource>(&self.ctx.t, &self.form.referral_source)
    }

    pub fn sex_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<Sex>(&self.ctx.t, &self.form.sex)
    }

    pub fn interpreter_gender_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<InterpreterGender>(&self.ctx.t, &self.form.interpreter_gender)
    }

    pub fn legal_status_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<LegalStatus>(&self.ctx.t, &self.form.legal_status)
    }

    pub fn vulnerability_checkboxes(&self) -> Vec<SelectOption> {
        vocabulary_checkboxes::<Vulnerability>(&self.ctx.t, &self.form.vulnerabilities)
    }

    pub fn region_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<Region>(&self.ctx.t, &self.form.region)
    }

    pub fn setting_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<Setting>(&self.ctx.t, &self.form.setting)
    }

    pub fn exploitation_type_checkboxes(&self) -> Vec<SelectOption> {
        vocabulary_checkboxes::<ExploitationType>(&self.ctx.t, &self.form.exploitation_types)
    }

    pub fn industry_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<ForcedLabourIndustry>(&self.ctx.t, &self.form.forced_labour_industry)
    }

    pub fn means_of_control_checkboxes(&self) -> Vec<SelectOption> {
        vocabulary_checkboxes::<MeansOfControl>(&self.ctx.t, &self.form.means_of_control)
    }

    pub fn recruitment_method_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<RecruitmentMethod>(&self.ctx.t, &self.form.recruitment_method)
    }

    pub fn relationship_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<TraffickerRelationship>(
            &self.ctx.t,
            &self.form.trafficker_relationship,
        )
    }

    /// Every country as `code — name`, for the hint list of the country
    /// fields.
    pub fn country_choices(&self) -> Vec<SelectOption> {
        geo::countries()
            .iter()
            .map(|country| SelectOption::new(country.code, country.name(self.ctx.locale), false))
            .collect()
    }

    /// Every language as `code — name`, for the hint list of the language
    /// field.
    pub fn language_choices(&self) -> Vec<SelectOption> {
        geo::languages()
            .iter()
            .map(|language| SelectOption::new(language.code, language.name(self.ctx.locale), false))
            .collect()
    }
}

/// A labelled value on the case page. An empty value reads "not recorded".
#[derive(Clone, PartialEq, Eq)]
pub struct DetailItem {
    /// Translated label.
    pub label: String,
    pub value: String,
}

impl DetailItem {
    pub fn new(label: String, value: impl Into<String>) -> DetailItem {
        DetailItem {
            label,
            value: value.into(),
        }
    }
}

/// The case page. Holds decrypted personal data: no `Debug`.
#[derive(Clone, Template)]
#[template(path = "case_view.html")]
pub struct CaseViewPage {
    pub ctx: PageContext,
    pub code: String,
    pub status: String,
    pub nrm_status: String,
    pub anonymised: bool,
    pub sealed: bool,
    pub intake: Vec<DetailItem>,
    /// Empty for anonymised records, which have no person.
    pub person: Vec<DetailItem>,
    pub case: Vec<DetailItem>,
    /// The case id, for links to the case's work pages.
    pub id: String,
    /// The latest service records, newest first.
    pub latest_services: Vec<LatestService>,
    /// How many service records the case has in all.
    pub services_total: i64,
}

/// A service record as the case page lists it: no details or notes.
#[derive(Clone)]
pub struct LatestService {
    pub occurred_on: String,
    pub line: String,
    pub duration: String,
    pub staff: String,
}

/// A link from the case page to one area of work on the case.
pub struct CaseWorkLink {
    pub label_key: &'static str,
    pub href: String,
}

impl CaseViewPage {
    pub fn list_href(&self) -> &'static str {
        paths::CASES
    }

    /// Returns the path of the edit form. The page shows the link only for
    /// records with a person, and the form checks who may edit.
    pub fn edit_href(&self) -> String {
        case_edit_href(&self.id)
    }

    /// The areas of work on the case, each on its own page. Anonymised
    /// imported records have none.
    pub fn work_links(&self) -> Vec<CaseWorkLink> {
        if self.anonymised {
            return Vec::new();
        }
        let base = case_href(&self.id);
        CASE_WORK_AREAS
            .iter()
            .map(|(label_key, suffix)| CaseWorkLink {
                label_key,
                href: format!("{base}/{suffix}"),
            })
            .collect()
    }
}

/// `(Fluent key, path below /cases/{id})` of each work page, in the order
/// a case usually moves through them.
pub const CASE_WORK_AREAS: &[(&str, &str)] = &[
    ("case-section-screening", "screening"),
    ("case-section-nrm", "nrm"),
    ("case-section-timeline", "timeline"),
    ("case-section-assessment", "assessment"),
    ("case-section-plan", "plan"),
    ("case-section-services", "services"),
    ("case-section-consents", "consents"),
    ("case-section-referrals", "referrals"),
    ("case-section-notes", "notes"),
    ("case-section-appointments", "appointments"),
    ("case-section-team", "team"),
    ("case-section-closure", "close"),
    ("case-section-requests", "requests"),
];

// --- Editing a case ----------------------------------------------------------

/// Returns the path of a case's edit form.
pub fn case_edit_href(case_id: &str) -> String {
    format!("{}/edit", case_href(case_id))
}

/// One detail that differs between the saved case and the values a user
/// sent on a stale form, both already translated. Holds personal data: no
/// `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct ConflictRow {
    pub label: String,
    pub theirs: String,
    pub yours: String,
}

/// The edit form of a registered case. With `conflict` not empty it is the
/// conflict page: the saved values beside the user's, and the user's values
/// in the form, based on the saved version so they can be saved again.
/// Holds decrypted personal data: no `Debug`.
#[derive(Clone, Template)]
#[template(path = "case_edit.html")]
pub struct CaseEditPage {
    pub ctx: PageContext,
    pub case_id: String,
    pub code: String,
    /// The case version the form is based on.
    pub version: i32,
    pub form: CaseForm,
    pub errors: FieldErrors,
    /// How many document numbers are indexed for the person.
    pub document_count: i64,
    pub conflict: Vec<ConflictRow>,
}

impl CaseEditPage {
    pub fn action(&self) -> String {
        case_edit_href(&self.case_id)
    }

    pub fn case_href(&self) -> String {
        case_href(&self.case_id)
    }

    pub fn documents_hint(&self) -> String {
        self.ctx
            .t
            .t1("case-edit-documents-hint", "count", self.document_count)
    }
}

/// Gives an edit page the option lists of the registration form, so both
/// render the same field templates.
macro_rules! case_form_options {
    ($page:ty) => {
        impl $page {
            pub fn sex_options(&self) -> Vec<SelectOption> {
                vocabulary_options::<Sex>(&self.ctx.t, &self.form.sex)
            }

            pub fn interpreter_gender_options(&self) -> Vec<SelectOption> {
                vocabulary_options::<InterpreterGender>(&self.ctx.t, &self.form.interpreter_gender)
            }

            pub fn legal_status_options(&self) -> Vec<SelectOption> {
                vocabulary_options::<LegalStatus>(&self.ctx.t, &self.form.legal_status)
            }

            pub fn vulnerability_checkboxes(&self) -> Vec<SelectOption> {
                vocabulary_checkboxes::<Vulnerability>(&self.ctx.t, &self.form.vulnerabilities)
            }

            pub fn region_options(&self) -> Vec<SelectOption> {
                vocabulary_options::<Region>(&self.ctx.t, &self.form.region)
            }

            pub fn setting_options(&self) -> Vec<SelectOption> {
                vocabulary_options::<Setting>(&self.ctx.t, &self.form.setting)
            }

            pub fn exploitation_type_checkboxes(&self) -> Vec<SelectOption> {
                vocabulary_checkboxes::<ExploitationType>(
                    &self.ctx.t,
                    &self.form.exploitation_types,
                )
            }

            pub fn industry_options(&self) -> Vec<SelectOption> {
                vocabulary_options::<ForcedLabourIndustry>(
                    &self.ctx.t,
                    &self.form.forced_labour_industry,
                )
            }

            pub fn means_of_control_checkboxes(&self) -> Vec<SelectOption> {
                vocabulary_checkboxes::<MeansOfControl>(&self.ctx.t, &self.form.means_of_control)
            }

            pub fn recruitment_method_options(&self) -> Vec<SelectOption> {
                vocabulary_options::<RecruitmentMethod>(&self.ctx.t, &self.form.recruitment_method)
            }

            pub fn relationship_options(&self) -> Vec<SelectOption> {
                vocabulary_options::<TraffickerRelationship>(
                    &self.ctx.t,
                    &self.form.trafficker_relationship,
                )
            }

            pub fn country_choices(&self) -> Vec<SelectOption> {
                geo::countries()
                    .iter()
                    .map(|country| {
                        SelectOption::new(country.code, country.name(self.ctx.locale), false)
                    })
                    .collect()
            }

            pub fn language_choices(&self) -> Vec<SelectOption> {
                geo::languages()
                    .iter()
                    .map(|language| {
                        SelectOption::new(language.code, language.name(self.ctx.locale), false)
                    })
                    .collect()
            }
        }
    };
}

case_form_options!(CaseEditPage);

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn form_collects_repeated_checkboxes() {
        let form = CaseForm::from_pairs(&pairs(&[
            ("given_name", "Ελένη"),
            ("exploitation_types", "forced_labour"),
            ("exploitation_types", "sexual_exploitation"),
            ("duplicate_checked", "yes"),
            ("unknown", "x"),
        ]));
        assert_eq!(form.given_name, "Ελένη");
        assert_eq!(
            form.exploitation_types,
            ["forced_labour", "sexual_exploitation"]
        );
        assert!(form.duplicate_checked);
        assert!(!form.duplicate_seen);
        assert_eq!(format!("{form:?}"), "CaseForm(<redacted>)");
    }

    #[test]
    fn unknown_codes_show_as_they_are() {
        let t = Translator::new(Locale::El);
        assert_eq!(code_label::<Region>(&t, "atlantis"), "atlantis");
        assert_eq!(country_names(Locale::En, "ZZ"), "ZZ");
    }

    #[test]
    fn options_mark_the_selected_code() {
        let t = Translator::new(Locale::En);
        let options = vocabulary_options::<Region>(&t, "attica");
        assert_eq!(options.len(), Region::ALL.len());
        assert!(
            options
                .iter()
                .filter(|option| option.selected)
                .all(|option| option.value == "attica")
        );
        assert_eq!(options.iter().filter(|option| option.selected).count(), 1);
    }

    #[test]
    fn case_href_encodes_the_id() {
        assert_eq!(case_href("a/b"), "/cases/a%2Fb");
    }
}
