//! The bulk trainee CSV (course roster). The upload handler refuses bytes
//! that are not UTF-8, so the target does the same before parsing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use procap_store::training::enrolment::{MAX_ROSTER_ROWS, is_valid_email, parse_roster};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_roster(text) {
        Ok(rows) => {
            assert!(!rows.is_empty(), "accepted a roster without rows");
            assert!(rows.len() <= MAX_ROSTER_ROWS, "row cap exceeded");
            for row in &rows {
                assert!(is_valid_email(&row.email), "accepted a bad address");
                assert_eq!(row.email, row.email.to_lowercase());
            }
        }
        Err(errors) => assert!(!errors.is_empty(), "an error result without errors"),
    }
});
