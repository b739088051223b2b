//! `procap import ctdc FILE` and `procap import htcds FILE` (a CSV file or
//! an HTCDS archive as `procap export htcds` writes it, decrypted): each checks
//! the whole file, then inserts every record in one transaction, showing
//! progress on stderr.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use procap_store::audit::{self, AuditEvent, Outcome};
use procap_store::cases::{self, AnonymisedCase};
use procap_store::organisations;
use serde_json::json;

use procap_domain::locale::Locale;
use procap_web::handlers::case_import;
use procap_web::i18n::{Arg, Translator};

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

/// The language of the command's messages: `--lang`, else the first of
/// `LC_ALL`, `LC_MESSAGES` and `LANG` that names Greek or English, else Greek.
fn cli_locale(lang: Option<&str>) -> anyhow::Result<Locale> {
    if let Some(lang) = lang {
        return Locale::parse(&lang.to_ascii_lowercase())
            .with_context(|| format!("unknown language {lang:?}; use el or en"));
    }
    let from_env = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find_map(|value| {
            let code = value.get(..2)?.to_ascii_lowercase();
            Locale::parse(&code)
        });
    Ok(from_env.unwrap_or_default())
}

pub fn htcds(
    settings: Settings,
    file: &Path,
    organisation_prefix: Option<&str>,
    lang: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let t = Translator::new(cli_locale(lang)?);
    let content = std::fs::read(file).with_context(|| format!("cannot open {}", file.display()))?;
    let shown = file.display().to_string();
    eprintln!("{}", t.t1("import-cli-checking", "file", shown.as_str()));

    // Pick the organisation before checking, so a wrong code fails fast.
    let store = open_store(&settings)?;
    let all = store.run_blocking(organisations::list)?;
    let organisation = match organisation_prefix {
        Some(prefix) => all
            .into_iter()
            .find(|o| o.case_code_prefix.eq_ignore_ascii_case(prefix)),
        None => all.into_iter().min_by_key(|o| o.created_at),
    };
    let Some(organisation) = organisation else {
        let message = match organisation_prefix {
            Some(prefix) => t.t1("import-cli-no-organisation", "prefix", prefix),
            None => t.t("import-cli-no-organisations"),
        };
        eprintln!("{message}");
        return Ok(ExitCode::FAILURE);
    };

    let today = chrono::Utc::now().date_naive();
    let records = match procap_import::parse_htcds_bytes(&content, today) {
        Ok(records) => records,
        Err(errors) => {
            eprintln!("{}", t.t1("import-cli-invalid", "file", shown.as_str()));
            for error in errors.iter().take(MAX_ERRORS_SHOWN) {
                let message = case_import::problem_message(&t, error);
                let line = i64::try_from(error.line).unwrap_or(i64::MAX);
                let text = if error.column.is_empty() {
                    t.t2("import-cli-problem-row", "line", line, "message", message)
                } else {
                    t.t_args(
                        "import-cli-problem",
                        &[
                            ("line", Arg::Number(line)),
                            ("column", Arg::Text(error.column.clone())),
                            ("message", Arg::Text(message)),
                        ],
                    )
                };
                eprintln!("  {text}");
            }
            if errors.len() > MAX_ERRORS_SHOWN {
                let more = errors.len() - MAX_ERRORS_SHOWN;
                eprintln!("  {}", t.t1("import-cli-more", "count", more));
            }
            return Ok(ExitCode::FAILURE);
        }
    };

    let total = records.len();
    eprintln!("{}", t.t1("import-cli-writing", "count", total));
    let actor = case_import::ImportActor {
        user: None,
        client_ip: None,
        via: "cli",
    };
    let written = store.run_blocking(|db| {
        case_import::import_records(db, &organisation, records, &actor, |done| {
            show_progress(done, total);
        })
    })?;
    eprintln!();
    println!(
        "{}",
        t.t2(
            "import-cli-done",
            "count",
            written,
            "prefix",
            organisation.case_code_prefix.as_str()
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// `procap import course DIR`: reads every `.toml` file of `dir`, checks
/// the whole course and writes it in one transaction.
pub fn course(settings: Settings, dir: &Path) -> anyhow::Result<ExitCode> {
    use procap_store::training::{content, content_store};

    let mut files = Vec::new();
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.extension().and_then(|ext| ext.to_str()) != Some("toml") {
            continue;
        }
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .with_context(|| format!("{} is not a UTF-8 file name", path.display()))?
            .to_owned();
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        files.push(content::SourceFile::new(name, text));
    }
    eprintln!("Checking {} …", dir.display());
    let course = match content::parse_course(&files) {
        Ok(course) => course,
        Err(errors) => {
            eprintln!("{} invalid: nothing was imported.", dir.display());
            for error in errors.0.iter().take(MAX_ERRORS_SHOWN) {
                eprintln!("  {error}");
            }
            if errors.0.len() > MAX_ERRORS_SHOWN {
                eprintln!("  … and {} more", errors.0.len() - MAX_ERRORS_SHOWN);
            }
            return Ok(ExitCode::FAILURE);
        }
    };

    let store = open_store(&settings)?;
    let slug = course.slug.clone();
    let summary = store.run_blocking(move |db| {
        let summary = content_store::load_course(db, &course)?;
        let event = AuditEvent::new("training.course_import", Outcome::Success)
            .object("course", &summary.course_id)
            .details(json!({
                "via": "cli",
                "created": summary.created,
                "questions_inserted": summary.questions_inserted,
                "questions_updated": summary.questions_updated,
                "questions_retired": summary.questions_retired,
            }));
        audit::append(db, &event)?;
        Ok(summary)
    })?;
    println!(
        "{} course {slug}: {} modules, {} lessons, {} quizzes; questions: {} new, {} updated, {} retired.",
        if summary.created {
            "Created"
        } else {
            "Updated"
        },
        summary.modules,
        summary.lessons,
        summary.quizzes,
        summary.questions_inserted,
        summary.questions_updated,
        summary.questions_retired,
    );
    Ok(ExitCode::SUCCESS)
}
