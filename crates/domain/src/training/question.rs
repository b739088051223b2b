//! Questions, the typed answer of each kind, and grading.
//!
//! The domain holds only what grading needs: ids of options and items, the
//! correct key and the points. Question wording, option labels and feedback
//! texts live in the store in each language and are looked up by the
//! question id and the [`Outcome`] grading returns.
//!
//! A question exists only valid ([`Question::new`] checks it), and grading a
//! valid question never panics: an answer of the wrong kind or one that names
//! an option the question does not have is an [`AnswerError`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{Points, QuestionId};
use crate::text::normalise;

/// The scoring method of a multiple-choice question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MultipleChoiceScoring {
    /// Full points only for exactly the correct set of options; anything
    /// else scores zero.
    AllOrNothing,
    /// Each correct option selected earns `1 / correct options` of the
    /// points; each wrong option selected takes away `1 / wrong options`.
    /// The result is floored at zero, so selecting every option scores zero
    /// and no question scores below zero.
    Partial,
}

/// The kind-specific part of a question: its options or items and the key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionBody {
    /// One option is correct.
    SingleChoice {
        options: Vec<String>,
        correct: String,
    },
    /// One or more options are correct.
    MultipleChoice {
        options: Vec<String>,
        correct: BTreeSet<String>,
        scoring: MultipleChoiceScoring,
    },
    /// A statement that is true or false.
    TrueFalse { correct: bool },
    /// Each left-hand item has one correct right-hand item. `distractors`
    /// are extra right-hand items that match nothing. Each correctly matched
    /// left-hand item earns an equal share of the points.
    Matching {
        pairs: BTreeMap<String, String>,
        distractors: BTreeSet<String>,
    },
    /// Items to put in order; `correct` is the right order. Full points only
    /// for the exact order.
    Ordering { correct: Vec<String> },
    /// A number, correct when within `tolerance` (absolute, same unit) of
    /// `value`, bounds included.
    Numeric { value: f64, tolerance: f64 },
    /// A short text, correct when it equals one of `accepted` after
    /// [`normalise`]: case, accents, final sigma and extra spaces do not
    /// matter.
    ShortText { accepted: Vec<String> },
    /// A case vignette followed by sub-questions. The score is the sum of
    /// the sub-questions' scores. Sub-questions cannot be scenarios.
    Scenario { questions: Vec<Question> },
}

/// The kind of a question or an answer, without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    SingleChoice,
    MultipleChoice,
    TrueFalse,
    Matching,
    Ordering,
    Numeric,
    ShortText,
    Scenario,
}

impl QuestionKind {
    /// Returns the stable identifier stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::SingleChoice => "single_choice",
            QuestionKind::MultipleChoice => "multiple_choice",
            QuestionKind::TrueFalse => "true_false",
            QuestionKind::Matching => "matching",
            QuestionKind::Ordering => "ordering",
            QuestionKind::Numeric => "numeric",
            QuestionKind::ShortText => "short_text",
            QuestionKind::Scenario => "scenario",
        }
    }
}

/// A question of a question bank, valid by construction. Deserialising runs
/// the same checks as [`Question::new`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "QuestionRecord")]
pub struct Question {
    id: QuestionId,
    tags: BTreeSet<String>,
    points: Points,
    body: QuestionBody,
}

/// Rejection of a question definition.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuestionError {
    #[error("a question must be worth more than zero points")]
    NoPoints,
    #[error("a choice question needs at least two options")]
    TooFewOptions,
    #[error("the option `{0}` appears more than once")]
    DuplicateOption(String),
    #[error("an option or item id must not be empty")]
    EmptyId,
    #[error("the correct answer `{0}` is not one of the options")]
    CorrectNotAnOption(String),
    #[error("a multiple-choice question needs at least one correct option")]
    NoCorrectOption,
    #[error("a matching question needs at least two pairs")]
    TooFewPairs,
    #[error("the right-hand item `{0}` is both a match and a distractor")]
    DistractorIsAMatch(String),
    #[error("an ordering question needs at least two items")]
    TooFewItems,
    #[error("the item `{0}` appears more than once")]
    DuplicateItem(String),
    #[error("the numeric answer and its tolerance must be finite, and the tolerance not negative")]
    InvalidNumber,
    #[error("a short-text question needs at least one accepted answer that is not blank")]
    NoAcceptedText,
    #[error("a scenario needs at least one sub-question")]
    EmptyScenario,
    #[error("a scenario cannot contain another scenario")]
    NestedScenario,
    #[error("the sub-question `{0}` appears more than once in the scenario")]
    DuplicateSubQuestion(QuestionId),
}

impl Question {
    /// Builds a question. `points` is the value of the question; a scenario
    /// ignores it and is worth the sum of its sub-questions.
    ///
    /// # Errors
    ///
    /// A [`QuestionError`] naming the first problem found. The checks are:
    /// points above zero; enough options, items or pairs; option ids not
    /// empty and not repeated; correct answers among the options; finite
    /// numbers; an accepted text that is not blank; and a scenario that is
    /// not empty, not nested and has no repeated sub-question id.
    pub fn new(
        id: QuestionId,
        tags: impl IntoIterator<Item = String>,
        points: Points,
        body: QuestionBody,
    ) -> Result<Question, QuestionError> {
        let points = match &body {
            QuestionBody::Scenario { questions } => {
                check_scenario(questions)?;
                questions.iter().map(Question::max_points).sum()
            }
            other => {
                check_body(other)?;
                points
            }
        };
        if points == Points::ZERO {
            return Err(QuestionError::NoPoints);
        }

        Ok(Question {
            id,
            tags: tags.into_iter().collect(),
            points,
            body,
        })
    }

    pub fn id(&self) -> &QuestionId {
        &self.id
    }

    /// Returns the bank tags (topic, sector, module) used for random
    /// selection.
    pub fn tags(&self) -> &BTreeSet<String> {
        &self.tags
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.contains(tag)
    }

    /// Returns the points a fully correct answer earns.
    pub fn max_points(&self) -> Points {
        self.points
    }

    pub fn body(&self) -> &QuestionBody {
        &self.body
    }

    pub fn kind(&self) -> QuestionKind {
        match self.body {
            QuestionBody::SingleChoice { .. } => QuestionKind::SingleChoice,
            QuestionBody::MultipleChoice { .. } => QuestionKind::MultipleChoice,
            QuestionBody::TrueFalse { .. } => QuestionKind::TrueFalse,
            QuestionBody::Matching { .. } => QuestionKind::Matching,
            QuestionBody::Ordering { .. } => QuestionKind::Ordering,
            QuestionBody::Numeric { .. } => QuestionKind::Numeric,
            QuestionBody::ShortText { .. } => QuestionKind::ShortText,
            QuestionBody::Scenario { .. } => QuestionKind::Scenario,
        }
    }

    /// Grades `answer` against this question.
    ///
    /// # Errors
    ///
    /// [`AnswerError::WrongKind`] when the answer is for another kind of
    /// question; [`AnswerError::UnknownOption`] and its siblings when the
    /// answer names an option, item or sub-question the question does not
    /// have; [`AnswerError::NotANumber`] for a numeric answer that is not
    /// finite. A wrong but well-formed answer is not an error: it scores
    /// zero.
    pub fn grade(&self, answer: &Answer) -> Result<GradedAnswer, AnswerError> {
        let (earned, parts) = match (&self.body, answer) {
            (QuestionBody::SingleChoice { options, correct }, Answer::SingleChoice(chosen)) => {
                check_option(options, chosen)?;
                (credit_if(chosen == correct, self.points), Vec::new())
            }
            (
                QuestionBody::MultipleChoice {
                    options,
                    correct,
                    scoring,
                },
                Answer::MultipleChoice(chosen),
            ) => {
                for option in chosen {
                    check_option(options, option)?;
                }
                let earned = match scoring {
                    MultipleChoiceScoring::AllOrNothing => {
                        credit_if(chosen == correct, self.points)
                    }
                    MultipleChoiceScoring::Partial => {
                        partial_choice_credit(self.points, options.len(), correct, chosen)
                    }
                };
                (earned, Vec::new())
            }
            (QuestionBody::TrueFalse { correct }, Answer::TrueFalse(chosen)) => {
                (credit_if(chosen == correct, self.points), Vec::new())
            }
            (QuestionBody::Matching { pairs, distractors }, Answer::Matching(matched)) => {
                let mut right_items = 0u64;
                for (left, right) in matched {
                    if !pairs.contains_key(left) {
                        return Err(AnswerError::UnknownItem(left.clone()));
                    }
                    if !distractors.contains(right) && !pairs.values().any(|item| item == right) {
                        return Err(AnswerError::UnknownItem(right.clone()));
                    }
                    if pairs.get(left) == Some(right) {
                        right_items += 1;
                    }
                }
                (
                    self.points.fraction(right_items, pairs.len() as u64),
                    Vec::new(),
                )
            }
            (QuestionBody::Ordering { correct }, Answer::Ordering(order)) => {
                check_permutation(correct, order)?;
                (credit_if(order == correct, self.points), Vec::new())
            }
            (QuestionBody::Numeric { value, tolerance }, Answer::Numeric(given)) => {
                if !given.is_finite() {
                    return Err(AnswerError::NotANumber);
                }
                (
                    credit_if((given - value).abs() <= *tolerance, self.points),
                    Vec::new(),
                )
            }
            (QuestionBody::ShortText { accepted }, Answer::ShortText(given)) => {
                let given = normalise(given);
                let right =
                    !given.is_empty() && accepted.iter().any(|text| normalise(text) == given);
                (credit_if(right, self.points), Vec::new())
            }
            (QuestionBody::Scenario { questions }, Answer::Scenario(answers)) => {
                for id in answers.keys() {
                    if !questions.iter().any(|question| question.id() == id) {
                        return Err(AnswerError::UnknownSubQuestion(id.clone()));
                    }
                }
                let parts = questions
                    .iter()
                    .map(|question| match answers.get(question.id()) {
                        Some(answer) => question.grade(answer),
                        None => Ok(question.unanswered()),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                (parts.iter().map(|part| part.points).sum(), parts)
            }
            _ => {
                return Err(AnswerError::WrongKind {
                    expected: self.kind(),
                    found: answer.kind(),
                });
            }
        };

        Ok(GradedAnswer {
            question: self.id.clone(),
            points: earned,
            max_points: self.points,
            outcome: Outcome::from_points(earned, self.points),
            parts,
        })
    }

    /// Returns the grade of a question left without an answer: zero points
    /// and [`Outcome::Unanswered`]. A scenario lists its sub-questions as
    /// unanswered too.
    pub fn unanswered(&self) -> GradedAnswer {
        let parts = match &self.body {
            QuestionBody::Scenario { questions } => {
                questions.iter().map(Question::unanswered).collect()
            }
            _ => Vec::new(),
        };
        GradedAnswer {
            question: self.id.clone(),
            points: Points::ZERO,
            max_points: self.points,
            outcome: Outcome::Unanswered,
            parts,
        }
    }
}

/// The serialised form of a question before its checks.
#[derive(Deserialize)]
struct QuestionRecord {
    id: QuestionId,
    tags: BTreeSet<String>,
    points: Points,
    body: QuestionBody,
}

impl TryFrom<QuestionRecord> for Question {
    type Error = QuestionError;

    fn try_from(record: QuestionRecord) -> Result<Question, QuestionError> {
        Question::new(record.id, record.tags, record.points, record.body)
    }
}

fn check_body(body: &QuestionBody) -> Result<(), QuestionError> {
    match body {
        QuestionBody::SingleChoice { options, correct } => {
            check_options(options)?;
            if !options.contains(correct) {
                return Err(QuestionError::CorrectNotAnOption(correct.clone()));
            }
        }
        QuestionBody::MultipleChoice {
            options, correct, ..
        } => {
            check_options(options)?;
            if correct.is_empty() {
                return Err(QuestionError::NoCorrectOption);
            }
            if let Some(stray) = correct.iter().find(|option| !options.contains(option)) {
                return Err(QuestionError::CorrectNotAnOption(stray.clone()));
            }
        }
        QuestionBody::TrueFalse { .. } => {}
        QuestionBody::Matching { pairs, distractors } => {
            if pairs.len() < 2 {
                return Err(QuestionError::TooFewPairs);
            }
            let mut right_items = BTreeSet::new();
            for (left, right) in pairs {
                if left.is_empty() || right.is_empty() {
                    return Err(QuestionError::EmptyId);
                }
                // Two left items may share a right item, so repeated right
                // items are allowed; a distractor must not be a match.
                right_items.insert(right);
            }
            if let Some(clash) = distractors.iter().find(|item| right_items.contains(item)) {
                return Err(QuestionError::DistractorIsAMatch(clash.clone()));
            }
            if distractors.iter().any(String::is_empty) {
                return Err(QuestionError::EmptyId);
            }
        }
        QuestionBody::Ordering { correct } => {
            if correct.len() < 2 {
                return Err(QuestionError::TooFewItems);
            }
            let mut seen = BTreeSet::new();
            for item in correct {
                if item.is_empty() {
                    return Err(QuestionError::EmptyId);
                }
                if !seen.insert(item) {
                    return Err(QuestionError::DuplicateItem(item.clone()));
                }
            }
        }
        QuestionBody::Numeric { value, tolerance } => {
            if !value.is_finite() || !tolerance.is_finite() || *tolerance < 0.0 {
                return Err(QuestionError::InvalidNumber);
            }
        }
        QuestionBody::ShortText { accepted } => {
            if !accepted.iter().any(|text| !normalise(text).is_empty()) {
                return Err(QuestionError::NoAcceptedText);
            }
        }
        QuestionBody::Scenario { questions } => check_scenario(questions)?,
    }
    Ok(())
}

fn check_options(options: &[String]) -> Result<(), QuestionError> {
    if options.len() < 2 {
        return Err(QuestionError::TooFewOptions);
    }
    let mut seen = BTreeSet::new();
    for option in options {
        if option.is_empty() {
            return Err(QuestionError::EmptyId);
        }
        if !seen.insert(option) {
            return Err(QuestionError::DuplicateOption(option.clone()));
        }
    }
    Ok(())
}

fn check_scenario(questions: &[Question]) -> Result<(), QuestionError> {
    if questions.is_empty() {
        return Err(QuestionError::EmptyScenario);
    }
    let mut seen = BTreeSet::new();
    for question in questions {
        if question.kind() == QuestionKind::Scenario {
            return Err(QuestionError::NestedScenario);
        }
        if !seen.insert(question.id()) {
            return Err(QuestionError::DuplicateSubQuestion(question.id().clone()));
        }
    }
    Ok(())
}

fn check_option(options: &[String], chosen: &str) -> Result<(), AnswerError> {
    if options.iter().any(|option| option == chosen) {
        Ok(())
    } else {
        Err(AnswerError::UnknownOption(chosen.to_owned()))
    }
}

fn check_permutation(correct: &[String], order: &[String]) -> Result<(), AnswerError> {
    for item in order {
        if !correct.contains(item) {
            return Err(AnswerError::UnknownItem(item.clone()));
        }
    }
    let distinct: BTreeSet<&String> = order.iter().collect();
    if order.len() != correct.len() || distinct.len() != correct.len() {
        return Err(AnswerError::NotAPermutation);
    }
    Ok(())
}

fn credit_if(right: bool, points: Points) -> Points {
    if right { points } else { Points::ZERO }
}

/// Partial credit for a multiple-choice selection, computed exactly over the
/// common denominator `correct × wrong` before rounding down once.
fn partial_choice_credit(
    points: Points,
    option_count: usize,
    correct: &BTreeSet<String>,
    chosen: &BTreeSet<String>,
) -> Points {
    let correct_count = correct.len() as u64;
    let wrong_count = (option_count - correct.len()) as u64;
    let right_chosen = chosen.intersection(correct).count() as u64;
    let wrong_chosen = chosen.len() as u64 - right_chosen;

    // credit = right_chosen / correct_count - wrong_chosen / wrong_count,
    // and with no wrong options there is nothing to subtract.
    let denominator = correct_count * wrong_count.max(1);
    let gained = right_chosen * wrong_count.max(1);
    let lost = wrong_chosen * correct_count;
    points.fraction(gained.saturating_sub(lost), denominator)
}

/// A trainee's answer to one question, typed by kind. Option, item and
/// sub-question ids are the ids of the question's definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Answer {
    SingleChoice(String),
    /// The selected options; an empty set is a valid (wrong) answer.
    MultipleChoice(BTreeSet<String>),
    TrueFalse(bool),
    /// Left-hand item to chosen right-hand item. Left items not in the map
    /// count as not matched.
    Matching(BTreeMap<String, String>),
    /// Every item, each once, in the order the trainee put them.
    Ordering(Vec<String>),
    Numeric(f64),
    ShortText(String),
    /// Sub-question id to answer. Sub-questions not in the map score zero.
    Scenario(BTreeMap<QuestionId, Answer>),
}

impl Answer {
    pub fn kind(&self) -> QuestionKind {
        match self {
            Answer::SingleChoice(_) => QuestionKind::SingleChoice,
            Answer::MultipleChoice(_) => QuestionKind::MultipleChoice,
            Answer::TrueFalse(_) => QuestionKind::TrueFalse,
            Answer::Matching(_) => QuestionKind::Matching,
            Answer::Ordering(_) => QuestionKind::Ordering,
            Answer::Numeric(_) => QuestionKind::Numeric,
            Answer::ShortText(_) => QuestionKind::ShortText,
            Answer::Scenario(_) => QuestionKind::Scenario,
        }
    }
}

/// Rejection of a malformed answer: one that could not have come from the
/// question's own form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("the answer is for a {} question but the question is {}", found.as_str(), expected.as_str())]
    WrongKind {
        expected: QuestionKind,
        found: QuestionKind,
    },
    #[error("the option `{0}` is not one of the question's options")]
    UnknownOption(String),
    #[error("the item `{0}` is not one of the question's items")]
    UnknownItem(String),
    #[error("an ordering answer must list every item exactly once")]
    NotAPermutation,
    #[error("the numeric answer is not a finite number")]
    NotANumber,
    #[error("the scenario has no sub-question `{0}`")]
    UnknownSubQuestion(QuestionId),
}

/// The result class of a graded answer, which selects the feedback shown
/// with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Full points.
    Correct,
    /// Some but not all points.
    PartiallyCorrect,
    /// Zero points for a given answer.
    Incorrect,
    /// No answer was given.
    Unanswered,
}

impl Outcome {
    fn from_points(earned: Points, max: Points) -> Outcome {
        if earned == max {
            Outcome::Correct
        } else if earned == Points::ZERO {
            Outcome::Incorrect
        } else {
            Outcome::PartiallyCorrect
        }
    }

    /// Returns the stable identifier under which a question's own feedback
    /// text is stored, one per outcome.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Correct => "correct",
            Outcome::PartiallyCorrect => "partially_correct",
            Outcome::Incorrect => "incorrect",
            Outcome::Unanswered => "unanswered",
        }
    }

    /// Returns the Fluent key of the general feedback line for this outcome,
    /// shown when the question has no feedback text of its own.
    pub fn feedback_key(self) -> &'static str {
        match self {
            Outcome::Correct => "training-feedback-correct",
            Outcome::PartiallyCorrect => "training-feedback-partially-correct",
            Outcome::Incorrect => "training-feedback-incorrect",
            Outcome::Unanswered => "training-feedback-unanswered",
        }
    }
}

/// The grade of one answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GradedAnswer {
    pub question: QuestionId,
    /// Points earned, never above `max_points`.
    pub points: Points,
    pub max_points: Points,
    pub outcome: Outcome,
    /// The sub-questions' grades of a scenario, in the scenario's order;
    /// empty for other kinds.
    pub parts: Vec<GradedAnswer>,
}

impl GradedAnswer {
    /// Returns the Fluent key of the general feedback for this answer.
    pub fn feedback_key(&self) -> &'static str {
        self.outcome.feedback_key()
    }
}

#[cfg(test)]
mod tests;
