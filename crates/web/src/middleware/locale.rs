//! The interface language of a request, chosen by the `procap_lang` cookie
//! (Greek when the cookie is missing or unknown).

use std::convert::Infallible;

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::Response;
use procap_domain::locale::Locale;

/// Name of the cookie that keeps the chosen language.
pub const LOCALE_COOKIE: &str = "procap_lang";

/// One year, in seconds.
const LOCALE_COOKIE_MAX_AGE: u32 = 31_536_000;

/// Middleware that inserts the request's [`Locale`] into the request
/// extensions, where handlers, [`CurrentLocale`] and the error pages read it.
pub async fn locale(mut request: Request, next: Next) -> Response {
    let locale = locale_from_headers(request.headers());
    request.extensions_mut().insert(locale);
    next.run(request).await
}

/// Reads the language from the `procap_lang` cookie; Greek when absent.
pub fn locale_from_headers(headers: &HeaderMap) -> Locale {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LOCALE_COOKIE)
        .and_then(|(_, value)| Locale::parse(value))
        .unwrap_or_default()
}

/// Builds the `Set-Cookie` value that stores `locale` for a year. The cookie is
/// readable only by the server, sent on top-level navigation from other
/// sites (`Lax`), and `Secure` when the site runs over HTTPS.
pub fn locale_cookie(locale: Locale, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{LOCALE_COOKIE}={}; Path=/; Max-Age={LOCALE_COOKIE_MAX_AGE}; HttpOnly; SameSite=Lax{secure}",
        locale.as_str()
    )
}

/// Returns `candidate` when it is a path on this site (`/…`), otherwise
/// `/`. Rejects `//host` and backslashes, which browsers follow to other
/// sites, and control characters. Use it for `return_to` and `next`.
pub fn safe_return_path(candidate: &str) -> &str {
    let is_local = candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.contains('\\')
        && !candidate.chars().any(char::is_control);
    if is_local { candidate } else { "/" }
}

/// Extractor for the request's language: the value the [`locale`]
/// middleware stored, or the cookie when the middleware did not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurrentLocale(pub Locale);

impl<S: Send + Sync> FromRequestParts<S> for CurrentLocale {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let locale = parts
            .extensions
            .get::<Locale>()
            .copied()
            .unwrap_or_else(|| locale_from_headers(&parts.headers));
        Ok(CurrentLocale(locale))
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers_with_cookie(cookie: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(cookie).unwrap());
        headers
    }

    #[test]
    fn cookie_selects_english() {
        assert_eq!(
            locale_from_headers(&headers_with_cookie("a=1; procap_lang=en; b=2")),
            Locale::En
        );
    }

    #[test]
    fn missing_or_unknown_cookie_is_greek() {
        assert_eq!(locale_from_headers(&HeaderMap::new()), Locale::El);
        assert_eq!(
            locale_from_headers(&headers_with_cookie("procap_lang=fr")),
            Locale::El
        );
        assert_eq!(
            locale_from_headers(&headers_with_cookie("xprocap_lang=en")),
            Locale::El
        );
    }

    #[test]
    fn cookie_value_has_attributes() {
        assert_eq!(
            locale_cookie(Locale::En, false),
            "procap_lang=en; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax"
        );
        assert!(locale_cookie(Locale::El, true).ends_with("; Secure"));
    }

    #[test]
    fn return_path_stays_local() {
        assert_eq!(
            safe_return_path("/admin/users?page=2"),
            "/admin/users?page=2"
        );
        assert_eq!(safe_return_path("//evil.example/x"), "/");
        assert_eq!(safe_return_path("/\\evil.example"), "/");
        assert_eq!(safe_return_path("https://evil.example/"), "/");
        assert_eq!(safe_return_path("/a\nb"), "/");
        assert_eq!(safe_return_path(""), "/");
    }
}
