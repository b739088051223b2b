//! The NRM status of a case (`GET`/`POST /cases/{id}/nrm`): history, legal
//! clocks and the move to the next status.
//!
//! The form carries the case version. A case changed by someone else since
//! the form was shown gets a 409 page with the current state and the values the
//! user entered, so nothing is lost. A move the NRM rules do not allow, or a
//! date in the future, answers 422.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use procap_domain::case::nrm::{
    REFLECTION_PERIOD_REMINDER_DAYS, RESIDENCE_PERMIT_FIRST_REMINDER_DAYS, allowed_next,
    can_transition, reflection_period_end, reminder_due,
};
use procap_domain::case::vocab::NrmStatus;
use procap_store::StoreError;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::case_records::{self, NrmChange, NrmEvent};
use procap_store::cases::CaseView;
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::case_access::open_case;
use crate::handlers::render;
use crate::handlers::screening::records_case_steps;
use crate::handlers::today;
use crate::i18n::Translator;
use crate::pages::nrm::{Clock, ClockState, EnteredValue, NrmEventRow, NrmForm, NrmPage, nrm_href};
use crate::pages::{FieldErrors, SelectOption, paths};
use crate::state::AppState;

/// Longest accepted reference number, in characters.
const MAX_REFERENCE_CHARS: usize = 200;

fn status_label(t: &Translator, code: &str) -> String {
    NrmStatus::parse(code).map_or_else(|| code.to_owned(), |status| t.t(status.label_key()))
}

/// `GET /cases/{id}/nrm`: the NRM page with an empty form.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.nrm.view").await?;
    let events = load_events(&state, &case_id).await?;
    let form = NrmForm {
        version: view.case.version.to_string(),
        ..NrmForm::default()
    };
    let mut page = nrm_page(&user, &view, &events, form, FieldErrors::new(), Vec::new());
    page.witness = crate::handlers::witness::section(
        &state,
        &user,
        &case_id,
        Default::default(),
        FieldErrors::new(),
    )
    .await?;
    render(&page)
}

async fn load_events(state: &AppState, case_id: &str) -> Result<Vec<NrmEvent>, WebError> {
    let id = case_id.to_owned();
    Ok(state
        .store
        .run(move |db| case_records::list_nrm_events(db, &id))
        .await?)
}

fn nrm_page(
    user: &CurrentUser,
    view: &CaseView,
    events: &[NrmEvent],
    form: NrmForm,
    errors: FieldErrors,
    conflict: Vec<EnteredValue>,
) -> NrmPage {
    let ctx = user.page(paths::CASES);
    let t = ctx.t;
    let case = &view.case;
    let current = NrmStatus::parse(&case.nrm_status);
    let next = current.map(allowed_next).unwrap_or_default();
    let today = today();

    let mut clocks = Vec::new();
    if let Some(end) = case.reflection_period_ends_on {
        clocks.push(clock(
            &t,
            "nrm-clock-reflection-end",
            end,
            today,
            REFLECTION_PERIOD_REMINDER_DAYS,
        ));
    }
    if let Some(expiry) = case.residence_permit_expires_on {
        clocks.push(clock(
            &t,
            "nrm-clock-residence-permit",
            expiry,
            today,
            RESIDENCE_PERMIT_FIRST_REMINDER_DAYS,
        ));
    }

    let stale = !conflict.is_empty();
    NrmPage {
        case_id: case.id.clone(),
        case_code: case.code.clone(),
        current_status: status_label(&t, &case.nrm_status),
        is_minor: case.is_minor,
        events: events
            .iter()
            .map(|event| NrmEventRow {
                status: status_label(&t, &event.status),
                occurred_on: t.format_date(&event.occurred_on),
                reference: event.reference.clone().unwrap_or_default(),
                recorded_by: event.recorded_by.clone(),
            })
            .collect(),
        clocks,
        next_statuses: next
            .iter()
            .map(|status| {
                SelectOption::new(
                    status.as_str(),
                    t.t(status.label_key()),
                    status.as_str() == form.status,
                )
            })
            .collect(),
        can_change: records_case_steps(user.role) && !next.is_empty(),
        offers_reflection: next.contains(&NrmStatus::PresumedVictim),
        form,
        errors,
        conflict,
        stale,
        witness: Default::default(),
        ctx,
    }
}

/// Builds the NRM page with an empty status form and `witness` as its
/// victim-witness section.
pub(crate) async fn page_with_witness(
    state: &AppState,
    user: &CurrentUser,
    view: &CaseView,
    witness: crate::pages::witness::WitnessSection,
) -> Result<NrmPage, WebError> {
    let events = load_events(state, &view.case.id).await?;
    let form = NrmForm {
        version: view.case.version.to_string(),
        ..NrmForm::default()
    };
    let mut page = nrm_page(user, view, &events, form, FieldErrors::new(), Vec::new());
    page.witness = witness;
    Ok(page)
}

fn clock(
    t: &Translator,
    label_key: &str,
    deadline: NaiveDate,
    today: NaiveDate,
    days_before: i64,
) -> Clock {
    let date = t.format_date(&deadline);
    let (state, warning) = if deadline < today {
        (
            ClockState::Overdue,
            t.t1("nrm-clock-overdue", "date", date.as_str()),
        )
    } else if reminder_due(deadline, today, days_before) {
        let days_left = deadline.signed_duration_since(today).num_days();
        (
            ClockState::DueSoon,
            t.t1("nrm-clock-due-soon", "days", days_left),
        )
    } else {
        (ClockState::Running, String::new())
    };
    Clock {
        label: t.t(label_key),
        date,
        state,
        warning,
    }
}

/// A status change that passed every check.
struct ParsedChange {
    to: NrmStatus,
    occurred_on: NaiveDate,
    reference: Option<String>,
    reflection_period_ends_on: Option<NaiveDate>,
    residence_permit_expires_on: Option<NaiveDate>,
}

fn parse_date(
    errors: &mut FieldErrors,
    t: &Translator,
    field: &'static str,
    value: &str,
    required: bool,
) -> Option<NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        if required {
            errors.add(field, t.t("nrm-error-date-missing"));
        }
        return None;
    }
    match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        Ok(date) => Some(date),
        Err(_) => {
            errors.add(field, t.t("nrm-error-date-invalid"));
            None
        }
    }
}

/// The NRM state of a case that a status change is checked against.
struct CurrentNrm<'a> {
    status: &'a str,
    is_minor: bool,
    reflection_period_ends_on: Option<NaiveDate>,
    residence_permit_expires_on: Option<NaiveDate>,
    /// The date of the last recorded change. No new change may fall before it.
    latest_event: Option<NaiveDate>,
}

/// Checks the form against the case's current NRM state.
fn parse_change(
    form: &NrmForm,
    case: &CurrentNrm<'_>,
    t: &Translator,
    today: NaiveDate,
) -> Result<ParsedChange, FieldErrors> {
    let mut errors = FieldErrors::new();

    let current = NrmStatus::parse(case.status);
    let to = NrmStatus::parse(form.status.trim());
    match (current, to) {
        (_, None) | (None, Some(_)) => errors.add("status", t.t("nrm-error-status-missing")),
        (Some(from), Some(to)) if !can_transition(from, to) => errors.add(
            "status",
            t.t2(
                "nrm-error-transition",
                "from",
                t.t(from.label_key()),
                "to",
                t.t(to.label_key()),
            ),
        ),
        _ => {}
    }

    let occurred_on = parse_date(&mut errors, t, "occurred_on", &form.occurred_on, true);
    if let Some(date) = occurred_on {
        if date > today {
            errors.add("occurred_on", t.t("nrm-error-date-future"));
        } else if case.latest_event.is_some_and(|latest| date < latest) {
            errors.add("occurred_on", t.t("nrm-error-date-before-last"));
        }
    }

    let reference = form.reference.trim();
    if reference.chars().count() > MAX_REFERENCE_CHARS {
        errors.add(
            "reference",
            t.t1("nrm-error-reference-too-long", "max", MAX_REFERENCE_CHARS),
        );
    }

    let mut reflection_period_ends_on = case.reflection_period_ends_on;
    if to == Some(NrmStatus::PresumedVictim) {
        let start = parse_date(
            &mut errors,
            t,
            "reflection_start",
            &form.reflection_start,
            true,
        );
        if let Some(start) = start {
            if start > today {
                errors.add("reflection_start", t.t("nrm-error-date-future"));
            } else {
                reflection_period_ends_on =
                    Some(reflection_period_end(start, case.is_minor, form.extended));
            }
        }
    }

    let residence_permit_expires_on = parse_date(
        &mut errors,
        t,
        "residence_permit_expires_on",
        &form.residence_permit_expires_on,
        false,
    )
    .or(case.residence_permit_expires_on);

    match (to, occurred_on, errors.is_empty()) {
        (Some(to), Some(occurred_on), true) => Ok(ParsedChange {
            to,
            occurred_on,
            reference: (!reference.is_empty()).then(|| reference.to_owned()),
            reflection_period_ends_on,
            residence_permit_expires_on,
        }),
        _ => Err(errors),
    }
}

/// `POST /cases/{id}/nrm`: moves the case to the next NRM status and
/// redirects to the NRM page.
pub async fn change(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.nrm.view").await?;
    if !records_case_steps(user.role) {
        return Err(WebError::Forbidden);
    }
    let t = Translator::new(user.locale);
    let form = NrmForm::from_pairs(&pairs);
    let events = load_events(&state, &case_id).await?;

    let sent_version = form.version.trim().parse::<i32>().ok();
    if sent_version != Some(view.case.version) {
        audit_change(
            &state,
            &user,
            &case_id,
            Outcome::Failure,
            json!({ "reason": "stale" }),
        )
        .await?;
        return Ok(conflict_response(&user, &view, &events, form));
    }

    let current = CurrentNrm {
        status: &view.case.nrm_status,
        is_minor: view.case.is_minor,
        reflection_period_ends_on: view.case.reflection_period_ends_on,
        residence_permit_expires_on: view.case.residence_permit_expires_on,
        latest_event: events.iter().map(|event| event.occurred_on).max(),
    };
    let parsed = match parse_change(&form, &current, &t, today()) {
        Ok(parsed) => parsed,
        Err(errors) => {
            audit_change(
                &state,
                &user,
                &case_id,
                Outcome::Failure,
                json!({ "reason": "invalid" }),
            )
            .await?;
            let mut page = nrm_page(&user, &view, &events, form, errors, Vec::new());
            page.witness = crate::handlers::witness::section(
                &state,
                &user,
                &case_id,
                Default::default(),
                FieldErrors::new(),
            )
            .await?;
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
    };

    let from = view.case.nrm_status.clone();
    let id = case_id.clone();
    let user_id = user.user.id.clone();
    let expected_version = view.case.version;
    let to = parsed.to;
    let outcome = state
        .store
        .run(move |db| {
            case_records::change_nrm_status(
                db,
                &NrmChange {
                    case_id: &id,
                    expected_version,
                    status: parsed.to.as_str(),
                    occurred_on: parsed.occurred_on,
                    reference: parsed.reference.as_deref(),
                    reflection_period_ends_on: parsed.reflection_period_ends_on,
                    residence_permit_expires_on: parsed.residence_permit_expires_on,
                    recorded_by: &user_id,
                },
            )
        })
        .await;
    match outcome {
        Ok(()) => {}
        Err(StoreError::Conflict("stale")) => {
            // Someone changed the case between loading it and saving.
            audit_change(
                &state,
                &user,
                &case_id,
                Outcome::Failure,
                json!({ "reason": "stale" }),
            )
            .await?;
            let view = open_case(&state, &user, &case_id, "case.nrm.view").await?;
            let events = load_events(&state, &case_id).await?;
            return Ok(conflict_response(&user, &view, &events, form));
        }
        Err(error) => return Err(error.into()),
    }

    audit_change(
        &state,
        &user,
        &case_id,
        Outcome::Success,
        json!({ "from": from, "to": to.as_str() }),
    )
    .await?;
    Ok(Redirect::to(&nrm_href(&case_id)).into_response())
}

async fn audit_change(
    state: &AppState,
    user: &CurrentUser,
    case_id: &str,
    outcome: Outcome,
    details: serde_json::Value,
) -> Result<(), WebError> {
    let event = AuditEvent::new("case.nrm.change", outcome)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", case_id)
        .details(details);
    record(&state.store, event).await
}

/// Builds the 409 page: the case as it is now, the values the user sent
/// listed and kept in the form, and the form renewed with the current
/// version so the user can apply them again.
fn conflict_response(
    user: &CurrentUser,
    view: &CaseView,
    events: &[NrmEvent],
    sent: NrmForm,
) -> Response {
    let t = Translator::new(user.locale);
    let mut entered = Vec::new();
    let mut add = |key: &str, value: String| {
        if !value.trim().is_empty() {
            entered.push(EnteredValue {
                label: t.t(key),
                value,
            });
        }
    };
    add("nrm-field-status", status_label(&t, sent.status.trim()));
    add("nrm-field-occurred-on", display_date(&t, &sent.occurred_on));
    add("nrm-field-reference", sent.reference.clone());
    add(
        "nrm-field-reflection-start",
        display_date(&t, &sent.reflection_start),
    );
    if sent.extended {
        add("nrm-field-extended", t.t("yes"));
    }
    add(
        "nrm-field-residence-permit",
        display_date(&t, &sent.residence_permit_expires_on),
    );
    if entered.is_empty() {
        // The notice must still show, even for an empty form.
        entered.push(EnteredValue {
            label: t.t("nrm-field-status"),
            value: t.t("nrm-conflict-nothing-entered"),
        });
    }

    let form = NrmForm {
        version: view.case.version.to_string(),
        ..sent
    };
    let page = nrm_page(user, view, events, form, FieldErrors::new(), entered);
    let mut response = crate::pages::render(&page);
    if response.status().is_success() {
        *response.status_mut() = StatusCode::CONFLICT;
    }
    response
}

/// Shows a typed `yyyy-mm-dd` date the way the pages do, or the text as
/// typed when it is not a date.
fn display_date(t: &Translator, value: &str) -> String {
    let value = value.trim();
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_or_else(|_| value.to_owned(), |date| t.format_date(&date))
}

#[cfg(test)]
mod tests {
    use super::*;
    use procap_domain::locale::Locale;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn referred(is_minor: bool) -> CurrentNrm<'static> {
        CurrentNrm {
            status: "referred",
            is_minor,
            reflection_period_ends_on: None,
            residence_permit_expires_on: Some(date("2027-01-31")),
            latest_event: Some(date("2026-05-01")),
        }
    }

    fn presumed_form(extended: bool) -> NrmForm {
        NrmForm {
            version: "2".to_owned(),
            status: "presumed_victim".to_owned(),
            occurred_on: "2026-05-10".to_owned(),
            reference: " 123/2026 ".to_owned(),
            reflection_start: "2026-05-10".to_owned(),
            extended,
            residence_permit_expires_on: String::new(),
        }
    }

    #[test]
    fn presumed_victim_gets_reflection_end() {
        let t = Translator::new(Locale::En);
        let Ok(change) = parse_change(
            &presumed_form(false),
            &referred(false),
            &t,
            date("2026-06-01"),
        ) else {
            panic!("valid change rejected");
        };

        assert_eq!(change.to, NrmStatus::PresumedVictim);
        assert_eq!(change.reflection_period_ends_on, Some(date("2026-08-10")));
        assert_eq!(change.reference.as_deref(), Some("123/2026"));
        assert_eq!(
            change.residence_permit_expires_on,
            Some(date("2027-01-31")),
            "permit expiry kept"
        );
    }

    #[test]
    fn extension_applies_to_minor_only() {
        let t = Translator::new(Locale::En);
        let today = date("2026-06-01");
        let minor = parse_change(&presumed_form(true), &referred(true), &t, today)
            .ok()
            .unwrap();
        let adult = parse_change(&presumed_form(true), &referred(false), &t, today)
            .ok()
            .unwrap();

        assert_eq!(minor.reflection_period_ends_on, Some(date("2026-10-10")));
        assert_eq!(adult.reflection_period_ends_on, Some(date("2026-08-10")));
    }

    #[test]
    fn invalid_moves_and_dates_rejected() {
        let t = Translator::new(Locale::En);
        let today = date("2026-06-01");
        let cases: [(&str, &str, &str, &'static str); 5] = [
            ("identified", "2026-05-10", "2026-05-10", "status"),
            ("", "2026-05-10", "2026-05-10", "status"),
            ("presumed_victim", "2026-06-02", "2026-05-10", "occurred_on"),
            ("presumed_victim", "2026-04-30", "2026-05-10", "occurred_on"),
            ("presumed_victim", "2026-05-10", "", "reflection_start"),
        ];

        for (status, occurred_on, reflection_start, field) in cases {
            let form = NrmForm {
                status: status.to_owned(),
                occurred_on: occurred_on.to_owned(),
                reflection_start: reflection_start.to_owned(),
                ..presumed_form(false)
            };
            let Err(errors) = parse_change(&form, &referred(false), &t, today) else {
                panic!("accepted {status} on {occurred_on}");
            };
            assert!(
                errors.has(field),
                "{status} {occurred_on} {reflection_start}: {field}"
            );
        }
    }

    #[test]
    fn clock_warns_within_window_and_after() {
        let t = Translator::new(Locale::En);
        let today = date("2026-06-01");

        assert_eq!(
            clock(
                &t,
                "nrm-clock-residence-permit",
                date("2026-09-01"),
                today,
                60
            )
            .state,
            ClockState::Running
        );
        assert_eq!(
            clock(
                &t,
                "nrm-clock-residence-permit",
                date("2026-07-01"),
                today,
                60
            )
            .state,
            ClockState::DueSoon
        );
        assert_eq!(
            clock(
                &t,
                "nrm-clock-residence-permit",
                date("2026-05-31"),
                today,
                60
            )
            .state,
            ClockState::Overdue
        );
        assert_eq!(
            clock(&t, "nrm-clock-residence-permit", today, today, 60).warning,
            "Ends today"
        );
    }
}
