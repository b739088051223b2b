//! `GET /login`, `POST /login` and `POST /logout`.
//!
//! A failed login always gets the same message, whether the username exists,
//! the password is wrong, the account is disabled or locked, so the page
//! never reveals which accounts exist. Unknown usernames cost the same
//! Argon2 work as wrong passwords.

use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use procap_domain::account::Username;
use procap_domain::locale::Locale;
use procap_domain::role::Role;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::{throttle, users};
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;
use tower_sessions::Session;

use crate::audit::record;
use crate::auth::{
    self, SESSION_CLIENT_IP, SESSION_LOGIN_AT, SESSION_STAGE, SESSION_USER_ID, Stage,
};
use crate::error::WebError;
use crate::handlers::render;
use crate::middleware::{CurrentLocale, locale_cookie};
use crate::pages::{LoginPage, PageContext, paths};
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    expired: Option<String>,
    #[serde(default)]
    logged_out: Option<String>,
}

pub async fn show(
    CurrentLocale(locale): CurrentLocale,
    Query(query): Query<LoginQuery>,
) -> Result<Response, WebError> {
    let mut page = LoginPage::new(PageContext::anonymous(locale, paths::LOGIN));
    if query.expired.is_some() {
        page.info = Some(page.ctx.t.t("login-session-expired"));
    } else if query.logged_out.is_some() {
        page.info = Some(page.ctx.t.t("login-logged-out"));
    }
    render(&page)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

fn failed_page(locale: Locale, username: &str, message_key: &str) -> Result<Response, WebError> {
    let mut page = LoginPage::new(PageContext::anonymous(locale, paths::LOGIN));
    page.username = username.chars().take(64).collect();
    page.error = Some(page.ctx.t.t(message_key));
    let mut response = render(&page)?;
    *response.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
    Ok(response)
}

pub async fn submit(
    State(state): State<AppState>,
    CurrentLocale(locale): CurrentLocale,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Session,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let client_ip = peer.ip().to_string();

    let ip = client_ip.clone();
    let throttled = state
        .store
        .run(move |db| throttle::is_throttled(db, &ip, procap_store::now()))
        .await?;
    if throttled {
        let event = AuditEvent::new("auth.login", Outcome::Denied)
            .client_ip(Some(&client_ip))
            .details(json!({ "reason": "address_throttled" }));
        record(&state.store, event).await?;
        return failed_page(locale, &form.username, "login-error-rate-limited");
    }

    let user = match Username::parse(&form.username) {
        Ok(username) => {
            state
                .store
                .run(move |db| users::find_by_username(db, username.as_str()))
                .await?
        }
        Err(_) => None,
    };
    let password = form.password;
    let Some(user) = user else {
        crate::password::off_thread(move || procap_crypto::verify_dummy_password(&password))
            .await?;
        let ip = client_ip.clone();
        state
            .store
            .run(move |db| throttle::record_failure(db, &ip))
            .await?;
        let event = AuditEvent::new("auth.login", Outcome::Failure)
            .client_ip(Some(&client_ip))
            .details(json!({ "reason": "unknown_user" }));
        record(&state.store, event).await?;
        return failed_page(locale, &form.username, "login-error-invalid");
    };

    let now = procap_store::now();
    let hash = user.password_hash.clone();
    let password_ok =
        crate::password::off_thread(move || procap_crypto::verify_password(&hash, &password))
            .await?;
    let refusal = if user.disabled {
        Some("disabled")
    } else if user.is_locked(now) {
        Some("locked")
    } else if !password_ok {
        Some("wrong_password")
    } else {
        None
    };
    if let Some(reason) = refusal {
        let user_id = user.id.clone();
        let ip = client_ip.clone();
        let count_failure = reason == "wrong_password";
        let locked_now = state
            .store
            .run(move |db| {
                throttle::record_failure(db, &ip)?;
                if count_failure {
                    users::record_login_failure(db, &user_id)
                } else {
                    Ok(false)
                }
            })
            .await?;
        let event = AuditEvent::new("auth.login", Outcome::Failure)
            .actor(&user.id, &user.username)
            .client_ip(Some(&client_ip))
            .details(json!({ "reason": reason }));
        record(&state.store, event).await?;
        if locked_now {
            let event = AuditEvent::new("auth.lock", Outcome::Success)
                .object("user", &user.id)
                .client_ip(Some(&client_ip))
                .details(json!({ "minutes": users::LOCK_MINUTES }));
            record(&state.store, event).await?;
        }
        return failed_page(locale, &form.username, "login-error-invalid");
    }

    let role = Role::parse(&user.role)
        .ok_or_else(|| WebError::Internal(anyhow::anyhow!("unknown role")))?;
    let user_id = user.id.clone();
    let has_passkey = state
        .store
        .run(move |db| Ok(!users::list_passkeys(db, &user_id)?.is_empty()))
        .await?;
    let stage = auth::next_stage(&user, role, state.config.demo_mode, false, has_passkey);
    start_session(&session, &user.id, stage, &client_ip).await?;
    let user_id = user.id.clone();
    state
        .store
        .run(move |db| users::record_login_success(db, &user_id))
        .await?;
    let event = AuditEvent::new("auth.login", Outcome::Success)
        .actor(&user.id, &user.username)
        .client_ip(Some(&client_ip))
        .details(json!({ "next_step": stage.as_str() }));
    record(&state.store, event).await?;

    let user_locale = Locale::parse(&user.locale).unwrap_or_default();
    let cookie = locale_cookie(user_locale, state.config.https);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(stage.path())).into_response())
}

/// Gives the session a new id (so an id planted before login is worthless)
/// and stores the login.
async fn start_session(
    session: &Session,
    user_id: &str,
    stage: Stage,
    client_ip: &str,
) -> Result<(), WebError> {
    let failed = |error: tower_sessions::session::Error| {
        WebError::Internal(anyhow::anyhow!("session store: {error}"))
    };
    session.cycle_id().await.map_err(failed)?;
    session
        .insert(SESSION_USER_ID, user_id)
        .await
        .map_err(failed)?;
    session
        .insert(SESSION_STAGE, stage.as_str())
        .await
        .map_err(failed)?;
    session
        .insert(SESSION_LOGIN_AT, chrono::Utc::now().timestamp())
        .await
        .map_err(failed)?;
    session
        .insert(SESSION_CLIENT_IP, client_ip)
        .await
        .map_err(failed)?;
    Ok(())
}

/// Moves a session to the next login stage, with a new id when it becomes full.
pub async fn advance_session(session: &Session, stage: Stage) -> Result<(), WebError> {
    let failed = |error: tower_sessions::session::Error| {
        WebError::Internal(anyhow::anyhow!("session store: {error}"))
    };
    if stage == Stage::Full {
        session.cycle_id().await.map_err(failed)?;
    }
    session
        .insert(SESSION_STAGE, stage.as_str())
        .await
        .map_err(failed)?;
    Ok(())
}

pub async fn logout(State(state): State<AppState>, session: Session) -> Result<Response, WebError> {
    let failed = |error: tower_sessions::session::Error| {
        WebError::Internal(anyhow::anyhow!("session store: {error}"))
    };
    let user_id: Option<String> = session.get(SESSION_USER_ID).await.map_err(failed)?;
    let client_ip: Option<String> = session.get(SESSION_CLIENT_IP).await.map_err(failed)?;
    if let Some(user_id) = user_id {
        let event = AuditEvent::new("auth.logout", Outcome::Success)
            .object("user", &user_id)
            .client_ip(client_ip.as_deref())
            .details(json!({}));
        let event = AuditEvent {
            actor_user_id: Some(user_id),
            ..event
        };
        record(&state.store, event).await?;
    }
    session.flush().await.map_err(failed)?;
    Ok(Redirect::to("/login?logged_out=1").into_response())
}
