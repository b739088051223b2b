//! Cross-site request forgery check by request origin, without tokens.
//!
//! A state-changing request (any method but GET, HEAD and OPTIONS) passes
//! when the browser's headers show that it came from this site:
//!
//! 1. `Sec-Fetch-Site` is `same-origin` or `none` (typed or bookmarked);
//!    any other value is rejected.
//! 2. Without that header, the `Origin` header must name this site: the
//!    request's `Host`, or one of the configured public origins.
//! 3. Without `Origin` either, the origin of the `Referer` must.
//! 4. A request with none of the three is rejected.
//!
//! Requests with `Authorization: Bearer …` skip the check: a cross-site
//! form cannot set that header, and API tokens do not ride on cookies. The
//! API's authentication must therefore ignore the session cookie.
//!
//! The session cookie's `SameSite` attribute is a second, independent guard.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use procap_domain::locale::Locale;
use url::Url;

use super::locale::locale_from_headers;
use super::request_log::RequestId;
use crate::error::{ErrorKind, error_response};
use crate::pages::NavUser;

/// A configured allowed origin that is not an absolute `http(s)` URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "allowed origin {0:?} is not an absolute http or https URL such as https://procap.example.org"
)]
pub struct InvalidOrigin(pub String);

/// The scheme, lower-case host and port of an origin; the port is filled in
/// from the scheme when the URL omits it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    fn parse(value: &str) -> Option<Origin> {
        let url = Url::parse(value.trim()).ok()?;
        if !matches!(url.scheme(), "http" | "https") {
            return None;
        }
        Some(Origin {
            scheme: url.scheme().to_owned(),
            host: url.host_str()?.to_ascii_lowercase(),
            port: url.port_or_known_default()?,
        })
    }

    /// Checks whether this origin names the server reached through `host_header`
    /// (`host` or `host:port`; the port defaults to this origin's scheme's).
    /// The scheme is not part of `Host`, so both http and https match.
    fn matches_host(&self, host_header: &str) -> bool {
        let host_header = host_header.trim().to_ascii_lowercase();
        let (host, port) = split_host_port(&host_header);
        let port = match port {
            Some(port) => port.parse::<u16>().ok(),
            None => Some(if self.scheme == "https" { 443 } else { 80 }),
        };
        host == self.host && port == Some(self.port)
    }
}

/// Splits `host[:port]`, keeping IPv6 literals (`[::1]:8080`) whole.
fn split_host_port(value: &str) -> (&str, Option<&str>) {
    if value.starts_with('[') {
        return match value.find(']') {
            Some(end) => {
                let host = &value[..=end];
                let port = value[end + 1..].strip_prefix(':');
                (host, port)
            }
            None => (value, None),
        };
    }
    match value.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (value, None),
    }
}

/// The origins the check accepts besides the request's own `Host`.
#[derive(Debug, Clone, Default)]
pub struct CsrfConfig {
    allowed: Arc<Vec<Origin>>,
}

impl CsrfConfig {
    /// Parses the public origins, e.g. `https://procap.example.org`; a path
    /// after the origin is ignored.
    pub fn new(allowed_origins: &[String]) -> Result<Self, InvalidOrigin> {
        let allowed = allowed_origins
            .iter()
            .map(|value| Origin::parse(value).ok_or_else(|| InvalidOrigin(value.clone())))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CsrfConfig {
            allowed: Arc::new(allowed),
        })
    }

    /// Checks whether a request with these headers may change state.
    pub fn allows(&self, method: &Method, headers: &HeaderMap) -> bool {
        if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
            return true;
        }
        if has_bearer_token(headers) {
            return true;
        }

        if let Some(site) = header_str(headers, "sec-fetch-site") {
            return matches!(site.to_ascii_lowercase().as_str(), "same-origin" | "none");
        }
        if let Some(origin) = header_str(headers, header::ORIGIN.as_str()) {
            return self.is_own_origin(origin, headers);
        }
        if let Some(referer) = header_str(headers, header::REFERER.as_str()) {
            return self.is_own_origin(referer, headers);
        }
        false
    }

    /// Checks whether `value` (an `Origin` or a `Referer`) names this site. The
    /// opaque origin `null` never does.
    fn is_own_origin(&self, value: &str, headers: &HeaderMap) -> bool {
        let Some(origin) = Origin::parse(value) else {
            return false;
        };
        if self.allowed.contains(&origin) {
            return true;
        }
        header_str(headers, header::HOST.as_str()).is_some_and(|host| origin.matches_host(host))
    }
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

fn has_bearer_token(headers: &HeaderMap) -> bool {
    header_str(headers, header::AUTHORIZATION.as_str()).is_some_and(|value| {
        value
            .get(..7)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("bearer "))
    })
}

/// Middleware that rejects cross-site state-changing requests with a 403
/// page in the user's language. Rejections are logged at WARN with the
/// method and request id only.
pub async fn csrf(State(config): State<CsrfConfig>, request: Request, next: Next) -> Response {
    if config.allows(request.method(), request.headers()) {
        return next.run(request).await;
    }

    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone());
    tracing::warn!(
        request_id = request_id.as_deref(),
        method = %request.method(),
        "cross-site request rejected"
    );
    let locale = request
        .extensions()
        .get::<Locale>()
        .copied()
        .unwrap_or_else(|| locale_from_headers(request.headers()));
    let user = request.extensions().get::<NavUser>().cloned();
    error_response(locale, ErrorKind::CsrfRejected, user, request_id)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    fn config() -> CsrfConfig {
        CsrfConfig::new(&["https://procap.example.org".to_owned()]).unwrap()
    }

    #[test]
    fn origin_matching_host_header() {
        let config = config();
        let post = Method::POST;
        assert!(config.allows(
            &post,
            &headers(&[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:8080")
            ])
        ));
        assert!(config.allows(
            &post,
            &headers(&[("host", "Example.org"), ("origin", "https://example.org")])
        ));
        assert!(config.allows(
            &post,
            &headers(&[
                ("host", "example.org:443"),
                ("origin", "https://example.org")
            ])
        ));
        assert!(config.allows(
            &post,
            &headers(&[("host", "[::1]:3000"), ("origin", "http://[::1]:3000")])
        ));
        assert!(!config.allows(
            &post,
            &headers(&[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:8081")
            ])
        ));
        assert!(!config.allows(
            &post,
            &headers(&[
                ("host", "example.org"),
                ("origin", "https://example.org.evil.test")
            ])
        ));
    }

    #[test]
    fn configured_origin_accepted_behind_proxy() {
        let config = config();
        let request = headers(&[
            ("host", "10.0.0.5:3000"),
            ("origin", "https://procap.example.org"),
        ]);
        assert!(config.allows(&Method::POST, &request));
        let other = headers(&[
            ("host", "10.0.0.5:3000"),
            ("origin", "http://procap.example.org"),
        ]);
        assert!(!config.allows(&Method::POST, &other));
    }

    #[test]
    fn null_origin_rejected() {
        assert!(!config().allows(
            &Method::POST,
            &headers(&[("host", "example.org"), ("origin", "null")])
        ));
    }

    #[test]
    fn referer_used_without_origin() {
        let config = config();
        let own = headers(&[
            ("host", "example.org"),
            ("referer", "https://example.org/login?x=1"),
        ]);
        assert!(config.allows(&Method::POST, &own));
        let foreign = headers(&[
            ("host", "example.org"),
            ("referer", "https://evil.test/page"),
        ]);
        assert!(!config.allows(&Method::DELETE, &foreign));
    }

    #[test]
    fn sec_fetch_site_decides_first() {
        let config = config();
        let cross = headers(&[
            ("host", "example.org"),
            ("origin", "https://example.org"),
            ("sec-fetch-site", "cross-site"),
        ]);
        assert!(!config.allows(&Method::POST, &cross));
        let same_site = headers(&[("host", "example.org"), ("sec-fetch-site", "same-site")]);
        assert!(!config.allows(&Method::POST, &same_site));
        assert!(config.allows(&Method::POST, &headers(&[("sec-fetch-site", "none")])));
    }

    #[test]
    fn bearer_token_skips_check() {
        assert!(config().allows(&Method::POST, &headers(&[("authorization", "Bearer abc")])));
        assert!(!config().allows(&Method::POST, &headers(&[("authorization", "Basic abc")])));
    }

    #[test]
    fn invalid_allowed_origin_rejected() {
        assert_eq!(
            CsrfConfig::new(&["procap.example.org".to_owned()]).unwrap_err(),
            InvalidOrigin("procap.example.org".to_owned())
        );
        assert!(CsrfConfig::new(&["ftp://procap.example.org".to_owned()]).is_err());
    }
}
