//! Follow-up after closure: `GET /cases/{id}/followups` lists a case's
//! scheduled, recorded and cancelled contacts; `GET`/`POST
//! /cases/{id}/followups/{followup_id}` records one (date, whether contact
//! was made, long-term outcomes, an encrypted note). Contacts are scheduled
//! when the case is closed (see the closure handler) and the pending ones
//! are cancelled when it is reopened. The home page lists those due for
//! the staff assigned to the case ([`due_items`]).

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use procap_domain::case::followup::{FollowUpOutcome, due_window_end, is_due};
use procap_domain::case::vocab::Vocabulary;
use procap_domain::role::Permission;
use procap_store::StoreError;
use procap_store::audit::{AuditEvent, Outcome};
use procap_store::followups::{self, FollowUp, FollowUpResult, RECORDED, SCHEDULED};
use serde_json::json;

use crate::audit::record;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::handlers::case_access::open_case;
use crate::handlers::closure::may_close_cases;
use crate::handlers::render;
use crate::handlers::services::{MAX_TEXT_CHARS, free_text, parse_date};
use crate::handlers::today;
use crate::i18n::Translator;
use crate::pages::FieldErrors;
use crate::pages::cases::DetailItem;
use crate::pages::followup::{
    FollowUpForm, FollowUpFormPage, FollowUpListPage, FollowUpRow, followup_href, followups_href,
};
use crate::pages::protection::DueFollowUpItem;
use crate::pages::services::CaseHeading;
use crate::state::AppState;

fn status_label(t: &Translator, status: &str) -> String {
    t.t(match status {
        SCHEDULED => "followup-status-scheduled",
        RECORDED => "followup-status-recorded",
        _ => "followup-status-cancelled",
    })
}

fn result_items(t: &Translator, followup: &FollowUp) -> Vec<DetailItem> {
    if followup.status != RECORDED {
        return Vec::new();
    }
    let mut items = Vec::new();
    if let Some(on) = followup.contacted_on {
        items.push(DetailItem::new(
            t.t("followup-contacted-on"),
            t.format_date(&on),
        ));
    }
    if let Some(made) = followup.contact_made {
        items.push(DetailItem::new(
            t.t("followup-contact-made"),
            t.t(if made {
                "followup-contact-made-yes"
            } else {
                "followup-contact-made-no"
            }),
        ));
    }
    let outcomes: Vec<String> = followup
        .outcomes
        .iter()
        .filter_map(|code| FollowUpOutcome::parse(code))
        .map(|outcome| t.t(outcome.label_key()))
        .collect();
    if !outcomes.is_empty() {
        items.push(DetailItem::new(
            t.t("followup-outcomes"),
            outcomes.join(", "),
        ));
    }
    if let Some(note) = &followup.note {
        items.push(DetailItem::new(t.t("followup-note"), note.clone()));
    }
    if let Some(by) = &followup.recorded_by {
        items.push(DetailItem::new(t.t("followup-recorded-by"), by.clone()));
    }
    items
}

/// `GET /cases/{id}/followups`: the contacts of a case.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(case_id): Path<String>,
) -> Result<Response, WebError> {
    let view = open_case(&state, &user, &case_id, "case.followup.view").await?;
    let id = case_id.clone();
    let items = state.store.run(move |db| followups::list(db, &id)).await?;
    let ctx = user.page(&followups_href(&case_id));
    let t = ctx.t;
    let today = today();
    let may_record = may_close_cases(user.role);
    let rows = items
        .iter()
        .map(|followup| {
            let scheduled = followup.status == SCHEDULED;
            FollowUpRow {
                due_on: t.format_date(&followup.due_on),
                months: followup.offset_months,
                status: status_label(&t, &followup.status),
                due: scheduled && is_due(followup.due_on, today),
                record_href: (scheduled && may_record)
                    .then(|| followup_href(&case_id, &followup.id)),
                result: result_items(&t, followup),
            }
        })
        .collect();
    let page = FollowUpListPage {
        case: CaseHeading::new(&t, &view.case),
        rows,
        ctx,
    };
    render(&page)
}

fn form_page(
    user: &CurrentUser,
    case: &procap_store::cases::Case,
    followup: &FollowUp,
    form: FollowUpForm,
    errors: FieldErrors,
) -> FollowUpFormPage {
    let ctx = user.page(&followups_href(&case.id));
    let t = ctx.t;
    FollowUpFormPage {
        case: CaseHeading::new(&t, case),
        action: followup_href(&case.id, &followup.id),
        intro: t.t_args(
            "followup-record-intro",
            &[
                ("date", t.format_date(&followup.due_on).into()),
                ("months", followup.offset_months.into()),
            ],
        ),
        form,
        errors,
        ctx,
    }
}

/// Loads a scheduled contact of an in-scope case for a user who may
/// record it.
async fn load(
    state: &AppState,
    user: &CurrentUser,
    case_id: &str,
    followup_id: &str,
) -> Result<(procap_store::cases::CaseView, FollowUp), WebError> {
    let view = open_case(state, user, case_id, "case.followup.view").await?;
    if !may_close_cases(user.role) {
        return Err(WebError::Forbidden);
    }
    let (id, followup_id) = (case_id.to_owned(), followup_id.to_owned());
    let followup = state
        .store
        .run(move |db| followups::get(db, &id, &followup_id))
        .await?;
    Ok((view, followup))
}

/// `GET /cases/{id}/followups/{followup_id}`: the recording form.
pub async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((case_id, followup_id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (view, followup) = load(&state, &user, &case_id, &followup_id).await?;
    if followup.status != SCHEDULED {
        return Ok(Redirect::to(&followups_href(&case_id)).into_response());
    }
    let form = FollowUpForm {
        contacted_on: today().format("%Y-%m-%d").to_string(),
        ..FollowUpForm::default()
    };
    render(&form_page(
        &user,
        &view.case,
        &followup,
        form,
        FieldErrors::new(),
    ))
}

/// Checks the recording form; the errors name the fields.
fn parse_form(
    t: &Translator,
    form: &FollowUpForm,
    closed_on: NaiveDate,
    today: NaiveDate,
) -> Result<(NaiveDate, bool, Vec<String>, Option<String>), FieldErrors> {
    let mut errors = FieldErrors::new();
    let contacted_on = if form.contacted_on.trim().is_empty() {
        errors.add("contacted_on", t.t("form-error-required"));
        None
    } else {
        parse_date(&mut errors, t, "contacted_on", &form.contacted_on)
    };
    let contacted_on = contacted_on.and_then(|date| {
        if date > today {
            errors.add("contacted_on", t.t("service-error-date-future"));
            None
        } else if date < closed_on {
            errors.add(
                "contacted_on",
                t.t1(
                    "followup-error-before-closure",
                    "date",
                    t.format_date(&closed_on),
                ),
            );
            None
        } else {
            Some(date)
        }
    });
    let contact_made = match form.contact_made.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.add("contact_made", t.t("form-error-choose"));
            None
        }
    };
    let mut outcomes = Vec::new();
    for code in &form.outcomes {
        match FollowUpOutcome::parse(code) {
            Some(outcome) => outcomes.push(outcome),
            None => {
                errors.add("outcomes", t.t("followup-error-outcome"));
                break;
            }
        }
    }
    outcomes.sort_unstable();
    outcomes.dedup();
    let note = free_text(&mut errors, t, "note", &form.note, MAX_TEXT_CHARS);
    match (contacted_on, contact_made, errors.is_empty()) {
        (Some(on), Some(made), true) => Ok((
            on,
            made,
            outcomes
                .into_iter()
                .map(|outcome| outcome.as_str().to_owned())
                .collect(),
            note,
        )),
        _ => Err(errors),
    }
}

/// `POST /cases/{id}/followups/{followup_id}`: records the contact.
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((case_id, followup_id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let (view, followup) = load(&state, &user, &case_id, &followup_id).await?;
    let value = |name: &str| {
        pairs
            .iter()
            .rev()
            .find(|(field, _)| field == name)
            .map_or(String::new(), |(_, value)| value.clone())
    };
    let form = FollowUpForm {
        contacted_on: value("contacted_on"),
        contact_made: value("contact_made"),
        outcomes: pairs
            .iter()
            .filter(|(field, _)| field == "outcomes")
            .map(|(_, value)| value.clone())
            .collect(),
        note: value("note"),
    };
    let t = Translator::new(user.locale);
    let (contacted_on, contact_made, outcomes, note) =
        match parse_form(&t, &form, followup.closed_on, today()) {
            Ok(parsed) => parsed,
            Err(errors) => {
                let mut response = render(&form_page(&user, &view.case, &followup, form, errors))?;
                *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                return Ok(response);
            }
        };

    let (id, fid, user_id) = (case_id.clone(), followup_id.clone(), user.user.id.clone());
    let stored_outcomes = outcomes.clone();
    let result = state
        .store
        .run(move |db| {
            followups::record(
                db,
                &id,
                &fid,
                &FollowUpResult {
                    contacted_on,
                    contact_made,
                    outcomes: &stored_outcomes,
                    note: note.as_deref(),
                    recorded_by: &user_id,
                },
            )
        })
        .await;
    match result {
        Ok(()) => {}
        // Recorded meanwhile (a second click or a colleague): the list
        // shows what was kept.
        Err(StoreError::Conflict("recorded")) => {
            return Ok(Redirect::to(&followups_href(&case_id)).into_response());
        }
        Err(error) => return Err(error.into()),
    }
    let event = AuditEvent::new("case.followup.record", Outcome::Success)
        .actor(&user.user.id, &user.user.username)
        .client_ip(user.client_ip.as_deref())
        .object("case", &case_id)
        .details(json!({
            "followup": followup_id,
            "contact_made": contact_made,
            "outcomes": outcomes,
        }));
    record(&state.store, event).await?;

    Ok(Redirect::to(&followups_href(&case_id)).into_response())
}

/// Follow-up contacts due (or overdue) for the user on the cases assigned
/// to them; empty for roles without case access.
pub async fn due_items(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<DueFollowUpItem>, WebError> {
    if !user.can(Permission::AccessCases) {
        return Ok(Vec::new());
    }
    let user_id = user.user.id.clone();
    let today = today();
    let due = state
        .store
        .run(move |db| followups::due_for_user(db, &user_id, due_window_end(today)))
        .await?;
    let t = Translator::new(user.locale);
    Ok(due
        .into_iter()
        .map(|item| DueFollowUpItem {
            href: followups_href(&item.case_id),
            overdue: item.due_on < today,
            due_on: t.format_date(&item.due_on),
            case_code: item.case_code,
        })
        .collect())
}
