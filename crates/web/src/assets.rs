//! The stylesheet and script, compiled into the binary and served under
//! URLs that contain a hash of their content, so browsers may cache them
//! for a year and still fetch a new version after an upgrade.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

const STYLESHEET: &str = include_str!("../static/procap.css");
const SCRIPT: &str = include_str!("../static/procap.js");
const SCORM_API: &str = include_str!("../static/training_scorm_api.js");
const QUIZ_COUNTDOWN: &str = include_str!("../static/training_quiz_countdown.js");

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

struct Asset {
    /// File name with the content hash, e.g. `procap.3f2a91c0d4e5b6a7.css`.
    file_name: String,
    href: String,
    body: &'static str,
    content_type: &'static str,
}

impl Asset {
    fn new(stem: &str, extension: &str, body: &'static str, content_type: &'static str) -> Self {
        let digest = Sha256::digest(body.as_bytes());
        let file_name = format!("{stem}.{}.{extension}", hex::encode(&digest[..8]));
        let href = format!("/static/{file_name}");
        Asset {
            file_name,
            href,
            body,
            content_type,
        }
    }
}

static ASSETS: LazyLock<[Asset; 4]> = LazyLock::new(|| {
    [
        Asset::new("procap", "css", STYLESHEET, "text/css; charset=utf-8"),
        Asset::new("procap", "js", SCRIPT, "text/javascript; charset=utf-8"),
        Asset::new(
            "training_scorm_api",
            "js",
            SCORM_API,
            "text/javascript; charset=utf-8",
        ),
        Asset::new(
            "training_quiz_countdown",
            "js",
            QUIZ_COUNTDOWN,
            "text/javascript; charset=utf-8",
        ),
    ]
});

/// Returns the URL of the stylesheet, for `<link rel="stylesheet">`.
pub fn stylesheet_href() -> &'static str {
    &ASSETS[0].href
}

/// Returns the URL of the script, for `<script defer>`.
pub fn script_href() -> &'static str {
    &ASSETS[1].href
}

/// Returns the URL of the SCORM 1.2 run-time API script of the SCORM lesson
/// page.
pub fn scorm_api_href() -> &'static str {
    &ASSETS[2].href
}

/// Returns the URL of the quiz countdown script of the quiz page.
pub fn quiz_countdown_href() -> &'static str {
    &ASSETS[3].href
}

/// Routes for `/static/{file}`. Only the hashed names exist; any other name
/// is a 404, so a stale page never gets a mismatched file cached for a year.
pub fn routes() -> crate::routes::Routes {
    crate::routes::Routes::new().route("/static/{file}", crate::routes::get(serve_asset))
}

async fn serve_asset(Path(file): Path<String>) -> Response {
    let Some(asset) = ASSETS.iter().find(|asset| asset.file_name == file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(asset.content_type),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)),
        ],
        asset.body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use axum::body::{Body, to_bytes};
    use axum::http::Request;
    use tower::ServiceExt;

    use super::*;

    /// The `/static/{file}` route without the application state.
    fn static_router() -> axum::Router {
        axum::Router::new().route("/static/{file}", axum::routing::get(serve_asset))
    }

    #[test]
    fn hrefs_carry_content_hash() {
        let href = stylesheet_href();
        assert!(href.starts_with("/static/procap."), "{href}");
        assert!(href.ends_with(".css"), "{href}");
        assert_eq!(
            href.len(),
            "/static/procap.".len() + 16 + ".css".len(),
            "{href}"
        );
        assert!(script_href().ends_with(".js"));
    }

    #[tokio::test]
    async fn stylesheet_served_immutable() {
        let response = static_router()
            .oneshot(Request::get(stylesheet_href()).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/css; charset=utf-8"
        );
        assert_eq!(response.headers()[header::CACHE_CONTROL], IMMUTABLE);
        let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        assert_eq!(body, STYLESHEET.as_bytes());
    }

    #[tokio::test]
    async fn unhashed_name_not_found() {
        let response = static_router()
            .oneshot(
                Request::get("/static/procap.css")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
}
