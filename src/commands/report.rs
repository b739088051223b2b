//! `procap report amif`, `procap report nrm` and `procap export published`:
//! the AMIF indicators and the NRM statistics of a period as CSV, XLSX or
//! PDF, and the statistics fit for the public. The numbers come from the
//! rules in `procap_domain::stats` over the plain columns the store reads;
//! nothing is decrypted.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use procap_domain::stats::amif::Period;
use procap_reports::amif::{AmifReport, amif_csv, amif_pdf, amif_xlsx};
use procap_reports::nrm::{nrm_csv, nrm_pdf, nrm_xlsx};
use procap_reports::published::published_statistics;
use procap_store::audit::{self, AuditEvent, Outcome};
use procap_store::organisations::Organisation;
use procap_store::{Store, nrm_reporting, organisations, reporting};
use serde_json::json;

use crate::cli::ReportFormat;
use crate::config::Settings;
use crate::startup::open_store;

/// The scope name of a report over every organisation.
const ALL_ORGANISATIONS: &str = "Όλοι οι φορείς / All organisations";

fn parse_day(text: &str, flag: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .with_context(|| format!("{flag} {text}: expected a date as YYYY-MM-DD"))
}

/// Parses `--from` and `--to` into a period.
fn parse_period(from: &str, to: &str) -> anyhow::Result<Period> {
    Period::new(parse_day(from, "--from")?, parse_day(to, "--to")?)
        .map_err(|error| anyhow::anyhow!("{error}; nothing was exported"))
}

/// Finds the organisation named by `--organisation` (its id or case code
/// prefix); `None` when the flag is absent.
fn find_organisation(
    store: &Store,
    organisation: Option<&str>,
) -> anyhow::Result<Option<Organisation>> {
    let Some(wanted) = organisation else {
        return Ok(None);
    };
    let all = store.run_blocking(organisations::list)?;
    match all
        .into_iter()
        .find(|o| o.id == wanted || o.case_code_prefix.eq_ignore_ascii_case(wanted))
    {
        Some(found) => Ok(Some(found)),
        None => bail!("unknown organisation {wanted}; nothing was exported"),
    }
}

/// Writes the AMIF indicators of `from`..=`to` to `output`.
pub fn amif(
    settings: Settings,
    from: &str,
    to: &str,
    format: ReportFormat,
    output: &Path,
    organisation: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let period = parse_period(from, to)?;
    let store = open_store(&settings)?;
    let scope = find_organisation(&store, organisation)?;
    let organisation_id = scope.as_ref().map(|o| o.id.clone());
    let scope_id = organisation_id.clone();
    let (figures, training) = store
        .run_blocking(move |db| reporting::amif_figures(db, period, organisation_id.as_deref()))?;
    let scope_name = scope.map_or_else(|| ALL_ORGANISATIONS.to_owned(), |o| o.name);
    let report = AmifReport::new(&figures, &training, scope_name);
    let bytes = match format {
        ReportFormat::Csv => amif_csv(&report),
        ReportFormat::Xlsx => amif_xlsx(&report)?,
        ReportFormat::Pdf => amif_pdf(&report)?,
    };
    std::fs::write(output, &bytes).with_context(|| format!("cannot write {}", output.display()))?;
    let format_name = format.as_str();
    store.run_blocking(move |db| {
        let event = AuditEvent::new("report.amif", Outcome::Success).details(json!({
            "via": "cli",
            "format": format_name,
            "from": period.from().to_string(),
            "to": period.to().to_string(),
            "organisation": scope_id,
        }));
        audit::append(db, &event)
    })?;
    println!(
        "Wrote the AMIF indicators for {} to {} to {} ({format_name}).",
        period.from(),
        period.to(),
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes the NRM statistics of `from`..=`to` to `output`.
pub fn nrm(
    settings: Settings,
    from: &str,
    to: &str,
    format: ReportFormat,
    output: &Path,
    organisation: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let period = parse_period(from, to)?;
    let store = open_store(&settings)?;
    let scope = find_organisation(&store, organisation)?;
    let organisation_id = scope.as_ref().map(|o| o.id.clone());
    let scope_id = organisation_id.clone();
    let statistics = store.run_blocking(move |db| {
        nrm_reporting::nrm_statistics(db, period, organisation_id.as_deref())
    })?;
    let scope_name = scope.map_or_else(|| ALL_ORGANISATIONS.to_owned(), |o| o.name);
    let report = procap_web::handlers::nrm_statistics::label_report(&statistics, scope_name);
    let bytes = match format {
        ReportFormat::Csv => nrm_csv(&report),
        ReportFormat::Xlsx => nrm_xlsx(&report)?,
        ReportFormat::Pdf => nrm_pdf(&report)?,
    };
    std::fs::write(output, &bytes).with_context(|| format!("cannot write {}", output.display()))?;
    let format_name = format.as_str();
    store.run_blocking(move |db| {
        let event = AuditEvent::new("report.nrm", Outcome::Success).details(json!({
            "via": "cli",
            "format": format_name,
            "from": period.from().to_string(),
            "to": period.to().to_string(),
            "organisation": scope_id,
        }));
        audit::append(db, &event)
    })?;
    println!(
        "Wrote the NRM statistics for {} to {} to {} ({format_name}).",
        period.from(),
        period.to(),
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes the published statistics of every case into the folder `output`.
pub fn published(settings: Settings, output: &Path) -> anyhow::Result<ExitCode> {
    std::fs::create_dir_all(output)
        .with_context(|| format!("cannot create {}", output.display()))?;
    let store = open_store(&settings)?;
    let cases = store.run_blocking(reporting::published_cases)?;
    let quasi: Vec<_> = cases.into_iter().map(|case| case.quasi).collect();
    let today = chrono::Utc::now().date_naive().to_string();
    let files = published_statistics(&quasi, &today);
    for file in &files {
        let path = output.join(&file.name);
        std::fs::write(&path, &file.bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let count = files.len();
    store.run_blocking(move |db| {
        let event = AuditEvent::new("export.published", Outcome::Success)
            .details(json!({ "via": "cli", "files": count }));
        audit::append(db, &event)
    })?;
    println!(
        "Wrote {count} files of published statistics to {}.",
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}
