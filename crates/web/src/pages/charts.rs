//! Charts of the dashboards: horizontal bar charts and line charts drawn
//! as SVG with plotters on the server, each labelled for screen readers
//! (`role="img"`, `aria-label`, `<title>` and `<desc>`) and shown above a
//! table with the same numbers. The charts need no script and no web font:
//! the browser lays out their text.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use procap_domain::locale::Locale;

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
/// contrast of at least 4.5:1 on white and distinguished without colour by the
/// legend's order and the table.
pub const BLUE: RGBColor = RGBColor(0x1d, 0x4e, 0x89);
pub const ORANGE: RGBColor = RGBColor(0xa8, 0x4b, 0x00);
pub const TEAL: RGBColor = RGBColor(0x00, 0x6d, 0x6f);
/// Further series colours for charts with many series (the service lines):
/// purple, red, green and slate, each dark enough for 4.5:1 on white.
pub const PURPLE: RGBColor = RGBColor(0x6b, 0x3f, 0xa0);
pub const RED: RGBColor = RGBColor(0xa3, 0x1f, 0x34);
pub const GREEN: RGBColor = RGBColor(0x2e, 0x6b, 0x30);
pub const SLATE: RGBColor = RGBColor(0x4a, 0x55, 0x68);
/// Every series colour, in the order charts use them.
pub const PALETTE: [RGBColor; 7] = [BLUE, ORANGE, TEAL, PURPLE, RED, GREEN, SLATE];
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

/// What a line chart shows: one line per series over labelled points,
/// e.g. months.
pub struct LineChart<'a> {
    /// Unique on the page; the title and description ids derive from it.
    pub id: &'a str,
    pub title: &'a str,
    /// The text alternative: what the chart shows, in one or two sentences.
    pub description: &'a str,
    pub series: &'a [Series],
    /// The label of each point on the horizontal axis.
    pub labels: &'a [String],
    /// For each series, one value per label.
    pub values: &'a [Vec<f64>],
    /// Formats a value on the vertical axis.
    pub format: &'a dyn Fn(f64) -> String,
}

const LINE_HEIGHT: i32 = 260;
const AXIS_LEFT: i32 = 70;
const LEGEND_ROW: i32 = 22;

/// Draws the legend from the left edge of the plot, wrapping to a new row
/// when a name would pass the right edge. Returns the height it used.
fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    series: &[Series],
    left: i32,
    right: i32,
) -> i32 {
    let font = TextStyle::from(("sans-serif", 13).into_font()).color(&INK);
    let mut x = left;
    let mut y = 12;
    for entry in series {
        let chars = i32::try_from(entry.name.chars().count()).unwrap_or(20);
        let width = 40 + chars * 7;
        if x > left && x + width > right {
            x = left;
            y += LEGEND_ROW;
        }
        let _ = root.draw(&Rectangle::new(
            [(x, y), (x + 14, y + 14)],
            entry.color.filled(),
        ));
        let _ = root.draw(&Text::new(
            entry.name.clone(),
            (x + 20, y + 7),
            font.pos(Pos::new(HPos::Left, VPos::Center)),
        ));
        x += width;
    }
    y + LEGEND_ROW
}

/// Draws a line chart as an SVG element with a title, a description,
/// `role="img"` and `aria-label`. The vertical axis starts at zero; at most
/// about twelve point labels are written so they do not overlap.
pub fn line_chart(chart: &LineChart<'_>) -> String {
    let plot_left = AXIS_LEFT;
    let plot_right = i32::try_from(WIDTH).unwrap_or(760) - 30;
    let mut svg = String::new();
    {
        // The legend's height is known only after drawing it, so it is
        // measured on a scratch drawing first.
        let mut scratch = String::new();
        let legend_height = {
            let area = SVGBackend::with_string(&mut scratch, (WIDTH, 200)).into_drawing_area();
            draw_legend(&area, chart.series, plot_left, plot_right)
        };
        let top = legend_height + 10;
        let bottom = top + LINE_HEIGHT;
        let height = u32::try_from(bottom + 40).unwrap_or(360);
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        draw_legend(&root, chart.series, plot_left, plot_right);
        let font = |size: u32| TextStyle::from(("sans-serif", size).into_font()).color(&INK);

        let mut high: f64 = 1.0;
        for value in chart.values.iter().flatten() {
            if value.is_finite() {
                high = high.max(*value);
            }
        }
        let points = chart.labels.len().max(1);
        let step = f64::from(plot_right - plot_left) / points as f64;
        let x_of = |index: usize| -> i32 {
            #[expect(
                clippy::cast_possible_truncation,
                reason = "the offset is within the plot's width, so it fits an i32"
            )]
            let offset = ((index as f64 + 0.5) * step).round() as i32;
            plot_left + offset
        };
        let y_of = |value: f64| -> i32 {
            let share = if value.is_finite() { value / high } else { 0.0 };
            #[expect(
                clippy::cast_possible_truncation,
                reason = "the share is between 0 and 1, so the pixel fits an i32"
            )]
            let offset = (share * f64::from(LINE_HEIGHT)).round() as i32;
            bottom - offset
        };

        // Horizontal grid lines with their values: zero, half and the top.
        for fraction in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let value = high * fraction;
            let y = y_of(value);
            let _ = root.draw(&PathElement::new(
                vec![(plot_left, y), (plot_right, y)],
                GRID.stroke_width(1),
            ));
            let _ = root.draw(&Text::new(
                (chart.format)(value),
                (plot_left - 6, y),
                font(12).pos(Pos::new(HPos::Right, VPos::Center)),
            ));
        }

        // Point labels, thinned to about twelve.
        let every = points.div_ceil(12).max(1);
        for (index, label) in chart.labels.iter().enumerate() {
            if index % every == 0 {
                let _ = root.draw(&Text::new(
                    label.clone(),
                    (x_of(index), bottom + 16),
                    font(12).pos(Pos::new(HPos::Center, VPos::Center)),
                ));
            }
        }

        for (series, values) in chart.series.iter().zip(chart.values) {
            let path: Vec<(i32, i32)> = values
                .iter()
                .enumerate()
                .map(|(index, value)| (x_of(index), y_of(*value)))
                .collect();
            let _ = root.draw(&PathElement::new(
                path.clone(),
                series.color.stroke_width(2),
            ));
            for point in path {
                let _ = root.draw(&Circle::new(point, 3, series.color.filled()));
            }
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
    // Plotters writes the font, full opacity and "no stroke" on every
    // element. The root now sets the font, and the other two are SVG's
    // defaults, so all three are dropped to keep the dashboard under 100 KB.
    let rest = svg[open_end + 1..]
        .replace(" font-family=\"sans-serif\"", "")
        .replace(" opacity=\"1\"", "")
        .replace(" stroke=\"none\"", "");
    let viewbox = opening
        .split("viewBox=\"")
        .nth(1)
        .and_then(|tail| tail.split('"').next())
        .unwrap_or("0 0 760 200");
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{viewbox}\" width=\"100%\" \
         font-family=\"sans-serif\" class=\"chart\" role=\"img\" aria-label=\"{label}\" \
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
        // The font is set once on the root, defaults are not repeated.
        assert_eq!(svg.matches("font-family").count(), 1, "{svg}");
        assert!(!svg.contains(" opacity=\"1\""), "{svg}");
        assert!(!svg.contains(" stroke=\"none\""), "{svg}");
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
    fn line_charts_carry_their_text_alternative() {
        let series = [
            Series {
                name: "Legal & <court>".to_owned(),
                color: BLUE,
            },
            Series {
                name: "Escort".to_owned(),
                color: ORANGE,
            },
        ];
        let labels: Vec<String> = (1..=14).map(|month| format!("{month:02}/2026")).collect();
        let values = vec![vec![1.0; 14], vec![0.0; 14]];
        let format = |value: f64| decimal(Locale::El, value, 0);
        let svg = line_chart(&LineChart {
            id: "services",
            title: "Services",
            description: "Legal 1 a month.",
            series: &series,
            labels: &labels,
            values: &values,
            format: &format,
        });
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"services-title\">Services</title>"));
        assert!(svg.contains("<desc id=\"services-desc\">Legal 1 a month.</desc>"));
        assert!(svg.contains("Legal &amp; &lt;court&gt;"));
        assert!(svg.contains("01/2026"));
        assert!(!svg.contains("02/2026"), "labels are thinned");
        assert_eq!(svg.matches("<svg").count(), 1);
    }

    #[test]
    fn long_labels_are_shortened() {
        assert_eq!(short("abcdef", 4), "abc…");
        assert_eq!(short("abc", 4), "abc");
    }
}
