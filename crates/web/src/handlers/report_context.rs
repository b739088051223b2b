//! `GET /reports/context?organisation=&region=`: UNODC's figures for Greece
//! (detected victims per year and by form of exploitation) beside the
//! organisation's own cases of the same years, and the shares of
//! exploitation types and means of control in the CTDC sample beside the
//! organisation's own shares. The UNODC and CTDC data are compiled into
//! Procap (`procap_import::context`). The organisation's numbers leave out
//! the CTDC records imported as historical cases, which would otherwise be
//! compared with themselves.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use procap_domain::case::vocab::{ExploitationType, MeansOfControl, Vocabulary};
use procap_domain::role::Permission;
use procap_domain::stats::context::{CodeShares, PublishedCount, UnodcForm, forms_per_year};
use procap_import::context::{ctdc_shares, unodc_greece};
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::case_dashboard;
use procap_store::organisations;
use serde::Deserialize;
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::case_dashboard::{check_region, organisation_options, region_options};
use crate::handlers::render;
use crate::handlers::reports::may_choose;
use crate::i18n::Translator;
use crate::pages::FieldErrors;
use crate::pages::charts::{
    BLUE, BarChart, ChartBlock, ORANGE, Series, TableRow, bar_chart, decimal, percent,
};
use crate::pages::reports::{CONTEXT_PATH, ContextPage, DashboardForm};
use crate::state::AppState;

/// The filter as sent by the form.
#[derive(Debug, Default, Deserialize)]
pub struct ContextQuery {
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub region: String,
}

/// A published count as the table shows it: the number, `<5`, or the range
/// a sum of suppressed cells can have.
fn published_text(t: &Translator, value: Option<PublishedCount>) -> String {
    match value {
        None => "—".to_owned(),
        Some(value) if value.is_suppressed() => "<5".to_owned(),
        Some(value) => match value.value() {
            Some(exact) => t.format_number(&i64::try_from(exact).unwrap_or(i64::MAX)),
            None => format!(
                "{}–{}",
                t.format_number(&i64::try_from(value.low).unwrap_or(i64::MAX)),
                t.format_number(&i64::try_from(value.high).unwrap_or(i64::MAX))
            ),
        },
    }
}

fn optional_percent(t: &Translator, value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |value| percent(t.locale(), value))
}

fn form_key(form: UnodcForm) -> &'static str {
    match form {
        UnodcForm::SexualExploitation => "reports-context-form-sexual-exploitation",
        UnodcForm::ForcedLabour => "reports-context-form-forced-labour",
        UnodcForm::OtherForms => "reports-context-form-other",
    }
}

fn two_series(t: &Translator, first_key: &str, second_key: &str) -> [Series; 2] {
    [
        Series {
            name: t.t(first_key),
            color: BLUE,
        },
        Series {
            name: t.t(second_key),
            color: ORANGE,
        },
    ]
}

fn describe(
    t: &Translator,
    rows: &[(String, Vec<f64>)],
    series: &[Series],
    digits: usize,
) -> String {
    rows.iter()
        .map(|(label, values)| {
            let figures = series
                .iter()
                .zip(values)
                .map(|(series, value)| {
                    format!("{} {}", series.name, decimal(t.locale(), *value, digits))
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!("{label}: {figures}.")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Detected victims in Greece and the organisation's own cases per year.
fn years_block(t: &Translator, own_per_year: &BTreeMap<i32, i64>) -> ChartBlock {
    let greece = unodc_greece();
    let mut years = greece.years();
    years.extend(own_per_year.keys().copied());
    years.sort_unstable();
    years.dedup();
    let heading = t.t("reports-context-years-heading");
    let series = two_series(
        t,
        "reports-context-series-unodc",
        "reports-context-series-own",
    );
    let rows: Vec<(String, Vec<f64>)> = years
        .iter()
        .map(|year| {
            let unodc = greece.total.get(year).map_or(0.0, |count| count.low as f64);
            let own = own_per_year.get(year).copied().unwrap_or(0) as f64;
            (year.to_string(), vec![unodc, own])
        })
        .collect();
    let format = |value: f64| decimal(t.locale(), value, 0);
    let svg = bar_chart(&BarChart {
        id: "context-years",
        title: &heading,
        description: &describe(t, &rows, &series, 0),
        series: &series,
        rows: &rows,
        marker: None,
        format: &format,
        at_least: 1.0,
    });
    ChartBlock {
        id: "context-years",
        intro: t.t("reports-context-years-intro"),
        svg,
        caption: t.t("reports-dashboard-caption"),
        first_header: t.t("reports-dashboard-col-year"),
        heading,
        headers: vec![
            t.t("reports-context-col-unodc"),
            t.t("reports-context-col-own"),
        ],
        rows: years
            .iter()
            .map(|year| TableRow {
                label: year.to_string(),
                cells: vec![
                    published_text(t, greece.total.get(year).copied()),
                    own_per_year
                        .get(year)
                        .map_or_else(|| "—".to_owned(), |count| t.format_number(count)),
                ],
            })
            .collect(),
    }
}

/// The forms of exploitation: shares over every UNODC year in the chart,
/// and each year's counts in the table.
fn forms_block(t: &Translator, own_forms: &BTreeMap<(i32, UnodcForm), u64>) -> ChartBlock {
    let greece = unodc_greece();
    let years = greece.years();
    let unodc_total = |form: UnodcForm| {
        years
            .iter()
            .filter_map(|year| greece.by_form.get(&(*year, form)))
            .fold(PublishedCount::default(), |sum, count| sum.plus(*count))
    };
    let own_total = |form: UnodcForm| {
        years
            .iter()
            .filter_map(|year| own_forms.get(&(*year, form)))
            .sum::<u64>()
    };
    let unodc_all: u64 = UnodcForm::ALL
        .iter()
        .map(|form| unodc_total(*form).low)
        .sum();
    let own_all: u64 = UnodcForm::ALL.iter().map(|form| own_total(*form)).sum();
    let share = |part: u64, whole: u64| (whole > 0).then(|| part as f64 * 100.0 / whole as f64);

    let heading = t.t("reports-context-forms-heading");
    let series = two_series(
        t,
        "reports-context-series-unodc",
        "reports-context-series-own",
    );
    let rows: Vec<(String, Vec<f64>)> = UnodcForm::ALL
        .iter()
        .map(|form| {
            (
                t.t(form_key(*form)),
                vec![
                    share(unodc_total(*form).low, unodc_all).unwrap_or(0.0),
                    share(own_total(*form), own_all).unwrap_or(0.0),
                ],
            )
        })
        .collect();
    let format = |value: f64| percent(t.locale(), value);
    let svg = bar_chart(&BarChart {
        id: "context-forms",
        title: &heading,
        description: &describe(t, &rows, &series, 1),
        series: &series,
        rows: &rows,
        marker: None,
        format: &format,
        at_least: 100.0,
    });
    let mut table_rows: Vec<TableRow> = UnodcForm::ALL
        .iter()
        .map(|form| TableRow {
            label: t.t1(
                "reports-context-forms-all-years",
                "form",
                t.t(form_key(*form)),
            ),
            cells: vec![
                published_text(t, Some(unodc_total(*form))),
                optional_percent(t, share(unodc_total(*form).low, unodc_all)),
                t.format_number(&i64::try_from(own_total(*form)).unwrap_or(i64::MAX)),
                optional_percent(t, share(own_total(*form), own_all)),
            ],
        })
        .collect();
    for year in &years {
        for form in UnodcForm::ALL {
            let unodc = greece.by_form.get(&(*year, form)).copied();
            let own = own_forms.get(&(*year, form)).copied().unwrap_or(0);
            if unodc.is_none() && own == 0 {
                continue;
            }
            table_rows.push(TableRow {
                label: format!("{year} · {}", t.t(form_key(form))),
                cells: vec![
                    published_text(t, unodc),
                    String::new(),
                    t.format_number(&i64::try_from(own).unwrap_or(i64::MAX)),
                    String::new(),
                ],
            });
        }
    }
    ChartBlock {
        id: "context-forms",
        intro: t.t("reports-context-forms-intro"),
        svg,
        caption: t.t("reports-dashboard-caption"),
        first_header: t.t("reports-context-col-form"),
        heading,
        headers: vec![
            t.t("reports-context-col-unodc"),
            t.t("reports-context-col-unodc-share"),
            t.t("reports-context-col-own"),
            t.t("reports-context-col-own-share"),
        ],
        rows: table_rows,
    }
}

/// The shares of each code of `V` in the CTDC sample and in the
/// organisation's own cases.
fn shares_block<V: Vocabulary>(
    t: &Translator,
    id: &'static str,
    heading_key: &str,
    intro: String,
    ctdc: &CodeShares<V>,
    own: &CodeShares<V>,
) -> ChartBlock {
    let heading = t.t(heading_key);
    let series = two_series(
        t,
        "reports-context-series-ctdc",
        "reports-context-series-own",
    );
    let rows: Vec<(String, Vec<f64>)> = V::ALL
        .iter()
        .map(|code| {
            (
                t.t(code.label_key()),
                vec![
                    ctdc.percent(*code).unwrap_or(0.0),
                    own.percent(*code).unwrap_or(0.0),
                ],
            )
        })
        .collect();
    let format = |value: f64| percent(t.locale(), value);
    let svg = bar_chart(&BarChart {
        id,
        title: &heading,
        description: &describe(t, &rows, &series, 1),
        series: &series,
        rows: &rows,
        marker: None,
        format: &format,
        at_least: 100.0,
    });
    let count_of = |shares: &CodeShares<V>, code: V| {
        shares
            .counts
            .iter()
            .find(|(known, _)| *known == code)
            .map_or(0, |(_, count)| *count)
    };
    let number = |value: u64| t.format_number(&i64::try_from(value).unwrap_or(i64::MAX));
    let mut table_rows: Vec<TableRow> = V::ALL
        .iter()
        .map(|code| TableRow {
            label: t.t(code.label_key()),
            cells: vec![
                number(count_of(ctdc, *code)),
                optional_percent(t, ctdc.percent(*code)),
                number(count_of(own, *code)),
                optional_percent(t, own.percent(*code)),
            ],
        })
        .collect();
    table_rows.push(TableRow {
        label: t.t("reports-context-base"),
        cells: vec![
            number(ctdc.records),
            String::new(),
            number(own.records),
            String::new(),
        ],
    });
    ChartBlock {
        id,
        intro,
        svg,
        caption: t.t("reports-dashboard-caption"),
        first_header: heading.clone(),
        heading,
        headers: vec![
            t.t("reports-context-col-ctdc"),
            t.t("reports-context-col-ctdc-share"),
            t.t("reports-context-col-own"),
            t.t("reports-context-col-own-share"),
        ],
        rows: table_rows,
    }
}

/// `GET /reports/context`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ContextQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::ViewStatistics)?;
    let t = Translator::new(user.locale);
    let all = state.store.run(organisations::list).await?;
    let mut form = DashboardForm {
        organisation: query.organisation.trim().to_owned(),
        region: query.region.trim().to_owned(),
        ..DashboardForm::default()
    };
    if !may_choose(&user) {
        form.organisation = user.user.organisation_id.clone();
    }
    let mut errors = FieldErrors::new();
    let organisation = if form.organisation.is_empty() {
        None
    } else {
        let found = all.iter().find(|o| o.id == form.organisation).cloned();
        if found.is_none() {
            errors.add("organisation", t.t("reports-error-organisation"));
        }
        found
    };
    let region = check_region(&t, &form.region, &mut errors);
    let mut page = ContextPage {
        ctx: user.page(CONTEXT_PATH),
        organisations: organisation_options(&all, &form.organisation),
        regions: region_options(&t, &form.region),
        form,
        errors: FieldErrors::new(),
        all_allowed: may_choose(&user),
        summary: String::new(),
        charts: Vec::new(),
    };
    if !errors.is_empty() {
        page.errors = errors;
        let mut response = render(&page)?;
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    }

    let organisation_id = organisation.as_ref().map(|o| o.id.clone());
    let region_code = region.map(|region| region.as_str().to_owned());
    let event = AuditEvent::new("report.context", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .details(json!({
            "via": "web",
            "organisation": organisation_id,
            "region": region_code,
        }));
    let own = state
        .store
        .run(move |db| {
            case_dashboard::own_context(db, organisation_id.as_deref(), region_code.as_deref())
        })
        .await?;

    let own_per_year: BTreeMap<i32, i64> = own.per_year.iter().copied().collect();
    let own_forms = forms_per_year(&own.exploitation_per_year);
    let own_exploitation: Vec<(String, i64)> = own
        .exploitation_per_year
        .iter()
        .map(|(_, combination, count)| (combination.clone(), *count))
        .collect();
    let own_exploitation = CodeShares::<ExploitationType>::from_combinations(&own_exploitation);
    let own_means = CodeShares::<MeansOfControl>::from_combinations(&own.means_of_control);
    let ctdc = ctdc_shares();

    let scope = organisation.map_or_else(|| t.t("reports-all-organisations"), |o| o.name);
    let region_name = region.map_or_else(|| t.t("reports-all-regions"), |r| t.t(r.label_key()));
    page.summary = t.t_args(
        "reports-context-summary",
        &[
            ("scope", scope.into()),
            ("region", region_name.into()),
            (
                "cases",
                t.format_number(&own_per_year.values().sum()).into(),
            ),
        ],
    );
    record(&state.store, event).await?;
    page.charts = vec![
        years_block(&t, &own_per_year),
        forms_block(&t, &own_forms),
        shares_block(
            &t,
            "context-exploitation",
            "reports-context-exploitation-heading",
            t.t_args(
                "reports-context-exploitation-intro",
                &[
                    ("records", i64::try_from(ctdc.records).unwrap_or(0).into()),
                    ("first", ctdc.years.0.to_string().into()),
                    ("last", ctdc.years.1.to_string().into()),
                ],
            ),
            &ctdc.exploitation,
            &own_exploitation,
        ),
        shares_block(
            &t,
            "context-means-of-control",
            "reports-context-means-heading",
            t.t("reports-context-means-intro"),
            &ctdc.means_of_control,
            &own_means,
        ),
    ];
    render(&page)
}

#[cfg(test)]
mod tests {
    use procap_domain::locale::Locale;

    use super::*;

    #[test]
    fn published_counts_read_as_published() {
        let t = Translator::new(Locale::En);
        assert_eq!(published_text(&t, None), "—");
        assert_eq!(published_text(&t, PublishedCount::parse("<5")), "<5");
        assert_eq!(
            published_text(&t, Some(PublishedCount::exact(1192))),
            "1,192"
        );
        assert_eq!(
            published_text(&t, Some(PublishedCount { low: 48, high: 57 })),
            "48–57"
        );
    }
}
