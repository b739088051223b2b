//! `procap import ctdc FILE`: validates the whole file, then inserts every
//! record in one transaction, showing progress on stderr.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use procap_store::audit::{self, AuditEvent, Outcome};
use procap_store::cases::{self, AnonymisedCase};
use procap_store::organisations;
use serde_json::json;

use crate::config::Settings;
use crate::startup::open_store;

/// Errors listed before the command gives up on an invalid file.
const MAX_ERRORS_SHOWN: usize = 50;

pub fn ctdc(
    settings: Settings,
    file: &Path,
    organisation_prefix: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let reader =
        std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    eprintln!("Checking {} …", file.display());
    let records = match procap_import::parse_ctdc(std::io::BufReader::new(reader)) {
        Ok(records) => records,
        Err(errors) => {
            eprintln!("{} invalid: nothing was imported.", file.display());
            for error in errors.iter().take(MAX_ERRORS_SHOWN) {
                eprintln!(
                    "  line {}, column {}: {}",
                    error.line, error.column, error.message
                );
            }
            if errors.len() > MAX_ERRORS_SHOWN {
                eprintln!("  … and {} more", errors.len() - MAX_ERRORS_SHOWN);
            }
            return Ok(ExitCode::FAILURE);
        }
    };
    let anonymised: Vec<AnonymisedCase> = records
        .iter()
        .map(|record| AnonymisedCase {
            registration_year: record.registration_year,
            sex: record.sex.to_owned(),
            age_bracket: record.age_bracket.map(str::to_owned),
            is_minor: record.is_minor,
            citizenship: record.citizenship.clone(),
            exploitation_types: record.exploitation_types.join(";"),
            means_of_control: record.means_of_control.join(";"),
            forced_labour_industry: record.forced_labour_industry.map(str::to_owned),
            trafficker_relationship: record.trafficker_relationship.map(str::to_owned),
            countries_exploitation: record.countries_exploitation.join(";"),
        })
        .collect();

    let store = open_store(&settings)?;
    let all = store.run_blocking(organisations::list)?;
    let organisation = match organisation_prefix {
        Some(prefix) => all
            .into_iter()
            .find(|o| o.case_code_prefix.eq_ignore_ascii_case(prefix)),
        None => all.into_iter().min_by_key(|o| o.created_at),
    };
    let Some(organisation) = organisation else {
        bail!(
            "no organisation to import into; create one first (procap user add or the Organisations page)"
        );
    };

    let total = anonymised.len();
    let inserted = store.run_blocking(|db| {
        let inserted = cases::import_anonymised(
            db,
            &organisation.id,
            &organisation.case_code_prefix,
            "ctdc_import",
            &anonymised,
            |done| show_progress(done, total),
        )?;
        let event = AuditEvent::new("case.import", Outcome::Success)
            .object("organisation", &organisation.id)
            .details(json!({ "via": "cli", "format": "ctdc", "records": inserted }));
        audit::append(db, &event)?;
        Ok(inserted)
    })?;
    eprintln!();
    println!(
        "Imported {inserted} anonymised CTDC records into {}.",
        organisation.case_code_prefix
    );
    Ok(ExitCode::SUCCESS)
}

fn show_progress(done: usize, total: usize) {
    const WIDTH: usize = 30;
    let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH);
    let percent = (done * 100).checked_div(total).unwrap_or(100);
    let mut stderr = std::io::stderr();
    let _ = write!(
        stderr,
        "\r[{}{}] {percent:>3}% {done}/{total}",
        "#".repeat(filled),
        " ".repeat(WIDTH - filled)
    );
    let _ = stderr.flush();
}
