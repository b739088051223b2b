//! Quiz rules: the pass mark, the time limit and what a late submission
//! scores, the attempts limit, grading a submitted attempt, and the random
//! selection of questions from a question bank.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::question::{Answer, AnswerError, GradedAnswer, Question};
use super::rng::SplitMix64;
use super::{Points, QuestionId};

/// Seconds after the time limit during which a submission still counts as
/// on time. It absorbs the delay between the page's own countdown sending
/// the form and the server receiving it on a slow connection.
pub const GRACE_SECONDS: i64 = 60;

/// The scoring rule for a submission that arrives after the time limit plus
/// the grace period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LateRule {
    /// The attempt is recorded and uses up one of the allowed attempts, but
    /// scores zero and does not pass. The answers stay stored for the
    /// trainer to see.
    #[default]
    ScoreZero,
    /// The attempt is graded as usual and marked late for the trainer.
    Accept,
}

impl LateRule {
    /// Returns the stable identifier stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            LateRule::ScoreZero => "score_zero",
            LateRule::Accept => "accept",
        }
    }

    /// Parses the stored identifier, returning `None` for anything else.
    pub fn parse(value: &str) -> Option<LateRule> {
        [LateRule::ScoreZero, LateRule::Accept]
            .into_iter()
            .find(|rule| rule.as_str() == value)
    }
}

/// The rules of one quiz, valid by construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuizRules {
    pass_mark_percent: u8,
    time_limit: Option<TimeDelta>,
    max_attempts: Option<u32>,
    late_rule: LateRule,
}

/// Rejection of quiz rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QuizRulesError {
    #[error("the pass mark must be a percentage from 0 to 100")]
    PassMark,
    #[error("the time limit must be longer than zero")]
    TimeLimit,
    #[error("the attempts limit must be at least one")]
    AttemptsLimit,
}

impl QuizRules {
    /// Builds quiz rules. `time_limit` and `max_attempts` of `None` mean no
    /// limit.
    ///
    /// # Errors
    ///
    /// [`QuizRulesError::PassMark`] above 100, [`QuizRulesError::TimeLimit`]
    /// for a limit of zero or less, [`QuizRulesError::AttemptsLimit`] for a
    /// limit of zero attempts.
    pub fn new(
        pass_mark_percent: u8,
        time_limit: Option<TimeDelta>,
        max_attempts: Option<u32>,
        late_rule: LateRule,
    ) -> Result<QuizRules, QuizRulesError> {
        if pass_mark_percent > 100 {
            return Err(QuizRulesError::PassMark);
        }
        if time_limit.is_some_and(|limit| limit <= TimeDelta::zero()) {
            return Err(QuizRulesError::TimeLimit);
        }
        if max_attempts == Some(0) {
            return Err(QuizRulesError::AttemptsLimit);
        }
        Ok(QuizRules {
            pass_mark_percent,
            time_limit,
            max_attempts,
            late_rule,
        })
    }

    pub fn pass_mark_percent(&self) -> u8 {
        self.pass_mark_percent
    }

    pub fn time_limit(&self) -> Option<TimeDelta> {
        self.time_limit
    }

    pub fn max_attempts(&self) -> Option<u32> {
        self.max_attempts
    }

    pub fn late_rule(&self) -> LateRule {
        self.late_rule
    }

    /// Decides whether `points` out of `max` meets the pass mark. The
    /// comparison is exact integer arithmetic, so 60 % of the points passes
    /// a 60 % mark. A quiz worth zero points never passes.
    pub fn passes(&self, points: Points, max: Points) -> bool {
        max > Points::ZERO
            && u64::from(points.hundredths()) * 100
                >= u64::from(self.pass_mark_percent) * u64::from(max.hundredths())
    }

    /// Checks that a trainee who has already made `attempts_made` attempts
    /// may start another, and returns the number of the new attempt
    /// (counting from 1).
    ///
    /// # Errors
    ///
    /// [`AttemptError::NoAttemptsLeft`] when the attempts limit is reached.
    pub fn next_attempt(&self, attempts_made: u32) -> Result<u32, AttemptError> {
        match self.max_attempts {
            Some(limit) if attempts_made >= limit => Err(AttemptError::NoAttemptsLeft { limit }),
            _ => Ok(attempts_made.saturating_add(1)),
        }
    }

    /// Classifies a submission made at `submitted_at` for an attempt started
    /// at `started_at`.
    pub fn timeliness(&self, started_at: DateTime<Utc>, submitted_at: DateTime<Utc>) -> Timeliness {
        let Some(limit) = self.time_limit else {
            return Timeliness::OnTime;
        };
        let deadline = started_at + limit;
        if submitted_at <= deadline {
            Timeliness::OnTime
        } else if submitted_at <= deadline + TimeDelta::seconds(GRACE_SECONDS) {
            Timeliness::InGrace
        } else {
            Timeliness::Late
        }
    }
}

/// When an attempt was submitted relative to the time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Within the time limit, or the quiz has none.
    OnTime,
    /// After the limit but within [`GRACE_SECONDS`]; graded as on time.
    InGrace,
    /// After the limit and the grace period; scored by the [`LateRule`].
    Late,
}

/// An attempt as stored: the questions drawn for it, when it started and,
/// once submitted, when.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub questions: Vec<Question>,
    pub started_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// Rejection of a new attempt or of a submission.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttemptError {
    #[error("all {limit} attempts allowed for this quiz have been used")]
    NoAttemptsLeft { limit: u32 },
    #[error("this attempt was already submitted")]
    AlreadySubmitted,
    #[error("the attempt has no questions")]
    NoQuestions,
    #[error("the submission is dated before the attempt started")]
    SubmittedBeforeStart,
    #[error("the question `{0}` is not part of this attempt")]
    QuestionNotInAttempt(QuestionId),
    #[error("the answer to question `{question}` is malformed: {error}")]
    MalformedAnswer {
        question: QuestionId,
        error: AnswerError,
    },
}

/// The result of a submitted attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttemptResult {
    /// One grade per question of the attempt, in the attempt's order.
    /// These are the grades the answers earned even when a late rule set
    /// the score to zero.
    pub graded: Vec<GradedAnswer>,
    /// The score that counts, after the late rule.
    pub points: Points,
    pub max_points: Points,
    pub passed: bool,
    pub timeliness: Timeliness,
}

impl AttemptResult {
    /// Returns the score as a percentage, for display.
    pub fn percent(&self) -> f64 {
        self.points.percent_of(self.max_points).unwrap_or(0.0)
    }
}

impl Attempt {
    /// Grades a submission of this attempt made at `submitted_at`. Questions
    /// without an answer score zero.
    ///
    /// # Errors
    ///
    /// [`AttemptError::AlreadySubmitted`] for a second submission;
    /// [`AttemptError::NoQuestions`] for an empty attempt;
    /// [`AttemptError::SubmittedBeforeStart`] when the clock went backwards;
    /// [`AttemptError::QuestionNotInAttempt`] for an answer to a question
    /// that was not drawn for this attempt; [`AttemptError::MalformedAnswer`]
    /// for an answer the question cannot grade. Nothing is graded unless
    /// every answer is well formed.
    pub fn submit(
        &self,
        rules: &QuizRules,
        answers: &BTreeMap<QuestionId, Answer>,
        submitted_at: DateTime<Utc>,
    ) -> Result<AttemptResult, AttemptError> {
        if self.submitted_at.is_some() {
            return Err(AttemptError::AlreadySubmitted);
        }
        if self.questions.is_empty() {
            return Err(AttemptError::NoQuestions);
        }
        if submitted_at < self.started_at {
            return Err(AttemptError::SubmittedBeforeStart);
        }
        if let Some(stray) = answers
            .keys()
            .find(|id| !self.questions.iter().any(|question| question.id() == *id))
        {
            return Err(AttemptError::QuestionNotInAttempt(stray.clone()));
        }

        let graded = self
            .questions
            .iter()
            .map(|question| match answers.get(question.id()) {
                Some(answer) => {
                    question
                        .grade(answer)
                        .map_err(|error| AttemptError::MalformedAnswer {
                            question: question.id().clone(),
                            error,
                        })
                }
                None => Ok(question.unanswered()),
            })
            .collect::<Result<Vec<_>, _>>()?;

        let earned: Points = graded.iter().map(|grade| grade.points).sum();
        let max_points: Points = self.questions.iter().map(Question::max_points).sum();
        let timeliness = rules.timeliness(self.started_at, submitted_at);
        let points = match (timeliness, rules.late_rule()) {
            (Timeliness::Late, LateRule::ScoreZero) => Points::ZERO,
            _ => earned,
        };

        Ok(AttemptResult {
            graded,
            points,
            max_points,
            passed: rules.passes(points, max_points),
            timeliness,
        })
    }
}

/// A request for `count` questions carrying `tag`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TagDraw {
    pub tag: String,
    pub count: usize,
}

/// A draw the bank could not fill even on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shortage {
    pub tag: String,
    pub wanted: usize,
    /// Questions in the bank with the tag.
    pub available: usize,
}

/// Rejection of a random selection.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectionError {
    /// Some draws ask for more questions than the bank has with their tag.
    #[error("the question bank has too few questions for {} of the requested tags", shortages.len())]
    TooFew { shortages: Vec<Shortage> },
    /// Every draw fits on its own, but questions carry the tags of several
    /// draws and no question may be used twice, so together they cannot be
    /// filled.
    #[error(
        "the draws need {wanted} different questions but the bank can fill only {available} of them"
    )]
    Overlap { wanted: usize, available: usize },
    #[error("the question `{0}` appears more than once in the bank")]
    DuplicateQuestion(QuestionId),
}

/// Draws questions from `bank` at random: for each draw in order, `count`
/// questions carrying its tag. No question is picked twice, even when it
/// carries the tags of two draws.
///
/// Each pick is uniform among the questions of the draw's tag that still
/// leave every remaining draw fillable, so a question shared by two tags
/// never makes a later draw fail when some choice would fill them all.
///
/// The selection depends only on `seed`, the draws and the set of questions
/// in the bank: the bank is sorted by question id first, so the order in
/// which the store loaded it does not matter. Storing the seed with an
/// attempt is enough to rebuild its selection while the bank is unchanged.
/// The result lists the questions of the first draw, then the second, and
/// so on, each draw in random order.
///
/// # Errors
///
/// [`SelectionError::DuplicateQuestion`] when two bank entries share an id;
/// [`SelectionError::TooFew`] listing every draw that asks for more
/// questions than its tag has; [`SelectionError::Overlap`] when the draws
/// fit one by one but not together.
pub fn select_questions<'bank>(
    bank: &'bank [Question],
    draws: &[TagDraw],
    seed: u64,
) -> Result<Vec<&'bank Question>, SelectionError> {
    let mut sorted: Vec<&Question> = bank.iter().collect();
    sorted.sort_by(|left, right| left.id().cmp(right.id()));
    if let Some(pair) = sorted.windows(2).find(|pair| pair[0].id() == pair[1].id()) {
        return Err(SelectionError::DuplicateQuestion(pair[0].id().clone()));
    }

    let shortages: Vec<Shortage> = draws
        .iter()
        .filter_map(|draw| {
            let available = sorted
                .iter()
                .filter(|question| question.has_tag(&draw.tag))
                .count();
            (available < draw.count).then(|| Shortage {
                tag: draw.tag.clone(),
                wanted: draw.count,
                available,
            })
        })
        .collect();
    if !shortages.is_empty() {
        return Err(SelectionError::TooFew { shortages });
    }

    let tags: Vec<&str> = draws.iter().map(|draw| draw.tag.as_str()).collect();
    let mut free = vec![true; sorted.len()];
    let wanted: usize = draws.iter().map(|draw| draw.count).sum();
    let mut slots: Vec<usize> = draws
        .iter()
        .enumerate()
        .flat_map(|(index, draw)| std::iter::repeat_n(index, draw.count))
        .collect();
    let available = max_matching(&sorted, &tags, &slots, &free);
    if available < wanted {
        return Err(SelectionError::Overlap { wanted, available });
    }

    let mut rng = SplitMix64::new(seed);
    let mut selected = Vec::with_capacity(wanted);
    while !slots.is_empty() {
        // The slot being filled leaves the list first; the rest must stay
        // fillable after the pick.
        let draw = slots.remove(0);
        let mut candidates: Vec<usize> = (0..sorted.len())
            .filter(|&index| free[index] && sorted[index].has_tag(tags[draw]))
            .collect();
        loop {
            if candidates.is_empty() {
                // Unreachable while `max_matching` is right; an error is
                // safer than a panic if it ever is not.
                return Err(SelectionError::Overlap {
                    wanted,
                    available: selected.len(),
                });
            }
            // The remaining slots were fillable before this pick, so at
            // least one candidate keeps them fillable and the list never
            // runs out.
            let position = rng.below(candidates.len());
            let index = candidates.swap_remove(position);
            free[index] = false;
            if max_matching(&sorted, &tags, &slots, &free) == slots.len() {
                selected.push(sorted[index]);
                break;
            }
            free[index] = true;
        }
    }
    Ok(selected)
}

/// Returns the size of a maximum matching between `slots` (each the index
/// of the draw it belongs to) and the free questions carrying that draw's
/// tag, by augmenting paths (Kuhn's algorithm).
fn max_matching(questions: &[&Question], tags: &[&str], slots: &[usize], free: &[bool]) -> usize {
    let mut slot_of_question: Vec<Option<usize>> = vec![None; questions.len()];
    let mut matched = 0;
    for slot in 0..slots.len() {
        let mut visited = vec![false; questions.len()];
        let graph = MatchingGraph {
            questions,
            tags,
            slots,
            free,
        };
        if graph.augment(slot, &mut visited, &mut slot_of_question) {
            matched += 1;
        }
    }
    matched
}

struct MatchingGraph<'a, 'bank> {
    questions: &'a [&'bank Question],
    tags: &'a [&'a str],
    slots: &'a [usize],
    free: &'a [bool],
}

impl MatchingGraph<'_, '_> {
    fn augment(
        &self,
        slot: usize,
        visited: &mut [bool],
        slot_of_question: &mut [Option<usize>],
    ) -> bool {
        let tag = self.tags[self.slots[slot]];
        for index in 0..self.questions.len() {
            if visited[index] || !self.free[index] || !self.questions[index].has_tag(tag) {
                continue;
            }
            visited[index] = true;
            let reassigned = match slot_of_question[index] {
                None => true,
                Some(other) => self.augment(other, visited, slot_of_question),
            };
            if reassigned {
                slot_of_question[index] = Some(slot);
                return true;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests;
