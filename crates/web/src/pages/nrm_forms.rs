//! The two case forms for the National Referral Mechanism, filled from the
//! record in the user's language: the referral form (who refers whom, on
//! what grounds, with the screening guidance) and the protection services
//! monitoring form (the NRM dates and the services received by line).
//!
//! Both are Procap's own forms. They carry no official form number, and
//! their footer says so.

use chrono::NaiveDate;
use procap_domain::case::vocab::{
    ConsentPurpose, ExploitationType, LegalStatus, MeansOfControl, NrmStatus, RecruitmentMethod,
    ReferralSource, ServiceLine, Sex, TraffickerRelationship, Vulnerability,
};
use procap_reports::nrm::{FormField, FormSection, FormTable, NrmFormDocument};
use procap_store::case_records::{Consent, NrmEvent, Screening};
use procap_store::cases::CaseView;
use procap_store::nrm_reporting::LineSummary;

use super::cases::{code_label, code_list_label, country_names, language_names};
use super::screening::dimension_names;
use crate::i18n::Translator;

/// Which of the two forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NrmFormKind {
    Referral,
    Monitoring,
}

impl NrmFormKind {
    /// The form's code in its address and in the audit log.
    pub fn as_str(self) -> &'static str {
        match self {
            NrmFormKind::Referral => "referral",
            NrmFormKind::Monitoring => "monitoring",
        }
    }

    /// Parses the code of [`NrmFormKind::as_str`].
    pub fn parse(code: &str) -> Option<NrmFormKind> {
        match code {
            "referral" => Some(NrmFormKind::Referral),
            "monitoring" => Some(NrmFormKind::Monitoring),
            _ => None,
        }
    }

    /// The Fluent key of the form's title.
    pub fn title_key(self) -> &'static str {
        match self {
            NrmFormKind::Referral => "nrm-form-referral-title",
            NrmFormKind::Monitoring => "nrm-form-monitoring-title",
        }
    }
}

/// Returns the download address of a case's form.
pub fn nrm_form_href(case_id: &str, kind: NrmFormKind) -> String {
    format!("/cases/{case_id}/nrm/forms/{}", kind.as_str())
}

/// Everything a form prints, loaded by the handler after the access check.
pub struct NrmFormRecord<'a> {
    pub view: &'a CaseView,
    pub organisation_name: &'a str,
    pub events: &'a [NrmEvent],
    /// The case's screenings, newest first.
    pub screenings: &'a [Screening],
    pub consents: &'a [Consent],
    pub services: &'a [LineSummary],
    /// The display name of the user who produces the form.
    pub prepared_by: &'a str,
    pub today: NaiveDate,
}

struct Fields<'t> {
    t: &'t Translator,
    fields: Vec<FormField>,
}

impl<'t> Fields<'t> {
    fn new(t: &'t Translator) -> Self {
        Fields {
            t,
            fields: Vec::new(),
        }
    }

    /// Adds a field; an empty value prints as "not recorded".
    fn add(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        let value = value.into();
        let value = if value.trim().is_empty() {
            self.t.t("nrm-form-not-recorded")
        } else {
            value
        };
        self.fields.push(FormField {
            label: self.t.t(key),
            value,
        });
        self
    }

    fn section(self, heading_key: &str) -> FormSection {
        FormSection {
            heading: self.t.t(heading_key),
            fields: self.fields,
            table: None,
            empty: String::new(),
        }
    }
}

fn date(t: &Translator, day: Option<NaiveDate>) -> String {
    day.map(|day| t.format_date(&day)).unwrap_or_default()
}

fn yes_no(t: &Translator, value: bool) -> String {
    t.t(if value { "yes" } else { "no" })
}

/// Builds the form `kind` for the record, in the translator's language.
pub fn build_form(
    t: &Translator,
    kind: NrmFormKind,
    record: &NrmFormRecord<'_>,
) -> NrmFormDocument {
    let case = &record.view.case;
    let header = vec![
        FormField {
            label: t.t("nrm-form-case-code"),
            value: case.code.clone(),
        },
        FormField {
            label: t.t("nrm-form-organisation"),
            value: record.organisation_name.to_owned(),
        },
        FormField {
            label: t.t("nrm-form-prepared-by"),
            value: record.prepared_by.to_owned(),
        },
        FormField {
            label: t.t("nrm-form-prepared-on"),
            value: t.format_date(&record.today),
        },
    ];
    let sections = match kind {
        NrmFormKind::Referral => vec![
            referral_section(t, record),
            person_section(t, record, true),
            screening_section(t, record),
            trafficking_section(t, record),
            nrm_section(t, record),
            clocks_section(t, record),
        ],
        NrmFormKind::Monitoring => vec![
            person_section(t, record, false),
            nrm_section(t, record),
            clocks_section(t, record),
            services_section(t, record),
            service_days_section(t, record),
            case_status_section(t, record),
        ],
    };
    NrmFormDocument {
        lang: t.locale().as_str().to_owned(),
        title: t.t(kind.title_key()),
        subtitle: t.t("nrm-form-subtitle"),
        header,
        sections,
        signatures: vec![
            t.t("nrm-form-signature-staff"),
            t.t("nrm-form-signature-stamp"),
        ],
        footer: t.t("nrm-form-footer"),
    }
}

fn referral_section(t: &Translator, record: &NrmFormRecord<'_>) -> FormSection {
    let mut fields = Fields::new(t);
    match &record.view.intake {
        Some(intake) => {
            fields
                .add(
                    "nrm-form-referral-source",
                    code_label::<ReferralSource>(t, &intake.source),
                )
                .add("nrm-form-referral-date", t.format_date(&intake.referred_on))
                .add(
                    "nrm-form-referral-reason",
                    intake.reason.clone().unwrap_or_default(),
                );
        }
        None => {
            fields.add("nrm-form-referral-source", "");
        }
    }
    fields.add(
        "nrm-form-case-opened",
        t.format_date(&record.view.case.opened_on),
    );
    fields.add(
        "nrm-form-consent-sharing",
        sharing_consent(t, record.consents),
    );
    fields.section("nrm-form-section-referral")
}

/// Describes the latest consent to share data: given and in force,
/// withdrawn, or refused, with its date; empty when none was recorded.
fn sharing_consent(t: &Translator, consents: &[Consent]) -> String {
    let latest = consents
        .iter()
        .filter(|consent| consent.purpose == ConsentPurpose::Sharing.as_str())
        .max_by_key(|consent| consent.recorded_on);
    match latest {
        None => String::new(),
        Some(consent) => match (consent.given, consent.withdrawn_on) {
            (true, None) => t.t1(
                "nrm-form-consent-given",
                "date",
                t.format_date(&consent.recorded_on),
            ),
            (true, Some(withdrawn)) => t.t1(
                "nrm-form-consent-withdrawn",
                "date",
                t.format_date(&withdrawn),
            ),
            (false, _) => t.t1(
                "nrm-form-consent-refused",
                "date",
                t.format_date(&consent.recorded_on),
            ),
        },
    }
}

fn person_section(t: &Translator, record: &NrmFormRecord<'_>, full: bool) -> FormSection {
    let case = &record.view.case;
    let mut fields = Fields::new(t);
    let Some(person) = &record.view.person else {
        let mut section = fields.section("nrm-form-section-person");
        section.empty = t.t("nrm-form-no-person");
        return section;
    };
    let details = &person.details;
    let attributes = &person.attributes;
    let birth = match (details.birth_date, attributes.estimated_birth_year) {
        (Some(day), _) => t.format_date(&day),
        (None, Some(year)) => t.t1("nrm-form-estimated-year", "year", year.to_string()),
        (None, None) => String::new(),
    };
    fields
        .add("nrm-form-given-name", details.given_name.clone())
        .add(
            "nrm-form-family-name",
            details.family_name.clone().unwrap_or_default(),
        )
        .add(
            "nrm-form-aliases",
            details.aliases.clone().unwrap_or_default(),
        )
        .add("nrm-form-birth-date", birth)
        .add("nrm-form-sex", code_label::<Sex>(t, &attributes.sex))
        .add("nrm-form-minor", yes_no(t, case.is_minor))
        .add(
            "nrm-form-citizenship",
            country_names(t.locale(), &attributes.citizenships),
        )
        .add(
            "nrm-form-legal-status",
            code_label::<LegalStatus>(t, &attributes.legal_status),
        );
    if full {
        fields
            .add(
                "nrm-form-languages",
                language_names(t.locale(), &attributes.languages),
            )
            .add(
                "nrm-form-vulnerabilities",
                code_list_label::<Vulnerability>(t, &attributes.vulnerabilities),
            )
            .add(
                "nrm-form-contact",
                details.contact.clone().unwrap_or_default(),
            );
    }
    fields.section("nrm-form-section-person")
}

fn screening_section(t: &Translator, record: &NrmFormRecord<'_>) -> FormSection {
    let mut fields = Fields::new(t);
    let Some(latest) = record.screenings.first() else {
        let mut section = fields.section("nrm-form-section-screening");
        section.empty = t.t("nrm-form-no-screening");
        return section;
    };
    let result_key = if latest.trafficking_indicated {
        "screening-result-indicated"
    } else {
        "screening-result-not-indicated"
    };
    fields
        .add(
            "nrm-form-screened-on",
            t.format_datetime(&latest.screened_at),
        )
        .add("nrm-form-screened-by", latest.screened_by_name.clone())
        .add(
            "nrm-form-screening-list",
            crate::handlers::screening::stored_list_name(t, latest),
        )
        .add("nrm-form-screening-result", t.t(result_key))
        .add(
            "nrm-form-screening-dimensions",
            dimension_names(t, &latest.positive_dimensions).join(", "),
        )
        .add(
            "nrm-form-screening-note",
            t.t("screening-guidance-not-identification"),
        );
    fields.section("nrm-form-section-screening")
}

fn trafficking_section(t: &Translator, record: &NrmFormRecord<'_>) -> FormSection {
    let case = &record.view.case;
    let mut fields = Fields::new(t);
    fields
        .add(
            "nrm-form-exploitation",
            code_list_label::<ExploitationType>(t, &case.exploitation_types),
        )
        .add(
            "nrm-form-means-of-control",
            code_list_label::<MeansOfControl>(t, &case.means_of_control),
        )
        .add(
            "nrm-form-recruitment",
            code_label::<RecruitmentMethod>(t, case.recruitment_method.as_deref().unwrap_or("")),
        )
        .add(
            "nrm-form-relationship",
            code_label::<TraffickerRelationship>(
                t,
                case.trafficker_relationship.as_deref().unwrap_or(""),
            ),
        )
        .add(
            "nrm-form-countries-recruitment",
            country_names(t.locale(), &case.countries_recruitment),
        )
        .add(
            "nrm-form-countries-transit",
            country_names(t.locale(), &case.countries_transit),
        )
        .add(
            "nrm-form-countries-exploitation",
            country_names(t.locale(), &case.countries_exploitation),
        );
    fields.section("nrm-form-section-trafficking")
}

fn nrm_section(t: &Translator, record: &NrmFormRecord<'_>) -> FormSection {
    let mut fields = Fields::new(t);
    fields.add(
        "nrm-form-nrm-status",
        code_label::<NrmStatus>(t, &record.view.case.nrm_status),
    );
    let mut section = fields.section("nrm-form-section-nrm");
    section.table = Some(FormTable {
        headers: vec![
            t.t("nrm-field-status"),
            t.t("nrm-field-occurred-on"),
            t.t("nrm-field-reference"),
        ],
        rows: record
            .events
            .iter()
            .map(|event| {
                vec![
                    code_label::<NrmStatus>(t, &event.status),
                    t.format_date(&event.occurred_on),
                    event.reference.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    });
    section
}

fn clocks_section(t: &Translator, record: &NrmFormRecord<'_>) -> FormSection {
    let case = &record.view.case;
    let mut fields = Fields::new(t);
    fields
        .add(
            "nrm-clock-reflection-end",
            date(t, case.reflection_period_ends_on),
        )
        .add(
            "nrm-clock-residence-permit",
            date(t, case.residence_permit_expires_on),
        );
    fields.section("nrm-form-section-clocks")
}

fn hours(minutes: i64) -> String {
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

fn services_section(t: &Translator, record: &NrmFormRecord<'_>) -> FormSection {
    FormSection {
        heading: t.t("nrm-form-section-services"),
        fields: Vec::new(),
        table: Some(FormTable {
            headers: vec![
                t.t("vocab-service-line"),
                t.t("nrm-form-services-count"),
                t.t("nrm-form-services-first"),
                t.t("nrm-form-services-last"),
                t.t("nrm-form-services-hours"),
            ],
            rows: record
                .services
                .iter()
                .map(|line| {
                    vec![
                        code_label::<ServiceLine>(t, &line.line),
                        line.services.to_string(),
                        date(t, line.first_on),
                        date(t, line.last_on),
                        hours(line.minutes),
                    ]
                })
                .collect(),
        }),
        empty: t.t("nrm-form-no-services"),
    }
}

fn service_days_section(t: &Translator, record: &NrmFormRecord<'_>) -> FormSection {
    FormSection {
        heading: t.t("nrm-form-section-service-days"),
        fields: Vec::new(),
        table: Some(FormTable {
            headers: vec![t.t("vocab-service-line"), t.t("nrm-form-services-days")],
            rows: record
                .services
                .iter()
                .map(|line| {
                    vec![
                        code_label::<ServiceLine>(t, &line.line),
                        line.days
                            .iter()
                            .map(|day| t.format_date(day))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ]
                })
                .collect(),
        }),
        empty: t.t("nrm-form-no-services"),
    }
}

fn case_status_section(t: &Translator, record: &NrmFormRecord<'_>) -> FormSection {
    let case = &record.view.case;
    let mut fields = Fields::new(t);
    fields
        .add("nrm-form-case-opened", t.format_date(&case.opened_on))
        .add("nrm-form-case-closed", date(t, case.closed_on));
    if let Some(reason) = &case.closure_reason {
        fields.add(
            "nrm-form-closure-reason",
            code_label::<procap_domain::case::vocab::ClosureReason>(t, reason),
        );
    }
    fields.section("nrm-form-section-case")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_round_trips() {
        for kind in [NrmFormKind::Referral, NrmFormKind::Monitoring] {
            assert_eq!(NrmFormKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(NrmFormKind::parse("other"), None);
    }

    #[test]
    fn hours_are_padded() {
        assert_eq!(hours(0), "0:00");
        assert_eq!(hours(95), "1:35");
    }
}
