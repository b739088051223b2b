//! Request middleware of the web layer: request logging and ids, security
//! headers, the interface language, and the cross-site request check.
//!
//! [`apply`] layers them, together with [`crate::error::error_pages`], in
//! the order they depend on each other. Because it uses `Router::layer`, it
//! wraps only the routes (and fallback) added before it is called, and the
//! matched route is known to `request_log`.

mod csrf;
mod locale;
mod request_log;
mod security_headers;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};

pub use csrf::{CsrfConfig, InvalidOrigin, csrf};
pub use locale::{
    CurrentLocale, LOCALE_COOKIE, locale, locale_cookie, locale_from_headers, safe_return_path,
};
pub use request_log::{LogUserId, RequestId, current_request_id, note_user_id, request_log};
pub use security_headers::{SecurityHeadersConfig, security_headers};

/// Settings of the security middleware.
#[derive(Debug, Clone, Default)]
pub struct SecurityConfig {
    /// The site is served over HTTPS: send `Strict-Transport-Security` and
    /// mark the language cookie `Secure`.
    pub https: bool,
    /// Public origins (`https://procap.example.org`) accepted by the
    /// cross-site check besides the request's own `Host`.
    pub allowed_origins: Vec<String>,
}

/// Layers the middleware onto `router`, outermost first:
/// `request_log` → `security_headers` → `locale` → `error_pages` → `csrf` →
/// routes. So every response, error pages included, is logged and gets the
/// security headers, and the cross-site rejection is rendered in the user's
/// language.
///
/// Fails when an allowed origin is not an absolute `http(s)` URL.
pub fn apply<S>(router: Router<S>, config: &SecurityConfig) -> Result<Router<S>, InvalidOrigin>
where
    S: Clone + Send + Sync + 'static,
{
    let csrf_config = CsrfConfig::new(&config.allowed_origins)?;
    let headers_config = SecurityHeadersConfig {
        https: config.https,
    };

    Ok(router
        .layer(from_fn_with_state(csrf_config, csrf))
        .layer(from_fn(crate::error::error_pages))
        .layer(from_fn(locale))
        .layer(from_fn_with_state(headers_config, security_headers))
        .layer(from_fn(request_log)))
}

#[cfg(test)]
mod tests;
