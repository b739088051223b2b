//! One log event per request, and a request id that ties together the log
//! lines of a request and the reference shown on error pages.
//!
//! Logged: method, matched route pattern (`/admin/users/{id}`, never the
//! raw path, which can carry ids), status, latency, request id and, when a
//! handler reports it, the user id. Never logged: query strings, headers,
//! cookies and bodies.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// Response header that carries the request id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The id of the current request: 32 lower-case hex digits, generated here
/// (an id sent by the client is ignored). Stored in the request extensions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

/// Response extension through which a handler names the signed-in user for
/// the request log: the user's id, never their name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogUserId(pub String);

tokio::task_local! {
    static REQUEST_ID: String;
    static USER_ID: std::sync::Mutex<Option<String>>;
}

/// Names the signed-in user of the request being handled, for its log
/// event. Called by the authentication extractors, which run before the
/// response exists. Does nothing outside `request_log`.
pub fn note_user_id(user_id: &str) {
    let _ = USER_ID.try_with(|slot| {
        if let Ok(mut slot) = slot.lock() {
            *slot = Some(user_id.to_owned());
        }
    });
}

/// Returns the id of the request being handled on this task, for log events
/// made outside the middleware (e.g. when an internal error is turned into a
/// response). `None` outside `request_log`.
pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Middleware that assigns the request id, runs the request inside a
/// `request` span carrying it, sends it back as `x-request-id`, and logs one
/// INFO event when the response is ready.
pub async fn request_log(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4().simple().to_string();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_owned());
    request
        .extensions_mut()
        .insert(RequestId(request_id.clone()));

    let span = tracing::info_span!("request", request_id = %request_id);
    let user_slot = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
    let handler_slot = user_slot.clone();
    let mut response = REQUEST_ID
        .scope(
            request_id.clone(),
            USER_ID.scope(std::sync::Mutex::new(None), async move {
                let response = next.run(request).await;
                let noted = USER_ID.with(|slot| slot.lock().ok().and_then(|slot| slot.clone()));
                if let Ok(mut shared) = handler_slot.lock() {
                    *shared = noted;
                }
                response
            }),
        )
        .instrument(span)
        .await;

    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let noted_user = user_slot.lock().ok().and_then(|slot| slot.clone());
    let user_id = response
        .extensions()
        .get::<LogUserId>()
        .map(|user| user.0.clone())
        .or(noted_user);
    let user_id = user_id.as_deref();
    tracing::info!(
        request_id = %request_id,
        method = %method,
        route = route.as_deref().unwrap_or("<unmatched>"),
        status = response.status().as_u16(),
        latency_ms,
        user_id,
        "request"
    );

    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    response
}
