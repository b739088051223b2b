//! `procap export htcds`: the cases matching a filter as an HTCDS archive
//! sealed with age for the given recipients, audited with the filter, the
//! number of cases and, for an export with identifiers, its purpose.

use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use procap_reports::htcds::htcds_archive;
use procap_reports::sealed::Recipient;
use procap_store::audit::{self, AuditEvent, Outcome};
use procap_store::htcds_export::{self, ExportFilter};
use procap_store::organisations;
use serde_json::json;

use crate::cli::HtcdsExportArgs;
use crate::config::Settings;
use crate::startup::open_store;

fn parse_day(text: Option<&str>, flag: &str) -> anyhow::Result<Option<NaiveDate>> {
    text.map(|text| {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").with_context(|| {
            format!("{flag} {text}: expected a date as YYYY-MM-DD; nothing was exported")
        })
    })
    .transpose()
}

pub fn htcds(settings: Settings, args: &HtcdsExportArgs) -> anyhow::Result<ExitCode> {
    let mut recipients = Vec::new();
    for key in &args.recipient {
        match Recipient::parse(key) {
            Ok(recipient) => recipients.push(recipient),
            Err(_) => {
                bail!("--recipient {key}: not an age public key (age1…); nothing was exported")
            }
        }
    }
    let from = parse_day(args.from.as_deref(), "--from")?;
    let to = parse_day(args.to.as_deref(), "--to")?;
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        bail!("--to {to} is before --from {from}; nothing was exported");
    }
    let status = match args.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(status @ ("open" | "closed")) => Some(status.to_owned()),
        Some(other) => bail!("--status {other}: use open or closed; nothing was exported"),
    };
    let purpose = args
        .purpose
        .as_deref()
        .map(str::trim)
        .filter(|purpose| !purpose.is_empty());
    if args.with_identifiers && purpose.is_none() {
        bail!("--with-identifiers needs a --purpose; nothing was exported");
    }

    let store = open_store(&settings)?;
    let organisation_id = match args.organisation.as_deref() {
        Some(wanted) => {
            let all = store.run_blocking(organisations::list)?;
            let Some(found) = all
                .into_iter()
                .find(|o| o.id == wanted || o.case_code_prefix.eq_ignore_ascii_case(wanted))
            else {
                bail!("unknown organisation {wanted}; nothing was exported");
            };
            Some(found.id)
        }
        None => None,
    };
    let filter = ExportFilter {
        from,
        to,
        organisation_id,
        status,
    };
    let with_identifiers = args.with_identifiers;
    let load_filter = filter.clone();
    let (cases, names) = store.run_blocking(move |db| {
        let cases = htcds_export::load(db, &load_filter, with_identifiers)?;
        let names = htcds_export::organisations_of(db, &cases)?;
        Ok((cases, names))
    })?;
    if cases.is_empty() {
        bail!("no case matches the filter; nothing was exported");
    }
    let (bytes, files) = htcds_archive(&cases, &names, with_identifiers, &recipients)?;
    std::fs::write(&args.output, &bytes)
        .with_context(|| format!("cannot write {}", args.output.display()))?;

    let count = cases.len();
    let details = json!({
        "via": "cli",
        "from": filter.from.map(|d| d.to_string()),
        "to": filter.to.map(|d| d.to_string()),
        "organisation": filter.organisation_id,
        "status": filter.status,
        "cases": count,
        "with_identifiers": with_identifiers,
        "purpose": purpose,
        "recipients": recipients.iter().map(Recipient::to_text).collect::<Vec<_>>(),
        "files": files.iter().map(|(name, rows)| json!({ "name": name, "rows": rows })).collect::<Vec<_>>(),
    });
    store.run_blocking(move |db| {
        let event = AuditEvent::new("export.htcds", Outcome::Success).details(details);
        audit::append(db, &event)
    })?;
    println!(
        "Wrote {count} cases as HTCDS files to {} ({}), encrypted to {} recipient(s).",
        args.output.display(),
        if with_identifiers {
            "with identifiers"
        } else {
            "pseudonymous"
        },
        recipients.len()
    );
    Ok(ExitCode::SUCCESS)
}
