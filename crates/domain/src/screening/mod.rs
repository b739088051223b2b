//! Screening with the ILO / European Commission operational indicators of
//! trafficking in human beings (2009): the four indicator lists, the rule that
//! makes a dimension positive, and the rule that combines dimensions.
//!
//! The outcome is screening guidance for a caseworker, never an
//! identification: only the public prosecutor formally identifies a victim.

mod assess;
mod catalogue;
#[cfg(test)]
mod tests;

pub use assess::{
    DimensionResult, ScreeningError, ScreeningInput, ScreeningResult, assess, dimension_positive,
};
pub use catalogue::{Indicator, IndicatorList, indicator_list};

use serde::{Deserialize, Serialize};

/// Whether the person screened is an adult or a child (under 18). The
/// indicator lists and the combination rule differ between the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeGroup {
    Adult,
    Child,
}

impl AgeGroup {
    pub const ALL: [AgeGroup; 2] = [AgeGroup::Adult, AgeGroup::Child];

    /// Returns the stable identifier stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            AgeGroup::Adult => "adult",
            AgeGroup::Child => "child",
        }
    }

    /// Parses the stored identifier, returning `None` for anything else.
    pub fn parse(value: &str) -> Option<AgeGroup> {
        AgeGroup::ALL.into_iter().find(|age| age.as_str() == value)
    }
}

/// The form of exploitation the screening looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExploitationForm {
    Labour,
    Sexual,
}

impl ExploitationForm {
    pub const ALL: [ExploitationForm; 2] = [ExploitationForm::Labour, ExploitationForm::Sexual];

    /// Returns the stable identifier stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ExploitationForm::Labour => "labour",
            ExploitationForm::Sexual => "sexual",
        }
    }

    /// Parses the stored identifier, returning `None` for anything else.
    pub fn parse(value: &str) -> Option<ExploitationForm> {
        ExploitationForm::ALL
            .into_iter()
            .find(|form| form.as_str() == value)
    }
}

/// One of the six elements of the trafficking definition that every list is
/// organised by: three recruitment dimensions (the means used to recruit),
/// the exploitation itself, and two dimensions of control at destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    DeceptiveRecruitment,
    CoerciveRecruitment,
    RecruitmentByAbuseOfVulnerability,
    ExploitativeConditions,
    CoercionAtDestination,
    AbuseOfVulnerabilityAtDestination,
}

impl Dimension {
    /// Every dimension, in the order the publication presents them.
    pub const ALL: [Dimension; 6] = [
        Dimension::DeceptiveRecruitment,
        Dimension::CoerciveRecruitment,
        Dimension::RecruitmentByAbuseOfVulnerability,
        Dimension::ExploitativeConditions,
        Dimension::CoercionAtDestination,
        Dimension::AbuseOfVulnerabilityAtDestination,
    ];

    /// Returns the stable identifier stored in the database and used inside
    /// indicator ids.
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::DeceptiveRecruitment => "deceptive_recruitment",
            Dimension::CoerciveRecruitment => "coercive_recruitment",
            Dimension::RecruitmentByAbuseOfVulnerability => "recruitment_by_abuse_of_vulnerability",
            Dimension::ExploitativeConditions => "exploitative_conditions",
            Dimension::CoercionAtDestination => "coercion_at_destination",
            Dimension::AbuseOfVulnerabilityAtDestination => "abuse_of_vulnerability_at_destination",
        }
    }

    /// Parses the stored identifier, returning `None` for anything else.
    pub fn parse(value: &str) -> Option<Dimension> {
        Dimension::ALL
            .into_iter()
            .find(|dimension| dimension.as_str() == value)
    }

    /// True for the three dimensions about how the person was recruited.
    pub fn is_recruitment(self) -> bool {
        matches!(
            self,
            Dimension::DeceptiveRecruitment
                | Dimension::CoerciveRecruitment
                | Dimension::RecruitmentByAbuseOfVulnerability
        )
    }

    /// True for the two dimensions about control at destination.
    pub fn is_destination(self) -> bool {
        matches!(
            self,
            Dimension::CoercionAtDestination | Dimension::AbuseOfVulnerabilityAtDestination
        )
    }
}

/// The grade of an indicator within one list. The same indicator can carry
/// different grades in different lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    Strong,
    Medium,
    Weak,
}

impl Strength {
    pub const ALL: [Strength; 3] = [Strength::Strong, Strength::Medium, Strength::Weak];

    /// Returns the stable identifier stored in the database and in the data
    /// file.
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Strong => "strong",
            Strength::Medium => "medium",
            Strength::Weak => "weak",
        }
    }

    /// Parses the stored identifier, returning `None` for anything else.
    pub fn parse(value: &str) -> Option<Strength> {
        Strength::ALL
            .into_iter()
            .find(|strength| strength.as_str() == value)
    }
}
