//! `GET`/`POST /api/v1/cases/{id}/referrals`: a case's referrals and
//! sending one. As on the referral page, a referral needs a `sharing`
//! consent for the recipient: without one it is refused (422, code
//! `no_consent`) and nothing is stored, unless a coordinator gives an
//! override reason.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use procap_domain::role::Permission;
use procap_store::StoreError;
use procap_store::audit::Outcome;
use procap_store::organisations;
use procap_store::referrals::{self, NewReferral};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::ApiUser;
use super::records::{self, ApiFailure, Scalar, open_case, translator};
use crate::handlers::referrals::{may_refer, parse_referral};
use crate::handlers::today;
use crate::pages::FieldErrors;
use crate::pages::referrals::ReferralForm;
use crate::state::AppState;

/// One referral of the case, sent or received.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralItem {
    pub id: String,
    pub from_organisation_id: String,
    pub from_organisation_name: String,
    pub to_organisation_id: String,
    pub to_organisation_name: String,
    /// The service line asked for.
    pub service_line: String,
    /// A transfer moves the case to the recipient once accepted.
    pub is_transfer: bool,
    /// sent, accepted, declined, completed or revoked.
    pub status: String,
    pub referred_on: chrono::NaiveDate,
    pub reason: Option<String>,
    /// Whether a coordinator sent it without a sharing consent.
    pub consent_overridden: bool,
    pub override_reason: Option<String>,
    /// The recipient's or the sender's reason when declined or revoked.
    pub response_reason: Option<String>,
}

/// A case's referrals.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralList {
    pub items: Vec<ReferralItem>,
    pub total: i64,
}

/// A referral to send.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReferralRequest {
    /// Another organisation's id (required).
    #[schema(value_type = String)]
    to_organisation_id: Option<Scalar>,
    /// The service line asked for (required).
    #[schema(value_type = String)]
    service_line: Option<Scalar>,
    /// Transfer the case instead of sharing it (default false).
    #[serde(default)]
    is_transfer: bool,
    /// The reason for the referral, stored encrypted.
    #[schema(value_type = Option<String>)]
    reason: Option<Scalar>,
    /// Coordinators only: why it must go without a sharing consent;
    /// stored encrypted and never written to the audit log.
    #[schema(value_type = Option<String>)]
    override_reason: Option<Scalar>,
}

/// A referral that was sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct SentReferral {
    pub id: String,
    pub consent_overridden: bool,
}

#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/referrals",
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, description = "The case's referrals", body = ReferralList),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "The owner's role has no access to cases", body = records::ApiProblem),
        (status = 404, description = "No such case within the owner's scope", body = records::ApiProblem),
    ),
    security(("token" = []))
)]
pub async fn list_referrals(
    State(state): State<AppState>,
    api_user: ApiUser,
    Path(case_id): Path<String>,
) -> Result<Response, ApiFailure> {
    let t = translator(&api_user);
    open_case(&state, &api_user, &case_id, "case.referrals.view").await?;
    let id = case_id.clone();
    let list = state
        .store
        .run(move |db| referrals::list_for_case(db, &id))
        .await
        .map_err(|error| ApiFailure::from_store(&t, "referral list failed", error))?;
    let items: Vec<ReferralItem> = list
        .into_iter()
        .map(|referral| ReferralItem {
            id: referral.id,
            from_organisation_id: referral.from_organisation_id,
            from_organisation_name: referral.from_organisation_name,
            to_organisation_id: referral.to_organisation_id,
            to_organisation_name: referral.to_organisation_name,
            service_line: referral.service_line,
            is_transfer: referral.is_transfer,
            status: referral.status,
            referred_on: referral.referred_on,
            reason: referral.reason,
            consent_overridden: referral.consent_overridden,
            override_reason: referral.override_reason,
            response_reason: referral.response_reason,
        })
        .collect();
    let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
    Ok(Json(ReferralList { items, total }).into_response())
}

#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/referrals",
    params(("id" = String, Path, description = "Case id")),
    request_body = NewReferralRequest,
    responses(
        (status = 201, description = "Sent; `Location` is the case's referral list", body = SentReferral),
        (status = 400, description = "The body is not JSON of this shape", body = records::ApiProblem),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "Only caseworkers and coordinators of the owning organisation refer", body = records::ApiProblem),
        (status = 404, description = "No such case within the owner's scope", body = records::ApiProblem),
        (status = 415, description = "The body is not sent as application/json", body = records::ApiProblem),
        (status = 422, description = "Validation failed (`invalid`), or no sharing consent for the recipient (`no_consent`); nothing was stored", body = records::ApiProblem),
    ),
    security(("token" = []))
)]
pub async fn send_referral(
    State(state): State<AppState>,
    api_user: ApiUser,
    Path(case_id): Path<String>,
    body: Result<Json<NewReferralRequest>, JsonRejection>,
) -> Result<Response, ApiFailure> {
    let t = translator(&api_user);
    let view = open_case(&state, &api_user, &case_id, "case.referrals.view").await?;
    let own = api_user.user.organisation_id.clone();
    if !may_refer(api_user.role) || view.case.organisation_id != own {
        return Err(ApiFailure::forbidden(&t));
    }
    let request = records::json_body(&t, body)?;
    let mut form = ReferralForm::from_pairs(&records::pairs([
        ("to_organisation_id", request.to_organisation_id),
        ("service_line", request.service_line),
        ("reason", request.reason),
        ("override_reason", request.override_reason),
    ]));
    form.is_transfer = request.is_transfer;
    let organisations = state
        .store
        .run(organisations::list)
        .await
        .map_err(|error| ApiFailure::from_store(&t, "organisation list failed", error))?;
    let can_override = api_user.role.can(Permission::CoordinateCases);

    let parsed = match parse_referral(&form, &organisations, &own, can_override, &t) {
        Ok(parsed) => parsed,
        Err(errors) => {
            records::audit(
                &state,
                &api_user,
                "case.referral.send",
                Outcome::Failure,
                ("case", &case_id),
                json!({ "reason": "invalid" }),
            )
            .await?;
            return Err(ApiFailure::invalid(&t, &errors));
        }
    };

    let id = case_id.clone();
    let from = own.clone();
    let to = parsed.to_organisation_id.clone();
    let referred_by = api_user.user.id.clone();
    let service_line = parsed.service_line;
    let is_transfer = form.is_transfer;
    let (reason, override_reason) = (parsed.reason, parsed.override_reason);
    let outcome = state
        .store
        .run(move |db| {
            referrals::send(
                db,
                &NewReferral {
                    case_id: &id,
                    from_organisation_id: &from,
                    to_organisation_id: &to,
                    service_line: service_line.as_str(),
                    is_transfer,
                    reason: reason.as_deref(),
                    override_reason: override_reason.as_deref(),
                    referred_on: today(),
                    referred_by: &referred_by,
                },
            )
        })
        .await;
    let sent = match outcome {
        Ok(sent) => sent,
        Err(StoreError::Conflict("no_consent")) => {
            records::audit(
                &state,
                &api_user,
                "case.referral.send",
                Outcome::Denied,
                ("case", &case_id),
                json!({
                    "reason": "no_consent",
                    "to_organisation_id": parsed.to_organisation_id,
                }),
            )
            .await?;
            let key = if can_override {
                "referrals-error-no-consent-override"
            } else {
                "referrals-error-no-consent"
            };
            let mut errors = FieldErrors::new();
            errors.add("to_organisation_id", t.t(key));
            return Err(ApiFailure::new(
                &t,
                StatusCode::UNPROCESSABLE_ENTITY,
                "no_consent",
                "api-error-no-consent",
            )
            .with_errors(&errors));
        }
        Err(error) => return Err(ApiFailure::from_store(&t, "referral send failed", error)),
    };

    if sent.consent_overridden {
        records::audit(
            &state,
            &api_user,
            "case.referral.override",
            Outcome::Success,
            ("case", &case_id),
            json!({
                "referral_id": sent.referral_id,
                "to_organisation_id": parsed.to_organisation_id,
            }),
        )
        .await?;
    }
    records::audit(
        &state,
        &api_user,
        "case.referral.send",
        Outcome::Success,
        ("case", &case_id),
        json!({
            "referral_id": sent.referral_id,
            "to_organisation_id": parsed.to_organisation_id,
            "service_line": service_line.as_str(),
            "transfer": is_transfer,
            "consent_overridden": sent.consent_overridden,
        }),
    )
    .await?;

    let mut response = (
        StatusCode::CREATED,
        Json(SentReferral {
            id: sent.referral_id,
            consent_overridden: sent.consent_overridden,
        }),
    )
        .into_response();
    if let Ok(location) =
        axum::http::HeaderValue::from_str(&format!("/api/v1/cases/{case_id}/referrals"))
    {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, location);
    }
    Ok(response)
}
