//! Printed consent forms and the approval of their translations.
//!
//! - `GET /cases/{id}/consents/form`: the information sheet and consent
//!   form for a purpose, recipient and language as PDF, filled with the case
//!   code (never the name), the organisation and today's date. Audited as
//!   `case.consent.print`.
//! - `POST /cases/{id}/consents/{consent_id}/form`: a multipart upload of
//!   the signed form (PDF, PNG or JPEG, recognised from the content). It is
//!   stored as a case attachment, encrypted, and linked to the consent.
//! - `GET /admin/translations` and `POST /admin/translations/{language}`:
//!   administrators approve a language's forms or set them back to draft.
//!   Each change is audited as `translation.approve` or `translation.revoke`.

use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use object_store::ObjectStore;
use object_store::local::LocalFileSystem;
use procap_domain::case::vocab::ConsentPurpose;
use procap_domain::role::Permission;
use procap_reports::forms::{self, FormRequest};
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::notes::{self, NewAttachment};
use procap_store::{case_records, organisations, translations};
use serde::Deserialize;
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::case_access::open_case;
use crate::handlers::consents::{PageExtras, consents_page, may_manage_consents};
use crate::handlers::notes::{
    FileType, clean_file_name, content_disposition, detect_type, name_fits_type,
};
use crate::handlers::render;
use crate::handlers::today;
use crate::i18n::Translator;
use crate::pages::consent_forms::{
    ADMIN_TRANSLATIONS, PrintForm, TranslationRow, TranslationsPage, is_approved, language_label,
    translation_href,
};
use crate::pages::consents::{ConsentForm, consents_href};
use crate::pages::{FieldErrors, Notice};
use crate::state::AppState;

fn internal(what: &'static str, error: impl std::fmt::Display) -> WebError {
    WebError::Internal(anyhow::anyhow!("{what}: {error}"))
}

// --- Printing -----------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
pub struct PrintQuery {
    #[serde(default)]
    form_purpose: String,
    #[serde(default)]
    form_recipient: String,
    #[serde(default)]
    form_language: String,
}

/// A print request checked against the vocabularies and organisations.
struct PrintChoice {
    purpose: ConsentPurpose,
    recipient_id: Option<String>,
    language: &'static str,
}

fn parse_print(
    form: &PrintForm,
    t: &Translator,
    organisation_ids: &[String],
) -> Result<PrintChoice, FieldErrors> {
    let mut errors = FieldErrors::new();
    let purpose = ConsentPurpose::parse(form.purpose.trim());
    if purpose.is_none() {
        errors.add("form_purpose", t.t("form-error-choose"));
    }
    let recipient = form.recipient.trim();
    let recipient_id = match (purpose, recipient.is_empty()) {
        (Some(ConsentPurpose::Sharing), true) => {
            errors.add("form_recipient", t.t("consent-error-recipient-required"));
            None
        }
        (Some(ConsentPurpose::Sharing), false)
            if !organisation_ids.iter().any(|id| id == recipient) =>
        {
            errors.add("form_recipient", t.t("form-error-choose"));
            None
        }
        (Some(ConsentPurpose::Sharing), false) => Some(recipient.to_owned()),
        (_, false) => {
            errors.add(
                "form_recipient",
                t.t("consent-error-recipient-only-sharing"),
            );
            None
        }
        (_, true) => None,
    };
    let language = forms::LANGUAGES
        .iter()
        .copied()
        .find(|language| *language == form.language.trim());
    if language.is_none() {
        errors.add("form_language", t.t("form-error-choose"));
    }
    match (purpose, language, errors.is_empty()) {
        (Some(purpose), Some(language), true) => Ok(PrintChoice {
            purpose,
            recipient_id,
            language,
        }),
        _ => Err(errors),
    }
}

/// `GET /cases/{id}/consents/form`: the consent form as PDF. Bad choices
/// show the consents page again with the print form as typed.
pub async fn print(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Query(query): Query<PrintQuery>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.consent.list").await?;
    if !may_manage_consents(user.role) {
        return Err(WebError::Forbidden);
    }
    let t = Translator::new(user.locale);
    let print = PrintForm {
        purpose: query.form_purpose,
        recipient: query.form_recipient,
        language: query.form_language,
    };

    let organisations = state.store.run(organisations::list).await?;
    let organisation_ids: Vec<String> = organisations.iter().map(|o| o.id.clone()).collect();
    let choice = match parse_print(&print, &t, &organisation_ids) {
        Ok(choice) => choice,
        Err(print_errors) => {
            let form = ConsentForm {
                recorded_on: today().format("%Y-%m-%d").to_string(),
                ..ConsentForm::default()
            };
            let extras = PageExtras {
                print,
                print_errors,
                upload_error: None,
            };
            let page =
                consents_page(&state, &user, &view, form, FieldErrors::new(), extras).await?;
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
    };

    let name_of = |id: &str| {
        organisations
            .iter()
            .find(|organisation| organisation.id == id)
            .map(|organisation| organisation.name.clone())
    };
    let organisation = name_of(&view.case.organisation_id)
        .ok_or_else(|| internal("case organisation", "missing"))?;
    let recipient = choice.recipient_id.as_deref().and_then(name_of);
    let language = choice.language;
    let decision = state
        .store
        .run(move |db| translations::decision(db, language))
        .await?;
    let approved = is_approved(language, decision);

    let case_code = view.case.code.clone();
    let purpose = choice.purpose.as_str();
    let date = today();
    let report = tokio::task::spawn_blocking(move || {
        forms::consent_form(&FormRequest {
            language,
            purpose,
            case_code: &case_code,
            organisation: &organisation,
            recipient: recipient.as_deref(),
            date,
            approved,
        })
    })
    .await
    .map_err(|error| internal("consent form task", error))?
    .map_err(|error| internal("consent form", error))?;

    let event = AuditEvent::new("case.consent.print", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", &case_id)
        .details(json!({
            "purpose": purpose,
            "language": language,
            "recipient_organisation": choice.recipient_id,
            "approved_translation": approved,
        }));
    record(&state.store, event).await?;

    let file_name = format!("{}-{}-{}.pdf", view.case.code, purpose, language);
    let disposition = HeaderValue::from_str(&content_disposition(&file_name))
        .map_err(|error| internal("content disposition", error))?;
    let mut response = report.pdf.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(FileType::Pdf.mime()),
    );
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

// --- Signed forms ---------------------------------------------------------------

/// Reads the `file` field, at most `max_bytes`; other fields are skipped.
async fn read_file(
    multipart: &mut Multipart,
    max_bytes: usize,
) -> Result<Option<(String, Vec<u8>)>, WebError> {
    let malformed = |status: StatusCode| {
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::PayloadTooLarge
        } else {
            WebError::BadRequest(crate::error::MessageKey("error-malformed-form"))
        }
    };
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|error| malformed(error.status()))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let file_name = field.file_name().unwrap_or_default().to_owned();
        let mut content = Vec::new();
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|error| malformed(error.status()))?
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

/// Checks an uploaded signed form: present, not empty, a PDF or an image
/// by its content, and a name that does not claim another type. The error
/// is the Fluent key of the message.
fn check_signed_form(
    file: Option<(String, Vec<u8>)>,
) -> Result<(String, FileType, Vec<u8>), &'static str> {
    let Some((raw_name, content)) = file else {
        return Err("attachments-error-missing");
    };
    if content.is_empty() {
        return Err("attachments-error-empty");
    }
    let file_name = clean_file_name(&raw_name);
    match detect_type(&content) {
        Some(kind @ (FileType::Pdf | FileType::Png | FileType::Jpeg)) => {
            if name_fits_type(&file_name, kind) {
                Ok((file_name, kind, content))
            } else {
                Err("attachments-error-name-mismatch")
            }
        }
        _ => Err("consent-forms-error-type"),
    }
}

/// `POST /cases/{id}/consents/{consent_id}/form`: stores the signed form as
/// an encrypted case attachment and links it to the consent.
pub async fn attach(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((case_id, consent_id)): Path<(String, String)>,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.consent.form").await?;
    if !may_manage_consents(user.role) {
        return Err(WebError::Forbidden);
    }
    let id = case_id.clone();
    let consents = state
        .store
        .run(move |db| case_records::list_consents(db, &id))
        .await?;
    if !consents.iter().any(|consent| consent.id == consent_id) {
        return Err(WebError::NotFound);
    }

    let settings = state.config.attachments.clone();
    let file = read_file(&mut multipart, settings.max_bytes).await?;
    let (file_name, kind, content) = match check_signed_form(file) {
        Ok(checked) => checked,
        Err(message_key) => {
            let event = AuditEvent::new("case.consent.form.attach", Outcome::Failure)
                .actor(&user.user.id, &user.user.username)
                .client_ip(user.client_ip.as_deref())
                .object("case", &case_id)
                .details(json!({ "consent": consent_id, "reason": message_key }));
            record(&state.store, event).await?;
            let t = Translator::new(user.locale);
            let extras = PageExtras {
                upload_error: Some((consent_id, t.t(message_key))),
                ..PageExtras::default()
            };
            let form = ConsentForm {
                recorded_on: today().format("%Y-%m-%d").to_string(),
                ..ConsentForm::default()
            };
            let page =
                consents_page(&state, &user, &view, form, FieldErrors::new(), extras).await?;
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
    };

    let attachment_id = procap_store::new_id();
    let object_key = procap_store::new_id();
    let size_bytes = i64::try_from(content.len()).unwrap_or(i64::MAX);
    let sealed = notes::seal_attachment(&state.store.keys(), &attachment_id, &content);
    drop(content);
    tokio::fs::create_dir_all(&settings.dir)
        .await
        .map_err(|error| internal("cannot create the attachments folder", error))?;
    let objects = LocalFileSystem::new_with_prefix(&settings.dir)
        .map_err(|error| internal("cannot open the attachments folder", error))?;
    let location = object_store::path::Path::from(object_key.as_str());
    objects
        .put(&location, sealed.into())
        .await
        .map_err(|error| internal("cannot write the attachment", error))?;

    let (case, consent, attachment, key, by) = (
        case_id.clone(),
        consent_id.clone(),
        attachment_id.clone(),
        object_key.clone(),
        user.user.id.clone(),
    );
    let stored = state
        .store
        .run(move |db| {
            db.transaction(|db| {
                notes::add_attachment(
                    db,
                    &NewAttachment {
                        id: &attachment,
                        case_id: &case,
                        file_name: &file_name,
                        content_type: kind.mime(),
                        size_bytes,
                        object_key: &key,
                        uploaded_by: &by,
                    },
                )?;
                translations::attach_consent_form(db, &case, &consent, &attachment, &by)
            })
        })
        .await;
    if let Err(error) = stored {
        // Without its row the object can never be read again.
        if let Err(cleanup) = objects.delete(&location).await {
            tracing::warn!(error = %cleanup, "cannot remove a signed form object without a row");
        }
        return Err(error.into());
    }

    let event = AuditEvent::new("case.consent.form.attach", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", &case_id)
        .details(json!({
            "consent": consent_id,
            "attachment_id": attachment_id,
            "content_type": kind.mime(),
            "size_bytes": size_bytes,
        }));
    record(&state.store, event).await?;
    Ok(Redirect::to(&format!("{}?done=attached", consents_href(&case_id))).into_response())
}

// --- Translations -----------------------------------------------------------------

async fn translations_page(
    state: &AppState,
    user: &CurrentUser,
    notice: Option<Notice>,
) -> Result<Response, WebError> {
    let decisions = state.store.run(translations::list_decisions).await?;
    let mut ctx = user.page(ADMIN_TRANSLATIONS);
    let t = ctx.t;
    let rows = forms::LANGUAGES
        .iter()
        .map(|language| {
            let decision = decisions
                .iter()
                .find(|decision| decision.language == *language);
            let approved = is_approved(language, decision.map(|d| d.approved));
            TranslationRow {
                language: (*language).to_owned(),
                name: language_label(&t, language, true),
                approved,
                by_default: approved && decision.is_none(),
                changed: decision
                    .map(|d| {
                        t.t2(
                            "translations-changed",
                            "user",
                            d.changed_by.clone(),
                            "at",
                            t.format_datetime(&d.changed_at),
                        )
                    })
                    .unwrap_or_default(),
                href: translation_href(language),
            }
        })
        .collect();
    ctx.notice = notice;
    render(&TranslationsPage { ctx, rows })
}

/// `GET /admin/translations`.
pub async fn list_translations(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    user.require(Permission::ManageUsers)?;
    translations_page(&state, &user, None).await
}

#[derive(Debug, Deserialize)]
pub struct ApprovalInput {
    #[serde(default)]
    approved: String,
}

/// `POST /admin/translations/{language}` with `approved=yes` or `no`.
pub async fn change_translation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(language): Path<String>,
    Form(input): Form<ApprovalInput>,
) -> Result<Response, WebError> {
    user.require(Permission::ManageUsers)?;
    let Some(language) = forms::LANGUAGES.iter().copied().find(|l| *l == language) else {
        return Err(WebError::NotFound);
    };
    let approved = match input.approved.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(WebError::BadRequest(crate::error::MessageKey(
                "error-malformed-form",
            )));
        }
    };

    let by = user.user.id.clone();
    state
        .store
        .run(move |db| translations::set_approved(db, language, approved, &by))
        .await?;
    let action = if approved {
        "translation.approve"
    } else {
        "translation.revoke"
    };
    let event = AuditEvent::new(action, Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("translation", language)
        .details(json!({ "language": language }));
    record(&state.store, event).await?;

    let t = Translator::new(user.locale);
    let name = language_label(&t, language, true);
    let key = if approved {
        "translations-approved"
    } else {
        "translations-revoked"
    };
    translations_page(
        &state,
        &user,
        Some(Notice::success(t.t1(key, "language", name))),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use procap_domain::locale::Locale;

    fn choice(purpose: &str, recipient: &str, language: &str) -> Result<PrintChoice, FieldErrors> {
        parse_print(
            &PrintForm {
                purpose: purpose.to_owned(),
                recipient: recipient.to_owned(),
                language: language.to_owned(),
            },
            &Translator::new(Locale::En),
            &["org-1".to_owned()],
        )
    }

    #[test]
    fn print_choices_are_checked() {
        assert!(choice("sharing", "org-1", "ar").is_ok());
        assert!(choice("sharing", "", "ar").is_err_and(|e| e.has("form_recipient")));
        assert!(choice("research", "org-1", "ar").is_err_and(|e| e.has("form_recipient")));
        assert!(choice("research", "", "de").is_err_and(|e| e.has("form_language")));
        assert!(choice("marketing", "", "el").is_err_and(|e| e.has("form_purpose")));
    }

    #[test]
    fn signed_forms_must_be_pdf_or_images() {
        let pdf = Some(("signed.pdf".to_owned(), b"%PDF-1.7 ...".to_vec()));
        assert!(check_signed_form(pdf).is_ok());
        let text = Some(("signed.txt".to_owned(), b"plain text".to_vec()));
        assert_eq!(
            check_signed_form(text).unwrap_err(),
            "consent-forms-error-type"
        );
        let renamed = Some(("signed.png".to_owned(), b"%PDF-1.7".to_vec()));
        assert_eq!(
            check_signed_form(renamed).unwrap_err(),
            "attachments-error-name-mismatch"
        );
        assert_eq!(
            check_signed_form(None).unwrap_err(),
            "attachments-error-missing"
        );
    }
}
