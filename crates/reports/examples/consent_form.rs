//! Writes one consent form with fictional values, for looking at the layout:
//! `cargo run -p procap-reports --example consent_form -- ar sharing out.pdf`.

use chrono::NaiveDate;
use procap_reports::forms::{FormRequest, consent_form};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [language, purpose, out] = args.as_slice() else {
        return Err("usage: consent_form LANGUAGE PURPOSE OUT.pdf".into());
    };
    let report = consent_form(&FormRequest {
        language,
        purpose,
        case_code: "DEMO-2026-0007",
        organisation: "Demo Support Centre",
        recipient: Some("Demo Shelter"),
        date: NaiveDate::from_ymd_opt(2026, 12, 4).ok_or("date")?,
        approved: false,
    })?;
    std::fs::write(out, report.pdf)?;
    Ok(())
}
