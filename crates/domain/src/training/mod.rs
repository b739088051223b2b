//! Training: the rules of courses, quizzes, tests, completion, certificates,
//! evaluation and in-person sessions. Everything here is a pure calculation
//! over values the store has loaded. Nothing reads a clock or a random
//! source on its own, so callers pass the current time and random bytes in.
//!
//! - [`question`]: question kinds, typed answers and grading.
//! - [`quiz`]: pass mark, time limit, attempts limit and random selection of
//!   questions from a bank.
//! - [`gain`]: normalised learning gain from a pre-test and a post-test.
//! - [`completion`]: course completion rules and prerequisites between
//!   courses.
//! - [`certificate`]: certificate verification codes.
//! - [`evaluation`]: Likert answers and the two AMIF result indicators.
//! - [`session`]: session capacity and the waiting list.
//! - [`scorm`]: the SCORM 1.2 run-time values Procap stores.
//! - [`xapi`]: learning events as xAPI statements.
//! - [`QuestionTexts`]: a question's wording in Greek and English.

pub mod certificate;
pub mod completion;
pub mod evaluation;
pub mod gain;
mod ids;
mod points;
pub mod question;
pub mod quiz;
mod rng;
pub mod scorm;
pub mod session;
mod texts;
pub mod xapi;

pub use ids::{CourseId, LessonId, QuestionId, QuizId, TraineeId};
pub use points::Points;
pub use texts::{QuestionTexts, QuestionWording};
