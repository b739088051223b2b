//! Training sessions for trainees and trainers.
//!
//! Trainees (`TakeTraining`): `GET /training/sessions`, the upcoming
//! sessions with their place or waiting-list position, and
//! `POST /training/sessions/{id}/register` and `…/cancel` (the latter asks
//! for confirmation first, since a freed place goes to the waiting list).
//!
//! Trainers and coordinators (`ManageTraining`): `GET`/`POST
//! /training/manage/sessions` (the list and the new-session form),
//! `GET`/`POST /training/manage/sessions/{id}` (edit, with the roster and
//! one check-in form per trainee posting to `…/attendance`),
//! `GET`/`POST …/cancel` (a confirmation page, then the cancellation) and
//! `GET …/sign-in-sheet` (the printable PDF).
//!
//! Creating, editing and cancelling a session, registrations and attendance
//! are audited with ids only.

use std::collections::BTreeMap;

use crate::routes::{Routes, get, post};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Athens;
use procap_domain::locale::Locale;
use procap_domain::role::Permission;
use procap_domain::training::session::Place;
use procap_reports::sign_in::{Bilingual, Detail, SignInRequest, SignInRow, sign_in_sheet};
use procap_store::StoreError;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::training::courses::{self, REGIONS, SECTORS};
use procap_store::training::sessions::{
    self, MAX_CAPACITY, MODE_IN_PERSON, MODE_ONLINE, Period, STATUS_REGISTERED, Session,
    SessionInput, Venue,
};
use serde::Deserialize;
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::render;
use crate::i18n::Translator;
use crate::pages::training_markdown::safe_video_url;
use crate::pages::training_sessions::*;
use crate::pages::{
    ConfirmPage, FieldErrors, HiddenField, Notice, PageContext, Pagination, SelectOption,
};
use crate::state::AppState;

/// Rows per page of both lists.
const PER_PAGE: i64 = 20;
/// Longest title, address or link accepted.
const MAX_TEXT_CHARS: usize = 300;
/// The `datetime-local` format of the form.
const LOCAL_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// The page routes.
pub fn routes() -> Routes {
    Routes::new()
        .route("/training/sessions", get(trainee_list))
        .route("/training/sessions/{id}/register", post(register))
        .route("/training/sessions/{id}/cancel", post(unregister))
        .route(
            "/training/manage/sessions",
            get(manage_list).post(manage_create),
        )
        .route(
            "/training/manage/sessions/{id}",
            get(manage_session).post(manage_update),
        )
        .route(
            "/training/manage/sessions/{id}/cancel",
            get(cancel_confirm).post(cancel),
        )
        .route(
            "/training/manage/sessions/{id}/attendance",
            post(attendance),
        )
        .route("/training/manage/sessions/{id}/sign-in-sheet", get(sign_in))
}

// --- Helpers ------------------------------------------------------------------

fn pick(locale: Locale, el: &str, en: &str) -> String {
    match locale {
        Locale::En if !en.is_empty() => en.to_owned(),
        _ if el.is_empty() => en.to_owned(),
        _ => el.to_owned(),
    }
}

fn sector_label(t: &Translator, code: &str) -> String {
    if SECTORS.contains(&code) {
        t.t(&format!("courses-sector-{code}"))
    } else {
        code.to_owned()
    }
}

fn region_label(t: &Translator, code: &str) -> String {
    if REGIONS.contains(&code) {
        t.t(&format!("courses-region-{code}"))
    } else {
        code.to_owned()
    }
}

fn to_athens(at: NaiveDateTime) -> NaiveDateTime {
    Utc.from_utc_datetime(&at)
        .with_timezone(&Athens)
        .naive_local()
}

/// An Athens wall-clock time as naive UTC; the earlier of an hour that
/// occurs twice, `None` for a time skipped in spring.
fn athens_to_utc(local: NaiveDateTime) -> Option<NaiveDateTime> {
    Athens
        .from_local_datetime(&local)
        .earliest()
        .map(|at| at.naive_utc())
}

/// "05/12/2026 10:00–13:00", or both dates when the session spans days.
fn when(t: &Translator, session: &Session) -> String {
    let start = t.format_datetime(&session.starts_at);
    let (start_day, end_day) = (
        to_athens(session.starts_at).date(),
        to_athens(session.ends_at).date(),
    );
    let end = if start_day == end_day {
        to_athens(session.ends_at).format("%H:%M").to_string()
    } else {
        t.format_datetime(&session.ends_at)
    };
    format!("{start}–{end}")
}

fn summary(t: &Translator, locale: Locale, session: &Session) -> SessionSummary {
    let online = session.mode == MODE_ONLINE;
    let venue = if online {
        session.link.clone()
    } else {
        session.place.clone()
    };
    SessionSummary {
        title: pick(locale, &session.title_el, &session.title_en),
        course: match (&session.course_title_el, &session.course_title_en) {
            (Some(el), Some(en)) => pick(locale, el, en),
            _ => String::new(),
        },
        when: when(t, session),
        online,
        venue: venue.unwrap_or_default(),
        region: region_label(t, &session.region),
        trainers: session
            .trainers
            .iter()
            .map(|(_, name)| name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        capacity: session.capacity,
        registered: session.registered,
        places_left: session.places_left(),
        waiting: session.waiting,
        cancelled: session.is_cancelled(),
    }
}

async fn audit(
    state: &AppState,
    user: &CurrentUser,
    action: &str,
    object: (&str, &str),
    details: serde_json::Value,
) -> Result<(), WebError> {
    let event = AuditEvent::new(action, Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object(object.0, object.1)
        .details(details);
    record(&state.store, event).await
}

fn with_status(
    response: Result<Response, WebError>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let mut response = response?;
    *response.status_mut() = status;
    Ok(response)
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    page: Option<i64>,
    /// The outcome of the last action, shown as a notice.
    #[serde(default)]
    done: Option<String>,
}

/// The notice of a `done` code set by a redirect after an action.
fn done_notice(t: &Translator, done: Option<&str>) -> Option<Notice> {
    let (key, error) = match done? {
        "registered" => ("tsession-done-registered", false),
        "waiting" => ("tsession-done-waiting", false),
        "cancelled" => ("tsession-done-cancelled", false),
        "already" => ("tsession-error-already", true),
        "over" => ("tsession-error-over", true),
        "closed" => ("tsession-error-cancelled", true),
        "not-registered" => ("tsession-error-not-registered", true),
        "created" => ("tsession-done-created", false),
        "updated" => ("tsession-done-updated", false),
        "session-cancelled" => ("tsession-done-session-cancelled", false),
        "attendance" => ("tsession-done-attendance", false),
        _ => return None,
    };
    let message = t.t(key);
    Some(if error {
        Notice::error(message)
    } else {
        Notice::success(message)
    })
}

fn with_done(path: &str, done: &str) -> String {
    format!("{path}?done={done}")
}

// --- Trainees -----------------------------------------------------------------

/// `GET /training/sessions`: upcoming sessions with the trainee's standing.
pub async fn trainee_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::TakeTraining)?;
    let offset = Pagination::new(query.page, PER_PAGE, 0, SESSIONS).offset();
    let trainee = user.user.id.clone();
    let now = procap_store::now();
    let (total, rows) = state
        .store
        .run(move |db| {
            let period = Period::Upcoming(now);
            let total = procap_store::training::api::count_sessions(db, period)?;
            let (list, _) = sessions::list(db, period, offset, PER_PAGE)?;
            let mut rows = Vec::with_capacity(list.len());
            for session in list {
                let place = sessions::place_of(db, &session.id, &trainee)?;
                rows.push((session, place));
            }
            Ok((total, rows))
        })
        .await?;

    let mut ctx = user.page(SESSIONS);
    let t = ctx.t;
    if let Some(notice) = done_notice(&t, query.done.as_deref()) {
        ctx = ctx.with_notice(notice);
    }
    let rows = rows
        .into_iter()
        .map(|(session, place)| TraineeSessionRow {
            summary: summary(&t, user.locale, &session),
            registered: place == Some(Place::Registered),
            waiting_position: match place {
                Some(Place::Waiting(position)) => Some(position),
                _ => None,
            },
            register_action: register_href(&session.id),
            cancel_action: unregister_href(&session.id),
        })
        .collect();
    render(&TraineeSessionsPage {
        ctx,
        rows,
        pagination: Pagination::new(query.page, PER_PAGE, total, SESSIONS),
    })
}

/// `POST /training/sessions/{id}/register`: a place, or the waiting list.
pub async fn register(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    user.require(Permission::TakeTraining)?;
    let session_id = id.clone();
    let trainee = user.user.id.clone();
    let result = state
        .store
        .run(move |db| {
            Ok(sessions::register(
                db,
                &session_id,
                &trainee,
                procap_store::now(),
            ))
        })
        .await?;
    let done = match result {
        Ok(place) => {
            let waiting = matches!(place, Place::Waiting(_));
            audit(
                &state,
                &user,
                "training.session.register",
                ("training_session", &id),
                json!({ "waiting": waiting }),
            )
            .await?;
            if waiting { "waiting" } else { "registered" }
        }
        Err(StoreError::NotFound) => return Err(WebError::NotFound),
        Err(StoreError::Conflict("already_registered" | "already_waiting")) => "already",
        Err(StoreError::Conflict("session_over")) => "over",
        Err(StoreError::Conflict("session_cancelled")) => "closed",
        Err(error) => return Err(error.into()),
    };
    Ok(Redirect::to(&with_done(SESSIONS, done)).into_response())
}

#[derive(Deserialize, Default)]
pub struct ConfirmInput {
    #[serde(default)]
    confirmed: Option<String>,
}

/// `POST /training/sessions/{id}/cancel`: asks for confirmation, then gives
/// up the place (or the spot on the waiting list).
pub async fn unregister(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(input): Form<ConfirmInput>,
) -> Result<Response, WebError> {
    user.require(Permission::TakeTraining)?;
    if input.confirmed.as_deref() != Some("yes") {
        let session_id = id.clone();
        let session = state
            .store
            .run(move |db| sessions::get(db, &session_id))
            .await?;
        let ctx = user.page(SESSIONS);
        let t = ctx.t;
        let page = ConfirmPage {
            title: t.t("tsession-unregister-title"),
            message: t.t2(
                "tsession-unregister-text",
                "session",
                pick(user.locale, &session.title_el, &session.title_en),
                "when",
                when(&t, &session),
            ),
            action: unregister_href(&id),
            hidden: vec![HiddenField {
                name: "confirmed".into(),
                value: "yes".into(),
            }],
            confirm_label: t.t("tsession-unregister"),
            cancel_href: SESSIONS.to_owned(),
            destructive: true,
            ctx,
        };
        return render(&page);
    }

    let session_id = id.clone();
    let trainee = user.user.id.clone();
    let result = state
        .store
        .run(move |db| {
            Ok(sessions::cancel_registration(
                db,
                &session_id,
                &trainee,
                procap_store::now(),
            ))
        })
        .await?;
    let done = match result {
        Ok(cancellation) => {
            audit(
                &state,
                &user,
                "training.session.unregister",
                ("training_session", &id),
                json!({ "promoted": cancellation.promoted.is_some() }),
            )
            .await?;
            "cancelled"
        }
        Err(StoreError::NotFound) => return Err(WebError::NotFound),
        Err(StoreError::Conflict("not_registered")) => "not-registered",
        Err(error) => return Err(error.into()),
    };
    Ok(Redirect::to(&with_done(SESSIONS, done)).into_response())
}

// --- Trainers: the form -----------------------------------------------------------

/// What the form needs from the store: courses and possible trainers.
struct Choices {
    courses: Vec<(String, String, String)>,
    trainers: Vec<(String, String)>,
}

async fn load_choices(state: &AppState) -> Result<Choices, WebError> {
    Ok(state
        .store
        .run(|db| {
            Ok(Choices {
                courses: courses::course_choices(db)?,
                trainers: sessions::trainer_choices(db)?,
            })
        })
        .await?)
}

fn form_view(
    t: &Translator,
    locale: Locale,
    choices: &Choices,
    form: SessionForm,
    chosen_trainers: &[String],
) -> SessionFormView {
    SessionFormView {
        courses: choices
            .courses
            .iter()
            .map(|(id, el, en)| SelectOption::new(id, pick(locale, el, en), *id == form.course))
            .collect(),
        regions: REGIONS
            .iter()
            .map(|code| SelectOption::new(*code, region_label(t, code), *code == form.region))
            .collect(),
        sectors: SECTORS
            .iter()
            .map(|code| SelectOption::new(*code, sector_label(t, code), *code == form.sector))
            .collect(),
        trainers: choices
            .trainers
            .iter()
            .map(|(id, name)| CheckOption {
                value: id.clone(),
                label: name.clone(),
                checked: chosen_trainers.contains(id),
            })
            .collect(),
        max_capacity: MAX_CAPACITY,
        form,
    }
}

/// A new session's form: in person, Attica, 20 places, the trainer
/// running it.
fn blank_form() -> SessionForm {
    SessionForm {
        mode: MODE_IN_PERSON.to_owned(),
        region: REGIONS[0].to_owned(),
        capacity: "20".to_owned(),
        ..SessionForm::default()
    }
}

/// Reads the submitted pairs (the trainers are a checkbox group).
fn read_form(pairs: Vec<(String, String)>) -> (SessionForm, Vec<String>) {
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    let mut trainers = Vec::new();
    for (name, value) in pairs {
        if name == "trainers" {
            trainers.push(value);
        } else {
            map.entry(name).or_insert(value);
        }
    }
    let mut field = |name: &str| map.remove(name).unwrap_or_default().trim().to_owned();
    let form = SessionForm {
        course: field("course"),
        title_el: field("title_el"),
        title_en: field("title_en"),
        mode: field("mode"),
        place: field("place"),
        link: field("link"),
        starts_at: field("starts_at"),
        ends_at: field("ends_at"),
        region: field("region"),
        sector: field("sector"),
        capacity: field("capacity"),
    };
    (form, trainers)
}

fn parse_local(value: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(value, LOCAL_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .and_then(athens_to_utc)
}

/// Checks the form; returns the input, or the errors in the user's
/// language.
fn check_form(
    t: &Translator,
    choices: &Choices,
    form: &SessionForm,
    trainers: &[String],
) -> Result<SessionInput, FieldErrors> {
    let mut errors = FieldErrors::new();
    let course = if form.course.is_empty() {
        None
    } else if choices.courses.iter().any(|(id, _, _)| *id == form.course) {
        Some(form.course.clone())
    } else {
        errors.add("course", t.t("tsession-error-course"));
        None
    };
    // A title left empty takes the course's title.
    let course_titles = course.as_ref().and_then(|id| {
        choices
            .courses
            .iter()
            .find(|(course_id, _, _)| course_id == id)
            .map(|(_, el, en)| (el.clone(), en.clone()))
    });
    let mut title = |name: &'static str, typed: &str, fallback: Option<&String>| {
        let value = if typed.is_empty() {
            fallback.cloned().unwrap_or_default()
        } else {
            typed.to_owned()
        };
        if value.is_empty() || value.chars().count() > MAX_TEXT_CHARS {
            errors.add(name, t.t("tsession-error-title"));
        }
        value
    };
    let title_el = title(
        "title_el",
        &form.title_el,
        course_titles.as_ref().map(|titles| &titles.0),
    );
    let title_en = title(
        "title_en",
        &form.title_en,
        course_titles.as_ref().map(|titles| &titles.1),
    );

    let venue = match form.mode.as_str() {
        MODE_ONLINE => match safe_video_url(&form.link) {
            Some(link) if link.chars().count() <= MAX_TEXT_CHARS => Some(Venue::Online(link)),
            _ => {
                errors.add("link", t.t("tsession-error-link"));
                None
            }
        },
        MODE_IN_PERSON => {
            if form.place.is_empty() || form.place.chars().count() > MAX_TEXT_CHARS {
                errors.add("place", t.t("tsession-error-place"));
                None
            } else {
                Some(Venue::InPerson(form.place.clone()))
            }
        }
        _ => {
            errors.add("mode", t.t("tsession-error-mode"));
            None
        }
    };

    let starts_at = parse_local(&form.starts_at);
    if starts_at.is_none() {
        errors.add("starts_at", t.t("tsession-error-time"));
    }
    let ends_at = parse_local(&form.ends_at);
    match (starts_at, ends_at) {
        (_, None) => errors.add("ends_at", t.t("tsession-error-time")),
        (Some(start), Some(end)) if end <= start => {
            errors.add("ends_at", t.t("tsession-error-end-before-start"));
        }
        _ => {}
    }
    if !REGIONS.contains(&form.region.as_str()) {
        errors.add("region", t.t("tsession-error-region"));
    }
    let sector = if form.sector.is_empty() {
        None
    } else if SECTORS.contains(&form.sector.as_str()) {
        Some(form.sector.clone())
    } else {
        errors.add("sector", t.t("tsession-error-sector"));
        None
    };
    let capacity = match form.capacity.parse::<u32>() {
        Ok(capacity) if (1..=MAX_CAPACITY).contains(&capacity) => capacity,
        _ => {
            errors.add(
                "capacity",
                t.t1("tsession-error-capacity", "max", MAX_CAPACITY),
            );
            0
        }
    };
    let known: Vec<String> = trainers
        .iter()
        .filter(|id| choices.trainers.iter().any(|(known, _)| known == *id))
        .cloned()
        .collect();
    if known.is_empty() || known.len() != trainers.len() {
        errors.add("trainers", t.t("tsession-error-trainers"));
    }

    match (venue, starts_at, ends_at) {
        (Some(venue), Some(starts_at), Some(ends_at)) if errors.is_empty() => Ok(SessionInput {
            course_id: course,
            title_el,
            title_en,
            venue,
            starts_at,
            ends_at,
            region: form.region.clone(),
            sector,
            capacity,
            trainer_ids: known,
        }),
        _ => Err(errors),
    }
}

// --- Trainers: list and create ------------------------------------------------

/// `GET /training/manage/sessions`: every session, newest first, and the
/// form for a new one.
pub async fn manage_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let choices = load_choices(&state).await?;
    let t = Translator::new(user.locale);
    let trainer = vec![user.user.id.clone()];
    let view = form_view(&t, user.locale, &choices, blank_form(), &trainer);
    manage_list_page(&state, &user, query, view, FieldErrors::new()).await
}

async fn manage_list_page(
    state: &AppState,
    user: &CurrentUser,
    query: ListQuery,
    view: SessionFormView,
    errors: FieldErrors,
) -> Result<Response, WebError> {
    let offset = Pagination::new(query.page, PER_PAGE, 0, MANAGE_SESSIONS).offset();
    let (total, list) = state
        .store
        .run(move |db| {
            let total = procap_store::training::api::count_sessions(db, Period::All)?;
            let (list, _) = sessions::list(db, Period::All, offset, PER_PAGE)?;
            Ok((total, list))
        })
        .await?;
    let mut ctx = user.page(MANAGE_SESSIONS);
    let t = ctx.t;
    if let Some(notice) = done_notice(&t, query.done.as_deref()) {
        ctx = ctx.with_notice(notice);
    }
    let rows = list
        .iter()
        .map(|session| ManagedSessionRow {
            summary: summary(&t, user.locale, session),
            href: manage_session_href(&session.id),
        })
        .collect();
    render(&ManageSessionsPage {
        ctx,
        rows,
        pagination: Pagination::new(query.page, PER_PAGE, total, MANAGE_SESSIONS),
        view,
        errors,
    })
}

/// `POST /training/manage/sessions`: schedules a session.
pub async fn manage_create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let choices = load_choices(&state).await?;
    let t = Translator::new(user.locale);
    let (form, trainers) = read_form(pairs);
    let input = match check_form(&t, &choices, &form, &trainers) {
        Ok(input) => input,
        Err(errors) => {
            let view = form_view(&t, user.locale, &choices, form, &trainers);
            return with_status(
                manage_list_page(&state, &user, ListQuery::default(), view, errors).await,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let creator = user.user.id.clone();
    let details = json!({
        "course_id": input.course_id,
        "mode": input.venue.mode(),
        "capacity": input.capacity,
    });
    let id = state
        .store
        .run(move |db| sessions::create(db, &input, &creator))
        .await?;
    audit(
        &state,
        &user,
        "training.session.create",
        ("training_session", &id),
        details,
    )
    .await?;
    Ok(Redirect::to(&with_done(&manage_session_href(&id), "created")).into_response())
}

// --- Trainers: one session ----------------------------------------------------------

/// The form filled with a stored session.
fn stored_form(session: &Session) -> SessionForm {
    let local = |at: NaiveDateTime| to_athens(at).format(LOCAL_FORMAT).to_string();
    SessionForm {
        course: session.course_id.clone().unwrap_or_default(),
        title_el: session.title_el.clone(),
        title_en: session.title_en.clone(),
        mode: session.mode.clone(),
        place: session.place.clone().unwrap_or_default(),
        link: session.link.clone().unwrap_or_default(),
        starts_at: local(session.starts_at),
        ends_at: local(session.ends_at),
        region: session.region.clone(),
        sector: session.sector.clone().unwrap_or_default(),
        capacity: session.capacity.to_string(),
    }
}

async fn load_session(
    state: &AppState,
    id: &str,
) -> Result<(Session, Vec<sessions::RosterEntry>), WebError> {
    let id = id.to_owned();
    Ok(state
        .store
        .run(move |db| {
            let session = sessions::get(db, &id)?;
            let roster = sessions::roster(db, &id)?;
            Ok((session, roster))
        })
        .await?)
}

async fn session_page(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    form: Option<(SessionForm, Vec<String>, FieldErrors)>,
    done: Option<&str>,
) -> Result<Response, WebError> {
    let (session, roster) = load_session(state, id).await?;
    let choices = load_choices(state).await?;
    let mut ctx = user.page(MANAGE_SESSIONS);
    let t = ctx.t;
    if let Some(notice) = done_notice(&t, done) {
        ctx = ctx.with_notice(notice);
    }
    let (form, trainers, errors) = form.unwrap_or_else(|| {
        let trainers = session.trainers.iter().map(|(id, _)| id.clone()).collect();
        (stored_form(&session), trainers, FieldErrors::new())
    });
    let mut waiting = 0;
    let roster = roster
        .into_iter()
        .map(|entry| {
            let registered = entry.status == STATUS_REGISTERED;
            if !registered {
                waiting += 1;
            }
            RosterRow {
                name: entry.display_name,
                organisation: entry.employer.unwrap_or(entry.organisation),
                sector: entry
                    .sector
                    .map(|code| sector_label(&t, &code))
                    .unwrap_or_default(),
                registered,
                waiting_position: if registered { 0 } else { waiting },
                absent: entry.attendance_marked && entry.attended_at.is_none(),
                attended_at: entry.attended_at.map(|at| t.format_datetime(&at)),
                trainee_id: entry.trainee_id,
            }
        })
        .collect();
    render(&ManageSessionPage {
        summary: summary(&t, user.locale, &session),
        view: form_view(&t, user.locale, &choices, form, &trainers),
        errors,
        roster,
        action: manage_session_href(&session.id),
        attendance_action: attendance_href(&session.id),
        cancel_href: cancel_session_href(&session.id),
        sign_in_href: sign_in_sheet_href(&session.id),
        ctx,
    })
}

/// `GET /training/manage/sessions/{id}`: the edit form and the roster.
pub async fn manage_session(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    session_page(&state, &user, &id, None, query.done.as_deref()).await
}

/// `POST /training/manage/sessions/{id}`: saves the trainer's changes.
pub async fn manage_update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let choices = load_choices(&state).await?;
    let t = Translator::new(user.locale);
    let (form, trainers) = read_form(pairs);
    let input = match check_form(&t, &choices, &form, &trainers) {
        Ok(input) => input,
        Err(errors) => {
            return with_status(
                session_page(&state, &user, &id, Some((form, trainers, errors)), None).await,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let session_id = id.clone();
    let details = json!({
        "course_id": input.course_id,
        "mode": input.venue.mode(),
        "capacity": input.capacity,
    });
    let result = state
        .store
        .run(move |db| Ok(sessions::update(db, &session_id, &input)))
        .await?;
    match result {
        Ok(promoted) => {
            let mut details = details;
            details["promoted"] = json!(promoted.len());
            audit(
                &state,
                &user,
                "training.session.update",
                ("training_session", &id),
                details,
            )
            .await?;
            Ok(Redirect::to(&with_done(&manage_session_href(&id), "updated")).into_response())
        }
        Err(StoreError::NotFound) => Err(WebError::NotFound),
        Err(StoreError::Conflict("capacity_below_registered")) => {
            let mut errors = FieldErrors::new();
            errors.add("capacity", t.t("tsession-error-capacity-below"));
            with_status(
                session_page(&state, &user, &id, Some((form, trainers, errors)), None).await,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(error) => Err(error.into()),
    }
}

fn cancel_page(user: &CurrentUser, session: &Session) -> ConfirmPage {
    let ctx: PageContext = user.page(MANAGE_SESSIONS);
    let t = ctx.t;
    ConfirmPage {
        title: t.t("tsession-cancel-title"),
        message: t.t_args(
            "tsession-cancel-text",
            &[
                (
                    "session",
                    pick(user.locale, &session.title_el, &session.title_en).into(),
                ),
                ("when", when(&t, session).into()),
                ("registered", session.registered.into()),
            ],
        ),
        action: cancel_session_href(&session.id),
        hidden: vec![HiddenField {
            name: "confirmed".into(),
            value: "yes".into(),
        }],
        confirm_label: t.t("tsession-cancel"),
        cancel_href: manage_session_href(&session.id),
        destructive: true,
        ctx,
    }
}

/// `GET /training/manage/sessions/{id}/cancel`: the confirmation page.
pub async fn cancel_confirm(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let (session, _) = load_session(&state, &id).await?;
    if session.is_cancelled() {
        return Ok(Redirect::to(&manage_session_href(&id)).into_response());
    }
    render(&cancel_page(&user, &session))
}

/// `POST /training/manage/sessions/{id}/cancel`: without `confirmed=yes`
/// shows the confirmation page; with it, cancels the session.
pub async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(input): Form<ConfirmInput>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    if input.confirmed.as_deref() != Some("yes") {
        let (session, _) = load_session(&state, &id).await?;
        return render(&cancel_page(&user, &session));
    }
    let session_id = id.clone();
    let result = state
        .store
        .run(move |db| Ok(sessions::cancel(db, &session_id)))
        .await?;
    match result {
        Ok(()) => {
            audit(
                &state,
                &user,
                "training.session.cancel",
                ("training_session", &id),
                json!({}),
            )
            .await?
        }
        Err(StoreError::Conflict("session_cancelled")) => {}
        Err(StoreError::NotFound) => return Err(WebError::NotFound),
        Err(error) => return Err(error.into()),
    }
    Ok(Redirect::to(&with_done(&manage_session_href(&id), "session-cancelled")).into_response())
}

#[derive(Deserialize)]
pub struct AttendanceInput {
    trainee: String,
    /// `yes` for present, `no` for absent.
    present: String,
}

/// `POST /training/manage/sessions/{id}/attendance`: marks one registered
/// trainee present or absent.
pub async fn attendance(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(input): Form<AttendanceInput>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let present = match input.present.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(WebError::BadRequest(crate::error::MessageKey(
                "error-malformed-form",
            )));
        }
    };
    let session_id = id.clone();
    let trainee = input.trainee.clone();
    let by = user.user.id.clone();
    let result = state
        .store
        .run(move |db| {
            Ok(sessions::mark_attendance(
                db,
                &session_id,
                &trainee,
                present,
                &by,
                procap_store::now(),
            ))
        })
        .await?;
    let done = match result {
        Ok(recomputed) => {
            audit(
                &state,
                &user,
                "training.session.attendance",
                ("training_session", &id),
                json!({
                    "trainee_id": input.trainee,
                    "present": present,
                    "completed_now": recomputed.is_some_and(|r| r.completed_now),
                }),
            )
            .await?;
            "attendance"
        }
        Err(StoreError::NotFound) => return Err(WebError::NotFound),
        Err(StoreError::Conflict("not_registered")) => "not-registered",
        Err(error) => return Err(error.into()),
    };
    Ok(Redirect::to(&with_done(&manage_session_href(&id), done)).into_response())
}

/// A Greek and English text pair as the sheet prints it.
fn bilingual(pair: &(String, String)) -> Bilingual<'_> {
    Bilingual {
        el: &pair.0,
        en: &pair.1,
    }
}

/// `GET /training/manage/sessions/{id}/sign-in-sheet`: the PDF with one
/// line per registered trainee.
pub async fn sign_in(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let (session, roster) = load_session(&state, &id).await?;

    let el = Translator::new(Locale::El);
    let en = Translator::new(Locale::En);
    let both = |key: &str| (el.t(key), en.t(key));
    let heading = both("tsession-sheet-heading");
    let labels = [
        both("tsession-sheet-date"),
        both("tsession-sheet-venue"),
        both("tsession-sheet-trainers"),
        both("tsession-sheet-course"),
    ];
    let columns = [
        both("tsession-sheet-col-number"),
        both("tsession-sheet-col-name"),
        both("tsession-sheet-col-organisation"),
        both("tsession-sheet-col-sector"),
        both("tsession-sheet-col-signature"),
    ];
    let info = summary(&el, Locale::El, &session);
    let course = match (&session.course_title_el, &session.course_title_en) {
        (Some(el), Some(en)) => format!("{el} / {en}"),
        _ => String::new(),
    };
    let values = [info.when, info.venue, info.trainers, course];
    let sectors: Vec<String> = roster
        .iter()
        .map(|entry| {
            entry
                .sector
                .as_deref()
                .map(|code| format!("{} / {}", sector_label(&el, code), sector_label(&en, code)))
                .unwrap_or_default()
        })
        .collect();
    let document_title = format!("{} · {}", heading.0, session.title_el);
    let request = SignInRequest {
        document_title: &document_title,
        heading: bilingual(&heading),
        session_title: Bilingual {
            el: &session.title_el,
            en: &session.title_en,
        },
        details: labels
            .iter()
            .zip(values.iter())
            .filter(|(_, value)| !value.is_empty())
            .map(|(label, value)| Detail {
                label: bilingual(label),
                value: value.as_str(),
            })
            .collect(),
        columns: [
            bilingual(&columns[0]),
            bilingual(&columns[1]),
            bilingual(&columns[2]),
            bilingual(&columns[3]),
            bilingual(&columns[4]),
        ],
        rows: roster
            .iter()
            .zip(sectors.iter())
            .filter(|(entry, _)| entry.status == STATUS_REGISTERED)
            .map(|(entry, sector)| SignInRow {
                name: &entry.display_name,
                organisation: entry.employer.as_deref().unwrap_or(&entry.organisation),
                sector: sector.as_str(),
            })
            .collect(),
    };
    let report = tokio::task::block_in_place(|| sign_in_sheet(&request))
        .map_err(|error| WebError::Internal(anyhow::anyhow!("sign-in sheet PDF: {error}")))?;

    let mut response = report.pdf.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"sign-in-sheet-{}.pdf\"",
        session.id
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

// --- The training home page's lines -------------------------------------------

/// What the training home shows a trainee besides their courses: their
/// upcoming sessions and the evaluations waiting for an answer.
pub type Pending = (
    Vec<sessions::MySession>,
    Vec<procap_store::training::evaluations::Evaluation>,
);

/// Loads [`Pending`] inside the caller's store call.
///
/// # Errors
///
/// Any store error.
pub fn trainee_pending(
    db: &mut procap_store::Db<'_>,
    trainee: &str,
    now: NaiveDateTime,
) -> Result<Pending, StoreError> {
    let upcoming = sessions::upcoming_for_trainee(db, trainee, now)?;
    let today = to_athens(now).date();
    let open = procap_store::training::evaluations::open_for_trainee(db, trainee, today)?;
    Ok((upcoming, open))
}

/// One line per upcoming session, linking to the sessions list.
pub fn upcoming_links(
    t: &Translator,
    locale: Locale,
    upcoming: &[sessions::MySession],
) -> Vec<crate::pages::training_courses::Link> {
    upcoming
        .iter()
        .map(|mine| {
            let key = if mine.status == STATUS_REGISTERED {
                "tsession-home-line-registered"
            } else {
                "tsession-home-line-waiting"
            };
            crate::pages::training_courses::Link {
                label: t.t2(
                    key,
                    "session",
                    pick(locale, &mine.session.title_el, &mine.session.title_en),
                    "when",
                    when(t, &mine.session),
                ),
                href: SESSIONS.to_owned(),
            }
        })
        .collect()
}

/// One line per open evaluation, linking to its questionnaire.
pub fn evaluation_links(
    t: &Translator,
    locale: Locale,
    open: &[procap_store::training::evaluations::Evaluation],
) -> Vec<crate::pages::training_courses::Link> {
    use procap_store::training::evaluations::Kind;
    open.iter()
        .map(|evaluation| {
            let key = match evaluation.kind {
                Kind::EndOfCourse => "tsession-home-evaluation-end",
                Kind::FollowUp => "tsession-home-evaluation-follow-up",
            };
            crate::pages::training_courses::Link {
                label: t.t1(
                    key,
                    "course",
                    pick(
                        locale,
                        &evaluation.course_title_el,
                        &evaluation.course_title_en,
                    ),
                ),
                href: evaluation_href(&evaluation.id),
            }
        })
        .collect()
}
