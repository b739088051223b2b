//! Security headers sent with every response.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The Content-Security-Policy. Templates contain no inline script or style,
/// so neither `'unsafe-inline'` nor nonces are needed; `data:` images are
/// allowed for small icons.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; \
     connect-src 'self'";

const PERMISSIONS_POLICY: &str = "camera=(), microphone=(), geolocation=(), payment=()";

/// Two years, the value HSTS preload lists ask for.
const STRICT_TRANSPORT_SECURITY: &str = "max-age=63072000; includeSubDomains";

#[derive(Debug, Clone, Copy, Default)]
pub struct SecurityHeadersConfig {
    /// Send `Strict-Transport-Security`; only meaningful over HTTPS.
    pub https: bool,
}

/// Middleware that sets the security headers on every response: CSP,
/// `nosniff`, `no-referrer`, frame denial, a permissions policy that turns
/// off camera, microphone, geolocation and payment, and
/// `Cross-Origin-Opener-Policy: same-origin`. It adds HSTS when configured.
/// HTML responses without a cache policy of their own get
/// `Cache-Control: no-store`, because pages can hold personal data.
/// A handler that needs another CSP or framing rule (the SCORM lesson page
/// and package files) sets `Content-Security-Policy` and
/// `X-Frame-Options` itself; those two are then left as the handler set
/// them.
pub async fn security_headers(
    State(config): State<SecurityHeadersConfig>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();

    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        set(
            headers,
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        );
    }
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    if !headers.contains_key(header::X_FRAME_OPTIONS) {
        set(headers, header::X_FRAME_OPTIONS, "DENY");
    }
    set(
        headers,
        HeaderName::from_static("permissions-policy"),
        PERMISSIONS_POLICY,
    );
    set(
        headers,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if config.https {
        set(
            headers,
            header::STRICT_TRANSPORT_SECURITY,
            STRICT_TRANSPORT_SECURITY,
        );
    }

    if is_html(headers) && !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    response
}

fn set(headers: &mut HeaderMap, name: HeaderName, value: &'static str) {
    headers.insert(name, HeaderValue::from_static(value));
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"))
}
