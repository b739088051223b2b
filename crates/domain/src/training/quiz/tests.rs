use std::collections::{BTreeMap, BTreeSet};

use chrono::{TimeDelta, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::training::question::{Outcome, QuestionBody};

fn true_false(id: &str, tags: &[&str]) -> Question {
    Question::new(
        QuestionId::from(id),
        tags.iter().map(|tag| (*tag).to_owned()),
        Points::whole(1),
        QuestionBody::TrueFalse { correct: true },
    )
    .expect("valid")
}

fn rules(pass: u8, minutes: Option<i64>, late_rule: LateRule) -> QuizRules {
    QuizRules::new(pass, minutes.map(TimeDelta::minutes), Some(3), late_rule).expect("valid")
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap()
}

fn attempt(count: usize) -> Attempt {
    Attempt {
        questions: (1..=count)
            .map(|index| true_false(&format!("q{index}"), &[]))
            .collect(),
        started_at: start(),
        submitted_at: None,
    }
}

fn answers(right: &[usize], wrong: &[usize]) -> BTreeMap<QuestionId, Answer> {
    right
        .iter()
        .map(|index| {
            (
                QuestionId::new(format!("q{index}")),
                Answer::TrueFalse(true),
            )
        })
        .chain(wrong.iter().map(|index| {
            (
                QuestionId::new(format!("q{index}")),
                Answer::TrueFalse(false),
            )
        }))
        .collect()
}

// ------------------------------------------------------------ rules

#[test]
fn rules_are_checked() {
    assert_eq!(
        QuizRules::new(101, None, None, LateRule::ScoreZero),
        Err(QuizRulesError::PassMark)
    );
    assert_eq!(
        QuizRules::new(50, Some(TimeDelta::zero()), None, LateRule::ScoreZero),
        Err(QuizRulesError::TimeLimit)
    );
    assert_eq!(
        QuizRules::new(50, None, Some(0), LateRule::ScoreZero),
        Err(QuizRulesError::AttemptsLimit)
    );
}

#[test]
fn pass_mark_is_inclusive_and_exact() {
    let rules = rules(60, None, LateRule::ScoreZero);
    assert!(rules.passes(Points::whole(3), Points::whole(5)));
    assert!(!rules.passes(Points::from_hundredths(299), Points::whole(5)));
    assert!(!rules.passes(Points::ZERO, Points::ZERO));
    let zero_mark = QuizRules::new(0, None, None, LateRule::ScoreZero).expect("valid");
    assert!(zero_mark.passes(Points::ZERO, Points::whole(5)));
}

#[test]
fn attempts_limit() {
    let rules = rules(50, None, LateRule::ScoreZero);
    assert_eq!(rules.next_attempt(0), Ok(1));
    assert_eq!(rules.next_attempt(2), Ok(3));
    assert_eq!(
        rules.next_attempt(3),
        Err(AttemptError::NoAttemptsLeft { limit: 3 })
    );
    let unlimited = QuizRules::new(50, None, None, LateRule::ScoreZero).expect("valid");
    assert_eq!(unlimited.next_attempt(1000), Ok(1001));
}

#[test]
fn timeliness_around_the_limit_and_grace() {
    let rules = rules(50, Some(20), LateRule::ScoreZero);
    let limit = start() + TimeDelta::minutes(20);
    assert_eq!(rules.timeliness(start(), limit), Timeliness::OnTime);
    assert_eq!(
        rules.timeliness(start(), limit + TimeDelta::seconds(1)),
        Timeliness::InGrace
    );
    assert_eq!(
        rules.timeliness(start(), limit + TimeDelta::seconds(GRACE_SECONDS)),
        Timeliness::InGrace
    );
    assert_eq!(
        rules.timeliness(start(), limit + TimeDelta::seconds(GRACE_SECONDS + 1)),
        Timeliness::Late
    );
    let untimed = rules_without_limit();
    assert_eq!(
        untimed.timeliness(start(), start() + TimeDelta::days(30)),
        Timeliness::OnTime
    );
}

fn rules_without_limit() -> QuizRules {
    rules(50, None, LateRule::ScoreZero)
}

#[test]
fn late_rule_identifiers_round_trip() {
    for rule in [LateRule::ScoreZero, LateRule::Accept] {
        assert_eq!(LateRule::parse(rule.as_str()), Some(rule));
    }
    assert_eq!(LateRule::parse("penalty"), None);
}

// ------------------------------------------------------------ submission

#[test]
fn submission_on_time_is_graded() {
    let result = attempt(4)
        .submit(
            &rules(75, Some(20), LateRule::ScoreZero),
            &answers(&[1, 2, 3], &[4]),
            start() + TimeDelta::minutes(10),
        )
        .expect("valid submission");
    assert_eq!(result.points, Points::whole(3));
    assert_eq!(result.max_points, Points::whole(4));
    assert!(result.passed);
    assert_eq!(result.timeliness, Timeliness::OnTime);
    assert_eq!(result.percent(), 75.0);
}

#[test]
fn unanswered_questions_score_zero() {
    let result = attempt(4)
        .submit(
            &rules(75, None, LateRule::ScoreZero),
            &answers(&[1, 2], &[]),
            start(),
        )
        .expect("valid submission");
    assert_eq!(result.points, Points::whole(2));
    assert!(!result.passed);
    let outcomes: Vec<Outcome> = result.graded.iter().map(|grade| grade.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Outcome::Correct,
            Outcome::Correct,
            Outcome::Unanswered,
            Outcome::Unanswered
        ]
    );
}

#[test]
fn late_submission_scores_per_the_rule() {
    let late = start() + TimeDelta::minutes(20) + TimeDelta::seconds(GRACE_SECONDS + 1);
    let all_right = answers(&[1, 2], &[]);

    let zero = attempt(2)
        .submit(&rules(50, Some(20), LateRule::ScoreZero), &all_right, late)
        .expect("valid submission");
    assert_eq!(zero.timeliness, Timeliness::Late);
    assert_eq!(zero.points, Points::ZERO);
    assert!(!zero.passed);
    assert!(
        zero.graded
            .iter()
            .all(|grade| grade.outcome == Outcome::Correct),
        "the answers' own grades are kept for the trainer"
    );

    let accepted = attempt(2)
        .submit(&rules(50, Some(20), LateRule::Accept), &all_right, late)
        .expect("valid submission");
    assert_eq!(accepted.timeliness, Timeliness::Late);
    assert_eq!(accepted.points, Points::whole(2));
    assert!(accepted.passed);
}

#[test]
fn submission_in_grace_counts_in_full() {
    let in_grace = start() + TimeDelta::minutes(20) + TimeDelta::seconds(30);
    let result = attempt(2)
        .submit(
            &rules(50, Some(20), LateRule::ScoreZero),
            &answers(&[1, 2], &[]),
            in_grace,
        )
        .expect("valid submission");
    assert_eq!(result.timeliness, Timeliness::InGrace);
    assert_eq!(result.points, Points::whole(2));
}

#[test]
fn bad_submissions_are_rejected() {
    let rules = rules(50, None, LateRule::ScoreZero);

    let mut submitted = attempt(2);
    submitted.submitted_at = Some(start());
    assert_eq!(
        submitted.submit(&rules, &answers(&[1], &[]), start()),
        Err(AttemptError::AlreadySubmitted)
    );

    assert_eq!(
        attempt(2).submit(&rules, &answers(&[1, 3], &[]), start()),
        Err(AttemptError::QuestionNotInAttempt(QuestionId::from("q3")))
    );

    let mut malformed = answers(&[1], &[]);
    malformed.insert(QuestionId::from("q2"), Answer::Numeric(1.0));
    assert!(matches!(
        attempt(2).submit(&rules, &malformed, start()),
        Err(AttemptError::MalformedAnswer { question, .. }) if question.as_str() == "q2"
    ));

    assert_eq!(
        attempt(0).submit(&rules, &BTreeMap::new(), start()),
        Err(AttemptError::NoQuestions)
    );
    assert_eq!(
        attempt(1).submit(&rules, &BTreeMap::new(), start() - TimeDelta::seconds(1)),
        Err(AttemptError::SubmittedBeforeStart)
    );
}

// ------------------------------------------------------------ selection

fn bank() -> Vec<Question> {
    let mut bank = Vec::new();
    for index in 0..10 {
        bank.push(true_false(&format!("airport-{index:02}"), &["airports"]));
    }
    for index in 0..4 {
        bank.push(true_false(&format!("school-{index:02}"), &["schools"]));
    }
    // Tagged for both sectors.
    bank.push(true_false("shared-00", &["airports", "schools"]));
    bank
}

fn draw(tag: &str, count: usize) -> TagDraw {
    TagDraw {
        tag: tag.to_owned(),
        count,
    }
}

fn ids(selected: &[&Question]) -> Vec<String> {
    selected
        .iter()
        .map(|question| question.id().as_str().to_owned())
        .collect()
}

#[test]
fn selection_is_deterministic_per_seed() {
    let bank = bank();
    let draws = [draw("airports", 5), draw("schools", 3)];
    let first = ids(&select_questions(&bank, &draws, 7).expect("enough questions"));
    let again = ids(&select_questions(&bank, &draws, 7).expect("enough questions"));
    assert_eq!(first, again);
    assert_eq!(first.len(), 8);

    let differs = (8..40).any(|seed| {
        ids(&select_questions(&bank, &draws, seed).expect("enough questions")) != first
    });
    assert!(differs, "other seeds give other selections");
}

#[test]
fn selection_never_takes_a_question_twice() {
    let bank = bank();
    // 11 airport questions and 5 school ones, one of them shared: asking for
    // all of both means 15 distinct questions.
    let selected = select_questions(&bank, &[draw("airports", 11), draw("schools", 4)], 3)
        .expect("enough questions");
    let distinct: BTreeSet<&QuestionId> = selected.iter().map(|question| question.id()).collect();
    assert_eq!(distinct.len(), 15);
}

#[test]
fn selection_reports_every_shortage() {
    let bank = bank();
    let error = select_questions(
        &bank,
        &[draw("airports", 3), draw("schools", 6), draw("tourism", 2)],
        1,
    )
    .expect_err("the bank is too small");
    assert_eq!(
        error,
        SelectionError::TooFew {
            shortages: vec![
                Shortage {
                    tag: "schools".to_owned(),
                    wanted: 6,
                    available: 5,
                },
                Shortage {
                    tag: "tourism".to_owned(),
                    wanted: 2,
                    available: 0,
                },
            ],
        }
    );
}

#[test]
fn selection_reports_draws_that_fit_only_one_by_one() {
    // 11 airport and 5 school questions, but one is shared: 16 distinct
    // questions are asked for and only 15 exist.
    let bank = bank();
    assert_eq!(
        select_questions(&bank, &[draw("airports", 11), draw("schools", 5)], 1),
        Err(SelectionError::Overlap {
            wanted: 16,
            available: 15,
        })
    );
}

#[test]
fn selection_spares_shared_question_for_later_draw() {
    // Every school question is needed by the second draw, so the first
    // draw must leave the shared one alone whatever the seed.
    let bank = bank();
    for seed in 0..200 {
        let selected = select_questions(&bank, &[draw("airports", 3), draw("schools", 5)], seed)
            .expect("a selection exists");
        assert!(
            selected[..3]
                .iter()
                .all(|question| question.id().as_str() != "shared-00"),
            "seed {seed}"
        );
    }
}

#[test]
fn selection_rejects_a_bank_with_repeated_ids() {
    let mut bank = bank();
    bank.push(true_false("school-01", &["schools"]));
    assert_eq!(
        select_questions(&bank, &[draw("schools", 1)], 1),
        Err(SelectionError::DuplicateQuestion(QuestionId::from(
            "school-01"
        )))
    );
}

proptest! {
    #[test]
    fn selection_properties(
        seed in any::<u64>(),
        airports in 0usize..=12,
        schools in 0usize..=6,
        rotation in 0usize..15,
    ) {
        let bank = bank();
        let draws = [draw("airports", airports), draw("schools", schools)];
        let result = select_questions(&bank, &draws, seed);

        // 11 airport questions, 5 school ones, one of them shared.
        let fits = airports <= 11 && schools <= 5 && airports + schools <= 15;
        prop_assert_eq!(result.is_ok(), fits);

        if let Ok(selected) = result {
            prop_assert_eq!(selected.len(), airports + schools);
            let distinct: BTreeSet<&QuestionId> =
                selected.iter().map(|question| question.id()).collect();
            prop_assert_eq!(distinct.len(), selected.len());
            prop_assert!(selected[..airports].iter().all(|question| question.has_tag("airports")));
            prop_assert!(selected[airports..].iter().all(|question| question.has_tag("schools")));

            // The bank's order does not change the selection.
            let mut rotated = bank.clone();
            rotated.rotate_left(rotation);
            let again = select_questions(&rotated, &draws, seed).expect("same bank");
            prop_assert_eq!(ids(&again), ids(&selected));
        }
    }
}
