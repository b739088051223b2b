//! The JSON API under `/api/v1/`. Requests authenticate with a personal API
//! token (`Authorization: Bearer pcp_…`) and act with the token owner's
//! permissions. The OpenAPI document is served at `/api/v1/openapi.json`.

pub mod appointments;
pub mod cases;
pub mod consents;
pub mod records;
pub mod referrals;
pub mod services;
pub mod training;

use crate::routes::{Routes, get, post};
use axum::Json;
use axum::extract::{FromRef, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use procap_domain::role::Role;
use procap_store::users::User;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Procap API", description = "Case management, training and reporting. Authenticate with a personal API token: `Authorization: Bearer <token>`."),
    paths(
        me,
        cases::list,
        cases::show,
        services::list_services,
        services::create_service,
        consents::list_consents,
        consents::record_consent,
        consents::withdraw_consent,
        referrals::list_referrals,
        referrals::send_referral,
        appointments::list_case_appointments,
        appointments::list_own_appointments,
        training::list_courses,
        training::show_course,
        training::list_enrolments,
        training::enrol,
        training::list_attempts,
        training::list_sessions,
        training::show_session,
        training::list_certificates,
    ),
    components(schemas(Me, ApiError, cases::CaseList, cases::CaseSummary, cases::CaseDetail, cases::PersonDetail,
        training::CourseList, training::CourseDetail, training::EnrolmentList,
        training::EnrolmentCreated, training::AttemptList, training::SessionList,
        training::SessionDetail, training::CertificateList)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub fn routes() -> Routes {
    Routes::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/me", get(me))
        .route("/api/v1/cases", get(cases::list))
        .route("/api/v1/cases/{id}", get(cases::show))
        .route(
            "/api/v1/cases/{id}/services",
            get(services::list_services).post(services::create_service),
        )
        .route(
            "/api/v1/cases/{id}/consents",
            get(consents::list_consents).post(consents::record_consent),
        )
        .route(
            "/api/v1/cases/{id}/consents/{consent_id}/withdraw",
            post(consents::withdraw_consent),
        )
        .route(
            "/api/v1/cases/{id}/referrals",
            get(referrals::list_referrals).post(referrals::send_referral),
        )
        .route(
            "/api/v1/cases/{id}/appointments",
            get(appointments::list_case_appointments),
        )
        .route(
            "/api/v1/appointments",
            get(appointments::list_own_appointments),
        )
        .route("/api/v1/courses", get(training::list_courses))
        .route("/api/v1/courses/{id}", get(training::show_course))
        .route(
            "/api/v1/courses/{id}/enrolments",
            get(training::list_enrolments).post(training::enrol),
        )
        .route("/api/v1/attempts", get(training::list_attempts))
        .route("/api/v1/sessions", get(training::list_sessions))
        .route("/api/v1/sessions/{id}", get(training::show_session))
        .route("/api/v1/certificates", get(training::list_certificates))
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// An API error: a stable code and an English message.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    pub code: &'static str,
    pub message: &'static str,
}

pub fn api_error(status: StatusCode, code: &'static str, message: &'static str) -> Response {
    (status, Json(ApiError { code, message })).into_response()
}

/// The user behind a valid API token.
pub struct ApiUser {
    pub user: User,
    pub role: Role,
    /// The peer address, for the audit log.
    pub client_ip: Option<String>,
}

impl<S> FromRequestParts<S> for ApiUser
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let unauthorized = || {
            api_error(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "missing, invalid, expired or revoked API token",
            )
        };
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .ok_or_else(unauthorized)?;
        let token_hash = procap_crypto::hash_secret(token);
        let user = state
            .store
            .run(move |db| procap_store::tokens::authenticate(db, &token_hash, procap_store::now()))
            .await
            .map_err(|error| {
                tracing::error!(error = %error, "API token check failed");
                api_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error",
                )
            })?
            .ok_or_else(unauthorized)?;
        let role = Role::parse(&user.role).ok_or_else(|| {
            api_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error",
            )
        })?;
        crate::middleware::note_user_id(&user.id);
        Ok(ApiUser {
            user,
            role,
            client_ip: crate::auth::client_ip(parts),
        })
    }
}

/// The token owner's account.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: String,
    pub username: String,
    pub display_name: String,
    /// One of admin, coordinator, caseworker, psychologist, lawyer,
    /// interpreter, escort, trainer, trainee, monitoring.
    pub role: String,
    pub organisation_id: String,
    pub locale: String,
}

#[utoipa::path(
    get,
    path = "/api/v1/me",
    responses(
        (status = 200, description = "The token owner's account", body = Me),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = ApiError),
    ),
    security(("token" = []))
)]
async fn me(State(_state): State<AppState>, api_user: ApiUser) -> Json<Me> {
    let user = api_user.user;
    Json(Me {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        role: api_user.role.as_str().to_owned(),
        organisation_id: user.organisation_id,
        locale: user.locale,
    })
}
