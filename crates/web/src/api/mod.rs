//! The JSON API under `/api/v1/`. Requests authenticate with a personal API
//! token (`Authorization: Bearer pcp_…`) and act with the token owner's
//! permissions. The OpenAPI document is served at `/api/v1/openapi.json`.

pub mod cases;

use axum::extract::{FromRef, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use procap_domain::role::Role;
use procap_store::users::User;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Procap API", description = "Case management, training and reporting. Authenticate with a personal API token: `Authorization: Bearer <token>`."),
    paths(me, cases::list, cases::show),
    components(schemas(Me, ApiError, cases::CaseList, cases::CaseSummary, cases::CaseDetail, cases::PersonDetail)),
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

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/me", get(me))
        .route("/api/v1/cases", get(cases::list))
        .route("/api/v1/cases/{id}", get(cases::show))
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
        Ok(ApiUser { user, role })
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
