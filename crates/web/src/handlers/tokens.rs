//! The signed-in user's personal API tokens: `GET /account/tokens`,
//! `POST /account/tokens` (create) and `POST /account/tokens/{id}/revoke`.
//!
//! A new token is shown once, in the response to its creation, and only its
//! hash is stored. A user reaches only their own tokens: another user's
//! token id is answered with 404, as if it did not exist.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;
use procap_domain::role::Permission;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::{StoreError, tokens};
use serde::Deserialize;
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::render;
use crate::pages::{ApiTokensPage, FieldErrors, Notice, TokenForm, TokenRow, paths};
use crate::state::AppState;

/// Maximum length of a token name, in characters.
pub const MAX_NAME_CHARS: usize = 80;
/// Maximum validity of a token, in days.
pub const MAX_EXPIRY_DAYS: i64 = 365;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    revoked: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::UseApi)?;

    let mut page = tokens_page(&state, &user, TokenForm::default()).await?;
    if query.revoked.is_some() {
        page.ctx.notice = Some(Notice::success(page.ctx.t.t("tokens-revoked")));
    }
    render(&page)
}

#[derive(Debug, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    expires_in_days: String,
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<CreateForm>,
) -> Result<Response, WebError> {
    let t = crate::i18n::Translator::new(user.locale);
    let form = TokenForm {
        name: form.name.trim().to_owned(),
        expires_in_days: form.expires_in_days.trim().to_owned(),
    };
    let mut errors = FieldErrors::new();
    let name_chars = form.name.chars().count();
    if name_chars == 0 {
        errors.add("name", t.t("form-error-required"));
    } else if name_chars > MAX_NAME_CHARS {
        errors.add("name", t.t("form-error-token-name-length"));
    }
    let days = form
        .expires_in_days
        .parse::<i64>()
        .ok()
        .filter(|days| (1..=MAX_EXPIRY_DAYS).contains(days));
    if days.is_none() {
        errors.add("expires_in_days", t.t("form-error-expiry-days"));
    }

    user.require(Permission::UseApi)?;

    let (Some(days), true) = (days, errors.is_empty()) else {
        let mut page = tokens_page(&state, &user, form).await?;
        page.errors = errors;
        let mut response = render(&page)?;
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    };

    let (secret, hash) = procap_crypto::generate_api_token();
    let user_id = user.user.id.clone();
    let name = form.name.clone();
    let expires_at = procap_store::now() + Duration::days(days);
    let token = state
        .store
        .run(move |db| tokens::create(db, &user_id, &name, &hash, expires_at))
        .await?;
    let event = AuditEvent::new("token.create", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("api_token", &token.id)
        .details(json!({ "expires_in_days": days }));
    record(&state.store, event).await?;

    let mut page = tokens_page(&state, &user, TokenForm::default()).await?;
    page.new_token = Some(secret);
    render(&page)
}

pub async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    user.require(Permission::UseApi)?;

    let user_id = user.user.id.clone();
    let token_id = id.clone();
    let revoked = match state
        .store
        .run(move |db| tokens::revoke(db, &user_id, &token_id))
        .await
    {
        Ok(()) => true,
        Err(StoreError::NotFound) => false,
        Err(other) => return Err(other.into()),
    };

    // The id comes from the URL, so a long one is cut before it reaches the log.
    let object_id: String = id.chars().take(64).collect();
    let (outcome, details) = if revoked {
        (Outcome::Success, json!({}))
    } else {
        (
            Outcome::Failure,
            json!({ "reason": "not_found_or_not_owned" }),
        )
    };
    let event = AuditEvent::new("token.revoke", outcome)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("api_token", &object_id)
        .details(details);
    record(&state.store, event).await?;

    if !revoked {
        tracing::warn!(user_id = %user.user.id, token_id = %object_id, "token to revoke not found among the user's tokens");
        return Err(WebError::NotFound);
    }
    Ok(Redirect::to(&format!("{}?revoked=1", paths::ACCOUNT_TOKENS)).into_response())
}

/// Builds the tokens page with the user's active tokens and `form` in the
/// create form.
async fn tokens_page(
    state: &AppState,
    user: &CurrentUser,
    form: TokenForm,
) -> Result<ApiTokensPage, WebError> {
    let user_id = user.user.id.clone();
    let rows = state
        .store
        .run(move |db| tokens::list_for_user(db, &user_id))
        .await?
        .into_iter()
        .map(|token| TokenRow {
            id: token.id,
            name: token.name,
            created_at: token.created_at,
            expires_at: token.expires_at,
            last_used_at: token.last_used_at,
        })
        .collect();
    Ok(ApiTokensPage {
        ctx: user.page(paths::ACCOUNT_TOKENS),
        tokens: rows,
        form,
        errors: FieldErrors::new(),
        new_token: None,
    })
}
