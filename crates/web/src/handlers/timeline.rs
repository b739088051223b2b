//! The timeline of trafficking events of a case: `GET /cases/{id}/timeline`
//! lists the events in date order and `POST` adds one.
//!
//! Every user who may open the case can read the timeline. Caseworkers and
//! coordinators (assigned, or through the case scope of their role) can also
//! add events. A date lies between the person's birth date, when known, and
//! today; the country is a known ISO code. The description is encrypted by
//! the store and the audit log records only the ids.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use procap_domain::case::geo;
use procap_domain::role::Role;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::cases::CaseView;
use procap_store::timeline::{self, NewTimelineEvent, TimelineEvent};
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::case_access::open_case;
use crate::handlers::render;
use crate::handlers::services::{MAX_TEXT_CHARS, free_text, parse_date};
use crate::handlers::today;
use crate::i18n::Translator;
use crate::pages::FieldErrors;
use crate::pages::services::CaseHeading;
use crate::pages::timeline::{
    TimelineForm, TimelinePage, TimelineRow, event_kind, event_kind_key, timeline_href,
};
use crate::state::AppState;

/// Returns whether `role` may add events to the timeline of a case it can open.
pub fn may_add_events(role: Role) -> bool {
    matches!(role, Role::Caseworker | Role::Coordinator)
}

fn form_value<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .rev()
        .find(|(field, _)| field == name)
        .map_or("", |(_, value)| value.as_str())
}

fn row(t: &Translator, event: TimelineEvent) -> TimelineRow {
    let when = match (event.started_on, event.ended_on) {
        (Some(from), Some(to)) if to != from => t.t2(
            "timeline-period",
            "from",
            t.format_date(&from),
            "to",
            t.format_date(&to),
        ),
        (Some(from), _) => t.format_date(&from),
        (None, Some(to)) => t.format_date(&to),
        (None, None) => String::new(),
    };
    let country = event
        .country
        .as_deref()
        .map(|code| geo::country(code).map_or(code.to_owned(), |c| c.name(t.locale()).to_owned()))
        .unwrap_or_default();
    TimelineRow {
        when,
        kind: t.t(event_kind_key(&event.kind)),
        country,
        description: event.description.unwrap_or_default(),
    }
}

async fn timeline_page(
    state: &AppState,
    user: &CurrentUser,
    view: &CaseView,
    form: TimelineForm,
    errors: FieldErrors,
) -> Result<TimelinePage, WebError> {
    let case_id = view.case.id.clone();
    let events = state
        .store
        .run(move |db| timeline::list_events(db, &case_id))
        .await?;
    let ctx = user.page(&timeline_href(&view.case.id));
    let t = ctx.t;
    Ok(TimelinePage {
        case: CaseHeading::new(&t, &view.case),
        events: events.into_iter().map(|event| row(&t, event)).collect(),
        may_add: may_add_events(user.role),
        form,
        errors,
        ctx,
    })
}

/// `GET /cases/{id}/timeline`: the events in date order and the add form.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.timeline.view").await?;
    let page = timeline_page(
        &state,
        &user,
        &view,
        TimelineForm::default(),
        FieldErrors::new(),
    )
    .await?;
    render(&page)
}

/// Checks a date of the form: not in the future, not before `born`.
fn checked_date(
    errors: &mut FieldErrors,
    t: &Translator,
    field: &'static str,
    value: &str,
    born: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let date = parse_date(errors, t, field, value)?;
    if date > today() {
        errors.add(field, t.t("service-error-date-future"));
        return None;
    }
    if let Some(born) = born.filter(|born| date < *born) {
        errors.add(
            field,
            t.t1("timeline-error-before-birth", "date", t.format_date(&born)),
        );
        return None;
    }
    Some(date)
}

/// `POST /cases/{id}/timeline`: adds one event, or shows the form again
/// with the values typed and what to correct.
pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.timeline.view").await?;
    if !may_add_events(user.role) {
        return Err(WebError::Forbidden);
    }
    let form = TimelineForm {
        kind: form_value(&pairs, "kind").to_owned(),
        started_on: form_value(&pairs, "started_on").to_owned(),
        ended_on: form_value(&pairs, "ended_on").to_owned(),
        country: form_value(&pairs, "country").to_owned(),
        description: form_value(&pairs, "description").to_owned(),
    };
    let t = Translator::new(user.locale);
    let born = view
        .person
        .as_ref()
        .and_then(|person| person.details.birth_date);

    let mut errors = FieldErrors::new();
    let kind = event_kind(form.kind.trim());
    if kind.is_none() {
        errors.add("kind", t.t("form-error-choose"));
    }
    if form.started_on.trim().is_empty() {
        errors.add("started_on", t.t("form-error-required"));
    }
    let started_on = checked_date(&mut errors, &t, "started_on", &form.started_on, born);
    let ended_on = checked_date(&mut errors, &t, "ended_on", &form.ended_on, born);
    if let (Some(from), Some(to)) = (started_on, ended_on)
        && to < from
    {
        errors.add("ended_on", t.t("timeline-error-end-before-start"));
    }
    let country = form.country.trim().to_ascii_uppercase();
    let country = if country.is_empty() {
        None
    } else if let Some(known) = geo::country(&country) {
        Some(known.code)
    } else {
        errors.add("country", t.t("timeline-error-country"));
        None
    };
    let description = free_text(
        &mut errors,
        &t,
        "description",
        &form.description,
        MAX_TEXT_CHARS,
    );
    let (Some(kind), Some(started_on), true) = (kind, started_on, errors.is_empty()) else {
        let page = timeline_page(&state, &user, &view, form, errors).await?;
        let mut response = render(&page)?;
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    };

    let id = case_id.clone();
    let event_id = state
        .store
        .run(move |db| {
            timeline::add_event(
                db,
                &NewTimelineEvent {
                    case_id: &id,
                    kind,
                    started_on,
                    ended_on,
                    country,
                    description: description.as_deref(),
                },
            )
        })
        .await?;
    let event = AuditEvent::new("case.timeline.add", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", &case_id)
        .details(json!({ "event": event_id }));
    record(&state.store, event).await?;

    Ok(Redirect::to(&timeline_href(&case_id)).into_response())
}
