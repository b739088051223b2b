//! The HTCDS CSV importer on arbitrary bytes: it must return records or
//! errors, never panic, and never report more errors than its cap.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use procap_import::htcds::MAX_HTCDS_ERRORS;

fuzz_target!(|data: &[u8]| {
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).expect("a valid date");
    match procap_import::parse_htcds(data, today) {
        Ok(records) => assert!(records.len() <= data.len()),
        Err(errors) => {
            assert!(!errors.is_empty(), "an error result without errors");
            assert!(errors.len() <= MAX_HTCDS_ERRORS, "error cap exceeded");
        }
    }
});
