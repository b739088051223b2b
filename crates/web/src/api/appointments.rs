//! `GET /api/v1/cases/{id}/appointments`, a case's interpretation and
//! escort appointments for staff who may open the case, and
//! `GET /api/v1/appointments`, the interpreter's or escort's own agenda
//! with only what the agenda page shows: case code, kind, language, place,
//! time and status.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use procap_domain::role::Permission;
use procap_store::appointments;
use procap_store::audit::Outcome;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::ApiUser;
use super::records::{self, ApiFailure, open_case, translator};
use crate::handlers::appointments::day_bounds;
use crate::handlers::today;
use crate::state::AppState;

/// Maximum agenda period of one request, in days.
pub const MAX_AGENDA_DAYS: i64 = 92;
/// Days the agenda covers when the request names no end.
const DEFAULT_AGENDA_DAYS: i64 = 7;

/// An appointment of the case, with the person booked.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseAppointmentItem {
    pub id: String,
    /// interpretation or escort.
    pub kind: String,
    pub staff_user_id: String,
    pub staff_display_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub place: String,
    /// Language code (interpretation only).
    pub language: Option<String>,
    pub dialect: Option<String>,
    /// booked, completed or cancelled.
    pub status: String,
}

/// A case's appointments, latest start first.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseAppointmentList {
    pub items: Vec<CaseAppointmentItem>,
    pub total: i64,
}

/// An appointment on the interpreter's or escort's own agenda: the case's
/// pseudonymous code and nothing that names the person.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgendaItem {
    pub id: String,
    pub case_code: String,
    /// interpretation or escort.
    pub kind: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub language: Option<String>,
    pub dialect: Option<String>,
    /// booked, completed or cancelled.
    pub status: String,
}

/// The token owner's appointments that overlap the period, earliest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct Agenda {
    /// First day, Athens calendar.
    pub from: NaiveDate,
    /// Last day (inclusive), Athens calendar.
    pub to: NaiveDate,
    pub items: Vec<AgendaItem>,
    pub total: i64,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AgendaQuery {
    /// First day, `YYYY-MM-DD` in Athens (default today).
    from: Option<String>,
    /// Last day, inclusive (default six days after `from`); at most 92 days
    /// in all.
    to: Option<String>,
}

fn utc(at: chrono::NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

fn count(len: usize) -> i64 {
    i64::try_from(len).unwrap_or(i64::MAX)
}

#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/appointments",
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, description = "The case's appointments, latest first", body = CaseAppointmentList),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "The owner's role has no access to cases", body = records::ApiProblem),
        (status = 404, description = "No such case within the owner's scope", body = records::ApiProblem),
    ),
    security(("token" = []))
)]
pub async fn list_case_appointments(
    State(state): State<AppState>,
    api_user: ApiUser,
    Path(case_id): Path<String>,
) -> Result<Response, ApiFailure> {
    let t = translator(&api_user);
    open_case(&state, &api_user, &case_id, "case.appointments.view").await?;
    let id = case_id.clone();
    let list = state
        .store
        .run(move |db| appointments::list_for_case(db, &id))
        .await
        .map_err(|error| ApiFailure::from_store(&t, "appointment list failed", error))?;
    let items: Vec<CaseAppointmentItem> = list
        .into_iter()
        .map(|appointment| CaseAppointmentItem {
            id: appointment.id,
            kind: appointment.kind,
            staff_user_id: appointment.staff_user_id,
            staff_display_name: appointment.staff_display_name,
            starts_at: utc(appointment.starts_at),
            ends_at: utc(appointment.ends_at),
            duration_minutes: appointment.duration_minutes,
            place: appointment.place,
            language: appointment.language,
            dialect: appointment.dialect,
            status: appointment.status,
        })
        .collect();
    let total = count(items.len());
    Ok(Json(CaseAppointmentList { items, total }).into_response())
}

/// Reads the agenda period: both ends are Athens days, `to` not before
/// `from` and the whole at most [`MAX_AGENDA_DAYS`].
fn agenda_period(query: &AgendaQuery, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let day = |value: &Option<String>| match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ()),
    };
    let from = day(&query.from).ok()?.unwrap_or(today);
    let to = day(&query.to)
        .ok()?
        .unwrap_or(from + Duration::days(DEFAULT_AGENDA_DAYS - 1));
    let days = (to - from).num_days() + 1;
    (1..=MAX_AGENDA_DAYS).contains(&days).then_some((from, to))
}

#[utoipa::path(
    get,
    path = "/api/v1/appointments",
    params(AgendaQuery),
    responses(
        (status = 200, description = "The token owner's own appointments in the period", body = Agenda),
        (status = 400, description = "Invalid or too long period", body = records::ApiProblem),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "Only interpreters and escorts have an agenda", body = records::ApiProblem),
    ),
    security(("token" = []))
)]
pub async fn list_own_appointments(
    State(state): State<AppState>,
    api_user: ApiUser,
    Query(query): Query<AgendaQuery>,
) -> Result<Response, ApiFailure> {
    let t = translator(&api_user);
    if !api_user.role.can(Permission::AccessAssignedAppointments) {
        records::audit(
            &state,
            &api_user,
            "appointment.agenda.view",
            Outcome::Denied,
            ("user", &api_user.user.id),
            json!({ "reason": "role" }),
        )
        .await?;
        return Err(ApiFailure::forbidden(&t));
    }
    let Some((from, to)) = agenda_period(&query, today()) else {
        return Err(ApiFailure::new(
            &t,
            StatusCode::BAD_REQUEST,
            "invalid_period",
            "api-error-period",
        ));
    };

    let (start, _) = day_bounds(from);
    let (_, end) = day_bounds(to);
    let staff = api_user.user.id.clone();
    let list = state
        .store
        .run(move |db| appointments::list_for_staff(db, &staff, start, end, false))
        .await
        .map_err(|error| ApiFailure::from_store(&t, "agenda failed", error))?;
    let items: Vec<AgendaItem> = list
        .into_iter()
        .map(|appointment| AgendaItem {
            id: appointment.id,
            case_code: appointment.case_code,
            kind: appointment.kind,
            starts_at: utc(appointment.starts_at),
            ends_at: utc(appointment.ends_at),
            place: appointment.place,
            language: appointment.language,
            dialect: appointment.dialect,
            status: appointment.status,
        })
        .collect();
    records::audit(
        &state,
        &api_user,
        "appointment.agenda.view",
        Outcome::Success,
        ("user", &api_user.user.id),
        json!({
            "from": from.format("%Y-%m-%d").to_string(),
            "to": to.format("%Y-%m-%d").to_string(),
            "appointments": items.len(),
        }),
    )
    .await?;

    let total = count(items.len());
    Ok(Json(Agenda {
        from,
        to,
        items,
        total,
    })
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn query(from: Option<&str>, to: Option<&str>) -> AgendaQuery {
        AgendaQuery {
            from: from.map(str::to_owned),
            to: to.map(str::to_owned),
        }
    }

    #[test]
    fn agenda_period_default_and_bounds() {
        let today = date("2026-03-10");
        assert_eq!(
            agenda_period(&query(None, None), today),
            Some((today, date("2026-03-16")))
        );
        assert_eq!(
            agenda_period(&query(Some("2026-03-01"), Some("2026-03-01")), today),
            Some((date("2026-03-01"), date("2026-03-01")))
        );
        assert_eq!(
            agenda_period(&query(Some("2026-03-02"), Some("2026-03-01")), today),
            None
        );
        assert_eq!(
            agenda_period(&query(Some("2026-01-01"), Some("2026-04-02")), today),
            Some((date("2026-01-01"), date("2026-04-02")))
        );
        assert_eq!(
            agenda_period(&query(Some("2026-01-01"), Some("2026-04-03")), today),
            None
        );
        assert_eq!(agenda_period(&query(Some("10/03/2026"), None), today), None);
    }
}
