//! SCORM 1.2 lessons: upload, serving the package, the lesson page and the
//! run-time commits.
//!
//! - `GET`/`POST /training/manage/courses/{id}/scorm` (ManageTraining): the
//!   upload form and a multipart upload of one zip, checked by
//!   `procap_import::scorm::read_package` (size, entry count, unpacked size
//!   counted while inflating, safe paths, no symlinks, a SCORM 1.2
//!   manifest and its first SCO's launch file). Each refusal has its own
//!   message. The files are written through `object_store` under
//!   `scorm/{package_id}/` in the attachments folder, then the lesson (kind
//!   `scorm`) and its `scorm_packages` row are recorded. Package files are
//!   course content written by a trainer, not case data, so they are stored
//!   as they are (case attachments are encrypted; these are not).
//! - `GET /training/scorm/{lesson_id}`: the lesson page. It frames the
//!   launch file and loads the run-time API script (`window.API`), a static
//!   asset, just before the frame.
//! - `GET /training/scorm/{lesson_id}/{path}`: a package file, for trainers
//!   (ManageTraining) and for trainees enrolled in the lesson's course;
//!   anyone else gets 404 (or 403 without either permission).
//! - `POST /training/scorm/{lesson_id}/commit`: a JSON object of SCORM
//!   elements and values from the runtime's `LMSCommit`, sent by a
//!   same-origin `fetch`, so the origin check of every state-changing
//!   request applies. Values are checked against the SCORM 1.2 data model
//!   and stored in `scorm_results`; `passed` or `completed` counts the
//!   lesson as viewed and recomputes completion. A trainer's preview
//!   commits are accepted and dropped.
//!
//! # Content Security Policy of package files
//!
//! A SCO finds `window.API` by walking up `window.parent`, which works only
//! when the package is served from Procap's own origin. Its scripts
//! therefore run with the viewer's session, like the trainer-written
//! lessons they stand in for, and only trainers can upload packages. The
//! files get their own policy ([`PACKAGE_CSP`]) in place of the site-wide
//! one:
//!
//! - scripts and styles from the package (`'self'`) and inline, because
//!   authoring tools write inline handlers; no `'unsafe-eval'`, so packages
//!   built on `eval` do not run;
//! - every fetch, image, font and media load stays on Procap's origin, so a
//!   package cannot send what it reads to another site, and no plugins;
//! - `form-action 'none'` and `base-uri 'self'`;
//! - `frame-ancestors 'self'` (with `X-Frame-Options: SAMEORIGIN`), so
//!   only Procap's lesson page can frame it;
//! - `sandbox allow-scripts allow-same-origin`: no pop-ups, no top-level
//!   navigation, no form submission and no modal dialogs. `allow-same-origin`
//!   is what lets the SCO reach `window.API`; with `allow-scripts` it would
//!   let a hostile page lift its own sandbox, which is why uploading stays
//!   a trainer's permission. The lesson page's frame carries the same
//!   `sandbox` attribute.
//!
//! The lesson page itself keeps the site-wide policy and adds
//! `frame-src 'self'` ([`LESSON_PAGE_CSP`]).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::multipart::MultipartError;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use object_store::ObjectStore;
use object_store::local::LocalFileSystem;
use procap_domain::locale::Locale;
use procap_domain::role::Permission;
use procap_domain::training::scorm::{LessonStatus, ScormCommit};
use procap_import::scorm::{self as package, Limits, ScormError, safe_relative_path};
use procap_store::StoreError;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::training::scorm::{self, NewScormLesson, ScormLesson};
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::render;
use crate::i18n::Translator;
use crate::pages::training_scorm::{
    LessonPage, UploadForm, UploadPage, commit_href, file_href, lesson_href, upload_href,
};
use crate::pages::{FieldErrors, SelectOption};
use crate::state::AppState;

/// The policy of package files; see the module documentation.
pub const PACKAGE_CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self'; \
     font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; \
     form-action 'none'; frame-ancestors 'self'; sandbox allow-scripts allow-same-origin";

/// The lesson page's policy: the site-wide one with frames from Procap.
pub const LESSON_PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; \
     connect-src 'self'; frame-src 'self'";

/// Room for the multipart envelope and the form fields around the file.
const MULTIPART_OVERHEAD_BYTES: usize = 64 * 1024;
/// Longest lesson title, in characters.
const MAX_TITLE_CHARS: usize = 200;
/// Longest path quoted back in a message, in characters.
const MAX_QUOTED_PATH_CHARS: usize = 120;

/// The request body limit of the upload route.
pub fn upload_body_limit() -> usize {
    Limits::default().max_archive_bytes + MULTIPART_OVERHEAD_BYTES
}

fn internal(what: &'static str, error: impl std::fmt::Display) -> WebError {
    WebError::Internal(anyhow::anyhow!("{what}: {error}"))
}

async fn object_store(state: &AppState) -> Result<LocalFileSystem, WebError> {
    let dir = &state.config.attachments.dir;
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|error| internal("cannot create the attachments folder", error))?;
    LocalFileSystem::new_with_prefix(dir)
        .map_err(|error| internal("cannot open the attachments folder", error))
}

fn object_path(prefix: &str, path: &str) -> object_store::path::Path {
    object_store::path::Path::from(format!("{prefix}/{path}").as_str())
}

fn title_in(locale: Locale, el: &str, en: &str) -> String {
    match locale {
        Locale::El => el.to_owned(),
        Locale::En => en.to_owned(),
    }
}

// --- Upload -------------------------------------------------------------------

async fn upload_page(
    state: &AppState,
    user: &CurrentUser,
    course_id: &str,
    form: UploadForm,
    errors: FieldErrors,
) -> Result<UploadPage, WebError> {
    let id = course_id.to_owned();
    let (course, modules) = state
        .store
        .run(move |db| {
            Ok((
                scorm::course_heading(db, &id)?,
                scorm::course_modules(db, &id)?,
            ))
        })
        .await?;
    let ctx = user.page(&upload_href(course_id));
    let t = ctx.t;
    let locale = user.locale;
    Ok(UploadPage {
        course_title: title_in(locale, &course.title_el, &course.title_en),
        action: upload_href(course_id),
        modules: modules
            .into_iter()
            .map(|module| {
                let title = title_in(locale, &module.title_el, &module.title_en);
                let selected = module.id == form.module_id;
                SelectOption::new(
                    module.id,
                    t.t2(
                        "scorm-module-option",
                        "position",
                        module.position,
                        "title",
                        title,
                    ),
                    selected,
                )
            })
            .collect(),
        form,
        errors,
        max_megabytes: Limits::default().max_archive_bytes / (1024 * 1024),
        ctx,
    })
}

fn unprocessable(page: &impl askama::Template) -> Result<Response, WebError> {
    let mut response = render(page)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// `GET /training/manage/courses/{id}/scorm`: the upload form.
pub async fn upload_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(course_id): Path<String>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let form = UploadForm {
        required: true,
        ..UploadForm::default()
    };
    let page = upload_page(&state, &user, &course_id, form, FieldErrors::new()).await?;
    render(&page)
}

fn multipart_error(error: &MultipartError) -> WebError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::PayloadTooLarge
    } else {
        WebError::BadRequest(crate::error::MessageKey("error-malformed-form"))
    }
}

/// The upload's fields; `file` is `None` when no file was sent, and
/// `too_large` is set when the file went over the limit.
struct Upload {
    form: UploadForm,
    file: Option<Vec<u8>>,
    too_large: bool,
}

async fn read_upload(multipart: &mut Multipart, max_bytes: usize) -> Result<Upload, WebError> {
    let mut upload = Upload {
        form: UploadForm::default(),
        file: None,
        too_large: false,
    };
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|error| multipart_error(&error))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let mut content = Vec::new();
            while let Some(chunk) = field
                .chunk()
                .await
                .map_err(|error| multipart_error(&error))?
            {
                if content.len() + chunk.len() > max_bytes {
                    upload.too_large = true;
                    content.clear();
                    // Drain the rest so the form fields after it are read.
                    while field
                        .chunk()
                        .await
                        .map_err(|error| multipart_error(&error))?
                        .is_some()
                    {}
                    break;
                }
                content.extend_from_slice(&chunk);
            }
            if !upload.too_large && !content.is_empty() {
                upload.file = Some(content);
            }
            continue;
        }
        let value = field
            .text()
            .await
            .map_err(|error| multipart_error(&error))?;
        let value = value.trim().to_owned();
        match name.as_str() {
            "module_id" => upload.form.module_id = value,
            "title_el" => upload.form.title_el = value,
            "title_en" => upload.form.title_en = value,
            "required" => upload.form.required = !value.is_empty(),
            _ => {}
        }
    }
    Ok(upload)
}

fn quoted(path: &str) -> String {
    path.chars().take(MAX_QUOTED_PATH_CHARS).collect()
}

/// The message of a refused package, in the user's language.
pub fn refusal_message(t: &Translator, error: &ScormError) -> String {
    let mib = |bytes: u64| {
        i64::try_from(bytes / (1024 * 1024))
            .unwrap_or(i64::MAX)
            .max(1)
    };
    match error {
        ScormError::ArchiveTooLarge { max_bytes } => {
            t.t1("scorm-error-too-large", "max", mib(*max_bytes as u64))
        }
        ScormError::NotZip => t.t("scorm-error-not-zip"),
        ScormError::TooManyEntries { max } => t.t1("scorm-error-too-many-entries", "max", *max),
        ScormError::TooLargeUnpacked { max_bytes } => {
            t.t1("scorm-error-too-large-unpacked", "max", mib(*max_bytes))
        }
        ScormError::UnsafePath { path } => t.t1("scorm-error-unsafe-path", "path", quoted(path)),
        ScormError::Symlink { path } => t.t1("scorm-error-symlink", "path", quoted(path)),
        ScormError::DuplicatePath { path } => t.t1("scorm-error-duplicate", "path", quoted(path)),
        ScormError::UnreadableEntry { path } => {
            t.t1("scorm-error-unreadable", "path", quoted(path))
        }
        ScormError::MissingManifest => t.t("scorm-error-no-manifest"),
        ScormError::InvalidManifest { .. } => t.t("scorm-error-invalid-manifest"),
        ScormError::NotScorm12 {
            found: Some(version),
        } => t.t1("scorm-error-not-scorm-12", "version", quoted(version)),
        ScormError::NotScorm12 { found: None } => t.t("scorm-error-no-version"),
        ScormError::NoSco => t.t("scorm-error-no-sco"),
        ScormError::LaunchFileMissing { path } => {
            t.t1("scorm-error-launch-missing", "path", quoted(path))
        }
    }
}

/// A short code of a refusal for the audit log (no file names).
fn refusal_code(error: &ScormError) -> &'static str {
    match error {
        ScormError::ArchiveTooLarge { .. } => "too_large",
        ScormError::NotZip => "not_zip",
        ScormError::TooManyEntries { .. } => "too_many_entries",
        ScormError::TooLargeUnpacked { .. } => "too_large_unpacked",
        ScormError::UnsafePath { .. } => "unsafe_path",
        ScormError::Symlink { .. } => "symlink",
        ScormError::DuplicatePath { .. } => "duplicate_path",
        ScormError::UnreadableEntry { .. } => "unreadable_entry",
        ScormError::MissingManifest => "missing_manifest",
        ScormError::InvalidManifest { .. } => "invalid_manifest",
        ScormError::NotScorm12 { .. } => "not_scorm_12",
        ScormError::NoSco => "no_sco",
        ScormError::LaunchFileMissing { .. } => "launch_missing",
    }
}

async fn audit_upload(
    state: &AppState,
    user: &CurrentUser,
    outcome: Outcome,
    course_id: &str,
    details: serde_json::Value,
) -> Result<(), WebError> {
    let event = AuditEvent::new("training.scorm.upload", outcome)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("course", course_id)
        .details(details);
    record(&state.store, event).await
}

/// `POST /training/manage/courses/{id}/scorm`: checks and stores a
/// package as a new lesson at the end of the chosen module, then opens
/// the lesson page.
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(course_id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    user.require(Permission::ManageTraining)?;
    let limits = Limits::default();
    let upload = read_upload(&mut multipart, limits.max_archive_bytes).await?;
    let t = Translator::new(user.locale);
    let form = upload.form;

    let id = course_id.clone();
    let modules = state
        .store
        .run(move |db| scorm::course_modules(db, &id))
        .await?;
    let mut errors = FieldErrors::new();
    if !modules.iter().any(|module| module.id == form.module_id) {
        errors.add("module_id", t.t("scorm-error-module"));
    }
    for (field, value) in [("title_el", &form.title_el), ("title_en", &form.title_en)] {
        if value.chars().count() > MAX_TITLE_CHARS {
            errors.add(
                field,
                t.t1("scorm-error-title-too-long", "max", MAX_TITLE_CHARS),
            );
        }
    }
    let checked = match upload.file {
        _ if upload.too_large => Err(ScormError::ArchiveTooLarge {
            max_bytes: limits.max_archive_bytes,
        }),
        None => {
            errors.add("file", t.t("scorm-error-missing-file"));
            Err(ScormError::NotZip)
        }
        Some(bytes) => {
            // Inflating up to 200 MiB is CPU-bound: keep it off the runtime.
            tokio::task::spawn_blocking(move || package::read_package(&bytes, &limits))
                .await
                .map_err(|error| internal("package check failed", error))?
        }
    };
    let package = match checked {
        Ok(package) if errors.is_empty() => package,
        Ok(_) => {
            let page = upload_page(&state, &user, &course_id, form, errors).await?;
            return unprocessable(&page);
        }
        Err(error) => {
            if !errors.has("file") {
                errors.add("file", refusal_message(&t, &error));
                audit_upload(
                    &state,
                    &user,
                    Outcome::Failure,
                    &course_id,
                    json!({ "reason": refusal_code(&error) }),
                )
                .await?;
            }
            let page = upload_page(&state, &user, &course_id, form, errors).await?;
            return unprocessable(&page);
        }
    };

    let package_id = procap_store::new_id();
    let prefix = scorm::storage_prefix(&package_id);
    let objects = object_store(&state).await?;
    let total_bytes = package.total_bytes();
    let file_count = package.files.len();
    let mut written = Vec::with_capacity(file_count);
    let mut write_error = None;
    for file in package.files {
        let location = object_path(&prefix, &file.path);
        match objects.put(&location, file.content.into()).await {
            Ok(_) => written.push(location),
            Err(error) => {
                write_error = Some(error);
                break;
            }
        }
    }

    let title_el = if form.title_el.is_empty() {
        package.title.clone()
    } else {
        form.title_el.clone()
    };
    let title_en = if form.title_en.is_empty() {
        package.title.clone()
    } else {
        form.title_en.clone()
    };
    let stored = match write_error {
        Some(error) => Err(internal("cannot write a package file", error)),
        None => {
            let course = course_id.clone();
            let module = form.module_id.clone();
            let package_id = package_id.clone();
            let package_title = package.title.clone();
            let launch_path = package.launch_path.clone();
            let required = form.required;
            state
                .store
                .run(move |db| {
                    scorm::add_scorm_lesson(
                        db,
                        &NewScormLesson {
                            package_id: &package_id,
                            course_id: &course,
                            module_id: &module,
                            title_el: &title_el,
                            title_en: &title_en,
                            required,
                            package_title: &package_title,
                            launch_path: &launch_path,
                        },
                    )
                })
                .await
                .map_err(WebError::from)
        }
    };
    let lesson_id = match stored {
        Ok(lesson_id) => lesson_id,
        Err(error) => {
            // Files without their row can never be served: remove them.
            for location in &written {
                if let Err(cleanup) = objects.delete(location).await {
                    tracing::warn!(error = %cleanup, "cannot remove a SCORM file without a package row");
                }
            }
            return Err(error);
        }
    };

    audit_upload(
        &state,
        &user,
        Outcome::Success,
        &course_id,
        json!({
            "lesson_id": lesson_id,
            "package_id": package_id,
            "files": file_count,
            "bytes": total_bytes,
        }),
    )
    .await?;
    Ok(Redirect::to(&lesson_href(&lesson_id)).into_response())
}

// --- Lesson and files ------------------------------------------------------------

/// Who is looking at a SCORM lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Viewer {
    /// ManageTraining: sees every package, commits are not stored.
    Trainer,
    /// An enrolled trainee.
    Trainee,
}

/// Loads a SCORM lesson the user may open. Users with neither training
/// permission get 403; a trainee not enrolled in the course, like an
/// unknown lesson, gets 404.
async fn open_lesson(
    state: &AppState,
    user: &CurrentUser,
    lesson_id: &str,
) -> Result<(ScormLesson, Viewer), WebError> {
    let viewer = if user.can(Permission::ManageTraining) {
        Viewer::Trainer
    } else if user.can(Permission::TakeTraining) {
        Viewer::Trainee
    } else {
        return Err(WebError::Forbidden);
    };
    let id = lesson_id.to_owned();
    let trainee = user.user.id.clone();
    let lesson = state
        .store
        .run(move |db| {
            let lesson = scorm::scorm_lesson(db, &id)?;
            if viewer == Viewer::Trainee && !scorm::is_enrolled(db, &trainee, &lesson.course_id)? {
                return Err(StoreError::NotFound);
            }
            Ok(lesson)
        })
        .await?;
    Ok((lesson, viewer))
}

fn status_key(status: LessonStatus) -> &'static str {
    match status {
        LessonStatus::Passed => "scorm-status-passed",
        LessonStatus::Completed => "scorm-status-completed",
        LessonStatus::Failed => "scorm-status-failed",
        LessonStatus::Incomplete => "scorm-status-incomplete",
        LessonStatus::Browsed => "scorm-status-browsed",
        LessonStatus::NotAttempted => "scorm-status-not-attempted",
    }
}

/// `GET /training/scorm/{lesson_id}`: the lesson page.
pub async fn lesson(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(lesson_id): Path<String>,
) -> Result<Response, WebError> {
    let (lesson, viewer) = open_lesson(&state, &user, &lesson_id).await?;
    let trainee = user.user.id.clone();
    let id = lesson.lesson_id.clone();
    let result = match viewer {
        Viewer::Trainee => {
            state
                .store
                .run(move |db| scorm::result(db, &trainee, &id))
                .await?
        }
        Viewer::Trainer => None,
    };

    let ctx = user.page(&lesson_href(&lesson.lesson_id));
    let t = ctx.t;
    let status = result
        .as_ref()
        .map_or(LessonStatus::NotAttempted, |result| result.lesson_status);
    let value = |element: &str| {
        result
            .as_ref()
            .and_then(|result| result.data.get(element).cloned())
            .unwrap_or_default()
    };
    let page = LessonPage {
        title: title_in(user.locale, &lesson.title_el, &lesson.title_en),
        launch_href: file_href(&lesson.lesson_id, &lesson.launch_path),
        commit_href: commit_href(&lesson.lesson_id),
        lesson_mode: match viewer {
            Viewer::Trainee => "normal",
            Viewer::Trainer => "browse",
        },
        credit: match viewer {
            Viewer::Trainee => "credit",
            Viewer::Trainer => "no-credit",
        },
        student_id: user.user.id.clone(),
        student_name: user.user.display_name.clone(),
        status: status.as_str().to_owned(),
        score: result
            .as_ref()
            .and_then(|result| result.score_raw)
            .map(|score| score.to_cmi())
            .unwrap_or_default(),
        suspend_data: value("cmi.suspend_data"),
        lesson_location: value("cmi.core.lesson_location"),
        status_label: t.t(status_key(status)),
        preview: viewer == Viewer::Trainer,
        course_href: format!("/training/courses/{}", lesson.course_id),
        ctx,
    };
    let mut response = render(&page)?;
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(LESSON_PAGE_CSP),
    );
    Ok(response)
}

/// The MIME type of a package file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path
        .rsplit_once('.')
        .map(|(_, extension)| extension.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "xml" | "xsd" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "ogg" => "audio/ogg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "vtt" => "text/vtt; charset=utf-8",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// `GET /training/scorm/{lesson_id}/{path}`: one file of the package, with
/// the package policy ([`PACKAGE_CSP`]).
pub async fn file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((lesson_id, path)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (lesson, _) = open_lesson(&state, &user, &lesson_id).await?;
    let path = safe_relative_path(&path).ok_or(WebError::NotFound)?;

    let objects = object_store(&state).await?;
    let location = object_path(&lesson.storage_prefix, path);
    let content = match objects.get(&location).await {
        Ok(found) => found
            .bytes()
            .await
            .map_err(|error| internal("cannot read a package file", error))?,
        Err(object_store::Error::NotFound { .. }) => return Err(WebError::NotFound),
        Err(error) => return Err(internal("cannot read a package file", error)),
    };

    let mut response = content.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PACKAGE_CSP),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}

/// `POST /training/scorm/{lesson_id}/commit`: stores a commit of the
/// runtime. Answers 204, or 422 with the refused element.
pub async fn commit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(lesson_id): Path<String>,
    Json(values): Json<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let (lesson, viewer) = open_lesson(&state, &user, &lesson_id).await?;
    let commit = match ScormCommit::parse(
        values
            .iter()
            .map(|(element, value)| (element.as_str(), value.as_str())),
    ) {
        Ok(commit) => commit,
        Err(error) => {
            let body = Json(json!({ "error": error.to_string() }));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
        }
    };
    if viewer == Viewer::Trainer {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }

    let trainee = user.user.id.clone();
    let outcome = state
        .store
        .run(move |db| scorm::record_commit(db, &trainee, &lesson, &commit))
        .await?;
    if outcome.viewed_now {
        let completed = outcome
            .recomputed
            .as_ref()
            .is_some_and(|recomputed| recomputed.completed_now);
        tracing::info!(
            lesson_id = %lesson_id,
            status = outcome.result.lesson_status.as_str(),
            course_completed = completed,
            "SCORM lesson counted as viewed"
        );
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
