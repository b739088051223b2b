//! Closing and reopening a case: `GET`/`POST /cases/{id}/close` and
//! `POST /cases/{id}/reopen`.
//!
//! Closing asks for a closure reason and a date not before the case opened,
//! then for a confirmation. Both forms carry the case `version`; when
//! someone changed the case in the meantime the store refuses the change
//! and the user gets a 409 page with what they entered and the case as it
//! is now. The reopening reason is free text, so it is kept as the
//! encrypted notes of a case management service record; the audit log
//! records only the fact and the record's id.
//!
//! Closing also schedules follow-up contacts at the months after closure
//! given on the form (3, 6 and 12 by default; an empty field schedules
//! none). Reopening cancels the contacts that have not taken place and
//! keeps the recorded ones.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use procap_domain::case::followup::{
    DEFAULT_OFFSETS, MAX_OFFSET_MONTHS, format_offsets, parse_offsets,
};
use procap_domain::case::vocab::{CaseStatus, ClosureReason, ServiceLine};
use procap_domain::role::Role;
use procap_store::StoreError;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::case_records::{self, NewServiceRecord};
use procap_store::cases::Case;
use procap_store::followups;
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::case_access::open_case;
use crate::handlers::render;
use crate::handlers::services::{MAX_TEXT_CHARS, event_date, free_text};
use crate::handlers::today;
use crate::i18n::Translator;
use crate::pages::cases::{DetailItem, case_href, code_label};
use crate::pages::closure::{ClosureForm, ClosurePage, ReopenForm, close_href};
use crate::pages::services::CaseHeading;
use crate::pages::{ConfirmPage, FieldErrors, HiddenField};
use crate::state::AppState;

/// Returns whether `role` may close and reopen cases.
pub fn may_close_cases(role: Role) -> bool {
    matches!(role, Role::Caseworker | Role::Coordinator)
}

fn form_value<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .rev()
        .find(|(field, _)| field == name)
        .map_or("", |(_, value)| value.as_str())
}

/// The case's status, version and closure as the conflict page shows them.
fn current_state(t: &Translator, case: &Case) -> Vec<DetailItem> {
    let mut items = vec![
        DetailItem::new(
            t.t("closure-current-status"),
            code_label::<CaseStatus>(t, &case.status),
        ),
        DetailItem::new(t.t("closure-current-version"), case.version.to_string()),
    ];
    items.extend(closure_items(t, case));
    items
}

fn closure_items(t: &Translator, case: &Case) -> Vec<DetailItem> {
    let mut items = Vec::new();
    if let Some(closed_on) = case.closed_on {
        items.push(DetailItem::new(
            t.t("closure-closed-on"),
            t.format_date(&closed_on),
        ));
    }
    if let Some(reason) = &case.closure_reason {
        items.push(DetailItem::new(
            t.t("vocab-closure-reason"),
            code_label::<ClosureReason>(t, reason),
        ));
    }
    items
}

/// The values of whichever form the user sent, labelled.
fn entered_items(
    t: &Translator,
    close_form: &ClosureForm,
    reopen_form: &ReopenForm,
) -> Vec<DetailItem> {
    let mut items = Vec::new();
    if !close_form.closure_reason.is_empty() {
        items.push(DetailItem::new(
            t.t("vocab-closure-reason"),
            code_label::<ClosureReason>(t, &close_form.closure_reason),
        ));
    }
    if let Ok(date) = chrono::NaiveDate::parse_from_str(close_form.closed_on.trim(), "%Y-%m-%d") {
        items.push(DetailItem::new(
            t.t("closure-closed-on"),
            t.format_date(&date),
        ));
    }
    if !reopen_form.reason.trim().is_empty() {
        items.push(DetailItem::new(
            t.t("reopen-reason"),
            reopen_form.reason.trim().to_owned(),
        ));
    }
    items
}

fn closure_page(
    user: &CurrentUser,
    case: &Case,
    close_form: ClosureForm,
    reopen_form: ReopenForm,
    errors: FieldErrors,
    conflict: bool,
) -> ClosurePage {
    let ctx = user.page(&close_href(&case.id));
    let t = ctx.t;
    let entered = if conflict {
        entered_items(&t, &close_form, &reopen_form)
    } else {
        Vec::new()
    };
    ClosurePage {
        case: CaseHeading::new(&t, case),
        version: case.version,
        close_form,
        reopen_form,
        errors,
        entered,
        conflict: conflict.then(|| current_state(&t, case)),
        closure: closure_items(&t, case),
        ctx,
    }
}

fn with_status(page: &ClosurePage, status: StatusCode) -> Result<Response, WebError> {
    let mut response = render(page)?;
    *response.status_mut() = status;
    Ok(response)
}

/// `GET /cases/{id}/close`: the closure form of an open case, or the
/// reopening form of a closed one.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.closure.view").await?;
    if !may_close_cases(user.role) {
        return Err(WebError::Forbidden);
    }
    let close_form = ClosureForm {
        closed_on: today().format("%Y-%m-%d").to_string(),
        followup_months: format_offsets(&DEFAULT_OFFSETS),
        ..ClosureForm::default()
    };
    let page = closure_page(
        &user,
        &view.case,
        close_form,
        ReopenForm::default(),
        FieldErrors::new(),
        false,
    );
    render(&page)
}

/// `POST /cases/{id}/close`: checks the form, asks for a confirmation
/// (`confirmed=yes` skips it) and closes the case at the version the form
/// was shown with.
pub async fn close(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.closure.view").await?;
    if !may_close_cases(user.role) {
        return Err(WebError::Forbidden);
    }
    let form = ClosureForm {
        closure_reason: form_value(&pairs, "closure_reason").to_owned(),
        closed_on: form_value(&pairs, "closed_on").to_owned(),
        version: form_value(&pairs, "version").to_owned(),
        // A form without the field (an older page) gets the default.
        followup_months: if pairs.iter().any(|(field, _)| field == "followup_months") {
            form_value(&pairs, "followup_months").to_owned()
        } else {
            format_offsets(&DEFAULT_OFFSETS)
        },
    };
    let confirmed = form_value(&pairs, "confirmed") == "yes";
    let t = Translator::new(user.locale);
    let case = &view.case;

    let Ok(version) = form.version.trim().parse::<i32>() else {
        return Err(WebError::BadRequest(crate::error::MessageKey(
            "error-malformed-form",
        )));
    };
    let mut errors = FieldErrors::new();
    let reason = ClosureReason::parse(form.closure_reason.trim());
    if reason.is_none() {
        errors.add("closure_reason", t.t("form-error-choose"));
    }
    let closed_on = event_date(
        &mut errors,
        &t,
        "closed_on",
        &form.closed_on,
        case.opened_on,
        today(),
    );
    let offsets = match parse_offsets(&form.followup_months) {
        Ok(offsets) => Some(offsets),
        Err(_) => {
            errors.add(
                "followup_months",
                t.t1("followup-months-error", "max", MAX_OFFSET_MONTHS),
            );
            None
        }
    };
    let (Some(reason), Some(closed_on), Some(offsets), true) =
        (reason, closed_on, offsets, errors.is_empty())
    else {
        let page = closure_page(&user, case, form, ReopenForm::default(), errors, false);
        return with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    if version != case.version || case.status != CaseStatus::Open.as_str() {
        let page = closure_page(
            &user,
            case,
            form,
            ReopenForm::default(),
            FieldErrors::new(),
            true,
        );
        return with_status(&page, StatusCode::CONFLICT);
    }

    if !confirmed {
        let ctx = user.page(&close_href(&case_id));
        let hidden = [
            ("closure_reason", reason.as_str().to_owned()),
            ("closed_on", closed_on.format("%Y-%m-%d").to_string()),
            ("version", version.to_string()),
            ("followup_months", format_offsets(&offsets)),
            ("confirmed", "yes".to_owned()),
        ]
        .into_iter()
        .map(|(name, value)| HiddenField {
            name: name.to_owned(),
            value,
        })
        .collect();
        let page = ConfirmPage {
            title: t.t("closure-confirm-title"),
            message: t.t_args(
                "closure-confirm-message",
                &[
                    ("code", case.code.clone().into()),
                    ("reason", t.t(reason.label_key()).into()),
                    ("date", t.format_date(&closed_on).into()),
                ],
            ),
            action: close_href(&case_id),
            hidden,
            confirm_label: t.t("closure-confirm-button"),
            cancel_href: case_href(&case_id),
            destructive: true,
            ctx,
        };
        return render(&page);
    }

    let id = case_id.clone();
    let scheduled = offsets.clone();
    let result = state
        .store
        .run(move |db| {
            db.transaction(|db| {
                case_records::close(db, &id, version, closed_on, reason.as_str())?;
                followups::schedule(db, &id, closed_on, &scheduled)
            })
        })
        .await;
    match result {
        Ok(_) => {}
        Err(StoreError::Conflict("stale")) => {
            return conflict_response(&state, &user, &case_id, form, ReopenForm::default()).await;
        }
        Err(error) => return Err(error.into()),
    }
    let event = AuditEvent::new("case.close", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", &case_id)
        .details(json!({
            "closure_reason": reason.as_str(),
            "version": version + 1,
            "followup_months": offsets,
        }));
    record(&state.store, event).await?;

    Ok(Redirect::to(&case_href(&case_id)).into_response())
}

/// Reloads the case and shows the 409 page with the user's values kept.
async fn conflict_response(
    state: &AppState,
    user: &CurrentUser,
    case_id: &str,
    close_form: ClosureForm,
    reopen_form: ReopenForm,
) -> Result<Response, WebError> {
    let view = open_case(state, user, case_id, "case.closure.view").await?;
    let page = closure_page(
        user,
        &view.case,
        close_form,
        reopen_form,
        FieldErrors::new(),
        true,
    );
    with_status(&page, StatusCode::CONFLICT)
}

/// `POST /cases/{id}/reopen`: reopens a closed case at the version the
/// form was shown with and keeps the required reason as a case management
/// service record.
pub async fn reopen(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.closure.view").await?;
    if !may_close_cases(user.role) {
        return Err(WebError::Forbidden);
    }
    let form = ReopenForm {
        reason: form_value(&pairs, "reason").to_owned(),
        version: form_value(&pairs, "version").to_owned(),
    };
    let t = Translator::new(user.locale);
    let case = &view.case;

    let Ok(version) = form.version.trim().parse::<i32>() else {
        return Err(WebError::BadRequest(crate::error::MessageKey(
            "error-malformed-form",
        )));
    };
    let mut errors = FieldErrors::new();
    let reason = free_text(&mut errors, &t, "reason", &form.reason, MAX_TEXT_CHARS);
    if reason.is_none() && errors.is_empty() {
        errors.add("reason", t.t("form-error-required"));
    }
    let Some(reason) = reason else {
        let page = closure_page(&user, case, ClosureForm::default(), form, errors, false);
        return with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    if version != case.version || case.status != CaseStatus::Closed.as_str() {
        let page = closure_page(
            &user,
            case,
            ClosureForm::default(),
            form,
            FieldErrors::new(),
            true,
        );
        return with_status(&page, StatusCode::CONFLICT);
    }

    let id = case_id.clone();
    let staff_user_id = user.user.id.clone();
    let on = today();
    let result = state
        .store
        .run(move |db| {
            db.transaction(|db| {
                case_records::reopen(db, &id, version)?;
                followups::cancel_pending(db, &id)?;
                case_records::add_service_record(
                    db,
                    &NewServiceRecord {
                        case_id: &id,
                        line: ServiceLine::CaseManagement.as_str(),
                        occurred_on: on,
                        duration_minutes: 1,
                        staff_user_id: &staff_user_id,
                        beneficiary_present: false,
                        details: &json!({ "reopening": true }),
                        outcome: None,
                        notes: Some(&reason),
                    },
                )
            })
        })
        .await;
    let record_id = match result {
        Ok(record_id) => record_id,
        Err(StoreError::Conflict("stale")) => {
            return conflict_response(&state, &user, &case_id, ClosureForm::default(), form).await;
        }
        Err(error) => return Err(error.into()),
    };
    let event = AuditEvent::new("case.reopen", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", &case_id)
        .details(json!({ "service_record": record_id, "version": version + 1 }));
    record(&state.store, event).await?;

    Ok(Redirect::to(&case_href(&case_id)).into_response())
}
