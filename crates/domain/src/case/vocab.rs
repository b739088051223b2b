//! The controlled vocabularies of a case record: one enum per vocabulary,
//! each with the stable snake_case codes the database stores, and
//! [`CodeSet`] for multi-valued fields.
//!
//! Every code has a Fluent label key `vocab-<vocabulary>-<code>` with
//! underscores turned into hyphens (`vocab-exploitation-type-forced-labour`),
//! and every vocabulary has a key for its own name (`vocab-exploitation-type`).

use std::collections::BTreeSet;
use std::fmt::Debug;

use serde::{Deserialize, Serialize};

/// A controlled vocabulary: a closed list of codes with a fixed order.
///
/// `Ord` follows the order of [`Vocabulary::ALL`], which is the order in which
/// multi-valued fields are stored.
pub trait Vocabulary: Copy + Ord + Debug + 'static {
    /// The vocabulary's snake_case name, e.g. `exploitation_type`.
    const NAME: &'static str;
    /// The Fluent key of the vocabulary's name, e.g. `vocab-exploitation-type`.
    const NAME_KEY: &'static str;
    /// Every code, in storage order.
    const ALL: &'static [Self];

    /// Returns the stable code stored in the database.
    fn as_str(self) -> &'static str;

    /// Parses a stored code, returning `None` for anything else.
    fn parse(code: &str) -> Option<Self>;

    /// Returns the Fluent key of the code's label.
    fn label_key(self) -> &'static str;
}

/// Replaces every `_` of an ASCII text with `-` at compile time. `N` must be
/// the length of `text`, which the `fluent_key!` macro guarantees.
const fn hyphenate<const N: usize>(text: &str) -> [u8; N] {
    let bytes = text.as_bytes();
    assert!(bytes.len() == N, "hyphenate: length mismatch");
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = if bytes[i] == b'_' { b'-' } else { bytes[i] };
        i += 1;
    }
    out
}

/// Turns bytes built by [`hyphenate`] back into text at compile time.
const fn ascii_str(bytes: &'static [u8]) -> &'static str {
    match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => panic!("label key is not UTF-8"),
    }
}

/// Concatenates literal parts into a Fluent key with every `_` turned into
/// `-`, as a `&'static str` built at compile time.
macro_rules! fluent_key {
    ($($part:expr),+) => {{
        const RAW: &str = concat!($($part),+);
        const BYTES: [u8; RAW.len()] = hyphenate(RAW);
        const KEY: &str = ascii_str(&BYTES);
        KEY
    }};
}

/// Declares one vocabulary enum with its codes, in storage order:
///
/// ```ignore
/// vocabulary! {
///     /// Doc comment of the enum.
///     Sex = "sex" {
///         Female = "female",
///         Male = "male",
///     }
/// }
/// ```
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident = $vocabulary:literal {
            $($variant:ident = $code:literal),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(
                #[serde(rename = $code)]
                $variant,
            )+
        }

        impl $name {
            /// Every code, in storage order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Returns the stable code stored in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            /// Parses a stored code, returning `None` for anything else.
            pub fn parse(code: &str) -> Option<$name> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// Returns the Fluent key of the code's label.
            pub fn label_key(self) -> &'static str {
                match self {
                    $($name::$variant => fluent_key!("vocab-", $vocabulary, "-", $code),)+
                }
            }
        }

        impl Vocabulary for $name {
            const NAME: &'static str = $vocabulary;
            const NAME_KEY: &'static str = fluent_key!("vocab-", $vocabulary);
            const ALL: &'static [$name] = $name::ALL;

            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }

            fn parse(code: &str) -> Option<$name> {
                $name::parse(code)
            }

            fn label_key(self) -> &'static str {
                $name::label_key(self)
            }
        }
    };
}

vocabulary! {
    /// The person's sex as recorded in the case.
    Sex = "sex" {
        Female = "female",
        Male = "male",
        Other = "other",
        Unknown = "unknown",
    }
}

vocabulary! {
    /// Form of exploitation (HTCDS / CTDC categories).
    ExploitationType = "exploitation_type" {
        SexualExploitation = "sexual_exploitation",
        ForcedLabour = "forced_labour",
        ForcedMarriage = "forced_marriage",
        ForcedCriminality = "forced_criminality",
        ForcedBegging = "forced_begging",
        OrganRemoval = "organ_removal",
        SlaveryPractices = "slavery_practices",
        ForcedMilitary = "forced_military",
        Other = "other",
    }
}

vocabulary! {
    /// Means the traffickers used to control the person.
    MeansOfControl = "means_of_control" {
        DebtBondage = "debt_bondage",
        TakesEarnings = "takes_earnings",
        RestrictsFinancialAccess = "restricts_financial_access",
        Threats = "threats",
        PsychologicalAbuse = "psychological_abuse",
        PhysicalAbuse = "physical_abuse",
        SexualAbuse = "sexual_abuse",
        FalsePromises = "false_promises",
        PsychoactiveSubstances = "psychoactive_substances",
        RestrictsMovement = "restricts_movement",
        RestrictsMedicalCare = "restricts_medical_care",
        ExcessiveWorkingHours = "excessive_working_hours",
        UsesChildren = "uses_children",
        ThreatOfLawEnforcement = "threat_of_law_enforcement",
        WithholdsNecessities = "withholds_necessities",
        WithholdsDocuments = "withholds_documents",
        Other = "other",
    }
}

vocabulary! {
    /// Industry in which forced labour took place.
    ForcedLabourIndustry = "forced_labour_industry" {
        Agriculture = "agriculture",
        Aquafarming = "aquafarming",
        Begging = "begging",
        Construction = "construction",
        DomesticWork = "domestic_work",
        Hospitality = "hospitality",
        IllicitActivities = "illicit_activities",
        Manufacturing = "manufacturing",
        MiningOrDrilling = "mining_or_drilling",
        Peddling = "peddling",
        Transportation = "transportation",
        Other = "other",
    }
}

vocabulary! {
    /// The trafficker's relationship to the person.
    TraffickerRelationship = "trafficker_relationship" {
        IntimatePartner = "intimate_partner",
        Friend = "friend",
        Family = "family",
        Other = "other",
        Unknown = "unknown",
    }
}

vocabulary! {
    /// Age bracket of the Counter Trafficking Data Collaborative (CTDC),
    /// in completed years; see `AgeBracket::for_age`.
    AgeBracket = "age_bracket" {
        From0To8 = "0_8",
        From9To17 = "9_17",
        From18To20 = "18_20",
        From21To23 = "21_23",
        From24To26 = "24_26",
        From27To29 = "27_29",
        From30To38 = "30_38",
        From39To47 = "39_47",
        From48 = "48_plus",
    }
}

vocabulary! {
    /// Origin of a case record: registered in Procap or imported.
    CaseOrigin = "case_origin" {
        Procap = "procap",
        CtdcImport = "ctdc_import",
        HtcdsImport = "htcds_import",
    }
}

vocabulary! {
    /// Status of a case: open or closed.
    CaseStatus = "case_status" {
        Open = "open",
        Closed = "closed",
    }
}

vocabulary! {
    /// Status of the person in the National Referral Mechanism (NRM); the
    /// allowed changes are in `case::nrm`.
    NrmStatus = "nrm_status" {
        NotReferred = "not_referred",
        Referred = "referred",
        PresumedVictim = "presumed_victim",
        Identified = "identified",
        NotIdentified = "not_identified",
    }
}

vocabulary! {
    /// Region where the person receives services.
    Region = "region" {
        Attica = "attica",
        CentralMacedonia = "central_macedonia",
        Other = "other",
    }
}

vocabulary! {
    /// Setting where the person lives while receiving services.
    Setting = "setting" {
        HostingFacility = "hosting_facility",
        UrbanArea = "urban_area",
        Unknown = "unknown",
    }
}

vocabulary! {
    /// Source of the referral to the organisation.
    ReferralSource = "referral_source" {
        Police = "police",
        Prosecutor = "prosecutor",
        LabourInspectorate = "labour_inspectorate",
        ReceptionIdentificationService = "reception_identification_service",
        Hospital = "hospital",
        Ngo = "ngo",
        NationalHotline = "national_hotline",
        SelfReferral = "self_referral",
        Other = "other",
    }
}

vocabulary! {
    /// The person's legal status in the country.
    LegalStatus = "legal_status" {
        AsylumSeeker = "asylum_seeker",
        RecognisedRefugee = "recognised_refugee",
        SubsidiaryProtection = "subsidiary_protection",
        TemporaryProtection = "temporary_protection",
        ResidencePermitVictim = "residence_permit_victim",
        Undocumented = "undocumented",
        Other = "other",
    }
}

vocabulary! {
    /// A vulnerability that changes how the case is handled.
    Vulnerability = "vulnerability" {
        Minor = "minor",
        UnaccompaniedMinor = "unaccompanied_minor",
        Pregnancy = "pregnancy",
        Disability = "disability",
        HealthCondition = "health_condition",
    }
}

vocabulary! {
    /// Method by which the person was recruited.
    RecruitmentMethod = "recruitment_method" {
        JobOffer = "job_offer",
        RomanticRelationship = "romantic_relationship",
        FamilyArrangement = "family_arrangement",
        Abduction = "abduction",
        EducationOffer = "education_offer",
        MigrationAssistance = "migration_assistance",
        Other = "other",
        Unknown = "unknown",
    }
}

vocabulary! {
    /// A line of service that the organisation provides.
    ServiceLine = "service_line" {
        CaseManagement = "case_management",
        Psychosocial = "psychosocial",
        Legal = "legal",
        Interpretation = "interpretation",
        Escort = "escort",
        Integration = "integration",
        MaterialAssistance = "material_assistance",
    }
}

vocabulary! {
    /// Reason for closing a case.
    ClosureReason = "closure_reason" {
        AssistanceCompleted = "assistance_completed",
        ReferredElsewhere = "referred_elsewhere",
        VoluntaryReturn = "voluntary_return",
        LostContact = "lost_contact",
        Death = "death",
        Other = "other",
    }
}

vocabulary! {
    /// Purpose for which the person gives or withholds consent.
    ConsentPurpose = "consent_purpose" {
        DataProcessing = "data_processing",
        Sharing = "sharing",
        Photographs = "photographs",
        Research = "research",
    }
}

vocabulary! {
    /// Interpreter gender that the person prefers.
    InterpreterGender = "interpreter_gender" {
        Female = "female",
        Male = "male",
        Any = "any",
    }
}

/// Error of [`CodeSet::parse_list`]: a code that is not in the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {vocabulary} code {code:?}")]
pub struct UnknownCode {
    /// The vocabulary's snake_case name.
    pub vocabulary: &'static str,
    /// The rejected code, trimmed.
    pub code: String,
}

/// A set of codes of one vocabulary, iterated and stored in the order of
/// [`Vocabulary::ALL`] without duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CodeSet<T: Vocabulary> {
    codes: BTreeSet<T>,
}

impl<T: Vocabulary> CodeSet<T> {
    /// Returns an empty set.
    pub fn new() -> CodeSet<T> {
        CodeSet {
            codes: BTreeSet::new(),
        }
    }

    /// Parses a ';'-separated list of codes in any order. Whitespace around a
    /// code and empty items are ignored, so `""` is the empty set.
    ///
    /// # Errors
    ///
    /// [`UnknownCode`] naming the first code that is not in the vocabulary.
    pub fn parse_list(list: &str) -> Result<CodeSet<T>, UnknownCode> {
        let mut codes = BTreeSet::new();
        for item in list
            .split(';')
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            let code = T::parse(item).ok_or_else(|| UnknownCode {
                vocabulary: T::NAME,
                code: item.to_owned(),
            })?;
            codes.insert(code);
        }
        Ok(CodeSet { codes })
    }

    /// Returns the stored form: the codes joined with ';' in storage order,
    /// or `""` for the empty set.
    pub fn to_stored(&self) -> String {
        self.codes
            .iter()
            .map(|code| code.as_str())
            .collect::<Vec<_>>()
            .join(";")
    }

    /// Iterates over the codes in storage order.
    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        self.codes.iter().copied()
    }

    /// Returns true when the set contains `code`.
    pub fn contains(&self, code: T) -> bool {
        self.codes.contains(&code)
    }

    /// Adds `code` and returns `false` when it was already present.
    pub fn insert(&mut self, code: T) -> bool {
        self.codes.insert(code)
    }

    /// Number of codes in the set.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Returns true when the set is empty.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

impl<T: Vocabulary> Default for CodeSet<T> {
    fn default() -> CodeSet<T> {
        CodeSet::new()
    }
}

impl<T: Vocabulary> FromIterator<T> for CodeSet<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> CodeSet<T> {
        CodeSet {
            codes: iter.into_iter().collect(),
        }
    }
}
