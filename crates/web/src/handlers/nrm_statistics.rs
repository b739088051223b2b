//! `GET /reports/nrm`: the NRM statistics of a period (Athens calendar
//! days, both ends included) for one organisation or all, with the CSV,
//! XLSX and PDF downloads at `/reports/nrm/download`.
//!
//! The filter and its rules are those of the AMIF page: users with
//! `ViewStatistics` may open it, coordinators see only their own
//! organisation. The counts come from the same store and report functions
//! as `procap report nrm`, so the page and the files always agree.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use procap_domain::locale::Locale;
use procap_domain::role::Permission;
use procap_domain::stats::nrm::NrmStatistics;
use procap_reports::nrm::{NrmStatisticsReport, nrm_csv, nrm_pdf, nrm_xlsx};
use procap_store::{nrm_reporting, organisations};

use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::render;
use crate::handlers::reports::{
    ReportQuery, Scope, attachment, audit_report, check, download_href, file_type, may_choose,
    scope_name,
};
use crate::i18n::Translator;
use crate::pages::reports::{
    AMIF_PATH, Download, NRM_DOWNLOAD_PATH, NrmStatisticsPage, NrmTableView,
};
use crate::pages::{FieldErrors, SelectOption};
use crate::state::AppState;

/// Labels a statistics report in both languages from the `.ftl` files.
pub fn label_report(statistics: &NrmStatistics, scope: String) -> NrmStatisticsReport {
    NrmStatisticsReport::new(statistics, scope, |locale, key| {
        Translator::new(locale).t(key)
    })
}

async fn statistics(state: &AppState, scope: &Scope) -> Result<NrmStatistics, WebError> {
    let period = scope.period;
    let organisation_id = scope.organisation.as_ref().map(|o| o.id.clone());
    Ok(state
        .store
        .run(move |db| nrm_reporting::nrm_statistics(db, period, organisation_id.as_deref()))
        .await?)
}

/// `GET /reports/nrm`.
pub async fn page(
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
    let mut page = NrmStatisticsPage {
        ctx: user.page(AMIF_PATH),
        form,
        errors: FieldErrors::new(),
        organisations,
        all_allowed: may_choose(&user),
        summary: String::new(),
        persons: String::new(),
        new_persons: String::new(),
        tables: Vec::new(),
        downloads: Vec::new(),
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

    let statistics = statistics(&state, &scope).await?;
    let report = label_report(&statistics, scope_name(&t, &scope));
    page.summary = t.t_args(
        "reports-amif-summary",
        &[
            ("from", t.format_date(&scope.period.from()).into()),
            ("to", t.format_date(&scope.period.to()).into()),
            ("scope", report.scope.clone().into()),
        ],
    );
    let count = |value: u64| t.format_number(&i64::try_from(value).unwrap_or(i64::MAX));
    page.persons = count(report.persons);
    page.new_persons = count(report.new_persons);
    page.tables = report
        .tables
        .iter()
        .map(|table| NrmTableView {
            id: format!("nrm-{}", table.code.replace('_', "-")),
            caption: match user.locale {
                Locale::El => table.name_el.clone(),
                Locale::En => table.name_en.clone(),
            },
            multi_valued: table.multi_valued,
            rows: table
                .rows
                .iter()
                .map(|row| {
                    let label = match user.locale {
                        Locale::El => row.label_el.clone(),
                        Locale::En => row.label_en.clone(),
                    };
                    (label, count(row.persons))
                })
                .collect(),
        })
        .collect();
    page.downloads = [
        ("csv", "reports-download-csv"),
        ("xlsx", "reports-download-xlsx"),
        ("pdf", "reports-download-pdf"),
    ]
    .into_iter()
    .map(|(format, key)| Download {
        label: t.t(key),
        href: download_href(NRM_DOWNLOAD_PATH, &page.form, format),
    })
    .collect();
    audit_report(&state, &user, &scope, "report.nrm", "html").await?;
    render(&page)
}

/// `GET /reports/nrm/download?format=csv|xlsx|pdf`: the same statistics as
/// a file. A bad filter shows the page with its messages, and nothing is
/// exported.
pub async fn download(
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
        return page(State(state), user, Query(query)).await;
    };

    let statistics = statistics(&state, &scope).await?;
    let report = label_report(&statistics, scope_name(&t, &scope));
    let format = file.0;
    let bytes = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, anyhow::Error> {
        Ok(match format {
            "csv" => nrm_csv(&report),
            "xlsx" => nrm_xlsx(&report)?,
            _ => nrm_pdf(&report)?,
        })
    })
    .await
    .map_err(|error| WebError::Internal(error.into()))?
    .map_err(WebError::Internal)?;

    audit_report(&state, &user, &scope, "report.nrm", file.0).await?;
    Ok(attachment("nrm", &scope, file, bytes))
}
