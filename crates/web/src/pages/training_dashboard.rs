//! The trainers' progress dashboard (`/training/manage/dashboard`): each
//! figure is an SVG chart drawn with plotters, labelled for screen readers
//! (`role="img"`, `aria-label`, `<title>` and `<desc>`), followed by a table
//! with the same numbers. The charts need no script and no web font: the
//! browser lays out their text.

use askama::Template;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use procap_domain::locale::Locale;

use super::{FieldErrors, PageContext, SelectOption};

/// Path of the dashboard.
pub const DASHBOARD_PATH: &str = "/training/manage/dashboard";

/// The filter form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DashboardForm {
    /// `YYYY-MM-DD`, first day counted.
    pub from: String,
    /// `YYYY-MM-DD`, last day counted.
    pub to: String,
    /// A region code, or empty for every region.
    pub region: String,
}

/// One table row: a heading cell and the numbers, already formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    pub label: String,
    pub cells: Vec<String>,
}

/// A chart and the table of its numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartBlock {
    /// The `id` of the section; the SVG's title and description use it too.
    pub id: &'static str,
    pub heading: String,
    /// One sentence that explains what is counted.
    pub intro: String,
    /// The finished `<svg>` element.
    pub svg: String,
    pub caption: String,
    /// Column headings after the first (the row heading's column).
    pub first_header: String,
    pub headers: Vec<String>,
    pub rows: Vec<TableRow>,
}

#[derive(Clone, Template)]
#[template(path = "training_dashboard.html")]
pub struct DashboardPage {
    pub ctx: PageContext,
    pub form: DashboardForm,
    pub regions: Vec<SelectOption>,
    pub errors: FieldErrors,
    /// The programme target in trainees.
    pub target: String,
    /// "N trainees of the target of 180 (x %)".
    pub summary: String,
    pub charts: Vec<ChartBlock>,
}

impl DashboardPage {
    pub fn action(&self) -> &'static str {
        DASHBOARD_PATH
    }
}

/// Formats `value` with `digits` decimals and the language's decimal mark.
pub fn decimal(locale: Locale, value: f64, digits: usize) -> String {
    let text = format!("{value:.digits$}");
    let text = if text.starts_with('-') && text.trim_start_matches(['-', '0', '.']).is_empty() {
        text.trim_start_matches('-').to_owned()
    } else {
        text
    };
    match locale {
        Locale::El => text.replace('.', ","),
        Locale::En => text,
    }
}

/// Formats a percentage with one decimal, as each language writes it.
pub fn percent(locale: Locale, value: f64) -> String {
    match locale {
        Locale::El => format!("{} %", decimal(locale, value, 1)),
        Locale::En => format!("{}%", decimal(locale, value, 1)),
    }
}

/// One series of a bar chart: its legend and colour.
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub color: RGBColor,
}

/// The colours of the charts: dark blue, dark orange and teal, each with a
/// contrast of at least 4.5:1 on white and told apart without colour by the
/// legend's order and the table.
pub const BLUE: RGBColor = RGBColor(0x1d, 0x4e, 0x89);
pub const ORANGE: RGBColor = RGBColor(0xa8, 0x4b, 0x00);
pub const TEAL: RGBColor = RGBColor(0x00, 0x6d, 0x6f);
const INK: RGBColor = RGBColor(0x1f, 0x29, 0x33);
const GRID: RGBColor = RGBColor(0xc4, 0xcb, 0xd3);

/// What a horizontal bar chart shows.
pub struct BarChart<'a> {
    /// Unique on the page; the title and description ids derive from it.
    pub id: &'a str,
    pub title: &'a str,
    /// The text alternative: what the chart shows, in one or two sentences.
    pub description: &'a str,
    pub series: &'a [Series],
    /// A label and one value per series.
    pub rows: &'a [(String, Vec<f64>)],
    /// A vertical line, e.g. the programme target, with its label.
    pub marker: Option<(f64, String)>,
    /// Formats a value for the label at the end of its bar.
    pub format: &'a dyn Fn(f64) -> String,
    /// Forces the axis to reach at least this value (100 for percentages).
    pub at_least: f64,
}

const WIDTH: u32 = 760;
const LABEL_WIDTH: i32 = 230;
const RIGHT_MARGIN: i32 = 70;
const BAR_HEIGHT: i32 = 16;
const ROW_GAP: i32 = 12;
const TOP: i32 = 44;

/// Shortens a label to `max` characters with an ellipsis; the table keeps
/// the full text.
fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        let mut text: String = label.chars().take(max.saturating_sub(1)).collect();
        text.push('…');
        text
    }
}

fn escape_xml(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '&' => escaped.push_str("&amp;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// Draws a horizontal bar chart as an SVG element with a title, a
/// description, `role="img"` and `aria-label`. Negative values grow left of
/// a zero line. Returns an empty string only if plotters fails, which it
/// does not for a string target.
pub fn bar_chart(chart: &BarChart<'_>) -> String {
    let series_count = i32::try_from(chart.series.len().max(1)).unwrap_or(1);
    let row_count = i32::try_from(chart.rows.len().max(1)).unwrap_or(1);
    let band = series_count * BAR_HEIGHT + ROW_GAP;
    let height = u32::try_from(TOP + row_count * band + 30).unwrap_or(200);

    let values = chart.rows.iter().flat_map(|(_, values)| values.iter());
    let mut low: f64 = 0.0;
    let mut high: f64 = chart.at_least.max(0.0);
    for value in values.chain(chart.marker.iter().map(|(value, _)| value)) {
        if value.is_finite() {
            low = low.min(*value);
            high = high.max(*value);
        }
    }
    if high - low <= f64::EPSILON {
        high = low + 1.0;
    }
    let plot_left = LABEL_WIDTH + 10;
    let plot_right = i32::try_from(WIDTH).unwrap_or(760) - RIGHT_MARGIN;
    let scale = |value: f64| -> i32 {
        let share = (value - low) / (high - low);
        #[expect(
            clippy::cast_possible_truncation,
            reason = "the share is between 0 and 1, so the pixel fits an i32"
        )]
        let offset = (share * f64::from(plot_right - plot_left)).round() as i32;
        plot_left + offset
    };

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let font = |size: u32| TextStyle::from(("sans-serif", size).into_font()).color(&INK);

        // Legend.
        let mut x = plot_left;
        for series in chart.series {
            let _ = root.draw(&Rectangle::new(
                [(x, 12), (x + 14, 26)],
                series.color.filled(),
            ));
            let _ = root.draw(&Text::new(
                series.name.clone(),
                (x + 20, 19),
                font(13).pos(Pos::new(HPos::Left, VPos::Center)),
            ));
            let chars = i32::try_from(series.name.chars().count()).unwrap_or(20);
            x += 40 + chars * 7;
        }

        // Zero line.
        let zero = scale(0.0);
        let bottom = TOP + row_count * band;
        let _ = root.draw(&PathElement::new(
            vec![(zero, TOP - 6), (zero, bottom)],
            GRID.stroke_width(1),
        ));

        for (index, (label, values)) in chart.rows.iter().enumerate() {
            let index = i32::try_from(index).unwrap_or(0);
            let top = TOP + index * band;
            let _ = root.draw(&Text::new(
                short(label, 32),
                (LABEL_WIDTH, top + series_count * BAR_HEIGHT / 2),
                font(13).pos(Pos::new(HPos::Right, VPos::Center)),
            ));
            for (position, (series, value)) in chart.series.iter().zip(values).enumerate() {
                let position = i32::try_from(position).unwrap_or(0);
                let y0 = top + position * BAR_HEIGHT;
                let y1 = y0 + BAR_HEIGHT - 2;
                let end = scale(if value.is_finite() { *value } else { 0.0 });
                let (x0, x1) = if end >= zero {
                    (zero, end)
                } else {
                    (end, zero)
                };
                let _ = root.draw(&Rectangle::new(
                    [(x0, y0), (x1.max(x0 + 1), y1)],
                    series.color.filled(),
                ));
                let (text_x, anchor) = if end >= zero {
                    (x1 + 4, HPos::Left)
                } else {
                    (x0 - 4, HPos::Right)
                };
                let _ = root.draw(&Text::new(
                    (chart.format)(*value),
                    (text_x, (y0 + y1) / 2),
                    font(12).pos(Pos::new(anchor, VPos::Center)),
                ));
            }
        }

        if let Some((value, label)) = &chart.marker {
            let x = scale(*value);
            let _ = root.draw(&PathElement::new(
                vec![(x, TOP - 6), (x, bottom)],
                INK.stroke_width(2),
            ));
            let _ = root.draw(&Text::new(
                label.clone(),
                (x, bottom + 14),
                font(12).pos(Pos::new(HPos::Center, VPos::Center)),
            ));
        }
        let _ = root.present();
    }
    label_svg(&svg, chart.id, chart.title, chart.description)
}

/// Makes the SVG scale with the page and gives it its text alternative.
fn label_svg(svg: &str, id: &str, title: &str, description: &str) -> String {
    let Some(open_end) = svg.find('>') else {
        return String::new();
    };
    let opening = &svg[..open_end];
    let rest = &svg[open_end + 1..];
    let viewbox = opening
        .split("viewBox=\"")
        .nth(1)
        .and_then(|tail| tail.split('"').next())
        .unwrap_or("0 0 760 200");
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{viewbox}\" width=\"100%\" \
         class=\"chart\" role=\"img\" aria-label=\"{label}\" \
         aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\">\
         <title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{description}</desc>{rest}",
        label = escape_xml(title),
        title = escape_xml(title),
        description = escape_xml(description),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_carry_their_text_alternative_and_escape_labels() {
        let series = [Series {
            name: "Trainees".to_owned(),
            color: BLUE,
        }];
        let rows = vec![
            ("Airports & <ports>".to_owned(), vec![12.0]),
            ("Schools".to_owned(), vec![-3.5]),
        ];
        let format = |value: f64| decimal(Locale::En, value, 1);
        let svg = bar_chart(&BarChart {
            id: "by-sector",
            title: "Trainees by sector",
            description: "Airports 12, schools -3.5.",
            series: &series,
            rows: &rows,
            marker: Some((180.0, "Target 180".to_owned())),
            format: &format,
            at_least: 0.0,
        });
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-label=\"Trainees by sector\""));
        assert!(svg.contains("<title id=\"by-sector-title\">Trainees by sector</title>"));
        assert!(svg.contains("<desc id=\"by-sector-desc\">"));
        assert!(svg.contains("Airports &amp; &lt;ports&gt;"));
        assert!(!svg.contains("<ports>"));
        assert!(svg.contains(">\n12.0\n<") || svg.contains("12.0"));
        assert!(svg.contains("Target 180"));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<svg").count(), 1);
    }

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(decimal(Locale::El, 0.456, 2), "0,46");
        assert_eq!(decimal(Locale::En, 0.456, 2), "0.46");
        assert_eq!(decimal(Locale::En, -0.0001, 2), "0.00");
        assert_eq!(percent(Locale::El, 50.0), "50,0 %");
        assert_eq!(percent(Locale::En, 12.5), "12.5%");
    }

    #[test]
    fn long_labels_are_shortened() {
        assert_eq!(short("abcdef", 4), "abc…");
        assert_eq!(short("abc", 4), "abc");
    }
}
