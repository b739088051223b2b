//! Identifiers of training records. The store keeps every id as text, a
//! UUID in practice. The domain only compares ids, so each is a thin wrapper
//! that keeps a lesson id from being passed where a quiz id belongs.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an id the store issued.
            pub fn new(id: impl Into<String>) -> $name {
                $name(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> $name {
                $name(id.to_owned())
            }
        }
    };
}

text_id!(
    /// Id of a course.
    CourseId
);
text_id!(
    /// Id of a lesson within a course.
    LessonId
);
text_id!(
    /// Id of a quiz, including a course's pre-test and post-test.
    QuizId
);
text_id!(
    /// Id of a question in a question bank, or of a sub-question of a
    /// scenario.
    QuestionId
);
text_id!(
    /// Id of a trainee (the user account of a person being trained).
    TraineeId
);
