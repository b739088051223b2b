//! The HTCDS 2.0 field list Procap ships, the columns Procap reads, and the
//! tables that map HTCDS picklist values to Procap's vocabulary codes.
//! Picklist values are matched without regard to case.

use std::collections::HashSet;
use std::sync::OnceLock;

use procap_domain::case::vocab::{
    ExploitationType, ForcedLabourIndustry, MeansOfControl, NrmStatus, RecruitmentMethod,
    TraffickerRelationship,
};

/// The field list of the Human Trafficking Case Data Standard 2.0 (IOM,
/// CC BY 4.0), one row per field; see `data/README.md`.
const FIELD_LIST_CSV: &str = include_str!("../../data/htcds_fields_2.0.csv");

/// Prefixes of HTCDS field names.
pub(super) const HTCDS_PREFIXES: [&str; 9] = [
    "org_", "prs_", "vic_", "per_", "cas_", "cco_", "hte_", "spl_", "con_",
];

/// Prefix of the columns Procap adds for what HTCDS does not hold.
pub const PROCAP_PREFIX: &str = "procap_";

pub const FIRST_NAME: &str = "prs_FirstName";
pub const MIDDLE_NAME: &str = "prs_MiddleName";
pub const SECOND_NAME: &str = "prs_SecondName";
pub const BIRTHDATE: &str = "prs_Birthdate";
pub const GENDER: &str = "prs_Gender";
pub const CITIZENSHIP: &str = "prs_Citizenship";
pub const PRIMARY_LANGUAGE: &str = "prs_PrimaryLanguage";
pub const SECONDARY_LANGUAGE: &str = "prs_SecondaryLanguage";
pub const IDENTITY_NUMBER: &str = "prs_IdentityNumber";
/// Contact columns, joined into the encrypted contact text in this order.
pub(super) const CONTACT_COLUMNS: [&str; 8] = [
    "prs_Email",
    "prs_MobilePhone",
    "prs_HomePhone",
    "prs_MailingStreet",
    "prs_MailingCity",
    "prs_MailingPostalCode",
    "prs_MailingState",
    "prs_MailingCountry",
];
pub const TRAFFICKING_STATUS: &str = "vic_TraffickingStatus";
pub const TYPE_OF_EXPLOITATION: &str = "vic_TypeOfExploitation";
pub const METHODS_OF_CONTROL: &str = "vic_MethodsOfControl";
pub const FORCED_LABOUR_INDUSTRY: &str = "vic_ForcedLabourIndustry";
pub const RELATIONSHIP_TO_TRAFFICKER: &str = "vic_RelationshipToTrafficker";
pub const METHOD_OF_RECRUITMENT: &str = "vic_MethodOfRecruitment";
pub const CASE_STATUS: &str = "cas_Status";
pub const REFERRAL_DATE: &str = "cas_IncomingReferralDate";
pub const REFERRING_ORGANISATION: &str = "cas_ReferringOrganisation";
pub const REFERRING_CASE_WORKER: &str = "cas_ReferringPrimaryCaseWorker";
pub const REFERRAL_REASON: &str = "cas_ReasonForIncomingReferral";
pub const REFERRAL_DETAILS: &str = "cas_IncomingReferralDetails";
pub const EVENT_COUNTRY: &str = "hte_Country";
pub const EVENT_TYPE: &str = "hte_Type";
pub const REGION: &str = "procap_Region";
pub const SETTING: &str = "procap_Setting";
pub const LEGAL_STATUS: &str = "procap_LegalStatus";
pub const REFERRAL_SOURCE: &str = "procap_ReferralSource";
pub const CLOSED_ON: &str = "procap_ClosedOn";
pub const CLOSURE_REASON: &str = "procap_ClosureReason";
/// The pseudonymous case code that links the entity files of an archive.
pub const CASE_CODE: &str = "procap_CaseCode";
/// Contact details as Procap holds them: free text, one item per line.
pub const CONTACT: &str = "procap_Contact";
/// The age bracket, read when the file gives no birth date.
pub const AGE_BRACKET: &str = "procap_AgeBracket";

/// Columns every file must have.
pub(super) const REQUIRED_COLUMNS: [&str; 2] = [FIRST_NAME, REFERRAL_DATE];

/// The Procap columns a file may carry.
pub(super) const PROCAP_COLUMNS: [&str; 9] = [
    CASE_CODE,
    CONTACT,
    AGE_BRACKET,
    REGION,
    SETTING,
    LEGAL_STATUS,
    REFERRAL_SOURCE,
    CLOSED_ON,
    CLOSURE_REASON,
];

/// Other spellings of field names found in IOM's own survey and
/// spreadsheet templates, with the standard name each stands for.
pub(super) const ALIASES: [(&str, &str); 4] = [
    ("prs_First_Name", FIRST_NAME),
    ("prs_Second_Name", SECOND_NAME),
    ("vic_Methods_of_Control", METHODS_OF_CONTROL),
    (
        "vic_TraffickinStatusDecisionMakingOrg",
        "vic_TraffickingStatusDecisionMakingOrg",
    ),
];

/// Returns every prefixed field name of the shipped HTCDS field list.
pub fn htcds_field_names() -> &'static HashSet<String> {
    static NAMES: OnceLock<HashSet<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut reader = csv::Reader::from_reader(FIELD_LIST_CSV.as_bytes());
        let headers = reader
            .headers()
            .expect("the shipped HTCDS field list has a header")
            .clone();
        let position = headers
            .iter()
            .position(|name| name == "Field Name including Prefix")
            .expect("the shipped HTCDS field list names its prefixed fields");
        reader
            .records()
            .map(|record| record.expect("the shipped HTCDS field list is valid CSV"))
            .filter_map(|record| record.get(position).map(|name| name.trim().to_owned()))
            .filter(|name| !name.is_empty())
            .collect()
    })
}

/// Returns the standard name of a header cell: the name itself, the name an
/// alias stands for, or `None` when the column is neither an HTCDS field nor
/// a Procap column but carries one of their prefixes (a misspelt field).
/// Columns without such a prefix are returned as they are and ignored.
pub(super) fn standard_name(header: &str) -> Option<&str> {
    if let Some((_, standard)) = ALIASES.iter().find(|(alias, _)| *alias == header) {
        return Some(standard);
    }
    if header.starts_with(PROCAP_PREFIX) {
        return PROCAP_COLUMNS.iter().copied().find(|name| *name == header);
    }
    if HTCDS_PREFIXES
        .iter()
        .any(|prefix| header.starts_with(prefix))
        && !htcds_field_names().contains(header)
    {
        return None;
    }
    Some(header)
}

/// `vic_TypeOfExploitation`. Several HTCDS types have no Procap type of
/// their own and count as the nearest one: child labour as forced labour,
/// servitude as slavery and similar practices, forced adoption and
/// surrogacy as other.
pub(super) const EXPLOITATION: [(&str, ExploitationType); 11] = [
    ("ForcedLabour", ExploitationType::ForcedLabour),
    ("SexualExploitation", ExploitationType::SexualExploitation),
    ("ChildLabour", ExploitationType::ForcedLabour),
    ("ForcedMarriage", ExploitationType::ForcedMarriage),
    ("Servitude", ExploitationType::SlaveryPractices),
    (
        "ForcedMilitaryByNonStateActors",
        ExploitationType::ForcedMilitary,
    ),
    ("OrganRemoval", ExploitationType::OrganRemoval),
    ("ForcedBegging", ExploitationType::ForcedBegging),
    ("ForcedAdoption", ExploitationType::Other),
    ("Surrogacy", ExploitationType::Other),
    ("Other", ExploitationType::Other),
];

/// `vic_MethodsOfControl`. Threats against the person and against their
/// children or family are both threats.
pub(super) const CONTROL: [(&str, MeansOfControl); 16] = [
    ("PhysicalThreats", MeansOfControl::Threats),
    (
        "ThreatsLawEnforcement",
        MeansOfControl::ThreatOfLawEnforcement,
    ),
    ("ThreatensChildrenFamily", MeansOfControl::Threats),
    ("DebtBondage", MeansOfControl::DebtBondage),
    ("FalsePromises", MeansOfControl::FalsePromises),
    ("PhysicalAbuse", MeansOfControl::PhysicalAbuse),
    ("SexualAbuse", MeansOfControl::SexualAbuse),
    ("TakesEarnings", MeansOfControl::TakesEarnings),
    (
        "RestrictsFinancialAccess",
        MeansOfControl::RestrictsFinancialAccess,
    ),
    ("RestrictsMedicalCare", MeansOfControl::RestrictsMedicalCare),
    ("WithholdsNecessities", MeansOfControl::WithholdsNecessities),
    ("PsychologicalAbuse", MeansOfControl::PsychologicalAbuse),
    (
        "PsychoactiveSubstance",
        MeansOfControl::PsychoactiveSubstances,
    ),
    (
        "ExcessiveWorkingHours",
        MeansOfControl::ExcessiveWorkingHours,
    ),
    ("WithholdsDocuments", MeansOfControl::WithholdsDocuments),
    ("Other", MeansOfControl::Other),
];

/// `vic_ForcedLabourIndustry`: the sections of the UN industry
/// classification (ISIC rev. 4). Sections Procap does not list separately
/// count as other.
pub(super) const INDUSTRY: [(&str, ForcedLabourIndustry); 21] = [
    (
        "A_AgricultureForestryAndFishing",
        ForcedLabourIndustry::Agriculture,
    ),
    (
        "B_MiningAndQuarrying",
        ForcedLabourIndustry::MiningOrDrilling,
    ),
    ("C_Manufacturing", ForcedLabourIndustry::Manufacturing),
    (
        "D_ElectricityGasSteamAndAirConditioningSupply",
        ForcedLabourIndustry::Other,
    ),
    (
        "E_WaterSupplySewerageWasteManagement",
        ForcedLabourIndustry::Other,
    ),
    ("F_Construction", ForcedLabourIndustry::Construction),
    (
        "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
        ForcedLabourIndustry::Other,
    ),
    (
        "H_TransportationAndStorage",
        ForcedLabourIndustry::Transportation,
    ),
    (
        "I_AccommodationAndFoodServiceActivities",
        ForcedLabourIndustry::Hospitality,
    ),
    ("J_InformationAndCommunication", ForcedLabourIndustry::Other),
    (
        "K_FinancialAndInsuranceActivities",
        ForcedLabourIndustry::Other,
    ),
    ("L_RealEstateActivities", ForcedLabourIndustry::Other),
    (
        "M_ProfessionalScientificAndTechnicalActivities",
        ForcedLabourIndustry::Other,
    ),
    (
        "N_AdministrativeAndSupportServiceActivities",
        ForcedLabourIndustry::Other,
    ),
    (
        "O_PublicAdministrationAndDefence",
        ForcedLabourIndustry::Other,
    ),
    ("P_Education", ForcedLabourIndustry::Other),
    (
        "Q_HumanHealthAndSocialWorkActivities",
        ForcedLabourIndustry::Other,
    ),
    (
        "R_ArtsEntertainmentAndRecreation",
        ForcedLabourIndustry::Other,
    ),
    ("S_OtherServiceActivities", ForcedLabourIndustry::Other),
    (
        "T_ActivitiesOfHouseholdsAsEmployers",
        ForcedLabourIndustry::DomesticWork,
    ),
    (
        "U_ActivitiesOfExtraterritorialOrganizations",
        ForcedLabourIndustry::Other,
    ),
];

/// `vic_RelationshipToTrafficker`. HTCDS spells the last value
/// `Unaquainted`; the correct spelling is accepted too.
pub(super) const RELATIONSHIP: [(&str, TraffickerRelationship); 4] = [
    ("Familial", TraffickerRelationship::Family),
    ("Acquainted", TraffickerRelationship::Other),
    ("Unaquainted", TraffickerRelationship::Other),
    ("Unacquainted", TraffickerRelationship::Other),
];

/// `vic_MethodOfRecruitment` names the channel of recruitment, which
/// Procap does not record; only recruitment through family becomes a
/// recruitment method, any other channel counts as other.
pub(super) const RECRUITMENT: [(&str, RecruitmentMethod); 10] = [
    ("AtAPlaceOfBusiness", RecruitmentMethod::Other),
    ("AtAnEducationalInstitution", RecruitmentMethod::Other),
    ("AtWork", RecruitmentMethod::Other),
    ("ThroughOnlineSocialNetworks", RecruitmentMethod::Other),
    ("ThroughAnOnlineAdvertisement", RecruitmentMethod::Other),
    ("ThroughATelevisionAdvert", RecruitmentMethod::Other),
    ("ThroughANewspaperAdvert", RecruitmentMethod::Other),
    (
        "ThroughFamilyOrFamilyEvents",
        RecruitmentMethod::FamilyArrangement,
    ),
    ("ThroughFriendsOrSocialEvents", RecruitmentMethod::Other),
    ("Other", RecruitmentMethod::Other),
];

/// `vic_TraffickingStatus` as the person's NRM status.
pub(super) const TRAFFICKING: [(&str, NrmStatus); 3] = [
    ("PossibleVictimOfTrafficking", NrmStatus::PresumedVictim),
    ("ActualVictimOfTrafficking", NrmStatus::Identified),
    ("NotAVictimOfTrafficking", NrmStatus::NotIdentified),
];

/// `prs_Gender`: the Procap sex code and, for gender identities other than
/// feminine and masculine, the HTCDS value kept as the gender identity.
pub(super) const GENDERS: [(&str, &str, bool); 6] = [
    ("Feminine", "female", false),
    ("Masculine", "male", false),
    ("TransgenderFeminine", "other", true),
    ("TransgenderMasculine", "other", true),
    ("NonConforming", "other", true),
    ("NonSpecifiedUnknown", "unknown", false),
];

/// `cas_Status`: whether the case is closed.
pub(super) const CASE_STATUSES: [(&str, bool); 4] = [
    ("Active", false),
    ("FollowUp", false),
    ("Closed", true),
    ("ClosedReferred", true),
];

/// `cas_ReasonForIncomingReferral`: checked, not stored.
pub(super) const REFERRAL_REASONS: [&str; 3] = [
    "AdditionalServicesRequired",
    "MigrationOrChangeOfLocation",
    "Other",
];

/// `hte_Type`: which country list `hte_Country` belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EventType {
    Recruitment,
    Transit,
    Exploitation,
}

pub(super) const EVENT_TYPES: [(&str, EventType); 3] = [
    ("Recruitment", EventType::Recruitment),
    ("Transit", EventType::Transit),
    ("Exploitation", EventType::Exploitation),
];

/// Finds `value` among the names of `table`, ignoring case.
pub(super) fn lookup<T: Copy>(table: &[(&str, T)], value: &str) -> Option<T> {
    table
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(value))
        .map(|(_, code)| *code)
}

/// Lists the names of `table`, for an error message.
pub(super) fn allowed<T>(table: &[(&str, T)]) -> String {
    table
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}
