//! Text normalisation for search and blind indexes. Greek and Latin text is
//! compared without case, accents or the final-sigma distinction, so that
//! «Μαρία», «ΜΑΡΙΑ» and «μαρια» match.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Normalises `value` for exact-match comparison: NFD, combining marks
/// dropped, lower case, final sigma folded to σ, runs of whitespace collapsed
/// to one space, and leading or trailing whitespace removed.
pub fn normalise(value: &str) -> String {
    let folded: String = value
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ς' { 'σ' } else { c })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn greek_accents_case_and_final_sigma_fold() {
        assert_eq!(normalise("Μαρία"), "μαρια");
        assert_eq!(normalise("ΜΑΡΙΑ"), "μαρια");
        assert_eq!(normalise("Νικόλαος"), "νικολαοσ");
        assert_eq!(normalise("ΝΙΚΟΛΑΟΣ"), "νικολαοσ");
    }

    #[test]
    fn latin_diacritics_and_spaces_fold() {
        assert_eq!(normalise("  José   Álvarez "), "jose alvarez");
    }

    proptest! {
        #[test]
        fn normalise_is_idempotent(value in "\\PC{0,40}") {
            let once = normalise(&value);
            prop_assert_eq!(normalise(&once), once);
        }
    }
}
