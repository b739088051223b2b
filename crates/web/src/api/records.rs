//! Helpers shared by the API routes of a case's records. They cover errors
//! as JSON in the token owner's language, the case access check of the
//! pages and audit events marked as coming through the API. They also turn
//! JSON bodies into the `name=value` pairs the page forms parse, and read
//! list pages.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use procap_domain::locale::Locale;
use procap_store::StoreError;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::cases::CaseView;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use super::ApiUser;
use crate::error::WebError;
use crate::handlers::case_access::open_case_as;
use crate::i18n::Translator;
use crate::pages::FieldErrors;
use crate::state::AppState;

/// Largest page a list returns.
pub const MAX_LIMIT: i64 = 500;
/// Page size when the request names none.
pub const DEFAULT_LIMIT: i64 = 50;

/// An error response body: a stable `code` for programs and a `message` in
/// the token owner's language for people.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiProblem {
    /// Stable: forbidden, not_found, invalid, invalid_page, invalid_body,
    /// unsupported_media_type, no_consent, internal.
    pub code: &'static str,
    pub message: String,
    /// One entry per field that failed validation (code `invalid` and
    /// `no_consent`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ApiFieldError>,
}

/// A validation message about one field of the request body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiFieldError {
    /// The body's field name; empty for a message about the whole body.
    pub field: String,
    pub message: String,
}

/// The response body of a successful create: the new record's id.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: String,
}

/// An error response ready to send.
#[derive(Debug)]
pub struct ApiFailure {
    status: StatusCode,
    problem: ApiProblem,
}

impl IntoResponse for ApiFailure {
    fn into_response(self) -> Response {
        (self.status, Json(self.problem)).into_response()
    }
}

impl ApiFailure {
    /// Builds a failure whose message is the Fluent message `key`.
    pub fn new(t: &Translator, status: StatusCode, code: &'static str, key: &str) -> Self {
        ApiFailure {
            status,
            problem: ApiProblem {
                code,
                message: t.t(key),
                errors: Vec::new(),
            },
        }
    }

    pub fn forbidden(t: &Translator) -> Self {
        ApiFailure::new(t, StatusCode::FORBIDDEN, "forbidden", "api-error-forbidden")
    }

    pub fn not_found(t: &Translator) -> Self {
        ApiFailure::new(t, StatusCode::NOT_FOUND, "not_found", "api-error-not-found")
    }

    /// 500 for anything unexpected; the cause goes to the log (ids only),
    /// never to the caller.
    pub fn internal(t: &Translator, context: &str, error: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %error, "{context}");
        ApiFailure::new(
            t,
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "api-error-internal",
        )
    }

    /// 422 with the form parser's messages, one per field.
    pub fn invalid(t: &Translator, errors: &FieldErrors) -> Self {
        ApiFailure::new(
            t,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            "api-error-invalid",
        )
        .with_errors(errors)
    }

    /// Adds the messages of `errors` to the response.
    pub fn with_errors(mut self, errors: &FieldErrors) -> Self {
        self.problem
            .errors
            .extend(errors.iter().map(|error| ApiFieldError {
                field: error.field.to_owned(),
                message: error.message.clone(),
            }));
        self
    }

    /// Maps a page error (from the shared access check) to its JSON form.
    pub fn from_web(t: &Translator, error: WebError) -> Self {
        match error {
            WebError::Forbidden => ApiFailure::forbidden(t),
            WebError::NotFound => ApiFailure::not_found(t),
            WebError::BadRequest(key) => {
                ApiFailure::new(t, StatusCode::BAD_REQUEST, "bad_request", key.0)
            }
            other => ApiFailure::internal(t, "API request failed", &other),
        }
    }

    /// Maps a store error: a missing row is 404, anything else 500.
    pub fn from_store(t: &Translator, context: &str, error: StoreError) -> Self {
        match error {
            StoreError::NotFound => ApiFailure::not_found(t),
            other => ApiFailure::internal(t, context, &other),
        }
    }
}

/// Returns the translator for the token owner's interface language.
pub fn translator(api_user: &ApiUser) -> Translator {
    Translator::new(Locale::parse(&api_user.user.locale).unwrap_or_default())
}

/// Opens a case exactly as the pages do (same scope, same audit `action`),
/// with the audit event marked as coming through the API. A token whose
/// role reaches no cases is also audited, as denied, since programs can
/// repeat such calls at will.
pub async fn open_case(
    state: &AppState,
    api_user: &ApiUser,
    case_id: &str,
    action: &str,
) -> Result<CaseView, ApiFailure> {
    let t = translator(api_user);
    match open_case_as(
        state,
        api_user.role,
        &api_user.user,
        api_user.client_ip.as_deref(),
        case_id,
        action,
        json!({ "via": "api" }),
    )
    .await
    {
        Ok(view) => Ok(view),
        Err(WebError::Forbidden) => {
            audit(
                state,
                api_user,
                action,
                Outcome::Denied,
                ("case", case_id),
                json!({ "reason": "role" }),
            )
            .await?;
            Err(ApiFailure::forbidden(&t))
        }
        Err(error) => Err(ApiFailure::from_web(&t, error)),
    }
}

/// Appends an audit event by the token owner on `object`, with `"via":
/// "api"` added to `details`.
pub async fn audit(
    state: &AppState,
    api_user: &ApiUser,
    action: &str,
    outcome: Outcome,
    object: (&str, &str),
    mut details: Value,
) -> Result<(), ApiFailure> {
    if let Value::Object(map) = &mut details {
        map.insert("via".to_owned(), Value::from("api"));
    }
    let event = AuditEvent::new(action, outcome)
        .actor(&api_user.user.id, &api_user.user.username)
        .client_ip(api_user.client_ip.as_deref())
        .object(object.0, object.1)
        .details(details);
    state
        .store
        .run(move |db| procap_store::audit::append(db, &event))
        .await
        .map(|_| ())
        .map_err(|error| ApiFailure::internal(&translator(api_user), "audit append failed", &error))
}

/// Reads a JSON body; a body that is not JSON, or not of the expected
/// shape, is answered in the caller's language.
pub fn json_body<T>(t: &Translator, body: Result<Json<T>, JsonRejection>) -> Result<T, ApiFailure> {
    match body {
        Ok(Json(value)) => Ok(value),
        Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiFailure::new(
            t,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "api-error-content-type",
        )),
        Err(rejection) => Err(ApiFailure::new(
            t,
            rejection.status(),
            "invalid_body",
            "api-error-body",
        )),
    }
}

/// Builds a 201 response with the new record's address in `Location`.
pub fn created(location: &str, id: String) -> Response {
    let mut response = (StatusCode::CREATED, Json(Created { id })).into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// One value of a request body field: text, a number or a yes/no flag.
/// Each becomes the text the page form would have sent.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Flag(bool),
    Number(serde_json::Number),
    Text(String),
}

impl Scalar {
    /// Converts the value to form text: flags become `yes`/`no`, numbers
    /// their digits.
    pub fn into_form_value(self) -> String {
        match self {
            Scalar::Flag(true) => "yes".to_owned(),
            Scalar::Flag(false) => "no".to_owned(),
            Scalar::Number(number) => number.to_string(),
            Scalar::Text(text) => text,
        }
    }
}

/// Collects the fields that are present as `name=value` pairs.
pub fn pairs<const N: usize>(fields: [(&str, Option<Scalar>); N]) -> Vec<(String, String)> {
    fields
        .into_iter()
        .filter_map(|(name, value)| value.map(|value| (name.to_owned(), value.into_form_value())))
        .collect()
}

/// The slice of a list to return: `limit` with `offset`, or `limit` with a
/// 1-based `page`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// Rows per page, 1 to 500 (default 50).
    limit: Option<i64>,
    /// Rows to skip (default 0). Not together with `page`.
    offset: Option<i64>,
    /// Page number from 1, counted in pages of `limit` rows.
    page: Option<i64>,
}

impl PageQuery {
    /// Returns `(offset, limit)`, or a 400 when a value is out of range or
    /// both `offset` and `page` are given.
    pub fn resolve(&self, t: &Translator) -> Result<(i64, i64), ApiFailure> {
        let invalid =
            || ApiFailure::new(t, StatusCode::BAD_REQUEST, "invalid_page", "api-error-page");
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(invalid());
        }
        let offset = match (self.offset, self.page) {
            (Some(_), Some(_)) => return Err(invalid()),
            (Some(offset), None) if offset >= 0 => offset,
            (None, Some(page)) if page >= 1 => (page - 1).checked_mul(limit).ok_or_else(invalid)?,
            (None, None) => 0,
            _ => return Err(invalid()),
        };
        Ok((offset, limit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(limit: Option<i64>, offset: Option<i64>, page: Option<i64>) -> PageQuery {
        PageQuery {
            limit,
            offset,
            page,
        }
    }

    #[test]
    fn pages_become_offsets() {
        let t = Translator::new(Locale::En);
        assert_eq!(query(None, None, None).resolve(&t).ok(), Some((0, 50)));
        assert_eq!(
            query(Some(10), None, Some(3)).resolve(&t).ok(),
            Some((20, 10))
        );
        assert_eq!(
            query(Some(10), Some(7), None).resolve(&t).ok(),
            Some((7, 10))
        );
        for bad in [
            query(Some(0), None, None),
            query(Some(501), None, None),
            query(None, Some(-1), None),
            query(None, None, Some(0)),
            query(None, Some(0), Some(1)),
            query(Some(500), None, Some(i64::MAX)),
        ] {
            assert!(bad.resolve(&t).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn scalars_become_form_text() {
        let fields = pairs([
            ("a", Some(Scalar::Flag(true))),
            ("b", None),
            ("c", Some(Scalar::Number(45.into()))),
            ("d", Some(Scalar::Text("Δοκιμή".to_owned()))),
        ]);
        assert_eq!(
            fields,
            vec![
                ("a".to_owned(), "yes".to_owned()),
                ("c".to_owned(), "45".to_owned()),
                ("d".to_owned(), "Δοκιμή".to_owned()),
            ]
        );
    }
}
