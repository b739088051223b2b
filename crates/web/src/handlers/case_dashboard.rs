//! `GET /reports/dashboard?from=&to=&organisation=&region=`: the case
//! dashboard for users with `ViewStatistics`. It shows the caseload of a
//! period by status, NRM status, region, setting, exploitation type,
//! citizenship, sex and age bracket. It also shows new cases and closures,
//! services, interpretation hours, legal services and hearings, overdue plan
//! reviews and follow-ups, and the training figures of the period. Each figure
//! is an SVG chart with a text alternative, followed by a table with the
//! same numbers. Only counts are shown, never a name or a case code.
//!
//! The period and organisation are checked as on the AMIF page
//! (coordinators are held to their own organisation); a bad filter shows the
//! form again with the messages and what was typed.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use procap_domain::case::geo;
use procap_domain::case::vocab::{
    AgeBracket, CaseStatus, ExploitationType, NrmStatus, Region, ServiceLine, Setting, Sex,
    Vocabulary,
};
use procap_domain::role::Permission;
use procap_domain::stats::dashboard::{
    self as shape, CodeCount, Granularity, NOT_RECORDED, OTHER_CODES, TimeSeries,
};
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::case_dashboard::{self, CaseDashboard, DashboardScope, DetailGroup};
use procap_store::organisations::{self, Organisation};
use procap_store::reporting::athens_midnight;
use procap_store::training::dashboard::{self as training, DashboardFilter};
use serde::Deserialize;
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::render;
use crate::handlers::reports::{ReportQuery, check, may_choose, scope_name};
use crate::handlers::training_dashboard;
use crate::i18n::Translator;
use crate::pages::charts::{
    BLUE, BarChart, ChartBlock, LineChart, ORANGE, PALETTE, Series, TableRow, bar_chart, decimal,
    line_chart, percent,
};
use crate::pages::reports::{CaseDashboardPage, DASHBOARD_PATH, DashboardForm, DashboardPart};
use crate::pages::services::{HearingOutcome, LegalKind};
use crate::pages::{FieldErrors, SelectOption};
use crate::state::AppState;

/// The filter as sent by the form, every field as text.
#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub region: String,
}

/// How many citizenships the chart names; the others are summed in one row.
const CITIZENSHIPS_SHOWN: usize = 10;

/// The region choices of the filter forms, `selected` marked.
pub(crate) fn region_options(t: &Translator, selected: &str) -> Vec<SelectOption> {
    Region::ALL
        .iter()
        .map(|region| {
            SelectOption::new(
                region.as_str(),
                t.t(region.label_key()),
                region.as_str() == selected,
            )
        })
        .collect()
}

/// Checks the region of a filter form: empty for all, or a region code.
pub(crate) fn check_region(t: &Translator, text: &str, errors: &mut FieldErrors) -> Option<Region> {
    match text.trim() {
        "" => None,
        code => {
            let region = Region::parse(code);
            if region.is_none() {
                errors.add("region", t.t("reports-error-region"));
            }
            region
        }
    }
}

/// The organisation choices of the filter forms, `selected` marked.
pub(crate) fn organisation_options(all: &[Organisation], selected: &str) -> Vec<SelectOption> {
    all.iter()
        .map(|o| SelectOption::new(o.id.clone(), o.name.clone(), o.id == selected))
        .collect()
}

fn count(t: &Translator, value: i64) -> String {
    t.format_number(&value)
}

fn optional_percent(t: &Translator, value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |value| percent(t.locale(), value))
}

/// The label of a stored code of vocabulary `V`, or of the rows "other"
/// and "not recorded". A code the vocabulary does not know is shown as it
/// is stored.
fn vocabulary_label<V: Vocabulary>(t: &Translator, code: &str) -> String {
    match code {
        NOT_RECORDED => t.t("reports-dashboard-not-recorded"),
        OTHER_CODES => t.t("reports-dashboard-other"),
        _ => V::parse(code).map_or_else(|| code.to_owned(), |value| t.t(value.label_key())),
    }
}

fn country_label(t: &Translator, code: &str) -> String {
    match code {
        NOT_RECORDED => t.t("reports-dashboard-not-recorded"),
        OTHER_CODES => t.t("reports-dashboard-other"),
        _ => geo::country(&code.to_uppercase()).map_or_else(
            || code.to_owned(),
            |country| country.name(t.locale()).to_owned(),
        ),
    }
}

fn language_label(t: &Translator, code: &str) -> String {
    match code {
        NOT_RECORDED => t.t("reports-dashboard-not-recorded"),
        _ => geo::language(code).map_or_else(
            || code.to_owned(),
            |language| language.name(t.locale()).to_owned(),
        ),
    }
}

/// Joins one sentence per row into the text alternative of a chart.
fn describe(t: &Translator, rows: &[(String, Vec<f64>)], series: &[Series]) -> String {
    if rows.is_empty() {
        return t.t("reports-dashboard-empty");
    }
    rows.iter()
        .map(|(label, values)| {
            let figures = series
                .iter()
                .zip(values)
                .map(|(series, value)| {
                    format!("{} {}", series.name, decimal(t.locale(), *value, 0))
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!("{label}: {figures}.")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A chart of cases per code, with the count and the share of `total` in
/// the table.
fn counts_block(
    t: &Translator,
    id: &'static str,
    heading_key: &str,
    intro: String,
    rows: &[CodeCount],
    label: impl Fn(&str) -> String,
    total: i64,
) -> ChartBlock {
    let heading = t.t(heading_key);
    let series = [Series {
        name: t.t("reports-dashboard-series-cases"),
        color: BLUE,
    }];
    let chart_rows: Vec<(String, Vec<f64>)> = rows
        .iter()
        .map(|row| (label(&row.code), vec![row.count as f64]))
        .collect();
    let format = |value: f64| decimal(t.locale(), value, 0);
    let svg = bar_chart(&BarChart {
        id,
        title: &heading,
        description: &describe(t, &chart_rows, &series),
        series: &series,
        rows: &chart_rows,
        marker: None,
        format: &format,
        at_least: 1.0,
    });
    ChartBlock {
        id,
        intro,
        svg,
        caption: t.t("reports-dashboard-caption"),
        first_header: heading.clone(),
        heading,
        headers: vec![
            t.t("reports-dashboard-col-cases"),
            t.t("reports-dashboard-col-share"),
        ],
        rows: rows
            .iter()
            .map(|row| TableRow {
                label: label(&row.code),
                cells: vec![
                    count(t, row.count),
                    optional_percent(t, shape::percent_of(row.count, total)),
                ],
            })
            .collect(),
    }
}

/// The label of a time bucket: `MM/YYYY` for a month, `YYYY` for a year.
fn bucket_label(granularity: Granularity, day: NaiveDate) -> String {
    match granularity {
        Granularity::Month => day.format("%m/%Y").to_string(),
        Granularity::Year => day.format("%Y").to_string(),
    }
}

/// A line chart of counts per month (or year), with one table row per
/// bucket and a total column when there is more than one series.
fn series_block(
    t: &Translator,
    id: &'static str,
    heading_key: &str,
    intro: String,
    data: &TimeSeries,
    names: &[String],
) -> ChartBlock {
    let heading = t.t(heading_key);
    let series: Vec<Series> = names
        .iter()
        .zip(PALETTE.iter().cycle())
        .map(|(name, color)| Series {
            name: name.clone(),
            color: *color,
        })
        .collect();
    let labels: Vec<String> = data
        .buckets
        .iter()
        .map(|day| bucket_label(data.granularity, *day))
        .collect();
    let values: Vec<Vec<f64>> = data
        .series
        .iter()
        .map(|(_, counts)| counts.iter().map(|value| *value as f64).collect())
        .collect();
    let description = series
        .iter()
        .zip(&data.series)
        .map(|(series, (_, counts))| {
            t.t_args(
                "reports-dashboard-desc-series",
                &[
                    ("name", series.name.clone().into()),
                    ("total", count(t, counts.iter().sum()).into()),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let format = |value: f64| decimal(t.locale(), value, 0);
    let svg = line_chart(&LineChart {
        id,
        title: &heading,
        description: &description,
        series: &series,
        labels: &labels,
        values: &values,
        format: &format,
    });
    let with_total = data.series.len() > 1;
    let mut headers: Vec<String> = names.to_vec();
    if with_total {
        headers.push(t.t("reports-dashboard-col-total"));
    }
    let totals = data.totals();
    let rows = labels
        .iter()
        .enumerate()
        .map(|(index, label)| {
            let mut cells: Vec<String> = data
                .series
                .iter()
                .map(|(_, counts)| count(t, counts[index]))
                .collect();
            if with_total {
                cells.push(count(t, totals[index]));
            }
            TableRow {
                label: label.clone(),
                cells,
            }
        })
        .collect();
    ChartBlock {
        id,
        intro,
        svg,
        caption: t.t("reports-dashboard-caption"),
        first_header: t.t(match data.granularity {
            Granularity::Month => "reports-dashboard-col-month",
            Granularity::Year => "reports-dashboard-col-year",
        }),
        heading,
        headers,
        rows,
    }
}

/// Groups of services by a code in their details, in the order of `codes`
/// (a vocabulary's order or, for languages, by hours).
fn detail_block(
    t: &Translator,
    id: &'static str,
    heading_key: &str,
    intro: String,
    groups: &[(String, &DetailGroup)],
    hours: bool,
) -> ChartBlock {
    let heading = t.t(heading_key);
    let series = [Series {
        name: t.t(if hours {
            "reports-dashboard-series-hours"
        } else {
            "reports-dashboard-series-services"
        }),
        color: if hours { ORANGE } else { BLUE },
    }];
    let value = |group: &DetailGroup| {
        if hours {
            group.minutes as f64 / 60.0
        } else {
            group.services as f64
        }
    };
    let chart_rows: Vec<(String, Vec<f64>)> = groups
        .iter()
        .map(|(label, group)| (label.clone(), vec![value(group)]))
        .collect();
    let digits = usize::from(hours);
    let format = |value: f64| decimal(t.locale(), value, digits);
    let description = if chart_rows.is_empty() {
        t.t("reports-dashboard-empty")
    } else {
        chart_rows
            .iter()
            .map(|(label, values)| format!("{label}: {} {}.", format(values[0]), series[0].name))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let svg = bar_chart(&BarChart {
        id,
        title: &heading,
        description: &description,
        series: &series,
        rows: &chart_rows,
        marker: None,
        format: &format,
        at_least: 1.0,
    });
    let mut headers = vec![
        t.t("reports-dashboard-col-services"),
        t.t("reports-dashboard-col-cases"),
    ];
    if hours {
        headers.push(t.t("reports-dashboard-col-hours"));
    }
    ChartBlock {
        id,
        intro,
        svg,
        caption: t.t("reports-dashboard-caption"),
        first_header: heading.clone(),
        heading,
        headers,
        rows: groups
            .iter()
            .map(|(label, group)| {
                let mut cells = vec![count(t, group.services), count(t, group.cases)];
                if hours {
                    cells.push(decimal(t.locale(), group.minutes as f64 / 60.0, 1));
                }
                TableRow {
                    label: label.clone(),
                    cells,
                }
            })
            .collect(),
    }
}

/// Orders detail groups by the vocabulary `V` and labels them. Codes
/// without services are left out.
fn in_order<'a, V: Vocabulary>(
    t: &Translator,
    groups: &'a [DetailGroup],
) -> Vec<(String, &'a DetailGroup)> {
    let by_code: BTreeMap<String, &DetailGroup> = groups
        .iter()
        .map(|group| {
            let code = group
                .code
                .clone()
                .filter(|code| !code.is_empty())
                .unwrap_or_else(|| NOT_RECORDED.to_owned());
            (code, group)
        })
        .collect();
    let counts: BTreeMap<String, i64> = by_code
        .iter()
        .map(|(code, group)| (code.clone(), group.services))
        .collect();
    shape::in_vocabulary_order::<V>(&counts)
        .into_iter()
        .filter_map(|row| {
            by_code
                .get(&row.code)
                .map(|group| (vocabulary_label::<V>(t, &row.code), *group))
        })
        .collect()
}

fn caseload_part(t: &Translator, data: &CaseDashboard) -> DashboardPart {
    let load = &data.caseload;
    let total = load.total;
    let ordered = |rows: &[(Option<String>, i64)]| shape::merge_counts(rows.iter().cloned());
    let intro = |key: &str| t.t(key);
    let exploitation: Vec<(String, i64)> = load
        .exploitation_types
        .iter()
        .map(|(codes, count)| (codes.clone().unwrap_or_default(), *count))
        .collect();
    let charts = vec![
        counts_block(
            t,
            "cases-status",
            "reports-dashboard-status-heading",
            intro("reports-dashboard-status-intro"),
            &shape::in_vocabulary_order::<CaseStatus>(&ordered(&load.status)),
            |code| vocabulary_label::<CaseStatus>(t, code),
            total,
        ),
        counts_block(
            t,
            "cases-nrm-status",
            "reports-dashboard-nrm-heading",
            intro("reports-dashboard-nrm-intro"),
            &shape::in_vocabulary_order::<NrmStatus>(&ordered(&load.nrm_status)),
            |code| vocabulary_label::<NrmStatus>(t, code),
            total,
        ),
        counts_block(
            t,
            "cases-region",
            "reports-dashboard-region-heading",
            intro("reports-dashboard-region-intro"),
            &shape::in_vocabulary_order::<Region>(&ordered(&load.region)),
            |code| vocabulary_label::<Region>(t, code),
            total,
        ),
        counts_block(
            t,
            "cases-setting",
            "reports-dashboard-setting-heading",
            intro("reports-dashboard-setting-intro"),
            &shape::in_vocabulary_order::<Setting>(&ordered(&load.setting)),
            |code| vocabulary_label::<Setting>(t, code),
            total,
        ),
        counts_block(
            t,
            "cases-exploitation",
            "reports-dashboard-exploitation-heading",
            intro("reports-dashboard-exploitation-intro"),
            &shape::in_vocabulary_order::<ExploitationType>(&shape::split_combinations(
                &exploitation,
            )),
            |code| vocabulary_label::<ExploitationType>(t, code),
            total,
        ),
        counts_block(
            t,
            "cases-citizenship",
            "reports-dashboard-citizenship-heading",
            t.t1(
                "reports-dashboard-citizenship-intro",
                "shown",
                i64::try_from(CITIZENSHIPS_SHOWN).unwrap_or(10),
            ),
            &shape::top_counts(&ordered(&load.citizenship), CITIZENSHIPS_SHOWN),
            |code| country_label(t, code),
            total,
        ),
        counts_block(
            t,
            "cases-sex",
            "reports-dashboard-sex-heading",
            intro("reports-dashboard-sex-intro"),
            &shape::in_vocabulary_order::<Sex>(&ordered(&load.sex)),
            |code| vocabulary_label::<Sex>(t, code),
            total,
        ),
        counts_block(
            t,
            "cases-age",
            "reports-dashboard-age-heading",
            intro("reports-dashboard-age-intro"),
            &shape::in_vocabulary_order::<AgeBracket>(&ordered(&load.age_bracket)),
            |code| vocabulary_label::<AgeBracket>(t, code),
            total,
        ),
    ];
    DashboardPart {
        id: "caseload",
        heading: t.t("reports-dashboard-part-caseload"),
        charts,
    }
}

fn activity_part(t: &Translator, scope: &DashboardScope, data: &CaseDashboard) -> DashboardPart {
    let period = scope.period;
    let mut flow_rows: Vec<(String, NaiveDate, i64)> = data
        .opened
        .iter()
        .map(|(day, count)| ("opened".to_owned(), *day, *count))
        .collect();
    flow_rows.extend(
        data.closed
            .iter()
            .map(|(day, count)| ("closed".to_owned(), *day, *count)),
    );
    let flow = shape::time_series(period, &["opened", "closed"], &flow_rows);
    let flow_names = [
        t.t("reports-dashboard-series-opened"),
        t.t("reports-dashboard-series-closed"),
    ];

    let lines: Vec<&str> = ServiceLine::ALL.iter().map(|line| line.as_str()).collect();
    let services = shape::time_series(period, &lines, &data.services);
    let line_names: Vec<String> = ServiceLine::ALL
        .iter()
        .map(|line| t.t(line.label_key()))
        .collect();

    let mut languages: Vec<(String, &DetailGroup)> = data
        .interpretation
        .iter()
        .map(|group| {
            let code = group
                .code
                .clone()
                .unwrap_or_else(|| NOT_RECORDED.to_owned());
            (language_label(t, &code), group)
        })
        .collect();
    languages.sort_by(|a, b| b.1.minutes.cmp(&a.1.minutes).then_with(|| a.0.cmp(&b.0)));

    let charts = vec![
        series_block(
            t,
            "cases-flow",
            "reports-dashboard-flow-heading",
            t.t("reports-dashboard-flow-intro"),
            &flow,
            &flow_names,
        ),
        series_block(
            t,
            "services-per-line",
            "reports-dashboard-services-heading",
            t.t("reports-dashboard-services-intro"),
            &services,
            &line_names,
        ),
        detail_block(
            t,
            "interpretation-hours",
            "reports-dashboard-interpretation-heading",
            t.t("reports-dashboard-interpretation-intro"),
            &languages,
            true,
        ),
        detail_block(
            t,
            "legal-services",
            "reports-dashboard-legal-heading",
            t.t("reports-dashboard-legal-intro"),
            &in_order::<LegalKind>(t, &data.legal),
            false,
        ),
        detail_block(
            t,
            "hearings",
            "reports-dashboard-hearings-heading",
            t.t("reports-dashboard-hearings-intro"),
            &in_order::<HearingOutcome>(t, &data.hearings),
            false,
        ),
    ];
    DashboardPart {
        id: "activity",
        heading: t.t("reports-dashboard-part-activity"),
        charts,
    }
}

fn overdue_part(t: &Translator, scope: &DashboardScope, data: &CaseDashboard) -> DashboardPart {
    let heading = t.t("reports-dashboard-overdue-heading");
    let series = [
        Series {
            name: t.t("reports-dashboard-series-reviews"),
            color: BLUE,
        },
        Series {
            name: t.t("reports-dashboard-series-followups"),
            color: ORANGE,
        },
    ];
    let rows: Vec<(String, Vec<f64>)> = data
        .overdue
        .iter()
        .map(|line| {
            (
                line.organisation_name.clone(),
                vec![line.reviews as f64, line.followups as f64],
            )
        })
        .collect();
    let format = |value: f64| decimal(t.locale(), value, 0);
    let description = if rows.is_empty() {
        t.t("reports-dashboard-overdue-none")
    } else {
        describe(t, &rows, &series)
    };
    let svg = bar_chart(&BarChart {
        id: "overdue",
        title: &heading,
        description: &description,
        series: &series,
        rows: &rows,
        marker: None,
        format: &format,
        at_least: 1.0,
    });
    let chart = ChartBlock {
        id: "overdue",
        intro: t.t1(
            "reports-dashboard-overdue-intro",
            "day",
            t.format_date(&scope.as_of),
        ),
        svg,
        caption: t.t("reports-dashboard-caption"),
        first_header: t.t("reports-dashboard-col-organisation"),
        heading,
        headers: vec![
            t.t("reports-dashboard-col-reviews"),
            t.t("reports-dashboard-col-review-cases"),
            t.t("reports-dashboard-col-followups"),
        ],
        rows: data
            .overdue
            .iter()
            .map(|line| TableRow {
                label: line.organisation_name.clone(),
                cells: vec![
                    count(t, line.reviews),
                    count(t, line.review_cases),
                    count(t, line.followups),
                ],
            })
            .collect(),
    };
    DashboardPart {
        id: "overdue-part",
        heading: t.t("reports-dashboard-part-overdue"),
        charts: vec![chart],
    }
}

/// `GET /reports/dashboard`.
///
/// NOTE: with the demo data the page is about 103 KB of HTML, over the
/// 100 KB page target, and responses are not compressed.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<DashboardQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::ViewStatistics)?;
    let t = Translator::new(user.locale);
    let all = state.store.run(organisations::list).await?;
    let period_query = ReportQuery {
        from: query.from.clone(),
        to: query.to.clone(),
        organisation: query.organisation.clone(),
        format: String::new(),
    };
    let (period_form, checked) = check(&t, &user, &period_query, &all);
    let form = DashboardForm {
        from: period_form.from,
        to: period_form.to,
        organisation: period_form.organisation,
        region: query.region.trim().to_owned(),
    };
    let (scope, mut errors) = match checked {
        Ok(scope) => (Some(scope), FieldErrors::new()),
        Err(errors) => (None, errors),
    };
    let region = check_region(&t, &form.region, &mut errors);
    let mut page = CaseDashboardPage {
        ctx: user.page(DASHBOARD_PATH),
        organisations: organisation_options(&all, &form.organisation),
        regions: region_options(&t, &form.region),
        form,
        errors: FieldErrors::new(),
        all_allowed: may_choose(&user),
        summary: String::new(),
        parts: Vec::new(),
    };
    let scope = match scope {
        Some(scope) if errors.is_empty() => scope,
        _ => {
            page.errors = errors;
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
    };

    let today = chrono::Utc::now().date_naive();
    let organisation_id = scope.organisation.as_ref().map(|o| o.id.clone());
    let store_scope = DashboardScope {
        period: scope.period,
        organisation_id: organisation_id.clone(),
        region: region.map(|region| region.as_str().to_owned()),
        as_of: scope.period.to().min(today),
    };
    let training_filter = DashboardFilter {
        from: Some(athens_midnight(scope.period.from())),
        until: scope.period.to().succ_opt().map(athens_midnight),
        region: store_scope.region.clone(),
        organisation_id,
    };
    let loaded_scope = store_scope.clone();
    let (data, trainees) = state
        .store
        .run(move |db| {
            Ok((
                case_dashboard::load(db, &loaded_scope)?,
                training::load(db, &training_filter)?,
            ))
        })
        .await?;

    let region_name = region.map_or_else(|| t.t("reports-all-regions"), |r| t.t(r.label_key()));
    page.summary = t.t_args(
        "reports-dashboard-summary",
        &[
            ("from", t.format_date(&scope.period.from()).into()),
            ("to", t.format_date(&scope.period.to()).into()),
            ("scope", scope_name(&t, &scope).into()),
            ("region", region_name.into()),
            ("cases", count(&t, data.caseload.total).into()),
        ],
    );
    let target = i64::from(state.config.training_target_trainees);
    page.parts = vec![
        caseload_part(&t, &data),
        activity_part(&t, &store_scope, &data),
        overdue_part(&t, &store_scope, &data),
        DashboardPart {
            id: "training",
            heading: t.t("reports-dashboard-part-training"),
            charts: training_dashboard::charts(&t, &trainees, target),
        },
    ];

    let event = AuditEvent::new("report.dashboard", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .details(json!({
            "via": "web",
            "from": scope.period.from().to_string(),
            "to": scope.period.to().to_string(),
            "organisation": scope.organisation.as_ref().map(|o| o.id.clone()),
            "region": store_scope.region,
        }));
    record(&state.store, event).await?;
    render(&page)
}

#[cfg(test)]
mod tests {
    use procap_domain::locale::Locale;

    use super::*;

    #[test]
    fn regions_are_checked() {
        let t = Translator::new(Locale::En);
        let mut errors = FieldErrors::new();
        assert_eq!(check_region(&t, "", &mut errors), None);
        assert_eq!(
            check_region(&t, " attica ", &mut errors),
            Some(Region::Attica)
        );
        assert!(errors.is_empty());
        assert_eq!(check_region(&t, "mars", &mut errors), None);
        assert!(errors.has("region"));
    }

    #[test]
    fn labels_cover_the_summary_rows() {
        let t = Translator::new(Locale::En);
        assert_eq!(
            vocabulary_label::<Sex>(&t, "female"),
            t.t("vocab-sex-female")
        );
        assert_eq!(vocabulary_label::<Sex>(&t, "martian"), "martian");
        assert_eq!(
            vocabulary_label::<Sex>(&t, NOT_RECORDED),
            t.t("reports-dashboard-not-recorded")
        );
        assert_eq!(country_label(&t, "ua"), "Ukraine");
        assert_eq!(
            country_label(&t, OTHER_CODES),
            t.t("reports-dashboard-other")
        );
        assert_eq!(language_label(&t, "uk"), "Ukrainian");
        assert_eq!(
            bucket_label(
                Granularity::Month,
                NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
            ),
            "03/2026"
        );
    }
}
