//! CTDC column names and the tables that map CTDC values to Procap's
//! vocabulary codes. Text labels are matched case-insensitively, so they are
//! written here in lower case.

pub(super) const YEAR_OF_REGISTRATION: &str = "yearOfRegistration";
pub(super) const DATASOURCE: &str = "Datasource";
pub(super) const GENDER: &str = "gender";
pub(super) const AGE_BROAD: &str = "ageBroad";
pub(super) const MAJORITY_STATUS: &str = "majorityStatus";
pub(super) const MAJORITY_STATUS_AT_EXPLOIT: &str = "majorityStatusAtExploit";
pub(super) const MAJORITY_ENTRY: &str = "majorityEntry";
pub(super) const CITIZENSHIP: &str = "citizenship";
pub(super) const MEANS_OF_CONTROL_NOT_SPECIFIED: &str = "meansOfControlNotSpecified";
pub(super) const MEANS_OF_CONTROL_CONCATENATED: &str = "meansOfControlConcatenated";
pub(super) const TYPE_OF_EXPLOIT_CONCATENATED: &str = "typeOfExploitConcatenated";
pub(super) const TYPE_OF_LABOUR_CONCATENATED: &str = "typeOfLabourConcatenated";
pub(super) const IS_ABDUCTION: &str = "isAbduction";
pub(super) const RECRUITER_RELATIONSHIP: &str = "RecruiterRelationship";
pub(super) const COUNTRY_OF_EXPLOITATION: &str = "CountryOfExploitation";

/// CTDC's marker for a missing or unrecorded value, in every column.
pub(super) const MISSING: &str = "-99";

/// CTDC's country code for an unknown country.
pub(super) const UNKNOWN_COUNTRY: &str = "00";

/// Exploitation type codes in the fixed order of Procap's vocabulary.
pub(super) const EXPLOITATION_TYPE_ORDER: [&str; 9] = [
    "sexual_exploitation",
    "forced_labour",
    "forced_marriage",
    "forced_criminality",
    "forced_begging",
    "organ_removal",
    "slavery_practices",
    "forced_military",
    "other",
];

/// Exploitation flag columns and the codes each one sets. `isSexAndLabour`
/// sets two codes.
pub(super) const EXPLOITATION_FLAGS: [(&str, &[&str]); 8] = [
    ("isForcedLabour", &["forced_labour"]),
    ("isSexualExploit", &["sexual_exploitation"]),
    ("isOtherExploit", &["other"]),
    ("isSexAndLabour", &["sexual_exploitation", "forced_labour"]),
    ("isForcedMarriage", &["forced_marriage"]),
    ("isForcedMilitary", &["forced_military"]),
    ("isOrganRemoval", &["organ_removal"]),
    ("isSlaveryAndPractices", &["slavery_practices"]),
];

/// Values of `typeOfExploitConcatenated`. `None` means "no type recorded".
pub(super) const EXPLOITATION_LABELS: [(&str, Option<&str>); 8] = [
    ("sexual exploitation", Some("sexual_exploitation")),
    ("forced labour", Some("forced_labour")),
    ("forced marriage", Some("forced_marriage")),
    ("forced military", Some("forced_military")),
    ("organ removal", Some("organ_removal")),
    ("slavery and similar practices", Some("slavery_practices")),
    ("other", Some("other")),
    ("not specified", None),
];

/// The seventeen means-of-control flag columns with their code and the label
/// used in `meansOfControlConcatenated`, in the order of Procap's vocabulary.
pub(super) const MEANS_OF_CONTROL: [(&str, &str, &str); 17] = [
    ("meansOfControlDebtBondage", "debt_bondage", "debt bondage"),
    (
        "meansOfControlTakesEarnings",
        "takes_earnings",
        "takes earnings",
    ),
    (
        "meansOfControlRestrictsFinancialAccess",
        "restricts_financial_access",
        "restricts financial access",
    ),
    ("meansOfControlThreats", "threats", "threats"),
    (
        "meansOfControlPsychologicalAbuse",
        "psychological_abuse",
        "psychological abuse",
    ),
    (
        "meansOfControlPhysicalAbuse",
        "physical_abuse",
        "physical abuse",
    ),
    ("meansOfControlSexualAbuse", "sexual_abuse", "sexual abuse"),
    (
        "meansOfControlFalsePromises",
        "false_promises",
        "false promises",
    ),
    (
        "meansOfControlPsychoactiveSubstances",
        "psychoactive_substances",
        "psychoactive substances",
    ),
    (
        "meansOfControlRestrictsMovement",
        "restricts_movement",
        "restricts movement",
    ),
    (
        "meansOfControlRestrictsMedicalCare",
        "restricts_medical_care",
        "restricts medical care",
    ),
    (
        "meansOfControlExcessiveWorkingHours",
        "excessive_working_hours",
        "excessive working hours",
    ),
    (
        "meansOfControlUsesChildren",
        "uses_children",
        "uses children",
    ),
    (
        "meansOfControlThreatOfLawEnforcement",
        "threat_of_law_enforcement",
        "threat of law enforcement",
    ),
    (
        "meansOfControlWithholdsNecessities",
        "withholds_necessities",
        "withholds necessities",
    ),
    (
        "meansOfControlWithholdsDocuments",
        "withholds_documents",
        "withholds documents",
    ),
    ("meansOfControlOther", "other", "other"),
];

/// Label in `meansOfControlConcatenated` that records no means of control.
pub(super) const MEANS_OF_CONTROL_NOT_SPECIFIED_LABEL: &str = "not specified";

/// The thirteen type-of-labour flag columns with their industry code and the
/// label used in `typeOfLabourConcatenated`. `NotSpecified` maps to no code.
pub(super) const LABOUR_TYPES: [(&str, Option<&str>, &str); 13] = [
    (
        "typeOfLabourAgriculture",
        Some("agriculture"),
        "agriculture",
    ),
    (
        "typeOfLabourAquafarming",
        Some("aquafarming"),
        "aquafarming",
    ),
    ("typeOfLabourBegging", Some("begging"), "begging"),
    (
        "typeOfLabourConstruction",
        Some("construction"),
        "construction",
    ),
    (
        "typeOfLabourDomesticWork",
        Some("domestic_work"),
        "domestic work",
    ),
    (
        "typeOfLabourHospitality",
        Some("hospitality"),
        "hospitality",
    ),
    (
        "typeOfLabourIllicitActivities",
        Some("illicit_activities"),
        "illicit activities",
    ),
    (
        "typeOfLabourManufacturing",
        Some("manufacturing"),
        "manufacturing",
    ),
    (
        "typeOfLabourMiningOrDrilling",
        Some("mining_or_drilling"),
        "mining or drilling",
    ),
    ("typeOfLabourPeddling", Some("peddling"), "peddling"),
    (
        "typeOfLabourTransportation",
        Some("transportation"),
        "transportation",
    ),
    ("typeOfLabourOther", Some("other"), "other"),
    ("typeOfLabourNotSpecified", None, "not specified"),
];

/// Flag columns that are validated (0, 1 or -99) but not mapped to a code.
pub(super) const UNMAPPED_FLAGS: [&str; 11] = [
    MEANS_OF_CONTROL_NOT_SPECIFIED,
    "typeOfSexProstitution",
    "typeOfSexPornography",
    "typeOfSexRemoteInteractiveServices",
    "typeOfSexPrivateSexualServices",
    IS_ABDUCTION,
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
    "recruiterRelationUnknown",
];

/// Values of `RecruiterRelationship`. `None` means "not specified".
/// `Friend/Acquaintance` is the spelling in the CTDC file.
pub(super) const RECRUITER_RELATIONSHIPS: [(&str, Option<&str>); 7] = [
    ("intimate partner", Some("intimate_partner")),
    ("friend/acquaintance", Some("friend")),
    ("friend", Some("friend")),
    ("family/relative", Some("family")),
    ("other", Some("other")),
    ("unknown", Some("unknown")),
    ("not specified", None),
];

/// CTDC age bands (`ageBroad`, written with a double hyphen) and their
/// Procap age bracket codes.
pub(super) const AGE_BRACKETS: [(&str, &str); 9] = [
    ("0--8", "0_8"),
    ("9--17", "9_17"),
    ("18--20", "18_20"),
    ("21--23", "21_23"),
    ("24--26", "24_26"),
    ("27--29", "27_29"),
    ("30--38", "30_38"),
    ("39--47", "39_47"),
    ("48+", "48_plus"),
];

/// Age bracket codes that describe a child.
pub(super) const MINOR_AGE_BRACKETS: [&str; 2] = ["0_8", "9_17"];

/// Lists every column the parser reads. `typeOfSexConcatenated` is the one
/// CTDC column left out, because no Procap field uses it.
pub(super) fn required_columns() -> Vec<&'static str> {
    let mut columns = vec![
        YEAR_OF_REGISTRATION,
        DATASOURCE,
        GENDER,
        AGE_BROAD,
        MAJORITY_STATUS,
        MAJORITY_STATUS_AT_EXPLOIT,
        MAJORITY_ENTRY,
        CITIZENSHIP,
        MEANS_OF_CONTROL_CONCATENATED,
        TYPE_OF_EXPLOIT_CONCATENATED,
        TYPE_OF_LABOUR_CONCATENATED,
        RECRUITER_RELATIONSHIP,
        COUNTRY_OF_EXPLOITATION,
    ];
    columns.extend(MEANS_OF_CONTROL.iter().map(|(column, _, _)| *column));
    columns.extend(EXPLOITATION_FLAGS.iter().map(|(column, _)| *column));
    columns.extend(LABOUR_TYPES.iter().map(|(column, _, _)| *column));
    columns.extend(UNMAPPED_FLAGS);
    columns
}
