//! `GET`/`POST /api/v1/cases/{id}/services`: a case's service log, one page
//! at a time with the total, and a new service record checked by the same
//! parser as the page form.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use procap_domain::case::vocab::ServiceLine;
use procap_store::audit::Outcome;
use procap_store::case_records::{self, NewServiceRecord};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::ApiUser;
use super::records::{self, ApiFailure, PageQuery, Scalar, open_case, translator};
use crate::handlers::services::parse_service;
use crate::handlers::today;
use crate::i18n::Translator;
use crate::pages::FieldErrors;
use crate::pages::services::ServiceForm;
use crate::state::AppState;

/// One service record.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceRecordItem {
    pub id: String,
    /// case_management, psychosocial, legal, interpretation, escort,
    /// integration or material_assistance.
    pub line: String,
    pub occurred_on: chrono::NaiveDate,
    pub duration_minutes: i32,
    /// Username of the staff member who gave the service.
    pub staff: String,
    pub beneficiary_present: bool,
    pub outcome: Option<String>,
    /// The line's coded fields (codes, numbers and dates; never names).
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// Free-text notes; returned only to roles that may record this line.
    pub notes: Option<String>,
}

/// One page of a case's service log, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceRecordList {
    pub items: Vec<ServiceRecordItem>,
    /// Number of service records of the case, over all pages.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

/// A new service record. The fields and rules are those of the page form
/// for the chosen line; values may be JSON strings, numbers or booleans.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewServiceRecordRequest {
    /// The service line (required).
    #[schema(value_type = String)]
    line: Option<Scalar>,
    /// `YYYY-MM-DD`, between the case's opening and today (required).
    #[schema(value_type = String)]
    occurred_on: Option<Scalar>,
    /// 1 to 1440 (required).
    #[schema(value_type = Option<i32>)]
    duration_minutes: Option<Scalar>,
    /// `true`/`false` or `yes`/`no` (required).
    #[schema(value_type = Option<bool>)]
    beneficiary_present: Option<Scalar>,
    /// An outcome code.
    #[schema(value_type = Option<String>)]
    outcome: Option<Scalar>,
    /// Free text, stored encrypted.
    #[schema(value_type = Option<String>)]
    notes: Option<Scalar>,
    /// case_management: the session type code.
    #[schema(value_type = Option<String>)]
    session_type: Option<Scalar>,
    /// psychosocial: the support format code.
    #[schema(value_type = Option<String>)]
    format: Option<Scalar>,
    /// psychosocial: the modality code.
    #[schema(value_type = Option<String>)]
    modality: Option<Scalar>,
    /// psychosocial: number of sessions, 1 to 100.
    #[schema(value_type = Option<i32>)]
    sessions: Option<Scalar>,
    /// legal: the kind of legal service.
    #[schema(value_type = Option<String>)]
    legal_kind: Option<Scalar>,
    /// legal: the court code.
    #[schema(value_type = Option<String>)]
    court: Option<Scalar>,
    /// legal: the court's case number, stored encrypted with the notes.
    #[schema(value_type = Option<String>)]
    case_number: Option<Scalar>,
    /// legal: `YYYY-MM-DD`.
    #[schema(value_type = Option<String>)]
    hearing_on: Option<Scalar>,
    /// legal: the hearing outcome code.
    #[schema(value_type = Option<String>)]
    hearing_outcome: Option<Scalar>,
    /// interpretation: language code.
    #[schema(value_type = Option<String>)]
    language: Option<Scalar>,
    /// interpretation: dialect, stored encrypted with the notes.
    #[schema(value_type = Option<String>)]
    dialect: Option<Scalar>,
    /// interpretation: the modality code.
    #[schema(value_type = Option<String>)]
    mode: Option<Scalar>,
    /// escort: the destination code.
    #[schema(value_type = Option<String>)]
    destination: Option<Scalar>,
    /// escort: the purpose code.
    #[schema(value_type = Option<String>)]
    escort_purpose: Option<Scalar>,
    /// integration: the activity code.
    #[schema(value_type = Option<String>)]
    activity: Option<Scalar>,
    /// material_assistance: the kind code.
    #[schema(value_type = Option<String>)]
    assistance_kind: Option<Scalar>,
    /// material_assistance: value in euro, e.g. `12.50`.
    #[schema(value_type = Option<String>)]
    value_eur: Option<Scalar>,
}

impl NewServiceRecordRequest {
    /// Converts the body to the page form with the same values.
    fn into_form(self) -> ServiceForm {
        ServiceForm::from_pairs(&records::pairs([
            ("line", self.line),
            ("occurred_on", self.occurred_on),
            ("duration_minutes", self.duration_minutes),
            ("beneficiary_present", self.beneficiary_present),
            ("outcome", self.outcome),
            ("notes", self.notes),
            ("session_type", self.session_type),
            ("format", self.format),
            ("modality", self.modality),
            ("sessions", self.sessions),
            ("legal_kind", self.legal_kind),
            ("court", self.court),
            ("case_number", self.case_number),
            ("hearing_on", self.hearing_on),
            ("hearing_outcome", self.hearing_outcome),
            ("language", self.language),
            ("dialect", self.dialect),
            ("mode", self.mode),
            ("destination", self.destination),
            ("escort_purpose", self.escort_purpose),
            ("activity", self.activity),
            ("assistance_kind", self.assistance_kind),
            ("value_eur", self.value_eur),
        ]))
    }
}

fn services_location(case_id: &str) -> String {
    format!("/api/v1/cases/{case_id}/services")
}

#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/services",
    params(("id" = String, Path, description = "Case id"), PageQuery),
    responses(
        (status = 200, description = "One page of the case's service records, newest first", body = ServiceRecordList),
        (status = 400, description = "Invalid limit, offset or page", body = records::ApiProblem),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "The owner's role has no access to cases", body = records::ApiProblem),
        (status = 404, description = "No such case within the owner's scope", body = records::ApiProblem),
    ),
    security(("token" = []))
)]
pub async fn list_services(
    State(state): State<AppState>,
    api_user: ApiUser,
    Path(case_id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, ApiFailure> {
    let t = translator(&api_user);
    let (offset, limit) = query.resolve(&t)?;
    open_case(&state, &api_user, &case_id, "case.service.list").await?;

    let id = case_id.clone();
    let (rows, total) = state
        .store
        .run(move |db| case_records::list_service_records(db, &id, offset, limit))
        .await
        .map_err(|error| ApiFailure::from_store(&t, "service list failed", error))?;

    let role = api_user.role;
    let items = rows
        .into_iter()
        .map(|record| {
            let may_read_notes =
                ServiceLine::parse(&record.line).is_some_and(|line| role.may_record(line));
            ServiceRecordItem {
                notes: if may_read_notes { record.notes } else { None },
                id: record.id,
                line: record.line,
                occurred_on: record.occurred_on,
                duration_minutes: record.duration_minutes,
                staff: record.staff_username,
                beneficiary_present: record.beneficiary_present,
                outcome: record.outcome,
                details: record.details,
            }
        })
        .collect();
    Ok(Json(ServiceRecordList {
        items,
        total,
        limit,
        offset,
    })
    .into_response())
}

/// Reads the line of the form: unknown is a field error, a line of another
/// profession 403, as on the page.
fn requested_line(
    t: &Translator,
    api_user: &ApiUser,
    form: &ServiceForm,
) -> Result<ServiceLine, ApiFailure> {
    let Some(line) = ServiceLine::parse(form.line.trim()) else {
        let mut errors = FieldErrors::new();
        errors.add("line", t.t("form-error-choose"));
        return Err(ApiFailure::invalid(t, &errors));
    };
    if api_user.role.may_record(line) {
        Ok(line)
    } else {
        Err(ApiFailure::new(
            t,
            StatusCode::FORBIDDEN,
            "forbidden",
            "service-line-refused-text",
        ))
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/services",
    params(("id" = String, Path, description = "Case id")),
    request_body = NewServiceRecordRequest,
    responses(
        (status = 201, description = "Recorded; `Location` is the case's service log", body = records::Created),
        (status = 400, description = "The body is not JSON of this shape", body = records::ApiProblem),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "The owner's role has no access to cases or may not record this line", body = records::ApiProblem),
        (status = 404, description = "No such case within the owner's scope", body = records::ApiProblem),
        (status = 415, description = "The body is not sent as application/json", body = records::ApiProblem),
        (status = 422, description = "Validation failed; `errors` names each field", body = records::ApiProblem),
    ),
    security(("token" = []))
)]
pub async fn create_service(
    State(state): State<AppState>,
    api_user: ApiUser,
    Path(case_id): Path<String>,
    body: Result<Json<NewServiceRecordRequest>, JsonRejection>,
) -> Result<Response, ApiFailure> {
    let t = translator(&api_user);
    let view = open_case(&state, &api_user, &case_id, "case.service.form").await?;
    let form = records::json_body(&t, body)?.into_form();
    let line = requested_line(&t, &api_user, &form)?;
    let parsed = parse_service(&form, line, &t, view.case.opened_on, today())
        .map_err(|errors| ApiFailure::invalid(&t, &errors))?;

    let id = case_id.clone();
    let staff_user_id = api_user.user.id.clone();
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
        .await
        .map_err(|error| ApiFailure::from_store(&t, "service record failed", error))?;
    records::audit(
        &state,
        &api_user,
        "case.service.create",
        Outcome::Success,
        ("case", &case_id),
        json!({ "service_record": record_id, "line": line.as_str() }),
    )
    .await?;

    Ok(records::created(&services_location(&case_id), record_id))
}
