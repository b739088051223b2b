//! Procap's HTTP layer: routes, handlers, templates, i18n, middleware and
//! static files. [`router`] builds the whole application; [`serve`] runs it.

pub mod api;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod error;
pub mod handlers;
pub mod i18n;
pub mod middleware;
pub mod pages;
pub mod state;
pub mod webauthn;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use procap_store::Store;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::handlers::{
    account, admin, audit_log, cases, health, home, locale, login, passkeys, tokens, totp,
};
pub use crate::state::{AppState, WebConfig};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "procap_session";

/// Builds the application with every route and middleware.
pub fn router(store: Store, config: WebConfig) -> anyhow::Result<Router> {
    let state = AppState {
        store: store.clone(),
        config: Arc::new(config.clone()),
    };

    let idle =
        time::Duration::seconds(i64::try_from(config.session_idle.as_secs()).unwrap_or(i64::MAX));
    let sessions = SessionManagerLayer::new(auth::session_store::DbSessionStore::new(store))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_secure(config.https)
        .with_expiry(Expiry::OnInactivity(idle))
        // Saving on every request moves the idle deadline forward in the
        // database, not only in the cookie.
        .with_always_save(true);

    let pages = Router::new()
        .route("/", get(home::home))
        .route("/login", get(login::show).post(login::submit))
        .route(
            "/login/totp",
            get(totp::verify_show).post(totp::verify_submit),
        )
        .route("/logout", post(login::logout))
        .route("/locale", post(locale::switch))
        .route("/account", get(account::overview))
        .route(
            "/account/password",
            get(account::password_show).post(account::password_submit),
        )
        .route(
            "/account/totp",
            get(totp::enrol_show).post(totp::enrol_submit),
        )
        .route("/account/tokens", get(tokens::list).post(tokens::create))
        .route("/account/tokens/{id}/revoke", post(tokens::revoke))
        .route("/audit", get(audit_log::show))
        .route("/account/passkeys", get(passkeys::list))
        .route(
            "/account/passkeys/register/start",
            post(passkeys::register_start),
        )
        .route(
            "/account/passkeys/register/finish",
            post(passkeys::register_finish),
        )
        .route("/account/passkeys/{id}/remove", post(passkeys::remove))
        .route("/login/passkey/start", post(passkeys::login_start))
        .route("/login/passkey/finish", post(passkeys::login_finish))
        .route(
            "/admin/users",
            get(admin::list_users).post(admin::create_user),
        )
        .route("/admin/users/new", get(admin::new_user))
        .route("/admin/users/{id}/{action}", post(admin::user_action))
        .route(
            "/admin/organisations",
            get(admin::list_organisations).post(admin::create_organisation),
        )
        .route("/admin/sessions", get(admin::list_sessions))
        .route("/admin/sessions/{id}/end", post(admin::end_session))
        .route("/cases", get(cases::list))
        .route("/cases/new", get(cases::new_form).post(cases::create))
        .route("/cases/{id}", get(cases::show))
        .layer(sessions);

    let app = Router::new()
        .merge(pages)
        .merge(api::routes())
        .route("/healthz", get(health::healthz))
        .merge(assets::routes())
        .fallback(not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::max(config.body_limit_bytes))
        .layer(RequestBodyLimitLayer::new(config.body_limit_bytes))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ));

    let security = middleware::SecurityConfig {
        https: config.https,
        allowed_origins: vec![config.public_origin.clone()],
    };
    Ok(middleware::apply(app, &security)?)
}

async fn not_found() -> error::WebError {
    error::WebError::NotFound
}

/// Serves `app` on `listener` until `shutdown` completes, then lets running
/// requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
