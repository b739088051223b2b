//! `GET /api/v1/cases` and `GET /api/v1/cases/{id}`: the case list (paginated,
//! with the total) and one case, with the same scope and audit as the pages.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use procap_domain::role::{Permission, Role};
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::cases::{self, CaseFilter, CaseScope};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::{ApiUser, api_error};
use crate::state::AppState;

/// Largest page the API returns.
pub const MAX_LIMIT: i64 = 500;
const DEFAULT_LIMIT: i64 = 50;

/// The cases a user may list: coordinators see their organisation's cases,
/// other staff with case access only those assigned to them, everyone else
/// none.
pub fn scope_for(role: Role, organisation_id: &str, user_id: &str) -> Option<CaseScope> {
    if role.can(Permission::CoordinateCases) {
        return Some(CaseScope::Organisation {
            organisation_id: organisation_id.to_owned(),
            user_id: user_id.to_owned(),
        });
    }
    if role.can(Permission::AccessCases) {
        return Some(CaseScope::Assigned {
            organisation_id: organisation_id.to_owned(),
            user_id: user_id.to_owned(),
        });
    }
    None
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CaseListQuery {
    /// Rows per page, 1 to 500 (default 50).
    limit: Option<i64>,
    /// Rows to skip (default 0).
    offset: Option<i64>,
    /// `open` or `closed`.
    status: Option<String>,
    /// not_referred, referred, presumed_victim, identified or not_identified.
    nrm_status: Option<String>,
    /// attica, central_macedonia or other.
    region: Option<String>,
    /// procap, ctdc_import or htcds_import.
    origin: Option<String>,
}

/// A case in a list: the pseudonymous code and non-identifying fields.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseSummary {
    pub id: String,
    pub code: String,
    pub status: String,
    pub origin: String,
    pub nrm_status: String,
    pub region: String,
    pub sex: String,
    pub age_bracket: Option<String>,
    pub is_minor: bool,
    /// Exploitation type codes.
    pub exploitation_types: Vec<String>,
    pub opened_on: chrono::NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseList {
    pub items: Vec<CaseSummary>,
    /// Number of cases matching the filters, over all pages.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

fn split_codes(value: &str) -> Vec<String> {
    value
        .split(';')
        .filter(|code| !code.is_empty())
        .map(str::to_owned)
        .collect()
}

fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

#[utoipa::path(
    get,
    path = "/api/v1/cases",
    params(CaseListQuery),
    responses(
        (status = 200, description = "One page of the cases the token's owner may see", body = CaseList),
        (status = 400, description = "Invalid limit or offset", body = super::ApiError),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "The owner's role has no access to cases", body = super::ApiError),
    ),
    security(("token" = []))
)]
pub async fn list(
    State(state): State<AppState>,
    api_user: ApiUser,
    Query(query): Query<CaseListQuery>,
) -> Response {
    let Some(scope) = scope_for(
        api_user.role,
        &api_user.user.organisation_id,
        &api_user.user.id,
    ) else {
        return api_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "this role has no access to cases",
        );
    };
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    let offset = query.offset.unwrap_or(0);
    if !(1..=MAX_LIMIT).contains(&limit) || offset < 0 {
        return api_error(
            StatusCode::BAD_REQUEST,
            "invalid_page",
            "limit must be 1 to 500 and offset 0 or more",
        );
    }
    let filter = CaseFilter {
        status: non_empty(query.status),
        nrm_status: non_empty(query.nrm_status),
        region: non_empty(query.region),
        origin: non_empty(query.origin),
        code: None,
    };
    let user = api_user.user.clone();
    let result = state
        .store
        .run(move |db| {
            let page = cases::list(db, &scope, &filter, offset, limit)?;
            let event = AuditEvent::new("case.list", Outcome::Success)
                .actor(&user.id, &user.username)
                .details(json!({ "via": "api", "offset": offset, "limit": limit, "returned": page.0.len() }));
            procap_store::audit::append(db, &event)?;
            Ok(page)
        })
        .await;
    match result {
        Ok((rows, total)) => Json(CaseList {
            items: rows
                .into_iter()
                .map(|row| CaseSummary {
                    exploitation_types: split_codes(&row.exploitation_types),
                    id: row.id,
                    code: row.code,
                    status: row.status,
                    origin: row.origin,
                    nrm_status: row.nrm_status,
                    region: row.region,
                    sex: row.sex,
                    age_bracket: row.age_bracket,
                    is_minor: row.is_minor,
                    opened_on: row.opened_on,
                })
                .collect(),
            total,
            limit,
            offset,
        })
        .into_response(),
        Err(error) => {
            tracing::error!(error = %error, "case list failed");
            api_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error",
            )
        }
    }
}

/// One case with its person's details, for staff allowed to open it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDetail {
    #[serde(flatten)]
    pub summary: CaseSummary,
    pub setting: String,
    pub facility: Option<String>,
    pub means_of_control: Vec<String>,
    pub countries_exploitation: Vec<String>,
    pub reflection_period_ends_on: Option<chrono::NaiveDate>,
    pub residence_permit_expires_on: Option<chrono::NaiveDate>,
    pub sealed: bool,
    pub person: Option<PersonDetail>,
    pub referral_source: Option<String>,
    pub referred_on: Option<chrono::NaiveDate>,
}

/// The person's identifying details. Returned only to staff in scope.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDetail {
    pub given_name: String,
    pub family_name: Option<String>,
    pub birth_date: Option<chrono::NaiveDate>,
    pub sex: String,
    pub citizenships: Vec<String>,
    pub languages: Vec<String>,
    pub legal_status: String,
    pub vulnerabilities: Vec<String>,
}

#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}",
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, description = "The case", body = CaseDetail),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "The owner's role has no access to cases", body = super::ApiError),
        (status = 404, description = "No such case within the owner's scope", body = super::ApiError),
    ),
    security(("token" = []))
)]
pub async fn show(
    State(state): State<AppState>,
    api_user: ApiUser,
    Path(case_id): Path<String>,
) -> Response {
    let Some(scope) = scope_for(
        api_user.role,
        &api_user.user.organisation_id,
        &api_user.user.id,
    ) else {
        return api_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "this role has no access to cases",
        );
    };
    let user = api_user.user.clone();
    let result = state
        .store
        .run(move |db| {
            if !cases::in_scope(db, &scope, &case_id)? {
                let event = AuditEvent::new("case.view", Outcome::Denied)
                    .actor(&user.id, &user.username)
                    .object("case", crate::handlers::case_access::audited_id(&case_id))
                    .details(json!({ "via": "api" }));
                procap_store::audit::append(db, &event)?;
                return Ok(None);
            }
            let view = cases::get(db, &case_id)?;
            let event = AuditEvent::new("case.view", Outcome::Success)
                .actor(&user.id, &user.username)
                .object("case", &case_id)
                .details(json!({ "via": "api" }));
            procap_store::audit::append(db, &event)?;
            Ok(Some(view))
        })
        .await;
    let view = match result {
        Ok(Some(view)) => view,
        Ok(None) => return api_error(StatusCode::NOT_FOUND, "not_found", "no such case"),
        Err(error) => {
            tracing::error!(error = %error, "case lookup failed");
            return api_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error",
            );
        }
    };
    let case = view.case;
    let facility = view.facility;
    let person = view.person.map(|person| PersonDetail {
        given_name: person.details.given_name,
        family_name: person.details.family_name,
        birth_date: person.details.birth_date,
        sex: person.attributes.sex,
        citizenships: split_codes(&person.attributes.citizenships),
        languages: split_codes(&person.attributes.languages),
        legal_status: person.attributes.legal_status,
        vulnerabilities: split_codes(&person.attributes.vulnerabilities),
    });
    Json(CaseDetail {
        summary: CaseSummary {
            exploitation_types: split_codes(&case.exploitation_types),
            id: case.id,
            code: case.code,
            status: case.status,
            origin: case.origin,
            nrm_status: case.nrm_status,
            region: case.region,
            sex: case.sex,
            age_bracket: case.age_bracket,
            is_minor: case.is_minor,
            opened_on: case.opened_on,
        },
        setting: case.setting,
        facility,
        means_of_control: split_codes(&case.means_of_control),
        countries_exploitation: split_codes(&case.countries_exploitation),
        reflection_period_ends_on: case.reflection_period_ends_on,
        residence_permit_expires_on: case.residence_permit_expires_on,
        sealed: case.sealed,
        person,
        referral_source: view.intake.as_ref().map(|intake| intake.source.clone()),
        referred_on: view.intake.map(|intake| intake.referred_on),
    })
    .into_response()
}
