//! Case notes and attachments.
//!
//! - `GET`/`POST /cases/{id}/notes`: notes newest first, the attachment
//!   list, and the note form. Note texts are encrypted at rest.
//! - `POST /cases/{id}/attachments`: a multipart upload of one file. Its
//!   type is read from the content's first bytes (PDF, PNG, JPEG or plain
//!   text); the file name and the browser's Content-Type are never trusted,
//!   and a name whose extension names another type is refused. The bytes
//!   are encrypted with the key ring, bound to the attachment's row, and
//!   written through `object_store` under a random key, so no part of the
//!   file name reaches the filesystem.
//! - `GET /cases/{id}/attachments/{attachment_id}`: the download, as an
//!   attachment with the detected type and `nosniff`, audited as
//!   `case.attachment.download`. The case is checked as the notes page
//!   checks it, break-glass included.

use std::path::PathBuf;

use axum::Form;
use axum::extract::multipart::MultipartError;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use object_store::ObjectStore;
use object_store::local::LocalFileSystem;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::cases::CaseView;
use procap_store::notes::{self, Attachment, NewAttachment, Note};
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::case_access::{audited_id, open_case};
use crate::handlers::render;
use crate::i18n::Translator;
use crate::pages::notes::{AttachmentRow, NoteRow, NotesPage, notes_href};
use crate::pages::{FieldErrors, paths};
use crate::state::AppState;

/// The largest attachment accepted by default: 10 MiB.
pub const DEFAULT_MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
/// Room for the multipart envelope around the file.
const MULTIPART_OVERHEAD_BYTES: usize = 64 * 1024;
/// Longest accepted note, in characters.
const MAX_NOTE_CHARS: usize = 20_000;

/// Where attachments are kept and how large they may be.
#[derive(Debug, Clone)]
pub struct AttachmentSettings {
    /// The local folder the object store writes to (`DATA_DIR/attachments`).
    pub dir: PathBuf,
    /// The largest file accepted, in bytes.
    pub max_bytes: usize,
}

impl AttachmentSettings {
    /// Attachments in `dir` with the default size limit.
    pub fn in_dir(dir: PathBuf) -> Self {
        AttachmentSettings {
            dir,
            max_bytes: DEFAULT_MAX_ATTACHMENT_BYTES,
        }
    }

    /// The request body limit of the upload route: the file plus the
    /// multipart envelope.
    pub fn body_limit(&self) -> usize {
        self.max_bytes + MULTIPART_OVERHEAD_BYTES
    }

    async fn object_store(&self) -> Result<LocalFileSystem, WebError> {
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(|error| internal("cannot create the attachments folder", error))?;
        LocalFileSystem::new_with_prefix(&self.dir)
            .map_err(|error| internal("cannot open the attachments folder", error))
    }
}

fn internal(what: &'static str, error: impl std::fmt::Display) -> WebError {
    WebError::Internal(anyhow::anyhow!("{what}: {error}"))
}

mod file_type;

pub use file_type::{FileType, clean_file_name, content_disposition, detect_type, name_fits_type};

fn format_size(t: &Translator, bytes: i64) -> String {
    let kib = (bytes + 1023) / 1024;
    t.t1("attachments-size-kib", "size", t.format_number(&kib.max(1)))
}

// --- Pages --------------------------------------------------------------------

/// `GET /cases/{id}/notes`: the case's notes and attachments.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.notes.view").await?;
    let page = notes_page(&state, &user, &view, String::new(), FieldErrors::new()).await?;
    render(&page)
}

async fn notes_page(
    state: &AppState,
    user: &CurrentUser,
    view: &CaseView,
    note: String,
    errors: FieldErrors,
) -> Result<NotesPage, WebError> {
    let case_id = view.case.id.clone();
    let (notes, attachments): (Vec<Note>, Vec<Attachment>) = state
        .store
        .run(move |db| {
            Ok((
                notes::list_notes(db, &case_id)?,
                notes::list_attachments(db, &case_id)?,
            ))
        })
        .await?;
    let ctx = user.page(paths::CASES);
    let t = ctx.t;
    let max_mib = state.config.attachments.max_bytes / (1024 * 1024);
    Ok(NotesPage {
        case_id: view.case.id.clone(),
        case_code: view.case.code.clone(),
        notes: notes
            .into_iter()
            .map(|note| NoteRow {
                created_at: t.format_datetime(&note.created_at),
                body: note.body,
                author: note.author,
            })
            .collect(),
        attachments: attachments
            .iter()
            .map(|attachment| AttachmentRow {
                file_name: attachment.file_name.clone(),
                kind: FileType::from_mime(&attachment.content_type).map_or_else(
                    || attachment.content_type.clone(),
                    |kind| t.t(kind.label_key()),
                ),
                size: format_size(&t, attachment.size_bytes),
                uploaded_by: attachment.uploaded_by.clone(),
                uploaded_at: t.format_datetime(&attachment.uploaded_at),
                href: format!("/cases/{}/attachments/{}", view.case.id, attachment.id),
            })
            .collect(),
        note,
        errors,
        max_size: t.t1("attachments-size-mib", "size", max_mib),
        ctx,
    })
}

fn unprocessable(page: &NotesPage) -> Result<Response, WebError> {
    let mut response = render(page)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

async fn audit(
    state: &AppState,
    user: &CurrentUser,
    action: &str,
    outcome: Outcome,
    case_id: &str,
    details: serde_json::Value,
) -> Result<(), WebError> {
    let event = AuditEvent::new(action, outcome)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", case_id)
        .details(details);
    record(&state.store, event).await
}

/// `POST /cases/{id}/notes`: adds a note and returns to the notes page.
pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.notes.view").await?;
    let t = Translator::new(user.locale);
    let body = pairs
        .iter()
        .find(|(name, _)| name == "body")
        .map(|(_, value)| value.trim().to_owned())
        .unwrap_or_default();
    let mut errors = FieldErrors::new();
    if body.is_empty() {
        errors.add("body", t.t("notes-error-empty"));
    } else if body.chars().count() > MAX_NOTE_CHARS {
        errors.add("body", t.t1("notes-error-too-long", "max", MAX_NOTE_CHARS));
    }
    if !errors.is_empty() {
        let page = notes_page(&state, &user, &view, body, errors).await?;
        return unprocessable(&page);
    }

    let id = case_id.clone();
    let author = user.user.id.clone();
    let note_id = state
        .store
        .run(move |db| notes::add_note(db, &id, &author, &body))
        .await?;
    audit(
        &state,
        &user,
        "case.note.add",
        Outcome::Success,
        &case_id,
        json!({ "note_id": note_id }),
    )
    .await?;
    Ok(Redirect::to(&notes_href(&case_id)).into_response())
}

/// Why an upload was refused, for the audit log and the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    Missing,
    Empty,
    Type,
    NameMismatch,
}

impl Refusal {
    fn code(self) -> &'static str {
        match self {
            Refusal::Missing => "missing",
            Refusal::Empty => "empty",
            Refusal::Type => "type",
            Refusal::NameMismatch => "name_mismatch",
        }
    }

    fn message_key(self) -> &'static str {
        match self {
            Refusal::Missing => "attachments-error-missing",
            Refusal::Empty => "attachments-error-empty",
            Refusal::Type => "attachments-error-type",
            Refusal::NameMismatch => "attachments-error-name-mismatch",
        }
    }
}

fn multipart_error(error: &MultipartError) -> WebError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::PayloadTooLarge
    } else {
        WebError::BadRequest(crate::error::MessageKey("error-malformed-form"))
    }
}

/// Reads the `file` field, at most `max_bytes`; other fields are skipped.
async fn read_file(
    multipart: &mut Multipart,
    max_bytes: usize,
) -> Result<Option<(String, Vec<u8>)>, WebError> {
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|error| multipart_error(&error))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let file_name = field.file_name().unwrap_or_default().to_owned();
        let mut content = Vec::new();
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|error| multipart_error(&error))?
        {
            if content.len() + chunk.len() > max_bytes {
                return Err(WebError::PayloadTooLarge);
            }
            content.extend_from_slice(&chunk);
        }
        return Ok(Some((file_name, content)));
    }
    Ok(None)
}

/// `POST /cases/{id}/attachments`: stores one uploaded file, encrypted,
/// and returns to the notes page.
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.notes.view").await?;
    let settings = state.config.attachments.clone();
    let file = match read_file(&mut multipart, settings.max_bytes).await {
        Err(WebError::PayloadTooLarge) => {
            audit(
                &state,
                &user,
                "case.attachment.upload",
                Outcome::Failure,
                &case_id,
                json!({ "reason": "too_large" }),
            )
            .await?;
            return Err(WebError::PayloadTooLarge);
        }
        other => other?,
    };

    let checked = match file {
        None => Err(Refusal::Missing),
        Some((_, content)) if content.is_empty() => Err(Refusal::Empty),
        Some((raw_name, content)) => {
            let file_name = clean_file_name(&raw_name);
            match detect_type(&content) {
                None => Err(Refusal::Type),
                Some(kind) if !name_fits_type(&file_name, kind) => Err(Refusal::NameMismatch),
                Some(kind) => Ok((file_name, kind, content)),
            }
        }
    };
    let (file_name, kind, content) = match checked {
        Ok(checked) => checked,
        Err(refusal) => {
            audit(
                &state,
                &user,
                "case.attachment.upload",
                Outcome::Failure,
                &case_id,
                json!({ "reason": refusal.code() }),
            )
            .await?;
            let t = Translator::new(user.locale);
            let mut errors = FieldErrors::new();
            errors.add("file", t.t(refusal.message_key()));
            let page = notes_page(&state, &user, &view, String::new(), errors).await?;
            return unprocessable(&page);
        }
    };

    let attachment_id = procap_store::new_id();
    let object_key = procap_store::new_id();
    let size_bytes = i64::try_from(content.len()).unwrap_or(i64::MAX);
    let sealed = notes::seal_attachment(&state.store.keys(), &attachment_id, &content);
    drop(content);
    let objects = settings.object_store().await?;
    let location = object_store::path::Path::from(object_key.as_str());
    objects
        .put(&location, sealed.into())
        .await
        .map_err(|error| internal("cannot write the attachment", error))?;

    let id = attachment_id.clone();
    let case = case_id.clone();
    let key = object_key.clone();
    let by = user.user.id.clone();
    let stored = state
        .store
        .run(move |db| {
            notes::add_attachment(
                db,
                &NewAttachment {
                    id: &id,
                    case_id: &case,
                    file_name: &file_name,
                    content_type: kind.mime(),
                    size_bytes,
                    object_key: &key,
                    uploaded_by: &by,
                },
            )
        })
        .await;
    if let Err(error) = stored {
        // Without its row the object can never be read again.
        if let Err(cleanup) = objects.delete(&location).await {
            tracing::warn!(error = %cleanup, "cannot remove an attachment object without a row");
        }
        return Err(error.into());
    }

    audit(
        &state,
        &user,
        "case.attachment.upload",
        Outcome::Success,
        &case_id,
        json!({
            "attachment_id": attachment_id,
            "content_type": kind.mime(),
            "size_bytes": size_bytes,
        }),
    )
    .await?;
    Ok(Redirect::to(&notes_href(&case_id)).into_response())
}

/// `GET /cases/{id}/attachments/{attachment_id}`: the decrypted file as a
/// download. The case goes through the same check as the notes page, so a
/// case of the user's organisation outside their scope offers break-glass
/// and downloads after a grant; other organisations' cases, unknown ids and
/// another case's attachment answer 404.
pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((case_id, attachment_id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    open_case(&state, &user, &case_id, "case.notes.view").await?;
    let case = case_id.clone();
    let id = attachment_id.clone();
    let found = state
        .store
        .run(move |db| match notes::get_attachment(db, &case, &id) {
            Ok(attachment) => Ok(Some(attachment)),
            Err(procap_store::StoreError::NotFound) => Ok(None),
            Err(error) => Err(error),
        })
        .await?;
    let outcome = if found.is_some() {
        Outcome::Success
    } else {
        Outcome::Denied
    };
    audit(
        &state,
        &user,
        "case.attachment.download",
        outcome,
        &case_id,
        json!({ "attachment_id": audited_id(&attachment_id) }),
    )
    .await?;
    let attachment = found.ok_or(WebError::NotFound)?;

    let objects = state.config.attachments.object_store().await?;
    let location = object_store::path::Path::from(attachment.object_key.as_str());
    let sealed = objects
        .get(&location)
        .await
        .map_err(|error| internal("cannot read the attachment", error))?
        .bytes()
        .await
        .map_err(|error| internal("cannot read the attachment", error))?;
    let content = notes::open_attachment(&state.store.keys(), &attachment.id, &sealed)?;

    let kind = FileType::from_mime(&attachment.content_type).ok_or_else(|| {
        internal(
            "stored attachment type is unknown",
            &attachment.content_type,
        )
    })?;
    let disposition = HeaderValue::from_str(&content_disposition(&attachment.file_name))
        .map_err(|error| internal("content disposition", error))?;
    let mut response = content.to_vec().into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind.mime()));
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_content() {
        assert_eq!(detect_type(b"%PDF-1.7\n..."), Some(FileType::Pdf));
        assert_eq!(
            detect_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(FileType::Png)
        );
        assert_eq!(
            detect_type(&[0xFF, 0xD8, 0xFF, 0xE0, 0]),
            Some(FileType::Jpeg)
        );
        assert_eq!(
            detect_type("Σημείωση\r\nline two\t".as_bytes()),
            Some(FileType::Text)
        );
        assert_eq!(detect_type(b"MZ\x90\0\x03\0"), None);
        assert_eq!(detect_type(b"PK\x03\x04"), None);
        assert_eq!(detect_type(&[0xC3, 0x28]), None);
        assert_eq!(detect_type(b""), None);
    }

    #[test]
    fn names_lose_their_path_and_must_fit_the_type() {
        assert_eq!(clean_file_name("../../etc/passwd.png"), "passwd.png");
        assert_eq!(clean_file_name("C:\\Users\\x\\scan.pdf"), "scan.pdf");
        assert_eq!(clean_file_name(".."), "attachment");
        // Found by the attachment_type fuzz target: dots after a space
        // survived a single trim.
        assert_eq!(clean_file_name(" \0.. .. \0"), "attachment");
        assert_eq!(clean_file_name(". .hidden.txt"), "hidden.txt");
        assert_eq!(clean_file_name(" ..\t.. report.pdf"), "report.pdf");
        assert_eq!(clean_file_name("a\u{0}b.txt"), "ab.txt");
        assert!(!name_fits_type("passwd.png", FileType::Text));
        assert!(name_fits_type("Scan.PDF", FileType::Pdf));
        assert!(name_fits_type("readme", FileType::Text));
        assert!(!name_fits_type("photo.jpg", FileType::Png));
    }

    #[test]
    fn disposition_forces_a_download_with_a_safe_name() {
        let value = content_disposition("έκθεση \"τελική\".pdf");
        assert!(value.starts_with("attachment; filename=\""));
        assert_eq!(value.matches('"').count(), 2);
        assert!(value.contains("filename*=UTF-8''%CE%AD"));
        assert!(HeaderValue::from_str(&value).is_ok());
    }
}
