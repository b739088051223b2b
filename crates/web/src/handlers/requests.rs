//! Erasure and subject-access requests.
//!
//! - `GET`/`POST /cases/{id}/requests`: a caseworker or coordinator who can
//!   open the case files a request with a reason.
//! - `GET /requests`: coordinators see every request of their
//!   organisation, caseworkers the ones they filed; pending first.
//! - `POST /requests/{id}/decide`: a coordinator of the owning organisation
//!   other than the requester approves or rejects with a reason. Approving
//!   an erasure anonymises the case at once.
//! - `GET /requests/{id}/export.json` and `GET /requests/{id}/export`: once a
//!   subject-access request is approved, a coordinator of the owning
//!   organisation downloads everything held about the person as JSON, or
//!   opens the same as a printable page or a PDF
//!   (`GET /requests/{id}/export.pdf`). All three are sent with
//!   `Cache-Control: no-store` and audited.
//!
//! Every step is audited with ids and codes only.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use procap_domain::role::Role;
use procap_store::StoreError;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::data_requests::{
    self, DataRequest, KIND_ERASURE, KIND_SUBJECT_ACCESS, KINDS, STATUS_APPROVED, STATUS_PENDING,
};
use procap_store::retention::{self, CAUSE_ERASURE};
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::case_access::open_case;
use crate::handlers::render;
use crate::i18n::Translator;
use crate::pages::FieldErrors;
use crate::pages::cases::case_href;
use crate::pages::requests::{
    CaseRequestsPage, DECISION_APPROVE, DECISION_REJECT, EXPORT_PDF_TEMPLATE, ExportPrintPage,
    REQUESTS, RequestRow, RequestsPage, case_requests_href, export_json_href, export_pdf_href,
    export_pdf_inputs, export_print_href, export_sections, kind_key, status_key,
};
use crate::state::AppState;

/// Longest accepted reason, in characters.
const MAX_REASON_CHARS: usize = 4000;

/// Returns whether `role` may file requests: caseworkers and coordinators.
fn may_file(role: Role) -> bool {
    matches!(role, Role::Caseworker | Role::Coordinator)
}

fn form_value(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .rev()
        .find(|(field, _)| field == name)
        .map(|(_, value)| value.trim().to_owned())
        .unwrap_or_default()
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

/// Returns whether the user coordinates the organisation that owns the request's case.
fn coordinates(user: &CurrentUser, request: &DataRequest) -> bool {
    user.role == Role::Coordinator && user.user.organisation_id == request.organisation_id
}

fn request_row(t: &Translator, user: &CurrentUser, request: &DataRequest) -> RequestRow {
    let coordinator = coordinates(user, request);
    let own = request.requested_by == user.user.id;
    let pending = request.status == STATUS_PENDING;
    let exportable =
        coordinator && request.kind == KIND_SUBJECT_ACCESS && request.status == STATUS_APPROVED;
    RequestRow {
        id: request.id.clone(),
        case_code: request.case_code.clone(),
        case_href: case_href(&request.case_id),
        kind: t.t(kind_key(&request.kind)),
        status: t.t(status_key(&request.status)),
        pending,
        reason: request.reason.clone().unwrap_or_default(),
        requested_by: request.requested_by_username.clone(),
        requested_at: t.format_datetime(&request.requested_at),
        decided_by: request.decided_by_username.clone().unwrap_or_default(),
        decided_at: request
            .decided_at
            .as_ref()
            .map(|at| t.format_datetime(at))
            .unwrap_or_default(),
        decision_reason: request.decision_reason.clone().unwrap_or_default(),
        can_decide: pending && coordinator && !own,
        own_request: pending && coordinator && own,
        export_json_href: exportable.then(|| export_json_href(&request.id)),
        export_print_href: exportable.then(|| export_print_href(&request.id)),
        export_pdf_href: exportable.then(|| export_pdf_href(&request.id)),
        typed_reason: String::new(),
        error: None,
    }
}

// --- A case's requests ----------------------------------------------------------

async fn case_page(
    state: &AppState,
    user: &CurrentUser,
    case_id: &str,
    case_code: &str,
    kind: String,
    reason: String,
    errors: FieldErrors,
) -> Result<CaseRequestsPage, WebError> {
    let id = case_id.to_owned();
    let organisation_id = user.user.organisation_id.clone();
    let (requests, anonymisation) = state
        .store
        .run(move |db| {
            let requests: Vec<DataRequest> =
                data_requests::list_for_organisation(db, &organisation_id)?
                    .into_iter()
                    .filter(|request| request.case_id == id)
                    .collect();
            Ok((requests, retention::anonymisation(db, &id)?))
        })
        .await?;
    let ctx = user.page(crate::pages::paths::CASES);
    let t = ctx.t;
    Ok(CaseRequestsPage {
        case_id: case_id.to_owned(),
        case_code: case_code.to_owned(),
        anonymised: anonymisation.is_some(),
        kind,
        reason,
        errors,
        requests: requests
            .iter()
            .map(|request| request_row(&t, user, request))
            .collect(),
        ctx,
    })
}

/// `GET /cases/{id}/requests`: the request form and the case's requests.
pub async fn case_requests(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
) -> Result<Response, WebError> {
    if !may_file(user.role) {
        return Err(WebError::Forbidden);
    }
    let view = open_case(&state, &user, &case_id, "case.requests.view").await?;
    let page = case_page(
        &state,
        &user,
        &view.case.id,
        &view.case.code,
        String::new(),
        String::new(),
        FieldErrors::new(),
    )
    .await?;
    render(&page)
}

/// `POST /cases/{id}/requests`: files a request and goes to the request list.
pub async fn file_request(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    if !may_file(user.role) {
        return Err(WebError::Forbidden);
    }
    let view = open_case(&state, &user, &case_id, "case.requests.view").await?;
    let t = Translator::new(user.locale);
    let kind = form_value(&pairs, "kind");
    let reason = form_value(&pairs, "reason");

    let mut errors = FieldErrors::new();
    if !KINDS.contains(&kind.as_str()) {
        errors.add("kind", t.t("requests-error-kind"));
    }
    if reason.is_empty() {
        errors.add("reason", t.t("requests-error-reason"));
    } else if reason.chars().count() > MAX_REASON_CHARS {
        errors.add(
            "reason",
            t.t1("requests-error-too-long", "max", MAX_REASON_CHARS),
        );
    }
    if !errors.is_empty() {
        let page = case_page(
            &state,
            &user,
            &view.case.id,
            &view.case.code,
            kind,
            reason,
            errors,
        )
        .await?;
        let mut response = render(&page)?;
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    }

    let id = view.case.id.clone();
    let requester = user.user.id.clone();
    let request_kind = kind.clone();
    let request_id = state
        .store
        .run(move |db| data_requests::create(db, &id, &request_kind, &reason, &requester))
        .await?;
    audit(
        &state,
        &user,
        "case.request.file",
        Outcome::Success,
        &view.case.id,
        json!({ "request": request_id, "kind": kind }),
    )
    .await?;
    Ok(Redirect::to(&case_requests_href(&view.case.id)).into_response())
}

// --- The organisation's requests and decisions ------------------------------------

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    error: Option<(String, String, String)>,
) -> Result<RequestsPage, WebError> {
    let organisation_id = user.user.organisation_id.clone();
    let requests = state
        .store
        .run(move |db| data_requests::list_for_organisation(db, &organisation_id))
        .await?;
    let ctx = user.page(REQUESTS);
    let t = ctx.t;
    let mut pending = Vec::new();
    let mut decided = Vec::new();
    for request in &requests {
        if user.role != Role::Coordinator && request.requested_by != user.user.id {
            continue;
        }
        let mut row = request_row(&t, user, request);
        if let Some((request_id, message, typed)) = &error
            && request_id == &request.id
        {
            row.error = Some(message.clone());
            row.typed_reason = typed.clone();
        }
        if row.pending {
            pending.push(row);
        } else {
            decided.push(row);
        }
    }
    Ok(RequestsPage {
        ctx,
        pending,
        decided,
    })
}

/// `GET /requests`: pending and decided requests.
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    if !may_file(user.role) {
        return Err(WebError::Forbidden);
    }
    let page = list_page(&state, &user, None).await?;
    let event = AuditEvent::new("request.list", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .details(json!({ "pending": page.pending.len(), "decided": page.decided.len() }));
    record(&state.store, event).await?;
    render(&page)
}

async fn load_request(state: &AppState, request_id: &str) -> Result<DataRequest, WebError> {
    let id = request_id.to_owned();
    Ok(state
        .store
        .run(move |db| data_requests::get(db, &id))
        .await?)
}

/// `POST /requests/{id}/decide`: approves or rejects a pending request.
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(request_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let request = load_request(&state, &request_id).await?;
    if !coordinates(&user, &request) {
        audit(
            &state,
            &user,
            "case.request.decide",
            Outcome::Denied,
            &request.case_id,
            json!({ "request": request.id }),
        )
        .await?;
        return Err(WebError::Forbidden);
    }
    let t = Translator::new(user.locale);
    let decision = form_value(&pairs, "decision");
    let reason = form_value(&pairs, "reason");

    let refusal = if request.requested_by == user.user.id {
        Some((StatusCode::FORBIDDEN, t.t("requests-error-own")))
    } else if request.status != STATUS_PENDING {
        Some((StatusCode::CONFLICT, t.t("requests-error-decided")))
    } else if decision != DECISION_APPROVE && decision != DECISION_REJECT {
        Some((
            StatusCode::UNPROCESSABLE_ENTITY,
            t.t("requests-error-decision"),
        ))
    } else if reason.is_empty() {
        Some((
            StatusCode::UNPROCESSABLE_ENTITY,
            t.t("requests-error-decision-reason"),
        ))
    } else if reason.chars().count() > MAX_REASON_CHARS {
        Some((
            StatusCode::UNPROCESSABLE_ENTITY,
            t.t1("requests-error-too-long", "max", MAX_REASON_CHARS),
        ))
    } else {
        None
    };
    if let Some((status, message)) = refusal {
        return refuse(&state, &user, &request, status, message, reason).await;
    }

    let approve = decision == DECISION_APPROVE;
    let id = request.id.clone();
    let decider = user.user.id.clone();
    let typed = reason.clone();
    let decided = state
        .store
        .run(move |db| data_requests::decide(db, &id, &decider, approve, &typed))
        .await;
    match decided {
        Ok(()) => {}
        Err(StoreError::Conflict("own_request")) => {
            let message = t.t("requests-error-own");
            return refuse(
                &state,
                &user,
                &request,
                StatusCode::FORBIDDEN,
                message,
                reason,
            )
            .await;
        }
        Err(StoreError::Conflict(_)) => {
            let message = t.t("requests-error-decided");
            return refuse(
                &state,
                &user,
                &request,
                StatusCode::CONFLICT,
                message,
                reason,
            )
            .await;
        }
        Err(other) => return Err(other.into()),
    }
    audit(
        &state,
        &user,
        "case.request.decide",
        Outcome::Success,
        &request.case_id,
        json!({
            "request": request.id,
            "kind": request.kind,
            "decision": if approve { "approved" } else { "rejected" },
        }),
    )
    .await?;

    if approve && request.kind == KIND_ERASURE {
        anonymise_now(&state, &user, &request).await?;
    }
    Ok(Redirect::to(REQUESTS).into_response())
}

/// Shows the list again with the refusal on the request's form and what
/// the user typed kept, and audits the refusal.
async fn refuse(
    state: &AppState,
    user: &CurrentUser,
    request: &DataRequest,
    status: StatusCode,
    message: String,
    typed: String,
) -> Result<Response, WebError> {
    let outcome = if status == StatusCode::FORBIDDEN {
        Outcome::Denied
    } else {
        Outcome::Failure
    };
    audit(
        state,
        user,
        "case.request.decide",
        outcome,
        &request.case_id,
        json!({ "request": request.id, "status": status.as_u16() }),
    )
    .await?;
    let page = list_page(state, user, Some((request.id.clone(), message, typed))).await?;
    let mut response = render(&page)?;
    *response.status_mut() = status;
    Ok(response)
}

/// Runs the anonymisation of an approved erasure, deletes the attachment
/// files and audits it.
async fn anonymise_now(
    state: &AppState,
    user: &CurrentUser,
    request: &DataRequest,
) -> Result<(), WebError> {
    let case_id = request.case_id.clone();
    let request_id = request.id.clone();
    let report = state
        .store
        .run(move |db| retention::anonymise_case(db, &case_id, CAUSE_ERASURE, Some(&request_id)))
        .await?;
    let Some(report) = report else {
        return Ok(());
    };
    let dir = state.config.attachments.dir.clone();
    let keys = report.attachment_keys.clone();
    let files_left =
        tokio::task::spawn_blocking(move || retention::remove_attachment_files(&dir, &keys))
            .await
            .unwrap_or(report.attachment_keys.len());
    if files_left > 0 {
        tracing::warn!(case_id = %request.case_id, files_left, "attachment files of an anonymised case could not be deleted");
    }
    audit(
        state,
        user,
        "case.anonymise",
        Outcome::Success,
        &request.case_id,
        json!({
            "cause": CAUSE_ERASURE,
            "request": request.id,
            "person_removed": report.person_removed,
            "notes_removed": report.notes_removed,
            "attachments_removed": report.attachment_keys.len(),
        }),
    )
    .await
}

// --- Subject-access export ------------------------------------------------------

/// Loads an approved subject-access request the user may export and the
/// export itself, auditing `action`. Every refusal returns 404, so request
/// ids are not confirmed, and is audited as denied.
async fn export_for(
    state: &AppState,
    user: &CurrentUser,
    request_id: &str,
    action: &str,
) -> Result<(DataRequest, serde_json::Value), WebError> {
    let request = load_request(state, request_id).await?;
    let allowed = coordinates(user, &request)
        && request.kind == KIND_SUBJECT_ACCESS
        && request.status == STATUS_APPROVED;
    if !allowed {
        audit(
            state,
            user,
            action,
            Outcome::Denied,
            &request.case_id,
            json!({ "request": request.id }),
        )
        .await?;
        return Err(WebError::NotFound);
    }
    let case_id = request.case_id.clone();
    let export = state
        .store
        .run(move |db| data_requests::subject_access_export(db, &case_id))
        .await?;
    audit(
        state,
        user,
        action,
        Outcome::Success,
        &request.case_id,
        json!({ "request": request.id }),
    )
    .await?;
    Ok((request, export))
}

fn no_store(response: &mut Response) {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// `GET /requests/{id}/export.json`: the JSON file of the export.
pub async fn export_json(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(request_id): Path<String>,
) -> Result<Response, WebError> {
    let (request, export) =
        export_for(&state, &user, &request_id, "case.subject_access.download").await?;
    let body = serde_json::to_vec_pretty(&export)
        .map_err(|error| WebError::Internal(anyhow::anyhow!("export: {error}")))?;
    let file_name = format!("procap-subject-access-{}.json", request.case_code);
    let mut response = (
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                crate::handlers::notes::content_disposition(&file_name),
            ),
        ],
        body,
    )
        .into_response();
    no_store(&mut response);
    Ok(response)
}

/// `GET /requests/{id}/export`: the printable page of the export.
pub async fn export_print(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(request_id): Path<String>,
) -> Result<Response, WebError> {
    let (request, export) =
        export_for(&state, &user, &request_id, "case.subject_access.print").await?;
    let ctx = user.page(REQUESTS);
    let t = ctx.t;
    let page = ExportPrintPage {
        case_code: request.case_code.clone(),
        generated_at: t.format_datetime(&procap_store::now()),
        sections: export_sections(&t, &export),
        json_href: export_json_href(&request.id),
        pdf_href: export_pdf_href(&request.id),
        ctx,
    };
    let mut response = render(&page)?;
    no_store(&mut response);
    Ok(response)
}

/// `GET /requests/{id}/export.pdf`: the export as a PDF document.
pub async fn export_pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(request_id): Path<String>,
) -> Result<Response, WebError> {
    let (request, export) =
        export_for(&state, &user, &request_id, "case.subject_access.pdf").await?;
    let t = Translator::new(user.locale);
    let generated_at = t.format_datetime(&procap_store::now());
    let sections = export_sections(&t, &export);
    let inputs = export_pdf_inputs(&t, &request.case_code, &generated_at, &sections);
    let pdf =
        tokio::task::spawn_blocking(move || procap_reports::render(EXPORT_PDF_TEMPLATE, &inputs))
            .await
            .map_err(|error| WebError::Internal(anyhow::anyhow!("export pdf task: {error}")))?
            .map_err(|error| WebError::Internal(anyhow::anyhow!("export pdf: {error}")))?;

    let file_name = format!("procap-subject-access-{}.pdf", request.case_code);
    let mut response = (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                crate::handlers::notes::content_disposition(&file_name),
            ),
        ],
        pdf,
    )
        .into_response();
    no_store(&mut response);
    Ok(response)
}
