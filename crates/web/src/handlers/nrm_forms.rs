//! `GET /cases/{id}/nrm/forms/{form}`: the referral form or the protection
//! services monitoring form of a case as PDF, in the user's language.
//!
//! The forms print decrypted personal data, so the case goes through the
//! same check as every case page ([`open_case`]: organisation, assignment,
//! sealed cases and break-glass). Each download is audited as
//! `case.nrm.form.download` with the form's code and language, never its
//! content.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use procap_reports::nrm::nrm_form_pdf;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::{case_records, nrm_reporting, organisations};
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::case_access::open_case;
use crate::handlers::today;
use crate::i18n::Translator;
use crate::pages::nrm_forms::{NrmFormKind, NrmFormRecord, build_form};
use crate::state::AppState;

/// `GET /cases/{id}/nrm/forms/{form}` with `form` `referral` or
/// `monitoring`; any other form is a 404.
pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((case_id, form)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let kind = NrmFormKind::parse(&form).ok_or(WebError::NotFound)?;
    let view = open_case(&state, &user, &case_id, "case.nrm.form").await?;

    let id = case_id.clone();
    let organisation_id = view.case.organisation_id.clone();
    let (organisation, events, screenings, consents, services) = state
        .store
        .run(move |db| {
            let organisation = organisations::get(db, &organisation_id)?;
            let events = case_records::list_nrm_events(db, &id)?;
            let screenings = case_records::list_screenings(db, &id)?;
            let consents = case_records::list_consents(db, &id)?;
            let services = nrm_reporting::services_by_line(db, &id)?;
            Ok((organisation, events, screenings, consents, services))
        })
        .await?;

    let t = Translator::new(user.locale);
    let form_record = NrmFormRecord {
        view: &view,
        organisation_name: &organisation.name,
        events: &events,
        screenings: &screenings,
        consents: &consents,
        services: &services,
        prepared_by: &user.user.display_name,
        today: today(),
    };
    let form = build_form(&t, kind, &form_record);
    let report = tokio::task::spawn_blocking(move || nrm_form_pdf(&form))
        .await
        .map_err(|error| WebError::Internal(error.into()))?
        .map_err(|error| WebError::Internal(error.into()))?;

    let event = AuditEvent::new("case.nrm.form.download", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", &case_id)
        .details(json!({ "form": kind.as_str(), "locale": user.locale.as_str() }));
    record(&state.store, event).await?;

    let code: String = view
        .case
        .code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let name = format!("nrm-{}-{code}.pdf", kind.as_str());
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        report.pdf,
    )
        .into_response())
}
