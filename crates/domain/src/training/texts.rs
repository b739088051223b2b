//! The wording of a question in Greek and English. Grading never looks at
//! it: the store keeps it beside the question's definition as JSON, and the
//! quiz page and the content import read and write it through these types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::locale::Locale;

/// What a question says in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionWording {
    /// The question itself; for a scenario, the case vignette.
    pub prompt: String,
    /// The label of each option or item id the definition names: choice
    /// options, ordering items, and both sides of a matching question.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Feedback per outcome, keyed by
    /// [`Outcome::as_str`](super::question::Outcome::as_str). An outcome
    /// without its own text gets the general line of its Fluent key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub feedback: BTreeMap<String, String>,
    /// The wording of each sub-question of a scenario, by sub-question id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parts: BTreeMap<String, QuestionWording>,
}

/// A question's wording in both languages of the interface.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionTexts {
    pub el: QuestionWording,
    pub en: QuestionWording,
}

impl QuestionTexts {
    /// Returns the wording in `locale`.
    pub fn wording(&self, locale: Locale) -> &QuestionWording {
        match locale {
            Locale::El => &self.el,
            Locale::En => &self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_maps_are_left_out_of_the_json_and_read_back_as_empty() {
        let texts = QuestionTexts {
            el: QuestionWording {
                prompt: "Ερώτηση".into(),
                ..QuestionWording::default()
            },
            en: QuestionWording {
                prompt: "Question".into(),
                ..QuestionWording::default()
            },
        };
        let json = serde_json::to_string(&texts).unwrap();
        assert_eq!(
            json,
            r#"{"el":{"prompt":"Ερώτηση"},"en":{"prompt":"Question"}}"#
        );
        let back: QuestionTexts = serde_json::from_str(&json).unwrap();
        assert_eq!(back, texts);
        assert_eq!(back.wording(Locale::En).prompt, "Question");
    }
}
