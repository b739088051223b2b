//! The "publish" export: statistics that may be handed to the public or a
//! rapporteur. Every table goes through small-cell suppression (no count
//! from 1 to 4 is shown) and the record-level file through k-anonymity
//! (k = 11 over sex, age, citizenship, exploitation and year). A bilingual
//! note states the rules and how many cells and records were hidden,
//! without saying which.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use procap_domain::stats::hierarchy::{
    QuasiIdentifiers, generalise_age, generalise_citizenship, generalise_exploitation,
    generalise_sex, generalise_year,
};
use procap_domain::stats::kanon::{self, KAnonymityRule};
use procap_domain::stats::tables::{self, CountTable, PublishedTable};

use crate::tabular::{self, Cell};

/// One file of the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedFile {
    /// File name without a folder, e.g. `cases_by_sex.csv`.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// How much one table hid.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TableNote {
    file: String,
    primary: usize,
    secondary: usize,
}

/// How a table labels a case.
type Label = fn(&QuasiIdentifiers) -> String;

/// The age level shown in the tables: 10-year brackets.
const TABLE_AGE_LEVEL: u8 = 1;

/// Builds every file of the export from the quasi-identifiers of each
/// case. `generated_on` is printed in the note.
pub fn published_statistics(cases: &[QuasiIdentifiers], generated_on: &str) -> Vec<PublishedFile> {
    let mut files = Vec::new();
    let mut notes = Vec::new();

    let one_way: [(&str, &str, Label); 5] = [
        ("cases_by_year.csv", "year", |case| {
            generalise_year(case.year, 0).to_string()
        }),
        ("cases_by_sex.csv", "sex", |case| {
            generalise_sex(case.sex, 0).to_string()
        }),
        ("cases_by_age.csv", "age", |case| {
            generalise_age(case.age, TABLE_AGE_LEVEL).to_string()
        }),
        ("cases_by_citizenship.csv", "citizenship", |case| {
            generalise_citizenship(case.citizenship.as_deref(), 0).to_string()
        }),
        ("cases_by_exploitation.csv", "exploitation", |case| {
            generalise_exploitation(&case.exploitation, 0).to_string()
        }),
    ];
    for (name, heading, label) in one_way {
        let counts = count_by(cases, label);
        let labels: Vec<String> = counts.keys().cloned().collect();
        let values: Vec<u64> = counts.values().copied().collect();
        let table = CountTable::one_way(labels, values).expect("one count per label");
        let publication = tables::publish(&table);
        files.push(PublishedFile {
            name: name.to_owned(),
            bytes: one_way_csv(heading, &publication.table),
        });
        notes.push(TableNote {
            file: name.to_owned(),
            primary: publication.report.primary_count(),
            secondary: publication.report.secondary_count(),
        });
    }

    let by_year_and_sex = cross_count(cases);
    let publication = tables::publish(&by_year_and_sex);
    files.push(PublishedFile {
        name: "cases_by_year_and_sex.csv".to_owned(),
        bytes: two_way_csv("year", &publication.table),
    });
    notes.push(TableNote {
        file: "cases_by_year_and_sex.csv".to_owned(),
        primary: publication.report.primary_count(),
        secondary: publication.report.secondary_count(),
    });

    let rule = KAnonymityRule::default();
    let release = kanon::anonymise(cases, &rule);
    let mut rows = vec![
        ["sex", "age", "citizenship", "exploitation", "year"]
            .iter()
            .map(|&heading| Cell::from(heading))
            .collect::<Vec<Cell>>(),
    ];
    // Sorted, so the file does not depend on the order the records were
    // stored in and says nothing about it.
    let mut records: Vec<[String; 5]> = release
        .records
        .iter()
        .map(|record| {
            let values = &record.values;
            [
                values.sex.to_string(),
                values.age.to_string(),
                values.citizenship.to_string(),
                values.exploitation.to_string(),
                values.year.to_string(),
            ]
        })
        .collect();
    records.sort();
    rows.extend(
        records
            .into_iter()
            .map(|record| record.into_iter().map(Cell::Text).collect()),
    );
    files.push(PublishedFile {
        name: "records.csv".to_owned(),
        bytes: tabular::csv(&rows),
    });

    let mut note = String::new();
    write_note(
        &mut note,
        generated_on,
        cases.len(),
        &notes,
        release.records.len(),
        release.suppressed_count(),
        rule.k(),
    );
    files.push(PublishedFile {
        name: "README.txt".to_owned(),
        bytes: note.into_bytes(),
    });
    files
}

fn count_by(cases: &[QuasiIdentifiers], label: Label) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for case in cases {
        *counts.entry(label(case)).or_insert(0) += 1;
    }
    counts
}

fn cross_count(cases: &[QuasiIdentifiers]) -> CountTable {
    let mut years: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut sexes: BTreeMap<String, ()> = BTreeMap::new();
    for case in cases {
        let year = generalise_year(case.year, 0).to_string();
        let sex = generalise_sex(case.sex, 0).to_string();
        sexes.insert(sex.clone(), ());
        *years.entry(year).or_default().entry(sex).or_insert(0) += 1;
    }
    let columns: Vec<String> = sexes.into_keys().collect();
    let rows: Vec<String> = years.keys().cloned().collect();
    let counts: Vec<Vec<u64>> = years
        .values()
        .map(|by_sex| {
            columns
                .iter()
                .map(|sex| by_sex.get(sex).copied().unwrap_or(0))
                .collect()
        })
        .collect();
    CountTable::two_way(rows, columns, counts).expect("a count per row and column")
}

fn one_way_csv(heading: &str, table: &PublishedTable) -> Vec<u8> {
    let mut rows = vec![vec![Cell::from(heading), Cell::from("cases")]];
    for (label, cells) in table.row_labels.iter().zip(&table.cells) {
        rows.push(vec![
            Cell::from(label.as_str()),
            Cell::Text(cells[0].to_string()),
        ]);
    }
    rows.push(vec![
        Cell::from("total"),
        Cell::Text(table.grand_total.to_string()),
    ]);
    tabular::csv(&rows)
}

fn two_way_csv(heading: &str, table: &PublishedTable) -> Vec<u8> {
    let mut header = vec![Cell::from(heading)];
    header.extend(
        table
            .column_labels
            .iter()
            .map(|label| Cell::from(label.as_str())),
    );
    header.push(Cell::from("total"));
    let mut rows = vec![header];
    for ((label, cells), total) in table
        .row_labels
        .iter()
        .zip(&table.cells)
        .zip(&table.row_totals)
    {
        let mut row = vec![Cell::from(label.as_str())];
        row.extend(cells.iter().map(|cell| Cell::Text(cell.to_string())));
        row.push(Cell::Text(total.to_string()));
        rows.push(row);
    }
    let mut totals = vec![Cell::from("total")];
    totals.extend(
        table
            .column_totals
            .iter()
            .map(|cell| Cell::Text(cell.to_string())),
    );
    totals.push(Cell::Text(table.grand_total.to_string()));
    rows.push(totals);
    tabular::csv(&rows)
}

fn write_note(
    out: &mut String,
    generated_on: &str,
    cases: usize,
    tables: &[TableNote],
    released: usize,
    suppressed: usize,
    k: usize,
) {
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "Procap — Δημοσιευμένα στατιστικά / Published statistics"
    );
    let _ = writeln!(out, "Ημερομηνία / Date: {generated_on}");
    let _ = writeln!(out, "Περιστατικά / Cases: {}", rounded(cases));
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Κανόνες / Rules:\n\
         - Κανένα κελί πίνακα δεν δείχνει αριθμό από 1 έως 4· δείχνεται «<5». Σύνολα από 1 έως 4 \
         και κελιά από τα οποία θα μπορούσε να υπολογιστεί ένα μικρό κελί κρύβονται με «x».\n\
         - No table cell shows a count from 1 to 4; it shows \"<5\". Totals from 1 to 4, and cells \
         from which a small cell could be worked out, are hidden as \"x\".\n\
         - Το αρχείο records.csv είναι {k}-ανώνυμο ως προς φύλο, ηλικία, υπηκοότητα, μορφή \
         εκμετάλλευσης και έτος: κάθε συνδυασμός εμφανίζεται σε τουλάχιστον {k} εγγραφές, με \
         γενίκευση («*» = δεν δείχνεται) και παράλειψη εγγραφών.\n\
         - records.csv is {k}-anonymous over sex, age, citizenship, exploitation form and year: \
         every combination occurs in at least {k} records, by generalising (\"*\" = not shown) \
         and leaving records out."
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Τι κρύφτηκε / What was hidden (πρωτογενώς / primary, δευτερογενώς / secondary):"
    );
    for table in tables {
        let _ = writeln!(
            out,
            "- {}: {} / {}",
            table.file, table.primary, table.secondary
        );
    }
    let _ = writeln!(
        out,
        "- records.csv: {released} εγγραφές δημοσιεύτηκαν, {suppressed} παραλείφθηκαν / \
         {released} records released, {suppressed} left out"
    );
}

/// The case count as printed in the note: exact from 5 up, "<5" below,
/// so the note obeys the same rule as the tables.
fn rounded(count: usize) -> String {
    if (1..5).contains(&count) {
        tables::LESS_THAN_FIVE_MARKER.to_owned()
    } else {
        count.to_string()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use procap_domain::case::vocab::{AgeBracket, CodeSet, ExploitationType, Sex};
    use procap_domain::stats::hierarchy::Age;
    use proptest::prelude::*;

    use super::*;

    fn case() -> impl Strategy<Value = QuasiIdentifiers> {
        let sexes = prop::sample::select(vec![Sex::Female, Sex::Male, Sex::Other, Sex::Unknown]);
        let brackets = prop::sample::select(vec![
            Some(AgeBracket::From9To17),
            Some(AgeBracket::From18To20),
            Some(AgeBracket::From30To38),
            Some(AgeBracket::From48),
            None,
        ]);
        let countries = prop::sample::select(vec![
            Some("NG"),
            Some("GR"),
            Some("PK"),
            Some("RO"),
            Some("UA"),
            None,
        ]);
        let kinds = prop::sample::subsequence(
            vec![
                ExploitationType::SexualExploitation,
                ExploitationType::ForcedLabour,
                ExploitationType::ForcedBegging,
            ],
            0..=2,
        );
        (sexes, brackets, countries, kinds, 2019..2027i32).prop_map(
            |(sex, bracket, country, kinds, year)| QuasiIdentifiers {
                sex,
                age: bracket.map_or(Age::Unknown, Age::Bracket),
                citizenship: country.map(str::to_owned),
                exploitation: kinds.into_iter().collect::<CodeSet<ExploitationType>>(),
                year,
            },
        )
    }

    fn csv_cells(file: &PublishedFile) -> Vec<Vec<String>> {
        let text = String::from_utf8(file.bytes.clone()).expect("UTF-8");
        let text = text.strip_prefix('\u{feff}').expect("byte-order mark");
        text.lines()
            .map(|line| line.split(',').map(str::to_owned).collect())
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn no_published_file_breaks_the_thresholds(
            cases in prop::collection::vec(case(), 0..300)
        ) {
            let files = published_statistics(&cases, "2026-12-05");
            for file in files.iter().filter(|file| file.name.ends_with(".csv")) {
                for row in csv_cells(file) {
                    for cell in row {
                        if let Ok(count) = cell.parse::<u64>() {
                            prop_assert!(
                                !(1..5).contains(&count),
                                "{} shows {count}", file.name
                            );
                        }
                    }
                }
            }
            let records = files
                .iter()
                .find(|file| file.name == "records.csv")
                .expect("record file");
            let mut groups: HashMap<Vec<String>, usize> = HashMap::new();
            for row in csv_cells(records).into_iter().skip(1) {
                *groups.entry(row).or_default() += 1;
            }
            prop_assert!(groups.values().all(|&size| size >= 11));
        }
    }

    #[test]
    fn tables_show_small_counts_as_less_than_five() {
        let mut cases = Vec::new();
        for (sex, count) in [(Sex::Female, 12), (Sex::Male, 3)] {
            for _ in 0..count {
                cases.push(QuasiIdentifiers {
                    sex,
                    age: Age::Unknown,
                    citizenship: None,
                    exploitation: CodeSet::new(),
                    year: 2025,
                });
            }
        }
        let files = published_statistics(&cases, "2026-12-05");
        let by_sex = files
            .iter()
            .find(|file| file.name == "cases_by_sex.csv")
            .expect("sex table");
        let rows = csv_cells(by_sex);
        assert_eq!(rows[2], vec!["male", "<5"]);
    }
}
