//! Consents of a case: `GET`/`POST /cases/{id}/consents` (the list and the
//! form that records a consent given or refused) and
//! `POST /cases/{id}/consents/{consent_id}/withdraw` (a confirmation page
//! first, then the withdrawal from today). Printing the consent form and
//! attaching the signed copy live in `consent_forms`.
//!
//! Anyone whose scope contains the case sees the list; only caseworkers and
//! coordinators record and withdraw consents.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use procap_domain::case::geo;
use procap_domain::case::vocab::ConsentPurpose;
use procap_domain::role::Role;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::case_records::{self, NewConsent};
use procap_store::cases::CaseView;
use procap_store::{organisations, translations};
use serde::Deserialize;
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::case_access::open_case;
use crate::handlers::render;
use crate::handlers::services::parse_date;
use crate::handlers::today;
use crate::i18n::Translator;
use crate::pages::cases::code_label;
use crate::pages::consent_forms::{PrintForm, attach_href, is_approved, print_href};
use crate::pages::consents::{ConsentForm, ConsentRow, ConsentsPage, consents_href};
use crate::pages::services::{CaseHeading, consent_action_href};
use crate::pages::{ConfirmPage, FieldErrors, HiddenField, Notice};
use crate::state::AppState;

/// Returns whether `role` may record and withdraw consents.
pub fn may_manage_consents(role: Role) -> bool {
    matches!(role, Role::Caseworker | Role::Coordinator)
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// `recorded` or `withdrawn` after a change, for the notice.
    #[serde(default)]
    done: String,
}

/// `GET /cases/{id}/consents`: the case's consents, newest first.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.consent.list").await?;
    let form = ConsentForm {
        recorded_on: today().format("%Y-%m-%d").to_string(),
        ..ConsentForm::default()
    };
    let notice_key = match query.done.as_str() {
        "recorded" => Some("consent-recorded"),
        "withdrawn" => Some("consent-withdrawn"),
        "attached" => Some("consent-forms-attached"),
        _ => None,
    };
    let mut page = consents_page(
        &state,
        &user,
        &view,
        form,
        FieldErrors::new(),
        PageExtras::default(),
    )
    .await?;
    if let Some(key) = notice_key {
        let message = page.ctx.t.t(key);
        page.ctx = page.ctx.with_notice(Notice::success(message));
    }
    render(&page)
}

/// The print form and upload errors shown beside the consent form.
#[derive(Debug, Default)]
pub struct PageExtras {
    pub print: PrintForm,
    pub print_errors: FieldErrors,
    /// The consent whose signed-form upload failed, and the message.
    pub upload_error: Option<(String, String)>,
}

/// Builds the consents page with the consent form as typed.
pub async fn consents_page(
    state: &AppState,
    user: &CurrentUser,
    view: &CaseView,
    form: ConsentForm,
    errors: FieldErrors,
    extras: PageExtras,
) -> Result<ConsentsPage, WebError> {
    let id = view.case.id.clone();
    let (consents, organisations, signed_forms, decisions) = state
        .store
        .run(move |db| {
            Ok((
                case_records::list_consents(db, &id)?,
                organisations::list(db)?,
                translations::consent_forms_of_case(db, &id)?,
                translations::list_decisions(db)?,
            ))
        })
        .await?;
    let language_approvals = procap_reports::forms::LANGUAGES
        .iter()
        .map(|language| {
            let decision = decisions
                .iter()
                .find(|decision| decision.language == *language)
                .map(|decision| decision.approved);
            ((*language).to_owned(), is_approved(language, decision))
        })
        .collect();

    let ctx = user.page(&consents_href(&view.case.id));
    let t = ctx.t;
    let can_record = may_manage_consents(user.role);
    let organisation_name = |id: &str| {
        organisations
            .iter()
            .find(|organisation| organisation.id == id)
            .map_or(id.to_owned(), |organisation| organisation.name.clone())
    };
    let rows = consents
        .iter()
        .map(|consent| ConsentRow {
            purpose: code_label::<ConsentPurpose>(&t, &consent.purpose),
            recipient: consent
                .recipient_organisation_id
                .as_deref()
                .map(organisation_name)
                .unwrap_or_default(),
            given: consent.given,
            recorded_on: t.format_date(&consent.recorded_on),
            language: geo::language(&consent.language)
                .map_or(consent.language.clone(), |language| {
                    language.name(t.locale()).to_owned()
                }),
            withdrawn_on: consent
                .withdrawn_on
                .map(|on| t.format_date(&on))
                .unwrap_or_default(),
            withdraw_href: (can_record && consent.withdrawn_on.is_none())
                .then(|| consent_action_href(&view.case.id, &consent.id, "withdraw")),
            id: consent.id.clone(),
            signed_form_href: signed_forms
                .iter()
                .find(|(consent_id, _)| *consent_id == consent.id)
                .map(|(_, attachment_id)| {
                    format!("/cases/{}/attachments/{attachment_id}", view.case.id)
                }),
            attach_href: can_record.then(|| attach_href(&view.case.id, &consent.id)),
            upload_error: extras
                .upload_error
                .as_ref()
                .filter(|(consent_id, _)| *consent_id == consent.id)
                .map(|(_, message)| message.clone())
                .unwrap_or_default(),
        })
        .collect();
    Ok(ConsentsPage {
        case: CaseHeading::new(&t, &view.case),
        rows,
        can_record,
        form,
        errors,
        organisations: organisations
            .iter()
            .map(|organisation| (organisation.id.clone(), organisation.name.clone()))
            .collect(),
        print: extras.print,
        print_errors: extras.print_errors,
        print_href: print_href(&view.case.id),
        language_approvals,
        ctx,
    })
}

/// A consent checked and ready for the store.
pub struct ParsedConsent {
    pub purpose: ConsentPurpose,
    pub recipient_organisation_id: Option<String>,
    pub given: bool,
    pub recorded_on: chrono::NaiveDate,
    pub language: &'static str,
}

/// Checks a consent form: a sharing consent names a known recipient and no
/// other purpose does; the date is not in the future. The errors name the
/// form's fields.
pub fn parse_consent(
    form: &ConsentForm,
    t: &Translator,
    organisation_ids: &[String],
    today: chrono::NaiveDate,
) -> Result<ParsedConsent, FieldErrors> {
    let mut errors = FieldErrors::new();
    let purpose = ConsentPurpose::parse(form.purpose.trim());
    if purpose.is_none() {
        errors.add("purpose", t.t("form-error-choose"));
    }
    let recipient = form.recipient_organisation_id.trim();
    let recipient_organisation_id = match (purpose, recipient.is_empty()) {
        (Some(ConsentPurpose::Sharing), true) => {
            errors.add(
                "recipient_organisation_id",
                t.t("consent-error-recipient-required"),
            );
            None
        }
        (Some(ConsentPurpose::Sharing), false)
            if !organisation_ids.iter().any(|id| id == recipient) =>
        {
            errors.add("recipient_organisation_id", t.t("form-error-choose"));
            None
        }
        (Some(ConsentPurpose::Sharing), false) => Some(recipient.to_owned()),
        (_, false) => {
            errors.add(
                "recipient_organisation_id",
                t.t("consent-error-recipient-only-sharing"),
            );
            None
        }
        (_, true) => None,
    };
    let given = match form.given.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.add("given", t.t("form-error-choose"));
            None
        }
    };
    let recorded_on = if form.recorded_on.trim().is_empty() {
        errors.add("recorded_on", t.t("form-error-required"));
        None
    } else {
        parse_date(&mut errors, t, "recorded_on", &form.recorded_on)
    };
    let recorded_on = match recorded_on {
        Some(date) if date > today => {
            errors.add("recorded_on", t.t("service-error-date-future"));
            None
        }
        other => other,
    };
    let language = geo::language(form.language.trim()).map(|language| language.code);
    if language.is_none() {
        errors.add("language", t.t("form-error-choose"));
    }

    match (purpose, given, recorded_on, language, errors.is_empty()) {
        (Some(purpose), Some(given), Some(recorded_on), Some(language), true) => {
            Ok(ParsedConsent {
                purpose,
                recipient_organisation_id,
                given,
                recorded_on,
                language,
            })
        }
        _ => Err(errors),
    }
}

/// `POST /cases/{id}/consents`: records a consent given or refused.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.consent.form").await?;
    if !may_manage_consents(user.role) {
        return Err(WebError::Forbidden);
    }
    let form = ConsentForm::from_pairs(&pairs);
    let t = Translator::new(user.locale);

    let organisation_ids: Vec<String> = state
        .store
        .run(organisations::list)
        .await?
        .into_iter()
        .map(|organisation| organisation.id)
        .collect();
    let parsed = match parse_consent(&form, &t, &organisation_ids, today()) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let page =
                consents_page(&state, &user, &view, form, errors, PageExtras::default()).await?;
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
    };

    let id = case_id.clone();
    let recorded_by = user.user.id.clone();
    let recipient = parsed.recipient_organisation_id.clone();
    let consent_id = state
        .store
        .run(move |db| {
            case_records::record_consent(
                db,
                &NewConsent {
                    case_id: &id,
                    purpose: parsed.purpose.as_str(),
                    recipient_organisation_id: recipient.as_deref(),
                    given: parsed.given,
                    recorded_on: parsed.recorded_on,
                    language: parsed.language,
                    recorded_by: &recorded_by,
                },
            )
        })
        .await?;
    let event = AuditEvent::new("case.consent.create", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", &case_id)
        .details(json!({
            "consent": consent_id,
            "purpose": parsed.purpose.as_str(),
            "recipient_organisation": parsed.recipient_organisation_id,
            "given": parsed.given,
        }));
    record(&state.store, event).await?;

    Ok(Redirect::to(&format!("{}?done=recorded", consents_href(&case_id))).into_response())
}

/// `POST /cases/{id}/consents/{consent_id}/withdraw`: without
/// `confirmed=yes` shows the confirmation page; with it, marks the consent
/// withdrawn from today. A consent of another case, or one already
/// withdrawn, returns 404.
pub async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((case_id, consent_id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.consent.form").await?;
    if !may_manage_consents(user.role) {
        return Err(WebError::Forbidden);
    }
    let confirmed = pairs
        .iter()
        .any(|(name, value)| name == "confirmed" && value == "yes");

    if !confirmed {
        let id = case_id.clone();
        let consents = state
            .store
            .run(move |db| case_records::list_consents(db, &id))
            .await?;
        let Some(consent) = consents
            .iter()
            .find(|consent| consent.id == consent_id && consent.withdrawn_on.is_none())
        else {
            return Err(WebError::NotFound);
        };
        let ctx = user.page(&consents_href(&case_id));
        let t = ctx.t;
        let page = ConfirmPage {
            title: t.t("consent-withdraw-title"),
            message: t.t2(
                "consent-withdraw-message",
                "purpose",
                code_label::<ConsentPurpose>(&t, &consent.purpose),
                "code",
                view.case.code.clone(),
            ),
            action: consent_action_href(&case_id, &consent_id, "withdraw"),
            hidden: vec![HiddenField {
                name: "confirmed".to_owned(),
                value: "yes".to_owned(),
            }],
            confirm_label: t.t("consent-withdraw-button"),
            cancel_href: consents_href(&case_id),
            destructive: true,
            ctx,
        };
        return render(&page);
    }

    let id = case_id.clone();
    let consent = consent_id.clone();
    let on = today();
    state
        .store
        .run(move |db| case_records::withdraw_consent(db, &id, &consent, on))
        .await?;
    let event = AuditEvent::new("case.consent.withdraw", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", &case_id)
        .details(json!({ "consent": consent_id }));
    record(&state.store, event).await?;

    Ok(Redirect::to(&format!("{}?done=withdrawn", consents_href(&case_id))).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use procap_domain::locale::Locale;

    fn form(purpose: &str, recipient: &str) -> ConsentForm {
        ConsentForm {
            purpose: purpose.to_owned(),
            recipient_organisation_id: recipient.to_owned(),
            given: "yes".to_owned(),
            recorded_on: "2026-05-01".to_owned(),
            language: "fa".to_owned(),
        }
    }

    fn parse(form: &ConsentForm) -> Result<ParsedConsent, FieldErrors> {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        parse_consent(
            form,
            &Translator::new(Locale::En),
            &["org-1".to_owned()],
            today,
        )
    }

    #[test]
    fn sharing_needs_a_known_recipient() {
        assert!(
            parse(&form("sharing", ""))
                .is_err_and(|errors| errors.has("recipient_organisation_id"))
        );
        assert!(
            parse(&form("sharing", "org-9"))
                .is_err_and(|errors| errors.has("recipient_organisation_id"))
        );
        assert!(
            parse(&form("sharing", "org-1"))
                .is_ok_and(|parsed| parsed.recipient_organisation_id.as_deref() == Some("org-1"))
        );
    }

    #[test]
    fn other_purposes_take_no_recipient() {
        assert!(
            parse(&form("research", "org-1"))
                .is_err_and(|errors| errors.has("recipient_organisation_id"))
        );
        assert!(parse(&form("research", "")).is_ok());
    }

    #[test]
    fn future_date_and_unknown_language_are_errors() {
        let mut future = form("photographs", "");
        future.recorded_on = "2026-06-02".to_owned();
        future.language = "xx".to_owned();
        let Err(errors) = parse(&future) else {
            panic!("future consent accepted");
        };
        assert!(errors.has("recorded_on"));
        assert!(errors.has("language"));
    }
}
