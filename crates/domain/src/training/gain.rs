//! Normalised learning gain from a pre-test and a post-test.
//!
//! For one trainee, g = (post − pre) / (100 − pre), with both scores in
//! percent: the share of the room for improvement that the training closed.
//! g is 1 when the post-test is perfect, 0 when nothing changed, and negative
//! when the post-test is worse. It has no lower bound: a pre-test of 90 and a
//! post-test of 60 give −3.
//!
//! When the pre-test is 100 there is no room to gain and the fraction is
//! undefined. Such a trainee gets [`IndividualGain::AtCeiling`] instead of a
//! number: they are left out of the mean of individual gains, counted
//! separately, and still count in the group's mean scores.

use serde::Serialize;

/// A test score in percent, from 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct ScorePercent(f64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a test score must be a percentage from 0 to 100")]
pub struct ScorePercentError;

impl ScorePercent {
    /// Wraps a percentage.
    ///
    /// # Errors
    ///
    /// [`ScorePercentError`] unless `percent` is a finite number from 0 to
    /// 100.
    pub fn new(percent: f64) -> Result<ScorePercent, ScorePercentError> {
        if percent.is_finite() && (0.0..=100.0).contains(&percent) {
            Ok(ScorePercent(percent))
        } else {
            Err(ScorePercentError)
        }
    }

    pub fn value(self) -> f64 {
        self.0
    }
}

/// One trainee's normalised gain.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum IndividualGain {
    /// g = (post − pre) / (100 − pre); at most 1.
    Gain(f64),
    /// The pre-test was 100, so g is undefined whatever the post-test.
    AtCeiling,
}

impl IndividualGain {
    /// Returns the gain as a number, or `None` at the ceiling.
    pub fn value(self) -> Option<f64> {
        match self {
            IndividualGain::Gain(gain) => Some(gain),
            IndividualGain::AtCeiling => None,
        }
    }
}

/// Computes one trainee's normalised gain.
pub fn normalised_gain(pre: ScorePercent, post: ScorePercent) -> IndividualGain {
    if pre.0 >= 100.0 {
        IndividualGain::AtCeiling
    } else {
        IndividualGain::Gain((post.0 - pre.0) / (100.0 - pre.0))
    }
}

/// The learning gain of a group (a session, a sector, a course), computed
/// over trainees who took both tests. Trainees with only one of the two
/// tests must be left out by the caller, since mixing them in would compare
/// different people before and after.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GroupGain {
    /// Trainees with both tests.
    pub trainees: usize,
    /// Of those, trainees whose pre-test was 100.
    pub at_ceiling: usize,
    pub mean_pre: Option<f64>,
    pub mean_post: Option<f64>,
    /// The gain of the means, (mean post − mean pre) / (100 − mean pre),
    /// over all `trainees`. This is the figure the training report shows;
    /// `None` for an empty group or when every pre-test was 100.
    pub gain_of_means: Option<f64>,
    /// The mean of the individual gains over the trainees not at the
    /// ceiling; `None` when there are none. Shown beside the headline
    /// figure.
    pub mean_of_gains: Option<f64>,
}

/// Computes the gain of a group from each trainee's (pre, post) scores.
///
/// The report leads with the gain of the means. It stays defined when a
/// trainee scored 100 on the pre-test. In a small group, one trainee with a
/// high pre-test and a slightly lower post-test (pre 95, post 85 gives −2)
/// swamps a mean of individual gains but not the gain of the means. The mean
/// of individual gains is computed too, because when the two figures differ
/// a lot the group is uneven and the per-trainee list is worth reading.
pub fn group_gain(scores: &[(ScorePercent, ScorePercent)]) -> GroupGain {
    let trainees = scores.len();
    let mean = |values: &mut dyn Iterator<Item = f64>| -> Option<f64> {
        let (sum, count) = values.fold((0.0, 0usize), |(sum, count), value| {
            (sum + value, count + 1)
        });
        (count > 0).then(|| sum / count as f64)
    };

    let mean_pre = mean(&mut scores.iter().map(|(pre, _)| pre.0));
    let mean_post = mean(&mut scores.iter().map(|(_, post)| post.0));
    let gain_of_means = match (mean_pre, mean_post) {
        (Some(pre), Some(post)) if pre < 100.0 => Some((post - pre) / (100.0 - pre)),
        _ => None,
    };

    let gains: Vec<IndividualGain> = scores
        .iter()
        .map(|&(pre, post)| normalised_gain(pre, post))
        .collect();
    let at_ceiling = gains
        .iter()
        .filter(|gain| matches!(gain, IndividualGain::AtCeiling))
        .count();
    let mean_of_gains = mean(&mut gains.iter().filter_map(|gain| gain.value()));

    GroupGain {
        trainees,
        at_ceiling,
        mean_pre,
        mean_post,
        gain_of_means,
        mean_of_gains,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn score(percent: f64) -> ScorePercent {
        ScorePercent::new(percent).expect("valid percentage")
    }

    fn close(left: f64, right: f64) -> bool {
        (left - right).abs() < 1e-9
    }

    #[test]
    fn individual_gains() {
        assert_eq!(
            normalised_gain(score(40.0), score(70.0)),
            IndividualGain::Gain(0.5)
        );
        assert_eq!(
            normalised_gain(score(40.0), score(100.0)),
            IndividualGain::Gain(1.0)
        );
        assert_eq!(
            normalised_gain(score(40.0), score(40.0)),
            IndividualGain::Gain(0.0)
        );
        assert_eq!(
            normalised_gain(score(90.0), score(60.0)),
            IndividualGain::Gain(-3.0)
        );
        assert_eq!(
            normalised_gain(score(0.0), score(25.0)),
            IndividualGain::Gain(0.25)
        );
    }

    #[test]
    fn pre_test_of_100_is_at_ceiling() {
        assert_eq!(
            normalised_gain(score(100.0), score(100.0)),
            IndividualGain::AtCeiling
        );
        assert_eq!(
            normalised_gain(score(100.0), score(80.0)),
            IndividualGain::AtCeiling
        );
        assert_eq!(IndividualGain::AtCeiling.value(), None);
    }

    #[test]
    fn scores_outside_0_to_100_are_rejected() {
        for bad in [-0.1, 100.1, f64::NAN, f64::INFINITY] {
            assert_eq!(ScorePercent::new(bad), Err(ScorePercentError), "{bad}");
        }
    }

    #[test]
    fn group_gain_both_averages() {
        // Gains 0.5, 0.0 and (at ceiling) none.
        let group = group_gain(&[
            (score(40.0), score(70.0)),
            (score(60.0), score(60.0)),
            (score(100.0), score(90.0)),
        ]);
        assert_eq!(group.trainees, 3);
        assert_eq!(group.at_ceiling, 1);
        assert!(close(group.mean_pre.unwrap(), 200.0 / 3.0));
        assert!(close(group.mean_post.unwrap(), 220.0 / 3.0));
        // (220/3 - 200/3) / (100 - 200/3) = (20/3) / (100/3) = 0.2
        assert!(close(group.gain_of_means.unwrap(), 0.2));
        assert!(close(group.mean_of_gains.unwrap(), 0.25));
    }

    #[test]
    fn group_gain_of_one_outlier() {
        // The mean of gains is dragged down by one high pre-test; the gain of
        // the means is not.
        let group = group_gain(&[
            (score(30.0), score(65.0)),
            (score(30.0), score(65.0)),
            (score(95.0), score(85.0)),
        ]);
        assert!(close(group.mean_of_gains.unwrap(), (0.5 + 0.5 - 2.0) / 3.0));
        assert!(group.gain_of_means.unwrap() > 0.3);
    }

    #[test]
    fn empty_and_all_at_ceiling_groups() {
        let empty = group_gain(&[]);
        assert_eq!(empty.trainees, 0);
        assert_eq!(empty.gain_of_means, None);
        assert_eq!(empty.mean_of_gains, None);
        assert_eq!(empty.mean_pre, None);

        let perfect = group_gain(&[(score(100.0), score(100.0))]);
        assert_eq!(perfect.at_ceiling, 1);
        assert_eq!(perfect.gain_of_means, None);
        assert_eq!(perfect.mean_of_gains, None);
        assert_eq!(perfect.mean_post, Some(100.0));
    }

    proptest! {
        #[test]
        fn gain_properties(pre in 0.0f64..100.0, post in 0.0f64..=100.0) {
            let gain = normalised_gain(score(pre), score(post)).value().expect("pre below 100");
            prop_assert!(gain <= 1.0 + 1e-12);
            prop_assert_eq!(gain > 0.0, post > pre);
            prop_assert_eq!(gain < 0.0, post < pre);
            if post == 100.0 {
                prop_assert!(close(gain, 1.0));
            }
        }

        #[test]
        fn group_of_one_matches_the_individual(pre in 0.0f64..100.0, post in 0.0f64..=100.0) {
            let individual = normalised_gain(score(pre), score(post)).value().expect("pre below 100");
            let group = group_gain(&[(score(pre), score(post))]);
            prop_assert!(close(group.gain_of_means.unwrap(), individual));
            prop_assert!(close(group.mean_of_gains.unwrap(), individual));
        }

        #[test]
        fn gain_of_means_never_exceeds_one(
            scores in proptest::collection::vec((0.0f64..=100.0, 0.0f64..=100.0), 1..30),
        ) {
            let scores: Vec<_> = scores.into_iter().map(|(pre, post)| (score(pre), score(post))).collect();
            let group = group_gain(&scores);
            if let Some(gain) = group.gain_of_means {
                prop_assert!(gain <= 1.0 + 1e-9);
            }
            prop_assert!(group.at_ceiling <= group.trainees);
        }
    }
}
