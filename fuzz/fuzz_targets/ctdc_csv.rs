//! The CTDC CSV importer on arbitrary bytes: records or errors, never a
//! panic, never more errors than the cap.
#![no_main]

use libfuzzer_sys::fuzz_target;
use procap_import::MAX_ERRORS;

fuzz_target!(|data: &[u8]| {
    match procap_import::parse_ctdc(data) {
        Ok(records) => assert!(records.len() <= data.len()),
        Err(errors) => {
            assert!(!errors.is_empty(), "an error result without errors");
            assert!(errors.len() <= MAX_ERRORS, "error cap exceeded");
        }
    }
});
