//! Importing cases from an HTCDS file (`/cases/import`), for coordinators.
//!
//! - `GET /cases/import`: the upload form with the size limit.
//! - `POST /cases/import`: a multipart upload of one CSV file. The whole
//!   file is checked first; when any row is invalid the page lists every
//!   problem by line and column and nothing is written. A valid file is
//!   written in the background, in one transaction, into the coordinator's
//!   organisation, and the browser is sent to the progress page.
//! - `GET /cases/import/{id}`: the progress page. While the import runs it
//!   asks the browser to reload it every two seconds (a `Refresh` header,
//!   no script) and offers a button that does the same.
//!
//! [`import_records`] and [`problem_message`] are shared with
//! `procap import htcds`, so the command line and the page write the same
//! rows and word problems the same way. Audit events carry counts only.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use axum::extract::multipart::MultipartError;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use procap_domain::case::vocab::Vocabulary;
use procap_domain::role::Permission;
use procap_import::htcds::{HtcdsError, HtcdsRecord, MessageArg};
use procap_store::audit::{self, AuditEvent, Outcome};
use procap_store::case_import::{self, ImportedCase};
use procap_store::cases::{CaseAttributes, IntakeReferral, PersonAttributes, PersonDetails};
use procap_store::{Db, StoreError, organisations};
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::render;
use crate::i18n::{Arg, Translator};
use crate::pages::case_import::{
    IMPORT_PATH, ImportErrorRow, ImportPage, ImportProgressPage, progress_href,
};
use crate::state::AppState;

/// The largest file accepted: 25 MiB, room for about 80,000 rows.
pub const MAX_IMPORT_BYTES: usize = 25 * 1024 * 1024;
/// Room for the multipart envelope around the file.
const MULTIPART_OVERHEAD_BYTES: usize = 64 * 1024;
/// The request body limit of the upload route.
pub const IMPORT_BODY_LIMIT: usize = MAX_IMPORT_BYTES + MULTIPART_OVERHEAD_BYTES;
/// The value of `origin` on imported cases.
pub const ORIGIN: &str = "htcds_import";
/// Seconds between reloads of the progress page.
const REFRESH_SECONDS: &str = "2";

/// Maps a checked HTCDS record to the rows the store writes.
pub fn imported_case(record: HtcdsRecord) -> ImportedCase {
    let code = |value: Option<&'static str>| value.map(str::to_owned);
    ImportedCase {
        person: PersonDetails {
            given_name: record.given_name,
            family_name: record.family_name,
            aliases: None,
            birth_date: record.birth_date,
            contact: record.contact,
            household: None,
            document_numbers: record.document_numbers,
        },
        attributes: PersonAttributes {
            estimated_birth_year: None,
            sex: record.sex.as_str().to_owned(),
            gender_identity: record.gender_identity,
            citizenships: record.citizenships,
            languages: record.languages,
            interpreter_gender: None,
            legal_status: record.legal_status.as_str().to_owned(),
            vulnerabilities: String::new(),
        },
        case: CaseAttributes {
            age_bracket: code(record.age_bracket.map(|bracket| bracket.as_str())),
            is_minor: record.is_minor,
            region: record.region.as_str().to_owned(),
            setting: record.setting.as_str().to_owned(),
            facility: None,
            exploitation_types: record.exploitation_types.to_stored(),
            forced_labour_industry: code(record.forced_labour_industry.map(|c| c.as_str())),
            means_of_control: record.means_of_control.to_stored(),
            recruitment_method: code(record.recruitment_method.map(|c| c.as_str())),
            trafficker_relationship: code(record.trafficker_relationship.map(|c| c.as_str())),
            countries_recruitment: record.countries_recruitment,
            countries_transit: record.countries_transit,
            countries_exploitation: record.countries_exploitation,
            opened_on: record.referred_on,
        },
        intake: IntakeReferral {
            source: record.referral_source.as_str().to_owned(),
            referred_on: record.referred_on,
            referring_contact: record.referring_contact,
            reason: record.referral_details,
        },
        nrm_status: record.nrm_status.as_str().to_owned(),
        closure: record
            .closure
            .map(|(date, reason)| (date, Vocabulary::as_str(reason).to_owned())),
    }
}

/// Who started an import and how, for its audit event.
pub struct ImportActor<'a> {
    /// `(user id, username)`, or `None` on the command line.
    pub user: Option<(&'a str, &'a str)>,
    pub client_ip: Option<&'a str>,
    /// `cli` or `web`.
    pub via: &'a str,
}

/// Writes checked records as cases of `organisation` in one transaction,
/// then one audit event with the count. Calls `progress` after each batch.
///
/// # Errors
///
/// Any database error; then no case is written.
pub fn import_records(
    db: &mut Db<'_>,
    organisation: &organisations::Organisation,
    records: Vec<HtcdsRecord>,
    actor: &ImportActor<'_>,
    progress: impl FnMut(usize),
) -> Result<usize, StoreError> {
    let imported: Vec<ImportedCase> = records.into_iter().map(imported_case).collect();
    let written = case_import::import_cases(
        db,
        &organisation.id,
        &organisation.case_code_prefix,
        ORIGIN,
        &imported,
        progress,
    )?;
    let mut event = AuditEvent::new("case.import", Outcome::Success)
        .client_ip(actor.client_ip)
        .object("organisation", &organisation.id)
        .details(json!({ "via": actor.via, "format": "htcds", "records": written }));
    if let Some((id, username)) = actor.user {
        event = event.actor(id, username);
    }
    audit::append(db, &event)?;
    Ok(written)
}

/// The message of one problem in the user's language.
pub fn problem_message(t: &Translator, error: &HtcdsError) -> String {
    let args: Vec<(&str, Arg)> = error
        .problem
        .args()
        .into_iter()
        .map(|(name, value)| {
            let value = match value {
                MessageArg::Text(text) => Arg::Text(text),
                MessageArg::Number(number) => Arg::Number(number),
            };
            (name, value)
        })
        .collect();
    t.t_args(error.problem.message_key(), &args)
}

// --- Background imports ----------------------------------------------------

/// How far a background import has come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportState {
    Running { done: usize },
    Finished { written: usize },
    Failed,
}

struct ImportJob {
    user_id: String,
    total: usize,
    state: Arc<Mutex<ImportState>>,
}

// NOTE: progress is kept in this process's memory. With several Procap
// instances, the progress page must reach the instance that runs the import
// (sticky sessions). The jobs table is not used because the file is personal data.
static IMPORTS: LazyLock<Mutex<HashMap<String, ImportJob>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

fn set_state(state: &Mutex<ImportState>, value: ImportState) {
    if let Ok(mut guard) = state.lock() {
        *guard = value;
    }
}

// --- Handlers ----------------------------------------------------------------

fn form_page(user: &CurrentUser) -> ImportPage {
    ImportPage {
        ctx: user.page(IMPORT_PATH),
        max_megabytes: MAX_IMPORT_BYTES / (1024 * 1024),
        form_error: None,
        errors: Vec::new(),
        more_errors: false,
    }
}

fn with_status(page: &impl askama::Template, status: StatusCode) -> Result<Response, WebError> {
    let mut response = render(page)?;
    *response.status_mut() = status;
    Ok(response)
}

/// `GET /cases/import`: the upload form.
pub async fn show(user: CurrentUser) -> Result<Response, WebError> {
    user.require(Permission::CoordinateCases)?;
    render(&form_page(&user))
}

/// Why an upload was refused before its content was checked.
enum UploadRefusal {
    Missing,
    TooLarge,
}

fn multipart_refusal(error: &MultipartError) -> Result<UploadRefusal, WebError> {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        Ok(UploadRefusal::TooLarge)
    } else {
        Err(WebError::BadRequest(crate::error::MessageKey(
            "error-malformed-form",
        )))
    }
}

/// Reads the `file` field, at most [`MAX_IMPORT_BYTES`].
async fn read_file(multipart: &mut Multipart) -> Result<Result<Vec<u8>, UploadRefusal>, WebError> {
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Ok(Err(UploadRefusal::Missing)),
            Err(error) => return multipart_refusal(&error).map(Err),
        };
        if field.name() != Some("file") {
            continue;
        }
        let mut field = field;
        let mut content = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    if content.len() + chunk.len() > MAX_IMPORT_BYTES {
                        return Ok(Err(UploadRefusal::TooLarge));
                    }
                    content.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(error) => return multipart_refusal(&error).map(Err),
            }
        }
        if content.is_empty() {
            return Ok(Err(UploadRefusal::Missing));
        }
        return Ok(Ok(content));
    }
}

async fn audit_refusal(
    state: &AppState,
    user: &CurrentUser,
    details: serde_json::Value,
) -> Result<(), WebError> {
    let event = AuditEvent::new("case.import", Outcome::Failure)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("organisation", &user.user.organisation_id)
        .details(details);
    record(&state.store, event).await
}

/// `POST /cases/import`: checks the uploaded file and starts the import,
/// or shows what is wrong.
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    user.require(Permission::CoordinateCases)?;
    let t = Translator::new(user.locale);

    let content = match read_file(&mut multipart).await? {
        Ok(content) => content,
        Err(refusal) => {
            let (reason, message, status) = match refusal {
                UploadRefusal::Missing => (
                    "missing",
                    t.t("import-error-no-file"),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ),
                UploadRefusal::TooLarge => (
                    "too_large",
                    t.t1(
                        "import-error-too-large",
                        "max",
                        MAX_IMPORT_BYTES / (1024 * 1024),
                    ),
                    StatusCode::PAYLOAD_TOO_LARGE,
                ),
            };
            audit_refusal(
                &state,
                &user,
                json!({ "format": "htcds", "reason": reason }),
            )
            .await?;
            let mut page = form_page(&user);
            page.form_error = Some(message);
            return with_status(&page, status);
        }
    };

    let today = crate::handlers::today();
    let parsed = tokio::task::spawn_blocking(move || {
        procap_import::parse_htcds_bytes(content.as_slice(), today)
    })
    .await
    .map_err(|error| WebError::Internal(anyhow::anyhow!("import check failed: {error}")))?;
    let records = match parsed {
        Ok(records) => records,
        Err(errors) => {
            audit_refusal(
                &state,
                &user,
                json!({ "format": "htcds", "reason": "invalid", "errors": errors.len() }),
            )
            .await?;
            let mut page = form_page(&user);
            page.more_errors = errors.len() >= procap_import::htcds::MAX_HTCDS_ERRORS;
            page.errors = errors
                .iter()
                .map(|error| ImportErrorRow {
                    line: error.line,
                    column: error.column.clone(),
                    message: problem_message(&t, error),
                })
                .collect();
            return with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };

    let organisation_id = user.user.organisation_id.clone();
    let organisation = state
        .store
        .run(move |db| organisations::get(db, &organisation_id))
        .await?;
    let id = procap_store::new_id();
    let progress = Arc::new(Mutex::new(ImportState::Running { done: 0 }));
    if let Ok(mut jobs) = IMPORTS.lock() {
        jobs.insert(
            id.clone(),
            ImportJob {
                user_id: user.user.id.clone(),
                total: records.len(),
                state: progress.clone(),
            },
        );
    }
    tracing::info!(import_id = %id, rows = records.len(), "case import started");

    let store = state.store.clone();
    let user_id = user.user.id.clone();
    let username = user.user.username.clone();
    let client_ip = user.client_ip.clone();
    let import_id = id.clone();
    tokio::task::spawn_blocking(move || {
        let actor = ImportActor {
            user: Some((&user_id, &username)),
            client_ip: client_ip.as_deref(),
            via: "web",
        };
        let result = store.run_blocking(|db| {
            import_records(db, &organisation, records, &actor, |done| {
                set_state(&progress, ImportState::Running { done });
            })
        });
        match result {
            Ok(written) => {
                tracing::info!(import_id = %import_id, written, "case import finished");
                set_state(&progress, ImportState::Finished { written });
            }
            Err(error) => {
                tracing::error!(import_id = %import_id, error = %error, "case import failed");
                set_state(&progress, ImportState::Failed);
            }
        }
    });

    Ok(Redirect::to(&progress_href(&id)).into_response())
}

/// `GET /cases/import/{id}`: how far the import has come.
pub async fn progress(user: CurrentUser, Path(id): Path<String>) -> Result<Response, WebError> {
    user.require(Permission::CoordinateCases)?;
    let found = IMPORTS.lock().ok().and_then(|jobs| {
        jobs.get(&id)
            .filter(|job| job.user_id == user.user.id)
            .map(|job| {
                let state = job
                    .state
                    .lock()
                    .map(|s| s.clone())
                    .unwrap_or(ImportState::Failed);
                (job.total, state)
            })
    });
    let Some((total, state)) = found else {
        return Err(WebError::NotFound);
    };
    let running = matches!(state, ImportState::Running { .. });
    let page = ImportProgressPage {
        ctx: user.page(IMPORT_PATH),
        href: progress_href(&id),
        total,
        state,
    };
    let mut response = render(&page)?;
    if running {
        response.headers_mut().insert(
            axum::http::header::REFRESH,
            HeaderValue::from_static(REFRESH_SECONDS),
        );
    }
    Ok(response)
}
