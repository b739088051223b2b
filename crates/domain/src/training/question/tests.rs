use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::*;

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

fn question(id: &str, points: u32, body: QuestionBody) -> Question {
    Question::new(
        QuestionId::from(id),
        Vec::new(),
        Points::whole(points),
        body,
    )
    .expect("test question is valid")
}

fn single_choice() -> Question {
    question(
        "q-single",
        1,
        QuestionBody::SingleChoice {
            options: strings(&["a", "b", "c"]),
            correct: "b".to_owned(),
        },
    )
}

fn multiple_choice(scoring: MultipleChoiceScoring) -> Question {
    // Four options, two correct (a, c), two wrong (b, d).
    question(
        "q-multiple",
        2,
        QuestionBody::MultipleChoice {
            options: strings(&["a", "b", "c", "d"]),
            correct: set(&["a", "c"]),
            scoring,
        },
    )
}

fn matching() -> Question {
    question(
        "q-matching",
        3,
        QuestionBody::Matching {
            pairs: [
                ("debt", "coercion"),
                ("passport", "coercion"),
                ("wage", "deception"),
            ]
            .into_iter()
            .map(|(left, right)| (left.to_owned(), right.to_owned()))
            .collect(),
            distractors: set(&["smuggling"]),
        },
    )
}

fn ordering() -> Question {
    question(
        "q-ordering",
        1,
        QuestionBody::Ordering {
            correct: strings(&["ensure_safety", "call_hotline", "refer"]),
        },
    )
}

fn numeric() -> Question {
    question(
        "q-numeric",
        1,
        QuestionBody::Numeric {
            value: 30.0,
            tolerance: 0.5,
        },
    )
}

fn short_text() -> Question {
    question(
        "q-text",
        1,
        QuestionBody::ShortText {
            accepted: strings(&["Εισαγγελέας", "public prosecutor"]),
        },
    )
}

fn scenario() -> Question {
    question(
        "q-scenario",
        0,
        QuestionBody::Scenario {
            questions: vec![
                question("s-1", 1, QuestionBody::TrueFalse { correct: true }),
                question(
                    "s-2",
                    2,
                    QuestionBody::SingleChoice {
                        options: strings(&["x", "y"]),
                        correct: "y".to_owned(),
                    },
                ),
            ],
        },
    )
}

fn grade(question: &Question, answer: Answer) -> GradedAnswer {
    question.grade(&answer).expect("answer is well formed")
}

// ------------------------------------------------------------ each kind

#[test]
fn single_choice_right_and_wrong() {
    let right = grade(&single_choice(), Answer::SingleChoice("b".to_owned()));
    assert_eq!(right.points, Points::whole(1));
    assert_eq!(right.outcome, Outcome::Correct);
    assert_eq!(right.feedback_key(), "training-feedback-correct");

    let wrong = grade(&single_choice(), Answer::SingleChoice("a".to_owned()));
    assert_eq!(wrong.points, Points::ZERO);
    assert_eq!(wrong.outcome, Outcome::Incorrect);
    assert_eq!(wrong.feedback_key(), "training-feedback-incorrect");
}

#[test]
fn multiple_choice_all_or_nothing() {
    let question = multiple_choice(MultipleChoiceScoring::AllOrNothing);
    let exact = grade(&question, Answer::MultipleChoice(set(&["a", "c"])));
    assert_eq!(exact.points, Points::whole(2));
    let half = grade(&question, Answer::MultipleChoice(set(&["a"])));
    assert_eq!(half.points, Points::ZERO);
    assert_eq!(half.outcome, Outcome::Incorrect);
}

#[test]
fn multiple_choice_partial_credit() {
    let question = multiple_choice(MultipleChoiceScoring::Partial);
    let cases: [(&[&str], u32); 7] = [
        (&["a", "c"], 200),
        (&["a"], 100),
        (&["a", "b"], 0),
        (&["a", "c", "b"], 100),
        (&["a", "b", "c", "d"], 0),
        (&["b", "d"], 0),
        (&[], 0),
    ];
    for (chosen, hundredths) in cases {
        let graded = grade(&question, Answer::MultipleChoice(set(chosen)));
        assert_eq!(
            graded.points,
            Points::from_hundredths(hundredths),
            "chosen {chosen:?}"
        );
    }
    let partial = grade(&question, Answer::MultipleChoice(set(&["c"])));
    assert_eq!(partial.outcome, Outcome::PartiallyCorrect);
    assert_eq!(
        partial.feedback_key(),
        "training-feedback-partially-correct"
    );
}

#[test]
fn multiple_choice_partial_with_every_option_correct() {
    let question = question(
        "q-all",
        3,
        QuestionBody::MultipleChoice {
            options: strings(&["a", "b", "c"]),
            correct: set(&["a", "b", "c"]),
            scoring: MultipleChoiceScoring::Partial,
        },
    );
    let graded = grade(&question, Answer::MultipleChoice(set(&["a", "b"])));
    assert_eq!(graded.points, Points::whole(2));
}

#[test]
fn true_false() {
    let question = question("q-tf", 1, QuestionBody::TrueFalse { correct: false });
    assert_eq!(
        grade(&question, Answer::TrueFalse(false)).points,
        Points::whole(1)
    );
    assert_eq!(
        grade(&question, Answer::TrueFalse(true)).points,
        Points::ZERO
    );
}

#[test]
fn matching_earns_a_share_per_pair() {
    let question = matching();
    let all: BTreeMap<String, String> = [
        ("debt", "coercion"),
        ("passport", "coercion"),
        ("wage", "deception"),
    ]
    .into_iter()
    .map(|(left, right)| (left.to_owned(), right.to_owned()))
    .collect();
    assert_eq!(
        grade(&question, Answer::Matching(all.clone())).points,
        Points::whole(3)
    );

    let mut two_right = all.clone();
    two_right.insert("wage".to_owned(), "smuggling".to_owned());
    let graded = grade(&question, Answer::Matching(two_right));
    assert_eq!(graded.points, Points::whole(2));
    assert_eq!(graded.outcome, Outcome::PartiallyCorrect);

    let mut one_missing = all;
    one_missing.remove("debt");
    assert_eq!(
        grade(&question, Answer::Matching(one_missing)).points,
        Points::whole(2)
    );
}

#[test]
fn ordering_is_all_or_nothing() {
    let question = ordering();
    let right = strings(&["ensure_safety", "call_hotline", "refer"]);
    assert_eq!(
        grade(&question, Answer::Ordering(right)).points,
        Points::whole(1)
    );
    let swapped = strings(&["call_hotline", "ensure_safety", "refer"]);
    assert_eq!(
        grade(&question, Answer::Ordering(swapped)).points,
        Points::ZERO
    );
}

#[test]
fn numeric_tolerance_includes_its_bounds() {
    let question = numeric();
    for (given, right) in [
        (30.0, true),
        (29.5, true),
        (30.5, true),
        (30.51, false),
        (29.49, false),
        (-30.0, false),
    ] {
        let graded = grade(&question, Answer::Numeric(given));
        assert_eq!(graded.outcome == Outcome::Correct, right, "given {given}");
    }
}

#[test]
fn short_text_ignores_case_accents_and_spaces() {
    let question = short_text();
    for given in [
        "εισαγγελεας",
        "ΕΙΣΑΓΓΕΛΕΑΣ",
        "  Εισαγγελέας ",
        "Public   Prosecutor",
    ] {
        assert_eq!(
            grade(&question, Answer::ShortText(given.to_owned())).outcome,
            Outcome::Correct,
            "given {given:?}"
        );
    }
    for given in ["εισαγγελέα", "", "   ", "prosecutor"] {
        assert_eq!(
            grade(&question, Answer::ShortText(given.to_owned())).outcome,
            Outcome::Incorrect,
            "given {given:?}"
        );
    }
}

#[test]
fn scenario_scores_the_sum_of_its_parts() {
    let question = scenario();
    assert_eq!(question.max_points(), Points::whole(3));

    let answers: BTreeMap<QuestionId, Answer> = [
        (QuestionId::from("s-1"), Answer::TrueFalse(true)),
        (
            QuestionId::from("s-2"),
            Answer::SingleChoice("x".to_owned()),
        ),
    ]
    .into_iter()
    .collect();
    let graded = grade(&question, Answer::Scenario(answers));
    assert_eq!(graded.points, Points::whole(1));
    assert_eq!(graded.max_points, Points::whole(3));
    assert_eq!(graded.outcome, Outcome::PartiallyCorrect);
    let outcomes: Vec<Outcome> = graded.parts.iter().map(|part| part.outcome).collect();
    assert_eq!(outcomes, [Outcome::Correct, Outcome::Incorrect]);
}

#[test]
fn scenario_sub_question_left_out_is_unanswered() {
    let answers: BTreeMap<QuestionId, Answer> = [(
        QuestionId::from("s-2"),
        Answer::SingleChoice("y".to_owned()),
    )]
    .into_iter()
    .collect();
    let graded = grade(&scenario(), Answer::Scenario(answers));
    assert_eq!(graded.points, Points::whole(2));
    assert_eq!(graded.parts[0].outcome, Outcome::Unanswered);
    assert_eq!(
        graded.parts[0].feedback_key(),
        "training-feedback-unanswered"
    );
}

// ------------------------------------------------------------ malformed answers

#[test]
fn wrong_kind_is_an_error() {
    assert_eq!(
        single_choice().grade(&Answer::TrueFalse(true)),
        Err(AnswerError::WrongKind {
            expected: QuestionKind::SingleChoice,
            found: QuestionKind::TrueFalse,
        })
    );
}

#[test]
fn unknown_option_is_an_error() {
    assert_eq!(
        single_choice().grade(&Answer::SingleChoice("z".to_owned())),
        Err(AnswerError::UnknownOption("z".to_owned()))
    );
    assert_eq!(
        multiple_choice(MultipleChoiceScoring::Partial)
            .grade(&Answer::MultipleChoice(set(&["a", "e"]))),
        Err(AnswerError::UnknownOption("e".to_owned()))
    );
}

#[test]
fn unknown_matching_items_are_errors() {
    let unknown_left = [("salary".to_owned(), "coercion".to_owned())]
        .into_iter()
        .collect();
    assert_eq!(
        matching().grade(&Answer::Matching(unknown_left)),
        Err(AnswerError::UnknownItem("salary".to_owned()))
    );
    let unknown_right = [("debt".to_owned(), "fraud".to_owned())]
        .into_iter()
        .collect();
    assert_eq!(
        matching().grade(&Answer::Matching(unknown_right)),
        Err(AnswerError::UnknownItem("fraud".to_owned()))
    );
}

#[test]
fn ordering_must_be_a_permutation() {
    let question = ordering();
    assert_eq!(
        question.grade(&Answer::Ordering(strings(&["ensure_safety", "refer"]))),
        Err(AnswerError::NotAPermutation)
    );
    assert_eq!(
        question.grade(&Answer::Ordering(strings(&[
            "refer",
            "refer",
            "call_hotline"
        ]))),
        Err(AnswerError::NotAPermutation)
    );
    assert_eq!(
        question.grade(&Answer::Ordering(strings(&[
            "refer",
            "wait",
            "call_hotline"
        ]))),
        Err(AnswerError::UnknownItem("wait".to_owned()))
    );
}

#[test]
fn numeric_answer_must_be_finite() {
    assert_eq!(
        numeric().grade(&Answer::Numeric(f64::NAN)),
        Err(AnswerError::NotANumber)
    );
    assert_eq!(
        numeric().grade(&Answer::Numeric(f64::INFINITY)),
        Err(AnswerError::NotANumber)
    );
}

#[test]
fn scenario_errors_name_the_sub_question() {
    let unknown: BTreeMap<QuestionId, Answer> =
        [(QuestionId::from("s-9"), Answer::TrueFalse(true))]
            .into_iter()
            .collect();
    assert_eq!(
        scenario().grade(&Answer::Scenario(unknown)),
        Err(AnswerError::UnknownSubQuestion(QuestionId::from("s-9")))
    );
    let wrong_kind: BTreeMap<QuestionId, Answer> =
        [(QuestionId::from("s-1"), Answer::Numeric(1.0))]
            .into_iter()
            .collect();
    assert!(matches!(
        scenario().grade(&Answer::Scenario(wrong_kind)),
        Err(AnswerError::WrongKind { .. })
    ));
}

// ------------------------------------------------------------ definitions

fn build(points: u32, body: QuestionBody) -> Result<Question, QuestionError> {
    Question::new(
        QuestionId::from("q"),
        Vec::new(),
        Points::whole(points),
        body,
    )
}

#[test]
fn invalid_definitions_are_rejected() {
    let cases: Vec<(QuestionBody, QuestionError)> = vec![
        (
            QuestionBody::SingleChoice {
                options: strings(&["a"]),
                correct: "a".to_owned(),
            },
            QuestionError::TooFewOptions,
        ),
        (
            QuestionBody::SingleChoice {
                options: strings(&["a", "a"]),
                correct: "a".to_owned(),
            },
            QuestionError::DuplicateOption("a".to_owned()),
        ),
        (
            QuestionBody::SingleChoice {
                options: strings(&["a", "b"]),
                correct: "c".to_owned(),
            },
            QuestionError::CorrectNotAnOption("c".to_owned()),
        ),
        (
            QuestionBody::MultipleChoice {
                options: strings(&["a", "b"]),
                correct: BTreeSet::new(),
                scoring: MultipleChoiceScoring::Partial,
            },
            QuestionError::NoCorrectOption,
        ),
        (
            QuestionBody::Matching {
                pairs: [("x".to_owned(), "y".to_owned())].into_iter().collect(),
                distractors: BTreeSet::new(),
            },
            QuestionError::TooFewPairs,
        ),
        (
            QuestionBody::Matching {
                pairs: [("x", "y"), ("z", "w")]
                    .into_iter()
                    .map(|(left, right)| (left.to_owned(), right.to_owned()))
                    .collect(),
                distractors: set(&["y"]),
            },
            QuestionError::DistractorIsAMatch("y".to_owned()),
        ),
        (
            QuestionBody::Ordering {
                correct: strings(&["a", "b", "a"]),
            },
            QuestionError::DuplicateItem("a".to_owned()),
        ),
        (
            QuestionBody::Numeric {
                value: 1.0,
                tolerance: -0.1,
            },
            QuestionError::InvalidNumber,
        ),
        (
            QuestionBody::Numeric {
                value: f64::NAN,
                tolerance: 0.0,
            },
            QuestionError::InvalidNumber,
        ),
        (
            QuestionBody::ShortText {
                accepted: strings(&["  "]),
            },
            QuestionError::NoAcceptedText,
        ),
        (
            QuestionBody::Scenario {
                questions: Vec::new(),
            },
            QuestionError::EmptyScenario,
        ),
        (
            QuestionBody::Scenario {
                questions: vec![scenario()],
            },
            QuestionError::NestedScenario,
        ),
        (
            QuestionBody::Scenario {
                questions: vec![single_choice(), single_choice()],
            },
            QuestionError::DuplicateSubQuestion(QuestionId::from("q-single")),
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(build(1, body), Err(expected));
    }
    assert_eq!(
        build(0, QuestionBody::TrueFalse { correct: true }),
        Err(QuestionError::NoPoints)
    );
}

#[test]
fn deserialising_runs_the_same_checks() {
    let valid = serde_json::to_string(&single_choice()).expect("serialises");
    let back: Question = serde_json::from_str(&valid).expect("valid question deserialises");
    assert_eq!(back, single_choice());

    let invalid = valid.replace("\"correct\":\"b\"", "\"correct\":\"z\"");
    assert_ne!(invalid, valid, "the test edits the JSON");
    assert!(serde_json::from_str::<Question>(&invalid).is_err());
}

// ------------------------------------------------------------ properties

fn any_selection() -> impl Strategy<Value = BTreeSet<String>> {
    proptest::sample::subsequence(strings(&["a", "b", "c", "d", "e", "f"]), 0..=6)
        .prop_map(|chosen| chosen.into_iter().collect())
}

proptest! {
    #[test]
    fn partial_credit_stays_between_zero_and_max(
        option_count in 2usize..=6,
        correct in any_selection(),
        chosen in any_selection(),
        points in 1u32..20,
    ) {
        let options: Vec<String> = ["a", "b", "c", "d", "e", "f"][..option_count]
            .iter()
            .map(|option| (*option).to_owned())
            .collect();
        let correct: BTreeSet<String> =
            correct.into_iter().filter(|option| options.contains(option)).collect();
        let chosen: BTreeSet<String> =
            chosen.into_iter().filter(|option| options.contains(option)).collect();
        prop_assume!(!correct.is_empty());

        let question = build(points, QuestionBody::MultipleChoice {
            options: options.clone(),
            correct: correct.clone(),
            scoring: MultipleChoiceScoring::Partial,
        }).expect("valid");
        let graded = question.grade(&Answer::MultipleChoice(chosen.clone())).expect("well formed");

        prop_assert!(graded.points <= graded.max_points);
        prop_assert_eq!(graded.points == graded.max_points, chosen == correct);
        let all: BTreeSet<String> = options.into_iter().collect();
        if chosen == all && correct != all {
            prop_assert_eq!(graded.points, Points::ZERO);
        }
    }

    #[test]
    fn grading_any_answer_never_panics_and_stays_in_range(
        chosen in "[a-e]{0,2}",
        flag in any::<bool>(),
        number in any::<f64>(),
        text in "\\PC{0,12}",
        order in proptest::sample::subsequence(
            strings(&["ensure_safety", "call_hotline", "refer", "wait"]), 0..=4,
        ).prop_shuffle(),
    ) {
        let answers = [
            Answer::SingleChoice(chosen.clone()),
            Answer::MultipleChoice([chosen.clone()].into_iter().collect()),
            Answer::TrueFalse(flag),
            Answer::Matching([("debt".to_owned(), chosen.clone())].into_iter().collect()),
            Answer::Ordering(order),
            Answer::Numeric(number),
            Answer::ShortText(text),
            Answer::Scenario(
                [(QuestionId::from("s-1"), Answer::TrueFalse(flag))].into_iter().collect(),
            ),
        ];
        let questions = [
            single_choice(),
            multiple_choice(MultipleChoiceScoring::Partial),
            multiple_choice(MultipleChoiceScoring::AllOrNothing),
            matching(),
            ordering(),
            numeric(),
            short_text(),
            scenario(),
        ];
        for question in &questions {
            for answer in &answers {
                let result = question.grade(answer);
                if answer.kind() != question.kind() {
                    prop_assert!(result.is_err());
                }
                if let Ok(graded) = result {
                    prop_assert!(graded.points <= graded.max_points);
                    prop_assert_eq!(graded.max_points, question.max_points());
                }
            }
        }
    }

    #[test]
    fn short_text_accepts_any_case_of_an_accepted_answer(word in "[α-ωa-z]{1,12}") {
        let question = build(1, QuestionBody::ShortText { accepted: vec![word.clone()] })
            .expect("valid");
        let upper = word.to_uppercase();
        prop_assert_eq!(
            question.grade(&Answer::ShortText(upper)).expect("well formed").outcome,
            Outcome::Correct
        );
    }
}
