//! The United Nations M49 geographic regions and sub-regions of the world,
//! used to generalise citizenship in published records.
//!
//! The table covers every code of the country list; a code it does not know
//! (including Antarctica, which M49 places in no region) falls back to
//! "other". Taiwan, which M49 does not list separately, is placed in Eastern
//! Asia. Latin America and the Caribbean is an intermediate region of M49;
//! its three sub-regions are used directly.

use serde::Serialize;

/// An M49 region (continent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// Africa (002).
    Africa,
    /// Americas (019).
    Americas,
    /// Asia (142).
    Asia,
    /// Europe (150).
    Europe,
    /// Oceania (009).
    Oceania,
}

impl Region {
    /// Stable snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Africa => "africa",
            Region::Americas => "americas",
            Region::Asia => "asia",
            Region::Europe => "europe",
            Region::Oceania => "oceania",
        }
    }
}

/// An M49 sub-region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubRegion {
    /// Northern Africa (015).
    NorthernAfrica,
    /// Eastern Africa (014).
    EasternAfrica,
    /// Middle Africa (017).
    MiddleAfrica,
    /// Southern Africa (018).
    SouthernAfrica,
    /// Western Africa (011).
    WesternAfrica,
    /// Caribbean (029).
    Caribbean,
    /// Central America (013).
    CentralAmerica,
    /// South America (005).
    SouthAmerica,
    /// Northern America (021).
    NorthernAmerica,
    /// Central Asia (143).
    CentralAsia,
    /// Eastern Asia (030).
    EasternAsia,
    /// South-eastern Asia (035).
    SouthEasternAsia,
    /// Southern Asia (034).
    SouthernAsia,
    /// Western Asia (145).
    WesternAsia,
    /// Eastern Europe (151).
    EasternEurope,
    /// Northern Europe (154).
    NorthernEurope,
    /// Southern Europe (039).
    SouthernEurope,
    /// Western Europe (155).
    WesternEurope,
    /// Australia and New Zealand (053).
    AustraliaAndNewZealand,
    /// Melanesia (054).
    Melanesia,
    /// Micronesia (057).
    Micronesia,
    /// Polynesia (061).
    Polynesia,
}

impl SubRegion {
    /// Stable snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            SubRegion::NorthernAfrica => "northern_africa",
            SubRegion::EasternAfrica => "eastern_africa",
            SubRegion::MiddleAfrica => "middle_africa",
            SubRegion::SouthernAfrica => "southern_africa",
            SubRegion::WesternAfrica => "western_africa",
            SubRegion::Caribbean => "caribbean",
            SubRegion::CentralAmerica => "central_america",
            SubRegion::SouthAmerica => "south_america",
            SubRegion::NorthernAmerica => "northern_america",
            SubRegion::CentralAsia => "central_asia",
            SubRegion::EasternAsia => "eastern_asia",
            SubRegion::SouthEasternAsia => "south_eastern_asia",
            SubRegion::SouthernAsia => "southern_asia",
            SubRegion::WesternAsia => "western_asia",
            SubRegion::EasternEurope => "eastern_europe",
            SubRegion::NorthernEurope => "northern_europe",
            SubRegion::SouthernEurope => "southern_europe",
            SubRegion::WesternEurope => "western_europe",
            SubRegion::AustraliaAndNewZealand => "australia_and_new_zealand",
            SubRegion::Melanesia => "melanesia",
            SubRegion::Micronesia => "micronesia",
            SubRegion::Polynesia => "polynesia",
        }
    }

    /// The region the sub-region belongs to.
    pub fn region(self) -> Region {
        use SubRegion::*;
        match self {
            NorthernAfrica | EasternAfrica | MiddleAfrica | SouthernAfrica | WesternAfrica => {
                Region::Africa
            }
            Caribbean | CentralAmerica | SouthAmerica | NorthernAmerica => Region::Americas,
            CentralAsia | EasternAsia | SouthEasternAsia | SouthernAsia | WesternAsia => {
                Region::Asia
            }
            EasternEurope | NorthernEurope | SouthernEurope | WesternEurope => Region::Europe,
            AustraliaAndNewZealand | Melanesia | Micronesia | Polynesia => Region::Oceania,
        }
    }
}

/// Countries by sub-region, as ISO 3166-1 alpha-2 codes.
const TABLE: &[(SubRegion, &[&str])] = &[
    (
        SubRegion::NorthernAfrica,
        &["DZ", "EG", "EH", "LY", "MA", "SD", "TN"],
    ),
    (
        SubRegion::EasternAfrica,
        &[
            "BI", "DJ", "ER", "ET", "IO", "KE", "KM", "MG", "MU", "MW", "MZ", "RE", "RW", "SC",
            "SO", "SS", "TF", "TZ", "UG", "YT", "ZM", "ZW",
        ],
    ),
    (
        SubRegion::MiddleAfrica,
        &["AO", "CD", "CF", "CG", "CM", "GA", "GQ", "ST", "TD"],
    ),
    (SubRegion::SouthernAfrica, &["BW", "LS", "NA", "SZ", "ZA"]),
    (
        SubRegion::WesternAfrica,
        &[
            "BF", "BJ", "CI", "CV", "GH", "GM", "GN", "GW", "LR", "ML", "MR", "NE", "NG", "SH",
            "SL", "SN", "TG",
        ],
    ),
    (
        SubRegion::Caribbean,
        &[
            "AG", "AI", "AW", "BB", "BL", "BQ", "BS", "CU", "CW", "DM", "DO", "GD", "GP", "HT",
            "JM", "KN", "KY", "LC", "MF", "MQ", "MS", "PR", "SX", "TC", "TT", "VC", "VG", "VI",
        ],
    ),
    (
        SubRegion::CentralAmerica,
        &["BZ", "CR", "GT", "HN", "MX", "NI", "PA", "SV"],
    ),
    (
        SubRegion::SouthAmerica,
        &[
            "AR", "BO", "BR", "BV", "CL", "CO", "EC", "FK", "GF", "GS", "GY", "PE", "PY", "SR",
            "UY", "VE",
        ],
    ),
    (SubRegion::NorthernAmerica, &["BM", "CA", "GL", "PM", "US"]),
    (SubRegion::CentralAsia, &["KG", "KZ", "TJ", "TM", "UZ"]),
    (
        SubRegion::EasternAsia,
        &["CN", "HK", "JP", "KP", "KR", "MN", "MO", "TW"],
    ),
    (
        SubRegion::SouthEasternAsia,
        &[
            "BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "TL", "VN",
        ],
    ),
    (
        SubRegion::SouthernAsia,
        &["AF", "BD", "BT", "IN", "IR", "LK", "MV", "NP", "PK"],
    ),
    (
        SubRegion::WesternAsia,
        &[
            "AE", "AM", "AZ", "BH", "CY", "GE", "IL", "IQ", "JO", "KW", "LB", "OM", "PS", "QA",
            "SA", "SY", "TR", "YE",
        ],
    ),
    (
        SubRegion::EasternEurope,
        &["BG", "BY", "CZ", "HU", "MD", "PL", "RO", "RU", "SK", "UA"],
    ),
    (
        SubRegion::NorthernEurope,
        &[
            "AX", "DK", "EE", "FI", "FO", "GB", "GG", "IE", "IM", "IS", "JE", "LT", "LV", "NO",
            "SE", "SJ",
        ],
    ),
    (
        SubRegion::SouthernEurope,
        &[
            "AD", "AL", "BA", "ES", "GI", "GR", "HR", "IT", "ME", "MK", "MT", "PT", "RS", "SI",
            "SM", "VA", "XK",
        ],
    ),
    (
        SubRegion::WesternEurope,
        &["AT", "BE", "CH", "DE", "FR", "LI", "LU", "MC", "NL"],
    ),
    (
        SubRegion::AustraliaAndNewZealand,
        &["AU", "CC", "CX", "HM", "NF", "NZ"],
    ),
    (SubRegion::Melanesia, &["FJ", "NC", "PG", "SB", "VU"]),
    (
        SubRegion::Micronesia,
        &["FM", "GU", "KI", "MH", "MP", "NR", "PW", "UM"],
    ),
    (
        SubRegion::Polynesia,
        &["AS", "CK", "NU", "PF", "PN", "TK", "TO", "TV", "WF", "WS"],
    ),
];

/// Returns the M49 sub-region of an upper-case alpha-2 country code, or
/// `None` for a code outside the table.
pub fn sub_region(country: &str) -> Option<SubRegion> {
    TABLE
        .iter()
        .find(|(_, codes)| codes.contains(&country))
        .map(|(sub_region, _)| *sub_region)
}

/// Returns the M49 region of an upper-case alpha-2 country code, or `None`
/// for a code outside the table.
pub fn region(country: &str) -> Option<Region> {
    sub_region(country).map(SubRegion::region)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::case::geo::countries;

    #[test]
    fn listed_countries_have_sub_regions() {
        let missing: Vec<&str> = countries()
            .iter()
            .map(|country| country.code)
            .filter(|code| sub_region(code).is_none())
            .collect();
        assert_eq!(missing, vec!["AQ"]);
    }

    #[test]
    fn no_country_is_in_two_sub_regions() {
        let mut seen = BTreeSet::new();
        for (_, codes) in TABLE {
            for code in *codes {
                assert!(seen.insert(*code), "{code} appears twice");
            }
        }
    }

    #[test]
    fn known_countries_map_to_regions() {
        assert_eq!(sub_region("NG"), Some(SubRegion::WesternAfrica));
        assert_eq!(sub_region("UA"), Some(SubRegion::EasternEurope));
        assert_eq!(sub_region("PH"), Some(SubRegion::SouthEasternAsia));
        assert_eq!(sub_region("GR"), Some(SubRegion::SouthernEurope));
        assert_eq!(region("PK"), Some(Region::Asia));
        assert_eq!(region("CO"), Some(Region::Americas));
        assert_eq!(region("00"), None);
    }
}
