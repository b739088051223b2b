//! Shaping of the case dashboard's counts. The store counts with SQL
//! aggregates, one row per code, per combination of codes or per day. These
//! functions turn those rows into what the charts and tables show: a count
//! per code in the vocabulary's order, the most frequent codes with the rest
//! summed, and a count per month (or per year for long periods) with the
//! empty months filled in.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::amif::Period;
use crate::case::vocab::Vocabulary;

/// The key of the row that sums the codes left out by [`top_counts`].
pub const OTHER_CODES: &str = "__other";
/// The key of cases with no code recorded (an empty value or a `NULL`).
pub const NOT_RECORDED: &str = "__not_recorded";
/// Periods longer than this many months are counted per year.
pub const MAX_MONTHS: u32 = 36;

/// How many cases (or services) carry one code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeCount {
    /// A stored code, [`OTHER_CODES`] or [`NOT_RECORDED`].
    pub code: String,
    pub count: i64,
}

/// Adds the counts of rows that share a code, turning `NULL` and empty
/// codes into [`NOT_RECORDED`].
pub fn merge_counts(
    rows: impl IntoIterator<Item = (Option<String>, i64)>,
) -> BTreeMap<String, i64> {
    let mut counts = BTreeMap::new();
    for (code, count) in rows {
        let code = code
            .map(|code| code.trim().to_owned())
            .filter(|code| !code.is_empty())
            .unwrap_or_else(|| NOT_RECORDED.to_owned());
        *counts.entry(code).or_insert(0) += count;
    }
    counts
}

/// Splits counts per stored combination of a multi-valued field (codes
/// joined with `;`) into a count per code. A case with two forms of
/// exploitation counts once under each, so the counts can add up to more
/// than the number of cases. An empty combination counts as
/// [`NOT_RECORDED`].
pub fn split_combinations(rows: &[(String, i64)]) -> BTreeMap<String, i64> {
    let mut counts = BTreeMap::new();
    for (combination, count) in rows {
        let mut any = false;
        for code in combination
            .split(';')
            .map(str::trim)
            .filter(|code| !code.is_empty())
        {
            any = true;
            *counts.entry(code.to_owned()).or_insert(0) += count;
        }
        if !any {
            *counts.entry(NOT_RECORDED.to_owned()).or_insert(0) += count;
        }
    }
    counts
}

/// Lists every code of the vocabulary `V` in its own order, with zero for
/// codes without cases, then stored codes outside the vocabulary (sorted),
/// then [`NOT_RECORDED`] when it has a count.
pub fn in_vocabulary_order<V: Vocabulary>(counts: &BTreeMap<String, i64>) -> Vec<CodeCount> {
    let mut list: Vec<CodeCount> = V::ALL
        .iter()
        .map(|code| CodeCount {
            code: code.as_str().to_owned(),
            count: counts.get(code.as_str()).copied().unwrap_or(0),
        })
        .collect();
    for (code, count) in counts {
        if code != NOT_RECORDED && V::parse(code).is_none() {
            list.push(CodeCount {
                code: code.clone(),
                count: *count,
            });
        }
    }
    if let Some(count) = counts.get(NOT_RECORDED) {
        list.push(CodeCount {
            code: NOT_RECORDED.to_owned(),
            count: *count,
        });
    }
    list
}

/// Lists the `keep` most frequent codes (ties by code), then the sum of the
/// others as [`OTHER_CODES`] and [`NOT_RECORDED`] last, each only when it is
/// not zero.
pub fn top_counts(counts: &BTreeMap<String, i64>, keep: usize) -> Vec<CodeCount> {
    let mut known: Vec<CodeCount> = counts
        .iter()
        .filter(|(code, _)| code.as_str() != NOT_RECORDED)
        .map(|(code, count)| CodeCount {
            code: code.clone(),
            count: *count,
        })
        .collect();
    known.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.code.cmp(&b.code)));
    let rest: i64 = known.iter().skip(keep).map(|row| row.count).sum();
    known.truncate(keep);
    if rest > 0 {
        known.push(CodeCount {
            code: OTHER_CODES.to_owned(),
            count: rest,
        });
    }
    if let Some(count) = counts.get(NOT_RECORDED).filter(|count| **count > 0) {
        known.push(CodeCount {
            code: NOT_RECORDED.to_owned(),
            count: *count,
        });
    }
    known
}

/// Whether a time series counts per month or per year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    Month,
    Year,
}

/// The buckets of a period: every month it touches, or every year when it
/// touches more than [`MAX_MONTHS`] months. Each bucket is named by its
/// first day.
pub fn buckets(period: Period) -> (Granularity, Vec<NaiveDate>) {
    let first = month_start(period.from());
    let last = month_start(period.to());
    let months = (last.year() - first.year()) * 12 + last.month0() as i32 - first.month0() as i32;
    if u32::try_from(months).unwrap_or(u32::MAX) < MAX_MONTHS {
        let mut list = Vec::new();
        let mut month = first;
        while month <= last {
            list.push(month);
            month = next_month(month);
        }
        (Granularity::Month, list)
    } else {
        let list = (period.from().year()..=period.to().year())
            .filter_map(|year| NaiveDate::from_ymd_opt(year, 1, 1))
            .collect();
        (Granularity::Year, list)
    }
}

fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

fn next_month(month: NaiveDate) -> NaiveDate {
    let (year, month0) = if month.month() == 12 {
        (month.year() + 1, 1)
    } else {
        (month.year(), month.month() + 1)
    };
    NaiveDate::from_ymd_opt(year, month0, 1).unwrap_or(NaiveDate::MAX)
}

fn bucket_of(granularity: Granularity, day: NaiveDate) -> NaiveDate {
    match granularity {
        Granularity::Month => month_start(day),
        Granularity::Year => NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day),
    }
}

/// A count per bucket of a period, for one or more series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeSeries {
    pub granularity: Granularity,
    /// The first day of each bucket, oldest first.
    pub buckets: Vec<NaiveDate>,
    /// One count per bucket for each series key, keys in the caller's order.
    pub series: Vec<(String, Vec<i64>)>,
}

impl TimeSeries {
    /// The sum of every series in each bucket.
    pub fn totals(&self) -> Vec<i64> {
        (0..self.buckets.len())
            .map(|index| self.series.iter().map(|(_, counts)| counts[index]).sum())
            .collect()
    }
}

/// Sums counts per day into the buckets of `period`, one series per key of
/// `keys` (in that order). Days outside the period and keys not in `keys`
/// are ignored; buckets without a count are zero.
pub fn time_series(period: Period, keys: &[&str], rows: &[(String, NaiveDate, i64)]) -> TimeSeries {
    let (granularity, buckets) = buckets(period);
    let index: BTreeMap<NaiveDate, usize> = buckets
        .iter()
        .enumerate()
        .map(|(position, day)| (*day, position))
        .collect();
    let mut series: Vec<(String, Vec<i64>)> = keys
        .iter()
        .map(|key| ((*key).to_owned(), vec![0; buckets.len()]))
        .collect();
    for (key, day, count) in rows {
        if !period.contains(*day) {
            continue;
        }
        let Some(position) = index.get(&bucket_of(granularity, *day)) else {
            continue;
        };
        if let Some((_, counts)) = series.iter_mut().find(|(name, _)| name == key) {
            counts[*position] += count;
        }
    }
    TimeSeries {
        granularity,
        buckets,
        series,
    }
}

/// `part` as a percentage of `whole`, or `None` when `whole` is zero.
pub fn percent_of(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::vocab::{ExploitationType, Sex};

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn period(from: &str, to: &str) -> Period {
        Period::new(day(from), day(to)).unwrap()
    }

    #[test]
    fn combinations_split_into_codes() {
        let counts = split_combinations(&[
            ("forced_labour;forced_begging".to_owned(), 2),
            ("forced_labour".to_owned(), 3),
            (String::new(), 4),
        ]);
        assert_eq!(counts["forced_labour"], 5);
        assert_eq!(counts["forced_begging"], 2);
        assert_eq!(counts[NOT_RECORDED], 4);
        assert_eq!(counts.len(), 3);
    }

    #[test]
    fn vocabulary_order_lists_zero_codes() {
        let counts = merge_counts([
            (Some("male".to_owned()), 2),
            (Some("martian".to_owned()), 1),
            (None, 1),
            (Some(String::new()), 2),
        ]);
        let list = in_vocabulary_order::<Sex>(&counts);
        let codes: Vec<&str> = list.iter().map(|row| row.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "female",
                "male",
                "other",
                "unknown",
                "martian",
                NOT_RECORDED
            ]
        );
        assert_eq!(list[0].count, 0);
        assert_eq!(list[1].count, 2);
        assert_eq!(list[5].count, 3);
        assert_eq!(
            in_vocabulary_order::<ExploitationType>(&BTreeMap::new()).len(),
            9
        );
    }

    #[test]
    fn top_counts_sum_the_rest() {
        let counts = merge_counts([
            (Some("UA".to_owned()), 5),
            (Some("NG".to_owned()), 7),
            (Some("AF".to_owned()), 5),
            (Some("PK".to_owned()), 1),
            (None, 2),
        ]);
        let list = top_counts(&counts, 2);
        let rows: Vec<(&str, i64)> = list.iter().map(|r| (r.code.as_str(), r.count)).collect();
        assert_eq!(
            rows,
            [("NG", 7), ("AF", 5), (OTHER_CODES, 6), (NOT_RECORDED, 2)]
        );
        assert_eq!(top_counts(&counts, 10).len(), 5);
    }

    #[test]
    fn short_periods_count_per_month() {
        let (granularity, list) = buckets(period("2026-01-15", "2026-03-02"));
        assert_eq!(granularity, Granularity::Month);
        assert_eq!(
            list,
            [day("2026-01-01"), day("2026-02-01"), day("2026-03-01")]
        );
        let (_, across_years) = buckets(period("2025-12-31", "2026-01-01"));
        assert_eq!(across_years, [day("2025-12-01"), day("2026-01-01")]);
        let (granularity, list) = buckets(period("2026-01-01", "2028-12-31"));
        assert_eq!(granularity, Granularity::Month);
        assert_eq!(list.len(), 36);
    }

    #[test]
    fn long_periods_count_per_year() {
        let (granularity, list) = buckets(period("2000-06-01", "2030-12-31"));
        assert_eq!(granularity, Granularity::Year);
        assert_eq!(list.len(), 31);
        assert_eq!(list[0], day("2000-01-01"));
        assert_eq!(
            buckets(period("2026-01-01", "2029-01-01")).0,
            Granularity::Year
        );
    }

    #[test]
    fn time_series_fill_empty_buckets() {
        let rows = vec![
            ("legal".to_owned(), day("2026-01-03"), 2),
            ("legal".to_owned(), day("2026-01-20"), 1),
            ("escort".to_owned(), day("2026-03-31"), 4),
            ("escort".to_owned(), day("2026-04-01"), 9),
            ("unknown".to_owned(), day("2026-02-01"), 9),
        ];
        let series = time_series(
            period("2026-01-01", "2026-03-31"),
            &["legal", "escort"],
            &rows,
        );
        assert_eq!(series.buckets.len(), 3);
        assert_eq!(series.series[0], ("legal".to_owned(), vec![3, 0, 0]));
        assert_eq!(series.series[1], ("escort".to_owned(), vec![0, 0, 4]));
        assert_eq!(series.totals(), [3, 0, 4]);
    }

    #[test]
    fn percentages_need_a_whole() {
        assert_eq!(percent_of(1, 4), Some(25.0));
        assert_eq!(percent_of(1, 0), None);
    }
}
