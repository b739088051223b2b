//! Cases: the list (`GET /cases`), registration (`GET`/`POST /cases/new`)
//! and the case page (`GET /cases/{id}`).
//!
//! Access follows [`scope_for`]: coordinators reach their organisation's
//! cases, other staff with case access the cases assigned to them, and
//! everyone else none (403). A case outside the user's scope returns 404,
//! so that ids are not confirmed. Every list, view, duplicate check and
//! registration is audited with ids and counts only.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use procap_domain::case::age::{AGE_OF_MAJORITY, age_on};
use procap_domain::case::dates::{DateRuleError, RegistrationDates, validate_registration};
use procap_domain::case::geo::{CountryList, LanguageList};
use procap_domain::case::vocab::{
    AgeBracket, CaseOrigin, CaseStatus, CodeSet, ExploitationType, ForcedLabourIndustry,
    InterpreterGender, LegalStatus, MeansOfControl, NrmStatus, RecruitmentMethod, ReferralSource,
    Region, ServiceLine, Setting, Sex, TraffickerRelationship, Vocabulary, Vulnerability,
};
use procap_domain::role::Permission;
use procap_store::StoreError;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::cases::{
    self, CaseAttributes, CaseFilter, CaseScope, DuplicateMatch, IntakeReferral, PersonAttributes,
    PersonDetails, Registration,
};
use procap_store::form_submissions::{self, Submitted};
use procap_store::organisations;
use serde::Deserialize;
use serde_json::json;

use crate::api::cases::scope_for;
use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::render;
use crate::handlers::today;
use crate::i18n::Translator;
use crate::pages::cases::{
    CaseEditPage, CaseFilterForm, CaseForm, CaseFormPage, CaseListPage, CaseRow, CaseViewPage,
    ConflictRow, DetailItem, DuplicateNotice, LatestService, case_href, code_label,
    code_list_label, country_names, language_names,
};
use crate::pages::{FieldErrors, Pagination, paths};
use crate::state::AppState;

/// Rows per page of the case list.
pub const CASES_PER_PAGE: i64 = 50;
/// Maximum length of a one-line text (names, facility, contact person), in
/// characters.
const MAX_LINE_CHARS: usize = 200;
/// Maximum length of a free text (reason, contact details, household), in
/// characters.
const MAX_TEXT_CHARS: usize = 4000;
/// Session key: form tokens handed out with the registration form and not
/// used yet.
const SESSION_FORM_TOKENS: &str = "case_form_tokens";
/// Session key: `(form token, case id)` of recent registrations, so a form
/// sent twice leads to the case created the first time.
const SESSION_FORMS_DONE: &str = "case_forms_done";
/// How many service records the case page lists.
const LATEST_SERVICES_SHOWN: i64 = 5;
/// How many tokens of each kind a session keeps.
const SESSION_TOKENS_KEPT: usize = 20;

fn scope(user: &CurrentUser) -> Result<CaseScope, WebError> {
    scope_for(user.role, &user.user.organisation_id, &user.user.id).ok_or(WebError::Forbidden)
}

fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Keeps `value` only when it is a code of the vocabulary.
fn known_code<V: Vocabulary>(value: &str) -> Option<String> {
    V::parse(value.trim()).map(|code| code.as_str().to_owned())
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    nrm_status: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    origin: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    page: Option<i64>,
}

/// `GET /cases`: one page of the cases in the user's scope.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, WebError> {
    let scope = scope(&user)?;
    let filter = CaseFilter {
        status: known_code::<CaseStatus>(&query.status),
        nrm_status: known_code::<NrmStatus>(&query.nrm_status),
        region: known_code::<Region>(&query.region),
        origin: known_code::<CaseOrigin>(&query.origin),
        code: non_empty(&query.code).map(|code| code.to_uppercase()),
    };
    let form = CaseFilterForm {
        status: filter.status.clone().unwrap_or_default(),
        nrm_status: filter.nrm_status.clone().unwrap_or_default(),
        region: filter.region.clone().unwrap_or_default(),
        origin: filter.origin.clone().unwrap_or_default(),
        code: filter.code.clone().unwrap_or_default(),
    };
    let requested = Pagination::new(query.page, CASES_PER_PAGE, 0, paths::CASES);
    let offset = requested.offset();

    let (rows, total) = state
        .store
        .run(move |db| cases::list(db, &scope, &filter, offset, CASES_PER_PAGE))
        .await?;

    let event = AuditEvent::new("case.list", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .details(json!({
            "page": requested.page,
            "returned": rows.len(),
            "total": total,
            "filtered": !form.is_empty(),
        }));
    record(&state.store, event).await?;

    let ctx = user.page(paths::CASES);
    let rows = rows
        .iter()
        .map(|row| CaseRow::from_store(&ctx.t, row))
        .collect();
    let page = CaseListPage {
        rows,
        pagination: Pagination::new(Some(requested.page), CASES_PER_PAGE, total, paths::CASES)
            .with_params(form.params()),
        filter: form,
        can_register: user.can(Permission::AccessCases),
        can_import: user.can(Permission::CoordinateCases),
        ctx,
    };
    render(&page)
}

/// Creates a form token and remembers it in the session.
async fn issue_form_token(user: &CurrentUser) -> Result<String, WebError> {
    let token = {
        use rand::Rng;
        let bytes: [u8; 16] = rand::thread_rng().r#gen();
        bytes
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect::<String>()
    };
    let mut tokens: Vec<String> = session_get(user, SESSION_FORM_TOKENS).await?;
    tokens.push(token.clone());
    let excess = tokens.len().saturating_sub(SESSION_TOKENS_KEPT);
    tokens.drain(..excess);
    session_set(user, SESSION_FORM_TOKENS, &tokens).await?;
    Ok(token)
}

async fn session_get<T: serde::de::DeserializeOwned + Default>(
    user: &CurrentUser,
    key: &str,
) -> Result<T, WebError> {
    let value: Option<T> = user
        .session
        .get(key)
        .await
        .map_err(|error| WebError::Internal(anyhow::anyhow!("session store: {error}")))?;
    Ok(value.unwrap_or_default())
}

async fn session_set<T: serde::Serialize + Send + Sync>(
    user: &CurrentUser,
    key: &str,
    value: &T,
) -> Result<(), WebError> {
    user.session
        .insert(key, value)
        .await
        .map_err(|error| WebError::Internal(anyhow::anyhow!("session store: {error}")))
}

/// `GET /cases/new`: the empty registration form.
pub async fn new_form(user: CurrentUser) -> Result<Response, WebError> {
    user.require(Permission::AccessCases)?;
    let form = CaseForm {
        form_token: issue_form_token(&user).await?,
        ..CaseForm::default()
    };
    render(&CaseFormPage {
        ctx: user.page(paths::CASES_NEW),
        form,
        errors: FieldErrors::new(),
        duplicates: Vec::new(),
    })
}

fn form_response(
    user: &CurrentUser,
    form: CaseForm,
    errors: FieldErrors,
    duplicates: Vec<DuplicateNotice>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let mut response = render(&CaseFormPage {
        ctx: user.page(paths::CASES_NEW),
        form,
        errors,
        duplicates,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// `POST /cases/new`: validates, checks for earlier registrations of the
/// same person, registers and redirects to the new case page.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Permission::AccessCases)?;
    let mut form = CaseForm::from_pairs(&pairs);
    let t = Translator::new(user.locale);

    // Two copies of the same form sent at once (a double click) wait for
    // each other here; the second finds the case the first created.
    let slot = registration_slot(&user.user.id, &form.form_token);
    let mut slot = slot.lock().await;
    if let Some(case_id) = slot.as_ref() {
        return Ok(Redirect::to(&case_href(case_id)).into_response());
    }

    let done: Vec<(String, String)> = session_get(&user, SESSION_FORMS_DONE).await?;
    if let Some((_, case_id)) = done.iter().find(|(token, _)| *token == form.form_token) {
        return Ok(Redirect::to(&case_href(case_id)).into_response());
    }
    let issued: Vec<String> = session_get(&user, SESSION_FORM_TOKENS).await?;
    if form.form_token.is_empty() || !issued.contains(&form.form_token) {
        let mut errors = FieldErrors::new();
        errors.add("", t.t("case-form-error-token"));
        form.form_token = issue_form_token(&user).await?;
        return form_response(
            &user,
            form,
            errors,
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }

    let registration = match parse_registration(&form, &t, today()) {
        Ok(registration) => registration,
        Err(errors) => {
            return form_response(
                &user,
                form,
                errors,
                Vec::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };

    if !form.duplicate_checked {
        let organisation_id = user.user.organisation_id.clone();
        let person = registration.person.clone();
        let matches = state
            .store
            .run(move |db| cases::find_duplicates(db, &organisation_id, &person))
            .await?;
        let event = AuditEvent::new("case.duplicate_check", Outcome::Success)
            .actor(&user.user.id, &user.user.username)
            .client_ip(user.client_ip.as_deref())
            .details(json!({ "matches": matches.len() }));
        record(&state.store, event).await?;
        if !matches.is_empty() {
            let mut errors = FieldErrors::new();
            if form.duplicate_seen {
                errors.add("duplicate_checked", t.t("case-duplicate-confirm-required"));
            }
            form.duplicate_seen = true;
            let notices = matches
                .iter()
                .map(|found| duplicate_notice(&t, found))
                .collect();
            let status = if errors.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            return form_response(&user, form, errors, notices, status);
        }
    }

    // The token is also recorded in the database with the case, so a copy
    // of the form sent to another server follows the same case.
    let organisation_id = user.user.organisation_id.clone();
    let user_id = user.user.id.clone();
    let token = form.form_token.clone();
    // Kept for the cross-organisation notice after the case is saved.
    let confirmed_person = form.duplicate_checked.then(|| registration.person.clone());
    let event = AuditEvent::new("case.create", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .details(json!({ "duplicate_confirmed": form.duplicate_checked }));
    let submitted = state
        .store
        .run(move |db| {
            let organisation = organisations::get(db, &organisation_id)?;
            form_submissions::register_once(
                db,
                &token,
                Registration {
                    organisation_id: &organisation.id,
                    case_code_prefix: &organisation.case_code_prefix,
                    created_by: &user_id,
                    person: registration.person,
                    attributes: registration.attributes,
                    case: registration.case,
                    intake: registration.intake,
                },
                |case| event.object("case", &case.id),
            )
        })
        .await;
    let case = match submitted {
        Ok(Submitted::Created(case)) => case,
        Ok(Submitted::Existing(case_id)) => {
            forget_token(&user, issued, done, &form.form_token, &case_id).await?;
            *slot = Some(case_id.clone());
            return Ok(Redirect::to(&case_href(&case_id)).into_response());
        }
        Err(StoreError::Conflict("form_submission_unfinished")) => {
            // Another copy of this form is still being saved elsewhere, or
            // failed: ask the user to check the list before sending again.
            let mut errors = FieldErrors::new();
            errors.add("", t.t("case-form-error-token"));
            form.form_token = issue_form_token(&user).await?;
            return form_response(&user, form, errors, Vec::new(), StatusCode::CONFLICT);
        }
        Err(error) => return Err(error.into()),
    };
    if let Some(person) = confirmed_person {
        connect_duplicates(&state, &user, &case.id, person).await?;
    }

    forget_token(&user, issued, done, &form.form_token, &case.id).await?;
    *slot = Some(case.id.clone());

    Ok(Redirect::to(&case_href(&case.id)).into_response())
}

/// After a registration the user confirmed despite a possible match,
/// tells the coordinators of the other organisations with a matching case,
/// so that both sides can get in touch. The audit event carries ids only.
async fn connect_duplicates(
    state: &AppState,
    user: &CurrentUser,
    case_id: &str,
    person: procap_store::cases::PersonDetails,
) -> Result<(), WebError> {
    let organisation_id = user.user.organisation_id.clone();
    let user_id = user.user.id.clone();
    let connected = state
        .store
        .run(move |db| {
            procap_store::duplicate_connect::notify_other_organisations(
                db,
                &organisation_id,
                &user_id,
                &person,
                procap_store::now(),
            )
        })
        .await?;
    if connected.matched_case_ids.is_empty() {
        return Ok(());
    }
    let event = AuditEvent::new("case.duplicate_connect", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", case_id)
        .details(json!({
            "matched_case_ids": connected.matched_case_ids,
            "notifications": connected.notifications,
        }));
    record(&state.store, event).await
}

/// Marks `token` as used in the session: no longer issued, and done with
/// `case_id`, keeping the last [`SESSION_TOKENS_KEPT`].
async fn forget_token(
    user: &CurrentUser,
    mut issued: Vec<String>,
    mut done: Vec<(String, String)>,
    token: &str,
    case_id: &str,
) -> Result<(), WebError> {
    issued.retain(|issued| issued != token);
    session_set(user, SESSION_FORM_TOKENS, &issued).await?;
    done.push((token.to_owned(), case_id.to_owned()));
    let excess = done.len().saturating_sub(SESSION_TOKENS_KEPT);
    done.drain(..excess);
    session_set(user, SESSION_FORMS_DONE, &done).await?;
    Ok(())
}

/// The case registered with one form token, shared by concurrent requests
/// that carry the same token.
type RegistrationSlot = std::sync::Arc<tokio::sync::Mutex<Option<String>>>;

/// Registrations in progress or done recently, by user id and form token.
/// The session's list of used tokens is saved only when a request ends, so
/// it cannot stop two requests that run at the same time. This map can.
static REGISTRATIONS: std::sync::LazyLock<
    std::sync::Mutex<std::collections::HashMap<String, RegistrationSlot>>,
> = std::sync::LazyLock::new(Default::default);
/// Number of slots the map keeps before it drops finished ones.
const REGISTRATIONS_KEPT: usize = 1000;

// TODO: the map lives in one process. With several Procap instances behind
// a load balancer, a race across instances needs a unique form token in the
// database.
fn registration_slot(user_id: &str, form_token: &str) -> RegistrationSlot {
    let mut slots = REGISTRATIONS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if slots.len() >= REGISTRATIONS_KEPT {
        // Keep only the slots a request still holds.
        slots.retain(|_, slot| slot.try_lock().is_err());
    }
    slots
        .entry(format!("{user_id}\u{1f}{form_token}"))
        .or_default()
        .clone()
}

fn duplicate_notice(t: &Translator, found: &DuplicateMatch) -> DuplicateNotice {
    let has = |kind: &str| found.matched.iter().any(|matched| matched == kind);
    let mut matched = Vec::new();
    if has(cases::INDEX_NAME) && has(cases::INDEX_BIRTH_DATE) {
        matched.push(t.t("case-duplicate-matched-name-birth-date"));
    }
    if has(cases::INDEX_DOCUMENT) {
        matched.push(t.t("case-duplicate-matched-document"));
    }
    DuplicateNotice {
        organisation_name: found.organisation_name.clone(),
        matched: matched.join(", "),
        own_case: found.own_case_code.as_ref().map(|code| {
            let href = format!(
                "{}?{}",
                paths::CASES,
                url::form_urlencoded::Serializer::new(String::new())
                    .append_pair("code", code)
                    .finish()
            );
            (code.clone(), href)
        }),
    }
}

/// The parts of a registration that the store needs, checked.
struct ParsedRegistration {
    person: PersonDetails,
    attributes: PersonAttributes,
    case: CaseAttributes,
    intake: IntakeReferral,
}

fn parse_date(
    errors: &mut FieldErrors,
    t: &Translator,
    field: &'static str,
    value: &str,
) -> Option<NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    // Browsers send `YYYY-MM-DD`; without a date picker staff type `dd/mm/yyyy`.
    match NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(value, "%d/%m/%Y"))
    {
        Ok(date) => Some(date),
        Err(_) => {
            errors.add(field, t.t("case-form-error-date"));
            None
        }
    }
}

/// A required single choice: the code, or an error on `field`.
fn required_code<V: Vocabulary>(
    errors: &mut FieldErrors,
    t: &Translator,
    field: &'static str,
    value: &str,
) -> String {
    match known_code::<V>(value) {
        Some(code) => code,
        None => {
            errors.add(field, t.t("form-error-choose"));
            String::new()
        }
    }
}

/// An optional single choice: empty is `None`, an unknown code an error.
fn optional_code<V: Vocabulary>(
    errors: &mut FieldErrors,
    t: &Translator,
    field: &'static str,
    value: &str,
) -> Option<String> {
    if value.trim().is_empty() {
        return None;
    }
    let code = known_code::<V>(value);
    if code.is_none() {
        errors.add(field, t.t("case-form-error-unknown-code"));
    }
    code
}

fn code_set<V: Vocabulary>(
    errors: &mut FieldErrors,
    t: &Translator,
    field: &'static str,
    values: &[String],
) -> CodeSet<V> {
    match CodeSet::<V>::parse_list(&values.join(";")) {
        Ok(set) => set,
        Err(_) => {
            errors.add(field, t.t("case-form-error-unknown-code"));
            CodeSet::new()
        }
    }
}

fn countries(errors: &mut FieldErrors, t: &Translator, field: &'static str, value: &str) -> String {
    match CountryList::parse(&value.to_uppercase()) {
        Ok(list) => list.to_stored(),
        Err(_) => {
            errors.add(field, t.t("case-form-error-country"));
            String::new()
        }
    }
}

fn text(
    errors: &mut FieldErrors,
    t: &Translator,
    field: &'static str,
    value: &str,
    max: usize,
) -> Option<String> {
    let value = non_empty(value);
    if value
        .as_ref()
        .is_some_and(|value| value.chars().count() > max)
    {
        errors.add(field, t.t1("case-form-error-too-long", "max", max));
    }
    value
}

/// Checks the whole form against the domain rules; returns every problem
/// at once, in the order of the fields.
fn parse_registration(
    form: &CaseForm,
    t: &Translator,
    today: NaiveDate,
) -> Result<ParsedRegistration, FieldErrors> {
    let mut errors = FieldErrors::new();

    let source =
        required_code::<ReferralSource>(&mut errors, t, "referral_source", &form.referral_source);
    let referred_on = parse_date(&mut errors, t, "referred_on", &form.referred_on);
    if form.referred_on.trim().is_empty() {
        errors.add("referred_on", t.t("form-error-required"));
    }
    let referring_contact = text(
        &mut errors,
        t,
        "referring_contact",
        &form.referring_contact,
        MAX_LINE_CHARS,
    );
    let reason = text(
        &mut errors,
        t,
        "referral_reason",
        &form.referral_reason,
        MAX_TEXT_CHARS,
    );

    let given_name = text(
        &mut errors,
        t,
        "given_name",
        &form.given_name,
        MAX_LINE_CHARS,
    );
    if given_name.is_none() {
        errors.add("given_name", t.t("form-error-required"));
    }
    let family_name = text(
        &mut errors,
        t,
        "family_name",
        &form.family_name,
        MAX_LINE_CHARS,
    );
    let aliases = text(&mut errors, t, "aliases", &form.aliases, MAX_LINE_CHARS);
    let birth_date = parse_date(&mut errors, t, "birth_date", &form.birth_date);
    let estimated_age = match form.estimated_age.trim() {
        "" => None,
        value => match value.parse::<u32>() {
            Ok(age) => Some(age),
            Err(_) => {
                errors.add(
                    "estimated_age",
                    t.t("case-error-estimated-age-out-of-range"),
                );
                None
            }
        },
    };
    if !form.birth_date.trim().is_empty() && estimated_age.is_some() {
        errors.add("estimated_age", t.t("case-form-error-age-twice"));
    }
    let sex = required_code::<Sex>(&mut errors, t, "sex", &form.sex);
    let gender_identity = text(
        &mut errors,
        t,
        "gender_identity",
        &form.gender_identity,
        MAX_LINE_CHARS,
    );
    let citizenships = countries(&mut errors, t, "citizenships", &form.citizenships);
    let languages = match LanguageList::parse(&form.languages.to_lowercase()) {
        Ok(list) => list.to_stored(),
        Err(_) => {
            errors.add("languages", t.t("case-form-error-language"));
            String::new()
        }
    };
    let interpreter_gender = optional_code::<InterpreterGender>(
        &mut errors,
        t,
        "interpreter_gender",
        &form.interpreter_gender,
    );
    let legal_status =
        required_code::<LegalStatus>(&mut errors, t, "legal_status", &form.legal_status);
    let contact = text(&mut errors, t, "contact", &form.contact, MAX_TEXT_CHARS);
    let household = text(&mut errors, t, "household", &form.household, MAX_TEXT_CHARS);
    let vulnerabilities =
        code_set::<Vulnerability>(&mut errors, t, "vulnerabilities", &form.vulnerabilities);
    let document_numbers: Vec<String> = form
        .document_numbers
        .lines()
        .filter_map(non_empty)
        .collect();
    if document_numbers
        .iter()
        .any(|number| number.chars().count() > MAX_LINE_CHARS)
    {
        errors.add(
            "document_numbers",
            t.t1("case-form-error-too-long", "max", MAX_LINE_CHARS),
        );
    }

    let region = required_code::<Region>(&mut errors, t, "region", &form.region);
    let setting = required_code::<Setting>(&mut errors, t, "setting", &form.setting);
    let facility = text(&mut errors, t, "facility", &form.facility, MAX_LINE_CHARS);
    let exploitation_types = code_set::<ExploitationType>(
        &mut errors,
        t,
        "exploitation_types",
        &form.exploitation_types,
    );
    let forced_labour_industry = optional_code::<ForcedLabourIndustry>(
        &mut errors,
        t,
        "forced_labour_industry",
        &form.forced_labour_industry,
    );
    let means_of_control =
        code_set::<MeansOfControl>(&mut errors, t, "means_of_control", &form.means_of_control);
    let recruitment_method = optional_code::<RecruitmentMethod>(
        &mut errors,
        t,
        "recruitment_method",
        &form.recruitment_method,
    );
    let trafficker_relationship = optional_code::<TraffickerRelationship>(
        &mut errors,
        t,
        "trafficker_relationship",
        &form.trafficker_relationship,
    );
    let countries_recruitment = countries(
        &mut errors,
        t,
        "countries_recruitment",
        &form.countries_recruitment,
    );
    let countries_transit = countries(&mut errors, t, "countries_transit", &form.countries_transit);
    let countries_exploitation = countries(
        &mut errors,
        t,
        "countries_exploitation",
        &form.countries_exploitation,
    );

    let dates = RegistrationDates {
        birth_date,
        estimated_age,
        referral_date: referred_on,
        opened_on: Some(today),
        closed_on: None,
    };
    if let Err(broken) = validate_registration(&dates, today) {
        for rule in broken {
            let field = match rule {
                DateRuleError::BirthDateInFuture | DateRuleError::BirthDateAfterReferral => {
                    "birth_date"
                }
                DateRuleError::ReferralDateInFuture => "referred_on",
                DateRuleError::EstimatedAgeOutOfRange => "estimated_age",
                DateRuleError::ClosedBeforeOpened => "",
            };
            errors.add(field, t.t(rule.message_key()));
        }
    }

    let (Some(given_name), Some(referred_on), true) = (given_name, referred_on, errors.is_empty())
    else {
        return Err(errors);
    };

    // The age on the referral date decides the bracket and whether the
    // person is a minor; an estimated age counts from the referral year.
    let age = birth_date
        .map(|birth| age_on(birth, referred_on))
        .or(estimated_age);
    let estimated_birth_year = estimated_age.and_then(|age| {
        i32::try_from(age)
            .ok()
            .map(|age| chrono::Datelike::year(&referred_on) - age)
    });
    let is_minor = age.is_some_and(|age| age < AGE_OF_MAJORITY)
        || vulnerabilities.contains(Vulnerability::Minor)
        || vulnerabilities.contains(Vulnerability::UnaccompaniedMinor);

    Ok(ParsedRegistration {
        person: PersonDetails {
            given_name,
            family_name,
            aliases,
            birth_date,
            contact,
            household,
            document_numbers,
        },
        attributes: PersonAttributes {
            estimated_birth_year,
            sex,
            gender_identity,
            citizenships,
            languages,
            interpreter_gender,
            legal_status,
            vulnerabilities: vulnerabilities.to_stored(),
        },
        case: CaseAttributes {
            age_bracket: age.map(|age| AgeBracket::for_age(age).as_str().to_owned()),
            is_minor,
            region,
            setting,
            facility,
            exploitation_types: exploitation_types.to_stored(),
            forced_labour_industry,
            means_of_control: means_of_control.to_stored(),
            recruitment_method,
            trafficker_relationship,
            countries_recruitment,
            countries_transit,
            countries_exploitation,
            opened_on: today,
        },
        intake: IntakeReferral {
            source,
            referred_on,
            referring_contact,
            reason,
        },
    })
}

/// `GET /cases/{id}`: the case page, for users whose scope holds the case.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
) -> Result<Response, WebError> {
    let scope = scope(&user)?;

    let id = case_id.clone();
    let found = state
        .store
        .run(move |db| {
            if !cases::in_scope(db, &scope, &id)? {
                return Ok(None);
            }
            let view = cases::get(db, &id)?;
            let services =
                procap_store::case_records::latest_services(db, &id, LATEST_SERVICES_SHOWN)?;
            Ok(Some((view, services)))
        })
        .await?;
    let outcome = if found.is_some() {
        Outcome::Success
    } else {
        Outcome::Denied
    };
    let event = AuditEvent::new("case.view", outcome)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", crate::handlers::case_access::audited_id(&case_id))
        .details(json!({}));
    record(&state.store, event).await?;
    let Some((view, (services, services_total))) = found else {
        return crate::handlers::protection::offer(&state, &user, &case_id).await;
    };

    let ctx = user.page(paths::CASES);
    let page = case_page(ctx, view, &services, services_total);
    render(&page)
}

fn case_page(
    ctx: crate::pages::PageContext,
    view: cases::CaseView,
    services: &[procap_store::case_records::ServiceSummary],
    services_total: i64,
) -> CaseViewPage {
    let t = ctx.t;
    let latest_services = services
        .iter()
        .map(|service| LatestService {
            occurred_on: t.format_date(&service.occurred_on),
            line: ServiceLine::parse(&service.line)
                .map_or_else(|| service.line.clone(), |line| t.t(line.label_key())),
            duration: t.t1("service-minutes", "minutes", service.duration_minutes),
            staff: service.staff_name.clone(),
        })
        .collect();
    let locale = ctx.locale;
    let case = &view.case;
    let item = |key: &str, value: String| DetailItem::new(t.t(key), value);
    let date =
        |value: Option<NaiveDate>| value.map(|date| t.format_date(&date)).unwrap_or_default();

    let intake = view
        .intake
        .as_ref()
        .map(|intake| {
            vec![
                item(
                    "case-field-referral-source",
                    code_label::<ReferralSource>(&t, &intake.source),
                ),
                item("case-field-referred-on", t.format_date(&intake.referred_on)),
                item(
                    "case-field-referring-contact",
                    intake.referring_contact.clone().unwrap_or_default(),
                ),
                item(
                    "case-field-referral-reason",
                    intake.reason.clone().unwrap_or_default(),
                ),
            ]
        })
        .unwrap_or_default();

    let person = view
        .person
        .as_ref()
        .map(|person| {
            let details = &person.details;
            let attributes = &person.attributes;
            vec![
                item("case-field-given-name", details.given_name.clone()),
                item(
                    "case-field-family-name",
                    details.family_name.clone().unwrap_or_default(),
                ),
                item(
                    "case-field-aliases",
                    details.aliases.clone().unwrap_or_default(),
                ),
                item("case-field-birth-date", date(details.birth_date)),
                item(
                    "case-field-estimated-birth-year",
                    attributes
                        .estimated_birth_year
                        .map(|year| year.to_string())
                        .unwrap_or_default(),
                ),
                item("case-field-sex", code_label::<Sex>(&t, &attributes.sex)),
                item(
                    "case-field-gender-identity",
                    attributes.gender_identity.clone().unwrap_or_default(),
                ),
                item(
                    "case-field-citizenships",
                    country_names(locale, &attributes.citizenships),
                ),
                item(
                    "case-field-languages",
                    language_names(locale, &attributes.languages),
                ),
                item(
                    "case-field-interpreter-gender",
                    attributes
                        .interpreter_gender
                        .as_deref()
                        .map(|code| code_label::<InterpreterGender>(&t, code))
                        .unwrap_or_default(),
                ),
                item(
                    "case-field-legal-status",
                    code_label::<LegalStatus>(&t, &attributes.legal_status),
                ),
                item(
                    "case-field-contact",
                    details.contact.clone().unwrap_or_default(),
                ),
                item(
                    "case-field-household",
                    details.household.clone().unwrap_or_default(),
                ),
                item(
                    "case-field-vulnerabilities",
                    code_list_label::<Vulnerability>(&t, &attributes.vulnerabilities),
                ),
            ]
        })
        .unwrap_or_default();

    let optional = |value: &Option<String>, label: fn(&Translator, &str) -> String| {
        value
            .as_deref()
            .map(|code| label(&t, code))
            .unwrap_or_default()
    };
    let case_items = vec![
        item("case-field-opened-on", t.format_date(&case.opened_on)),
        item("case-field-region", code_label::<Region>(&t, &case.region)),
        item(
            "case-field-setting",
            code_label::<Setting>(&t, &case.setting),
        ),
        item(
            "case-field-facility",
            view.facility.clone().unwrap_or_default(),
        ),
        item(
            "case-field-age-bracket",
            optional(&case.age_bracket, code_label::<AgeBracket>),
        ),
        item(
            "case-field-minor",
            t.t(if case.is_minor { "yes" } else { "no" }),
        ),
        item(
            "case-field-exploitation-types",
            code_list_label::<ExploitationType>(&t, &case.exploitation_types),
        ),
        item(
            "case-field-forced-labour-industry",
            optional(
                &case.forced_labour_industry,
                code_label::<ForcedLabourIndustry>,
            ),
        ),
        item(
            "case-field-means-of-control",
            code_list_label::<MeansOfControl>(&t, &case.means_of_control),
        ),
        item(
            "case-field-recruitment-method",
            optional(&case.recruitment_method, code_label::<RecruitmentMethod>),
        ),
        item(
            "case-field-trafficker-relationship",
            optional(
                &case.trafficker_relationship,
                code_label::<TraffickerRelationship>,
            ),
        ),
        item(
            "case-field-countries-recruitment",
            country_names(locale, &case.countries_recruitment),
        ),
        item(
            "case-field-countries-transit",
            country_names(locale, &case.countries_transit),
        ),
        item(
            "case-field-countries-exploitation",
            country_names(locale, &case.countries_exploitation),
        ),
    ];

    CaseViewPage {
        code: case.code.clone(),
        status: code_label::<CaseStatus>(&t, &case.status),
        nrm_status: code_label::<NrmStatus>(&t, &case.nrm_status),
        anonymised: case.origin == CaseOrigin::CtdcImport.as_str(),
        sealed: case.sealed,
        intake,
        person,
        case: case_items,
        id: case.id.clone(),
        latest_services,
        services_total,
        ctx,
    }
}

// --- Editing a case ----------------------------------------------------------

/// Returns whether the user may change the case: staff with case access who
/// are assigned to it, and coordinators of the owning organisation. The
/// caller has already checked that the case is within the user's scope.
fn may_edit(user: &CurrentUser, view: &cases::CaseView) -> bool {
    if !user.can(Permission::AccessCases) || view.person.is_none() {
        return false;
    }
    let assigned = view.assigned_user_ids.contains(&user.user.id);
    let coordinator = user.can(Permission::CoordinateCases)
        && view.case.organisation_id == user.user.organisation_id;
    assigned || coordinator
}

/// Opens a case for editing: 404 unless it is in scope, editable by the
/// user and has a person (anonymised records have none). Audits `action`.
async fn open_for_edit(
    state: &AppState,
    user: &CurrentUser,
    case_id: &str,
    action: &str,
) -> Result<(cases::CaseView, i64), WebError> {
    let view = crate::handlers::case_access::open_case(state, user, case_id, action).await?;
    if !may_edit(user, &view) {
        return Err(WebError::NotFound);
    }
    let id = case_id.to_owned();
    let document_count = state
        .store
        .run(move |db| cases::document_count(db, &id))
        .await?;
    Ok((view, document_count))
}

/// Converts the stored case into registration-form values. Document numbers
/// stay empty because only their blind indexes are stored.
fn form_from_view(view: &cases::CaseView) -> CaseForm {
    let joined = |codes: &str| {
        codes
            .split(';')
            .filter(|code| !code.is_empty())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let listed = |codes: &str| {
        codes
            .split(';')
            .filter(|code| !code.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let case = &view.case;
    let mut form = CaseForm {
        region: case.region.clone(),
        setting: case.setting.clone(),
        facility: view.facility.clone().unwrap_or_default(),
        exploitation_types: listed(&case.exploitation_types),
        forced_labour_industry: case.forced_labour_industry.clone().unwrap_or_default(),
        means_of_control: listed(&case.means_of_control),
        recruitment_method: case.recruitment_method.clone().unwrap_or_default(),
        trafficker_relationship: case.trafficker_relationship.clone().unwrap_or_default(),
        countries_recruitment: joined(&case.countries_recruitment),
        countries_transit: joined(&case.countries_transit),
        countries_exploitation: joined(&case.countries_exploitation),
        ..CaseForm::default()
    };
    if let Some(intake) = &view.intake {
        form.referral_source = intake.source.clone();
        form.referred_on = intake.referred_on.to_string();
        form.referring_contact = intake.referring_contact.clone().unwrap_or_default();
        form.referral_reason = intake.reason.clone().unwrap_or_default();
    }
    if let Some(person) = &view.person {
        let details = &person.details;
        let attributes = &person.attributes;
        form.given_name = details.given_name.clone();
        form.family_name = details.family_name.clone().unwrap_or_default();
        form.aliases = details.aliases.clone().unwrap_or_default();
        form.birth_date = details
            .birth_date
            .map(|date| date.to_string())
            .unwrap_or_default();
        let referral_year = view
            .intake
            .as_ref()
            .map(|intake| chrono::Datelike::year(&intake.referred_on))
            .unwrap_or(case.registration_year);
        form.estimated_age = attributes
            .estimated_birth_year
            .map(|year| (referral_year - year).to_string())
            .unwrap_or_default();
        form.sex = attributes.sex.clone();
        form.gender_identity = attributes.gender_identity.clone().unwrap_or_default();
        form.citizenships = joined(&attributes.citizenships);
        form.languages = joined(&attributes.languages);
        form.interpreter_gender = attributes.interpreter_gender.clone().unwrap_or_default();
        form.legal_status = attributes.legal_status.clone();
        form.contact = details.contact.clone().unwrap_or_default();
        form.household = details.household.clone().unwrap_or_default();
        form.vulnerabilities = listed(&attributes.vulnerabilities);
    }
    form
}

/// Lists the editable details as translated `(label, value)` pairs in form
/// order. Both sides of a conflict go through it, so equal values compare equal.
fn editable_items(
    t: &Translator,
    locale: procap_domain::locale::Locale,
    details: &PersonDetails,
    attributes: &PersonAttributes,
    case: &CaseAttributes,
) -> Vec<(String, String)> {
    let optional = |value: &Option<String>, label: fn(&Translator, &str) -> String| {
        value
            .as_deref()
            .map(|code| label(t, code))
            .unwrap_or_default()
    };
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    vec![
        (t.t("case-field-given-name"), details.given_name.clone()),
        (t.t("case-field-family-name"), text(&details.family_name)),
        (t.t("case-field-aliases"), text(&details.aliases)),
        (
            t.t("case-field-birth-date"),
            details
                .birth_date
                .map(|date| t.format_date(&date))
                .unwrap_or_default(),
        ),
        (
            t.t("case-field-estimated-birth-year"),
            attributes
                .estimated_birth_year
                .map(|year| year.to_string())
                .unwrap_or_default(),
        ),
        (t.t("case-field-sex"), code_label::<Sex>(t, &attributes.sex)),
        (
            t.t("case-field-gender-identity"),
            text(&attributes.gender_identity),
        ),
        (
            t.t("case-field-citizenships"),
            country_names(locale, &attributes.citizenships),
        ),
        (
            t.t("case-field-languages"),
            language_names(locale, &attributes.languages),
        ),
        (
            t.t("case-field-interpreter-gender"),
            optional(
                &attributes.interpreter_gender,
                code_label::<InterpreterGender>,
            ),
        ),
        (
            t.t("case-field-legal-status"),
            code_label::<LegalStatus>(t, &attributes.legal_status),
        ),
        (t.t("case-field-contact"), text(&details.contact)),
        (t.t("case-field-household"), text(&details.household)),
        (
            t.t("case-field-vulnerabilities"),
            code_list_label::<Vulnerability>(t, &attributes.vulnerabilities),
        ),
        (
            t.t("case-field-region"),
            code_label::<Region>(t, &case.region),
        ),
        (
            t.t("case-field-setting"),
            code_label::<Setting>(t, &case.setting),
        ),
        (t.t("case-field-facility"), text(&case.facility)),
        (
            t.t("case-field-exploitation-types"),
            code_list_label::<ExploitationType>(t, &case.exploitation_types),
        ),
        (
            t.t("case-field-forced-labour-industry"),
            optional(
                &case.forced_labour_industry,
                code_label::<ForcedLabourIndustry>,
            ),
        ),
        (
            t.t("case-field-means-of-control"),
            code_list_label::<MeansOfControl>(t, &case.means_of_control),
        ),
        (
            t.t("case-field-recruitment-method"),
            optional(&case.recruitment_method, code_label::<RecruitmentMethod>),
        ),
        (
            t.t("case-field-trafficker-relationship"),
            optional(
                &case.trafficker_relationship,
                code_label::<TraffickerRelationship>,
            ),
        ),
        (
            t.t("case-field-countries-recruitment"),
            country_names(locale, &case.countries_recruitment),
        ),
        (
            t.t("case-field-countries-transit"),
            country_names(locale, &case.countries_transit),
        ),
        (
            t.t("case-field-countries-exploitation"),
            country_names(locale, &case.countries_exploitation),
        ),
    ]
}

/// Lists the saved details of a case the way [`editable_items`] lists a
/// parsed form.
fn saved_items(
    t: &Translator,
    locale: procap_domain::locale::Locale,
    view: &cases::CaseView,
) -> Vec<(String, String)> {
    let case = &view.case;
    let saved_case = CaseAttributes {
        age_bracket: case.age_bracket.clone(),
        is_minor: case.is_minor,
        region: case.region.clone(),
        setting: case.setting.clone(),
        facility: view.facility.clone(),
        exploitation_types: case.exploitation_types.clone(),
        forced_labour_industry: case.forced_labour_industry.clone(),
        means_of_control: case.means_of_control.clone(),
        recruitment_method: case.recruitment_method.clone(),
        trafficker_relationship: case.trafficker_relationship.clone(),
        countries_recruitment: case.countries_recruitment.clone(),
        countries_transit: case.countries_transit.clone(),
        countries_exploitation: case.countries_exploitation.clone(),
        opened_on: case.opened_on,
    };
    match &view.person {
        Some(person) => editable_items(t, locale, &person.details, &person.attributes, &saved_case),
        None => Vec::new(),
    }
}

/// Returns the details that differ between the saved case and the user's values.
fn conflict_rows(saved: Vec<(String, String)>, yours: Vec<(String, String)>) -> Vec<ConflictRow> {
    saved
        .into_iter()
        .zip(yours)
        .filter(|((_, theirs), (_, yours))| theirs != yours)
        .map(|((label, theirs), (_, yours))| ConflictRow {
            label,
            theirs,
            yours,
        })
        .collect()
}

/// `GET /cases/{id}/edit`: the person and case details in the
/// registration form's fields, with the case's version.
pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
) -> Result<Response, WebError> {
    let (view, document_count) = open_for_edit(&state, &user, &case_id, "case.edit.view").await?;

    let ctx = user.page(paths::CASES);
    render(&CaseEditPage {
        ctx,
        case_id: view.case.id.clone(),
        code: view.case.code.clone(),
        version: view.case.version,
        form: form_from_view(&view),
        errors: FieldErrors::new(),
        document_count,
        conflict: Vec::new(),
    })
}

/// `POST /cases/{id}/edit`: checks the values like a registration, saves
/// them if the case is still at the version the form was based on, and
/// otherwise shows the saved values beside the user's (409), keeping the
/// user's values in a form based on the saved version.
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let (view, document_count) = open_for_edit(&state, &user, &case_id, "case.edit.view").await?;
    let t = Translator::new(user.locale);
    let locale = user.locale;

    // The intake referral is not on the edit form; the saved one takes
    // part in the checks (birth date before referral, age on referral).
    let mut form = CaseForm::from_pairs(&pairs);
    let saved_form = form_from_view(&view);
    form.referral_source = saved_form.referral_source.clone();
    form.referred_on = saved_form.referred_on.clone();
    form.referring_contact = saved_form.referring_contact.clone();
    form.referral_reason = saved_form.referral_reason.clone();
    let version = pairs
        .iter()
        .rev()
        .find(|(name, _)| name == "version")
        .and_then(|(_, value)| value.trim().parse::<i32>().ok());

    let page = |form: CaseForm, errors: FieldErrors, version: i32, conflict: Vec<ConflictRow>| {
        CaseEditPage {
            ctx: user.page(paths::CASES),
            case_id: view.case.id.clone(),
            code: view.case.code.clone(),
            version,
            form,
            errors,
            document_count,
            conflict,
        }
    };
    let respond = |page: CaseEditPage, status: StatusCode| -> Result<Response, WebError> {
        let mut response = render(&page)?;
        *response.status_mut() = status;
        Ok(response)
    };

    let Some(version) = version else {
        let mut errors = FieldErrors::new();
        errors.add("", t.t("case-edit-error-version"));
        return respond(
            page(form, errors, view.case.version, Vec::new()),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let parsed = match parse_registration(&form, &t, today()) {
        Ok(parsed) => parsed,
        Err(errors) => {
            return respond(
                page(form, errors, version, Vec::new()),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let yours = editable_items(&t, locale, &parsed.person, &parsed.attributes, &parsed.case);

    let replace_documents = !parsed.person.document_numbers.is_empty();
    let id = case_id.clone();
    let result = state
        .store
        .run(move |db| {
            let saved = cases::update_case(
                db,
                cases::CaseUpdate {
                    case_id: &id,
                    expected_version: version,
                    person: parsed.person,
                    attributes: parsed.attributes,
                    case: parsed.case,
                    replace_documents,
                },
            );
            match saved {
                Ok(new_version) => Ok(Ok(new_version)),
                Err(procap_store::StoreError::Conflict("stale")) => Ok(Err(cases::get(db, &id)?)),
                Err(other) => Err(other),
            }
        })
        .await?;

    match result {
        Ok(new_version) => {
            let changed = conflict_rows(saved_items(&t, locale, &view), yours).len();
            let event = AuditEvent::new("case.update", Outcome::Success)
                .actor(&user.user.id, &user.user.username)
                .client_ip(user.client_ip.as_deref())
                .object("case", &case_id)
                .details(json!({
                    "version": new_version,
                    "details_changed": changed,
                    "documents_replaced": replace_documents,
                }));
            record(&state.store, event).await?;
            Ok(Redirect::to(&case_href(&case_id)).into_response())
        }
        Err(current) => {
            let rows = conflict_rows(saved_items(&t, locale, &current), yours);
            let event = AuditEvent::new("case.update", Outcome::Failure)
                .actor(&user.user.id, &user.user.username)
                .client_ip(user.client_ip.as_deref())
                .object("case", &case_id)
                .details(json!({
                    "reason": "stale_version",
                    "form_version": version,
                    "saved_version": current.case.version,
                    "differences": rows.len(),
                }));
            record(&state.store, event).await?;
            if rows.is_empty() && !replace_documents {
                // The same values were saved already (a form sent twice):
                // nothing is left to apply.
                return Ok(Redirect::to(&case_href(&case_id)).into_response());
            }
            respond(
                page(form, FieldErrors::new(), current.case.version, rows),
                StatusCode::CONFLICT,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use procap_domain::locale::Locale;

    fn valid_form() -> CaseForm {
        CaseForm {
            referral_source: "police".to_owned(),
            referred_on: "02/03/2026".to_owned(),
            given_name: "Αμάρα".to_owned(),
            birth_date: "2009-05-01".to_owned(),
            sex: "female".to_owned(),
            citizenships: "ng; gh".to_owned(),
            languages: "EN".to_owned(),
            legal_status: "asylum_seeker".to_owned(),
            region: "attica".to_owned(),
            setting: "urban_area".to_owned(),
            exploitation_types: vec!["sexual_exploitation".to_owned()],
            document_numbers: "A123\n\n B 456 \n".to_owned(),
            ..CaseForm::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
    }

    #[test]
    fn valid_form_becomes_a_registration() {
        let t = Translator::new(Locale::En);
        let Ok(parsed) = parse_registration(&valid_form(), &t, today()) else {
            panic!("valid form rejected");
        };
        assert_eq!(parsed.attributes.citizenships, "GH;NG");
        assert_eq!(parsed.attributes.languages, "en");
        assert_eq!(parsed.case.age_bracket.as_deref(), Some("9_17"));
        assert!(parsed.case.is_minor);
        assert_eq!(parsed.person.document_numbers, ["A123", "B 456"]);
        assert_eq!(parsed.case.opened_on, today());
    }

    #[test]
    fn birth_after_referral_is_an_error_on_the_birth_date() {
        let t = Translator::new(Locale::El);
        let mut form = valid_form();
        form.birth_date = "2026-04-01".to_owned();
        let Err(errors) = parse_registration(&form, &t, today()) else {
            panic!("birth after referral accepted");
        };
        assert_eq!(
            errors.get("birth_date"),
            Some(t.t("case-error-birth-date-after-referral").as_str())
        );
    }

    #[test]
    fn unknown_codes_and_missing_name_are_errors() {
        let t = Translator::new(Locale::En);
        let mut form = valid_form();
        form.given_name = "  ".to_owned();
        form.region = "atlantis".to_owned();
        form.means_of_control = vec!["magic".to_owned()];
        form.countries_exploitation = "XX".to_owned();
        let Err(errors) = parse_registration(&form, &t, today()) else {
            panic!("invalid form accepted");
        };
        for field in [
            "given_name",
            "region",
            "means_of_control",
            "countries_exploitation",
        ] {
            assert!(errors.has(field), "{field}");
        }
    }

    #[test]
    fn estimated_age_sets_birth_year_and_bracket() {
        let t = Translator::new(Locale::En);
        let mut form = valid_form();
        form.birth_date = String::new();
        form.estimated_age = "25".to_owned();
        let Ok(parsed) = parse_registration(&form, &t, today()) else {
            panic!("estimated age rejected");
        };
        assert_eq!(parsed.attributes.estimated_birth_year, Some(2001));
        assert_eq!(parsed.case.age_bracket.as_deref(), Some("24_26"));
        assert!(!parsed.case.is_minor);
    }
}
