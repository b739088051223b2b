//! The xAPI export of learning events, for trainers and coordinators
//! (ManageTraining).
//!
//! - `GET /training/manage/xapi`: the form (course or all, period, format).
//! - `GET /training/manage/xapi/statements?course=&from=&to=&format=`: the
//!   download, a JSON array (`format=json`, the default) or one statement a
//!   line (`format=ndjson`). Dates are calendar days in Athens, both ends
//!   included. A bad filter shows the form again with the messages. Each
//!   export is audited with its filter and the number of statements.
//!
//! Statements are built by `procap_domain::training::xapi` from events the
//! store loads; actors are accounts on the public base URL named by user
//! id, so the export holds no names or e-mail addresses.

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use procap_domain::locale::Locale;
use procap_domain::role::Permission;
use procap_domain::training::xapi::{ActivityIds, statement};
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::training::xapi::{self, EventFilter};
use serde::Deserialize;
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::render;
use crate::i18n::Translator;
use crate::pages::training_scorm::{XAPI_PATH, XapiForm, XapiPage};
use crate::pages::{FieldErrors, SelectOption};
use crate::state::AppState;

/// The query of the download.
#[derive(Debug, Default, Deserialize)]
pub struct XapiQuery {
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub format: String,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    form: XapiForm,
    errors: FieldErrors,
) -> Result<XapiPage, WebError> {
    let courses = state.store.run(xapi::course_choices).await?;
    let ctx = user.page(XAPI_PATH);
    Ok(XapiPage {
        courses: courses
            .into_iter()
            .map(|course| {
                let title = match user.locale {
                    Locale::El => course.title_el,
                    Locale::En => course.title_en,
                };
                let selected = course.id == form.course;
                SelectOption::new(course.id, title, selected)
            })
            .collect(),
        form,
        errors,
        ctx,
    })
}

/// `GET /training/manage/xapi`: the export form.
pub async fn show(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let form = XapiForm {
        format: "json".to_owned(),
        ..XapiForm::default()
    };
    render(&page(&state, &user, form, FieldErrors::new()).await?)
}

/// The start of an Athens calendar day, in UTC.
fn athens_midnight(day: NaiveDate) -> NaiveDateTime {
    let local = day.and_time(NaiveTime::MIN);
    chrono_tz::Europe::Athens
        .from_local_datetime(&local)
        .earliest()
        .map_or(local, |at| at.naive_utc())
}

/// Checks the query; the filter, or the messages by field.
fn parse_filter(
    t: &Translator,
    query: &XapiQuery,
    course_ids: &[String],
) -> Result<EventFilter, FieldErrors> {
    let mut errors = FieldErrors::new();
    let course_id = match query.course.trim() {
        "" => None,
        id if course_ids.iter().any(|known| known == id) => Some(id.to_owned()),
        _ => {
            errors.add("course", t.t("xapi-error-course"));
            None
        }
    };
    let mut date = |field: &'static str, value: &str| match value.trim() {
        "" => None,
        value => match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            Ok(day) => Some(day),
            Err(_) => {
                errors.add(field, t.t("xapi-error-date"));
                None
            }
        },
    };
    let from = date("from", &query.from);
    let to = date("to", &query.to);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        errors.add("to", t.t("xapi-error-period"));
    }
    if !matches!(query.format.as_str(), "" | "json" | "ndjson") {
        errors.add("", t.t("xapi-error-format"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(EventFilter {
        course_id,
        from: from.map(athens_midnight),
        until: to.and_then(|to| to.succ_opt()).map(athens_midnight),
    })
}

/// `GET /training/manage/xapi/statements`: the statements as a download.
pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<XapiQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let t = Translator::new(user.locale);
    let courses = state.store.run(xapi::course_choices).await?;
    let course_ids: Vec<String> = courses.into_iter().map(|course| course.id).collect();
    let form = XapiForm {
        course: query.course.clone(),
        from: query.from.clone(),
        to: query.to.clone(),
        format: if query.format.is_empty() {
            "json".to_owned()
        } else {
            query.format.clone()
        },
    };
    let filter = match parse_filter(&t, &query, &course_ids) {
        Ok(filter) => filter,
        Err(errors) => {
            let mut response = render(&page(&state, &user, form, errors).await?)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
    };

    let ids = ActivityIds::new(&state.config.public_origin);
    let load_ids = ids.clone();
    let load_filter = filter.clone();
    let events = state
        .store
        .run(move |db| xapi::learning_events(db, &load_ids, &load_filter))
        .await?;
    let statements: Vec<_> = events.iter().map(|event| statement(&ids, event)).collect();
    let ndjson = form.format == "ndjson";
    let body = if ndjson {
        let mut lines = String::new();
        for statement in &statements {
            let line = serde_json::to_string(statement)
                .map_err(|error| WebError::Internal(anyhow::anyhow!("xAPI statement: {error}")))?;
            lines.push_str(&line);
            lines.push('\n');
        }
        lines
    } else {
        serde_json::to_string_pretty(&statements)
            .map_err(|error| WebError::Internal(anyhow::anyhow!("xAPI statements: {error}")))?
    };

    let event = AuditEvent::new("training.xapi.export", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .details(json!({
            "course_id": filter.course_id,
            "from": form.from,
            "to": form.to,
            "format": form.format,
            "statements": statements.len(),
        }));
    record(&state.store, event).await?;

    let (content_type, file_name) = if ndjson {
        ("application/x-ndjson", "xapi-statements.ndjson")
    } else {
        ("application/json", "xapi-statements.json")
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
            .map_err(|error| WebError::Internal(anyhow::anyhow!("disposition: {error}")))?,
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
