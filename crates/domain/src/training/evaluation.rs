//! Evaluation questionnaires: Likert answers, their summary, and the two
//! AMIF result indicators of training.
//!
//! Both indicators count trainees, not answers, so each trainee contributes
//! at most one response to each. A second response from the same trainee is
//! an error for the caller to resolve, for example by reporting one course
//! at a time.

use std::collections::BTreeSet;

use chrono::{Months, NaiveDate};
use serde::Serialize;

use super::TraineeId;

/// Months after completing a course when the follow-up questionnaire asks
/// whether the trainee still uses what they learned.
pub const FOLLOW_UP_MONTHS: u32 = 3;

/// An answer on a five-point Likert scale: 1 (strongly disagree, or not at
/// all) to 5 (strongly agree, or very much).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Likert(u8);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a Likert answer is a whole number from 1 to 5")]
pub struct LikertError;

impl Likert {
    /// Wraps an answer.
    ///
    /// # Errors
    ///
    /// [`LikertError`] unless `value` is 1 to 5.
    pub fn new(value: u8) -> Result<Likert, LikertError> {
        if (1..=5).contains(&value) {
            Ok(Likert(value))
        } else {
            Err(LikertError)
        }
    }

    /// Parses a submitted form value such as `"4"`.
    ///
    /// # Errors
    ///
    /// [`LikertError`] for anything but `1` to `5`, surrounding spaces
    /// allowed.
    pub fn parse(text: &str) -> Result<Likert, LikertError> {
        text.trim()
            .parse::<u8>()
            .map_err(|_| LikertError)
            .and_then(Likert::new)
    }

    pub fn value(self) -> u8 {
        self.0
    }

    /// True for 4 and 5, the answers that count as agreeing.
    pub fn is_positive(self) -> bool {
        self.0 >= 4
    }
}

/// The distribution of answers to one Likert question.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct LikertSummary {
    pub responses: usize,
    /// `counts[0]` is the number of 1s, up to `counts[4]` for 5s.
    pub counts: [usize; 5],
    /// `None` without responses.
    pub mean: Option<f64>,
    /// Responses of 4 or 5.
    pub positive: usize,
}

/// Summarises the answers to one question; blank answers are left out by
/// the caller, since they are not on the scale.
pub fn summarise(answers: impl IntoIterator<Item = Likert>) -> LikertSummary {
    let mut summary = LikertSummary::default();
    let mut total = 0u64;
    for answer in answers {
        summary.responses += 1;
        summary.counts[usize::from(answer.0 - 1)] += 1;
        total += u64::from(answer.0);
        if answer.is_positive() {
            summary.positive += 1;
        }
    }
    if summary.responses > 0 {
        summary.mean = Some(total as f64 / summary.responses as f64);
    }
    summary
}

/// A count out of a stated denominator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Share {
    pub numerator: usize,
    pub denominator: usize,
}

impl Share {
    /// Returns the share in percent, or `None` when the denominator is
    /// zero.
    pub fn percent(self) -> Option<f64> {
        (self.denominator > 0).then(|| self.numerator as f64 * 100.0 / self.denominator as f64)
    }
}

/// One trainee's end-of-course evaluation, as far as the indicator needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndOfCourseResponse {
    pub trainee: TraineeId,
    /// The answer to "the training is useful for my work", or `None` when
    /// the trainee left it blank.
    pub usefulness: Option<Likert>,
}

/// The first AMIF result indicator: trainees who found the training useful
/// for their work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UsefulnessIndicator {
    /// Numerator: trainees who answered the usefulness question with 4 or
    /// 5. Denominator: trainees who submitted the end-of-course evaluation
    /// and answered that question. Trainees who did not submit the
    /// evaluation, or left the question blank, are in neither.
    pub useful: Share,
    /// Trainees who submitted the evaluation but left the question blank,
    /// reported beside the share so the denominator can be checked.
    pub blank: usize,
}

/// Rejection of indicator input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndicatorError {
    #[error("the trainee `{0}` has more than one response")]
    DuplicateTrainee(TraineeId),
    #[error("more trainees answered the follow-up ({answered}) than were sent it ({invited})")]
    MoreAnswersThanInvitations { answered: usize, invited: usize },
}

/// Computes the usefulness indicator from end-of-course evaluations.
///
/// # Errors
///
/// [`IndicatorError::DuplicateTrainee`] when a trainee has two responses.
pub fn usefulness_indicator(
    responses: &[EndOfCourseResponse],
) -> Result<UsefulnessIndicator, IndicatorError> {
    check_unique(responses.iter().map(|response| &response.trainee))?;

    let answers: Vec<Likert> = responses
        .iter()
        .filter_map(|response| response.usefulness)
        .collect();
    let summary = summarise(answers);
    Ok(UsefulnessIndicator {
        useful: Share {
            numerator: summary.positive,
            denominator: summary.responses,
        },
        blank: responses.len() - summary.responses,
    })
}

/// One trainee's follow-up questionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpResponse {
    pub trainee: TraineeId,
    /// The day the trainee completed the course.
    pub completed_on: NaiveDate,
    /// The day the trainee submitted the follow-up.
    pub answered_on: NaiveDate,
    /// The answer to "I still use what I learned in my work", or `None`
    /// when left blank.
    pub still_using: Option<Likert>,
}

/// The second AMIF result indicator: trainees still using the skills three
/// months after the training.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SkillsInUseIndicator {
    /// Numerator: trainees who answered the "still using" question with 4
    /// or 5 at least [`FOLLOW_UP_MONTHS`] months after completing the
    /// course. Denominator: trainees who answered that question at least
    /// that long after completing. Trainees who were not sent the
    /// follow-up, did not answer, left the question blank or answered too
    /// early are in neither.
    pub still_using: Share,
    /// Respondents who answered the question (the denominator above) out of
    /// the trainees who were sent the follow-up. A low rate means the share
    /// speaks for few of them.
    pub response_rate: Share,
    /// Responses submitted before the three months had passed.
    pub too_early: usize,
    /// Responses on time that left the question blank.
    pub blank: usize,
}

/// Computes the skills-in-use indicator. `invited` is the number of trainees
/// the follow-up questionnaire was sent to.
///
/// # Errors
///
/// [`IndicatorError::DuplicateTrainee`] when a trainee has two responses;
/// [`IndicatorError::MoreAnswersThanInvitations`] when there are more
/// responses than invitations.
pub fn skills_in_use_indicator(
    responses: &[FollowUpResponse],
    invited: usize,
) -> Result<SkillsInUseIndicator, IndicatorError> {
    check_unique(responses.iter().map(|response| &response.trainee))?;
    if responses.len() > invited {
        return Err(IndicatorError::MoreAnswersThanInvitations {
            answered: responses.len(),
            invited,
        });
    }

    let mut too_early = 0;
    let mut blank = 0;
    let mut answers = Vec::new();
    for response in responses {
        if !follow_up_is_due(response.completed_on, response.answered_on) {
            too_early += 1;
            continue;
        }
        match response.still_using {
            Some(answer) => answers.push(answer),
            None => blank += 1,
        }
    }
    let summary = summarise(answers);

    Ok(SkillsInUseIndicator {
        still_using: Share {
            numerator: summary.positive,
            denominator: summary.responses,
        },
        response_rate: Share {
            numerator: summary.responses,
            denominator: invited,
        },
        too_early,
        blank,
    })
}

/// Decides whether `answered_on` is at least [`FOLLOW_UP_MONTHS`] calendar
/// months after `completed_on`. A course completed on 31 August is due on
/// 30 November, the last day of the shorter month.
pub fn follow_up_is_due(completed_on: NaiveDate, answered_on: NaiveDate) -> bool {
    completed_on
        .checked_add_months(Months::new(FOLLOW_UP_MONTHS))
        .is_some_and(|due| answered_on >= due)
}

fn check_unique<'a>(trainees: impl Iterator<Item = &'a TraineeId>) -> Result<(), IndicatorError> {
    let mut seen = BTreeSet::new();
    for trainee in trainees {
        if !seen.insert(trainee) {
            return Err(IndicatorError::DuplicateTrainee(trainee.clone()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn likert(value: u8) -> Likert {
        Likert::new(value).expect("1 to 5")
    }

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("valid date")
    }

    fn end_of_course(trainee: &str, usefulness: Option<u8>) -> EndOfCourseResponse {
        EndOfCourseResponse {
            trainee: TraineeId::from(trainee),
            usefulness: usefulness.map(likert),
        }
    }

    fn follow_up(
        trainee: &str,
        answered_on: NaiveDate,
        still_using: Option<u8>,
    ) -> FollowUpResponse {
        FollowUpResponse {
            trainee: TraineeId::from(trainee),
            completed_on: date(2026, 3, 10),
            answered_on,
            still_using: still_using.map(likert),
        }
    }

    #[test]
    fn likert_bounds_and_parsing() {
        assert_eq!(Likert::new(0), Err(LikertError));
        assert_eq!(Likert::new(6), Err(LikertError));
        assert_eq!(Likert::parse(" 4 "), Ok(likert(4)));
        for bad in ["", "0", "6", "4.5", "four", "-1"] {
            assert_eq!(Likert::parse(bad), Err(LikertError), "{bad:?}");
        }
        assert!(!likert(3).is_positive());
        assert!(likert(4).is_positive());
    }

    #[test]
    fn summary_counts_and_mean() {
        let summary = summarise([1, 4, 5, 5, 3].map(likert));
        assert_eq!(summary.responses, 5);
        assert_eq!(summary.counts, [1, 0, 1, 1, 2]);
        assert_eq!(summary.mean, Some(3.6));
        assert_eq!(summary.positive, 3);
        assert_eq!(summarise([]).mean, None);
    }

    #[test]
    fn usefulness_counts_only_answers() {
        let indicator = usefulness_indicator(&[
            end_of_course("t1", Some(5)),
            end_of_course("t2", Some(4)),
            end_of_course("t3", Some(3)),
            end_of_course("t4", None),
            end_of_course("t5", Some(2)),
        ])
        .expect("one response each");
        assert_eq!(
            indicator.useful,
            Share {
                numerator: 2,
                denominator: 4,
            }
        );
        assert_eq!(indicator.useful.percent(), Some(50.0));
        assert_eq!(indicator.blank, 1);
    }

    #[test]
    fn usefulness_without_responses_has_no_percentage() {
        let indicator = usefulness_indicator(&[]).expect("empty");
        assert_eq!(indicator.useful.percent(), None);
    }

    #[test]
    fn duplicate_trainees_are_rejected() {
        assert_eq!(
            usefulness_indicator(&[end_of_course("t1", Some(5)), end_of_course("t1", Some(1))]),
            Err(IndicatorError::DuplicateTrainee(TraineeId::from("t1")))
        );
        let on_time = date(2026, 7, 1);
        assert_eq!(
            skills_in_use_indicator(
                &[
                    follow_up("t1", on_time, Some(5)),
                    follow_up("t1", on_time, Some(5))
                ],
                10
            ),
            Err(IndicatorError::DuplicateTrainee(TraineeId::from("t1")))
        );
    }

    #[test]
    fn skills_in_use_after_three_months() {
        let on_time = date(2026, 6, 10);
        let early = date(2026, 6, 9);
        let indicator = skills_in_use_indicator(
            &[
                follow_up("t1", on_time, Some(5)),
                follow_up("t2", on_time, Some(4)),
                follow_up("t3", date(2026, 9, 1), Some(2)),
                follow_up("t4", early, Some(5)),
                follow_up("t5", on_time, None),
            ],
            8,
        )
        .expect("valid input");
        assert_eq!(
            indicator.still_using,
            Share {
                numerator: 2,
                denominator: 3,
            }
        );
        assert_eq!(
            indicator.response_rate,
            Share {
                numerator: 3,
                denominator: 8,
            }
        );
        assert_eq!(indicator.too_early, 1);
        assert_eq!(indicator.blank, 1);
    }

    #[test]
    fn more_responses_than_invitations_is_an_error() {
        let on_time = date(2026, 7, 1);
        assert_eq!(
            skills_in_use_indicator(&[follow_up("t1", on_time, Some(5))], 0),
            Err(IndicatorError::MoreAnswersThanInvitations {
                answered: 1,
                invited: 0,
            })
        );
    }

    #[test]
    fn follow_up_due_date_uses_calendar_months() {
        assert!(follow_up_is_due(date(2026, 8, 31), date(2026, 11, 30)));
        assert!(!follow_up_is_due(date(2026, 8, 31), date(2026, 11, 29)));
        assert!(follow_up_is_due(date(2026, 11, 15), date(2027, 2, 15)));
        assert!(!follow_up_is_due(date(2026, 11, 15), date(2027, 2, 14)));
    }

    proptest! {
        #[test]
        fn summary_is_consistent(values in proptest::collection::vec(1u8..=5, 0..50)) {
            let summary = summarise(values.iter().map(|&value| likert(value)));
            prop_assert_eq!(summary.responses, values.len());
            prop_assert_eq!(summary.counts.iter().sum::<usize>(), values.len());
            prop_assert_eq!(summary.positive, summary.counts[3] + summary.counts[4]);
            if let Some(mean) = summary.mean {
                prop_assert!((1.0..=5.0).contains(&mean));
            }
        }

        #[test]
        fn usefulness_share_never_exceeds_its_denominator(
            answers in proptest::collection::vec(proptest::option::of(1u8..=5), 0..40),
        ) {
            let responses: Vec<EndOfCourseResponse> = answers
                .iter()
                .enumerate()
                .map(|(index, answer)| end_of_course(&format!("t{index}"), *answer))
                .collect();
            let indicator = usefulness_indicator(&responses).expect("unique trainees");
            prop_assert!(indicator.useful.numerator <= indicator.useful.denominator);
            prop_assert_eq!(indicator.useful.denominator + indicator.blank, responses.len());
        }
    }
}
