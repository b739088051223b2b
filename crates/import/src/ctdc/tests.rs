use std::collections::HashMap;

use proptest::prelude::*;

use super::vocabulary::required_columns;
use super::*;

const SAMPLE_PATH: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/ctdc_global_kanon_sample.csv"
);

fn sample_bytes() -> Vec<u8> {
    std::fs::read(SAMPLE_PATH).expect("the CTDC sample is in crates/import/data")
}

fn parse_sample() -> Vec<CtdcRecord> {
    match parse_ctdc(sample_bytes().as_slice()) {
        Ok(records) => records,
        Err(errors) => panic!("the sample failed to parse: {errors:#?}"),
    }
}

/// Returns the sample's header line, so hand-written rows use the real
/// column order.
fn header_line() -> String {
    let bytes = sample_bytes();
    let text = std::str::from_utf8(&bytes).expect("the sample is UTF-8");
    text.lines()
        .next()
        .expect("the sample has a header")
        .to_owned()
}

/// Builds one data row for the sample's header. Every column is `-99`
/// unless `values` sets it.
fn data_row(values: &[(&str, &str)]) -> String {
    row_for_header(&header_line(), values)
}

fn row_for_header(header: &str, values: &[(&str, &str)]) -> String {
    let values: HashMap<&str, &str> = values.iter().copied().collect();
    header
        .split(',')
        .map(|column| values.get(column).copied().unwrap_or("-99"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Builds a valid row in which only the columns that must not be `-99` are
/// filled in.
fn minimal_row(extra: &[(&str, &str)]) -> String {
    let mut values = vec![
        ("yearOfRegistration", "2016"),
        ("Datasource", "Case Management"),
        ("gender", "Female"),
        ("citizenship", "UA"),
    ];
    values.extend_from_slice(extra);
    data_row(&values)
}

fn csv_file(rows: &[String]) -> String {
    let mut file = header_line();
    for row in rows {
        file.push('\n');
        file.push_str(row);
    }
    file.push('\n');
    file
}

fn expect_errors(input: &str) -> Vec<ImportError> {
    match parse_ctdc(input.as_bytes()) {
        Ok(records) => panic!("expected errors, got {} records", records.len()),
        Err(errors) => errors,
    }
}

fn expect_single_error(input: &str, line: u64, column: &str) -> ImportError {
    let errors = expect_errors(input);
    assert_eq!(errors.len(), 1, "expected exactly one error: {errors:#?}");
    let error = errors.into_iter().next().expect("one error");
    assert_eq!(error.line, line, "{error}");
    assert_eq!(error.column, column, "{error}");
    error
}

fn count<T>(records: &[CtdcRecord], value: impl Fn(&CtdcRecord) -> T, expected: T) -> usize
where
    T: PartialEq,
{
    records
        .iter()
        .filter(|record| value(record) == expected)
        .count()
}

#[test]
fn sample_parses_every_row() {
    let records = parse_sample();

    assert_eq!(records.len(), 1_522);
}

#[test]
fn sample_counts_match_its_readme() {
    let records = parse_sample();

    assert_eq!(count(&records, |r| r.sex, "female"), 1_117);
    assert_eq!(count(&records, |r| r.sex, "male"), 405);
    assert_eq!(count(&records, |r| r.age_bracket, None), 376);
    assert_eq!(count(&records, |r| r.age_bracket, Some("18_20")), 272);
    assert_eq!(count(&records, |r| r.age_bracket, Some("48_plus")), 63);
    assert_eq!(count(&records, |r| r.data_source, "case_management"), 1_136);
    assert_eq!(count(&records, |r| r.data_source, "hotline"), 386);
    assert_eq!(
        count(&records, |r| r.citizenship.clone(), Some("PH".to_owned())),
        362
    );
    assert_eq!(count(&records, |r| r.citizenship.clone(), None), 194);
    assert_eq!(
        count(
            &records,
            |r| r.countries_exploitation.clone(),
            vec!["US".to_owned()]
        ),
        386
    );
    assert_eq!(
        count(&records, |r| r.countries_exploitation.is_empty(), true),
        312 + 53
    );
    assert_eq!(count(&records, |r| r.registration_year, 2016), 481);
}

#[test]
fn sample_maps_minors_and_exploitation() {
    let records = parse_sample();
    let with_type = |code: &str| {
        records
            .iter()
            .filter(|r| r.exploitation_types.contains(&code))
            .count()
    };

    assert_eq!(count(&records, |r| r.is_minor, true), 220);
    assert_eq!(with_type("sexual_exploitation"), 464);
    // 145 rows have Forced labour in the text column, and 11 more have both
    // isForcedLabour and isOtherExploit set.
    assert_eq!(with_type("forced_labour"), 156);
    assert_eq!(with_type("other"), 263);
    assert_eq!(with_type("forced_marriage"), 15);
    assert_eq!(with_type("slavery_practices"), 7);
    assert_eq!(
        count(&records, |r| r.exploitation_types.is_empty(), true),
        628
    );
}

#[test]
fn sample_maps_control_labour_and_relationship() {
    let records = parse_sample();
    let with_means = |code: &str| {
        records
            .iter()
            .filter(|r| r.means_of_control.contains(&code))
            .count()
    };

    assert_eq!(
        count(&records, |r| r.means_of_control.is_empty(), false),
        262
    );
    assert_eq!(with_means("psychological_abuse"), 95);
    // 21 rows from flags and one row whose flags are all -99 but whose text
    // column lists Takes earnings.
    assert_eq!(with_means("takes_earnings"), 22);
    assert_eq!(with_means("withholds_documents"), 13);
    assert_eq!(
        count(&records, |r| r.forced_labour_industry, Some("peddling")),
        23
    );
    assert_eq!(
        count(
            &records,
            |r| r.forced_labour_industry,
            Some("manufacturing")
        ),
        16
    );
    assert_eq!(
        count(
            &records,
            |r| r.forced_labour_industry,
            Some("domestic_work")
        ),
        11
    );
    assert_eq!(
        count(&records, |r| r.forced_labour_industry, Some("other")),
        1
    );
    assert_eq!(
        count(
            &records,
            |r| r.trafficker_relationship,
            Some("intimate_partner")
        ),
        50
    );
    assert_eq!(
        count(&records, |r| r.trafficker_relationship, Some("friend")),
        45
    );
    assert_eq!(
        count(&records, |r| r.trafficker_relationship, Some("family")),
        70
    );
    assert_eq!(
        count(&records, |r| r.trafficker_relationship, Some("other")),
        85
    );
    assert_eq!(count(&records, |r| r.trafficker_relationship, None), 1_272);
}

#[test]
fn sample_reports_progress_per_row() {
    let mut reported = Vec::new();

    let records = parse_ctdc_with_progress(sample_bytes().as_slice(), |rows| reported.push(rows))
        .expect("the sample parses");

    assert_eq!(records.len(), 1_522);
    assert_eq!(reported.len(), 1_522);
    assert_eq!(reported.last(), Some(&1_522));
}

#[test]
fn hand_written_rows_map_to_expected_records() {
    let flags_row = data_row(&[
        ("yearOfRegistration", "2016"),
        ("Datasource", "Case Management"),
        ("gender", "Female"),
        ("ageBroad", "18--20"),
        ("majorityStatus", "Adult"),
        ("citizenship", "UA"),
        ("meansOfControlDebtBondage", "1"),
        ("meansOfControlThreats", "1"),
        ("meansOfControlOther", "0"),
        ("meansOfControlNotSpecified", "0"),
        // Flags win over the text column when any flag is recorded.
        ("meansOfControlConcatenated", "Sexual abuse"),
        ("isForcedLabour", "0"),
        ("isSexualExploit", "0"),
        ("isSexAndLabour", "1"),
        ("typeOfExploitConcatenated", "Forced marriage"),
        ("typeOfLabourAgriculture", "0"),
        ("typeOfLabourHospitality", "1"),
        ("typeOfLabourManufacturing", "1"),
        ("RecruiterRelationship", "Family/Relative; Intimate Partner"),
        ("recruiterRelationFamily", "1"),
        ("recruiterRelationIntimatePartner", "1"),
        ("CountryOfExploitation", "PL"),
    ]);
    let text_row = data_row(&[
        ("yearOfRegistration", "2019"),
        ("Datasource", "Hotline"),
        ("gender", "Male"),
        ("ageBroad", "9--17"),
        ("citizenship", "00"),
        (
            "meansOfControlConcatenated",
            "Physical Abuse;psychological abuse;Not specified",
        ),
        ("typeOfExploitConcatenated", "Forced labour;Other"),
        ("typeOfLabourConcatenated", "Domestic work"),
        ("RecruiterRelationship", "Friend/Acquaintance"),
        ("CountryOfExploitation", "00"),
    ]);
    let sparse_row = data_row(&[
        ("yearOfRegistration", "2005"),
        ("Datasource", "Case Management"),
        ("gender", "Female"),
        ("majorityStatus", "Minor"),
        ("citizenship", "-99"),
        ("meansOfControlConcatenated", "Not specified"),
        ("RecruiterRelationship", "Not Specified"),
    ]);

    let records = parse_ctdc(csv_file(&[flags_row, text_row, sparse_row]).as_bytes())
        .expect("the hand-written rows are valid");

    let expected = vec![
        CtdcRecord {
            registration_year: 2016,
            sex: "female",
            age_bracket: Some("18_20"),
            is_minor: false,
            citizenship: Some("UA".to_owned()),
            exploitation_types: vec!["sexual_exploitation", "forced_labour"],
            means_of_control: vec!["debt_bondage", "threats"],
            forced_labour_industry: Some("hospitality"),
            trafficker_relationship: Some("family"),
            countries_exploitation: vec!["PL".to_owned()],
            data_source: "case_management",
        },
        CtdcRecord {
            registration_year: 2019,
            sex: "male",
            age_bracket: Some("9_17"),
            is_minor: true,
            citizenship: None,
            exploitation_types: vec!["forced_labour", "other"],
            means_of_control: vec!["psychological_abuse", "physical_abuse"],
            forced_labour_industry: Some("domestic_work"),
            trafficker_relationship: Some("friend"),
            countries_exploitation: vec![],
            data_source: "hotline",
        },
        CtdcRecord {
            registration_year: 2005,
            sex: "female",
            age_bracket: None,
            is_minor: true,
            citizenship: None,
            exploitation_types: vec![],
            means_of_control: vec![],
            forced_labour_industry: None,
            trafficker_relationship: None,
            countries_exploitation: vec![],
            data_source: "case_management",
        },
    ];
    assert_eq!(records, expected);
}

#[test]
fn byte_order_mark_is_accepted() {
    let input = format!("\u{feff}{}", csv_file(&[minimal_row(&[])]));

    let records = parse_ctdc(input.as_bytes()).expect("a UTF-8 BOM is allowed");

    assert_eq!(records.len(), 1);
}

#[test]
fn flag_value_two_is_rejected() {
    let input = csv_file(&[minimal_row(&[]), minimal_row(&[("isForcedLabour", "2")])]);

    let error = expect_single_error(&input, 3, "isForcedLabour");

    assert!(error.message.contains("\"2\""), "{error}");
}

#[test]
fn unmapped_flag_is_still_validated() {
    let input = csv_file(&[minimal_row(&[("recruiterRelationUnknown", "yes")])]);

    expect_single_error(&input, 2, "recruiterRelationUnknown");
}

#[test]
fn unknown_gender_is_rejected() {
    let input = csv_file(&[minimal_row(&[("gender", "Unknown")])]);

    let error = expect_single_error(&input, 2, "gender");

    assert!(error.message.contains("Unknown"), "{error}");
}

#[test]
fn single_hyphen_age_band_is_rejected() {
    let input = csv_file(&[minimal_row(&[("ageBroad", "18-20")])]);

    expect_single_error(&input, 2, "ageBroad");
}

#[test]
fn non_numeric_year_is_rejected() {
    let input = csv_file(&[
        minimal_row(&[]),
        minimal_row(&[]),
        minimal_row(&[("yearOfRegistration", "2O16")]),
    ]);

    expect_single_error(&input, 4, "yearOfRegistration");
}

#[test]
fn missing_year_is_rejected() {
    let input = csv_file(&[minimal_row(&[("yearOfRegistration", "-99")])]);

    expect_single_error(&input, 2, "yearOfRegistration");
}

#[test]
fn lower_case_country_is_rejected() {
    let input = csv_file(&[minimal_row(&[("CountryOfExploitation", "gr")])]);

    expect_single_error(&input, 2, "CountryOfExploitation");
}

#[test]
fn unknown_text_labels_are_rejected() {
    let cases = [
        ("Datasource", "Survey"),
        ("majorityStatus", "Child"),
        ("RecruiterRelationship", "Employer"),
        (
            "typeOfExploitConcatenated",
            "Sexual exploitation;Forced begging",
        ),
        ("meansOfControlConcatenated", "Threats;Blackmail"),
        ("typeOfLabourConcatenated", "Fishing"),
    ];

    for (column, value) in cases {
        let input = csv_file(&[minimal_row(&[(column, value)])]);
        expect_single_error(&input, 2, column);
    }
}

#[test]
fn missing_column_yields_one_error() {
    let header = header_line().replace(",gender,", ",sex,");
    let input = format!("{header}\n{}\n", minimal_row(&[]));

    let error = expect_single_error(&input, 1, "gender");

    assert!(error.message.contains("missing column gender"), "{error}");
}

#[test]
fn duplicate_column_is_rejected() {
    let header = header_line().replace(",gender,", ",citizenship,");
    let input = format!("{header}\n");

    let errors = expect_errors(&input);

    assert!(errors.iter().any(|e| e.column == "gender"), "{errors:#?}");
    assert!(
        errors.iter().any(|e| e.column == "citizenship"),
        "{errors:#?}"
    );
}

#[test]
fn type_of_sex_text_column_is_optional() {
    let header = header_line().replace(",typeOfSexConcatenated,", ",");
    let row = row_for_header(
        &header,
        &[
            ("yearOfRegistration", "2011"),
            ("Datasource", "Hotline"),
            ("gender", "Male"),
            ("citizenship", "US"),
        ],
    );

    let records = parse_ctdc(format!("{header}\n{row}\n").as_bytes())
        .expect("typeOfSexConcatenated is not required");

    assert_eq!(records.len(), 1);
    assert_eq!(records[0].citizenship.as_deref(), Some("US"));
}

#[test]
fn empty_file_yields_one_error() {
    let errors = expect_errors("");

    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].line, 1);
    assert_eq!(errors[0].column, "");
}

#[test]
fn header_only_file_has_no_records() {
    let records = parse_ctdc(format!("{}\n", header_line()).as_bytes()).expect("valid header");

    assert!(records.is_empty());
}

#[test]
fn one_bad_row_returns_no_records() {
    let mut rows: Vec<String> = (0..50).map(|_| minimal_row(&[])).collect();
    rows[30] = minimal_row(&[("gender", "female")]);

    let error = expect_single_error(&csv_file(&rows), 32, "gender");

    assert!(error.message.contains("Female or Male"), "{error}");
}

#[test]
fn all_errors_of_a_row_are_reported() {
    let input = csv_file(&[minimal_row(&[
        ("gender", "X"),
        ("ageBroad", "17"),
        ("isOrganRemoval", "1.0"),
    ])]);

    let errors = expect_errors(&input);

    let columns: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
    assert_eq!(columns, ["gender", "ageBroad", "isOrganRemoval"]);
    assert!(errors.iter().all(|e| e.line == 2), "{errors:#?}");
}

#[test]
fn errors_are_capped() {
    let rows: Vec<String> = (0..300).map(|_| minimal_row(&[("gender", "X")])).collect();

    let errors = expect_errors(&csv_file(&rows));

    assert_eq!(errors.len(), MAX_ERRORS);
    assert_eq!(errors[0].line, 2);
    assert_eq!(errors[MAX_ERRORS - 1].line, 201);
}

#[test]
fn wrong_field_count_is_rejected() {
    let short_row = minimal_row(&[])
        .rsplit_once(',')
        .expect("commas")
        .0
        .to_owned();

    let error = expect_single_error(&csv_file(&[minimal_row(&[]), short_row]), 3, "");

    assert!(error.message.contains("62 fields"), "{error}");
}

#[test]
fn line_numbers_count_quoted_line_breaks() {
    let quoted = minimal_row(&[("typeOfSexConcatenated", "\"Prostitution\nand more\"")]);
    let input = csv_file(&[quoted, minimal_row(&[("gender", "?")])]);

    expect_single_error(&input, 4, "gender");
}

#[test]
fn invalid_utf8_is_an_error() {
    let mut input = csv_file(&[minimal_row(&[("gender", "Fem@le")])]).into_bytes();
    let at = input.iter().position(|byte| *byte == b'@').expect("marker");
    input[at] = 0xFF;

    let errors = parse_ctdc(input.as_slice()).expect_err("invalid UTF-8");

    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].column, "gender");
    assert_eq!(errors[0].line, 2);
}

#[test]
fn required_columns_are_in_the_sample_header() {
    let header = header_line();
    let sample_columns: Vec<&str> = header.split(',').collect();

    let required = required_columns();

    assert_eq!(required.len(), 62);
    for column in required {
        assert!(
            sample_columns.contains(&column),
            "{column} is not in the sample header"
        );
    }
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        if let Err(errors) = parse_ctdc(bytes.as_slice()) {
            prop_assert!(!errors.is_empty());
            prop_assert!(errors.len() <= MAX_ERRORS);
        }
    }

    #[test]
    fn random_rows_after_valid_header_never_panic(
        body in proptest::collection::vec(any::<u8>(), 0..4096),
    ) {
        let mut input = format!("{}\n", header_line()).into_bytes();
        input.extend_from_slice(&body);

        if let Err(errors) = parse_ctdc(input.as_slice()) {
            prop_assert!(!errors.is_empty());
            prop_assert!(errors.len() <= MAX_ERRORS);
            prop_assert!(errors.iter().all(|e| e.line >= 2));
        }
    }
}

proptest! {
    // Each case parses the whole sample, so fewer cases keep the test fast.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn corrupted_sample_never_panics(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..20),
    ) {
        let mut input = sample_bytes();
        for (index, byte) in edits {
            let at = index.index(input.len());
            input[at] = byte;
        }

        match parse_ctdc(input.as_slice()) {
            Ok(records) => prop_assert!(records.len() <= 1_600),
            Err(errors) => prop_assert!(!errors.is_empty() && errors.len() <= MAX_ERRORS),
        }
    }
}
