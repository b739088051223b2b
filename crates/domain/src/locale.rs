//! The interface languages. Greek is the default everywhere.

use serde::{Deserialize, Serialize};

/// A supported interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    El,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::El, Locale::En];

    /// The BCP 47 tag, also stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::El => "el",
            Locale::En => "en",
        }
    }

    /// Parses a stored tag or a query parameter; `None` for unsupported tags.
    pub fn parse(value: &str) -> Option<Locale> {
        match value.trim().to_ascii_lowercase().as_str() {
            "el" | "el-gr" => Some(Locale::El),
            "en" | "en-gb" | "en-us" => Some(Locale::En),
            _ => None,
        }
    }

    /// The other language, for the switch in the page header.
    pub fn other(self) -> Locale {
        match self {
            Locale::El => Locale::En,
            Locale::En => Locale::El,
        }
    }
}
