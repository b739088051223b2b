//! The service log of a case: `GET /cases/{id}/services` (latest first, 50
//! per page) and `GET`/`POST /cases/{id}/services/new?line=<service_line>`,
//! one typed form per service line.
//!
//! Every page opens the case through [`open_case`], so a case outside the
//! user's scope returns 404. Caseworkers and coordinators record any line,
//! psychologists psychosocial support and lawyers legal assistance; any
//! other line answers 403. Notes are shown only to users who may record the
//! record's line.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use procap_domain::case::geo;
use procap_domain::case::vocab::{ServiceLine, Vocabulary};
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::case_records::{self, NewServiceRecord};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::case_access::open_case;
use crate::handlers::render;
use crate::handlers::today;
use crate::i18n::Translator;
use crate::pages::services::{
    AssistanceKind, CaseHeading, Court, EscortDestination, EscortPurpose, HearingOutcome,
    IntegrationActivity, LegalKind, Modality, ServiceForm, ServiceFormPage, ServiceListPage,
    ServiceOutcome, ServiceRow, SessionType, SupportFormat, detail_items, line_links,
    services_href,
};
use crate::pages::{ErrorPage, FieldErrors, Pagination};
use crate::state::AppState;

/// Rows per page of the service log.
pub const SERVICES_PER_PAGE: i64 = 50;
/// Maximum duration of a service in minutes (one day).
pub const MAX_DURATION_MINUTES: i32 = 1440;
/// Maximum number of sessions one psychosocial record may count.
const MAX_SESSIONS: i64 = 100;
/// Largest material assistance value, in euro cents (100 000 €).
const MAX_VALUE_CENTS: i64 = 10_000_000;
/// Longest accepted free text (notes, reasons), in characters.
pub const MAX_TEXT_CHARS: usize = 4000;
/// Longest accepted one-line text (case number, dialect), in characters.
const MAX_LINE_CHARS: usize = 200;

/// Parses a `YYYY-MM-DD` field; empty is `None` without an error.
pub fn parse_date(
    errors: &mut FieldErrors,
    t: &Translator,
    field: &'static str,
    value: &str,
) -> Option<NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let parsed = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok();
    if parsed.is_none() {
        errors.add(field, t.t("service-error-date"));
    }
    parsed
}

/// Parses a required date that lies between the case's opening and today.
pub fn event_date(
    errors: &mut FieldErrors,
    t: &Translator,
    field: &'static str,
    value: &str,
    opened_on: NaiveDate,
    today: NaiveDate,
) -> Option<NaiveDate> {
    if value.trim().is_empty() {
        errors.add(field, t.t("form-error-required"));
        return None;
    }
    let date = parse_date(errors, t, field, value)?;
    if date > today {
        errors.add(field, t.t("service-error-date-future"));
        return None;
    }
    if date < opened_on {
        errors.add(
            field,
            t.t1(
                "service-error-date-before-opening",
                "date",
                t.format_date(&opened_on),
            ),
        );
        return None;
    }
    Some(date)
}

/// Parses a required code of `V`, adding an error on `field` when it is missing or unknown.
fn required_code<V: Vocabulary>(
    errors: &mut FieldErrors,
    t: &Translator,
    field: &'static str,
    value: &str,
) -> Option<&'static str> {
    let code = V::parse(value.trim()).map(V::as_str);
    if code.is_none() {
        errors.add(field, t.t("form-error-choose"));
    }
    code
}

/// Parses an optional code of `V`: empty is `None`, an unknown code an error.
fn optional_code<V: Vocabulary>(
    errors: &mut FieldErrors,
    t: &Translator,
    field: &'static str,
    value: &str,
) -> Option<&'static str> {
    if value.trim().is_empty() {
        return None;
    }
    required_code::<V>(errors, t, field, value)
}

/// Trims a free text and checks its length; empty is `None`.
pub fn free_text(
    errors: &mut FieldErrors,
    t: &Translator,
    field: &'static str,
    value: &str,
    max: usize,
) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.chars().count() > max {
        errors.add(field, t.t1("service-error-too-long", "max", max));
        return None;
    }
    Some(value.to_owned())
}

/// Parses an amount in euro with at most two decimals (`12`, `12,5`,
/// `12.50`) into cents.
fn parse_euro_cents(value: &str) -> Option<i64> {
    let value = value.trim().replace(',', ".");
    let (whole, fraction) = value.split_once('.').unwrap_or((&value, ""));
    if whole.is_empty() || !whole.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    if fraction.len() > 2 || !fraction.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let cents: i64 = format!("{fraction:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(cents)
}

/// A service record checked and ready for the store.
#[derive(PartialEq)]
pub struct ParsedService {
    pub occurred_on: NaiveDate,
    pub duration_minutes: i32,
    pub beneficiary_present: bool,
    pub outcome: Option<&'static str>,
    pub details: Value,
    /// The notes with the line's free-text fields (case number, dialect)
    /// in front, each on its own labelled line.
    pub notes: Option<String>,
}

/// Checks a service form of `line` against the case's opening date and
/// today; the errors name the form's fields.
pub fn parse_service(
    form: &ServiceForm,
    line: ServiceLine,
    t: &Translator,
    opened_on: NaiveDate,
    today: NaiveDate,
) -> Result<ParsedService, FieldErrors> {
    let mut errors = FieldErrors::new();

    let occurred_on = event_date(
        &mut errors,
        t,
        "occurred_on",
        &form.occurred_on,
        opened_on,
        today,
    );
    let duration_minutes = match form.duration_minutes.trim().parse::<i32>() {
        Ok(minutes) if (1..=MAX_DURATION_MINUTES).contains(&minutes) => Some(minutes),
        _ => {
            errors.add(
                "duration_minutes",
                t.t1("service-error-duration", "max", MAX_DURATION_MINUTES),
            );
            None
        }
    };
    let beneficiary_present = match form.beneficiary_present.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.add("beneficiary_present", t.t("form-error-choose"));
            None
        }
    };
    let outcome = optional_code::<ServiceOutcome>(&mut errors, t, "outcome", &form.outcome);

    let mut details = Map::new();
    let mut text_lines: Vec<String> = Vec::new();
    let put_code = |details: &mut Map<String, Value>, name: &str, code: Option<&'static str>| {
        if let Some(code) = code {
            details.insert(name.to_owned(), Value::from(code));
        }
    };
    match line {
        ServiceLine::CaseManagement => {
            let code =
                required_code::<SessionType>(&mut errors, t, "session_type", &form.session_type);
            put_code(&mut details, "session_type", code);
        }
        ServiceLine::Psychosocial => {
            let code = required_code::<SupportFormat>(&mut errors, t, "format", &form.format);
            put_code(&mut details, "format", code);
            let code = required_code::<Modality>(&mut errors, t, "modality", &form.modality);
            put_code(&mut details, "modality", code);
            match form.sessions.trim().parse::<i64>() {
                Ok(count) if (1..=MAX_SESSIONS).contains(&count) => {
                    details.insert("sessions".to_owned(), Value::from(count));
                }
                _ => errors.add(
                    "sessions",
                    t.t1("service-error-sessions", "max", MAX_SESSIONS),
                ),
            }
        }
        ServiceLine::Legal => {
            let code = required_code::<LegalKind>(&mut errors, t, "legal_kind", &form.legal_kind);
            put_code(&mut details, "legal_kind", code);
            let code = optional_code::<Court>(&mut errors, t, "court", &form.court);
            put_code(&mut details, "court", code);
            if let Some(date) = parse_date(&mut errors, t, "hearing_on", &form.hearing_on) {
                details.insert(
                    "hearing_on".to_owned(),
                    Value::from(date.format("%Y-%m-%d").to_string()),
                );
            }
            let code = optional_code::<HearingOutcome>(
                &mut errors,
                t,
                "hearing_outcome",
                &form.hearing_outcome,
            );
            put_code(&mut details, "hearing_outcome", code);
            if let Some(number) = free_text(
                &mut errors,
                t,
                "case_number",
                &form.case_number,
                MAX_LINE_CHARS,
            ) {
                text_lines.push(format!("{}: {number}", t.t("service-case-number")));
            }
        }
        ServiceLine::Interpretation => {
            match geo::language(form.language.trim()) {
                Some(language) => {
                    details.insert("language".to_owned(), Value::from(language.code));
                }
                None => errors.add("language", t.t("form-error-choose")),
            }
            let code = required_code::<Modality>(&mut errors, t, "mode", &form.mode);
            put_code(&mut details, "mode", code);
            if let Some(dialect) =
                free_text(&mut errors, t, "dialect", &form.dialect, MAX_LINE_CHARS)
            {
                text_lines.push(format!("{}: {dialect}", t.t("service-dialect")));
            }
        }
        ServiceLine::Escort => {
            let code = required_code::<EscortDestination>(
                &mut errors,
                t,
                "destination",
                &form.destination,
            );
            put_code(&mut details, "destination", code);
            let code = required_code::<EscortPurpose>(
                &mut errors,
                t,
                "escort_purpose",
                &form.escort_purpose,
            );
            put_code(&mut details, "escort_purpose", code);
        }
        ServiceLine::Integration => {
            let code =
                required_code::<IntegrationActivity>(&mut errors, t, "activity", &form.activity);
            put_code(&mut details, "activity", code);
        }
        ServiceLine::MaterialAssistance => {
            let code = required_code::<AssistanceKind>(
                &mut errors,
                t,
                "assistance_kind",
                &form.assistance_kind,
            );
            put_code(&mut details, "assistance_kind", code);
            if !form.value_eur.trim().is_empty() {
                match parse_euro_cents(&form.value_eur) {
                    Some(cents) if (1..=MAX_VALUE_CENTS).contains(&cents) => {
                        details.insert("value_cents".to_owned(), Value::from(cents));
                    }
                    _ => errors.add("value_eur", t.t("service-error-value")),
                }
            }
        }
    }

    if let Some(notes) = free_text(&mut errors, t, "notes", &form.notes, MAX_TEXT_CHARS) {
        if !text_lines.is_empty() {
            text_lines.push(String::new());
        }
        text_lines.push(notes);
    }
    let notes = (!text_lines.is_empty()).then(|| text_lines.join("\n"));

    match (
        occurred_on,
        duration_minutes,
        beneficiary_present,
        errors.is_empty(),
    ) {
        (Some(occurred_on), Some(duration_minutes), Some(beneficiary_present), true) => {
            Ok(ParsedService {
                occurred_on,
                duration_minutes,
                beneficiary_present,
                outcome,
                details: Value::Object(details),
                notes,
            })
        }
        _ => Err(errors),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    page: Option<i64>,
}

/// `GET /cases/{id}/services`: the case's service records, latest first.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.service.list").await?;

    let requested = Pagination::new(query.page, SERVICES_PER_PAGE, 0, services_href(&case_id));
    let offset = requested.offset();
    let id = case_id.clone();
    let (records, total) = state
        .store
        .run(move |db| case_records::list_service_records(db, &id, offset, SERVICES_PER_PAGE))
        .await?;

    let ctx = user.page(&services_href(&case_id));
    let t = ctx.t;
    let rows = records
        .into_iter()
        .map(|service| {
            let line = ServiceLine::parse(&service.line);
            let may_read_notes = line.is_some_and(|line| user.role.may_record(line));
            ServiceRow {
                line: line.map_or(service.line.clone(), |line| t.t(line.label_key())),
                occurred_on: t.format_date(&service.occurred_on),
                duration_minutes: service.duration_minutes,
                staff: service.staff_name,
                beneficiary_present: service.beneficiary_present,
                outcome: service
                    .outcome
                    .as_deref()
                    .map(|code| crate::pages::cases::code_label::<ServiceOutcome>(&t, code))
                    .unwrap_or_default(),
                details: line
                    .map(|line| detail_items(&t, line, &service.details))
                    .unwrap_or_default(),
                notes: if may_read_notes { service.notes } else { None },
            }
        })
        .collect();
    let page = ServiceListPage {
        case: CaseHeading::new(&t, &view.case),
        rows,
        pagination: Pagination::new(
            Some(requested.page),
            SERVICES_PER_PAGE,
            total,
            services_href(&case_id),
        ),
        new_links: line_links(&t, user.role, &case_id),
        ctx,
    };
    render(&page)
}

#[derive(Debug, Default, Deserialize)]
pub struct LineQuery {
    #[serde(default)]
    line: String,
}

/// Why a requested line cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineRefused {
    /// Not a service line: 404.
    Unknown,
    /// A line of another profession: 403 with a page that says why.
    NotAllowed,
}

impl LineRefused {
    fn response(self, user: &CurrentUser, case_id: &str) -> Response {
        match self {
            LineRefused::Unknown => WebError::NotFound.into_response(),
            LineRefused::NotAllowed => line_refused(user, case_id),
        }
    }
}

/// Parses the requested line and checks that the user may record it: an
/// empty line is `None` (the page lists the lines), an unknown one 404, a
/// line of another profession 403.
fn requested_line(user: &CurrentUser, line: &str) -> Result<Option<ServiceLine>, LineRefused> {
    if line.trim().is_empty() {
        return Ok(None);
    }
    let line = ServiceLine::parse(line.trim()).ok_or(LineRefused::Unknown)?;
    if user.role.may_record(line) {
        Ok(Some(line))
    } else {
        Err(LineRefused::NotAllowed)
    }
}

/// The 403 page for a service line the user's role does not record.
fn line_refused(user: &CurrentUser, case_id: &str) -> Response {
    let ctx = user.page(&services_href(case_id));
    let page = ErrorPage {
        status: StatusCode::FORBIDDEN.as_u16(),
        title: ctx.t.t("service-line-refused-title"),
        message: ctx.t.t("service-line-refused-text"),
        login_link: false,
        reference: None,
        ctx,
    };
    let mut response = crate::pages::render(&page);
    if response.status().is_success() {
        *response.status_mut() = StatusCode::FORBIDDEN;
    }
    response
}

fn form_page(
    user: &CurrentUser,
    case: &procap_store::cases::Case,
    line: Option<ServiceLine>,
    form: ServiceForm,
    errors: FieldErrors,
) -> ServiceFormPage {
    let ctx = user.page(&services_href(&case.id));
    ServiceFormPage {
        case: CaseHeading::new(&ctx.t, case),
        line,
        form,
        errors,
        line_links: line_links(&ctx.t, user.role, &case.id),
        ctx,
    }
}

/// `GET /cases/{id}/services/new?line=…`: the empty form of a line, or
/// the list of lines the user may record.
pub async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Query(query): Query<LineQuery>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.service.form").await?;
    if !ServiceLine::ALL
        .iter()
        .any(|line| user.role.may_record(*line))
    {
        return Err(WebError::Forbidden);
    }
    let line = match requested_line(&user, &query.line) {
        Ok(line) => line,
        Err(refused) => return Ok(refused.response(&user, &case_id)),
    };

    let form = ServiceForm {
        line: line
            .map(|line| line.as_str().to_owned())
            .unwrap_or_default(),
        occurred_on: today().format("%Y-%m-%d").to_string(),
        beneficiary_present: "yes".to_owned(),
        ..ServiceForm::default()
    };
    render(&form_page(
        &user,
        &view.case,
        line,
        form,
        FieldErrors::new(),
    ))
}

/// `POST /cases/{id}/services/new`: checks the form of its line, stores the
/// record and returns to the service log; errors come back as 422 with the
/// values kept.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Query(query): Query<LineQuery>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.service.form").await?;
    let mut form = ServiceForm::from_pairs(&pairs);
    if form.line.is_empty() {
        form.line = query.line;
    }
    let line = match requested_line(&user, &form.line) {
        Ok(Some(line)) => line,
        Ok(None) => return Err(WebError::NotFound),
        Err(refused) => return Ok(refused.response(&user, &case_id)),
    };
    let t = Translator::new(user.locale);

    let parsed = match parse_service(&form, line, &t, view.case.opened_on, today()) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let mut response = render(&form_page(&user, &view.case, Some(line), form, errors))?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
    };

    let id = case_id.clone();
    let staff_user_id = user.user.id.clone();
    let record_id = state
        .store
        .run(move |db| {
            case_records::add_service_record(
                db,
                &NewServiceRecord {
                    case_id: &id,
                    line: line.as_str(),
                    occurred_on: parsed.occurred_on,
                    duration_minutes: parsed.duration_minutes,
                    staff_user_id: &staff_user_id,
                    beneficiary_present: parsed.beneficiary_present,
                    details: &parsed.details,
                    outcome: parsed.outcome,
                    notes: parsed.notes.as_deref(),
                },
            )
        })
        .await?;
    let event = AuditEvent::new("case.service.create", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", &case_id)
        .details(json!({ "service_record": record_id, "line": line.as_str() }));
    record(&state.store, event).await?;

    Ok(Redirect::to(&services_href(&case_id)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use procap_domain::locale::Locale;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn base_form(line: &str) -> ServiceForm {
        ServiceForm {
            line: line.to_owned(),
            occurred_on: "2026-05-10".to_owned(),
            duration_minutes: "60".to_owned(),
            beneficiary_present: "yes".to_owned(),
            ..ServiceForm::default()
        }
    }

    fn parse(form: &ServiceForm, line: ServiceLine) -> Result<ParsedService, FieldErrors> {
        parse_service(
            form,
            line,
            &Translator::new(Locale::En),
            date("2026-05-01"),
            date("2026-06-01"),
        )
    }

    #[test]
    fn legal_details_hold_codes_and_notes_hold_text() {
        let mut form = base_form("legal");
        form.legal_kind = "representation".to_owned();
        form.court = "criminal_first_instance".to_owned();
        form.hearing_on = "2026-09-15".to_owned();
        form.case_number = "ΑΒΜ 123/2026".to_owned();
        form.notes = "Αναβολή".to_owned();
        let Ok(parsed) = parse(&form, ServiceLine::Legal) else {
            panic!("valid legal form rejected");
        };
        assert_eq!(
            parsed.details,
            json!({ "legal_kind": "representation", "court": "criminal_first_instance", "hearing_on": "2026-09-15" })
        );
        let notes = parsed.notes.unwrap();
        assert!(notes.contains("ΑΒΜ 123/2026"));
        assert!(notes.ends_with("Αναβολή"));
        assert!(!parsed.details.to_string().contains("ΑΒΜ"));
    }

    #[test]
    fn dates_outside_the_case_are_rejected() {
        for (occurred_on, field) in [
            ("2026-06-02", "occurred_on"),
            ("2026-04-30", "occurred_on"),
            ("10/05/2026", "occurred_on"),
        ] {
            let mut form = base_form("integration");
            form.activity = "language_course".to_owned();
            form.occurred_on = occurred_on.to_owned();
            let Err(errors) = parse(&form, ServiceLine::Integration) else {
                panic!("{occurred_on} accepted");
            };
            assert!(errors.has(field), "{occurred_on}");
        }
    }

    #[test]
    fn duration_must_be_one_minute_to_one_day() {
        for minutes in ["0", "1441", "-5", "abc", ""] {
            let mut form = base_form("escort");
            form.destination = "hospital".to_owned();
            form.escort_purpose = "medical_appointment".to_owned();
            form.duration_minutes = minutes.to_owned();
            let Err(errors) = parse(&form, ServiceLine::Escort) else {
                panic!("{minutes:?} minutes accepted");
            };
            assert!(errors.has("duration_minutes"));
        }
    }

    #[test]
    fn each_line_requires_its_own_fields() {
        let required = [
            (ServiceLine::CaseManagement, "session_type"),
            (ServiceLine::Psychosocial, "sessions"),
            (ServiceLine::Legal, "legal_kind"),
            (ServiceLine::Interpretation, "language"),
            (ServiceLine::Escort, "destination"),
            (ServiceLine::Integration, "activity"),
            (ServiceLine::MaterialAssistance, "assistance_kind"),
        ];
        for (line, field) in required {
            let Err(errors) = parse(&base_form(line.as_str()), line) else {
                panic!("{line:?} without its fields accepted");
            };
            assert!(errors.has(field), "{line:?}: {field}");
        }
    }

    #[test]
    fn euro_amounts_become_cents() {
        assert_eq!(parse_euro_cents("12"), Some(1200));
        assert_eq!(parse_euro_cents("12,5"), Some(1250));
        assert_eq!(parse_euro_cents(" 0.07 "), Some(7));
        assert_eq!(parse_euro_cents("1.234,50"), None);
        assert_eq!(parse_euro_cents("12.345"), None);
        assert_eq!(parse_euro_cents("-3"), None);
        assert_eq!(parse_euro_cents(""), None);
    }
}
