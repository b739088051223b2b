//! `GET /training/manage/dashboard?from=&to=&region=`: the progress
//! dashboard of trainers and coordinators (ManageTraining). Trainees by
//! sector, organisation and region against the programme target,
//! enrolments and completion per course, the average learning gain per
//! course and the two evaluation indicators, for a period (Athens calendar
//! days, both ends included) and a region. Each figure is a chart with the
//! same numbers in a table below it. A bad filter shows the form again with
//! the messages and no figures.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use procap_domain::locale::Locale;
use procap_domain::role::Permission;
use procap_domain::training::evaluation::Share;
use procap_store::training::courses::{REGIONS, is_region};
use procap_store::training::dashboard::{self, Dashboard, DashboardFilter, GroupCount};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::render;
use crate::i18n::Translator;
use crate::pages::training_dashboard::{
    BLUE, BarChart, ChartBlock, DASHBOARD_PATH, DashboardForm, DashboardPage, ORANGE, Series, TEAL,
    TableRow, bar_chart, decimal, percent,
};
use crate::pages::{FieldErrors, SelectOption};
use crate::state::AppState;

/// The filter as sent by the form.
#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub region: String,
}

/// The start of an Athens calendar day, in UTC.
fn athens_midnight(day: NaiveDate) -> NaiveDateTime {
    let local = day.and_time(NaiveTime::MIN);
    chrono_tz::Europe::Athens
        .from_local_datetime(&local)
        .earliest()
        .map_or(local, |at| at.naive_utc())
}

/// Checks the filter: the store's filter, or the messages by field.
fn parse_filter(t: &Translator, query: &DashboardQuery) -> Result<DashboardFilter, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut date = |field: &'static str, value: &str| match value.trim() {
        "" => None,
        value => match NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            Ok(day) => Some(day),
            Err(_) => {
                errors.add(field, t.t("training-dashboard-error-date"));
                None
            }
        },
    };
    let from = date("from", &query.from);
    let to = date("to", &query.to);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        errors.add("to", t.t("training-dashboard-error-period"));
    }
    let region = match query.region.trim() {
        "" => None,
        code if is_region(code) => Some(code.to_owned()),
        _ => {
            errors.add("region", t.t("training-dashboard-error-region"));
            None
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(DashboardFilter {
        from: from.map(athens_midnight),
        until: to.and_then(|to| to.succ_opt()).map(athens_midnight),
        region,
        organisation_id: None,
    })
}

/// The Fluent key of a sector's name.
fn sector_key(code: &str) -> &'static str {
    match code {
        "airport" => "training-dashboard-sector-airport",
        "public_transport" => "training-dashboard-sector-public-transport",
        "tourism" => "training-dashboard-sector-tourism",
        "labour_inspection" => "training-dashboard-sector-labour-inspection",
        "school" => "training-dashboard-sector-school",
        "reception_identification" => "training-dashboard-sector-reception-identification",
        "ngo" => "training-dashboard-sector-ngo",
        "other" => "training-dashboard-sector-other",
        _ => "training-dashboard-unknown",
    }
}

/// The Fluent key of a region's name.
fn region_key(code: &str) -> &'static str {
    match code {
        "attica" => "vocab-region-attica",
        "central_macedonia" => "vocab-region-central-macedonia",
        "other" => "vocab-region-other",
        _ => "training-dashboard-unknown",
    }
}

fn count(t: &Translator, value: i64) -> String {
    t.format_number(&value)
}

fn usize_count(t: &Translator, value: usize) -> String {
    count(t, i64::try_from(value).unwrap_or(i64::MAX))
}

fn share_of(value: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| value as f64 * 100.0 / whole as f64)
}

fn optional_percent(locale: Locale, value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_owned(), |value| percent(locale, value))
}

fn share_text(t: &Translator, share: Share) -> String {
    format!(
        "{} / {} ({})",
        usize_count(t, share.numerator),
        usize_count(t, share.denominator),
        optional_percent(t.locale(), share.percent())
    )
}

fn course_title(locale: Locale, title_el: &str, title_en: &str) -> String {
    match locale {
        Locale::El => title_el.to_owned(),
        Locale::En => title_en.to_owned(),
    }
}

/// A chart and table of trainees per group against the target.
fn group_block(
    t: &Translator,
    id: &'static str,
    heading_key: &str,
    groups: &[GroupCount],
    label: impl Fn(&GroupCount) -> String,
    target: i64,
) -> ChartBlock {
    let locale = t.locale();
    let heading = t.t(heading_key);
    let series = [
        Series {
            name: t.t("training-dashboard-series-trainees"),
            color: BLUE,
        },
        Series {
            name: t.t("training-dashboard-series-completed"),
            color: ORANGE,
        },
    ];
    let rows: Vec<(String, Vec<f64>)> = groups
        .iter()
        .map(|group| {
            (
                label(group),
                vec![group.trainees as f64, group.completed as f64],
            )
        })
        .collect();
    let description = rows
        .iter()
        .map(|(label, values)| {
            t.t_args(
                "training-dashboard-desc-group",
                &[
                    ("group", label.clone().into()),
                    ("trainees", values[0].round().to_string().into()),
                    ("completed", values[1].round().to_string().into()),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    // An empty chart still tells a screen reader why it is empty.
    let description = if description.is_empty() {
        t.t("training-dashboard-empty")
    } else {
        description
    };
    let format = |value: f64| decimal(locale, value, 0);
    let svg = bar_chart(&BarChart {
        id,
        title: &heading,
        description: &description,
        series: &series,
        rows: &rows,
        marker: None,
        format: &format,
        at_least: 1.0,
    });
    ChartBlock {
        id,
        intro: t.t1("training-dashboard-intro-groups", "target", target),
        svg,
        caption: t.t("training-dashboard-caption-numbers"),
        first_header: heading.clone(),
        heading,
        headers: vec![
            t.t("training-dashboard-col-trainees"),
            t.t("training-dashboard-col-completed"),
            t.t("training-dashboard-col-of-target"),
        ],
        rows: groups
            .iter()
            .map(|group| TableRow {
                label: label(group),
                cells: vec![
                    count(t, group.trainees),
                    count(t, group.completed),
                    optional_percent(locale, share_of(group.trainees, target)),
                ],
            })
            .collect(),
    }
}

/// Builds every chart of the training dashboard; the case dashboard shows
/// them too.
pub(crate) fn charts(t: &Translator, data: &Dashboard, target: i64) -> Vec<ChartBlock> {
    let locale = t.locale();
    let mut blocks = Vec::new();

    // Progress against the target.
    let heading = t.t("training-dashboard-target-heading");
    let series = [
        Series {
            name: t.t("training-dashboard-series-trainees"),
            color: BLUE,
        },
        Series {
            name: t.t("training-dashboard-series-completed"),
            color: ORANGE,
        },
    ];
    let label = t.t("training-dashboard-target-row");
    let rows = vec![(
        label.clone(),
        vec![data.trainees as f64, data.completed_trainees as f64],
    )];
    let description = t.t_args(
        "training-dashboard-desc-target",
        &[
            ("trainees", data.trainees.into()),
            ("completed", data.completed_trainees.into()),
            ("target", target.into()),
        ],
    );
    let format = |value: f64| decimal(locale, value, 0);
    blocks.push(ChartBlock {
        id: "target",
        intro: t.t1("training-dashboard-intro-target", "target", target),
        svg: bar_chart(&BarChart {
            id: "target",
            title: &heading,
            description: &description,
            series: &series,
            rows: &rows,
            marker: Some((
                target as f64,
                t.t1("training-dashboard-target-marker", "target", target),
            )),
            format: &format,
            at_least: 1.0,
        }),
        caption: t.t("training-dashboard-caption-numbers"),
        first_header: t.t("training-dashboard-col-group"),
        heading,
        headers: vec![
            t.t("training-dashboard-col-trainees"),
            t.t("training-dashboard-col-completed"),
            t.t("training-dashboard-col-target"),
            t.t("training-dashboard-col-of-target"),
        ],
        rows: vec![TableRow {
            label,
            cells: vec![
                count(t, data.trainees),
                count(t, data.completed_trainees),
                count(t, target),
                optional_percent(locale, share_of(data.trainees, target)),
            ],
        }],
    });

    blocks.push(group_block(
        t,
        "by-sector",
        "training-dashboard-by-sector",
        &data.by_sector,
        |group| t.t(sector_key(&group.key)),
        target,
    ));
    blocks.push(group_block(
        t,
        "by-organisation",
        "training-dashboard-by-organisation",
        &data.by_organisation,
        |group| group.name.clone(),
        target,
    ));
    blocks.push(group_block(
        t,
        "by-region",
        "training-dashboard-by-region",
        &data.by_region,
        |group| t.t(region_key(&group.key)),
        target,
    ));

    // Enrolments and completion per course.
    let heading = t.t("training-dashboard-courses-heading");
    let series = [
        Series {
            name: t.t("training-dashboard-series-enrolled"),
            color: BLUE,
        },
        Series {
            name: t.t("training-dashboard-series-completed"),
            color: ORANGE,
        },
    ];
    let titled: Vec<String> = data
        .courses
        .iter()
        .map(|course| course_title(locale, &course.title_el, &course.title_en))
        .collect();
    let rows: Vec<(String, Vec<f64>)> = data
        .courses
        .iter()
        .zip(&titled)
        .map(|(course, title)| {
            (
                title.clone(),
                vec![course.enrolled as f64, course.completed as f64],
            )
        })
        .collect();
    let description = data
        .courses
        .iter()
        .zip(&titled)
        .map(|(course, title)| {
            t.t_args(
                "training-dashboard-desc-course",
                &[
                    ("course", title.clone().into()),
                    ("enrolled", course.enrolled.into()),
                    ("completed", course.completed.into()),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    blocks.push(ChartBlock {
        id: "courses",
        intro: t.t("training-dashboard-intro-courses"),
        svg: bar_chart(&BarChart {
            id: "courses",
            title: &heading,
            description: &description,
            series: &series,
            rows: &rows,
            marker: None,
            format: &format,
            at_least: 1.0,
        }),
        caption: t.t("training-dashboard-caption-numbers"),
        first_header: t.t("training-dashboard-col-course"),
        heading,
        headers: vec![
            t.t("training-dashboard-col-enrolled"),
            t.t("training-dashboard-col-completed"),
            t.t("training-dashboard-col-completion-rate"),
        ],
        rows: data
            .courses
            .iter()
            .zip(&titled)
            .map(|(course, title)| TableRow {
                label: title.clone(),
                cells: vec![
                    count(t, course.enrolled),
                    count(t, course.completed),
                    optional_percent(locale, share_of(course.completed, course.enrolled)),
                ],
            })
            .collect(),
    });

    // Learning gain per course, over trainees with both tests.
    let heading = t.t("training-dashboard-gain-heading");
    let series = [Series {
        name: t.t("training-dashboard-series-gain"),
        color: TEAL,
    }];
    let with_gain: Vec<(&dashboard::CourseLine, &String)> = data
        .courses
        .iter()
        .zip(&titled)
        .filter(|(course, _)| course.gain.trainees > 0)
        .collect();
    let rows: Vec<(String, Vec<f64>)> = with_gain
        .iter()
        .map(|(course, title)| {
            (
                (*title).clone(),
                vec![course.gain.gain_of_means.unwrap_or(0.0)],
            )
        })
        .collect();
    let gain_text = |value: Option<f64>| {
        value.map_or_else(|| "—".to_owned(), |value| decimal(locale, value, 2))
    };
    let description = if with_gain.is_empty() {
        t.t("training-dashboard-empty")
    } else {
        with_gain
            .iter()
            .map(|(course, title)| {
                t.t_args(
                    "training-dashboard-desc-gain",
                    &[
                        ("course", (*title).clone().into()),
                        ("gain", gain_text(course.gain.gain_of_means).into()),
                        ("trainees", course.gain.trainees.into()),
                    ],
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let gain_format = |value: f64| decimal(locale, value, 2);
    blocks.push(ChartBlock {
        id: "gain",
        intro: t.t("training-dashboard-intro-gain"),
        svg: bar_chart(&BarChart {
            id: "gain",
            title: &heading,
            description: &description,
            series: &series,
            rows: &rows,
            marker: None,
            format: &gain_format,
            at_least: 1.0,
        }),
        caption: t.t("training-dashboard-caption-numbers"),
        first_header: t.t("training-dashboard-col-course"),
        heading,
        headers: vec![
            t.t("training-dashboard-col-both-tests"),
            t.t("training-dashboard-col-mean-pre"),
            t.t("training-dashboard-col-mean-post"),
            t.t("training-dashboard-col-gain-of-means"),
            t.t("training-dashboard-col-mean-of-gains"),
        ],
        rows: with_gain
            .iter()
            .map(|(course, title)| TableRow {
                label: (*title).clone(),
                cells: vec![
                    usize_count(t, course.gain.trainees),
                    optional_percent(locale, course.gain.mean_pre),
                    optional_percent(locale, course.gain.mean_post),
                    gain_text(course.gain.gain_of_means),
                    gain_text(course.gain.mean_of_gains),
                ],
            })
            .collect(),
    });

    // The two evaluation indicators per course and in total.
    let heading = t.t("training-dashboard-evaluation-heading");
    let series = [
        Series {
            name: t.t("training-dashboard-series-useful"),
            color: BLUE,
        },
        Series {
            name: t.t("training-dashboard-series-still-using"),
            color: TEAL,
        },
    ];
    let mut lines: Vec<(String, &dashboard::EvaluationLine)> = data
        .evaluations
        .iter()
        .map(|line| (course_title(locale, &line.title_el, &line.title_en), line))
        .collect();
    if !lines.is_empty() {
        lines.push((
            t.t("training-dashboard-all-courses"),
            &data.evaluation_total,
        ));
    }
    let rows: Vec<(String, Vec<f64>)> = lines
        .iter()
        .map(|(title, line)| {
            (
                title.clone(),
                vec![
                    line.usefulness.useful.percent().unwrap_or(0.0),
                    line.skills_in_use.still_using.percent().unwrap_or(0.0),
                ],
            )
        })
        .collect();
    let description = if lines.is_empty() {
        t.t("training-dashboard-empty")
    } else {
        lines
            .iter()
            .map(|(title, line)| {
                t.t_args(
                    "training-dashboard-desc-evaluation",
                    &[
                        ("course", title.clone().into()),
                        (
                            "useful",
                            optional_percent(locale, line.usefulness.useful.percent()).into(),
                        ),
                        (
                            "using",
                            optional_percent(locale, line.skills_in_use.still_using.percent())
                                .into(),
                        ),
                    ],
                )
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let percent_format = |value: f64| percent(locale, value);
    blocks.push(ChartBlock {
        id: "evaluation",
        intro: t.t("training-dashboard-intro-evaluation"),
        svg: bar_chart(&BarChart {
            id: "evaluation",
            title: &heading,
            description: &description,
            series: &series,
            rows: &rows,
            marker: None,
            format: &percent_format,
            at_least: 100.0,
        }),
        caption: t.t("training-dashboard-caption-numbers"),
        first_header: t.t("training-dashboard-col-course"),
        heading,
        headers: vec![
            t.t("training-dashboard-col-useful"),
            t.t("training-dashboard-col-useful-blank"),
            t.t("training-dashboard-col-still-using"),
            t.t("training-dashboard-col-response-rate"),
            t.t("training-dashboard-col-too-early"),
        ],
        rows: lines
            .iter()
            .map(|(title, line)| TableRow {
                label: title.clone(),
                cells: vec![
                    share_text(t, line.usefulness.useful),
                    usize_count(t, line.usefulness.blank),
                    share_text(t, line.skills_in_use.still_using),
                    share_text(t, line.skills_in_use.response_rate),
                    usize_count(t, line.skills_in_use.too_early),
                ],
            })
            .collect(),
    });

    blocks
}

/// `GET /training/manage/dashboard`: the dashboard for the filter.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<DashboardQuery>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let t = Translator::new(user.locale);
    let form = DashboardForm {
        from: query.from.trim().to_owned(),
        to: query.to.trim().to_owned(),
        region: query.region.trim().to_owned(),
    };
    let regions = REGIONS
        .iter()
        .map(|code| SelectOption::new(*code, t.t(region_key(code)), *code == form.region))
        .collect();
    let target = i64::from(state.config.training_target_trainees);
    let mut page = DashboardPage {
        ctx: user.page(DASHBOARD_PATH),
        form,
        regions,
        errors: FieldErrors::new(),
        target: count(&t, target),
        summary: String::new(),
        charts: Vec::new(),
    };

    let filter = match parse_filter(&t, &query) {
        Ok(filter) => filter,
        Err(errors) => {
            page.errors = errors;
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
    };
    let data = state
        .store
        .run(move |db| dashboard::load(db, &filter))
        .await?;
    page.summary = t.t_args(
        "training-dashboard-summary",
        &[
            ("trainees", data.trainees.into()),
            ("completed", data.completed_trainees.into()),
            ("target", target.into()),
            (
                "share",
                optional_percent(t.locale(), share_of(data.trainees, target)).into(),
            ),
        ],
    );
    page.charts = charts(&t, &data, target);
    render(&page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(from: &str, to: &str, region: &str) -> DashboardQuery {
        DashboardQuery {
            from: from.to_owned(),
            to: to.to_owned(),
            region: region.to_owned(),
        }
    }

    #[test]
    fn filters_are_checked() {
        let t = Translator::new(Locale::En);
        let filter = parse_filter(&t, &query("2026-01-01", "2026-01-31", "attica")).unwrap();
        assert_eq!(filter.region.as_deref(), Some("attica"));
        // Athens is UTC+2 in winter: the day starts at 22:00 UTC before.
        assert_eq!(
            filter.from.unwrap().to_string(),
            "2025-12-31 22:00:00",
            "{filter:?}"
        );
        assert_eq!(filter.until.unwrap().to_string(), "2026-01-31 22:00:00");
        assert_eq!(
            parse_filter(&t, &query("", "", "")).unwrap(),
            DashboardFilter::default()
        );
        let errors = parse_filter(&t, &query("2026-02-01", "2026-01-01", "mars")).unwrap_err();
        assert!(errors.has("to") && errors.has("region"), "{errors:?}");
        assert!(
            parse_filter(&t, &query("1/1/2026", "", ""))
                .unwrap_err()
                .has("from")
        );
    }

    #[test]
    fn every_sector_has_a_name() {
        for code in procap_store::training::courses::SECTORS {
            assert_ne!(sector_key(code), "training-dashboard-unknown", "{code}");
        }
        for code in REGIONS {
            assert_ne!(region_key(code), "training-dashboard-unknown", "{code}");
        }
    }
}
