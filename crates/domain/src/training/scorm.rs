//! The part of the SCORM 1.2 run-time data model that Procap stores: the
//! lesson status, the raw score and what the package keeps between visits.
//!
//! A package's runtime (the `window.API` script on the lesson page) sends
//! the values it was given on each `LMSCommit`. [`ScormCommit::parse`]
//! checks them against the SCORM 1.2 data types and vocabularies, so a
//! stored result is always valid. Elements Procap does not keep (such as
//! interactions and objectives) are refused, and the runtime reports them
//! to the package as not implemented.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `cmi.core.lesson_status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LessonStatus {
    Passed,
    Completed,
    Failed,
    Incomplete,
    Browsed,
    NotAttempted,
}

impl LessonStatus {
    pub const ALL: [LessonStatus; 6] = [
        LessonStatus::Passed,
        LessonStatus::Completed,
        LessonStatus::Failed,
        LessonStatus::Incomplete,
        LessonStatus::Browsed,
        LessonStatus::NotAttempted,
    ];

    /// The SCORM vocabulary word, also stored in `scorm_results`.
    pub fn as_str(self) -> &'static str {
        match self {
            LessonStatus::Passed => "passed",
            LessonStatus::Completed => "completed",
            LessonStatus::Failed => "failed",
            LessonStatus::Incomplete => "incomplete",
            LessonStatus::Browsed => "browsed",
            LessonStatus::NotAttempted => "not attempted",
        }
    }

    /// Parses the vocabulary word exactly as SCORM 1.2 spells it.
    pub fn parse(value: &str) -> Option<LessonStatus> {
        LessonStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
    }

    /// Whether the status means the trainee went through the lesson, so it
    /// counts as viewed for course completion: `passed` or `completed`.
    pub fn counts_as_viewed(self) -> bool {
        matches!(self, LessonStatus::Passed | LessonStatus::Completed)
    }
}

/// The elements a commit may carry, with their SCORM 1.2 types.
const CMI_LESSON_STATUS: &str = "cmi.core.lesson_status";
const CMI_SCORE_RAW: &str = "cmi.core.score.raw";
const CMI_SCORE_MIN: &str = "cmi.core.score.min";
const CMI_SCORE_MAX: &str = "cmi.core.score.max";
const CMI_LESSON_LOCATION: &str = "cmi.core.lesson_location";
const CMI_EXIT: &str = "cmi.core.exit";
const CMI_SESSION_TIME: &str = "cmi.core.session_time";
const CMI_SUSPEND_DATA: &str = "cmi.suspend_data";
const CMI_COMMENTS: &str = "cmi.comments";

/// Every element [`ScormCommit::parse`] accepts.
pub const WRITABLE_ELEMENTS: [&str; 9] = [
    CMI_LESSON_STATUS,
    CMI_SCORE_RAW,
    CMI_SCORE_MIN,
    CMI_SCORE_MAX,
    CMI_LESSON_LOCATION,
    CMI_EXIT,
    CMI_SESSION_TIME,
    CMI_SUSPEND_DATA,
    CMI_COMMENTS,
];

/// Why a commit was refused: the element and what is wrong with its value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CmiError {
    #[error("element {0} is not supported")]
    UnknownElement(String),
    #[error("{element} must be one of its vocabulary words")]
    Vocabulary { element: &'static str },
    #[error("{element} must be a decimal from 0 to 100")]
    Decimal { element: &'static str },
    #[error("{element} must be a time span HHHH:MM:SS.SS")]
    Timespan { element: &'static str },
    #[error("{element} is longer than {max} characters")]
    TooLong { element: &'static str, max: usize },
}

/// A score in hundredths of a point, 0 to 10,000 (0 to 100 points), as
/// `scorm_results.score_raw` stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ScormScore(u16);

impl ScormScore {
    /// Parses a SCORM `CMIDecimal` from 0 to 100 with at most two decimal
    /// places kept (further digits are dropped, not rounded).
    pub fn parse(value: &str) -> Option<ScormScore> {
        let value = value.trim();
        let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
        let digits = |text: &str| text.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() && fraction.is_empty() || !digits(whole) || !digits(fraction) {
            return None;
        }
        if whole.len() > 3 {
            return None;
        }
        let whole: u16 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let mut cents = fraction.chars().chain(std::iter::repeat('0')).take(2);
        let tens = cents.next()?.to_digit(10)?;
        let units = cents.next()?.to_digit(10)?;
        let hundredths = whole * 100 + u16::try_from(tens * 10 + units).ok()?;
        (hundredths <= 10_000).then_some(ScormScore(hundredths))
    }

    pub fn from_hundredths(value: u16) -> Option<ScormScore> {
        (value <= 10_000).then_some(ScormScore(value))
    }

    pub fn hundredths(self) -> u16 {
        self.0
    }

    /// The score as SCORM writes it back to a package, e.g. `87.5`.
    pub fn to_cmi(self) -> String {
        let whole = self.0 / 100;
        let fraction = self.0 % 100;
        match fraction {
            0 => whole.to_string(),
            f if f % 10 == 0 => format!("{whole}.{}", f / 10),
            f => format!("{whole}.{f:02}"),
        }
    }
}

/// A checked commit: the status, the raw score and the other values the
/// package stored (by element name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScormCommit {
    /// `None` when this commit did not change the status.
    pub lesson_status: Option<LessonStatus>,
    /// `Some(None)` when the package cleared the score, `None` when this
    /// commit did not touch it.
    pub score_raw: Option<Option<ScormScore>>,
    /// Other accepted elements and their values, suspend data included.
    pub data: BTreeMap<String, String>,
}

impl ScormCommit {
    /// Checks every element of a commit; one bad value refuses the whole
    /// commit. The status `not attempted` may not be set by a package
    /// (SCORM 1.2 reserves it for the LMS).
    pub fn parse<'a>(
        values: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<ScormCommit, CmiError> {
        let mut commit = ScormCommit {
            lesson_status: None,
            score_raw: None,
            data: BTreeMap::new(),
        };
        for (element, value) in values {
            match element {
                CMI_LESSON_STATUS => {
                    let status = LessonStatus::parse(value)
                        .filter(|status| *status != LessonStatus::NotAttempted)
                        .ok_or(CmiError::Vocabulary {
                            element: CMI_LESSON_STATUS,
                        })?;
                    commit.lesson_status = Some(status);
                }
                CMI_SCORE_RAW => {
                    let score = if value.is_empty() {
                        None
                    } else {
                        Some(ScormScore::parse(value).ok_or(CmiError::Decimal {
                            element: CMI_SCORE_RAW,
                        })?)
                    };
                    commit.score_raw = Some(score);
                }
                CMI_SCORE_MIN | CMI_SCORE_MAX => {
                    let element = if element == CMI_SCORE_MIN {
                        CMI_SCORE_MIN
                    } else {
                        CMI_SCORE_MAX
                    };
                    if !value.is_empty() && ScormScore::parse(value).is_none() {
                        return Err(CmiError::Decimal { element });
                    }
                    commit.data.insert(element.to_owned(), value.to_owned());
                }
                CMI_LESSON_LOCATION => {
                    check_length(CMI_LESSON_LOCATION, value, 255)?;
                    commit.data.insert(element.to_owned(), value.to_owned());
                }
                CMI_EXIT => {
                    if !matches!(value, "" | "time-out" | "suspend" | "logout") {
                        return Err(CmiError::Vocabulary { element: CMI_EXIT });
                    }
                    commit.data.insert(element.to_owned(), value.to_owned());
                }
                CMI_SESSION_TIME => {
                    if !is_timespan(value) {
                        return Err(CmiError::Timespan {
                            element: CMI_SESSION_TIME,
                        });
                    }
                    commit.data.insert(element.to_owned(), value.to_owned());
                }
                CMI_SUSPEND_DATA | CMI_COMMENTS => {
                    let element = if element == CMI_SUSPEND_DATA {
                        CMI_SUSPEND_DATA
                    } else {
                        CMI_COMMENTS
                    };
                    check_length(element, value, 4096)?;
                    commit.data.insert(element.to_owned(), value.to_owned());
                }
                other => return Err(CmiError::UnknownElement(other.chars().take(100).collect())),
            }
        }
        Ok(commit)
    }
}

fn check_length(element: &'static str, value: &str, max: usize) -> Result<(), CmiError> {
    if value.chars().count() > max {
        Err(CmiError::TooLong { element, max })
    } else {
        Ok(())
    }
}

/// `CMITimespan`: `HHHH:MM:SS.SS`, two to four hour digits, two minute and
/// two second digits, and an optional fraction of one or two digits.
pub fn is_timespan(value: &str) -> bool {
    let mut parts = value.split(':');
    let (Some(hours), Some(minutes), Some(seconds), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let digits = |text: &str, min: usize, max: usize| {
        (min..=max).contains(&text.len()) && text.chars().all(|c| c.is_ascii_digit())
    };
    let (whole, fraction) = match seconds.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (seconds, None),
    };
    digits(hours, 2, 4)
        && digits(minutes, 2, 2)
        && minutes < "60"
        && digits(whole, 2, 2)
        && whole < "60"
        && fraction.is_none_or(|fraction| digits(fraction, 1, 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_two_count_as_viewed() {
        for status in LessonStatus::ALL {
            assert_eq!(LessonStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(LessonStatus::parse("Passed"), None);
        let viewed: Vec<_> = LessonStatus::ALL
            .into_iter()
            .filter(|status| status.counts_as_viewed())
            .collect();
        assert_eq!(viewed, [LessonStatus::Passed, LessonStatus::Completed]);
    }

    #[test]
    fn scores_are_decimals_from_0_to_100() {
        assert_eq!(
            ScormScore::parse("87.5").map(ScormScore::hundredths),
            Some(8750)
        );
        assert_eq!(
            ScormScore::parse("100").map(ScormScore::hundredths),
            Some(10_000)
        );
        assert_eq!(ScormScore::parse("0").map(ScormScore::hundredths), Some(0));
        assert_eq!(
            ScormScore::parse(".25").map(ScormScore::hundredths),
            Some(25)
        );
        assert_eq!(
            ScormScore::parse("33.339").map(ScormScore::hundredths),
            Some(3333)
        );
        for bad in ["", ".", "-1", "100.01", "1e2", "abc", "1000", " "] {
            assert_eq!(ScormScore::parse(bad), None, "{bad:?}");
        }
        assert_eq!(ScormScore::parse("87.5").unwrap().to_cmi(), "87.5");
        assert_eq!(ScormScore::parse("7.05").unwrap().to_cmi(), "7.05");
        assert_eq!(ScormScore::parse("90").unwrap().to_cmi(), "90");
    }

    #[test]
    fn timespans_follow_cmi_timespan() {
        for good in ["00:00:00", "0001:02:03.4", "12:59:59.99"] {
            assert!(is_timespan(good), "{good}");
        }
        for bad in [
            "1:00:00",
            "00:60:00",
            "00:00:60",
            "00:00",
            "00:00:00.123",
            "PT1H",
        ] {
            assert!(!is_timespan(bad), "{bad}");
        }
    }

    #[test]
    fn a_commit_is_checked_element_by_element() {
        let commit = ScormCommit::parse([
            ("cmi.core.lesson_status", "passed"),
            ("cmi.core.score.raw", "92"),
            ("cmi.suspend_data", "page=4"),
            ("cmi.core.session_time", "00:12:30"),
        ])
        .unwrap();
        assert_eq!(commit.lesson_status, Some(LessonStatus::Passed));
        assert_eq!(commit.score_raw, Some(ScormScore::from_hundredths(9200)));
        assert_eq!(commit.data["cmi.suspend_data"], "page=4");

        let cleared = ScormCommit::parse([("cmi.core.score.raw", "")]).unwrap();
        assert_eq!(cleared.score_raw, Some(None));

        assert_eq!(
            ScormCommit::parse([("cmi.core.lesson_status", "done")]),
            Err(CmiError::Vocabulary {
                element: "cmi.core.lesson_status"
            })
        );
        assert_eq!(
            ScormCommit::parse([("cmi.core.lesson_status", "not attempted")]),
            Err(CmiError::Vocabulary {
                element: "cmi.core.lesson_status"
            })
        );
        assert_eq!(
            ScormCommit::parse([("cmi.core.score.raw", "120")]),
            Err(CmiError::Decimal {
                element: "cmi.core.score.raw"
            })
        );
        let long = "x".repeat(4097);
        assert_eq!(
            ScormCommit::parse([("cmi.suspend_data", long.as_str())]),
            Err(CmiError::TooLong {
                element: "cmi.suspend_data",
                max: 4096
            })
        );
        assert_eq!(
            ScormCommit::parse([("cmi.interactions.0.id", "q1")]),
            Err(CmiError::UnknownElement("cmi.interactions.0.id".to_owned()))
        );
        assert_eq!(
            ScormCommit::parse([("cmi.core.exit", "later")]),
            Err(CmiError::Vocabulary {
                element: "cmi.core.exit"
            })
        );
    }
}
