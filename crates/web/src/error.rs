//! Errors of web handlers and the middleware that turns them into pages.
//!
//! Handlers return [`WebError`]. Its `IntoResponse` sets only the status and
//! an [`ErrorMarker`] extension; the [`error_pages`] middleware renders the
//! [`ErrorPage`] in the request's language. The middleware also renders the
//! bare 400/404/405/413/415/422/500 responses axum makes itself (extractor
//! rejections, body limits, unknown paths) and turns a panicking handler into
//! a 500 page, so no response shows internals: no SQL, paths or panic text.
//!
//! Use `Internal` for anything unexpected (database down, template bug): the
//! error and its cause chain are logged at ERROR with the request id, and the
//! user sees a generic page quoting that id.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use procap_domain::locale::Locale;

use crate::middleware::{LogUserId, RequestId, current_request_id};
use crate::pages::{ErrorPage, NavUser, PageContext, render};

/// The Fluent key of a message shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MessageKey(pub &'static str);

/// The category of an error without its details: the part that is safe to
/// carry to the error page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// 400 with a specific explanation.
    BadRequest(MessageKey),
    /// 401: the session ended; the page links to the login form.
    SessionExpired,
    /// 403: the user lacks the permission.
    Forbidden,
    /// 403: the request came from another site.
    CsrfRejected,
    NotFound,
    MethodNotAllowed,
    PayloadTooLarge,
    /// 429: too many attempts.
    TooManyRequests,
    Internal,
}

impl ErrorKind {
    /// Every kind, with a sample `BadRequest` message, for tests that check
    /// each kind has its texts.
    pub const ALL: [ErrorKind; 9] = [
        ErrorKind::BadRequest(MessageKey("error-malformed-form")),
        ErrorKind::SessionExpired,
        ErrorKind::Forbidden,
        ErrorKind::CsrfRejected,
        ErrorKind::NotFound,
        ErrorKind::MethodNotAllowed,
        ErrorKind::PayloadTooLarge,
        ErrorKind::TooManyRequests,
        ErrorKind::Internal,
    ];

    pub fn status(&self) -> StatusCode {
        match self {
            ErrorKind::BadRequest(_) => StatusCode::BAD_REQUEST,
            ErrorKind::SessionExpired => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden | ErrorKind::CsrfRejected => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn title_key(&self) -> &'static str {
        match self {
            ErrorKind::BadRequest(_) => "error-400-title",
            ErrorKind::SessionExpired => "error-session-expired-title",
            ErrorKind::Forbidden => "error-403-title",
            ErrorKind::CsrfRejected => "error-csrf-title",
            ErrorKind::NotFound => "error-404-title",
            ErrorKind::MethodNotAllowed => "error-405-title",
            ErrorKind::PayloadTooLarge => "error-413-title",
            ErrorKind::TooManyRequests => "error-429-title",
            ErrorKind::Internal => "error-500-title",
        }
    }

    pub fn message_key(&self) -> &'static str {
        match self {
            ErrorKind::BadRequest(MessageKey(key)) => key,
            ErrorKind::SessionExpired => "error-session-expired-text",
            ErrorKind::Forbidden => "error-403-text",
            ErrorKind::CsrfRejected => "error-csrf-text",
            ErrorKind::NotFound => "error-404-text",
            ErrorKind::MethodNotAllowed => "error-405-text",
            ErrorKind::PayloadTooLarge => "error-413-text",
            ErrorKind::TooManyRequests => "error-429-text",
            ErrorKind::Internal => "error-500-text",
        }
    }

    /// Returns the kind for a bare error response from axum or tower (no
    /// marker), or `None` when the status is left as it is.
    fn for_bare_status(status: StatusCode) -> Option<ErrorKind> {
        match status {
            StatusCode::BAD_REQUEST => Some(ErrorKind::BadRequest(MessageKey("error-400-text"))),
            StatusCode::NOT_FOUND => Some(ErrorKind::NotFound),
            StatusCode::METHOD_NOT_ALLOWED => Some(ErrorKind::MethodNotAllowed),
            StatusCode::PAYLOAD_TOO_LARGE => Some(ErrorKind::PayloadTooLarge),
            StatusCode::UNSUPPORTED_MEDIA_TYPE | StatusCode::UNPROCESSABLE_ENTITY => {
                Some(ErrorKind::BadRequest(MessageKey("error-malformed-form")))
            }
            StatusCode::INTERNAL_SERVER_ERROR => Some(ErrorKind::Internal),
            _ => None,
        }
    }
}

/// Response extension that makes [`error_pages`] render the error page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorMarker(pub ErrorKind);

/// The error of a web handler.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The input cannot be used; the key explains why in the user's words.
    #[error("bad request ({})", .0.0)]
    BadRequest(MessageKey),
    #[error("session expired")]
    SessionExpired,
    #[error("forbidden")]
    Forbidden,
    #[error("cross-site request rejected")]
    CsrfRejected,
    #[error("not found")]
    NotFound,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("too many requests")]
    TooManyRequests,
    /// 403: a case of the user's own organisation outside their scope, for a
    /// user whose role may ask for break-glass access. [`error_pages`]
    /// renders the break-glass page in place of the page asked for.
    #[error("case outside the user's scope")]
    OutOfScope(Box<OutOfScope>),
    /// Anything unexpected; logged with its cause chain, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl WebError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            WebError::BadRequest(key) => ErrorKind::BadRequest(*key),
            WebError::SessionExpired => ErrorKind::SessionExpired,
            WebError::Forbidden => ErrorKind::Forbidden,
            WebError::CsrfRejected => ErrorKind::CsrfRejected,
            WebError::NotFound => ErrorKind::NotFound,
            WebError::PayloadTooLarge => ErrorKind::PayloadTooLarge,
            WebError::TooManyRequests => ErrorKind::TooManyRequests,
            WebError::OutOfScope(_) => ErrorKind::Forbidden,
            WebError::Internal(_) => ErrorKind::Internal,
        }
    }
}

/// What the break-glass page needs about a case outside the user's scope.
/// It travels as a response extension from the handler to [`error_pages`],
/// which adds the path the user asked for.
#[derive(Clone)]
pub struct OutOfScope {
    pub case_id: String,
    /// The case code, the only thing the page shows about the case.
    pub code: String,
    pub sealed: bool,
    pub locale: Locale,
    pub user: NavUser,
}

impl std::fmt::Debug for OutOfScope {
    // Only the id: the code and the user stay out of any log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutOfScope")
            .field("case_id", &self.case_id)
            .finish_non_exhaustive()
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let kind = self.kind();
        if let WebError::Internal(error) = &self {
            let request_id = current_request_id();
            tracing::error!(
                request_id = request_id.as_deref(),
                error = format!("{error:#}"),
                "request failed"
            );
        }

        let mut response = kind.status().into_response();
        response.extensions_mut().insert(ErrorMarker(kind));
        if let WebError::OutOfScope(offer) = self {
            response.extensions_mut().insert(*offer);
        }
        response
    }
}

/// Renders the error page for `kind` in `locale`, with `user` in the header
/// when known.
pub fn error_response(
    locale: Locale,
    kind: ErrorKind,
    user: Option<NavUser>,
    request_id: Option<String>,
) -> Response {
    // The page's language switch returns home, not to the request path: the
    // path of a failed request can hold anything typed into the address bar
    // (a name, a phone number), and an error page must not show it back.
    let ctx = match user {
        Some(user) => PageContext::for_user(locale, user, "/"),
        None => PageContext::anonymous(locale, "/"),
    };
    let reference = if kind == ErrorKind::Internal {
        request_id
    } else {
        None
    };
    let page = ErrorPage::for_kind(ctx, kind, reference);

    let mut response = render(&page);
    *response.status_mut() = kind.status();
    response
}

/// Middleware that replaces marked and bare error responses with the error
/// page in the request's language, and a panicking handler with the 500
/// page.
///
/// It reads the [`Locale`] (from the `locale` middleware, Greek when absent),
/// an optional [`NavUser`] and the [`RequestId`] from the request extensions,
/// so layer it inside those middlewares. Responses under `/api/` are left as
/// they are: API clients get their own error format.
pub async fn error_pages(request: Request, next: Next) -> Response {
    let locale = request
        .extensions()
        .get::<Locale>()
        .copied()
        .unwrap_or_default();
    let user = request.extensions().get::<NavUser>().cloned();
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone());
    let path = request.uri().path().to_owned();
    let is_api = path == "/api" || path.starts_with("/api/");
    // The page a break-glass grant returns to: only a page that a GET
    // opens again, with its query.
    let wanted = (request.method() == axum::http::Method::GET)
        .then(|| {
            request
                .uri()
                .path_and_query()
                .map(|pq| pq.as_str().to_owned())
        })
        .flatten();

    let response = match CatchPanic::new(next.run(request)).await {
        Ok(response) => response,
        Err(_payload) => {
            // The panic message may hold data from the request, so only the
            // fact is logged here; the panic hook has already printed it.
            tracing::error!(
                request_id = request_id.as_deref(),
                "request handler panicked"
            );
            if is_api {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
            return error_response(locale, ErrorKind::Internal, user, request_id);
        }
    };

    if is_api {
        return response;
    }
    if let Some(offer) = response.extensions().get::<OutOfScope>() {
        let page = crate::handlers::protection::offer_page(offer, &path, wanted.as_deref());
        let mut page = match page {
            Ok(page) => page,
            Err(error) => {
                tracing::error!(
                    request_id = request_id.as_deref(),
                    error = format!("{error:#}"),
                    "break-glass page failed"
                );
                return error_response(locale, ErrorKind::Internal, user, request_id);
            }
        };
        if let Some(user_id) = response.extensions().get::<LogUserId>() {
            page.extensions_mut().insert(user_id.clone());
        }
        return page;
    }
    let kind = match response.extensions().get::<ErrorMarker>() {
        Some(ErrorMarker(kind)) => Some(*kind),
        None if is_bare_error(&response) => ErrorKind::for_bare_status(response.status()),
        None => None,
    };
    match kind {
        Some(kind) => {
            let mut page = error_response(locale, kind, user, request_id);
            *page.status_mut() = response.status();
            copy_header(&response, &mut page, header::ALLOW);
            copy_header(&response, &mut page, header::RETRY_AFTER);
            if let Some(user_id) = response.extensions().get::<LogUserId>() {
                page.extensions_mut().insert(user_id.clone());
            }
            page
        }
        None => response,
    }
}

/// Checks whether a response is an error without a page of its own: plain text or
/// no body type at all, as axum's rejections are.
fn is_bare_error(response: &Response) -> bool {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return false;
    }
    match response.headers().get(header::CONTENT_TYPE) {
        None => true,
        Some(value) => value
            .to_str()
            .is_ok_and(|value| value.starts_with("text/plain")),
    }
}

fn copy_header(from: &Response, to: &mut Response, name: header::HeaderName) {
    if let Some(value) = from.headers().get(&name) {
        to.headers_mut().insert(name, value.clone());
    }
}

/// A future that turns a panic while polling the inner future into an
/// `Err` with the panic payload.
struct CatchPanic<F> {
    inner: Pin<Box<F>>,
}

impl<F> CatchPanic<F> {
    fn new(inner: F) -> Self {
        CatchPanic {
            inner: Box::pin(inner),
        }
    }
}

impl<F: Future> Future for CatchPanic<F> {
    type Output = Result<F::Output, Box<dyn Any + Send>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = &mut self.get_mut().inner;
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.as_mut().poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(payload) => Poll::Ready(Err(payload)),
        }
    }
}
