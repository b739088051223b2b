use std::collections::BTreeSet;

use proptest::prelude::*;

use super::catalogue::{DataError, HEADER, parse_catalogue, split_fields};
use super::*;

// ------------------------------------------------------------ dimension rule

/// Every (strong, medium, weak) triple in 0..=3 that is NOT positive, derived
/// by hand from the rule "2 strong, or 1 strong + 1 medium or weak, or
/// 3 medium, or 2 medium + 1 weak". All other 54 triples are positive.
const NEGATIVE_TRIPLES: [(usize, usize, usize); 10] = [
    (0, 0, 0),
    (0, 0, 1),
    (0, 0, 2),
    (0, 0, 3),
    (0, 1, 0),
    (0, 1, 1),
    (0, 1, 2),
    (0, 1, 3),
    (0, 2, 0),
    (1, 0, 0),
];

#[test]
fn dimension_rule_truth_table() {
    let mut positives = 0;
    for strong in 0..=3 {
        for medium in 0..=3 {
            for weak in 0..=3 {
                let expected = !NEGATIVE_TRIPLES.contains(&(strong, medium, weak));
                assert_eq!(
                    dimension_positive(strong, medium, weak),
                    expected,
                    "strong={strong} medium={medium} weak={weak}"
                );
                if expected {
                    positives += 1;
                }
            }
        }
    }
    assert_eq!(positives, 54);
}

#[test]
fn dimension_rule_edge_cases() {
    assert!(!dimension_positive(1, 0, 0), "1 strong alone");
    assert!(dimension_positive(2, 0, 0), "2 strong");
    assert!(dimension_positive(1, 1, 0), "1 strong + 1 medium");
    assert!(dimension_positive(1, 0, 1), "1 strong + 1 weak");
    assert!(!dimension_positive(0, 2, 0), "2 medium alone");
    assert!(dimension_positive(0, 3, 0), "3 medium");
    assert!(dimension_positive(0, 2, 1), "2 medium + 1 weak");
    assert!(!dimension_positive(0, 1, 2), "1 medium + 2 weak");
    assert!(!dimension_positive(0, 1, 10), "1 medium + many weak");
    assert!(!dimension_positive(0, 0, 3), "3 weak");
    assert!(!dimension_positive(0, 0, 50), "weak only, however many");
}

proptest! {
    #[test]
    fn dimension_rule_is_monotone(
        strong in 0usize..6,
        medium in 0usize..6,
        weak in 0usize..6,
    ) {
        if dimension_positive(strong, medium, weak) {
            prop_assert!(dimension_positive(strong + 1, medium, weak));
            prop_assert!(dimension_positive(strong, medium + 1, weak));
            prop_assert!(dimension_positive(strong, medium, weak + 1));
        }
    }
}

// ------------------------------------------------------------ hand-worked cases

fn screen(age: AgeGroup, form: ExploitationForm, ids: &[&str]) -> ScreeningResult {
    let input = ScreeningInput::parse(age, form, ids).expect("test ids are in the list");
    assess(&input)
}

fn tally(result: &ScreeningResult, dimension: Dimension) -> &DimensionResult {
    result
        .dimension(dimension)
        .expect("assess reports all six dimensions")
}

#[test]
fn adult_labour_all_three_elements_indicated() {
    let result = screen(
        AgeGroup::Adult,
        ExploitationForm::Labour,
        &[
            // Deceptive recruitment: 1 strong + 1 medium.
            "adult_labour.deceptive_recruitment.about_nature_of_job",
            "adult_labour.deceptive_recruitment.about_wages",
            // Exploitative conditions: 1 strong + 1 medium.
            "adult_labour.exploitative_conditions.excessive_working_days_or_hours",
            "adult_labour.exploitative_conditions.low_or_no_salary",
            // Coercion at destination: 2 strong.
            "adult_labour.coercion_at_destination.confiscation_of_documents",
            "adult_labour.coercion_at_destination.debt_bondage",
        ],
    );

    assert!(result.recruitment_positive);
    assert!(result.exploitation_positive);
    assert!(result.destination_positive);
    assert!(result.trafficking_indicated);

    let deceptive = tally(&result, Dimension::DeceptiveRecruitment);
    assert!(deceptive.positive);
    assert_eq!(
        (deceptive.strong, deceptive.medium, deceptive.weak),
        (1, 1, 0)
    );
    assert_eq!(
        deceptive.indicator_ids,
        [
            "adult_labour.deceptive_recruitment.about_nature_of_job",
            "adult_labour.deceptive_recruitment.about_wages",
        ]
    );
    assert!(!tally(&result, Dimension::CoerciveRecruitment).positive);
    assert_eq!(tally(&result, Dimension::CoercionAtDestination).strong, 2);
}

#[test]
fn adult_without_destination_dimension_not_indicated() {
    let result = screen(
        AgeGroup::Adult,
        ExploitationForm::Labour,
        &[
            "adult_labour.deceptive_recruitment.about_nature_of_job",
            "adult_labour.deceptive_recruitment.about_wages",
            "adult_labour.exploitative_conditions.excessive_working_days_or_hours",
            "adult_labour.exploitative_conditions.low_or_no_salary",
            // Coercion at destination: 1 medium only.
            "adult_labour.coercion_at_destination.threat_of_violence",
            // Abuse of vulnerability at destination: 1 medium + 1 weak.
            "adult_labour.abuse_of_vulnerability_at_destination.dependency_on_exploiters",
            "adult_labour.abuse_of_vulnerability_at_destination.personal_characteristics",
        ],
    );

    assert!(result.recruitment_positive);
    assert!(result.exploitation_positive);
    assert!(!result.destination_positive);
    assert!(!result.trafficking_indicated);
    let abuse = tally(&result, Dimension::AbuseOfVulnerabilityAtDestination);
    assert_eq!((abuse.strong, abuse.medium, abuse.weak), (0, 1, 1));
    assert!(!abuse.positive);
}

#[test]
fn adult_with_one_strong_exploitation_not_indicated() {
    let result = screen(
        AgeGroup::Adult,
        ExploitationForm::Labour,
        &[
            "adult_labour.coercive_recruitment.violence_on_victim",
            "adult_labour.coercive_recruitment.debt_bondage",
            // A single strong indicator does not make a dimension positive.
            "adult_labour.exploitative_conditions.excessive_working_days_or_hours",
            "adult_labour.coercion_at_destination.violence_on_victim",
            "adult_labour.coercion_at_destination.isolation_confinement_or_surveillance",
        ],
    );

    assert!(result.recruitment_positive);
    assert!(!result.exploitation_positive);
    assert!(result.destination_positive);
    assert!(!result.trafficking_indicated);
}

#[test]
fn adult_vulnerability_dimensions_by_medium_and_weak() {
    let result = screen(
        AgeGroup::Adult,
        ExploitationForm::Labour,
        &[
            // Recruitment by abuse of vulnerability: 3 medium.
            "adult_labour.recruitment_by_abuse_of_vulnerability.difficult_family_situation",
            "adult_labour.recruitment_by_abuse_of_vulnerability.irregular_status",
            "adult_labour.recruitment_by_abuse_of_vulnerability.economic_reasons",
            // Exploitative conditions: 2 medium + 1 weak.
            "adult_labour.exploitative_conditions.bad_living_conditions",
            "adult_labour.exploitative_conditions.hazardous_work",
            "adult_labour.exploitative_conditions.no_access_to_education",
            // Abuse of vulnerability at destination: 2 medium + 1 weak.
            "adult_labour.abuse_of_vulnerability_at_destination.dependency_on_exploiters",
            "adult_labour.abuse_of_vulnerability_at_destination.economic_reasons",
            "adult_labour.abuse_of_vulnerability_at_destination.difficulties_in_the_past",
        ],
    );

    assert!(tally(&result, Dimension::RecruitmentByAbuseOfVulnerability).positive);
    let exploitation = tally(&result, Dimension::ExploitativeConditions);
    assert_eq!(
        (exploitation.strong, exploitation.medium, exploitation.weak),
        (0, 2, 1)
    );
    assert!(exploitation.positive);
    assert!(tally(&result, Dimension::AbuseOfVulnerabilityAtDestination).positive);
    assert!(result.trafficking_indicated);
}

#[test]
fn child_labour_without_destination_indicated() {
    let result = screen(
        AgeGroup::Child,
        ExploitationForm::Labour,
        &[
            // Strong for a child (weak in the adult list) + 1 medium.
            "child_labour.deceptive_recruitment.about_education_opportunities",
            "child_labour.deceptive_recruitment.about_wages",
            "child_labour.exploitative_conditions.excessive_working_days_or_hours",
            "child_labour.exploitative_conditions.hazardous_work",
        ],
    );

    assert!(!result.destination_positive);
    assert!(result.recruitment_positive);
    assert!(result.exploitation_positive);
    assert!(result.trafficking_indicated);
}

#[test]
fn child_labour_without_recruitment_not_indicated() {
    let result = screen(
        AgeGroup::Child,
        ExploitationForm::Labour,
        &[
            "child_labour.exploitative_conditions.excessive_working_days_or_hours",
            "child_labour.exploitative_conditions.hazardous_work",
            "child_labour.coercion_at_destination.violence_on_victim",
            "child_labour.coercion_at_destination.debt_bondage",
            // Recruitment dimensions: 1 strong alone, 1 medium alone.
            "child_labour.coercive_recruitment.violence_on_victim",
            "child_labour.recruitment_by_abuse_of_vulnerability.economic_reasons",
        ],
    );

    assert!(result.exploitation_positive);
    assert!(result.destination_positive);
    assert!(!result.recruitment_positive);
    assert!(!result.trafficking_indicated);
}

#[test]
fn grades_depend_on_the_list() {
    let child = screen(
        AgeGroup::Child,
        ExploitationForm::Labour,
        &[
            "child_labour.deceptive_recruitment.about_education_opportunities",
            "child_labour.deceptive_recruitment.about_wages",
        ],
    );
    let adult = screen(
        AgeGroup::Adult,
        ExploitationForm::Labour,
        &[
            "adult_labour.deceptive_recruitment.about_education_opportunities",
            "adult_labour.deceptive_recruitment.about_wages",
        ],
    );

    // Child list: 1 strong + 1 medium. Adult list: 1 medium + 1 weak.
    assert!(tally(&child, Dimension::DeceptiveRecruitment).positive);
    assert!(!tally(&adult, Dimension::DeceptiveRecruitment).positive);
}

#[test]
fn empty_input_has_no_positive_dimension() {
    let result = screen(AgeGroup::Adult, ExploitationForm::Labour, &[]);

    assert!(!result.trafficking_indicated);
    assert_eq!(result.dimensions.len(), 6);
    for (expected, dimension) in Dimension::ALL.into_iter().zip(&result.dimensions) {
        assert_eq!(dimension.dimension, expected);
        assert!(!dimension.positive);
        assert!(dimension.indicator_ids.is_empty());
    }
}

#[test]
fn repeated_ids_count_once() {
    let id = "adult_labour.deceptive_recruitment.about_nature_of_job";
    let input = ScreeningInput::parse(AgeGroup::Adult, ExploitationForm::Labour, [id, id]).unwrap();

    assert_eq!(input.present().len(), 1);
    assert!(!tally(&assess(&input), Dimension::DeceptiveRecruitment).positive);
}

#[test]
fn unknown_indicator_id_rejected() {
    let error = ScreeningInput::parse(
        AgeGroup::Adult,
        ExploitationForm::Labour,
        ["adult_labour.deceptive_recruitment.no_such_indicator"],
    )
    .unwrap_err();

    assert_eq!(
        error,
        ScreeningError::UnknownIndicator {
            id: "adult_labour.deceptive_recruitment.no_such_indicator".to_owned(),
            list: "adult_labour",
        }
    );
}

#[test]
fn indicator_of_other_list_rejected() {
    let error = ScreeningInput::parse(
        AgeGroup::Child,
        ExploitationForm::Labour,
        ["adult_labour.deceptive_recruitment.about_nature_of_job"],
    )
    .unwrap_err();

    assert!(matches!(
        error,
        ScreeningError::UnknownIndicator {
            list: "child_labour",
            ..
        }
    ));
}

#[test]
fn unavailable_list_rejected() {
    for age in AgeGroup::ALL {
        let error =
            ScreeningInput::parse(age, ExploitationForm::Sexual, [] as [&str; 0]).unwrap_err();
        assert!(
            matches!(error, ScreeningError::ListUnavailable { .. }),
            "{age:?}"
        );
    }
}

// ------------------------------------------------------------ data integrity

fn is_greek_letter(c: char) -> bool {
    matches!(c, '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}') && c.is_alphabetic()
}

fn all_lists() -> Vec<&'static IndicatorList> {
    AgeGroup::ALL
        .into_iter()
        .flat_map(|age| {
            ExploitationForm::ALL
                .into_iter()
                .map(move |form| indicator_list(age, form))
        })
        .collect()
}

#[test]
fn each_list_matches_its_age_and_form() {
    for age in AgeGroup::ALL {
        for form in ExploitationForm::ALL {
            let list = indicator_list(age, form);
            assert_eq!(list.age(), age);
            assert_eq!(list.form(), form);
            assert_eq!(list.key(), format!("{}_{}", age.as_str(), form.as_str()));
        }
    }
}

#[test]
fn sourced_lists_are_available() {
    assert!(indicator_list(AgeGroup::Adult, ExploitationForm::Labour).is_available());
    assert!(indicator_list(AgeGroup::Child, ExploitationForm::Labour).is_available());
    // These two could not be sourced. Update this test when they are added.
    assert!(!indicator_list(AgeGroup::Adult, ExploitationForm::Sexual).is_available());
    assert!(!indicator_list(AgeGroup::Child, ExploitationForm::Sexual).is_available());
}

#[test]
fn available_lists_cover_all_six_dimensions() {
    for list in all_lists().into_iter().filter(|list| list.is_available()) {
        for dimension in Dimension::ALL {
            assert!(
                list.in_dimension(dimension).next().is_some(),
                "{} has no indicator in {}",
                list.key(),
                dimension.as_str()
            );
        }
    }
}

#[test]
fn adult_labour_counts_per_dimension() {
    // Per-dimension counts published for the adult labour list: 10, 10, 16,
    // 9, 15 and 7, 67 indicators in all.
    let list = indicator_list(AgeGroup::Adult, ExploitationForm::Labour);
    let counts: Vec<usize> = Dimension::ALL
        .into_iter()
        .map(|dimension| list.in_dimension(dimension).count())
        .collect();

    assert_eq!(counts, [10, 10, 16, 9, 15, 7]);
    assert_eq!(list.indicators().len(), 67);
}

#[test]
fn child_labour_counts_per_dimension() {
    // The transcription's child labour list lacks two adult indicators: false
    // information about law (recruitment by abuse of vulnerability) and no
    // social protection (exploitative conditions).
    let list = indicator_list(AgeGroup::Child, ExploitationForm::Labour);
    let counts: Vec<usize> = Dimension::ALL
        .into_iter()
        .map(|dimension| list.in_dimension(dimension).count())
        .collect();

    assert_eq!(counts, [10, 10, 15, 8, 15, 7]);
    assert_eq!(list.indicators().len(), 65);
}

#[test]
fn indicator_ids_unique_and_match_their_list() {
    let mut seen = BTreeSet::new();
    for list in all_lists() {
        for indicator in list.indicators() {
            assert!(seen.insert(indicator.id.as_str()), "{}", indicator.id);
            let prefix = format!("{}.{}.", list.key(), indicator.dimension.as_str());
            assert!(indicator.id.starts_with(&prefix), "{}", indicator.id);
            assert_eq!(list.indicator(&indicator.id), Some(indicator));
        }
    }
}

#[test]
fn labels_present_in_both_languages() {
    for list in all_lists() {
        for indicator in list.indicators() {
            assert!(!indicator.label_en.trim().is_empty(), "{}", indicator.id);
            assert!(!indicator.label_el.trim().is_empty(), "{}", indicator.id);
            assert!(
                indicator.label_el.chars().any(is_greek_letter),
                "Greek label without Greek letters: {}",
                indicator.id
            );
            assert!(
                !indicator.label_en.chars().any(is_greek_letter),
                "English label with Greek letters: {}",
                indicator.id
            );
        }
    }
}

#[test]
fn unverified_rows_make_list_unverified() {
    let list = indicator_list(AgeGroup::Adult, ExploitationForm::Labour);
    let all_rows_verified = list
        .indicators()
        .iter()
        .all(|indicator| indicator.verified_against_publication);

    assert_eq!(list.is_verified(), all_rows_verified);
    assert!(!indicator_list(AgeGroup::Adult, ExploitationForm::Sexual).is_verified());
}

// ------------------------------------------------------------ enum identifiers

#[test]
fn enum_identifiers_round_trip() {
    for age in AgeGroup::ALL {
        assert_eq!(AgeGroup::parse(age.as_str()), Some(age));
    }
    for form in ExploitationForm::ALL {
        assert_eq!(ExploitationForm::parse(form.as_str()), Some(form));
    }
    for dimension in Dimension::ALL {
        assert_eq!(Dimension::parse(dimension.as_str()), Some(dimension));
    }
    for strength in Strength::ALL {
        assert_eq!(Strength::parse(strength.as_str()), Some(strength));
    }
    assert_eq!(Dimension::parse("Deceptive_Recruitment"), None);
    assert_eq!(Strength::parse(""), None);
}

#[test]
fn dimension_groups() {
    let recruitment: Vec<_> = Dimension::ALL
        .into_iter()
        .filter(|dimension| dimension.is_recruitment())
        .collect();
    let destination: Vec<_> = Dimension::ALL
        .into_iter()
        .filter(|dimension| dimension.is_destination())
        .collect();

    assert_eq!(
        recruitment,
        [
            Dimension::DeceptiveRecruitment,
            Dimension::CoerciveRecruitment,
            Dimension::RecruitmentByAbuseOfVulnerability,
        ]
    );
    assert_eq!(
        destination,
        [
            Dimension::CoercionAtDestination,
            Dimension::AbuseOfVulnerabilityAtDestination,
        ]
    );
}

// ------------------------------------------------------------ data file parser

fn data(rows: &[&str]) -> String {
    let mut text = format!("# comment\n\n{HEADER}\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

#[test]
fn fields_split_on_commas_outside_quotes() {
    assert_eq!(
        split_fields(r#"a,"b, c","say ""hi""",,"""#),
        Some(vec![
            "a".to_owned(),
            "b, c".to_owned(),
            r#"say "hi""#.to_owned(),
            String::new(),
            String::new(),
        ])
    );
    assert_eq!(split_fields(r#"a,"unterminated"#), None);
    assert_eq!(split_fields(r#"a,"closed"extra"#), None);
    assert_eq!(split_fields(r#"a,b"c"#), None);
}

#[test]
fn parser_reads_quoted_labels() {
    let text = data(&[
        r#"child_labour.coercion_at_destination.forced_to_lie,medium,yes,"Lies, told","Ψέματα, ειπωμένα""#,
    ]);
    let catalogue = parse_catalogue(&text).unwrap();
    let list = catalogue.list(AgeGroup::Child, ExploitationForm::Labour);

    assert_eq!(list.indicators().len(), 1);
    let indicator = &list.indicators()[0];
    assert_eq!(indicator.dimension, Dimension::CoercionAtDestination);
    assert_eq!(indicator.strength, Strength::Medium);
    assert_eq!(indicator.label_en, "Lies, told");
    assert!(indicator.verified_against_publication);
    assert!(list.is_verified());
    assert!(
        !catalogue
            .list(AgeGroup::Adult, ExploitationForm::Labour)
            .is_available()
    );
}

#[test]
fn parser_rejects_defects() {
    let row = "adult_labour.deceptive_recruitment.about_wages,medium,no,Pay,Αμοιβή";
    let cases: [(String, DataError); 9] = [
        (String::new(), DataError::MissingHeader),
        (
            "id,strength\n".to_owned(),
            DataError::InvalidHeader { line: 1 },
        ),
        (
            data(&[row, row]),
            DataError::DuplicateId {
                line: 5,
                id: "adult_labour.deceptive_recruitment.about_wages".to_owned(),
            },
        ),
        (
            data(&["adult_labour.deceptive_recruitment.about_wages,medium,no,Pay"]),
            DataError::WrongFieldCount { line: 4, found: 4 },
        ),
        (
            data(&["adult_labour.deceptive.about_wages,medium,no,Pay,Αμοιβή"]),
            DataError::InvalidId {
                line: 4,
                id: "adult_labour.deceptive.about_wages".to_owned(),
            },
        ),
        (
            data(&["adult_labour.deceptive_recruitment.About,medium,no,Pay,Αμοιβή"]),
            DataError::InvalidId {
                line: 4,
                id: "adult_labour.deceptive_recruitment.About".to_owned(),
            },
        ),
        (
            data(&["adult_labour.deceptive_recruitment.about_wages,high,no,Pay,Αμοιβή"]),
            DataError::InvalidStrength {
                line: 4,
                value: "high".to_owned(),
            },
        ),
        (
            data(&["adult_labour.deceptive_recruitment.about_wages,medium,maybe,Pay,Αμοιβή"]),
            DataError::InvalidVerifiedFlag {
                line: 4,
                value: "maybe".to_owned(),
            },
        ),
        (
            data(&["adult_labour.deceptive_recruitment.about_wages,medium,no,Pay, "]),
            DataError::EmptyLabel {
                line: 4,
                column: "label_el",
            },
        ),
    ];

    for (text, expected) in cases {
        assert_eq!(parse_catalogue(&text).unwrap_err(), expected, "{text:?}");
    }
}

// ------------------------------------------------------------ monotonicity

fn available_list_strategy() -> impl Strategy<Value = &'static IndicatorList> {
    prop_oneof![
        Just(indicator_list(AgeGroup::Adult, ExploitationForm::Labour)),
        Just(indicator_list(AgeGroup::Child, ExploitationForm::Labour)),
    ]
}

fn list_with_subset_and_extra()
-> impl Strategy<Value = (&'static IndicatorList, Vec<String>, String)> {
    available_list_strategy().prop_flat_map(|list| {
        let ids: Vec<String> = list
            .indicators()
            .iter()
            .map(|indicator| indicator.id.clone())
            .collect();
        let count = ids.len();
        (
            Just(list),
            proptest::sample::subsequence(ids.clone(), 0..=count),
            proptest::sample::select(ids),
        )
    })
}

proptest! {
    #[test]
    fn adding_an_indicator_never_removes_a_positive(
        (list, ids, extra) in list_with_subset_and_extra()
    ) {
        let before = assess(&ScreeningInput::parse(list.age(), list.form(), &ids).unwrap());
        let mut more = ids.clone();
        more.push(extra);
        let after = assess(&ScreeningInput::parse(list.age(), list.form(), &more).unwrap());

        if before.trafficking_indicated {
            prop_assert!(after.trafficking_indicated);
        }
        for (old, new) in before.dimensions.iter().zip(&after.dimensions) {
            prop_assert!(!old.positive || new.positive, "{:?}", old.dimension);
        }
    }

    #[test]
    fn tallies_match_the_grades(
        (list, ids, _extra) in list_with_subset_and_extra()
    ) {
        let result = assess(&ScreeningInput::parse(list.age(), list.form(), &ids).unwrap());

        let reported: usize = result
            .dimensions
            .iter()
            .map(|dimension| dimension.strong + dimension.medium + dimension.weak)
            .sum();
        prop_assert_eq!(reported, ids.len());
        for dimension in &result.dimensions {
            prop_assert_eq!(dimension.indicator_ids.len(),
                dimension.strong + dimension.medium + dimension.weak);
            for id in &dimension.indicator_ids {
                let indicator = list.indicator(id).unwrap();
                prop_assert_eq!(indicator.dimension, dimension.dimension);
            }
        }
    }
}
