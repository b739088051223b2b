//! `GET /account` and the password change at `/account/password`.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use procap_domain::account::{MIN_PASSWORD_CHARS, check_new_password};
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::{sessions, tokens, users};
use serde::Deserialize;
use serde_json::json;

use crate::audit::record;
use crate::auth::{self, CurrentUser, PendingUser, Stage};
use crate::error::WebError;
use crate::handlers::login::advance_session;
use crate::handlers::render;
use crate::i18n::password_policy_message;
use crate::pages::{AccountPage, ChangePasswordPage, FieldErrors, NavUser, PageContext, paths};
use crate::state::AppState;

pub async fn overview(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    let user_id = user.user.id.clone();
    let (recovery_codes_left, passkey_count, token_count) = state
        .store
        .run(move |db| {
            let codes = users::unused_recovery_codes(db, &user_id)?;
            let passkeys = users::list_passkeys(db, &user_id)?.len() as i64;
            let tokens = tokens::list_for_user(db, &user_id)?.len() as i64;
            Ok((codes, passkeys, tokens))
        })
        .await?;
    let page = AccountPage {
        ctx: user.page(paths::ACCOUNT),
        totp_enabled: user.user.totp_enabled,
        recovery_codes_left,
        passkey_count,
        token_count,
    };
    render(&page)
}

fn password_context(pending: &PendingUser) -> PageContext {
    if pending.stage == Stage::Full {
        let nav = NavUser {
            username: pending.user.username.clone(),
            display_name: pending.user.display_name.clone(),
            role: pending.role,
        };
        PageContext::for_user(pending.locale, nav, paths::ACCOUNT_PASSWORD)
    } else {
        PageContext::anonymous(pending.locale, paths::ACCOUNT_PASSWORD)
    }
}

fn may_change_password(pending: &PendingUser) -> bool {
    matches!(pending.stage, Stage::PasswordChange | Stage::Full)
}

pub async fn password_show(pending: PendingUser) -> Result<Response, WebError> {
    if !may_change_password(&pending) {
        return Ok(Redirect::to(pending.stage.path()).into_response());
    }
    let page = ChangePasswordPage::new(
        password_context(&pending),
        pending.user.must_change_password,
    );
    render(&page)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

pub async fn password_submit(
    State(state): State<AppState>,
    pending: PendingUser,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    if !may_change_password(&pending) {
        return Ok(Redirect::to(pending.stage.path()).into_response());
    }
    let t = crate::i18n::Translator::new(pending.locale);
    let mut errors = FieldErrors::new();

    let hash = pending.user.password_hash.clone();
    let current = form.current_password.clone();
    let current_ok =
        crate::password::off_thread(move || procap_crypto::verify_password(&hash, &current))
            .await?;
    if !current_ok {
        errors.add("current_password", t.t("password-error-current-wrong"));
    }
    if let Err(policy) = check_new_password(&form.new_password, &pending.user.username) {
        errors.add("new_password", password_policy_message(t, policy));
    } else if form.new_password == form.current_password {
        errors.add("new_password", t.t("password-error-same-as-current"));
    }
    if form.new_password != form.confirm_password {
        errors.add("confirm_password", t.t("password-error-mismatch"));
    }
    if !errors.is_empty() {
        if !current_ok {
            let user_id = pending.user.id.clone();
            state
                .store
                .run(move |db| users::record_login_failure(db, &user_id).map(|_| ()))
                .await?;
        }
        let event = AuditEvent::new("auth.password_change", Outcome::Failure)
            .actor(&pending.user.id, &pending.user.username)
            .details(json!({ "current_password_ok": current_ok }));
        record(&state.store, event).await?;
        let mut page = ChangePasswordPage::new(
            password_context(&pending),
            pending.user.must_change_password,
        );
        page.errors = errors;
        page.min_length = MIN_PASSWORD_CHARS as i64;
        let mut response = render(&page)?;
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    }

    let new_password = form.new_password;
    let new_hash =
        crate::password::off_thread(move || procap_crypto::hash_password(&new_password)).await?;
    let user_id = pending.user.id.clone();
    state
        .store
        .run(move |db| {
            users::set_password(db, &user_id, &new_hash, false)?;
            // Other sessions end; this one is saved again at the end of the request.
            sessions::delete_for_user(db, &user_id)?;
            Ok(())
        })
        .await?;
    let event = AuditEvent::new("auth.password_change", Outcome::Success)
        .actor(&pending.user.id, &pending.user.username)
        .object("user", &pending.user.id)
        .details(json!({}));
    record(&state.store, event).await?;

    let mut user = pending.user.clone();
    user.must_change_password = false;
    let second_factor_done = pending.stage == Stage::Full;
    let user_id = user.id.clone();
    let has_passkey = state
        .store
        .run(move |db| Ok(!users::list_passkeys(db, &user_id)?.is_empty()))
        .await?;
    let stage = auth::next_stage(
        &user,
        pending.role,
        state.config.demo_mode,
        second_factor_done,
        has_passkey,
    );
    advance_session(&pending.session, stage).await?;
    Ok(Redirect::to(if stage == Stage::Full {
        paths::ACCOUNT
    } else {
        stage.path()
    })
    .into_response())
}
