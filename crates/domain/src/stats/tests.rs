use std::collections::BTreeSet;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::amif::{
    IndicatorId, LineSet, Participant, Period, PeriodError, Rule, ServiceRow, compute,
    compute_served, definition, definition_by_code, definitions,
};
use super::hierarchy::{
    Age, AgeValue, CitizenshipValue, ExploitationGroup, ExploitationValue, Levels,
    QuasiIdentifiers, YearValue, generalise, generalise_age, generalise_citizenship,
    generalise_exploitation, generalise_year,
};
use super::kanon::{KAnonymityRule, RuleError, anonymise, is_k_anonymous};
use super::m49::{Region, SubRegion};
use super::tables::{CellRef, CountTable, PublishedCell, PublishedTable, TableError, publish};
use crate::case::vocab::{AgeBracket, CodeSet, ExploitationType, ServiceLine, Sex};
use crate::locale::Locale;

fn labels(count: usize, prefix: &str) -> Vec<String> {
    (0..count).map(|index| format!("{prefix}{index}")).collect()
}

fn cell(row: usize, column: usize) -> CellRef {
    CellRef::Cell { row, column }
}

fn shown(table: &PublishedTable) -> Vec<String> {
    table
        .cells
        .iter()
        .flatten()
        .map(PublishedCell::to_string)
        .collect()
}

// ---------------------------------------------------------------- tables

#[test]
fn table_without_small_counts_unchanged() {
    let table = CountTable::one_way(labels(3, "r"), vec![12, 0, 30]).unwrap();
    let publication = publish(&table);
    assert_eq!(shown(&publication.table), ["12", "0", "30"]);
    assert_eq!(publication.table.grand_total, PublishedCell::Count(42));
    assert!(publication.report.primary.is_empty());
    assert!(publication.report.secondary.is_empty());
}

#[test]
fn lone_small_count_hides_next_smallest() {
    // 3 alone would be 35 - 12 - 0 - 20; hiding 12 as well leaves two
    // unknowns that add up to 15.
    let table = CountTable::one_way(labels(4, "r"), vec![12, 3, 0, 20]).unwrap();
    let publication = publish(&table);
    assert_eq!(shown(&publication.table), ["x", "<5", "0", "20"]);
    assert_eq!(publication.table.grand_total, PublishedCell::Count(35));
    assert_eq!(publication.report.primary, [cell(1, 0)]);
    assert_eq!(publication.report.secondary, [cell(0, 0)]);
    assert!(publication.table.disclosed_cells().is_empty());
}

#[test]
fn small_total_shown_as_hidden() {
    let table = CountTable::one_way(labels(2, "r"), vec![3, 0]).unwrap();
    let publication = publish(&table);
    assert_eq!(shown(&publication.table), ["<5", "0"]);
    assert_eq!(publication.table.grand_total, PublishedCell::Hidden);
    assert_eq!(
        publication.report.primary,
        [cell(0, 0), CellRef::GrandTotal]
    );
    assert!(publication.report.secondary.is_empty());
}

#[test]
fn four_ones_keep_total_hidden() {
    // Had the total read "<5", four "<5" cells could only be 1 each.
    let table = CountTable::one_way(labels(4, "r"), vec![1, 1, 1, 1]).unwrap();
    let publication = publish(&table);
    assert_eq!(shown(&publication.table), ["<5", "<5", "<5", "<5"]);
    assert_eq!(publication.table.grand_total, PublishedCell::Hidden);
    assert!(publication.table.disclosed_cells().is_empty());
}

#[test]
fn forced_ones_hide_more_cells() {
    // 1 + 1 + 5 = 7: with 5 and 7 shown, two "<5" cells adding up to 2 are
    // both 1. Hiding 5 still pins them (x + y + z = 7 with z >= 5), so the
    // total goes too.
    let table = CountTable::one_way(labels(3, "r"), vec![1, 1, 5]).unwrap();
    let publication = publish(&table);
    assert_eq!(shown(&publication.table), ["<5", "<5", "x"]);
    assert_eq!(publication.table.grand_total, PublishedCell::Hidden);
    assert_eq!(
        publication.report.secondary,
        [cell(2, 0), CellRef::GrandTotal]
    );
}

#[test]
fn cross_table_hides_a_rectangle() {
    //        F   M | total
    //   A   10   2 |  12
    //   B    8  12 |  20
    //   C   15  20 |  35
    //   -----------+-----
    //       33  34 |  67
    let table = CountTable::two_way(
        labels(3, "row"),
        labels(2, "col"),
        vec![vec![10, 2], vec![8, 12], vec![15, 20]],
    )
    .unwrap();
    let publication = publish(&table);
    let report = &publication.report;
    assert_eq!(report.primary, [cell(0, 1)]);
    assert_eq!(report.secondary, [cell(0, 0), cell(1, 0), cell(1, 1)]);
    assert_eq!(shown(&publication.table), ["x", "<5", "x", "x", "15", "20"]);
    let totals: Vec<String> = publication
        .table
        .row_totals
        .iter()
        .chain(&publication.table.column_totals)
        .map(PublishedCell::to_string)
        .collect();
    assert_eq!(totals, ["12", "20", "35", "33", "34"]);
    assert_eq!(publication.table.grand_total, PublishedCell::Count(67));
    assert!(publication.table.disclosed_cells().is_empty());
    assert_eq!(report.primary_count(), 1);
    assert_eq!(report.secondary_count(), 3);
}

#[test]
fn derived_sums_disclose_a_cell() {
    //        c0  c1  c2 | total
    //   r0    2   0   0 |   2
    //   r1   10   1   2 |  13
    //   r2    1   1   0 |   2
    //   ------------------+------
    //        13   2   2 |  17
    // With only the small counts and small totals hidden, no single line
    // pins anything, but adding lines does: column 1's total plus column
    // 2's is 17 - 13 = 4, row 1 gives (1,1) + (1,2) = 3, and column 2 is
    // just (1,2), so (2,1) = 4 - 3 = 1.
    let table = CountTable::two_way(
        labels(3, "r"),
        labels(3, "c"),
        vec![vec![2, 0, 0], vec![10, 1, 2], vec![1, 1, 0]],
    )
    .unwrap();
    let publication = publish(&table);
    assert!(!publication.report.secondary.is_empty());
    assert!(publication.table.disclosed_cells().is_empty());

    let mut primary_only = publication.table.clone();
    for &at in &publication.report.secondary {
        let truth = PublishedCell::Count(table.value(at));
        match at {
            CellRef::Cell { row, column } => primary_only.cells[row][column] = truth,
            CellRef::RowTotal(row) => primary_only.row_totals[row] = truth,
            CellRef::ColumnTotal(column) => primary_only.column_totals[column] = truth,
            CellRef::GrandTotal => primary_only.grand_total = truth,
        }
    }
    assert!(primary_only.disclosed_cells().contains(&cell(2, 1)));
}

#[test]
fn disclosed_cells_finds_subtraction() {
    let mut publication = publish(&CountTable::one_way(labels(2, "r"), vec![3, 9]).unwrap());
    publication.table.cells[1][0] = PublishedCell::Count(9);
    assert_eq!(publication.table.disclosed_cells(), [cell(0, 0)]);
}

#[test]
fn counts_must_match_their_labels() {
    assert_eq!(
        CountTable::one_way(labels(2, "r"), vec![1]),
        Err(TableError::RowCount {
            labels: 2,
            counts: 1
        })
    );
    assert_eq!(
        CountTable::two_way(labels(1, "r"), labels(2, "c"), vec![vec![1, 2, 3]]),
        Err(TableError::ColumnCount {
            row: 0,
            labels: 2,
            counts: 3
        })
    );
}

#[test]
fn empty_table_has_zero_total() {
    let publication = publish(&CountTable::one_way(Vec::new(), Vec::new()).unwrap());
    assert_eq!(publication.table.grand_total, PublishedCell::Count(0));
    let publication =
        publish(&CountTable::two_way(labels(2, "r"), Vec::new(), vec![vec![], vec![]]).unwrap());
    assert_eq!(publication.table.grand_total, PublishedCell::Count(0));
}

/// Counts with many small values and zeros, the hard cases.
fn count() -> impl Strategy<Value = u64> {
    prop_oneof![
        3 => Just(0u64),
        4 => 1u64..=4,
        3 => 5u64..=40,
    ]
}

fn any_table() -> impl Strategy<Value = CountTable> {
    prop_oneof![
        prop::collection::vec(count(), 0..8)
            .prop_map(|counts| { CountTable::one_way(labels(counts.len(), "r"), counts).unwrap() }),
        (1usize..6, 1usize..6).prop_flat_map(|(rows, columns)| {
            prop::collection::vec(prop::collection::vec(count(), columns), rows).prop_map(
                move |counts| {
                    CountTable::two_way(labels(rows, "r"), labels(columns, "c"), counts).unwrap()
                },
            )
        }),
    ]
}

/// Searches for another table that matches everything `published` shows
/// but gives `target` a value other than its true one. Hidden values are
/// tried within 4 of the truth and within the marker's range, so finding
/// one proves the cell is not disclosed; a miss would need a wider search.
fn has_alternative(table: &CountTable, published: &PublishedTable, target: CellRef) -> bool {
    let positions = published.positions();
    let index_of = |at: &CellRef| positions.iter().position(|other| other == at).unwrap();

    // Every position gets a range of candidate values: one value when
    // published, a window around the truth when hidden.
    let domains: Vec<Vec<u64>> = positions
        .iter()
        .map(|&at| {
            let truth = table.value(at);
            let (lo, hi) = match published.get(at) {
                PublishedCell::Count(count) => (count, count),
                PublishedCell::LessThanFive => (1, 4),
                PublishedCell::Hidden if at.is_total() => (1, u64::MAX),
                PublishedCell::Hidden => (5, u64::MAX),
            };
            (truth.saturating_sub(4).max(lo)..=truth.saturating_add(4).min(hi))
                .filter(|&value| at != target || value != truth)
                .collect()
        })
        .collect();
    let lines: Vec<(Vec<usize>, usize)> = published
        .lines()
        .iter()
        .map(|(members, total)| (members.iter().map(index_of).collect(), index_of(total)))
        .collect();
    let mut chosen: Vec<Option<u64>> = vec![None; positions.len()];
    search(0, &domains, &lines, &mut chosen)
}

/// Assigns positions in order, pruning as soon as a sum can no longer hold.
fn search(
    position: usize,
    domains: &[Vec<u64>],
    lines: &[(Vec<usize>, usize)],
    chosen: &mut [Option<u64>],
) -> bool {
    let range = |index: usize, chosen: &[Option<u64>]| match chosen[index] {
        Some(value) => (value, value),
        None => (
            domains[index].iter().copied().min().unwrap_or(u64::MAX),
            domains[index].iter().copied().max().unwrap_or(0),
        ),
    };
    let feasible = lines.iter().all(|(members, total)| {
        let (mut lo, mut hi) = (0u64, 0u64);
        for &member in members {
            let (member_lo, member_hi) = range(member, chosen);
            lo = lo.saturating_add(member_lo);
            hi = hi.saturating_add(member_hi);
        }
        let (total_lo, total_hi) = range(*total, chosen);
        lo <= total_hi && total_lo <= hi
    });
    if !feasible {
        return false;
    }
    if position == domains.len() {
        return true;
    }
    for &value in &domains[position] {
        chosen[position] = Some(value);
        if search(position + 1, domains, lines, chosen) {
            return true;
        }
    }
    chosen[position] = None;
    false
}

// These properties once ran with a fixed seed, because the exact-search
// property found rare tables that the interval and elimination reasoning
// missed (see `chained_sums_can_pin_a_small_cell`). `disclosure` now
// searches exactly as well, so any seed must pass.
proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_published_count_from_one_to_four(table in any_table()) {
        let publication = publish(&table);
        for at in publication.table.positions() {
            let truth = table.value(at);
            match publication.table.get(at) {
                PublishedCell::Count(count) => {
                    prop_assert!(count == 0 || count >= 5, "{at:?} shows {count}");
                    prop_assert_eq!(count, truth, "{:?} is not the true count", at);
                }
                PublishedCell::LessThanFive => {
                    prop_assert!(!at.is_total());
                    prop_assert!((1..=4).contains(&truth));
                }
                PublishedCell::Hidden => {
                    prop_assert!(truth >= 1, "a zero was hidden at {:?}", at);
                    prop_assert!(at.is_total() || truth >= 5);
                }
            }
        }
    }

    #[test]
    fn no_line_has_one_hidden_cell(table in any_table()) {
        // A row or column whose other numbers and total are published gives
        // its one hidden cell away by subtraction.
        let publication = publish(&table);
        for (members, total) in publication.table.lines() {
            let hidden = members
                .iter()
                .chain(std::iter::once(&total))
                .filter(|at| publication.table.get(**at).is_hidden())
                .count();
            prop_assert_ne!(hidden, 1, "line to {:?} reveals its hidden cell", total);
        }
    }

    #[test]
    fn no_hidden_cell_disclosed(table in any_table()) {
        let publication = publish(&table);
        prop_assert_eq!(publication.table.disclosed_cells(), Vec::<CellRef>::new());
    }

    #[test]
    fn hidden_cells_have_other_solutions(table in any_table()) {
        // Independent of `disclosed_cells`: every hidden cell can take
        // another value in some table that shows exactly the same.
        let publication = publish(&table);
        let hidden: Vec<CellRef> = publication
            .table
            .positions()
            .into_iter()
            .filter(|at| publication.table.get(*at).is_hidden())
            .collect();
        if hidden.len() > 10 {
            return Ok(());
        }
        for at in hidden {
            prop_assert!(has_alternative(&table, &publication.table, at), "{:?} is pinned", at);
        }
    }

    #[test]
    fn report_lists_hidden_cells(table in any_table()) {
        let publication = publish(&table);
        let hidden: BTreeSet<CellRef> = publication
            .table
            .positions()
            .into_iter()
            .filter(|at| publication.table.get(*at).is_hidden())
            .collect();
        let primary: BTreeSet<CellRef> = publication.report.primary.iter().copied().collect();
        let secondary: BTreeSet<CellRef> = publication.report.secondary.iter().copied().collect();
        prop_assert!(primary.is_disjoint(&secondary));
        prop_assert_eq!(&primary | &secondary, hidden);
        for at in primary {
            prop_assert!((1..=4).contains(&table.value(at)));
        }
        for at in secondary {
            prop_assert!(table.value(at) >= 5);
        }
    }
}

// ---------------------------------------------------------------- hierarchy

fn record(
    sex: Sex,
    age: Age,
    citizenship: Option<&str>,
    kinds: &[ExploitationType],
    year: i32,
) -> QuasiIdentifiers {
    QuasiIdentifiers {
        sex,
        age,
        citizenship: citizenship.map(str::to_owned),
        exploitation: kinds.iter().copied().collect(),
        year,
    }
}

fn range(from: u32, to: u32) -> AgeValue {
    AgeValue::Range { from, to: Some(to) }
}

#[test]
fn age_brackets_never_straddle_eighteen() {
    assert_eq!(generalise_age(Age::Years(3), 0), range(0, 4));
    assert_eq!(generalise_age(Age::Years(16), 0), range(15, 17));
    assert_eq!(generalise_age(Age::Years(18), 0), range(18, 24));
    assert_eq!(generalise_age(Age::Years(27), 0), range(25, 29));
    assert_eq!(generalise_age(Age::Years(64), 0), range(60, 64));
    assert_eq!(
        generalise_age(Age::Years(70), 0),
        AgeValue::Range { from: 65, to: None }
    );
    assert_eq!(generalise_age(Age::Years(12), 1), range(10, 17));
    assert_eq!(generalise_age(Age::Years(22), 1), range(18, 29));
    assert_eq!(generalise_age(Age::Years(45), 1), range(40, 49));
    assert_eq!(generalise_age(Age::Years(17), 2), AgeValue::Minor);
    assert_eq!(generalise_age(Age::Years(18), 2), AgeValue::Adult);
    assert_eq!(generalise_age(Age::Years(18), 3), AgeValue::Any);
    assert_eq!(generalise_age(Age::Unknown, 2), AgeValue::Unknown);
    assert_eq!(
        generalise_age(Age::Majority { minor: true }, 0),
        AgeValue::Minor
    );
}

#[test]
fn ctdc_brackets_keep_eighteen_line() {
    assert_eq!(
        generalise_age(Age::Bracket(AgeBracket::From21To23), 0),
        range(21, 23)
    );
    assert_eq!(
        generalise_age(Age::Bracket(AgeBracket::From21To23), 1),
        range(18, 29)
    );
    assert_eq!(
        generalise_age(Age::Bracket(AgeBracket::From9To17), 1),
        range(0, 17)
    );
    assert_eq!(
        generalise_age(Age::Bracket(AgeBracket::From9To17), 2),
        AgeValue::Minor
    );
    assert_eq!(
        generalise_age(Age::Bracket(AgeBracket::From48), 1),
        AgeValue::Range { from: 48, to: None }
    );
}

#[test]
fn age_levels_nest() {
    fn contains(outer: AgeValue, inner: AgeValue) -> bool {
        match (outer, inner) {
            (AgeValue::Range { from: a, to: b }, AgeValue::Range { from: c, to: d }) => {
                a <= c
                    && match (b, d) {
                        (None, _) => true,
                        (Some(_), None) => false,
                        (Some(b), Some(d)) => d <= b,
                    }
            }
            _ => false,
        }
    }
    for years in 0..=100 {
        let five = generalise_age(Age::Years(years), 0);
        let ten = generalise_age(Age::Years(years), 1);
        assert!(contains(ten, five), "{years}: {ten} does not hold {five}");
        let AgeValue::Range { from, to } = ten else {
            panic!()
        };
        let top = to.unwrap_or(200);
        assert_eq!(from < 18, top < 18, "{years}: {ten} straddles 18");
    }
}

#[test]
fn citizenship_widens_to_regions() {
    assert_eq!(
        generalise_citizenship(Some("NG"), 0),
        CitizenshipValue::Country("NG".into())
    );
    assert_eq!(
        generalise_citizenship(Some("NG"), 1),
        CitizenshipValue::SubRegion(SubRegion::WesternAfrica)
    );
    assert_eq!(
        generalise_citizenship(Some("NG"), 2),
        CitizenshipValue::Region(Region::Africa)
    );
    assert_eq!(generalise_citizenship(Some("NG"), 3), CitizenshipValue::Any);
    assert_eq!(
        generalise_citizenship(Some("00"), 1),
        CitizenshipValue::Other
    );
    assert_eq!(generalise_citizenship(None, 2), CitizenshipValue::Unknown);
    assert_eq!(
        generalise_citizenship(Some("UA"), 1).to_string(),
        "eastern_europe"
    );
}

#[test]
fn exploitation_types_map_to_groups() {
    let kinds: CodeSet<ExploitationType> = [
        ExploitationType::ForcedBegging,
        ExploitationType::SexualExploitation,
    ]
    .into_iter()
    .collect();
    assert_eq!(
        generalise_exploitation(&kinds, 0),
        ExploitationValue::Types("sexual_exploitation;forced_begging".into())
    );
    assert_eq!(
        generalise_exploitation(&kinds, 1).to_string(),
        "sexual;labour"
    );
    assert_eq!(generalise_exploitation(&kinds, 2), ExploitationValue::Any);
    assert_eq!(
        generalise_exploitation(&CodeSet::new(), 1),
        ExploitationValue::Unknown
    );
    assert_eq!(
        ExploitationGroup::of(ExploitationType::OrganRemoval),
        ExploitationGroup::Other
    );
    assert_eq!(
        ExploitationGroup::of(ExploitationType::ForcedCriminality),
        ExploitationGroup::Labour
    );
}

#[test]
fn years_widen_to_aligned_spans() {
    assert_eq!(generalise_year(2023, 0), YearValue::Year(2023));
    assert_eq!(
        generalise_year(2023, 1),
        YearValue::Span {
            from: 2022,
            to: 2023
        }
    );
    assert_eq!(
        generalise_year(2023, 2),
        YearValue::Span {
            from: 2020,
            to: 2024
        }
    );
    assert_eq!(generalise_year(2023, 3).to_string(), "*");
    assert_eq!(generalise_year(2025, 2).to_string(), "2025-2029");
}

#[test]
fn lattice_has_every_combination() {
    let all = Levels::all();
    assert_eq!(all.len(), 2 * 4 * 4 * 3 * 4);
    assert_eq!(all.iter().collect::<BTreeSet<_>>().len(), all.len());
    assert_eq!(all.first(), Some(&Levels::default()));
    assert_eq!(all.last(), Some(&Levels::TOP));
}

// ---------------------------------------------------------------- k-anonymity

#[test]
fn is_k_anonymous_counts_values() {
    assert!(is_k_anonymous::<u8>(&[], 11));
    assert!(is_k_anonymous(&[1, 1, 2, 2], 2));
    assert!(!is_k_anonymous(&[1, 1, 2], 2));
    assert!(is_k_anonymous(&[7], 1));
}

#[test]
fn rule_defaults_to_eleven() {
    let rule = KAnonymityRule::default();
    assert_eq!(rule.k(), 11);
    assert_eq!(rule.max_suppressed(100), 5);
    assert_eq!(rule.max_suppressed(19), 0);
    assert_eq!(KAnonymityRule::new(0, 0.05), Err(RuleError::KTooSmall));
    assert!(matches!(
        KAnonymityRule::new(5, 1.5),
        Err(RuleError::ShareOutOfRange(_))
    ));
    assert!(matches!(
        KAnonymityRule::new(5, f64::NAN),
        Err(RuleError::ShareOutOfRange(_))
    ));
}

fn woman(years: u32, country: &str, year: i32) -> QuasiIdentifiers {
    record(
        Sex::Female,
        Age::Years(years),
        Some(country),
        &[ExploitationType::SexualExploitation],
        year,
    )
}

#[test]
fn group_of_eleven_unchanged() {
    let records = vec![woman(22, "NG", 2024); 11];
    let release = anonymise(&records, &KAnonymityRule::default());
    assert_eq!(release.levels, Levels::default());
    assert!(release.suppressed.is_empty());
    assert_eq!(release.information_loss, 0.0);
    assert_eq!(
        release.records[3].values,
        generalise(&records[3], Levels::default())
    );
}

#[test]
fn odd_year_widens_year_only() {
    // Twelve records, none may be left out (5 % of 12 rounds down to 0).
    // Only the year differs, so a two-year span merges them.
    let mut records = vec![woman(22, "NG", 2020); 11];
    records.push(woman(22, "NG", 2021));
    let release = anonymise(&records, &KAnonymityRule::default());
    assert_eq!(
        release.levels,
        Levels {
            year: 1,
            ..Levels::default()
        }
    );
    assert!(release.suppressed.is_empty());
    assert!(release.within_budget);
    assert!((release.information_loss - 0.2).abs() < 1e-9);
    assert_eq!(release.records[11].values.year.to_string(), "2020-2021");
}

#[test]
fn ages_widen_to_ten_year_brackets() {
    let mut records = Vec::new();
    for years in 30..40 {
        records.push(woman(years, "UA", 2023));
        records.push(woman(years, "UA", 2023));
    }
    let release = anonymise(&records, &KAnonymityRule::default());
    assert_eq!(
        release.levels,
        Levels {
            age: 1,
            ..Levels::default()
        }
    );
    assert_eq!(release.records[0].values.age.to_string(), "30-39");
    assert!(release.suppressed.is_empty());
}

#[test]
fn outlier_left_out_within_budget() {
    // 40 records: 5 % allows 2 to be left out, which is cheaper than
    // generalising everyone's citizenship.
    let mut records = vec![woman(22, "PH", 2019); 39];
    records.push(woman(22, "CO", 2019));
    let release = anonymise(&records, &KAnonymityRule::default());
    assert_eq!(release.levels, Levels::default());
    assert_eq!(release.suppressed, [39]);
    assert_eq!(release.records.len(), 39);
}

#[test]
fn fewer_than_k_all_left_out() {
    let records = vec![woman(22, "PH", 2019); 10];
    let release = anonymise(&records, &KAnonymityRule::default());
    assert!(release.records.is_empty());
    assert_eq!(release.suppressed_count(), 10);
    assert!(!release.within_budget);
}

#[test]
fn empty_input_empty_release() {
    let release = anonymise(&[], &KAnonymityRule::default());
    assert!(release.records.is_empty());
    assert!(release.suppressed.is_empty());
    assert!(release.within_budget);
}

fn any_record() -> impl Strategy<Value = QuasiIdentifiers> {
    let sex = prop::sample::select(vec![Sex::Female, Sex::Male, Sex::Unknown]);
    let age = prop_oneof![
        6 => (0u32..80).prop_map(Age::Years),
        2 => prop::sample::select(AgeBracket::ALL.to_vec()).prop_map(Age::Bracket),
        1 => any::<bool>().prop_map(|minor| Age::Majority { minor }),
        1 => Just(Age::Unknown),
    ];
    let citizenship = prop::option::weighted(
        0.9,
        prop::sample::select(vec!["NG", "UA", "PH", "MD", "PK", "GR", "CO", "00"]),
    );
    let kinds = prop::sample::subsequence(ExploitationType::ALL.to_vec(), 0..=2);
    (sex, age, citizenship, kinds, 2015i32..2026).prop_map(
        |(sex, age, citizenship, kinds, year)| record(sex, age, citizenship, &kinds, year),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn release_is_k_anonymous_and_complete(
        records in prop::collection::vec(any_record(), 0..150),
        k in 1usize..15,
        share in prop_oneof![Just(0.0), Just(0.05), 0.0f64..0.3],
    ) {
        let rule = KAnonymityRule::new(k, share).unwrap();
        let release = anonymise(&records, &rule);

        let values: Vec<_> = release.records.iter().map(|record| record.values.clone()).collect();
        prop_assert!(is_k_anonymous(&values, k));
        prop_assert_eq!(release.records.len() + release.suppressed_count(), records.len());

        let mut seen: Vec<usize> = release
            .records
            .iter()
            .map(|record| record.index)
            .chain(release.suppressed.iter().copied())
            .collect();
        seen.sort_unstable();
        prop_assert_eq!(seen, (0..records.len()).collect::<Vec<_>>());

        for released in &release.records {
            prop_assert_eq!(&released.values, &generalise(&records[released.index], release.levels));
        }
        if records.len() >= k {
            prop_assert!(release.within_budget);
        }
        if release.within_budget {
            prop_assert!(release.suppressed_count() <= rule.max_suppressed(records.len()));
        }
        prop_assert!((0.0..=1.0).contains(&release.information_loss));
    }
}

// ---------------------------------------------------------------- AMIF

fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).expect("valid test date")
}

fn participant(
    id: &'static str,
    victim: bool,
    minor: bool,
    unaccompanied: bool,
) -> Participant<&'static str> {
    Participant {
        id,
        victim_of_trafficking: victim,
        minor,
        unaccompanied_minor: unaccompanied,
        other_vulnerability: false,
    }
}

fn service(
    participant: &'static str,
    line: ServiceLine,
    on: NaiveDate,
) -> ServiceRow<&'static str> {
    ServiceRow {
        participant,
        line,
        on,
    }
}

#[test]
fn indicators_count_each_person_once() {
    let first_quarter = Period::new(day(1, 1), day(3, 31)).unwrap();
    let participants = [
        participant("p1", true, false, false),
        participant("p2", true, true, false),
        // Unaccompanied but not flagged as a minor: still counted as one.
        participant("p3", true, false, true),
        participant("p4", false, false, false),
        participant("p5", true, false, false),
    ];
    let services = [
        service("p1", ServiceLine::Legal, day(1, 10)),
        service("p1", ServiceLine::Legal, day(2, 1)),
        service("p1", ServiceLine::Psychosocial, day(2, 1)),
        service("p2", ServiceLine::Interpretation, day(3, 3)),
        service(
            "p3",
            ServiceLine::Legal,
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
        ),
        service("p3", ServiceLine::Escort, day(3, 31)),
        service("p4", ServiceLine::MaterialAssistance, day(1, 1)),
        service("p5", ServiceLine::Legal, day(4, 1)),
        service("p6", ServiceLine::Legal, day(2, 2)),
    ];
    let figures = compute(first_quarter, &participants, &services);

    assert_eq!(figures.get(IndicatorId::ParticipantsSupported), 5); // p1 p2 p3 p4 p6
    assert_eq!(figures.get(IndicatorId::LegalAssistance), 2); // p1 p6
    assert_eq!(figures.get(IndicatorId::OtherSupport), 4); // p1 p2 p3 p4
    assert_eq!(figures.get(IndicatorId::VulnerablePersons), 3); // p1 p2 p3
    assert_eq!(figures.get(IndicatorId::Minors), 2); // p2 p3
    assert_eq!(figures.get(IndicatorId::UnaccompaniedMinors), 1); // p3
    assert_eq!(figures.participants_without_facts, 1); // p6
    assert_eq!(figures.values.len(), definitions().len());
}

#[test]
fn period_rejects_end_before_start() {
    assert_eq!(
        Period::new(day(3, 1), day(2, 28)),
        Err(PeriodError::EndsBeforeStart {
            from: day(3, 1),
            to: day(2, 28)
        })
    );
    let one_day = Period::new(day(3, 1), day(3, 1)).unwrap();
    assert!(one_day.contains(day(3, 1)));
    assert!(!one_day.contains(day(3, 2)));
}

#[test]
fn indicators_defined_in_both_languages() {
    let mut codes = BTreeSet::new();
    for (position, indicator) in definitions().iter().enumerate() {
        assert!(codes.insert(indicator.code), "{} twice", indicator.code);
        assert_eq!(
            definition_by_code(indicator.code).map(|found| found.id),
            Some(indicator.id)
        );
        assert_eq!(definition(indicator.id).code, indicator.code);
        for text in [indicator.name(Locale::El), indicator.definition(Locale::El)] {
            assert!(
                text.chars().any(|c| ('α'..='ω').contains(&c)),
                "{text} is not Greek"
            );
        }
        for text in [indicator.name(Locale::En), indicator.definition(Locale::En)] {
            assert!(text.is_ascii() && !text.is_empty());
            assert!(!text.contains("  "), "{text} has a double space");
        }
        if let Some(parent) = indicator.part_of {
            let parent_position = definitions().iter().position(|other| other.id == parent);
            assert!(parent_position.is_some_and(|parent| parent < position));
        }
    }
    assert_eq!(
        definition(IndicatorId::LegalAssistance).rule,
        Rule::ServiceLines(&[ServiceLine::Legal])
    );
}

fn any_line() -> impl Strategy<Value = ServiceLine> {
    prop::sample::select(ServiceLine::ALL.to_vec())
}

proptest! {
    #[test]
    fn parts_within_whole_and_idempotent(
        facts in prop::collection::vec((any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()), 1..12),
        served in prop::collection::vec((0usize..15, any_line(), 1u32..=28), 0..60),
    ) {
        let participants: Vec<Participant<usize>> = facts
            .iter()
            .enumerate()
            .map(|(id, &(victim, minor, unaccompanied, other))| Participant {
                id,
                victim_of_trafficking: victim,
                minor,
                unaccompanied_minor: unaccompanied,
                other_vulnerability: other,
            })
            .collect();
        let services: Vec<ServiceRow<usize>> = served
            .iter()
            .map(|&(participant, line, on)| ServiceRow { participant, line, on: day(2, on) })
            .collect();
        let period = Period::new(day(2, 5), day(2, 20)).unwrap();
        let figures = compute(period, &participants, &services);

        for indicator in definitions() {
            if let Some(parent) = indicator.part_of {
                prop_assert!(figures.get(indicator.id) <= figures.get(parent));
            }
        }
        let legal = figures.get(IndicatorId::LegalAssistance);
        let other = figures.get(IndicatorId::OtherSupport);
        prop_assert!(legal + other >= figures.get(IndicatorId::ParticipantsSupported));

        let mut doubled = services.clone();
        doubled.extend(services.iter().cloned());
        prop_assert_eq!(compute(period, &participants, &doubled), figures.clone());

        // The lines per participant, gathered first as the store does,
        // give the same figures.
        let mut gathered: std::collections::HashMap<usize, LineSet> =
            std::collections::HashMap::new();
        for service in services.iter().filter(|service| period.contains(service.on)) {
            gathered.entry(service.participant).or_default().insert(service.line);
        }
        prop_assert_eq!(compute_served(period, &participants, &gathered), figures);
    }
}

/// Found by `hidden_cells_have_other_solutions` with a random seed: column 2
/// fixes the two small cells above 6, each row then fixes its other small
/// cell, and column 0 fixes the last. Interval and elimination reasoning do
/// not see it; the exact search in `disclosure` does, so `publish` hides
/// more.
#[test]
fn chained_sums_can_pin_a_small_cell() {
    let table = CountTable::two_way(
        vec!["r0".into(), "r1".into(), "r2".into()],
        vec!["c0".into(), "c1".into(), "c2".into()],
        vec![vec![4, 0, 2], vec![4, 0, 1], vec![1, 2, 6]],
    )
    .expect("table");
    let publication = publish(&table);
    for at in publication.table.positions() {
        if publication.table.get(at).is_hidden() {
            assert!(
                has_alternative(&table, &publication.table, at),
                "{at:?} is pinned"
            );
        }
    }
}

#[test]
fn line_set_keeps_vocabulary_order() {
    let set: LineSet = [
        ServiceLine::Legal,
        ServiceLine::CaseManagement,
        ServiceLine::Legal,
    ]
    .into_iter()
    .collect();
    assert_eq!(
        set.iter().collect::<Vec<_>>(),
        vec![ServiceLine::CaseManagement, ServiceLine::Legal]
    );
    assert!(set.contains(ServiceLine::Legal));
    assert!(!set.contains(ServiceLine::Escort));
    assert!(LineSet::default().is_empty());

    let every: LineSet = ServiceLine::ALL.iter().copied().collect();
    assert_eq!(every.iter().count(), ServiceLine::ALL.len());
    assert_eq!(set.union(every), every);
}
