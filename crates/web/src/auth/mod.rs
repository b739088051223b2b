//! Authentication: who is asking, and how far through the login they are.
//!
//! A login passes through stages kept in the session: after the password the
//! user may have to change it (`password_change`), enrol TOTP (`totp_enrol`)
//! or enter a code (`totp_verify`); only `full` reaches the application. The
//! [`CurrentUser`] extractor sends anyone short of `full` to their next step,
//! and enforces the absolute session timeout.

pub mod session_store;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use procap_domain::locale::Locale;
use procap_domain::role::{Permission, Role};
use procap_store::users::User;
use tower_sessions::Session;

use crate::error::WebError;
use crate::pages::{NavUser, PageContext, paths};
use crate::state::AppState;

pub const SESSION_USER_ID: &str = "user_id";
pub const SESSION_STAGE: &str = "stage";
pub const SESSION_LOGIN_AT: &str = "login_at";
pub const SESSION_CLIENT_IP: &str = "client_ip";
/// A TOTP secret being enrolled, base32, until the user confirms a code.
pub const SESSION_PENDING_TOTP: &str = "pending_totp";

/// How far through the login a session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    PasswordChange,
    TotpEnrol,
    TotpVerify,
    Full,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::PasswordChange => "password_change",
            Stage::TotpEnrol => "totp_enrol",
            Stage::TotpVerify => "totp_verify",
            Stage::Full => "full",
        }
    }

    pub fn parse(value: &str) -> Option<Stage> {
        [
            Stage::PasswordChange,
            Stage::TotpEnrol,
            Stage::TotpVerify,
            Stage::Full,
        ]
        .into_iter()
        .find(|stage| stage.as_str() == value)
    }

    /// Where a session at this stage must go next.
    pub fn path(self) -> &'static str {
        match self {
            Stage::PasswordChange => paths::ACCOUNT_PASSWORD,
            Stage::TotpEnrol => paths::ACCOUNT_TOTP,
            Stage::TotpVerify => paths::LOGIN_TOTP,
            Stage::Full => paths::HOME,
        }
    }
}

/// The next stage for `user` after a step is done: a forced password change
/// first, then a second factor for roles with case access (outside demo mode
/// unless they already enrolled one). A passkey counts as an enrolled second
/// factor.
pub fn next_stage(
    user: &User,
    role: Role,
    demo_mode: bool,
    second_factor_done: bool,
    has_passkey: bool,
) -> Stage {
    if user.must_change_password {
        return Stage::PasswordChange;
    }
    if second_factor_done {
        return Stage::Full;
    }
    if user.totp_enabled || has_passkey {
        return Stage::TotpVerify;
    }
    if role.has_case_access() && !demo_mode {
        return Stage::TotpEnrol;
    }
    Stage::Full
}

/// A signed-in user who completed every login stage.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    pub role: Role,
    pub locale: Locale,
    pub session: Session,
    pub client_ip: Option<String>,
}

impl CurrentUser {
    pub fn can(&self, permission: Permission) -> bool {
        self.role.can(permission)
    }

    /// Fails with 403 unless the user holds `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), WebError> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }

    pub fn nav_user(&self) -> NavUser {
        NavUser {
            username: self.user.username.clone(),
            display_name: self.user.display_name.clone(),
            role: self.role,
        }
    }

    /// The page context for this user on `path`.
    pub fn page(&self, path: &str) -> PageContext {
        PageContext::for_user(self.locale, self.nav_user(), path)
    }
}

/// A signed-in user part-way through the login (any stage).
#[derive(Debug, Clone)]
pub struct PendingUser {
    pub user: User,
    pub role: Role,
    pub stage: Stage,
    pub locale: Locale,
    pub session: Session,
}

/// Why a request has no usable login.
pub enum AuthRejection {
    /// Not signed in, or the session ended: go to the login page.
    Login {
        expired: bool,
    },
    /// Signed in but a login step remains.
    Step(Stage),
    Error(WebError),
}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        match self {
            AuthRejection::Login { expired: true } => {
                Redirect::to("/login?expired=1").into_response()
            }
            AuthRejection::Login { expired: false } => Redirect::to(paths::LOGIN).into_response(),
            AuthRejection::Step(stage) => Redirect::to(stage.path()).into_response(),
            AuthRejection::Error(error) => error.into_response(),
        }
    }
}

impl From<WebError> for AuthRejection {
    fn from(error: WebError) -> Self {
        AuthRejection::Error(error)
    }
}

/// Loads the session's user and stage, ending the session when it is past
/// its absolute timeout or the account was disabled.
async fn load_pending(parts: &mut Parts, state: &AppState) -> Result<PendingUser, AuthRejection> {
    let session = Session::from_request_parts(parts, state)
        .await
        .map_err(|_| WebError::Internal(anyhow::anyhow!("session layer missing")))?;
    let user_id: Option<String> = session.get(SESSION_USER_ID).await.map_err(session_error)?;
    let Some(user_id) = user_id else {
        return Err(AuthRejection::Login { expired: false });
    };

    let login_at: Option<i64> = session.get(SESSION_LOGIN_AT).await.map_err(session_error)?;
    let absolute = i64::try_from(state.config.session_absolute.as_secs()).unwrap_or(i64::MAX);
    let now = chrono::Utc::now().timestamp();
    if login_at.is_none_or(|at| now.saturating_sub(at) >= absolute) {
        session.flush().await.map_err(session_error)?;
        return Err(AuthRejection::Login { expired: true });
    }

    let user = state
        .store
        .run(move |db| procap_store::users::get(db, &user_id))
        .await
        .map_err(|error| match error {
            procap_store::StoreError::NotFound => AuthRejection::Login { expired: true },
            other => WebError::from(other).into(),
        });
    let user = match user {
        Ok(user) if !user.disabled => user,
        Ok(_) | Err(AuthRejection::Login { .. }) => {
            session.flush().await.map_err(session_error)?;
            return Err(AuthRejection::Login { expired: true });
        }
        Err(other) => return Err(other),
    };
    let Some(role) = Role::parse(&user.role) else {
        return Err(
            WebError::Internal(anyhow::anyhow!("user {} has unknown role", user.id)).into(),
        );
    };
    let stage: Option<String> = session.get(SESSION_STAGE).await.map_err(session_error)?;
    let stage = stage
        .as_deref()
        .and_then(Stage::parse)
        .unwrap_or(Stage::PasswordChange);
    let locale = Locale::parse(&user.locale).unwrap_or_default();
    Ok(PendingUser {
        user,
        role,
        stage,
        locale,
        session,
    })
}

fn session_error(error: tower_sessions::session::Error) -> AuthRejection {
    AuthRejection::Error(WebError::Internal(anyhow::anyhow!(
        "session store: {error}"
    )))
}

impl<S> FromRequestParts<S> for PendingUser
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        load_pending(parts, &state).await
    }
}

impl<S> FromRequestParts<S> for CurrentUser
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let pending = load_pending(parts, &state).await?;
        if pending.stage != Stage::Full {
            return Err(AuthRejection::Step(pending.stage));
        }
        crate::middleware::note_user_id(&pending.user.id);
        let client_ip = client_ip(parts);
        Ok(CurrentUser {
            user: pending.user,
            role: pending.role,
            locale: pending.locale,
            session: pending.session,
            client_ip,
        })
    }
}

/// The peer address of the connection (Procap does not trust forwarding
/// headers; put it behind a proxy that connects from a fixed address).
pub fn client_ip(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string())
}
