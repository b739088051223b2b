//! The case search and filter input. Procap has no free-text query
//! language: names are matched after `normalise` (also the input of the
//! blind indexes), and the list filters accept only vocabulary codes. The
//! target checks both on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use procap_domain::case::vocab::{CaseOrigin, CaseStatus, NrmStatus, Region, Vocabulary};
use procap_domain::text::normalise;

fn code_round_trips<V: Vocabulary>(value: &str) {
    if let Some(code) = V::parse(value.trim()) {
        assert_eq!(
            code.as_str(),
            value.trim(),
            "a filter code that does not round-trip"
        );
        assert!(
            code.as_str()
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let once = normalise(text);
    assert_eq!(normalise(&once), once, "normalise is not idempotent");
    assert_eq!(once.trim(), once, "edge whitespace kept");
    assert!(!once.contains("  "), "double space kept");
    assert!(!once.contains('ς'), "final sigma kept");
    code_round_trips::<CaseStatus>(text);
    code_round_trips::<NrmStatus>(text);
    code_round_trips::<Region>(text);
    code_round_trips::<CaseOrigin>(text);
});
