//! `GET /reports/amif`: the AMIF indicators of a period (Athens calendar
//! days, both ends included) for one organisation or all, with the CSV,
//! XLSX and PDF downloads at `/reports/amif/download` and a definition page
//! per indicator. Users with `ViewStatistics` may open them; coordinators
//! see only their own organisation, administrators and monitoring officers
//! any organisation or all. The figures come from the same store and
//! domain functions as `procap report amif`, so the page and the file
//! always agree.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use procap_domain::locale::Locale;
use procap_domain::role::{Permission, Role};
use procap_domain::stats::amif::{self, AmifFigures, Period, TRAINEES_COMPLETED};
use procap_reports::amif::{AmifReport, AmifValue, amif_csv, amif_pdf, amif_xlsx};
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::organisations::{self, Organisation};
use procap_store::reporting;
use serde::Deserialize;
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::render;
use crate::i18n::Translator;
use crate::pages::reports::{
    AMIF_DOWNLOAD_PATH, AMIF_PATH, AmifLine, AmifPage, DefinitionPage, Download, PeriodForm,
    definition_href,
};
use crate::pages::training_dashboard::percent;
use crate::pages::{FieldErrors, SelectOption};
use crate::state::AppState;

/// The filter of a report page as sent by the form, every field as text.
#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    pub(crate) from: String,
    #[serde(default)]
    pub(crate) to: String,
    #[serde(default)]
    pub(crate) organisation: String,
    #[serde(default)]
    pub(crate) format: String,
}

/// A checked filter: the period and the organisation (`None` for all).
pub(crate) struct Scope {
    pub(crate) period: Period,
    pub(crate) organisation: Option<Organisation>,
}

/// Checks the query. An empty period means this calendar year up to today.
/// Coordinators are held to their own organisation whatever they send. The
/// case dashboard checks its period and organisation here too.
pub(crate) fn check(
    t: &Translator,
    user: &CurrentUser,
    query: &ReportQuery,
    all: &[Organisation],
) -> (PeriodForm, Result<Scope, FieldErrors>) {
    let today = chrono::Utc::now().date_naive();
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let mut form = PeriodForm {
        from: query.from.trim().to_owned(),
        to: query.to.trim().to_owned(),
        organisation: query.organisation.trim().to_owned(),
    };
    if form.from.is_empty() && form.to.is_empty() {
        form.from = year_start.to_string();
        form.to = today.to_string();
    }
    if !may_choose(user) {
        form.organisation = user.user.organisation_id.clone();
    }
    let mut errors = FieldErrors::new();
    let day = |text: &str, field: &'static str, errors: &mut FieldErrors| {
        let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        if parsed.is_none() {
            errors.add(field, t.t("reports-error-date"));
        }
        parsed
    };
    let from = day(&form.from, "from", &mut errors);
    let to = day(&form.to, "to", &mut errors);
    let period = match (from, to) {
        (Some(from), Some(to)) => match Period::new(from, to) {
            Ok(period) => Some(period),
            Err(_) => {
                errors.add("to", t.t("reports-error-order"));
                None
            }
        },
        _ => None,
    };
    let organisation = if form.organisation.is_empty() {
        None
    } else {
        let found = all.iter().find(|o| o.id == form.organisation).cloned();
        if found.is_none() {
            errors.add("organisation", t.t("reports-error-organisation"));
        }
        found
    };
    match period {
        Some(period) if errors.is_empty() => (
            form,
            Ok(Scope {
                period,
                organisation,
            }),
        ),
        _ => (form, Err(errors)),
    }
}

/// Administrators and monitoring officers may choose any organisation or
/// all; everyone else sees their own.
pub(crate) fn may_choose(user: &CurrentUser) -> bool {
    matches!(user.role, Role::Admin | Role::Monitoring)
}

pub(crate) fn scope_name(t: &Translator, scope: &Scope) -> String {
    scope
        .organisation
        .as_ref()
        .map_or_else(|| t.t("reports-all-organisations"), |o| o.name.clone())
}

async fn figures(
    state: &AppState,
    scope: &Scope,
) -> Result<(AmifFigures, amif::TrainingFigures), WebError> {
    let period = scope.period;
    let organisation_id = scope.organisation.as_ref().map(|o| o.id.clone());
    Ok(state
        .store
        .run(move |db| reporting::amif_figures(db, period, organisation_id.as_deref()))
        .await?)
}

fn value_text(t: &Translator, value: AmifValue) -> String {
    match value {
        AmifValue::Count(count) => t.format_number(&i64::try_from(count).unwrap_or(i64::MAX)),
        AmifValue::Share {
            numerator,
            denominator,
        } => match value.percent() {
            Some(share) => format!("{} ({numerator}/{denominator})", percent(t.locale(), share)),
            None => "—".to_owned(),
        },
    }
}

/// Builds the link to the download at `path` of the report the form
/// shows, as a file of `format`.
pub(crate) fn download_href(path: &str, form: &PeriodForm, format: &str) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("from", &form.from)
        .append_pair("to", &form.to)
        .append_pair("organisation", &form.organisation)
        .append_pair("format", format)
        .finish();
    format!("{path}?{query}")
}

/// Records that `user` viewed or downloaded the report `action` (for
/// example `report.amif`) with this filter, as `format`.
pub(crate) async fn audit_report(
    state: &AppState,
    user: &CurrentUser,
    scope: &Scope,
    action: &str,
    format: &str,
) -> Result<(), WebError> {
    let event = AuditEvent::new(action, Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .details(json!({
            "via": "web",
            "format": format,
            "from": scope.period.from().to_string(),
            "to": scope.period.to().to_string(),
            "organisation": scope.organisation.as_ref().map(|o| o.id.clone()),
        }));
    record(&state.store, event).await
}

/// Returns the file extension and content type of a report download format.
pub(crate) fn file_type(format: &str) -> Option<(&'static str, &'static str)> {
    match format {
        "csv" => Some(("csv", "text/csv; charset=utf-8")),
        "xlsx" => Some((
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )),
        "pdf" => Some(("pdf", "application/pdf")),
        _ => None,
    }
}

/// Builds the report file for the period of `scope`, named
/// `{stem}-{from}-{to}.{extension}`.
pub(crate) fn attachment(
    stem: &str,
    scope: &Scope,
    (extension, content_type): (&str, &str),
    bytes: Vec<u8>,
) -> Response {
    let name = format!(
        "{stem}-{}-{}.{extension}",
        scope.period.from(),
        scope.period.to()
    );
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// Links to the HTCDS export and the scheduled reports, for users who may
/// open them.
fn other_reports(t: &Translator, user: &CurrentUser) -> Vec<Download> {
    let mut links = Vec::new();
    if user.can(Permission::ExportCases) {
        links.push(Download {
            label: t.t("reports-htcds-title"),
            href: crate::pages::reports::HTCDS_PATH.to_owned(),
        });
    }
    if user.can(Permission::ScheduleReports) {
        links.push(Download {
            label: t.t("reports-schedule-title"),
            href: crate::pages::reports::SCHEDULE_PATH.to_owned(),
        });
    }
    links
}

/// `GET /reports/amif`.
pub async fn amif_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ReportQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::ViewStatistics)?;
    let t = Translator::new(user.locale);
    let all = state.store.run(organisations::list).await?;
    let (form, checked) = check(&t, &user, &query, &all);
    let organisations = all
        .iter()
        .map(|o| SelectOption::new(o.id.clone(), o.name.clone(), o.id == form.organisation))
        .collect();
    let mut page = AmifPage {
        ctx: user.page(AMIF_PATH),
        form,
        errors: FieldErrors::new(),
        organisations,
        all_allowed: may_choose(&user),
        summary: String::new(),
        participants: Vec::new(),
        training: Vec::new(),
        downloads: Vec::new(),
        other_reports: other_reports(&t, &user),
    };
    let scope = match checked {
        Ok(scope) => scope,
        Err(errors) => {
            page.errors = errors;
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
    };
    let (figures, training) = figures(&state, &scope).await?;
    let report = AmifReport::new(&figures, &training, scope_name(&t, &scope));
    page.summary = t.t_args(
        "reports-amif-summary",
        &[
            ("from", t.format_date(&scope.period.from()).into()),
            ("to", t.format_date(&scope.period.to()).into()),
            ("scope", report.scope.clone().into()),
        ],
    );
    let participant_codes = amif::definitions().len();
    for (index, row) in report.rows.iter().enumerate() {
        let name = match user.locale {
            Locale::El => row.name_el.clone(),
            Locale::En => row.name_en.clone(),
        };
        let line = AmifLine {
            name,
            value: value_text(&t, row.value),
            definition_href: definition_href(&row.code),
            part: amif::definition_by_code(&row.code).is_some_and(|d| d.part_of.is_some())
                || row.code == TRAINEES_COMPLETED,
        };
        if index < participant_codes {
            page.participants.push(line);
        } else {
            page.training.push(line);
        }
    }
    page.downloads = [
        ("csv", "reports-download-csv"),
        ("xlsx", "reports-download-xlsx"),
        ("pdf", "reports-download-pdf"),
    ]
    .into_iter()
    .map(|(format, key)| Download {
        label: t.t(key),
        href: download_href(AMIF_DOWNLOAD_PATH, &page.form, format),
    })
    .collect();
    audit_report(&state, &user, &scope, "report.amif", "html").await?;
    render(&page)
}

/// `GET /reports/amif/download?format=csv|xlsx|pdf`: the same figures as a
/// file. A bad filter shows the page with its messages.
pub async fn amif_download(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ReportQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::ViewStatistics)?;
    let file = file_type(&query.format).ok_or(WebError::NotFound)?;
    let t = Translator::new(user.locale);
    let all = state.store.run(organisations::list).await?;
    let (_, checked) = check(&t, &user, &query, &all);
    let Ok(scope) = checked else {
        return amif_page(State(state), user, Query(query)).await;
    };
    let (figures, training) = figures(&state, &scope).await?;
    let report = AmifReport::new(&figures, &training, scope_name(&t, &scope));
    let bytes = match file.0 {
        "csv" => amif_csv(&report),
        "xlsx" => amif_xlsx(&report).map_err(|error| WebError::Internal(error.into()))?,
        _ => amif_pdf(&report).map_err(|error| WebError::Internal(error.into()))?,
    };
    audit_report(&state, &user, &scope, "report.amif", file.0).await?;
    Ok(attachment("amif", &scope, file, bytes))
}

/// `GET /reports/amif/definitions/{code}`: how one number is computed.
pub async fn definition(user: CurrentUser, Path(code): Path<String>) -> Result<Response, WebError> {
    user.require(Permission::ViewStatistics)?;
    let locale = user.locale;
    let page = if let Some(found) = amif::definition_by_code(&code) {
        DefinitionPage {
            ctx: user.page(AMIF_PATH),
            name: found.name(locale).to_owned(),
            definition: found.definition(locale).to_owned(),
            part_of: found.part_of.map(|parent| {
                let parent = amif::definition(parent);
                (parent.name(locale).to_owned(), definition_href(parent.code))
            }),
            back_href: AMIF_PATH,
        }
    } else if let Some(found) = amif::training_definition_by_code(&code) {
        DefinitionPage {
            ctx: user.page(AMIF_PATH),
            name: found.name(locale).to_owned(),
            definition: found.definition(locale).to_owned(),
            part_of: None,
            back_href: AMIF_PATH,
        }
    } else {
        return Err(WebError::NotFound);
    };
    render(&page)
}
