//! The middleware stack of `apply` on a small router, driven with
//! `oneshot`.

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{DefaultBodyLimit, Form};
use axum::http::{Request, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tower::ServiceExt;

use super::{LogUserId, SecurityConfig, apply};
use crate::error::{MessageKey, WebError};

const HOST: &str = "procap.test:3000";

#[derive(Deserialize)]
struct LoginForm {
    #[expect(dead_code, reason = "the form only has to parse")]
    username: String,
}

async fn home() -> Html<&'static str> {
    Html("<p>home</p>")
}

async fn submit() -> Response {
    let mut response = Html("<p>done</p>").into_response();
    response
        .extensions_mut()
        .insert(LogUserId("u-1".to_owned()));
    response
}

async fn internal_error() -> Result<Html<&'static str>, WebError> {
    Err(WebError::Internal(anyhow::anyhow!(
        "connection to postgres://procap:hunter2@db/procap failed at /var/lib/procap/data.db"
    )))
}

async fn panics() -> Html<&'static str> {
    panic!("secret panic detail from /srv/procap/src/handlers.rs");
}

async fn forbidden() -> Response {
    let mut response = WebError::Forbidden.into_response();
    response
        .extensions_mut()
        .insert(LogUserId("u-2".to_owned()));
    response
}

async fn bad_request() -> Result<Html<&'static str>, WebError> {
    Err(WebError::BadRequest(MessageKey("error-malformed-form")))
}

async fn form(Form(_form): Form<LoginForm>) -> Html<&'static str> {
    Html("<p>form</p>")
}

async fn api_missing() -> StatusCode {
    StatusCode::NOT_FOUND
}

fn app(https: bool) -> Router {
    let router = Router::new()
        .route("/", get(home))
        .route("/submit", post(submit))
        .route("/boom", get(internal_error))
        .route("/panic", get(panics))
        .route("/forbidden", get(forbidden))
        .route("/bad", get(bad_request))
        .route("/form", post(form).layer(DefaultBodyLimit::max(64)))
        .route("/api/v1/thing", get(api_missing));
    let config = SecurityConfig {
        https,
        allowed_origins: vec!["https://procap.example.org".to_owned()],
    };
    apply(router, &config).expect("valid test configuration")
}

fn request(method: &str, uri: &str) -> axum::http::request::Builder {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, HOST)
}

async fn send(request: Request<Body>) -> (Response, String) {
    send_to(app(false), request).await
}

async fn send_to(app: Router, request: Request<Body>) -> (Response, String) {
    let response = app.oneshot(request).await.expect("router never fails");
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, usize::MAX).await.expect("body reads");
    let text = String::from_utf8(bytes.to_vec()).expect("body is UTF-8");
    (Response::from_parts(parts, Body::empty()), text)
}

fn header_value<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
}

#[tokio::test]
async fn csrf_accepts_same_origin() {
    let (response, body) = send(
        request("POST", "/submit")
            .header(header::ORIGIN, "http://procap.test:3000")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body, "<p>done</p>");
}

#[tokio::test]
async fn csrf_accepts_configured_origin() {
    let (response, _) = send(
        request("POST", "/submit")
            .header(header::ORIGIN, "https://procap.example.org")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn csrf_accepts_sec_fetch_site_same_origin() {
    let (response, _) = send(
        request("POST", "/submit")
            .header("sec-fetch-site", "same-origin")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn csrf_rejects_foreign_origin() {
    let (response, body) = send(
        request("POST", "/submit")
            .header(header::ORIGIN, "http://attacker.invalid")
            .header(header::REFERER, "http://attacker.invalid/login")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(body.contains("Το αίτημα απορρίφθηκε"), "{body}");
    assert!(!body.contains("done"));
}

#[tokio::test]
async fn csrf_rejects_cross_site_fetch() {
    let (response, _) = send(
        request("POST", "/submit")
            .header("sec-fetch-site", "cross-site")
            .header(header::ORIGIN, "http://procap.test:3000")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn csrf_rejects_missing_origin_and_referer() {
    let (response, body) = send(request("POST", "/submit").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(
        header_value(&response, "content-type").is_some_and(|value| value.starts_with("text/html"))
    );
    assert!(body.contains("lang=\"el\""), "{body}");
}

#[tokio::test]
async fn csrf_rejection_page_in_english() {
    let (response, body) = send(
        request("POST", "/submit")
            .header(header::COOKIE, "procap_lang=en")
            .header(header::ORIGIN, "https://evil.example")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(body.contains("Request rejected"), "{body}");
    assert!(body.contains("lang=\"en\""), "{body}");
}

#[tokio::test]
async fn csrf_lets_get_through() {
    let (response, body) = send(
        request("GET", "/")
            .header(header::ORIGIN, "http://attacker.invalid")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body, "<p>home</p>");
}

#[tokio::test]
async fn csrf_skips_bearer_requests() {
    let (response, _) = send(
        request("POST", "/submit")
            .header(header::AUTHORIZATION, "Bearer procap_test_token")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn security_headers_present() {
    let (response, _) = send(request("GET", "/").body(Body::empty()).unwrap()).await;
    assert_eq!(
        header_value(&response, "content-security-policy"),
        Some(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'"
        )
    );
    assert_eq!(
        header_value(&response, "x-content-type-options"),
        Some("nosniff")
    );
    assert_eq!(
        header_value(&response, "referrer-policy"),
        Some("no-referrer")
    );
    assert_eq!(header_value(&response, "x-frame-options"), Some("DENY"));
    assert_eq!(
        header_value(&response, "permissions-policy"),
        Some("camera=(), microphone=(), geolocation=(), payment=()")
    );
    assert_eq!(
        header_value(&response, "cross-origin-opener-policy"),
        Some("same-origin")
    );
    assert_eq!(header_value(&response, "cache-control"), Some("no-store"));
    assert_eq!(header_value(&response, "strict-transport-security"), None);
}

#[tokio::test]
async fn hsts_only_with_https() {
    let (response, _) = send_to(app(true), request("GET", "/").body(Body::empty()).unwrap()).await;
    assert_eq!(
        header_value(&response, "strict-transport-security"),
        Some("max-age=63072000; includeSubDomains")
    );
}

#[tokio::test]
async fn error_pages_get_security_headers() {
    let (response, _) = send(request("GET", "/missing").body(Body::empty()).unwrap()).await;
    assert!(header_value(&response, "content-security-policy").is_some());
    assert_eq!(header_value(&response, "cache-control"), Some("no-store"));
}

#[tokio::test]
async fn request_id_header_is_hex() {
    let (response, _) = send(request("GET", "/").body(Body::empty()).unwrap()).await;
    let id = header_value(&response, "x-request-id").expect("request id header");
    assert_eq!(id.len(), 32, "{id}");
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
}

#[tokio::test]
async fn not_found_page_greek_by_default() {
    let (response, body) = send(request("GET", "/missing").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(body.contains("<html lang=\"el\">"), "{body}");
    assert!(body.contains("Η σελίδα δεν βρέθηκε"), "{body}");
}

#[tokio::test]
async fn not_found_page_english_with_cookie() {
    let (response, body) = send(
        request("GET", "/missing")
            .header(header::COOKIE, "theme=x; procap_lang=en")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(body.contains("<html lang=\"en\">"), "{body}");
    assert!(body.contains("Page not found"), "{body}");
}

#[tokio::test]
async fn marked_errors_become_pages() {
    let (response, body) = send(request("GET", "/forbidden").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(body.contains("Δεν επιτρέπεται η πρόσβαση"), "{body}");
    assert_eq!(
        response.extensions().get::<LogUserId>(),
        Some(&LogUserId("u-2".to_owned())),
        "the error page keeps the user id for the request log"
    );

    let (response, body) = send(request("GET", "/bad").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(body.contains("Η φόρμα δεν υποβλήθηκε σωστά"), "{body}");
}

#[tokio::test]
async fn internal_error_hides_details() {
    let (response, body) = send(request("GET", "/boom").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(body.contains("Σφάλμα του συστήματος"), "{body}");
    assert!(!body.contains("hunter2"), "{body}");
    assert!(!body.contains("postgres"), "{body}");
    assert!(!body.contains("/var/lib"), "{body}");

    let id = header_value(&response, "x-request-id").expect("request id header");
    assert!(
        body.contains(id),
        "the page should quote the request id {id}: {body}"
    );
}

#[tokio::test]
async fn panic_becomes_500_page() {
    let (response, body) = send(request("GET", "/panic").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(body.contains("Σφάλμα του συστήματος"), "{body}");
    assert!(!body.contains("secret panic detail"), "{body}");
    assert!(!body.contains("handlers.rs"), "{body}");
}

#[tokio::test]
async fn method_not_allowed_page_keeps_allow() {
    let (response, body) = send(request("GET", "/submit").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(header_value(&response, "allow").is_some_and(|allow| allow.contains("POST")));
    assert!(body.contains("Μη αποδεκτό αίτημα"), "{body}");
}

#[tokio::test]
async fn malformed_form_page() {
    let (response, body) = send(
        request("POST", "/form")
            .header(header::ORIGIN, "http://procap.test:3000")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("other=1"))
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Η φόρμα δεν υποβλήθηκε σωστά"), "{body}");
    assert!(!body.contains("missing field"), "{body}");
}

#[tokio::test]
async fn oversized_body_page() {
    let (response, body) = send(
        request("POST", "/form")
            .header(header::ORIGIN, "http://procap.test:3000")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("username={}", "a".repeat(200))))
            .unwrap(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body.contains("Πολύ μεγάλο αίτημα"), "{body}");
}

#[tokio::test]
async fn api_errors_left_alone() {
    let (response, body) = send(request("GET", "/api/v1/thing").body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(!body.contains("<html"), "{body}");
}
