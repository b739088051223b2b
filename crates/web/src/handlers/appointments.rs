//! Interpretation and escort appointments.
//!
//! - `GET`/`POST /cases/{id}/appointments`: a case's appointments and the
//!   request form. "Propose" lists the interpreters or escorts whose skills
//!   match and who are free; "Book" books the one chosen. Booking someone
//!   who is already booked at an overlapping time returns 409 with the
//!   form kept; invalid input returns 422.
//! - `GET /agenda`: the signed-in interpreter's or escort's day, with only
//!   the case code, kind, language, place and time; they mark an
//!   appointment completed (which records a service record) or cancelled.
//! - `GET /agenda.ics?token=…`: the same appointments as an iCalendar feed,
//!   authenticated by a personal token stored hashed.
//! - `GET`/`POST /staff/skills`: languages, dialects and gender of
//!   interpreters and escorts, edited by administrators and coordinators.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Athens;
use procap_domain::case::geo;
use procap_domain::role::{Permission, Role};
use procap_store::StoreError;
use procap_store::appointments::{
    self, Appointment, KIND_ESCORT, KIND_INTERPRETATION, NewAppointment, STATUS_BOOKED,
    SkillRequest, StaffMember,
};
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::cases::CaseView;
use serde::Deserialize;
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::case_access::open_case;
use crate::handlers::render;
use crate::handlers::today;
use crate::i18n::Translator;
use crate::pages::appointments::{
    AGENDA, AGENDA_ICS, AgendaPage, AgendaRow, AppointmentForm, CaseAppointmentRow,
    CaseAppointmentsPage, STAFF_SKILLS, StaffSkillsPage, StaffSkillsRow, appointments_href,
};
use crate::pages::{FieldErrors, SelectOption, paths};
use crate::state::AppState;

/// Minimum and maximum appointment duration, in minutes.
const MIN_DURATION: i32 = 15;
const MAX_DURATION: i32 = 12 * 60;
/// Maximum length of the place and the dialect, in characters.
const MAX_PLACE_CHARS: usize = 300;
const MAX_DIALECT_CHARS: usize = 40;
/// How far back and ahead the calendar feed reaches, in days.
const FEED_PAST_DAYS: i64 = 60;
const FEED_FUTURE_DAYS: i64 = 366;

const KINDS: [&str; 2] = [KIND_INTERPRETATION, KIND_ESCORT];
const PREFERRED_GENDERS: [&str; 3] = ["female", "male", "any"];
const STAFF_GENDERS: [&str; 3] = ["female", "male", "other"];

// --- Time and labels ------------------------------------------------------------

/// Converts an Athens wall-clock time to naive UTC; in the hour that occurs
/// twice in autumn the earlier one is taken, and a time skipped in spring
/// is `None`.
fn athens_to_utc(local: NaiveDateTime) -> Option<NaiveDateTime> {
    Athens
        .from_local_datetime(&local)
        .earliest()
        .map(|at| at.naive_utc())
}

fn utc_to_athens(at: NaiveDateTime) -> NaiveDateTime {
    Utc.from_utc_datetime(&at)
        .with_timezone(&Athens)
        .naive_local()
}

/// Returns the Athens calendar date of a UTC time.
fn athens_date(at: NaiveDateTime) -> NaiveDate {
    utc_to_athens(at).date()
}

/// Returns the UTC bounds `[from, to)` of an Athens calendar day.
pub fn day_bounds(day: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    let start = |date: NaiveDate| {
        athens_to_utc(date.and_hms_opt(0, 0, 0).expect("midnight exists"))
            // Greece changes clocks at 03:00/04:00, never at midnight.
            .unwrap_or_else(|| date.and_hms_opt(0, 0, 0).expect("midnight exists"))
    };
    (start(day), start(day + Duration::days(1)))
}

fn kind_label(t: &Translator, kind: &str) -> String {
    t.t(&format!("vocab-service-line-{kind}"))
}

fn status_label(t: &Translator, status: &str) -> String {
    t.t(&format!("appointments-status-{status}"))
}

fn language_name(t: &Translator, code: &str) -> String {
    match geo::language(code) {
        Some(language) => match t.locale() {
            procap_domain::locale::Locale::El => language.name_el.to_owned(),
            procap_domain::locale::Locale::En => language.name_en.to_owned(),
        },
        None => code.to_owned(),
    }
}

/// "Arabic (apc)" or "Arabic", or empty when no language.
fn language_label(t: &Translator, language: Option<&str>, dialect: Option<&str>) -> String {
    match (language, dialect) {
        (Some(language), Some(dialect)) => format!("{} ({dialect})", language_name(t, language)),
        (Some(language), None) => language_name(t, language),
        (None, _) => String::new(),
    }
}

async fn audit(
    state: &AppState,
    user: &CurrentUser,
    action: &str,
    outcome: Outcome,
    object: (&str, &str),
    details: serde_json::Value,
) -> Result<(), WebError> {
    let event = AuditEvent::new(action, outcome)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object(object.0, object.1)
        .details(details);
    record(&state.store, event).await
}

// --- The case page -------------------------------------------------------------

/// Builds the form as the page first shows it, with language, dialect and
/// gender from the person's record.
fn default_form(view: &CaseView) -> AppointmentForm {
    let mut form = AppointmentForm {
        duration_minutes: "60".to_owned(),
        ..AppointmentForm::default()
    };
    if let Some(person) = &view.person {
        if let Some((code, dialect)) = appointments::language_entries(&person.attributes.languages)
            .into_iter()
            .next()
        {
            form.language = code;
            form.dialect = dialect.unwrap_or_default();
        }
        form.gender = person
            .attributes
            .interpreter_gender
            .clone()
            .unwrap_or_default();
    }
    form
}

/// A request that passed every check.
struct ParsedRequest {
    kind: &'static str,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    duration_minutes: i32,
    place: String,
    language: Option<&'static str>,
    dialect: Option<String>,
    gender: Option<&'static str>,
}

impl ParsedRequest {
    fn skills(&self) -> SkillRequest<'_> {
        SkillRequest {
            kind: self.kind,
            language: self.language,
            dialect: self.dialect.as_deref(),
            gender: self.gender,
        }
    }
}

fn parse_request(form: &AppointmentForm, t: &Translator) -> Result<ParsedRequest, FieldErrors> {
    let mut errors = FieldErrors::new();
    let kind = KINDS.into_iter().find(|kind| *kind == form.kind.trim());
    if kind.is_none() {
        errors.add("kind", t.t("appointments-error-kind"));
    }

    let starts_at = NaiveDateTime::parse_from_str(form.starts_at.trim(), "%Y-%m-%dT%H:%M")
        .ok()
        .and_then(athens_to_utc);
    if starts_at.is_none() {
        errors.add("starts_at", t.t("appointments-error-starts-at"));
    }

    let duration = form
        .duration_minutes
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|minutes| (MIN_DURATION..=MAX_DURATION).contains(minutes));
    if duration.is_none() {
        errors.add(
            "duration_minutes",
            t.t2(
                "appointments-error-duration",
                "min",
                i64::from(MIN_DURATION),
                "max",
                i64::from(MAX_DURATION),
            ),
        );
    }

    let place = form.place.trim();
    if place.is_empty() {
        errors.add("place", t.t("appointments-error-place"));
    } else if place.chars().count() > MAX_PLACE_CHARS {
        errors.add(
            "place",
            t.t1("appointments-error-too-long", "max", MAX_PLACE_CHARS as i64),
        );
    }

    let language = geo::language(form.language.trim()).map(|language| language.code);
    if kind == Some(KIND_INTERPRETATION) && language.is_none() {
        errors.add("language", t.t("appointments-error-language"));
    }
    let dialect = form.dialect.trim().to_lowercase();
    if dialect.chars().count() > MAX_DIALECT_CHARS {
        errors.add(
            "dialect",
            t.t1(
                "appointments-error-too-long",
                "max",
                MAX_DIALECT_CHARS as i64,
            ),
        );
    }

    let gender = form.gender.trim();
    let gender = if gender.is_empty() {
        None
    } else {
        let found = PREFERRED_GENDERS.into_iter().find(|code| *code == gender);
        if found.is_none() {
            errors.add("gender", t.t("appointments-error-gender"));
        }
        found
    };

    match (kind, starts_at, duration, errors.is_empty()) {
        (Some(kind), Some(starts_at), Some(duration), true) => {
            let interpretation = kind == KIND_INTERPRETATION;
            Ok(ParsedRequest {
                kind,
                starts_at,
                ends_at: starts_at + Duration::minutes(i64::from(duration)),
                duration_minutes: duration,
                place: place.to_owned(),
                language: language.filter(|_| interpretation),
                dialect: (interpretation && !dialect.is_empty()).then_some(dialect),
                gender,
            })
        }
        _ => Err(errors),
    }
}

async fn load_case_appointments(
    state: &AppState,
    case_id: &str,
) -> Result<Vec<Appointment>, WebError> {
    let id = case_id.to_owned();
    Ok(state
        .store
        .run(move |db| appointments::list_for_case(db, &id))
        .await?)
}

fn case_page(
    user: &CurrentUser,
    view: &CaseView,
    list: &[Appointment],
    form: AppointmentForm,
    candidates: Option<&[StaffMember]>,
    errors: FieldErrors,
) -> CaseAppointmentsPage {
    let ctx = user.page(paths::CASES);
    let t = ctx.t;
    let options = |codes: &[&str], key: &dyn Fn(&str) -> String, selected: &str| {
        codes
            .iter()
            .map(|code| SelectOption::new(*code, key(code), *code == selected.trim()))
            .collect::<Vec<_>>()
    };
    let kinds = options(&KINDS, &|code| kind_label(&t, code), &form.kind);
    let genders = options(
        &PREFERRED_GENDERS,
        &|code| t.t(&format!("vocab-interpreter-gender-{code}")),
        &form.gender,
    );
    let languages = geo::languages()
        .iter()
        .map(|language| {
            SelectOption::new(
                language.code,
                language_name(&t, language.code),
                language.code == form.language.trim(),
            )
        })
        .collect();
    let rows = list
        .iter()
        .map(|appointment| CaseAppointmentRow {
            id: appointment.id.clone(),
            when: t.format_datetime(&appointment.starts_at),
            duration_minutes: appointment.duration_minutes,
            kind: kind_label(&t, &appointment.kind),
            staff: appointment.staff_display_name.clone(),
            language: language_label(
                &t,
                appointment.language.as_deref(),
                appointment.dialect.as_deref(),
            ),
            place: appointment.place.clone(),
            status: status_label(&t, &appointment.status),
            can_cancel: appointment.status == STATUS_BOOKED,
        })
        .collect();
    let candidates = candidates
        .unwrap_or_default()
        .iter()
        .map(|member| {
            SelectOption::new(
                member.user_id.as_str(),
                member.display_name.as_str(),
                member.user_id == form.staff_user_id,
            )
        })
        .collect();
    CaseAppointmentsPage {
        case_id: view.case.id.clone(),
        case_code: view.case.code.clone(),
        rows,
        kinds,
        languages,
        genders,
        candidates,
        searched: errors.is_empty() || !form.staff_user_id.is_empty(),
        form,
        errors,
        can_edit_skills: may_edit_skills(user),
        ctx,
    }
}

/// `GET /cases/{id}/appointments`: the case's appointments and an empty
/// request form with the person's language and preferred gender.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.appointments.view").await?;
    let list = load_case_appointments(&state, &case_id).await?;
    let mut page = case_page(
        &user,
        &view,
        &list,
        default_form(&view),
        None,
        FieldErrors::new(),
    );
    page.searched = false;
    render(&page)
}

/// `POST /cases/{id}/appointments`: proposes matching free people or,
/// with `book`, books the one chosen and redirects to the list.
pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.appointments.view").await?;
    let t = Translator::new(user.locale);
    let booking = pairs.iter().any(|(name, _)| name == "book");
    let mut form = AppointmentForm::from_pairs(&pairs);
    if !booking {
        form.staff_user_id.clear();
    }
    let list = load_case_appointments(&state, &case_id).await?;

    let parsed = match parse_request(&form, &t) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let page = case_page(&user, &view, &list, form, None, errors);
            return with_status(render(&page)?, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };

    let organisation_id = view.case.organisation_id.clone();
    let candidates = {
        let request = (
            parsed.kind,
            parsed.language,
            parsed.dialect.clone(),
            parsed.gender,
        );
        let (starts_at, ends_at) = (parsed.starts_at, parsed.ends_at);
        state
            .store
            .run(move |db| {
                let skills = SkillRequest {
                    kind: request.0,
                    language: request.1,
                    dialect: request.2.as_deref(),
                    gender: request.3,
                };
                appointments::available_staff(db, &organisation_id, &skills, starts_at, ends_at)
            })
            .await?
    };

    if !booking {
        let page = case_page(
            &user,
            &view,
            &list,
            form,
            Some(&candidates),
            FieldErrors::new(),
        );
        return render(&page);
    }

    let staff_user_id = form.staff_user_id.trim().to_owned();
    let mut errors = FieldErrors::new();
    if staff_user_id.is_empty() {
        errors.add("staff_user_id", t.t("appointments-error-staff"));
        let page = case_page(&user, &view, &list, form, Some(&candidates), errors);
        return with_status(render(&page)?, StatusCode::UNPROCESSABLE_ENTITY);
    }

    let id = case_id.clone();
    let requested_by = user.user.id.clone();
    let case_organisation = view.case.organisation_id.clone();
    let staff = staff_user_id.clone();
    let outcome = state
        .store
        .run(move |db| {
            let member = appointments::get_staff(db, &staff)?;
            if member.organisation_id != case_organisation {
                return Err(StoreError::NotFound);
            }
            let skills = parsed.skills();
            appointments::book(
                db,
                &NewAppointment {
                    case_id: &id,
                    kind: skills.kind,
                    staff_user_id: &staff,
                    starts_at: parsed.starts_at,
                    duration_minutes: parsed.duration_minutes,
                    place: &parsed.place,
                    language: skills.language,
                    dialect: skills.dialect,
                    preferred_gender: skills.gender,
                    requested_by: &requested_by,
                },
            )
        })
        .await;
    let (status, message) = match outcome {
        Ok(appointment_id) => {
            audit(
                &state,
                &user,
                "case.appointments.book",
                Outcome::Success,
                ("case", &case_id),
                json!({ "appointment": appointment_id, "staff_user": staff_user_id, "kind": form.kind.trim() }),
            )
            .await?;
            return Ok(Redirect::to(&appointments_href(&case_id)).into_response());
        }
        Err(StoreError::Conflict("double_booking")) => {
            (StatusCode::CONFLICT, "appointments-error-double-booking")
        }
        Err(StoreError::Conflict("skills") | StoreError::NotFound) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "appointments-error-staff-unsuitable",
        ),
        Err(error) => return Err(error.into()),
    };
    audit(
        &state,
        &user,
        "case.appointments.book",
        Outcome::Failure,
        ("case", &case_id),
        json!({ "staff_user": staff_user_id, "reason": if status == StatusCode::CONFLICT { "double_booking" } else { "unsuitable" } }),
    )
    .await?;
    // A message about the whole form: the person chosen may no longer be
    // among the candidates, so the field can be missing.
    errors.add("", t.t(message));
    let page = case_page(&user, &view, &list, form, Some(&candidates), errors);
    with_status(render(&page)?, status)
}

fn with_status(mut response: Response, status: StatusCode) -> Result<Response, WebError> {
    *response.status_mut() = status;
    Ok(response)
}

/// `POST /cases/{id}/appointments/{appointment}/cancel`.
pub async fn cancel_for_case(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((case_id, appointment_id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    open_case(&state, &user, &case_id, "case.appointments.view").await?;
    let (id, appointment) = (case_id.clone(), appointment_id.clone());
    state
        .store
        .run(move |db| appointments::cancel(db, &appointment, None, Some(&id)))
        .await?;
    audit(
        &state,
        &user,
        "case.appointments.cancel",
        Outcome::Success,
        ("case", &case_id),
        json!({ "appointment": appointment_id }),
    )
    .await?;
    Ok(Redirect::to(&appointments_href(&case_id)).into_response())
}

// --- The agenda ---------------------------------------------------------------

#[derive(Debug, Deserialize)]
pub struct AgendaQuery {
    day: Option<String>,
}

fn agenda_href(day: NaiveDate) -> String {
    format!("{AGENDA}?day={}", day.format("%Y-%m-%d"))
}

async fn agenda_page(
    state: &AppState,
    user: &CurrentUser,
    day: NaiveDate,
    new_feed_url: Option<String>,
) -> Result<AgendaPage, WebError> {
    let (from, to) = day_bounds(day);
    let staff = user.user.id.clone();
    let (list, feed_created) = state
        .store
        .run(move |db| {
            let list = appointments::list_for_staff(db, &staff, from, to, false)?;
            let created = appointments::feed_created_at(db, &staff)?;
            Ok((list, created))
        })
        .await?;
    let ctx = user.page(AGENDA);
    let t = ctx.t;
    let rows = list
        .iter()
        .map(|appointment| AgendaRow {
            id: appointment.id.clone(),
            time: format!(
                "{}–{}",
                utc_to_athens(appointment.starts_at).format("%H:%M"),
                utc_to_athens(appointment.ends_at).format("%H:%M")
            ),
            case_code: appointment.case_code.clone(),
            kind: kind_label(&t, &appointment.kind),
            language: language_label(
                &t,
                appointment.language.as_deref(),
                appointment.dialect.as_deref(),
            ),
            place: appointment.place.clone(),
            status: status_label(&t, &appointment.status),
            is_booked: appointment.status == STATUS_BOOKED,
        })
        .collect();
    Ok(AgendaPage {
        day: day.format("%Y-%m-%d").to_string(),
        day_label: t.format_date(&day),
        prev_href: agenda_href(day - Duration::days(1)),
        next_href: agenda_href(day + Duration::days(1)),
        rows,
        new_feed_url,
        feed_created: feed_created
            .map(|at| t.format_datetime(&at))
            .unwrap_or_default(),
        ctx,
    })
}

/// `GET /agenda?day=YYYY-MM-DD`: the user's appointments of one Athens day
/// (today by default).
pub async fn agenda(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<AgendaQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::AccessAssignedAppointments)?;
    let day = query
        .day
        .as_deref()
        .and_then(|day| NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok())
        .unwrap_or_else(today);
    let page = agenda_page(&state, &user, day, None).await?;
    audit(
        &state,
        &user,
        "appointment.agenda.view",
        Outcome::Success,
        ("user", &user.user.id),
        json!({ "day": page.day, "appointments": page.rows.len() }),
    )
    .await?;
    render(&page)
}

/// `POST /agenda/{id}/complete`: marks the user's appointment completed and
/// records its service record.
pub async fn complete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(appointment_id): Path<String>,
) -> Result<Response, WebError> {
    user.require(Permission::AccessAssignedAppointments)?;
    let (staff, appointment) = (user.user.id.clone(), appointment_id.clone());
    let (case_id, record_id) = state
        .store
        .run(move |db| appointments::complete(db, &staff, &appointment, athens_date))
        .await?;
    audit(
        &state,
        &user,
        "appointment.complete",
        Outcome::Success,
        ("case", &case_id),
        json!({ "appointment": appointment_id, "service_record": record_id }),
    )
    .await?;
    Ok(Redirect::to(AGENDA).into_response())
}

/// `POST /agenda/{id}/cancel`: cancels the user's booked appointment.
pub async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(appointment_id): Path<String>,
) -> Result<Response, WebError> {
    user.require(Permission::AccessAssignedAppointments)?;
    let (staff, appointment) = (user.user.id.clone(), appointment_id.clone());
    let case_id = state
        .store
        .run(move |db| appointments::cancel(db, &appointment, Some(&staff), None))
        .await?;
    audit(
        &state,
        &user,
        "appointment.cancel",
        Outcome::Success,
        ("case", &case_id),
        json!({ "appointment": appointment_id }),
    )
    .await?;
    Ok(Redirect::to(AGENDA).into_response())
}

/// `POST /agenda/feed`: creates a new feed token, replacing the old one, and
/// shows its address once.
pub async fn regenerate_feed(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    user.require(Permission::AccessAssignedAppointments)?;
    let (token, hash) = procap_crypto::generate_api_token();
    let staff = user.user.id.clone();
    state
        .store
        .run(move |db| appointments::set_feed_token(db, &staff, &hash))
        .await?;
    audit(
        &state,
        &user,
        "appointment.feed.token",
        Outcome::Success,
        ("user", &user.user.id),
        json!({}),
    )
    .await?;
    let url = format!(
        "{}{AGENDA_ICS}?token={token}",
        state.config.public_origin.trim_end_matches('/')
    );
    let page = agenda_page(&state, &user, today(), Some(url)).await?;
    render(&page)
}

#[derive(Deserialize)]
pub struct FeedQuery {
    token: Option<String>,
}

/// `GET /agenda.ics?token=…`: the token owner's appointments from two months
/// back to a year ahead as `text/calendar`. An unknown token returns 404.
pub async fn feed(
    State(state): State<AppState>,
    Query(query): Query<FeedQuery>,
) -> Result<Response, WebError> {
    let token = query.token.unwrap_or_default();
    if token.trim().is_empty() {
        return Err(WebError::NotFound);
    }
    let hash = procap_crypto::hash_secret(token.trim());
    let now = procap_store::now();
    let found = state
        .store
        .run(move |db| {
            let Some(owner) = appointments::feed_owner(db, &hash)? else {
                let event = AuditEvent::new("appointment.feed", Outcome::Denied)
                    .details(json!({ "reason": "unknown_token" }));
                procap_store::audit::append(db, &event)?;
                return Ok(None);
            };
            let allowed = Role::parse(&owner.role)
                .is_some_and(|role| role.can(Permission::AccessAssignedAppointments));
            if !allowed {
                return Ok(None);
            }
            let list = appointments::list_for_staff(
                db,
                &owner.id,
                now - Duration::days(FEED_PAST_DAYS),
                now + Duration::days(FEED_FUTURE_DAYS),
                true,
            )?;
            let event = AuditEvent::new("appointment.feed", Outcome::Success)
                .actor(&owner.id, &owner.username)
                .object("user", &owner.id)
                .details(json!({ "appointments": list.len() }));
            procap_store::audit::append(db, &event)?;
            Ok(Some((owner, list)))
        })
        .await?;
    let Some((owner, list)) = found else {
        return Err(WebError::NotFound);
    };

    let locale = procap_domain::locale::Locale::parse(&owner.locale).unwrap_or_default();
    let t = Translator::new(locale);
    let events: Vec<ical::Event> = list
        .iter()
        .map(|appointment| {
            let language = language_label(
                &t,
                appointment.language.as_deref(),
                appointment.dialect.as_deref(),
            );
            let kind = kind_label(&t, &appointment.kind);
            ical::Event {
                uid: format!("{}@procap", appointment.id),
                starts_at: appointment.starts_at,
                ends_at: appointment.ends_at,
                summary: if language.is_empty() {
                    format!("{} · {kind}", appointment.case_code)
                } else {
                    format!("{} · {kind} · {language}", appointment.case_code)
                },
                location: appointment.place.clone(),
            }
        })
        .collect();
    let body = ical::calendar(&t.t("agenda-feed-name"), &events, now);
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// iCalendar (RFC 5545) text: CRLF line ends, lines folded at 75 octets,
/// text values escaped, times in UTC.
pub mod ical {
    use chrono::NaiveDateTime;

    /// One appointment as a calendar event. Holds no names.
    pub struct Event {
        pub uid: String,
        pub starts_at: NaiveDateTime,
        pub ends_at: NaiveDateTime,
        pub summary: String,
        pub location: String,
    }

    /// Escapes a TEXT value: backslash, semicolon, comma and newlines.
    pub fn escape(value: &str) -> String {
        let mut escaped = String::with_capacity(value.len());
        let mut chars = value.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => escaped.push_str("\\\\"),
                ';' => escaped.push_str("\\;"),
                ',' => escaped.push_str("\\,"),
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    escaped.push_str("\\n");
                }
                '\n' => escaped.push_str("\\n"),
                c if c.is_control() => {}
                c => escaped.push(c),
            }
        }
        escaped
    }

    /// Appends `line` folded into pieces of at most 75 octets, each
    /// continuation starting with a space, without splitting a character.
    pub fn push_folded(out: &mut String, line: &str) {
        let mut width = 0;
        for c in line.chars() {
            let len = c.len_utf8();
            if width + len > 75 {
                out.push_str("\r\n ");
                width = 1;
            }
            out.push(c);
            width += len;
        }
        out.push_str("\r\n");
    }

    fn utc(at: NaiveDateTime) -> String {
        at.format("%Y%m%dT%H%M%SZ").to_string()
    }

    /// Builds a whole calendar with one VEVENT per event.
    pub fn calendar(name: &str, events: &[Event], now: NaiveDateTime) -> String {
        let mut out = String::new();
        for line in [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Procap//Appointments//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
        ] {
            push_folded(&mut out, line);
        }
        push_folded(&mut out, &format!("X-WR-CALNAME:{}", escape(name)));
        for event in events {
            push_folded(&mut out, "BEGIN:VEVENT");
            push_folded(&mut out, &format!("UID:{}", escape(&event.uid)));
            push_folded(&mut out, &format!("DTSTAMP:{}", utc(now)));
            push_folded(&mut out, &format!("DTSTART:{}", utc(event.starts_at)));
            push_folded(&mut out, &format!("DTEND:{}", utc(event.ends_at)));
            push_folded(&mut out, &format!("SUMMARY:{}", escape(&event.summary)));
            push_folded(&mut out, &format!("LOCATION:{}", escape(&event.location)));
            push_folded(&mut out, "END:VEVENT");
        }
        push_folded(&mut out, "END:VCALENDAR");
        out
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn escapes_text_values() {
            assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
            assert_eq!(escape("x\r\ny"), "x\\ny");
        }

        #[test]
        fn folding_keeps_characters_whole() {
            let mut out = String::new();
            let line = format!("LOCATION:{}", "Ω".repeat(60));
            push_folded(&mut out, &line);
            assert!(out.ends_with("\r\n"));
            let physical: Vec<&str> = out.trim_end_matches("\r\n").split("\r\n").collect();
            assert!(physical.len() > 1);
            for (index, piece) in physical.iter().enumerate() {
                assert!(piece.len() <= 75, "{index}: {} octets", piece.len());
                if index > 0 {
                    assert!(piece.starts_with(' '));
                }
            }
            let unfolded: String = physical
                .iter()
                .enumerate()
                .map(|(index, piece)| if index == 0 { *piece } else { &piece[1..] })
                .collect();
            assert_eq!(unfolded, line);
        }

        #[test]
        fn calendar_has_one_event_each_and_crlf_only() {
            let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
                .unwrap()
                .and_hms_opt(8, 30, 0)
                .unwrap();
            let events = [
                Event {
                    uid: "1@procap".into(),
                    starts_at: at,
                    ends_at: at + chrono::Duration::minutes(90),
                    summary: "KA-2026-00001 · Interpretation".into(),
                    location: "Hospital, room 3".into(),
                },
                Event {
                    uid: "2@procap".into(),
                    starts_at: at,
                    ends_at: at,
                    summary: "KA-2026-00002".into(),
                    location: String::new(),
                },
            ];
            let text = calendar("Agenda", &events, at);
            assert!(text.starts_with("BEGIN:VCALENDAR\r\n"));
            assert!(text.ends_with("END:VCALENDAR\r\n"));
            assert_eq!(text.matches("BEGIN:VEVENT\r\n").count(), 2);
            assert!(text.contains("DTSTART:20260301T083000Z\r\n"));
            assert!(text.contains("DTEND:20260301T100000Z\r\n"));
            assert!(text.contains("LOCATION:Hospital\\, room 3\r\n"));
            assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
        }
    }
}

// --- Staff skills ---------------------------------------------------------------

fn may_edit_skills(user: &CurrentUser) -> bool {
    user.can(Permission::ManageUsers) || user.can(Permission::CoordinateCases)
}

/// Returns the organisation whose staff the user edits: coordinators their
/// own, administrators every organisation (`None`).
fn skills_scope(user: &CurrentUser) -> Option<String> {
    (!user.can(Permission::ManageUsers)).then(|| user.user.organisation_id.clone())
}

/// Parses and normalises a skills language list: `en; ar:apc` becomes
/// `en;ar:apc`. Returns the first unknown or invalid item as the error.
fn parse_skill_languages(value: &str) -> Result<String, String> {
    let mut items: Vec<String> = Vec::new();
    for (code, dialect) in appointments::language_entries(value) {
        if geo::language(&code).is_none() {
            return Err(code);
        }
        let item = match dialect {
            Some(dialect) => {
                let valid = dialect.chars().count() <= MAX_DIALECT_CHARS
                    && dialect
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '-' || c == ' ');
                if !valid {
                    return Err(format!("{code}:{dialect}"));
                }
                format!("{code}:{dialect}")
            }
            None => code,
        };
        if !items.contains(&item) {
            items.push(item);
        }
    }
    Ok(items.join(";"))
}

fn skills_rows(t: &Translator, staff: &[StaffMember]) -> Vec<StaffSkillsRow> {
    staff
        .iter()
        .map(|member| StaffSkillsRow {
            user_id: member.user_id.clone(),
            display_name: member.display_name.clone(),
            username: member.username.clone(),
            role: Role::parse(&member.role)
                .map(|role| t.role_label(&role))
                .unwrap_or_default(),
            is_interpreter: member.role == "interpreter",
            genders: STAFF_GENDERS
                .iter()
                .map(|code| {
                    SelectOption::new(
                        *code,
                        t.t(&format!("appointments-gender-{code}")),
                        member.gender.as_deref() == Some(*code),
                    )
                })
                .collect(),
            languages: member.languages.replace(';', "; "),
            error: String::new(),
        })
        .collect()
}

async fn load_staff(state: &AppState, user: &CurrentUser) -> Result<Vec<StaffMember>, WebError> {
    let scope = skills_scope(user);
    Ok(state
        .store
        .run(move |db| appointments::list_staff(db, scope.as_deref()))
        .await?)
}

/// `GET /staff/skills`: interpreters and escorts with their skills.
pub async fn skills(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    if !may_edit_skills(&user) {
        return Err(WebError::Forbidden);
    }
    let staff = load_staff(&state, &user).await?;
    let ctx = user.page(STAFF_SKILLS);
    let rows = skills_rows(&ctx.t, &staff);
    render(&StaffSkillsPage { ctx, rows })
}

/// `POST /staff/skills/{user_id}`: saves one person's gender and languages.
pub async fn save_skills(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(staff_user_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    if !may_edit_skills(&user) {
        return Err(WebError::Forbidden);
    }
    let staff = load_staff(&state, &user).await?;
    let Some(member) = staff.iter().find(|member| member.user_id == staff_user_id) else {
        return Err(WebError::NotFound);
    };
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim().to_owned())
            .unwrap_or_default()
    };
    let t = Translator::new(user.locale);
    let gender = STAFF_GENDERS
        .into_iter()
        .find(|code| *code == field("gender"));
    let languages = if member.role == "interpreter" {
        parse_skill_languages(&field("languages"))
    } else {
        Ok(String::new())
    };
    let error = match (&gender, &languages) {
        (None, _) => Some(t.t("staff-skills-error-gender")),
        (_, Err(item)) => Some(t.t1("staff-skills-error-language", "item", item.as_str())),
        _ => None,
    };
    if let Some(error) = error {
        let ctx = user.page(STAFF_SKILLS);
        let mut rows = skills_rows(&ctx.t, &staff);
        for row in &mut rows {
            if row.user_id == staff_user_id {
                row.error = error.clone();
                row.languages = field("languages");
            }
        }
        return with_status(
            render(&StaffSkillsPage { ctx, rows })?,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let (gender, languages) = (gender.unwrap_or_default(), languages.unwrap_or_default());
    let (id, by, stored) = (
        staff_user_id.clone(),
        user.user.id.clone(),
        languages.clone(),
    );
    state
        .store
        .run(move |db| appointments::set_staff_skills(db, &id, gender, &stored, &by))
        .await?;
    audit(
        &state,
        &user,
        "staff.skills.update",
        Outcome::Success,
        ("user", &staff_user_id),
        json!({ "gender": gender, "languages": languages }),
    )
    .await?;
    Ok(Redirect::to(STAFF_SKILLS).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn athens_times_convert_to_utc_and_back() {
        let local = NaiveDate::from_ymd_opt(2026, 7, 1)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap();
        let utc = athens_to_utc(local).unwrap();
        assert_eq!(utc.format("%H:%M").to_string(), "07:00");
        assert_eq!(utc_to_athens(utc), local);
        let winter = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
        let (from, to) = day_bounds(winter);
        assert_eq!(
            from.format("%Y-%m-%d %H:%M").to_string(),
            "2026-01-09 22:00"
        );
        assert_eq!(to - from, Duration::hours(24));
    }

    #[test]
    fn skill_languages_are_checked_and_normalised() {
        assert_eq!(
            parse_skill_languages(" en; AR:apc ;en;fr").as_deref(),
            Ok("en;ar:apc;fr")
        );
        assert_eq!(parse_skill_languages("xx"), Err("xx".to_owned()));
        assert!(parse_skill_languages("ar:<b>").is_err());
        assert_eq!(parse_skill_languages("").as_deref(), Ok(""));
    }
}
