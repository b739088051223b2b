//! The HTCDS side of an export: the entity files of an HTCDS archive and
//! the HTCDS picklist value written for each Procap code. The values are
//! taken from the same tables the reader uses, so a written file reads
//! back to the same codes wherever HTCDS has a value for the code.
//!
//! Where HTCDS has no value of its own the nearest one is written and the
//! code comes back as Procap's `other`: exploitation as forced
//! criminality, control by restricting movement or using children, the
//! industries begging, peddling, aquafarming and illicit activities, and
//! a trafficker who was an intimate partner or friend (`Acquainted`).

use procap_domain::case::vocab::{
    ClosureReason, ExploitationType, ForcedLabourIndustry, MeansOfControl, NrmStatus,
    RecruitmentMethod, Sex, TraffickerRelationship,
};

use super::fields;

/// The organisations whose cases the archive holds (`org_…`).
pub const ORGANISATIONS_FILE: &str = "org_organisations.csv";
/// One row per person (`prs_…`), linked by the case code.
pub const PERSONS_FILE: &str = "prs_persons.csv";
/// One row per person's victim context (`vic_…`).
pub const VICTIMS_FILE: &str = "vic_victims.csv";
/// One row per case (`cas_…`) with its intake referral.
pub const CASES_FILE: &str = "cas_cases.csv";
/// One row per country of a historic trafficking event (`hte_…`).
pub const EVENTS_FILE: &str = "hte_events.csv";

/// The HTCDS field names the writer uses, in the reader's spelling.
pub mod field {
    pub use super::fields::{
        BIRTHDATE, CASE_STATUS, CITIZENSHIP, CLOSED_ON, CLOSURE_REASON, EVENT_COUNTRY, EVENT_TYPE,
        FIRST_NAME, FORCED_LABOUR_INDUSTRY, GENDER, LEGAL_STATUS, METHOD_OF_RECRUITMENT,
        METHODS_OF_CONTROL, PRIMARY_LANGUAGE, REFERRAL_DATE, REFERRAL_DETAILS, REFERRAL_SOURCE,
        REFERRING_CASE_WORKER, REFERRING_ORGANISATION, REGION, RELATIONSHIP_TO_TRAFFICKER,
        SECOND_NAME, SECONDARY_LANGUAGE, SETTING, TRAFFICKING_STATUS, TYPE_OF_EXPLOITATION,
    };
    /// `org_Name`.
    pub const ORGANISATION_NAME: &str = "org_Name";
}

fn first_name_of<T: Copy + PartialEq>(
    table: &[(&'static str, T)],
    code: T,
) -> Option<&'static str> {
    table
        .iter()
        .find(|(_, mapped)| *mapped == code)
        .map(|(name, _)| *name)
}

/// `prs_Gender` for a sex and the gender identity kept from HTCDS.
pub fn gender(sex: Sex, gender_identity: Option<&str>) -> &'static str {
    if let Some(identity) = gender_identity
        && let Some((name, _, _)) = fields::GENDERS
            .iter()
            .find(|(name, _, keep)| *keep && name.eq_ignore_ascii_case(identity))
    {
        return name;
    }
    match sex {
        Sex::Female => "Feminine",
        Sex::Male => "Masculine",
        Sex::Other => "NonConforming",
        Sex::Unknown => "NonSpecifiedUnknown",
    }
}

/// `vic_TypeOfExploitation` value.
pub fn exploitation(code: ExploitationType) -> &'static str {
    first_name_of(&fields::EXPLOITATION, code).unwrap_or("Other")
}

/// `vic_MethodsOfControl` value.
pub fn control(code: MeansOfControl) -> &'static str {
    first_name_of(&fields::CONTROL, code).unwrap_or("Other")
}

/// `vic_ForcedLabourIndustry` value.
pub fn industry(code: ForcedLabourIndustry) -> &'static str {
    first_name_of(&fields::INDUSTRY, code).unwrap_or("S_OtherServiceActivities")
}

/// `vic_RelationshipToTrafficker` value; `None` when unknown.
pub fn relationship(code: TraffickerRelationship) -> Option<&'static str> {
    match code {
        TraffickerRelationship::Family => Some("Familial"),
        TraffickerRelationship::Unknown => None,
        TraffickerRelationship::IntimatePartner
        | TraffickerRelationship::Friend
        | TraffickerRelationship::Other => Some("Acquainted"),
    }
}

/// `vic_MethodOfRecruitment` value; `None` when unknown.
pub fn recruitment(code: RecruitmentMethod) -> Option<&'static str> {
    match code {
        RecruitmentMethod::Unknown => None,
        other => Some(first_name_of(&fields::RECRUITMENT, other).unwrap_or("Other")),
    }
}

/// `vic_TraffickingStatus` value; `None` before an NRM decision.
pub fn trafficking_status(code: NrmStatus) -> Option<&'static str> {
    first_name_of(&fields::TRAFFICKING, code)
}

/// `cas_Status`: `Active` for an open case, `ClosedReferred` for one
/// closed by referral elsewhere, `Closed` otherwise.
pub fn case_status(closure: Option<ClosureReason>, closed: bool) -> &'static str {
    match (closed, closure) {
        (false, _) => "Active",
        (true, Some(ClosureReason::ReferredElsewhere)) => "ClosedReferred",
        (true, _) => "Closed",
    }
}

/// `hte_Type` values of the three country lists of a case, in the order
/// recruitment, transit, exploitation.
pub const EVENT_TYPES: [&str; 3] = ["Recruitment", "Transit", "Exploitation"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_value_reads_back() {
        for code in ExploitationType::ALL {
            let name = exploitation(*code);
            assert!(fields::lookup(&fields::EXPLOITATION, name).is_some());
        }
        for code in MeansOfControl::ALL {
            assert!(fields::lookup(&fields::CONTROL, control(*code)).is_some());
        }
        for code in ForcedLabourIndustry::ALL {
            assert!(fields::lookup(&fields::INDUSTRY, industry(*code)).is_some());
        }
        for code in RecruitmentMethod::ALL {
            if let Some(name) = recruitment(*code) {
                assert!(fields::lookup(&fields::RECRUITMENT, name).is_some());
            }
        }
    }

    #[test]
    fn codes_with_an_htcds_value_round_trip() {
        for (name, code) in fields::EXPLOITATION {
            let written = exploitation(code);
            assert_eq!(
                fields::lookup(&fields::EXPLOITATION, written),
                Some(code),
                "{name}"
            );
        }
        for (name, code) in fields::CONTROL {
            let written = control(code);
            assert_eq!(
                fields::lookup(&fields::CONTROL, written),
                Some(code),
                "{name}"
            );
        }
        for (name, code) in fields::TRAFFICKING {
            let written = trafficking_status(code).unwrap();
            assert_eq!(
                fields::lookup(&fields::TRAFFICKING, written),
                Some(code),
                "{name}"
            );
        }
    }
}
