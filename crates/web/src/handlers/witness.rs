//! The victim-witness status on the NRM page: `POST /cases/{id}/nrm/witness`
//! records whether the person is a witness in criminal proceedings (not a
//! witness, witness, or victim-witness with protection measures), with the
//! date and an encrypted note. Every change is kept as history and audited
//! with ids only.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::witness::{self, NewWitnessStatus, WITNESS_STATUSES};
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::case_access::open_case;
use crate::handlers::nrm::page_with_witness;
use crate::handlers::render;
use crate::handlers::screening::records_case_steps;
use crate::handlers::services::{MAX_TEXT_CHARS, free_text, parse_date};
use crate::handlers::today;
use crate::i18n::Translator;
use crate::pages::FieldErrors;
use crate::pages::nrm::nrm_href;
use crate::pages::witness::{
    WitnessForm, WitnessRow, WitnessSection, witness_href, witness_status_key,
};
use crate::state::AppState;

/// Loads the status history of a case and builds the witness section with
/// `form` and `errors`.
pub(crate) async fn section(
    state: &AppState,
    user: &CurrentUser,
    case_id: &str,
    form: WitnessForm,
    errors: FieldErrors,
) -> Result<WitnessSection, WebError> {
    let id = case_id.to_owned();
    let history = state.store.run(move |db| witness::history(db, &id)).await?;
    let t = Translator::new(user.locale);
    Ok(WitnessSection {
        history: history
            .into_iter()
            .map(|status| WitnessRow {
                status: t.t(witness_status_key(&status.status)),
                status_on: t.format_date(&status.status_on),
                note: status.note.unwrap_or_default(),
                recorded_by: status.recorded_by,
            })
            .collect(),
        may_record: records_case_steps(user.role),
        action: witness_href(case_id),
        options: WitnessSection::options_for(&t, &form),
        form,
        errors,
    })
}

fn form_value<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .rev()
        .find(|(field, _)| field == name)
        .map_or("", |(_, value)| value.as_str())
}

/// `POST /cases/{id}/nrm/witness`: records a status change, or shows the
/// NRM page again with the values typed and what to correct.
pub async fn change(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.nrm.view").await?;
    if !records_case_steps(user.role) {
        return Err(WebError::Forbidden);
    }
    let form = WitnessForm {
        status: form_value(&pairs, "witness_status").to_owned(),
        status_on: form_value(&pairs, "witness_status_on").to_owned(),
        note: form_value(&pairs, "witness_note").to_owned(),
    };
    let t = Translator::new(user.locale);
    let mut errors = FieldErrors::new();

    let status = WITNESS_STATUSES
        .iter()
        .copied()
        .find(|code| *code == form.status.trim());
    if status.is_none() {
        errors.add("witness_status", t.t("form-error-choose"));
    }
    let mut status_on = None;
    if form.status_on.trim().is_empty() {
        errors.add("witness_status_on", t.t("form-error-required"));
    } else if let Some(date) = parse_date(&mut errors, &t, "witness_status_on", &form.status_on) {
        if date > today() {
            errors.add("witness_status_on", t.t("service-error-date-future"));
        } else {
            status_on = Some(date);
        }
    }
    let note = free_text(&mut errors, &t, "witness_note", &form.note, MAX_TEXT_CHARS);

    let (Some(status), Some(status_on), true) = (status, status_on, errors.is_empty()) else {
        let witness = section(&state, &user, &case_id, form, errors).await?;
        let page = page_with_witness(&state, &user, &view, witness).await?;
        let mut response = render(&page)?;
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    };

    let id = case_id.clone();
    let recorded_by = user.user.id.clone();
    let record_id = state
        .store
        .run(move |db| {
            witness::record_status(
                db,
                &NewWitnessStatus {
                    case_id: &id,
                    status,
                    status_on,
                    note: note.as_deref(),
                    recorded_by: &recorded_by,
                },
            )
        })
        .await?;
    let event = AuditEvent::new("case.nrm.witness", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", &case_id)
        .details(json!({ "record": record_id }));
    record(&state.store, event).await?;

    Ok(Redirect::to(&nrm_href(&case_id)).into_response())
}
