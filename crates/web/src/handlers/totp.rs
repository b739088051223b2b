//! TOTP second factor: enrolment (`/account/totp`), the login step
//! (`/login/totp`) and recovery codes.
//!
//! Codes are RFC 6238 (SHA-1, 6 digits, 30-second steps), accepted one step
//! either side of now for clock drift; an accepted step cannot be used again.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::users;
use serde::Deserialize;
use serde_json::json;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::audit::record;
use crate::auth::{self, PendingUser, SESSION_PENDING_TOTP, Stage};
use crate::error::WebError;
use crate::handlers::login::advance_session;
use crate::handlers::render;
use crate::pages::{
    FieldErrors, PageContext, RecoveryCodesPage, TotpEnrolPage, TotpVerifyPage, paths,
};
use crate::state::AppState;

const ISSUER: &str = "Procap";
const RECOVERY_CODE_COUNT: usize = 10;
const STEP_SECONDS: u64 = 30;

fn totp_for(secret: &[u8], account: &str) -> Result<TOTP, WebError> {
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECONDS,
        secret.to_vec(),
        Some(ISSUER.to_owned()),
        account.to_owned(),
    )
    .map_err(|error| WebError::Internal(anyhow::anyhow!("totp: {error}")))
}

/// The time step whose code matches, if any, within one step of now.
fn matching_step(totp: &TOTP, code: &str) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    let current = now / STEP_SECONDS;
    [current.saturating_sub(1), current, current + 1]
        .into_iter()
        .find(|step| {
            procap_crypto::constant_time_eq(
                totp.generate(step * STEP_SECONDS).as_bytes(),
                code.as_bytes(),
            )
        })
        .map(|step| step as i64)
}

fn session_error(error: tower_sessions::session::Error) -> WebError {
    WebError::Internal(anyhow::anyhow!("session store: {error}"))
}

/// Enrolment is open to a session at the enrolment step, or to a fully
/// signed-in user replacing their second factor.
fn may_enrol(pending: &PendingUser) -> bool {
    matches!(pending.stage, Stage::TotpEnrol | Stage::Full)
}

fn page_context(pending: &PendingUser, path: &str) -> PageContext {
    if pending.stage == Stage::Full {
        PageContext::for_user(
            pending.locale,
            crate::pages::NavUser {
                username: pending.user.username.clone(),
                display_name: pending.user.display_name.clone(),
                role: pending.role,
            },
            path,
        )
    } else {
        PageContext::anonymous(pending.locale, path)
    }
}

async fn enrol_page(pending: &PendingUser, errors: FieldErrors) -> Result<Response, WebError> {
    let secret_b32: Option<String> = pending
        .session
        .get(SESSION_PENDING_TOTP)
        .await
        .map_err(session_error)?;
    let secret_b32 = match secret_b32 {
        Some(secret) => secret,
        None => {
            let secret = Secret::generate_secret().to_encoded().to_string();
            pending
                .session
                .insert(SESSION_PENDING_TOTP, &secret)
                .await
                .map_err(session_error)?;
            secret
        }
    };
    let bytes = Secret::Encoded(secret_b32.clone())
        .to_bytes()
        .map_err(|error| WebError::Internal(anyhow::anyhow!("totp secret: {error:?}")))?;
    let totp = totp_for(&bytes, &pending.user.username)?;
    let qr_svg = qr_svg(&totp.get_url())?;
    let page = TotpEnrolPage {
        ctx: page_context(pending, paths::ACCOUNT_TOTP),
        qr_svg,
        secret: secret_b32,
        errors,
    };
    render(&page)
}

fn qr_svg(data: &str) -> Result<String, WebError> {
    let code = qrcode::QrCode::new(data.as_bytes())
        .map_err(|error| WebError::Internal(anyhow::anyhow!("qr: {error}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    // Drop the XML declaration: the SVG is embedded in HTML.
    Ok(svg
        .find("<svg")
        .map_or(svg.clone(), |start| svg[start..].to_owned()))
}

pub async fn enrol_show(pending: PendingUser) -> Result<Response, WebError> {
    if !may_enrol(&pending) {
        return Ok(Redirect::to(pending.stage.path()).into_response());
    }
    enrol_page(&pending, FieldErrors::new()).await
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    recovery_code: String,
}

pub async fn enrol_submit(
    State(state): State<AppState>,
    pending: PendingUser,
    Form(form): Form<CodeForm>,
) -> Result<Response, WebError> {
    if !may_enrol(&pending) {
        return Ok(Redirect::to(pending.stage.path()).into_response());
    }
    let secret_b32: Option<String> = pending
        .session
        .get(SESSION_PENDING_TOTP)
        .await
        .map_err(session_error)?;
    let Some(secret_b32) = secret_b32 else {
        return enrol_page(&pending, FieldErrors::new()).await;
    };
    let secret = Secret::Encoded(secret_b32)
        .to_bytes()
        .map_err(|error| WebError::Internal(anyhow::anyhow!("totp secret: {error:?}")))?;
    let totp = totp_for(&secret, &pending.user.username)?;
    let Some(step) = matching_step(&totp, &form.code) else {
        let mut errors = FieldErrors::new();
        errors.add("code", pending.locale_t("totp-error-invalid"));
        return enrol_page(&pending, errors).await;
    };

    let codes = procap_crypto::generate_recovery_codes(RECOVERY_CODE_COUNT);
    let hashes: Vec<String> = codes
        .iter()
        .map(|code| procap_crypto::hash_secret(code))
        .collect();
    let user_id = pending.user.id.clone();
    state
        .store
        .run(move |db| {
            users::set_pending_totp_secret(db, &user_id, &secret)?;
            users::enable_totp(db, &user_id)?;
            users::accept_totp_step(db, &user_id, step)?;
            users::replace_recovery_codes(db, &user_id, &hashes)
        })
        .await?;
    pending
        .session
        .remove::<String>(SESSION_PENDING_TOTP)
        .await
        .map_err(session_error)?;
    let event = AuditEvent::new("auth.totp_enrol", Outcome::Success)
        .actor(&pending.user.id, &pending.user.username)
        .object("user", &pending.user.id)
        .details(json!({ "recovery_codes": RECOVERY_CODE_COUNT }));
    record(&state.store, event).await?;

    if pending.stage != Stage::Full {
        advance_session(&pending.session, Stage::Full).await?;
    }
    let mut ctx = page_context(&pending, paths::ACCOUNT_TOTP);
    if pending.stage != Stage::Full {
        ctx = PageContext::anonymous(pending.locale, paths::ACCOUNT_TOTP);
    }
    let page = RecoveryCodesPage {
        ctx,
        codes,
        continue_href: paths::HOME.to_owned(),
    };
    render(&page)
}

pub async fn verify_show(
    State(state): State<AppState>,
    pending: PendingUser,
) -> Result<Response, WebError> {
    if pending.stage != Stage::TotpVerify {
        return Ok(Redirect::to(pending.stage.path()).into_response());
    }
    let user_id = pending.user.id.clone();
    let has_passkey = state
        .store
        .run(move |db| Ok(!users::list_passkeys(db, &user_id)?.is_empty()))
        .await?;
    let page = TotpVerifyPage {
        ctx: PageContext::anonymous(pending.locale, paths::LOGIN_TOTP),
        errors: FieldErrors::new(),
        show_recovery: false,
        totp_enabled: pending.user.totp_enabled,
        has_passkey,
    };
    render(&page)
}

pub async fn verify_submit(
    State(state): State<AppState>,
    pending: PendingUser,
    Form(form): Form<CodeForm>,
) -> Result<Response, WebError> {
    if pending.stage != Stage::TotpVerify {
        return Ok(Redirect::to(pending.stage.path()).into_response());
    }
    let user = pending.user.clone();
    let code = form.code.clone();
    let recovery = form.recovery_code.trim().to_lowercase();
    let method = if recovery.is_empty() {
        "totp"
    } else {
        "recovery_code"
    };
    let accepted = state
        .store
        .run(move |db| {
            if !recovery.is_empty() {
                return users::consume_recovery_code(
                    db,
                    &user.id,
                    &procap_crypto::hash_secret(&recovery),
                );
            }
            let Some(secret) = users::totp_secret(db, &user)? else {
                return Ok(false);
            };
            let totp = TOTP::new(
                Algorithm::SHA1,
                6,
                1,
                STEP_SECONDS,
                secret.to_vec(),
                Some(ISSUER.to_owned()),
                user.username.clone(),
            )
            .map_err(|error| procap_store::StoreError::Corrupt(format!("totp: {error}")))?;
            match matching_step(&totp, &code) {
                Some(step) => users::accept_totp_step(db, &user.id, step),
                None => Ok(false),
            }
        })
        .await?;

    if !accepted {
        let user_id = pending.user.id.clone();
        let locked = state
            .store
            .run(move |db| users::record_login_failure(db, &user_id))
            .await?;
        let event = AuditEvent::new("auth.second_factor", Outcome::Failure)
            .actor(&pending.user.id, &pending.user.username)
            .details(json!({ "method": method }));
        record(&state.store, event).await?;
        if locked {
            pending.session.flush().await.map_err(session_error)?;
            return Ok(Redirect::to(paths::LOGIN).into_response());
        }
        let mut errors = FieldErrors::new();
        errors.add(
            if method == "totp" {
                "code"
            } else {
                "recovery_code"
            },
            pending.locale_t("totp-error-invalid"),
        );
        let user_id = pending.user.id.clone();
        let has_passkey = state
            .store
            .run(move |db| Ok(!users::list_passkeys(db, &user_id)?.is_empty()))
            .await?;
        let page = TotpVerifyPage {
            ctx: PageContext::anonymous(pending.locale, paths::LOGIN_TOTP),
            errors,
            show_recovery: method == "recovery_code",
            totp_enabled: pending.user.totp_enabled,
            has_passkey,
        };
        let mut response = render(&page)?;
        *response.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
        return Ok(response);
    }

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
        .details(json!({ "method": method }));
    record(&state.store, event).await?;
    Ok(Redirect::to(stage.path()).into_response())
}

impl PendingUser {
    /// Translates `key` in the user's language.
    pub fn locale_t(&self, key: &str) -> String {
        crate::i18n::Translator::new(self.locale).t(key)
    }
}
