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
pub mod password;
pub mod routes;
pub mod state;
pub mod webauthn;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use procap_store::Store;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::handlers::{
    account, admin, audit_log, cases, health, home, locale, login, passkeys, tokens, totp,
};
pub use crate::routes::RouteEntry;
use crate::routes::{Routes, get, post};
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

    let mut app = Router::new();
    for (group, routes) in groups() {
        let routes = routes.into_router();
        let routes = match group {
            Group::Pages => limited(routes.layer(sessions.clone()), config.body_limit_bytes),
            Group::Stateless => limited(routes, config.body_limit_bytes),
            // Attachment uploads carry their own, larger body limit.
            Group::Uploads => {
                limited(routes, config.attachments.body_limit()).layer(sessions.clone())
            }
            // HTCDS imports carry a file larger than the general limit; see
            // `handlers::case_import::MAX_IMPORT_BYTES`.
            Group::Imports => {
                limited(routes, handlers::case_import::IMPORT_BODY_LIMIT).layer(sessions.clone())
            }
            // SCORM packages carry their own limit; see
            // `handlers::training_scorm::upload_body_limit`.
            Group::ScormUploads => limited(routes, handlers::training_scorm::upload_body_limit())
                .layer(sessions.clone()),
            // Lesson files and rosters carry their own limit; see
            // `handlers::training_courses::UPLOAD_BODY_LIMIT`.
            Group::CourseUploads => limited(routes, handlers::training_courses::UPLOAD_BODY_LIMIT)
                .layer(sessions.clone()),
        };
        app = app.merge(routes);
    }
    let app = app
        .fallback(not_found)
        .with_state(state)
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

/// Every (method, path pattern) the application routes, in declaration
/// order. The router serves exactly these: both are built from [`groups`].
pub fn route_table() -> Vec<RouteEntry> {
    groups()
        .into_iter()
        .flat_map(|(_, routes)| routes.table().to_vec())
        .collect()
}

/// A group of routes that shares its layers.
#[derive(Debug, Clone, Copy)]
enum Group {
    /// Pages: the session layer and the general body limit.
    Pages,
    /// API, health, public verification and static files: the general body
    /// limit, no session.
    Stateless,
    /// Case attachment and consent form uploads.
    Uploads,
    /// HTCDS imports.
    Imports,
    /// SCORM packages.
    ScormUploads,
    /// Lesson files and rosters.
    CourseUploads,
}

/// Every route of the application, by group.
fn groups() -> Vec<(Group, Routes)> {
    vec![
        (Group::Pages, pages()),
        (Group::Stateless, stateless()),
        (Group::Uploads, uploads()),
        (Group::Imports, imports()),
        (Group::ScormUploads, scorm_uploads()),
        (
            Group::CourseUploads,
            handlers::training_courses::upload_routes(),
        ),
    ]
}

/// Limits request bodies of `routes` to `limit` bytes.
fn limited(routes: Router<AppState>, limit: usize) -> Router<AppState> {
    routes
        .layer(DefaultBodyLimit::max(limit))
        .layer(RequestBodyLimitLayer::new(limit))
        .layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                drain_oversized(limit, request, next)
            },
        ))
}

/// Maximum bytes of an oversized body read and discarded before the 413 response.
const DRAIN_LIMIT: u64 = 64 * 1024 * 1024;
/// Maximum time spent reading an oversized body before the 413 response.
const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(10);

/// Reads and discards the body of a request whose Content-Length exceeds
/// `limit` (up to [`DRAIN_LIMIT`] bytes and [`DRAIN_TIME`]), then passes the
/// request to the limit layers, which return 413. Returning 413 with the
/// body unread closed the connection under the client's write, so a browser
/// showed a reset connection instead of the error page.
async fn drain_oversized(
    limit: usize,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use http_body_util::BodyExt;

    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    let limit = u64::try_from(limit).unwrap_or(u64::MAX);
    if !declared.is_some_and(|length| length > limit && length <= DRAIN_LIMIT) {
        return next.run(request).await;
    }
    let (parts, mut body) = request.into_parts();
    let drained = tokio::time::timeout(DRAIN_TIME, async {
        while let Some(Ok(_)) = body.frame().await {}
    })
    .await;
    if drained.is_err() {
        tracing::info!(
            content_length = declared,
            limit,
            "timed out reading an oversized request body; sending 413"
        );
    }
    next.run(axum::extract::Request::from_parts(
        parts,
        axum::body::Body::empty(),
    ))
    .await
}

fn pages() -> Routes {
    Routes::new()
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
        .route(
            "/admin/users/{id}/role",
            get(admin::edit_role).post(admin::save_role),
        )
        .route("/admin/users/{id}/{action}", post(admin::user_action))
        .route(
            "/admin/organisations",
            get(admin::list_organisations).post(admin::create_organisation),
        )
        .route("/admin/sessions", get(admin::list_sessions))
        .route("/admin/sessions/{id}/end", post(admin::end_session))
        .route("/reports/dashboard", get(handlers::case_dashboard::show))
        .route("/reports/context", get(handlers::report_context::show))
        .route("/reports/amif", get(handlers::reports::amif_page))
        .route("/reports/nrm", get(handlers::nrm_statistics::page))
        .route(
            "/reports/nrm/download",
            get(handlers::nrm_statistics::download),
        )
        .route(
            "/reports/schedule",
            get(handlers::report_schedule::list).post(handlers::report_schedule::subscribe),
        )
        .route(
            "/reports/schedule/{id}/cancel",
            post(handlers::report_schedule::cancel),
        )
        .route(
            "/reports/htcds",
            get(handlers::htcds_export::form).post(handlers::htcds_export::export),
        )
        .route(
            "/reports/amif/download",
            get(handlers::reports::amif_download),
        )
        .route(
            "/reports/amif/definitions/{code}",
            get(handlers::reports::definition),
        )
        .route("/cases", get(cases::list))
        .route("/cases/new", get(cases::new_form).post(cases::create))
        .route("/cases/{id}", get(cases::show))
        .route(
            "/cases/{id}/edit",
            get(cases::edit_form).post(cases::update),
        )
        .route(
            "/cases/{id}/assessment",
            get(crate::handlers::assessment::show).post(crate::handlers::assessment::create),
        )
        .route("/cases/{id}/plan", get(crate::handlers::plan::show))
        .route(
            "/cases/{id}/plan/goals",
            post(crate::handlers::plan::add_goal),
        )
        .route(
            "/cases/{id}/plan/goals/{goal_id}",
            get(crate::handlers::plan::edit_goal).post(crate::handlers::plan::update_goal),
        )
        .route(
            "/cases/{id}/plan/goals/{goal_id}/actions",
            post(crate::handlers::plan::add_action),
        )
        .route(
            "/cases/{id}/plan/submit",
            post(crate::handlers::plan::submit),
        )
        .route(
            "/cases/{id}/plan/approve",
            post(crate::handlers::plan::approve),
        )
        .route(
            "/cases/{id}/plan/return",
            post(crate::handlers::plan::return_plan),
        )
        .route(
            "/cases/{id}/plan/reviews",
            post(crate::handlers::plan::add_review),
        )
        .route("/cases/{id}/screening", get(handlers::screening::list))
        .route(
            "/cases/{id}/screening/new",
            get(handlers::screening::new_form).post(handlers::screening::create),
        )
        .route(
            "/cases/{id}/screening/{screening_id}",
            get(handlers::screening::show),
        )
        .route(
            "/cases/{id}/nrm",
            get(handlers::nrm::show).post(handlers::nrm::change),
        )
        .route("/cases/{id}/nrm/witness", post(handlers::witness::change))
        .route(
            "/cases/{id}/nrm/forms/{form}",
            get(handlers::nrm_forms::download),
        )
        .route("/cases/{id}/services", get(handlers::services::list))
        .route(
            "/cases/{id}/services/new",
            get(handlers::services::new_form).post(handlers::services::create),
        )
        .route(
            "/cases/{id}/consents",
            get(handlers::consents::list).post(handlers::consents::create),
        )
        .route(
            "/cases/{id}/consents/{consent_id}/withdraw",
            post(handlers::consents::withdraw),
        )
        .route(
            "/cases/{id}/consents/form",
            get(handlers::consent_forms::print),
        )
        .route(
            "/admin/translations",
            get(handlers::consent_forms::list_translations),
        )
        .route(
            "/admin/translations/{language}",
            post(handlers::consent_forms::change_translation),
        )
        .route(
            "/cases/{id}/close",
            get(handlers::closure::show).post(handlers::closure::close),
        )
        .route("/cases/{id}/reopen", post(handlers::closure::reopen))
        .route(
            "/cases/{id}/timeline",
            get(handlers::timeline::show).post(handlers::timeline::add),
        )
        .route(
            "/cases/{id}/team",
            get(handlers::case_team::show).post(handlers::case_team::assign),
        )
        .route(
            "/cases/{id}/team/{user_id}/remove",
            post(handlers::case_team::remove),
        )
        .route("/cases/{id}/followups", get(handlers::followup::list))
        .route(
            "/cases/{id}/followups/{followup_id}",
            get(handlers::followup::form).post(handlers::followup::save),
        )
        .route(
            "/cases/{id}/seal",
            get(handlers::protection::seal_form).post(handlers::protection::seal),
        )
        .route(
            "/cases/{id}/break-glass",
            get(handlers::protection::break_glass_form).post(handlers::protection::break_glass),
        )
        .route(
            "/notifications/{id}/acknowledge",
            post(handlers::protection::acknowledge),
        )
        .route(
            "/cases/{id}/appointments",
            get(handlers::appointments::show).post(handlers::appointments::submit),
        )
        .route(
            "/cases/{id}/appointments/{appointment}/cancel",
            post(handlers::appointments::cancel_for_case),
        )
        .route("/agenda", get(handlers::appointments::agenda))
        .route(
            "/agenda/feed",
            post(handlers::appointments::regenerate_feed),
        )
        .route(
            "/agenda/{id}/complete",
            post(handlers::appointments::complete),
        )
        .route("/agenda/{id}/cancel", post(handlers::appointments::cancel))
        .route("/staff/skills", get(handlers::appointments::skills))
        .route(
            "/staff/skills/{id}",
            post(handlers::appointments::save_skills),
        )
        .route(
            "/cases/{id}/referrals",
            get(handlers::referrals::show).post(handlers::referrals::send),
        )
        .route(
            "/cases/{id}/referrals/{referral_id}/revoke",
            post(handlers::referrals::revoke),
        )
        .route("/referrals", get(handlers::referrals::list))
        .route(
            "/cases/{id}/requests",
            get(handlers::requests::case_requests).post(handlers::requests::file_request),
        )
        .route("/requests", get(handlers::requests::list))
        .route("/requests/{id}/decide", post(handlers::requests::decide))
        .route(
            "/requests/{id}/export.json",
            get(handlers::requests::export_json),
        )
        .route(
            "/requests/{id}/export",
            get(handlers::requests::export_print),
        )
        .route(
            "/requests/{id}/export.pdf",
            get(handlers::requests::export_pdf),
        )
        .route("/referrals/{id}/accept", post(handlers::referrals::accept))
        .route(
            "/referrals/{id}/decline",
            post(handlers::referrals::decline),
        )
        .route(
            "/referrals/{id}/complete",
            post(handlers::referrals::complete),
        )
        .route(
            "/cases/{id}/notes",
            get(handlers::notes::show).post(handlers::notes::add),
        )
        .route(
            "/cases/{id}/attachments/{attachment_id}",
            get(handlers::notes::download),
        )
        .route(
            "/training/certificates",
            get(handlers::training_certificates::mine),
        )
        .route(
            "/training/certificates/{id}/pdf",
            get(handlers::training_certificates::pdf),
        )
        .route(
            "/training/certificates/{id}/badge",
            get(handlers::training_certificates::badge),
        )
        .route(
            "/training/manage/certificates",
            get(handlers::training_certificates::manage),
        )
        .route(
            "/training/manage/certificates/{id}/revoke",
            get(handlers::training_certificates::revoke_form)
                .post(handlers::training_certificates::revoke),
        )
        .route(
            "/training/manage/dashboard",
            get(handlers::training_dashboard::show),
        )
        .route(
            "/training/scorm/{lesson_id}",
            get(handlers::training_scorm::lesson),
        )
        .route(
            "/training/scorm/{lesson_id}/commit",
            post(handlers::training_scorm::commit),
        )
        .route(
            "/training/scorm/{lesson_id}/{*path}",
            get(handlers::training_scorm::file),
        )
        .merge(handlers::training_courses::routes())
        .merge(handlers::training_quizzes::routes())
        .merge(handlers::training_sessions::routes())
        .merge(handlers::training_evaluations::routes())
        .route("/training/manage/xapi", get(handlers::training_xapi::show))
        .route(
            "/training/manage/xapi/statements",
            get(handlers::training_xapi::download),
        )
}

fn stateless() -> Routes {
    Routes::new()
        .merge(api::routes())
        .route("/healthz", get(health::healthz))
        .route("/agenda.ics", get(handlers::appointments::feed))
        .route(
            "/verify/{code}",
            get(handlers::training_certificates::verify),
        )
        .route(
            "/badges/issuer",
            get(handlers::training_certificates::issuer),
        )
        .merge(assets::routes())
}

fn uploads() -> Routes {
    Routes::new()
        .route("/cases/{id}/attachments", post(handlers::notes::upload))
        .route(
            "/cases/{id}/consents/{consent_id}/form",
            post(handlers::consent_forms::attach),
        )
}

fn imports() -> Routes {
    Routes::new()
        .route(
            "/cases/import",
            get(handlers::case_import::show).post(handlers::case_import::upload),
        )
        .route("/cases/import/{id}", get(handlers::case_import::progress))
}

fn scorm_uploads() -> Routes {
    Routes::new().route(
        "/training/manage/courses/{id}/scorm",
        get(handlers::training_scorm::upload_form).post(handlers::training_scorm::upload),
    )
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
