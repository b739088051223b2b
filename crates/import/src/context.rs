//! The context data compiled into Procap: UNODC's detected victims in
//! Greece (`data/context/glotip_greece.csv`) and the shares of exploitation
//! types and means of control in the CTDC sample
//! (`crates/import/data/ctdc_global_kanon_sample.csv`). Each is parsed once,
//! on first use; the tests below parse both files, so a broken file fails
//! the build's tests rather than a page.

use std::sync::LazyLock;

use procap_domain::case::vocab::{CodeSet, ExploitationType, MeansOfControl};
use procap_domain::stats::context::CodeShares;

use crate::ctdc::parse_ctdc;
use crate::unodc::{DetectedVictims, parse_glotip};

const GLOTIP_GREECE: &str = include_str!("../../../data/context/glotip_greece.csv");
const CTDC_SAMPLE: &str = include_str!("../data/ctdc_global_kanon_sample.csv");

/// The shares of the CTDC sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtdcShares {
    /// Rows of the sample.
    pub records: u64,
    /// The first and last registration year of the sample.
    pub years: (i32, i32),
    pub exploitation: CodeShares<ExploitationType>,
    pub means_of_control: CodeShares<MeansOfControl>,
}

/// UNODC's detected victims in Greece per year, in total and by form of
/// exploitation.
///
/// # Panics
///
/// When the compiled-in file does not parse, which the tests rule out.
pub fn unodc_greece() -> &'static DetectedVictims {
    static FIGURES: LazyLock<DetectedVictims> = LazyLock::new(|| {
        parse_glotip(GLOTIP_GREECE.as_bytes())
            .unwrap_or_else(|errors| panic!("glotip_greece.csv does not parse: {errors:?}"))
    });
    &FIGURES
}

/// The exploitation and means-of-control shares of the CTDC sample.
///
/// # Panics
///
/// When the compiled-in sample does not parse, which the tests rule out.
pub fn ctdc_shares() -> &'static CtdcShares {
    static SHARES: LazyLock<CtdcShares> = LazyLock::new(|| {
        let records = parse_ctdc(CTDC_SAMPLE.as_bytes())
            .unwrap_or_else(|errors| panic!("the CTDC sample does not parse: {errors:?}"));
        let exploitation: Vec<CodeSet<ExploitationType>> = records
            .iter()
            .map(|record| {
                record
                    .exploitation_types
                    .iter()
                    .filter_map(|code| ExploitationType::parse(code))
                    .collect()
            })
            .collect();
        let means: Vec<CodeSet<MeansOfControl>> = records
            .iter()
            .map(|record| {
                record
                    .means_of_control
                    .iter()
                    .filter_map(|code| MeansOfControl::parse(code))
                    .collect()
            })
            .collect();
        let first = records
            .iter()
            .map(|r| r.registration_year)
            .min()
            .unwrap_or(0);
        let last = records
            .iter()
            .map(|r| r.registration_year)
            .max()
            .unwrap_or(0);
        CtdcShares {
            records: u64::try_from(records.len()).unwrap_or(u64::MAX),
            years: (first, last),
            exploitation: CodeShares::from_weighted(exploitation.iter().map(|set| (set, 1))),
            means_of_control: CodeShares::from_weighted(means.iter().map(|set| (set, 1))),
        }
    });
    &SHARES
}

#[cfg(test)]
mod tests {
    use procap_domain::stats::context::{PublishedCount, UnodcForm};

    use super::*;

    #[test]
    fn greece_figures_cover_2007_to_2022() {
        let greece = unodc_greece();
        assert_eq!(greece.country, "Greece");
        assert_eq!(greece.total.len(), 16);
        assert_eq!(greece.total[&2007], PublishedCount::exact(99));
        assert_eq!(greece.total[&2022], PublishedCount::exact(358));
        assert_eq!(
            greece.by_form[&(2022, UnodcForm::SexualExploitation)],
            PublishedCount::exact(187)
        );
        assert!(greece.by_form[&(2008, UnodcForm::ForcedLabour)].is_suppressed());
        // 2019 lists "other forms" four times: 45 and three suppressed cells.
        assert_eq!(
            greece.by_form[&(2019, UnodcForm::OtherForms)],
            PublishedCount { low: 48, high: 57 }
        );
        assert_eq!(greece.years().first(), Some(&2007));
        assert_eq!(greece.years().last(), Some(&2022));
    }

    #[test]
    fn ctdc_shares_count_only_known_codes() {
        let shares = ctdc_shares();
        assert_eq!(shares.records, 1522);
        assert_eq!(shares.years, (2002, 2019));
        assert!(shares.exploitation.records > 0);
        assert!(shares.exploitation.records < shares.records);
        let sexual = shares
            .exploitation
            .percent(ExploitationType::SexualExploitation)
            .unwrap();
        assert!(sexual > 0.0 && sexual <= 100.0, "{sexual}");
        assert!(shares.means_of_control.records > 0);
        assert!(shares.means_of_control.records <= shares.records);
    }
}
