//! `GET`/`POST /api/v1/cases/{id}/consents` and
//! `POST /api/v1/cases/{id}/consents/{consent_id}/withdraw`: a case's
//! consents, recording one given or refused, and withdrawing one from
//! today. Who may do what, and the checks, are those of the consent page.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use procap_store::audit::Outcome;
use procap_store::case_records::{self, NewConsent};
use procap_store::organisations;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::ApiUser;
use super::records::{self, ApiFailure, Scalar, open_case, translator};
use crate::handlers::consents::{may_manage_consents, parse_consent};
use crate::handlers::today;
use crate::pages::consents::ConsentForm;
use crate::state::AppState;

/// One consent, given or refused, per purpose and recipient.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentItem {
    pub id: String,
    /// data_processing, sharing, photographs or research.
    pub purpose: String,
    /// The organisation a `sharing` consent names.
    pub recipient_organisation_id: Option<String>,
    pub given: bool,
    pub recorded_on: chrono::NaiveDate,
    /// Language code of the form the person signed.
    pub language: String,
    pub withdrawn_on: Option<chrono::NaiveDate>,
}

/// A case's consents, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsentList {
    pub items: Vec<ConsentItem>,
    pub total: i64,
}

/// A consent to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewConsentRequest {
    /// The purpose code (required).
    #[schema(value_type = String)]
    purpose: Option<Scalar>,
    /// Required for `sharing`, not allowed for other purposes.
    #[schema(value_type = Option<String>)]
    recipient_organisation_id: Option<Scalar>,
    /// Whether consent was given (`true`) or refused (required).
    #[schema(value_type = bool)]
    given: Option<Scalar>,
    /// `YYYY-MM-DD`, not in the future (required).
    #[schema(value_type = String)]
    recorded_on: Option<Scalar>,
    /// Language code of the signed form (required).
    #[schema(value_type = String)]
    language: Option<Scalar>,
}

/// A withdrawn consent.
#[derive(Debug, Serialize, ToSchema)]
pub struct WithdrawnConsent {
    pub id: String,
    pub withdrawn_on: chrono::NaiveDate,
}

fn consents_location(case_id: &str) -> String {
    format!("/api/v1/cases/{case_id}/consents")
}

#[utoipa::path(
    get,
    path = "/api/v1/cases/{id}/consents",
    params(("id" = String, Path, description = "Case id")),
    responses(
        (status = 200, description = "The case's consents, newest first", body = ConsentList),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "The owner's role has no access to cases", body = records::ApiProblem),
        (status = 404, description = "No such case within the owner's scope", body = records::ApiProblem),
    ),
    security(("token" = []))
)]
pub async fn list_consents(
    State(state): State<AppState>,
    api_user: ApiUser,
    Path(case_id): Path<String>,
) -> Result<Response, ApiFailure> {
    let t = translator(&api_user);
    open_case(&state, &api_user, &case_id, "case.consent.list").await?;
    let id = case_id.clone();
    let consents = state
        .store
        .run(move |db| case_records::list_consents(db, &id))
        .await
        .map_err(|error| ApiFailure::from_store(&t, "consent list failed", error))?;
    let items: Vec<ConsentItem> = consents
        .into_iter()
        .map(|consent| ConsentItem {
            id: consent.id,
            purpose: consent.purpose,
            recipient_organisation_id: consent.recipient_organisation_id,
            given: consent.given,
            recorded_on: consent.recorded_on,
            language: consent.language,
            withdrawn_on: consent.withdrawn_on,
        })
        .collect();
    let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
    Ok(Json(ConsentList { items, total }).into_response())
}

#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/consents",
    params(("id" = String, Path, description = "Case id")),
    request_body = NewConsentRequest,
    responses(
        (status = 201, description = "Recorded; `Location` is the case's consent list", body = records::Created),
        (status = 400, description = "The body is not JSON of this shape", body = records::ApiProblem),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "Only caseworkers and coordinators record consents", body = records::ApiProblem),
        (status = 404, description = "No such case within the owner's scope", body = records::ApiProblem),
        (status = 415, description = "The body is not sent as application/json", body = records::ApiProblem),
        (status = 422, description = "Validation failed; `errors` names each field", body = records::ApiProblem),
    ),
    security(("token" = []))
)]
pub async fn record_consent(
    State(state): State<AppState>,
    api_user: ApiUser,
    Path(case_id): Path<String>,
    body: Result<Json<NewConsentRequest>, JsonRejection>,
) -> Result<Response, ApiFailure> {
    let t = translator(&api_user);
    open_case(&state, &api_user, &case_id, "case.consent.form").await?;
    if !may_manage_consents(api_user.role) {
        return Err(ApiFailure::forbidden(&t));
    }
    let request = records::json_body(&t, body)?;
    let form = ConsentForm::from_pairs(&records::pairs([
        ("purpose", request.purpose),
        (
            "recipient_organisation_id",
            request.recipient_organisation_id,
        ),
        ("given", request.given),
        ("recorded_on", request.recorded_on),
        ("language", request.language),
    ]));

    let organisation_ids: Vec<String> = state
        .store
        .run(organisations::list)
        .await
        .map_err(|error| ApiFailure::from_store(&t, "organisation list failed", error))?
        .into_iter()
        .map(|organisation| organisation.id)
        .collect();
    let parsed = parse_consent(&form, &t, &organisation_ids, today())
        .map_err(|errors| ApiFailure::invalid(&t, &errors))?;

    let id = case_id.clone();
    let recorded_by = api_user.user.id.clone();
    let recipient = parsed.recipient_organisation_id.clone();
    let (purpose, given, recorded_on, language) = (
        parsed.purpose,
        parsed.given,
        parsed.recorded_on,
        parsed.language,
    );
    let consent_id = state
        .store
        .run(move |db| {
            case_records::record_consent(
                db,
                &NewConsent {
                    case_id: &id,
                    purpose: purpose.as_str(),
                    recipient_organisation_id: recipient.as_deref(),
                    given,
                    recorded_on,
                    language,
                    recorded_by: &recorded_by,
                },
            )
        })
        .await
        .map_err(|error| ApiFailure::from_store(&t, "consent record failed", error))?;
    records::audit(
        &state,
        &api_user,
        "case.consent.create",
        Outcome::Success,
        ("case", &case_id),
        json!({
            "consent": consent_id,
            "purpose": purpose.as_str(),
            "recipient_organisation": parsed.recipient_organisation_id,
            "given": given,
        }),
    )
    .await?;

    Ok(records::created(&consents_location(&case_id), consent_id))
}

#[utoipa::path(
    post,
    path = "/api/v1/cases/{id}/consents/{consent_id}/withdraw",
    params(
        ("id" = String, Path, description = "Case id"),
        ("consent_id" = String, Path, description = "Consent id"),
    ),
    responses(
        (status = 200, description = "Withdrawn from today", body = WithdrawnConsent),
        (status = 401, description = "Missing, invalid, expired or revoked token", body = super::ApiError),
        (status = 403, description = "Only caseworkers and coordinators withdraw consents", body = records::ApiProblem),
        (status = 404, description = "No such case in scope, or no such consent of the case still in force", body = records::ApiProblem),
    ),
    security(("token" = []))
)]
pub async fn withdraw_consent(
    State(state): State<AppState>,
    api_user: ApiUser,
    Path((case_id, consent_id)): Path<(String, String)>,
) -> Result<Response, ApiFailure> {
    let t = translator(&api_user);
    open_case(&state, &api_user, &case_id, "case.consent.form").await?;
    if !may_manage_consents(api_user.role) {
        return Err(ApiFailure::forbidden(&t));
    }

    let (id, consent) = (case_id.clone(), consent_id.clone());
    let on = today();
    state
        .store
        .run(move |db| case_records::withdraw_consent(db, &id, &consent, on))
        .await
        .map_err(|error| ApiFailure::from_store(&t, "consent withdrawal failed", error))?;
    records::audit(
        &state,
        &api_user,
        "case.consent.withdraw",
        Outcome::Success,
        ("case", &case_id),
        json!({ "consent": consent_id }),
    )
    .await?;

    Ok(Json(WithdrawnConsent {
        id: consent_id,
        withdrawn_on: on,
    })
    .into_response())
}
