//! The service log of a case: the list of service records and the typed
//! form of each service line, with the small vocabularies that only the
//! service records use (session type, modality, court, …).
//!
//! The typed fields of a record are stored in its `details` JSON object as
//! codes, numbers and `YYYY-MM-DD` dates under the form field's name; free
//! text (notes, a court case number, a dialect) goes to the encrypted notes.

use askama::Template;
use procap_domain::case::geo;
use procap_domain::case::vocab::{CaseStatus, ServiceLine, Vocabulary};
use procap_domain::locale::Locale;
use procap_domain::role::Role;

use super::admin::encode_segment;
use super::cases::{DetailItem, case_href, code_label, vocabulary_options};
use super::{FieldErrors, PageContext, Pagination, SelectOption};
use crate::i18n::Translator;

/// Declares a vocabulary of the service forms: an enum whose codes are
/// stored in `details`, with the Fluent key of each label.
macro_rules! service_vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident = $vocabulary:literal, $name_key:literal {
            $($variant:ident = $code:literal => $key:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($variant),+
        }

        impl Vocabulary for $name {
            const NAME: &'static str = $vocabulary;
            const NAME_KEY: &'static str = $name_key;
            const ALL: &'static [$name] = &[$($name::$variant),+];

            fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            fn parse(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }

            fn label_key(self) -> &'static str {
                match self {
                    $($name::$variant => $key,)+
                }
            }
        }
    };
}

service_vocabulary! {
    /// Kind of a case management session.
    SessionType = "session_type", "service-session-type" {
        Intake = "intake" => "service-session-type-intake",
        FollowUp = "follow_up" => "service-session-type-follow-up",
        Crisis = "crisis" => "service-session-type-crisis",
        HomeVisit = "home_visit" => "service-session-type-home-visit",
    }
}

service_vocabulary! {
    /// Individual or group psychosocial support.
    SupportFormat = "format", "service-format" {
        Individual = "individual" => "service-format-individual",
        Group = "group" => "service-format-group",
    }
}

service_vocabulary! {
    /// How a session took place; also the mode of an interpretation.
    Modality = "modality", "service-modality" {
        InPerson = "in_person" => "service-modality-in-person",
        Phone = "phone" => "service-modality-phone",
        Video = "video" => "service-modality-video",
    }
}

service_vocabulary! {
    /// Kind of legal assistance.
    LegalKind = "legal_kind", "service-legal-kind" {
        Consultation = "consultation" => "service-legal-kind-consultation",
        Representation = "representation" => "service-legal-kind-representation",
        DocumentsFiled = "documents_filed" => "service-legal-kind-documents-filed",
    }
}

service_vocabulary! {
    /// Court or authority before which a proceeding runs.
    Court = "court", "service-court" {
        CriminalFirstInstance = "criminal_first_instance" => "service-court-criminal-first-instance",
        CriminalAppeal = "criminal_appeal" => "service-court-criminal-appeal",
        Civil = "civil" => "service-court-civil",
        Administrative = "administrative" => "service-court-administrative",
        AsylumAppeals = "asylum_appeals" => "service-court-asylum-appeals",
        Other = "other" => "service-court-other",
    }
}

service_vocabulary! {
    /// What happened at a hearing.
    HearingOutcome = "hearing_outcome", "service-hearing-outcome" {
        Adjourned = "adjourned" => "service-hearing-outcome-adjourned",
        Heard = "heard" => "service-hearing-outcome-heard",
        DecisionPending = "decision_pending" => "service-hearing-outcome-decision-pending",
        Conviction = "conviction" => "service-hearing-outcome-conviction",
        Acquittal = "acquittal" => "service-hearing-outcome-acquittal",
        Other = "other" => "service-hearing-outcome-other",
    }
}

service_vocabulary! {
    /// Where the person was escorted.
    EscortDestination = "destination", "service-destination" {
        Hospital = "hospital" => "service-destination-hospital",
        Police = "police" => "service-destination-police",
        Prosecutor = "prosecutor" => "service-destination-prosecutor",
        Court = "court" => "service-destination-court",
        AsylumService = "asylum_service" => "service-destination-asylum-service",
        Embassy = "embassy" => "service-destination-embassy",
        Other = "other" => "service-destination-other",
    }
}

service_vocabulary! {
    /// Why the person was escorted.
    EscortPurpose = "escort_purpose", "service-escort-purpose" {
        MedicalAppointment = "medical_appointment" => "service-escort-purpose-medical-appointment",
        Statement = "statement" => "service-escort-purpose-statement",
        Hearing = "hearing" => "service-escort-purpose-hearing",
        AsylumInterview = "asylum_interview" => "service-escort-purpose-asylum-interview",
        Documents = "documents" => "service-escort-purpose-documents",
        Other = "other" => "service-escort-purpose-other",
    }
}

service_vocabulary! {
    /// Integration or anti-re-trafficking activity.
    IntegrationActivity = "activity", "service-activity" {
        LanguageCourse = "language_course" => "service-activity-language-course",
        VocationalTraining = "vocational_training" => "service-activity-vocational-training",
        JobPlacement = "job_placement" => "service-activity-job-placement",
        SchoolEnrolment = "school_enrolment" => "service-activity-school-enrolment",
        HousingSupport = "housing_support" => "service-activity-housing-support",
        AwarenessActivity = "awareness_activity" => "service-activity-awareness-activity",
    }
}

service_vocabulary! {
    /// Kind of material assistance.
    AssistanceKind = "assistance_kind", "service-assistance-kind" {
        Food = "food" => "service-assistance-kind-food",
        Clothing = "clothing" => "service-assistance-kind-clothing",
        Hygiene = "hygiene" => "service-assistance-kind-hygiene",
        Cash = "cash" => "service-assistance-kind-cash",
        Transport = "transport" => "service-assistance-kind-transport",
        Other = "other" => "service-assistance-kind-other",
    }
}

service_vocabulary! {
    /// Outcome of a service, stored in the record's plain `outcome` column.
    ServiceOutcome = "outcome", "service-outcome" {
        Completed = "completed" => "service-outcome-completed",
        PartlyCompleted = "partly_completed" => "service-outcome-partly-completed",
        Postponed = "postponed" => "service-outcome-postponed",
        Cancelled = "cancelled" => "service-outcome-cancelled",
        NoShow = "no_show" => "service-outcome-no-show",
    }
}

/// Every vocabulary label key of this module, for the test that checks the
/// `.ftl` files.
pub fn service_vocabulary_keys() -> Vec<&'static str> {
    fn keys<V: Vocabulary>() -> Vec<&'static str> {
        std::iter::once(V::NAME_KEY)
            .chain(V::ALL.iter().map(|value| value.label_key()))
            .collect()
    }
    [
        keys::<SessionType>(),
        keys::<SupportFormat>(),
        keys::<Modality>(),
        keys::<LegalKind>(),
        keys::<Court>(),
        keys::<HearingOutcome>(),
        keys::<EscortDestination>(),
        keys::<EscortPurpose>(),
        keys::<IntegrationActivity>(),
        keys::<AssistanceKind>(),
        keys::<ServiceOutcome>(),
    ]
    .concat()
}

/// Returns whether `role` may record services of `line`; the rule is the
/// domain's [`Role::may_record`].
pub fn may_record_line(role: Role, line: ServiceLine) -> bool {
    role.may_record(line)
}

/// Returns the path of a case's service log.
pub fn services_href(case_id: &str) -> String {
    format!("{}/services", case_href(case_id))
}

/// Returns the path of the form for a new service record of `line`.
pub fn new_service_href(case_id: &str, line: ServiceLine) -> String {
    format!("{}/services/new?line={}", case_href(case_id), line.as_str())
}

/// The case as the heading of its sub-pages shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseHeading {
    pub id: String,
    pub code: String,
    /// Translated status.
    pub status: String,
    pub is_open: bool,
    /// The case page.
    pub href: String,
}

impl CaseHeading {
    pub fn new(t: &Translator, case: &procap_store::cases::Case) -> CaseHeading {
        CaseHeading {
            id: case.id.clone(),
            code: case.code.clone(),
            status: code_label::<CaseStatus>(t, &case.status),
            is_open: case.status == CaseStatus::Open.as_str(),
            href: case_href(&case.id),
        }
    }
}

/// How a `details` value is shown.
#[derive(Clone, Copy)]
pub enum DetailKind {
    /// A code of a vocabulary, shown with its translated label.
    Code(fn(&Translator, &str) -> String),
    /// A whole number.
    Count,
    /// A `YYYY-MM-DD` date.
    Date,
    /// A language code of `geo::languages()`.
    Language,
    /// An amount in euro cents.
    EuroCents,
    /// A marker that is either `true` or absent, shown as "yes".
    Flag,
}

/// One typed field of a service line: its `details` key (also the form
/// field's name) and the Fluent key of its label.
#[derive(Clone, Copy)]
pub struct DetailField {
    pub name: &'static str,
    pub label_key: &'static str,
    pub kind: DetailKind,
}

const fn field(name: &'static str, label_key: &'static str, kind: DetailKind) -> DetailField {
    DetailField {
        name,
        label_key,
        kind,
    }
}

/// The typed fields of each service line, in form order.
pub fn detail_fields(line: ServiceLine) -> &'static [DetailField] {
    use DetailKind::*;
    const CASE_MANAGEMENT: &[DetailField] = &[
        field(
            "session_type",
            "service-session-type",
            Code(code_label::<SessionType>),
        ),
        field("reopening", "service-reopening", Flag),
    ];
    const PSYCHOSOCIAL: &[DetailField] = &[
        field(
            "format",
            "service-format",
            Code(code_label::<SupportFormat>),
        ),
        field("modality", "service-modality", Code(code_label::<Modality>)),
        field("sessions", "service-sessions", Count),
    ];
    const LEGAL: &[DetailField] = &[
        field(
            "legal_kind",
            "service-legal-kind",
            Code(code_label::<LegalKind>),
        ),
        field("court", "service-court", Code(code_label::<Court>)),
        field("hearing_on", "service-hearing-on", Date),
        field(
            "hearing_outcome",
            "service-hearing-outcome",
            Code(code_label::<HearingOutcome>),
        ),
    ];
    const INTERPRETATION: &[DetailField] = &[
        field("language", "service-language", Language),
        field("mode", "service-mode", Code(code_label::<Modality>)),
    ];
    const ESCORT: &[DetailField] = &[
        field(
            "destination",
            "service-destination",
            Code(code_label::<EscortDestination>),
        ),
        field(
            "escort_purpose",
            "service-escort-purpose",
            Code(code_label::<EscortPurpose>),
        ),
    ];
    const INTEGRATION: &[DetailField] = &[field(
        "activity",
        "service-activity",
        Code(code_label::<IntegrationActivity>),
    )];
    const MATERIAL_ASSISTANCE: &[DetailField] = &[
        field(
            "assistance_kind",
            "service-assistance-kind",
            Code(code_label::<AssistanceKind>),
        ),
        field("value_cents", "service-value", EuroCents),
    ];
    match line {
        ServiceLine::CaseManagement => CASE_MANAGEMENT,
        ServiceLine::Psychosocial => PSYCHOSOCIAL,
        ServiceLine::Legal => LEGAL,
        ServiceLine::Interpretation => INTERPRETATION,
        ServiceLine::Escort => ESCORT,
        ServiceLine::Integration => INTEGRATION,
        ServiceLine::MaterialAssistance => MATERIAL_ASSISTANCE,
    }
}

/// Formats euro cents as `12,50 €` (Greek) or `€12.50` (English).
pub fn format_euro(locale: Locale, cents: i64) -> String {
    let euros = cents / 100;
    let rest = (cents % 100).abs();
    match locale {
        Locale::El => format!("{},{rest:02} €", crate::i18n::format_number(locale, euros)),
        Locale::En => format!("€{}.{rest:02}", crate::i18n::format_number(locale, euros)),
    }
}

/// Returns the labelled typed fields of a stored `details` object; fields
/// missing from it are left out and unknown codes are shown as they are.
pub fn detail_items(
    t: &Translator,
    line: ServiceLine,
    details: &serde_json::Value,
) -> Vec<DetailItem> {
    detail_fields(line)
        .iter()
        .filter_map(|field| {
            let value = details.get(field.name)?;
            let shown = match field.kind {
                DetailKind::Code(label) => label(t, value.as_str()?),
                DetailKind::Count => value.as_i64()?.to_string(),
                DetailKind::Date => {
                    let date =
                        chrono::NaiveDate::parse_from_str(value.as_str()?, "%Y-%m-%d").ok()?;
                    t.format_date(&date)
                }
                DetailKind::Language => {
                    let code = value.as_str()?;
                    geo::language(code).map_or(code.to_owned(), |language| {
                        language.name(t.locale()).to_owned()
                    })
                }
                DetailKind::EuroCents => format_euro(t.locale(), value.as_i64()?),
                DetailKind::Flag => value.as_bool().filter(|flag| *flag).map(|_| t.t("yes"))?,
            };
            Some(DetailItem::new(t.t(field.label_key), shown))
        })
        .collect()
}

/// One row of the service log, translated. Holds decrypted notes: no
/// `Debug`.
#[derive(Clone)]
pub struct ServiceRow {
    pub line: String,
    pub occurred_on: String,
    pub duration_minutes: i32,
    pub staff: String,
    pub beneficiary_present: bool,
    /// Translated outcome, or empty.
    pub outcome: String,
    pub details: Vec<DetailItem>,
    /// The notes, shown only to users who may record this line; `None`
    /// when hidden.
    pub notes: Option<String>,
}

/// The service log of a case.
#[derive(Clone, Template)]
#[template(path = "case_services.html")]
pub struct ServiceListPage {
    pub ctx: PageContext,
    pub case: CaseHeading,
    pub rows: Vec<ServiceRow>,
    pub pagination: Pagination,
    /// Links to the forms of the lines the user may record: `value` is the
    /// path, `label` the line's name.
    pub new_links: Vec<SelectOption>,
}

/// The values of a service form as typed, kept when it comes back with
/// errors. Field names are the struct's field names.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ServiceForm {
    pub line: String,
    /// `YYYY-MM-DD`.
    pub occurred_on: String,
    pub duration_minutes: String,
    /// `yes` or `no`.
    pub beneficiary_present: String,
    pub outcome: String,
    pub notes: String,
    pub session_type: String,
    pub format: String,
    pub modality: String,
    pub sessions: String,
    pub legal_kind: String,
    pub court: String,
    /// Free text: goes to the encrypted notes.
    pub case_number: String,
    pub hearing_on: String,
    pub hearing_outcome: String,
    pub language: String,
    /// Free text: goes to the encrypted notes.
    pub dialect: String,
    pub mode: String,
    pub destination: String,
    pub escort_purpose: String,
    pub activity: String,
    pub assistance_kind: String,
    /// Euro, with `,` or `.` before the cents.
    pub value_eur: String,
}

impl std::fmt::Debug for ServiceForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServiceForm(<redacted>)")
    }
}

impl ServiceForm {
    /// Builds the form from the submitted `name=value` pairs; unknown names
    /// are ignored.
    pub fn from_pairs(pairs: &[(String, String)]) -> ServiceForm {
        let mut form = ServiceForm::default();
        for (name, value) in pairs {
            let slot = match name.as_str() {
                "line" => &mut form.line,
                "occurred_on" => &mut form.occurred_on,
                "duration_minutes" => &mut form.duration_minutes,
                "beneficiary_present" => &mut form.beneficiary_present,
                "outcome" => &mut form.outcome,
                "notes" => &mut form.notes,
                "session_type" => &mut form.session_type,
                "format" => &mut form.format,
                "modality" => &mut form.modality,
                "sessions" => &mut form.sessions,
                "legal_kind" => &mut form.legal_kind,
                "court" => &mut form.court,
                "case_number" => &mut form.case_number,
                "hearing_on" => &mut form.hearing_on,
                "hearing_outcome" => &mut form.hearing_outcome,
                "language" => &mut form.language,
                "dialect" => &mut form.dialect,
                "mode" => &mut form.mode,
                "destination" => &mut form.destination,
                "escort_purpose" => &mut form.escort_purpose,
                "activity" => &mut form.activity,
                "assistance_kind" => &mut form.assistance_kind,
                "value_eur" => &mut form.value_eur,
                _ => continue,
            };
            *slot = value.clone();
        }
        form
    }
}

/// The form of a new service record. Without a line it lists the lines the
/// user may record.
#[derive(Clone, Template)]
#[template(path = "case_services_form.html")]
pub struct ServiceFormPage {
    pub ctx: PageContext,
    pub case: CaseHeading,
    pub line: Option<ServiceLine>,
    pub form: ServiceForm,
    pub errors: FieldErrors,
    /// As in [`ServiceListPage::new_links`].
    pub line_links: Vec<SelectOption>,
}

impl ServiceFormPage {
    pub fn action(&self) -> String {
        match self.line {
            Some(line) => new_service_href(&self.case.id, line),
            None => services_href(&self.case.id),
        }
    }

    pub fn cancel_href(&self) -> String {
        services_href(&self.case.id)
    }

    /// The line's code, for `{% if %}` blocks of the template.
    pub fn line_code(&self) -> &'static str {
        self.line.map_or("", ServiceLine::as_str)
    }

    pub fn line_label(&self) -> String {
        self.line
            .map(|line| self.ctx.t.t(line.label_key()))
            .unwrap_or_default()
    }

    pub fn present_options(&self) -> Vec<SelectOption> {
        ["yes", "no"]
            .into_iter()
            .map(|value| {
                SelectOption::new(
                    value,
                    self.ctx.t.t(value),
                    self.form.beneficiary_present == value,
                )
            })
            .collect()
    }

    pub fn outcome_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<ServiceOutcome>(&self.ctx.t, &self.form.outcome)
    }

    pub fn session_type_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<SessionType>(&self.ctx.t, &self.form.session_type)
    }

    pub fn format_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<SupportFormat>(&self.ctx.t, &self.form.format)
    }

    pub fn modality_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<Modality>(&self.ctx.t, &self.form.modality)
    }

    pub fn mode_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<Modality>(&self.ctx.t, &self.form.mode)
    }

    pub fn legal_kind_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<LegalKind>(&self.ctx.t, &self.form.legal_kind)
    }

    pub fn court_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<Court>(&self.ctx.t, &self.form.court)
    }

    pub fn hearing_outcome_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<HearingOutcome>(&self.ctx.t, &self.form.hearing_outcome)
    }

    pub fn destination_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<EscortDestination>(&self.ctx.t, &self.form.destination)
    }

    pub fn escort_purpose_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<EscortPurpose>(&self.ctx.t, &self.form.escort_purpose)
    }

    pub fn activity_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<IntegrationActivity>(&self.ctx.t, &self.form.activity)
    }

    pub fn assistance_kind_options(&self) -> Vec<SelectOption> {
        vocabulary_options::<AssistanceKind>(&self.ctx.t, &self.form.assistance_kind)
    }

    pub fn language_options(&self) -> Vec<SelectOption> {
        language_options(self.ctx.locale, &self.form.language)
    }
}

/// Every language of `geo::languages()` as an option, `selected` marked.
pub fn language_options(locale: Locale, selected: &str) -> Vec<SelectOption> {
    geo::languages()
        .iter()
        .map(|language| {
            SelectOption::new(
                language.code,
                language.name(locale),
                language.code == selected,
            )
        })
        .collect()
}

/// The links to the forms of the lines `role` may record on a case.
pub fn line_links(t: &Translator, role: Role, case_id: &str) -> Vec<SelectOption> {
    ServiceLine::ALL
        .iter()
        .filter(|line| may_record_line(role, **line))
        .map(|line| {
            SelectOption::new(
                new_service_href(case_id, *line),
                t.t(line.label_key()),
                false,
            )
        })
        .collect()
}

/// Returns the path of an action on one consent, e.g. `withdraw`.
pub fn consent_action_href(case_id: &str, consent_id: &str, action: &str) -> String {
    format!(
        "{}/consents/{}/{action}",
        case_href(case_id),
        encode_segment(consent_id)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const GREEK_FTL: &str = include_str!("../../locales/el/services.ftl");
    const ENGLISH_FTL: &str = include_str!("../../locales/en/services.ftl");

    fn defines(ftl: &str, key: &str) -> bool {
        ftl.lines().any(|line| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
    }

    #[test]
    fn every_vocabulary_key_is_translated() {
        let keys = service_vocabulary_keys();
        assert!(keys.len() > 50);
        for key in keys {
            assert!(defines(GREEK_FTL, key), "{key} missing in Greek");
            assert!(defines(ENGLISH_FTL, key), "{key} missing in English");
        }
        for line in ServiceLine::ALL {
            for field in detail_fields(*line) {
                assert!(
                    defines(GREEK_FTL, field.label_key),
                    "{} missing",
                    field.label_key
                );
                assert!(
                    defines(ENGLISH_FTL, field.label_key),
                    "{} missing",
                    field.label_key
                );
            }
        }
    }

    #[test]
    fn roles_record_their_own_lines() {
        assert!(may_record_line(
            Role::Psychologist,
            ServiceLine::Psychosocial
        ));
        assert!(!may_record_line(Role::Psychologist, ServiceLine::Legal));
        assert!(may_record_line(Role::Lawyer, ServiceLine::Legal));
        assert!(!may_record_line(Role::Lawyer, ServiceLine::Escort));
        for line in ServiceLine::ALL {
            assert!(may_record_line(Role::Caseworker, *line));
            assert!(may_record_line(Role::Coordinator, *line));
            assert!(!may_record_line(Role::Trainee, *line));
            assert!(!may_record_line(Role::Interpreter, *line));
        }
    }

    #[test]
    fn details_are_shown_with_labels() {
        let t = Translator::new(Locale::En);
        let details = serde_json::json!({
            "assistance_kind": "food",
            "value_cents": 1250,
        });
        let items = detail_items(&t, ServiceLine::MaterialAssistance, &details);
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].value, t.t("service-assistance-kind-food"));
        assert_eq!(items[1].value, "€12.50");
        assert_eq!(format_euro(Locale::El, 123_405), "1.234,05 €");
    }

    #[test]
    fn form_keeps_submitted_values() {
        let pairs = vec![
            ("line".to_owned(), "legal".to_owned()),
            ("court".to_owned(), "civil".to_owned()),
            ("other".to_owned(), "x".to_owned()),
        ];
        let form = ServiceForm::from_pairs(&pairs);
        assert_eq!(form.line, "legal");
        assert_eq!(form.court, "civil");
        assert_eq!(format!("{form:?}"), "ServiceForm(<redacted>)");
    }
}
