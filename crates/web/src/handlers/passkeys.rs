//! Passkeys (WebAuthn): the list and removal at `/account/passkeys`, the
//! JSON registration ceremony under `/account/passkeys/register/*` and the
//! JSON second-factor login under `/login/passkey/*`.
//!
//! Each ceremony keeps its state in the session between `start` and
//! `finish`; `finish` takes it out, so a challenge answers once. The JSON
//! endpoints are called by `procap.js` with a same-origin `fetch`, which
//! passes the origin check like a form does. Their errors are JSON
//! `{"error": "<message in the user's language>"}`.

use axum::Form;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::users::{self, Passkey as StoredPasskey};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;
use webauthn_rs::Webauthn;
use webauthn_rs::prelude::{
    Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential,
};

use crate::audit::record;
use crate::auth::{self, CurrentUser, PendingUser, Stage};
use crate::error::WebError;
use crate::handlers::login::advance_session;
use crate::handlers::render;
use crate::i18n::Translator;
use crate::pages::{ConfirmPage, FieldErrors, HiddenField, PasskeyRow, PasskeysPage, paths};
use crate::state::AppState;
use crate::webauthn::{
    SESSION_PASSKEY_AUTHENTICATION, SESSION_PASSKEY_REGISTRATION, credential_id_text,
    relying_party, user_handle,
};

/// Longest passkey name, in characters.
const NAME_MAX_CHARS: usize = 60;

/// A failed JSON call: status and a translated message.
#[derive(Debug)]
pub struct JsonError {
    status: StatusCode,
    message: String,
}

impl JsonError {
    fn new(status: StatusCode, t: &Translator, key: &str) -> Self {
        JsonError {
            status,
            message: t.t(key),
        }
    }
}

impl IntoResponse for JsonError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.message }))).into_response()
    }
}

impl From<WebError> for JsonError {
    fn from(error: WebError) -> Self {
        let status = match &error {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Forbidden | WebError::CsrfRejected => StatusCode::FORBIDDEN,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            _ => {
                tracing::error!(error = ?error, "passkey request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        JsonError {
            status,
            message: String::new(),
        }
    }
}

impl From<procap_store::StoreError> for JsonError {
    fn from(error: procap_store::StoreError) -> Self {
        JsonError::from(WebError::from(error))
    }
}

fn session_error(error: tower_sessions::session::Error) -> WebError {
    WebError::Internal(anyhow::anyhow!("session store: {error}"))
}

/// The relying party, or 503 when the public origin cannot have one.
fn rp(state: &AppState, t: &Translator) -> Result<Webauthn, JsonError> {
    relying_party(&state.config.public_origin).map_err(|error| {
        tracing::warn!(%error, "passkeys unavailable");
        JsonError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            t,
            "passkeys-error-unavailable",
        )
    })
}

/// Parses a stored credential; a row that does not parse is skipped with a
/// log line rather than locking the user out of their other passkeys.
fn parse_stored(row: &StoredPasskey) -> Option<Passkey> {
    match serde_json::from_str(&row.credential) {
        Ok(passkey) => Some(passkey),
        Err(error) => {
            tracing::error!(passkey_id = %row.id, %error, "stored passkey does not parse");
            None
        }
    }
}

async fn take_state<T: serde::de::DeserializeOwned>(
    session: &Session,
    key: &str,
) -> Result<Option<T>, WebError> {
    session.remove::<T>(key).await.map_err(session_error)
}

// --- The list and removal --------------------------------------------------

pub async fn list(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Response, WebError> {
    let user_id = current.user.id.clone();
    let rows = state
        .store
        .run(move |db| users::list_passkeys(db, &user_id))
        .await?;

    let passkeys = rows
        .into_iter()
        .map(|row| PasskeyRow {
            id: row.id,
            name: row.name,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
        })
        .collect();
    let available = relying_party(&state.config.public_origin).is_ok();
    render(&PasskeysPage {
        ctx: current.page(paths::ACCOUNT_PASSKEYS),
        passkeys,
        errors: FieldErrors::new(),
        available,
    })
}

#[derive(Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    confirmed: String,
}

/// Without `confirmed=yes` asks first; then removes the passkey. Another
/// user's passkey, or one that does not exist, is a 404 either way.
pub async fn remove(
    State(state): State<AppState>,
    current: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<RemoveForm>,
) -> Result<Response, WebError> {
    let user_id = current.user.id.clone();
    let lookup = id.clone();
    let passkey = state
        .store
        .run(move |db| users::list_passkeys(db, &user_id))
        .await?
        .into_iter()
        .find(|passkey| passkey.id == lookup)
        .ok_or(WebError::NotFound)?;

    if form.confirmed != "yes" {
        let ctx = current.page(paths::ACCOUNT_PASSKEYS);
        let page = ConfirmPage {
            title: ctx.t.t("passkeys-remove-title"),
            message: ctx
                .t
                .t1("passkeys-remove-confirm", "name", passkey.name.as_str()),
            action: PasskeyRow {
                id: passkey.id.clone(),
                name: passkey.name.clone(),
                created_at: passkey.created_at,
                last_used_at: passkey.last_used_at,
            }
            .remove_href(),
            hidden: vec![HiddenField {
                name: "confirmed".to_owned(),
                value: "yes".to_owned(),
            }],
            confirm_label: ctx.t.t("passkeys-remove"),
            cancel_href: paths::ACCOUNT_PASSKEYS.to_owned(),
            destructive: true,
            ctx,
        };
        return render(&page);
    }

    let user_id = current.user.id.clone();
    let passkey_id = passkey.id.clone();
    state
        .store
        .run(move |db| users::remove_passkey(db, &user_id, &passkey_id))
        .await?;
    let event = AuditEvent::new("auth.passkey_remove", Outcome::Success)
        .actor(&current.user.id, &current.user.username)
        .object("passkey", &passkey.id)
        .details(json!({ "name": passkey.name }));
    record(&state.store, event).await?;
    Ok(Redirect::to(paths::ACCOUNT_PASSKEYS).into_response())
}

// --- Registration ----------------------------------------------------------

/// Starts registering a passkey and returns the `CreationChallengeResponse` JSON for
/// `navigator.credentials.create`. The user's existing passkeys are
/// excluded, so one authenticator is not registered twice.
pub async fn register_start(
    State(state): State<AppState>,
    current: CurrentUser,
) -> Result<Response, JsonError> {
    let t = Translator::new(current.locale);
    let rp = rp(&state, &t)?;
    let user_id = current.user.id.clone();
    let existing = state
        .store
        .run(move |db| users::list_passkeys(db, &user_id))
        .await?;
    let exclude = existing
        .iter()
        .filter_map(parse_stored)
        .map(|passkey| passkey.cred_id().clone())
        .collect();

    let display_name = if current.user.display_name.trim().is_empty() {
        current.user.username.as_str()
    } else {
        current.user.display_name.as_str()
    };
    let (challenge, registration) = rp
        .start_passkey_registration(
            user_handle(&current.user.id),
            &current.user.username,
            display_name,
            Some(exclude),
        )
        .map_err(|error| {
            WebError::Internal(anyhow::anyhow!("passkey registration start: {error}"))
        })?;
    current
        .session
        .insert(SESSION_PASSKEY_REGISTRATION, &registration)
        .await
        .map_err(session_error)?;
    Ok(Json(challenge).into_response())
}

#[derive(Deserialize)]
pub struct RegisterFinish {
    #[serde(default)]
    name: String,
    credential: RegisterPublicKeyCredential,
}

/// Finishes a registration: the body is `{"name": …, "credential": …}`
/// with the browser's answer. A body that does not parse, a missing or
/// used challenge, or an answer that fails verification is a 400 and stores
/// nothing. Success returns `{"redirect": "/account/passkeys"}`.
pub async fn register_finish(
    State(state): State<AppState>,
    current: CurrentUser,
    body: Bytes,
) -> Result<Response, JsonError> {
    let t = Translator::new(current.locale);
    let bad = |key: &str| JsonError::new(StatusCode::BAD_REQUEST, &t, key);
    let rp = rp(&state, &t)?;
    let registration: Option<PasskeyRegistration> =
        take_state(&current.session, SESSION_PASSKEY_REGISTRATION).await?;
    let request: RegisterFinish = serde_json::from_slice(&body).map_err(|error| {
        tracing::info!(user_id = %current.user.id, %error, "invalid passkey registration body");
        bad("passkeys-error-failed")
    })?;
    let name = request.name.trim();
    let name = if name.is_empty() {
        t.t("passkeys-default-name")
    } else {
        name.to_owned()
    };
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(bad("passkeys-error-name-long"));
    }
    let Some(registration) = registration else {
        return Err(bad("passkeys-error-expired"));
    };

    let passkey = rp
        .finish_passkey_registration(&request.credential, &registration)
        .map_err(|error| {
            tracing::info!(%error, "passkey registration refused");
            bad("passkeys-error-failed")
        })?;
    let credential_id = credential_id_text(passkey.cred_id());
    let credential = serde_json::to_string(&passkey)
        .map_err(|error| WebError::Internal(anyhow::anyhow!("serialise passkey: {error}")))?;
    let user_id = current.user.id.clone();
    let store_name = name.clone();
    let stored = state
        .store
        .run(move |db| users::add_passkey(db, &user_id, &store_name, &credential_id, &credential))
        .await
        // The only expected failure is the unique credential id: the
        // authenticator is already registered (to this or another account).
        .map_err(|error| {
            tracing::info!(%error, "passkey not stored");
            bad("passkeys-error-failed")
        })?;

    let event = AuditEvent::new("auth.passkey_add", Outcome::Success)
        .actor(&current.user.id, &current.user.username)
        .object("passkey", &stored.id)
        .details(json!({ "name": name }));
    record(&state.store, event).await?;
    Ok(Json(json!({ "redirect": paths::ACCOUNT_PASSKEYS })).into_response())
}

// --- Second-factor login ---------------------------------------------------

/// Starts a passkey login at the second-factor step and returns the
/// `RequestChallengeResponse` JSON for `navigator.credentials.get`, allowing
/// any of the user's passkeys. 400 when the session is at another step or
/// the user has no passkey.
pub async fn login_start(
    State(state): State<AppState>,
    pending: PendingUser,
) -> Result<Response, JsonError> {
    let t = Translator::new(pending.locale);
    if pending.stage != Stage::TotpVerify {
        return Err(JsonError::new(
            StatusCode::BAD_REQUEST,
            &t,
            "passkeys-error-expired",
        ));
    }
    let rp = rp(&state, &t)?;
    let user_id = pending.user.id.clone();
    let stored = state
        .store
        .run(move |db| users::list_passkeys(db, &user_id))
        .await?;
    let passkeys: Vec<Passkey> = stored.iter().filter_map(parse_stored).collect();
    if passkeys.is_empty() {
        return Err(JsonError::new(
            StatusCode::BAD_REQUEST,
            &t,
            "passkeys-error-none",
        ));
    }

    let (challenge, authentication) =
        rp.start_passkey_authentication(&passkeys)
            .map_err(|error| {
                WebError::Internal(anyhow::anyhow!("passkey authentication start: {error}"))
            })?;
    pending
        .session
        .insert(SESSION_PASSKEY_AUTHENTICATION, &authentication)
        .await
        .map_err(session_error)?;
    Ok(Json(challenge).into_response())
}

/// Finishes a passkey login: the body is the browser's
/// `PublicKeyCredential` JSON. Success updates the passkey's counter and
/// last use, advances the session as a TOTP code does and returns
/// `{"redirect": <next step>}`. A failure counts towards the account lock
/// like a wrong code; a locked account's session ends (`{"redirect":
/// "/login"}` with 401).
pub async fn login_finish(
    State(state): State<AppState>,
    pending: PendingUser,
    body: Bytes,
) -> Result<Response, JsonError> {
    let t = Translator::new(pending.locale);
    let bad = |key: &str| JsonError::new(StatusCode::BAD_REQUEST, &t, key);
    if pending.stage != Stage::TotpVerify {
        return Err(bad("passkeys-error-expired"));
    }
    let rp = rp(&state, &t)?;
    let authentication: Option<PasskeyAuthentication> =
        take_state(&pending.session, SESSION_PASSKEY_AUTHENTICATION).await?;
    let Some(authentication) = authentication else {
        return Err(bad("passkeys-error-expired"));
    };
    let credential: Option<PublicKeyCredential> = serde_json::from_slice(&body).ok();

    let result = credential.and_then(|credential| {
        rp.finish_passkey_authentication(&credential, &authentication)
            .map_err(|error| tracing::info!(%error, "passkey login refused"))
            .ok()
    });
    let Some(result) = result else {
        return login_failed(&state, &pending, &t).await;
    };

    let user_id = pending.user.id.clone();
    let credential_id = credential_id_text(result.cred_id());
    let updated = state
        .store
        .run(move |db| {
            let stored = users::list_passkeys(db, &user_id)?;
            let Some(row) = stored.iter().find(|row| row.credential_id == credential_id) else {
                return Ok(None);
            };
            let Some(mut passkey) = parse_stored(row) else {
                return Ok(None);
            };
            passkey.update_credential(&result);
            let credential = serde_json::to_string(&passkey).map_err(|error| {
                procap_store::StoreError::Corrupt(format!("serialise passkey: {error}"))
            })?;
            users::update_passkey(db, &row.id, &credential)?;
            Ok(Some(row.id.clone()))
        })
        .await?;
    // The challenge allowed only this user's passkeys, so a verified answer
    // names one of them; a miss means it was removed meanwhile.
    let Some(passkey_id) = updated else {
        return login_failed(&state, &pending, &t).await;
    };

    let stage = auth::next_stage(
        &pending.user,
        pending.role,
        state.config.demo_mode,
        true,
        false,
    );
    advance_session(&pending.session, stage).await?;
    let event = AuditEvent::new("auth.second_factor", Outcome::Success)
        .actor(&pending.user.id, &pending.user.username)
        .object("passkey", &passkey_id)
        .details(json!({ "method": "passkey" }));
    record(&state.store, event).await?;
    Ok(Json(json!({ "redirect": stage.path() })).into_response())
}

async fn login_failed(
    state: &AppState,
    pending: &PendingUser,
    t: &Translator,
) -> Result<Response, JsonError> {
    let user_id = pending.user.id.clone();
    let locked = state
        .store
        .run(move |db| users::record_login_failure(db, &user_id))
        .await?;
    let event = AuditEvent::new("auth.second_factor", Outcome::Failure)
        .actor(&pending.user.id, &pending.user.username)
        .details(json!({ "method": "passkey" }));
    record(&state.store, event).await?;
    if locked {
        pending.session.flush().await.map_err(session_error)?;
        let body = json!({ "error": t.t("passkeys-error-failed"), "redirect": paths::LOGIN });
        return Ok((StatusCode::UNAUTHORIZED, Json(body)).into_response());
    }
    Err(JsonError::new(
        StatusCode::BAD_REQUEST,
        t,
        "passkeys-error-failed",
    ))
}
