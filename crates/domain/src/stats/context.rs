//! Context figures beside an organisation's own numbers: counts published
//! with small values suppressed (UNODC writes `<5` for 1 to 4), the UNODC
//! forms of exploitation and how Procap's exploitation types map onto them,
//! and the share of records that name each code of a multi-valued field.

use std::collections::BTreeMap;

use crate::case::vocab::{CodeSet, ExploitationType, Vocabulary};

/// A published count that may be suppressed: an exact number, or a range
/// when `<5` stood for a value from 1 to 4. Adding two counts adds their
/// bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PublishedCount {
    /// The smallest value the count can have.
    pub low: u64,
    /// The largest value the count can have.
    pub high: u64,
}

/// The smallest and largest value a suppressed `<5` cell can stand for.
const SUPPRESSED: PublishedCount = PublishedCount { low: 1, high: 4 };

impl PublishedCount {
    /// An exact count.
    pub fn exact(value: u64) -> PublishedCount {
        PublishedCount {
            low: value,
            high: value,
        }
    }

    /// Parses a published cell: digits (thousands separated by commas are
    /// allowed) or `<5`. Returns `None` for anything else.
    pub fn parse(text: &str) -> Option<PublishedCount> {
        let text = text.trim();
        if text == "<5" {
            return Some(SUPPRESSED);
        }
        let digits: String = text.chars().filter(|c| *c != ',').collect();
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok().map(PublishedCount::exact)
    }

    /// The value when it is known exactly.
    pub fn value(self) -> Option<u64> {
        (self.low == self.high).then_some(self.low)
    }

    /// Whether the count is the single suppressed cell `<5`.
    pub fn is_suppressed(self) -> bool {
        self == SUPPRESSED
    }

    /// The sum of two counts.
    #[must_use]
    pub fn plus(self, other: PublishedCount) -> PublishedCount {
        PublishedCount {
            low: self.low + other.low,
            high: self.high + other.high,
        }
    }
}

/// The forms of exploitation UNODC reports victims by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnodcForm {
    SexualExploitation,
    ForcedLabour,
    /// Every other purpose: forced marriage, criminality, begging, organ
    /// removal and the rest.
    OtherForms,
}

impl UnodcForm {
    /// Every form, in the order UNODC's reports list them.
    pub const ALL: [UnodcForm; 3] = [
        UnodcForm::SexualExploitation,
        UnodcForm::ForcedLabour,
        UnodcForm::OtherForms,
    ];

    /// Reads the `Category` label of a GLOTIP row "by form of exploitation".
    pub fn from_label(label: &str) -> Option<UnodcForm> {
        match label.trim() {
            "Sexual exploitation" => Some(UnodcForm::SexualExploitation),
            "Forced labour" => Some(UnodcForm::ForcedLabour),
            "Other forms of exploitation" => Some(UnodcForm::OtherForms),
            _ => None,
        }
    }

    /// A stable code for keys and element ids.
    pub fn as_str(self) -> &'static str {
        match self {
            UnodcForm::SexualExploitation => "sexual_exploitation",
            UnodcForm::ForcedLabour => "forced_labour",
            UnodcForm::OtherForms => "other_forms",
        }
    }

    /// The UNODC form that a Procap exploitation type is reported under.
    pub fn of(kind: ExploitationType) -> UnodcForm {
        match kind {
            ExploitationType::SexualExploitation => UnodcForm::SexualExploitation,
            ExploitationType::ForcedLabour => UnodcForm::ForcedLabour,
            ExploitationType::ForcedMarriage
            | ExploitationType::ForcedCriminality
            | ExploitationType::ForcedBegging
            | ExploitationType::OrganRemoval
            | ExploitationType::SlaveryPractices
            | ExploitationType::ForcedMilitary
            | ExploitationType::Other => UnodcForm::OtherForms,
        }
    }

    /// The UNODC forms a case with these exploitation types counts under,
    /// each once: a case of forced labour and forced begging counts once
    /// under forced labour and once under other forms.
    pub fn of_all(kinds: &CodeSet<ExploitationType>) -> Vec<UnodcForm> {
        let mut forms: Vec<UnodcForm> = kinds.iter().map(UnodcForm::of).collect();
        forms.sort();
        forms.dedup();
        forms
    }
}

/// How many records name each code of a multi-valued field, and of how
/// many records that name at least one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeShares<V: Vocabulary> {
    /// Records with at least one code: the base of every share.
    pub records: u64,
    /// Records naming each code, in the vocabulary's order, zeros included.
    pub counts: Vec<(V, u64)>,
}

impl<V: Vocabulary> CodeShares<V> {
    /// Counts the codes of `records`, each record weighted by its count.
    /// Records without a code are left out of the base.
    pub fn from_weighted<'a>(
        records: impl IntoIterator<Item = (&'a CodeSet<V>, u64)>,
    ) -> CodeShares<V> {
        let mut base = 0;
        let mut counts: BTreeMap<V, u64> = BTreeMap::new();
        for (codes, weight) in records {
            if codes.is_empty() {
                continue;
            }
            base += weight;
            for code in codes.iter() {
                *counts.entry(code).or_insert(0) += weight;
            }
        }
        CodeShares {
            records: base,
            counts: V::ALL
                .iter()
                .map(|code| (*code, counts.get(code).copied().unwrap_or(0)))
                .collect(),
        }
    }

    /// Counts the codes of stored combinations (codes joined with `;`),
    /// each with the number of records that have it. Codes the vocabulary
    /// does not know are skipped.
    pub fn from_combinations(rows: &[(String, i64)]) -> CodeShares<V> {
        let sets: Vec<(CodeSet<V>, u64)> = rows
            .iter()
            .map(|(combination, count)| {
                (known_codes(combination), u64::try_from(*count).unwrap_or(0))
            })
            .collect();
        CodeShares::from_weighted(sets.iter().map(|(set, count)| (set, *count)))
    }

    /// The share of records naming `code`, in percent, or `None` without
    /// records.
    pub fn percent(&self, code: V) -> Option<f64> {
        let count = self
            .counts
            .iter()
            .find(|(known, _)| *known == code)
            .map_or(0, |(_, count)| *count);
        (self.records > 0).then(|| count as f64 * 100.0 / self.records as f64)
    }
}

/// The codes of a stored combination that are in the vocabulary `V`.
fn known_codes<V: Vocabulary>(combination: &str) -> CodeSet<V> {
    combination
        .split(';')
        .filter_map(|code| V::parse(code.trim()))
        .collect()
}

/// Cases per year and UNODC form, from cases per year and stored
/// combination of exploitation types. A case counts once under each form
/// its types map to; cases without a known type count under none.
pub fn forms_per_year(rows: &[(i32, String, i64)]) -> BTreeMap<(i32, UnodcForm), u64> {
    let mut counts = BTreeMap::new();
    for (year, combination, count) in rows {
        let kinds = known_codes::<ExploitationType>(combination);
        for form in UnodcForm::of_all(&kinds) {
            *counts.entry((*year, form)).or_insert(0) += u64::try_from(*count).unwrap_or(0);
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::vocab::MeansOfControl;

    #[test]
    fn published_counts_parse_with_suppression() {
        assert_eq!(PublishedCount::parse("64"), Some(PublishedCount::exact(64)));
        assert_eq!(
            PublishedCount::parse("1,192"),
            Some(PublishedCount::exact(1192))
        );
        let small = PublishedCount::parse("<5").unwrap();
        assert!(small.is_suppressed());
        assert_eq!(small.value(), None);
        assert_eq!(PublishedCount::parse(""), None);
        assert_eq!(PublishedCount::parse("Q6.1_10s_2019"), None);
        assert_eq!(PublishedCount::parse("-3"), None);
    }

    #[test]
    fn sums_keep_both_bounds() {
        let sum = PublishedCount::exact(45)
            .plus(PublishedCount::parse("<5").unwrap())
            .plus(PublishedCount::parse("<5").unwrap());
        assert_eq!(sum, PublishedCount { low: 47, high: 53 });
        assert!(!sum.is_suppressed());
        assert_eq!(
            PublishedCount::exact(3)
                .plus(PublishedCount::exact(4))
                .value(),
            Some(7)
        );
    }

    #[test]
    fn every_type_has_a_unodc_form() {
        assert_eq!(
            UnodcForm::of(ExploitationType::SexualExploitation),
            UnodcForm::SexualExploitation
        );
        assert_eq!(
            UnodcForm::of(ExploitationType::ForcedBegging),
            UnodcForm::OtherForms
        );
        let kinds: CodeSet<ExploitationType> =
            CodeSet::parse_list("forced_labour;forced_begging;forced_marriage").unwrap();
        assert_eq!(
            UnodcForm::of_all(&kinds),
            [UnodcForm::ForcedLabour, UnodcForm::OtherForms]
        );
        for form in UnodcForm::ALL {
            let label = match form {
                UnodcForm::SexualExploitation => "Sexual exploitation",
                UnodcForm::ForcedLabour => "Forced labour",
                UnodcForm::OtherForms => "Other forms of exploitation",
            };
            assert_eq!(UnodcForm::from_label(label), Some(form));
        }
    }

    #[test]
    fn shares_leave_records_without_codes_out() {
        let threats: CodeSet<MeansOfControl> = CodeSet::parse_list("threats").unwrap();
        let both: CodeSet<MeansOfControl> = CodeSet::parse_list("threats;debt_bondage").unwrap();
        let none = CodeSet::new();
        let shares = CodeShares::from_weighted([(&threats, 3), (&both, 1), (&none, 6)]);
        assert_eq!(shares.records, 4);
        assert_eq!(shares.percent(MeansOfControl::Threats), Some(100.0));
        assert_eq!(shares.percent(MeansOfControl::DebtBondage), Some(25.0));
        assert_eq!(shares.percent(MeansOfControl::Other), Some(0.0));
        assert_eq!(shares.counts.len(), MeansOfControl::ALL.len());
        let empty = CodeShares::<MeansOfControl>::from_weighted([(&none, 2)]);
        assert_eq!(empty.percent(MeansOfControl::Threats), None);
    }

    #[test]
    fn stored_combinations_become_shares_and_forms() {
        let shares = CodeShares::<MeansOfControl>::from_combinations(&[
            ("threats;debt_bondage".to_owned(), 2),
            ("threats;no_such_code".to_owned(), 2),
            (String::new(), 5),
        ]);
        assert_eq!(shares.records, 4);
        assert_eq!(shares.percent(MeansOfControl::DebtBondage), Some(50.0));

        let forms = forms_per_year(&[
            (2020, "forced_labour;forced_begging".to_owned(), 2),
            (2020, "forced_marriage".to_owned(), 1),
            (2021, String::new(), 3),
        ]);
        assert_eq!(forms[&(2020, UnodcForm::ForcedLabour)], 2);
        assert_eq!(forms[&(2020, UnodcForm::OtherForms)], 3);
        assert_eq!(forms.len(), 2);
    }
}
